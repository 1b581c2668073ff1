import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { conflict, notFound, unprocessable } from '../../common/application-error.js';
import type { AuthUser } from '../../common/auth.js';
import { auditedTransaction } from '../../database/audit-actor.js';
import { assertNothingBlocks } from '../checks/checks.js';
import { GrantApplicationEntity } from '../applications/application.entity.js';
import { ReportEntity } from './report.entity.js';
import { runReportChecks } from './report-checks.js';
import { AccessService } from '../access/access.service.js';
import type { PutReportDto, ReportDto } from './dto/report.dto.js';
import './reports.errors.js'; // registers the codes thrown here

/** What the report is compared with: the application's planned cost and indicators. */
type Planned = Pick<GrantApplicationEntity, 'totalCostCents' | 'indicators'>;

@Injectable()
export class ReportsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: AccessService,
  ) {}

  private async ownFunded(user: AuthUser, applicationId: string): Promise<GrantApplicationEntity> {
    await this.access.require(user, 'application:edit', { applicationId });
    const app = await this.dataSource
      .getRepository(GrantApplicationEntity)
      .findOneOrFail({ where: { id: applicationId } });
    if (app.status !== 'PROGRAMMED')
      throw conflict('APPLICATION_NOT_FUNDED', 'Un bilan se dépose pour une action financée.', {
        currentStatus: app.status,
      });
    return app;
  }

  /** The report's checks against the application it accounts for. */
  private checksOf(report: ReportEntity, app: Planned) {
    return runReportChecks({
      ...report,
      forecastChargesCents: app.totalCostCents,
      byQpv: (report.beneficiaries as { byQpv?: Record<string, number> }).byQpv,
      plannedIndicators: app.indicators,
    });
  }

  private toDto(report: ReportEntity, app: Planned): ReportDto {
    return {
      applicationId: report.applicationId,
      status: report.status,
      budget: report.budget,
      beneficiaries: report.beneficiaries as ReportDto['beneficiaries'],
      achievements: report.achievements,
      varianceExplanation: report.varianceExplanation,
      indicators: report.indicators ?? [],
      actualStartDate: report.actualStartDate,
      actualEndDate: report.actualEndDate,
      certification: report.certification,
      checks: report.checks ?? this.checksOf(report, app),
      submittedAt: report.submittedAt?.toISOString() ?? null,
      returnMessage: report.returnMessage,
      acceptedAt: report.acceptedAt?.toISOString() ?? null,
    };
  }

  async put(user: AuthUser, applicationId: string, input: PutReportDto): Promise<ReportDto> {
    const app = await this.ownFunded(user, applicationId);
    const byQpv = Object.entries(input.beneficiaries.byQpv ?? {});
    if (
      byQpv.some(([code, count]) => !/^[A-Z0-9]{1,12}$/.test(code) || !Number.isInteger(count) || count < 0)
    )
      throw unprocessable(
        'BENEFICIARIES_BY_QPV_INVALID',
        'Les bénéficiaires par quartier se donnent par code de QPV, en nombres entiers positifs.',
        'beneficiaries.byQpv',
      );
    if (input.actualStartDate && input.actualEndDate && input.actualEndDate < input.actualStartDate)
      throw unprocessable(
        'ACTUAL_DATES_OUT_OF_ORDER',
        'L’action ne finit pas avant d’avoir commencé.',
        'actualEndDate',
      );
    return auditedTransaction(this.dataSource, user, async (em) => {
      const existing = await em
        .getRepository(ReportEntity)
        .findOne({ where: { applicationId }, lock: { mode: 'pessimistic_write' } });
      if (existing?.status === 'SUBMITTED' || existing?.status === 'ACCEPTED')
        throw conflict('REPORT_SUBMITTED', 'Le bilan a été déposé : il ne peut plus être modifié.');
      const values = {
        applicationId,
        budget: input.budget,
        beneficiaries: input.beneficiaries as ReportEntity['beneficiaries'],
        achievements: input.achievements,
        varianceExplanation: input.varianceExplanation ?? null,
        indicators: input.indicators ?? null,
        actualStartDate: input.actualStartDate ?? null,
        actualEndDate: input.actualEndDate ?? null,
        certification: input.certification ?? null,
        status: 'DRAFT' as const,
      };
      const saved = existing
        ? await em.save(Object.assign(existing, values))
        : await em.save(em.create(ReportEntity, values));
      return this.toDto(saved, app);
    });
  }

  async submit(user: AuthUser, applicationId: string): Promise<ReportDto> {
    const app = await this.ownFunded(user, applicationId);
    return auditedTransaction(this.dataSource, user, async (em) => {
      const report = await em
        .getRepository(ReportEntity)
        .findOne({ where: { applicationId }, lock: { mode: 'pessimistic_write' } });
      if (!report) throw notFound('Bilan');
      if (report.status === 'SUBMITTED' || report.status === 'ACCEPTED')
        throw conflict('REPORT_SUBMITTED', 'Le bilan est déjà déposé.');
      const checks = this.checksOf(report, app);
      assertNothingBlocks(checks, 'REPORT_CHECKS_FAILED', 'Le bilan');
      report.status = 'SUBMITTED';
      report.checks = checks;
      report.submittedAt = new Date();
      return this.toDto(await em.save(report), app);
    });
  }

  async get(user: AuthUser, applicationId: string): Promise<ReportDto> {
    await this.access.require(user, 'application:read-funded', { applicationId });
    const report = await this.dataSource.getRepository(ReportEntity).findOne({ where: { applicationId } });
    if (!report) throw notFound('Bilan');
    const app = await this.dataSource.getRepository(GrantApplicationEntity).findOneOrFail({
      where: { id: applicationId },
      select: { id: true, totalCostCents: true, indicators: true },
    });
    return this.toDto(report, app);
  }
}
