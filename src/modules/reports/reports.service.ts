import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { conflict, notFound } from '../../common/application-error.js';
import type { AuthUser } from '../../common/auth.js';
import { assertNothingBlocks } from '../checks/checks.js';
import { GrantApplicationEntity } from '../applications/application.entity.js';
import { ReportEntity } from './report.entity.js';
import { runReportChecks } from './report-checks.js';
import { fundedApplicationAccess } from '../programming/granted.js';
import type { PutReportDto, ReportDto } from './dto/report.dto.js';

@Injectable()
export class ReportsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private async ownFunded(user: AuthUser, applicationId: string): Promise<GrantApplicationEntity> {
    const app = await this.dataSource
      .getRepository(GrantApplicationEntity)
      .findOne({ where: { id: applicationId } });
    if (!app || user.role !== 'ASSOCIATION' || app.organizationId !== user.organizationId)
      throw notFound('Dossier');
    if (app.status !== 'PROGRAMMED')
      throw conflict('APPLICATION_NOT_FUNDED', 'Un bilan se dépose pour une action financée.', {
        currentStatus: app.status,
      });
    return app;
  }

  private toDto(report: ReportEntity, forecastChargesCents: number): ReportDto {
    return {
      applicationId: report.applicationId,
      status: report.status,
      budget: report.budget,
      beneficiaries: report.beneficiaries as ReportDto['beneficiaries'],
      achievements: report.achievements,
      varianceExplanation: report.varianceExplanation,
      checks: report.checks ?? runReportChecks({ ...report, forecastChargesCents }),
      submittedAt: report.submittedAt?.toISOString() ?? null,
    };
  }

  async put(user: AuthUser, applicationId: string, input: PutReportDto): Promise<ReportDto> {
    const app = await this.ownFunded(user, applicationId);
    return this.dataSource.transaction(async (em) => {
      const existing = await em
        .getRepository(ReportEntity)
        .findOne({ where: { applicationId }, lock: { mode: 'pessimistic_write' } });
      if (existing?.status === 'SUBMITTED')
        throw conflict('REPORT_SUBMITTED', 'Le bilan a été déposé : il ne peut plus être modifié.');
      const values = {
        applicationId,
        budget: input.budget,
        beneficiaries: input.beneficiaries as ReportEntity['beneficiaries'],
        achievements: input.achievements,
        varianceExplanation: input.varianceExplanation ?? null,
        status: 'DRAFT' as const,
      };
      const saved = existing
        ? await em.save(Object.assign(existing, values))
        : await em.save(em.create(ReportEntity, values));
      return this.toDto(saved, app.totalChargesCents);
    });
  }

  async submit(user: AuthUser, applicationId: string): Promise<ReportDto> {
    const app = await this.ownFunded(user, applicationId);
    return this.dataSource.transaction(async (em) => {
      const report = await em
        .getRepository(ReportEntity)
        .findOne({ where: { applicationId }, lock: { mode: 'pessimistic_write' } });
      if (!report) throw notFound('Bilan');
      if (report.status === 'SUBMITTED') throw conflict('REPORT_SUBMITTED', 'Le bilan est déjà déposé.');
      const checks = runReportChecks({ ...report, forecastChargesCents: app.totalChargesCents });
      assertNothingBlocks(checks, 'REPORT_CHECKS_FAILED', 'Le bilan');
      report.status = 'SUBMITTED';
      report.checks = checks;
      report.submittedAt = new Date();
      return this.toDto(await em.save(report), app.totalChargesCents);
    });
  }

  async get(user: AuthUser, applicationId: string): Promise<ReportDto> {
    const access = await fundedApplicationAccess(this.dataSource.manager, user, applicationId);
    const report = access
      ? await this.dataSource.getRepository(ReportEntity).findOne({ where: { applicationId } })
      : null;
    if (!report) throw notFound('Bilan');
    return this.toDto(report, access!.totalChargesCents);
  }
}
