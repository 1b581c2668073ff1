import { Body, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApplicationError } from '../common/application-error.js';
import { Roles } from '../common/auth.js';
import { UuidParam } from '../common/uuid-param.js';
import type { ApplicationDto } from '../modules/applications/dto/application.dto.js';
import { ConventionsService } from '../modules/conventions/conventions.service.js';
import { PutReportDto, type ReportDto } from '../modules/reports/dto/report.dto.js';
import { ReportsService } from '../modules/reports/reports.service.js';
import { PaymentsService } from '../modules/payments/payments.service.js';
import { SignedCopyService } from '../modules/payments/signed-copy.service.js';
import {
  gridView,
  one,
  parsePublics,
  rowsOfBudget,
  type BudgetRows,
  type Form,
  readGrid,
} from './dossier-forms.js';
import { DossierViewService } from './dossier-view.service.js';
import { refusalOf, validateForm, type FormFields } from './form-validation.js';
import {
  Pages,
  redirectWithFlash,
  sendDownload,
  sendPage,
  type FieldError,
  type PageRequest,
} from './pages.js';
import {
  parseReportFacts,
  readReportFacts,
  reportFactsValues,
  type ReportFactsValues,
} from './report-form.js';

const REPORT_FIELDS: FormFields = {
  achievements: { id: 'achievements', label: 'Ce qui a été réalisé' },
  varianceExplanation: { id: 'varianceExplanation', label: 'Explication des écarts' },
  'beneficiaries.total': { id: 'total', label: 'Nombre total de bénéficiaires' },
  'beneficiaries.qpvResidents': { id: 'qpvResidents', label: 'Dont habitants des quartiers prioritaires' },
  'beneficiaries.women': { id: 'women', label: 'Femmes' },
  'beneficiaries.men': { id: 'men', label: 'Hommes' },
  beneficiaries: { id: 'total', label: 'Bénéficiaires' },
  budget: { id: 'budget', label: 'Budget réalisé' },
  indicators: { id: 'indicatorAchieved-0', label: 'Valeur atteinte' },
  actualStartDate: { id: 'actualStartDate', label: 'Date de début réelle' },
  actualEndDate: { id: 'actualEndDate', label: 'Date de fin réelle' },
  'certification.signatoryName': { id: 'signatoryName', label: 'Nom du signataire' },
  'certification.signatoryRole': { id: 'signatoryRole', label: 'Qualité du signataire' },
  certification: { id: 'certifiesAccuracy', label: 'Attestation' },
  report: { id: 'achievements', label: 'Bilan' },
};

/** The fields of a dossier's report: the QPV residents' field is that of the dossier's first quarter. */
const reportFields = (dossier: ApplicationDto): FormFields => ({
  ...REPORT_FIELDS,
  'beneficiaries.byQpv': {
    id: dossier.qpvCodes.length ? `byQpv_${dossier.qpvCodes[0]}` : 'qpvResidents',
    label: 'Habitants touchés par quartier',
  },
});

/**
 * After the COPIL: the convention to download and the end-of-action report (CERFA 15059) of a funded
 * dossier, with the same patterns as the application (one page, the budget as the CERFA grid, the error
 * summary, « Enregistrer » keeps a draft, « Déposer le bilan » runs the report's checks).
 */
@Roles('ASSOCIATION')
@Pages('dossiers')
export class ReportPagesController {
  constructor(
    private readonly view: DossierViewService,
    private readonly reports: ReportsService,
    private readonly conventions: ConventionsService,
    private readonly payments: PaymentsService,
    private readonly signedCopies: SignedCopyService,
  ) {}

  @Get(':id/convention.pdf')
  async convention(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const { number, pdf } = await this.conventions.pdf(request.user!, id);
    response.setHeader('content-type', 'application/pdf');
    response.setHeader('content-disposition', `attachment; filename="${number}.pdf"`);
    response.setHeader('cache-control', 'no-store');
    response.send(pdf);
  }

  @Get(':id/convention-signee.pdf')
  async signedCopy(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const copy = await this.signedCopies.download(request.user!, id);
    sendDownload(response, { ...copy, contentType: 'application/pdf' });
  }

  private async report(request: PageRequest, id: string): Promise<ReportDto | undefined> {
    try {
      return await this.reports.get(request.user!, id);
    } catch (error) {
      if (error instanceof ApplicationError && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }
  }

  private async send(
    request: PageRequest,
    response: Response,
    dossier: ApplicationDto,
    report: ReportDto | undefined,
    values: Record<string, unknown>,
    facts: ReportFactsValues,
    rows: BudgetRows,
    errors: FieldError[] = [],
    status = 200,
  ) {
    const [financers, qpvs, payments] = await Promise.all([
      this.view.financers(request.user!),
      this.view.qpvs(request.user!),
      this.payments.list(request.user!, dossier.id),
    ]);
    const quarters = dossier.qpvCodes.map((code) => ({
      code,
      name: qpvs.find((qpv) => qpv.code === code)?.name ?? code,
    }));
    sendPage(
      request,
      response,
      'dossiers/report.njk',
      {
        dossier,
        report,
        values,
        facts,
        quarters,
        received: receivedOf(payments.items, financers),
        ...gridView(rows, financers),
        errors,
      },
      status,
    );
  }

  @Get(':id/bilan')
  async reportPage(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const dossier = await this.view.dossier(request.user!, id);
    const report = await this.report(request, id);
    // A first report starts from the forecast: the holder corrects what changed.
    const source = report ?? dossier;
    const b = source.beneficiaries;
    const values = {
      achievements: report?.achievements,
      varianceExplanation: report?.varianceExplanation,
      total: b?.total,
      qpvResidents: b?.qpvResidents,
      women: b?.women,
      men: b?.men,
    };
    await this.send(
      request,
      response,
      dossier,
      report,
      values,
      reportFactsValues(report, dossier),
      rowsOfBudget(source),
    );
  }

  @Post(':id/bilan')
  async saveReport(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Body() form: Form,
  ): Promise<void> {
    const dossier = await this.view.dossier(request.user!, id);
    const financers = await this.view.financers(request.user!);
    const values = {
      achievements: one(form, 'achievements'),
      varianceExplanation: one(form, 'varianceExplanation'),
      total: one(form, 'total'),
      qpvResidents: one(form, 'qpvResidents'),
      women: one(form, 'women'),
      men: one(form, 'men'),
    };
    const typed = readReportFacts(form);
    const grid = readGrid(form, financers);
    if (grid.edited)
      return this.send(
        request,
        response,
        dossier,
        await this.report(request, id),
        values,
        typed,
        grid.edited,
      );
    const { kept, parsed: budget } = grid;
    const publics = parsePublics({ ...form, qpvCodes: [] });
    const { facts, errors: factErrors } = parseReportFacts(typed, dossier);
    const fields = reportFields(dossier);
    const { value, errors } = await validateForm(
      PutReportDto,
      {
        achievements: values.achievements.trim(),
        varianceExplanation: values.varianceExplanation.trim() || undefined,
        beneficiaries: { ...publics.edit.beneficiaries, byQpv: facts.byQpv },
        budget: budget.edit.budget,
        indicators: facts.indicators,
        actualStartDate: facts.actualStartDate,
        actualEndDate: facts.actualEndDate,
        certification: facts.certification,
      },
      fields,
    );
    errors.unshift(...budget.errors, ...publics.errors, ...factErrors);
    if (errors.length === 0) {
      try {
        await this.reports.put(request.user!, id, value);
        if (one(form, 'submit') === '1') {
          await this.reports.submit(request.user!, id);
          return redirectWithFlash(request, response, `/dossiers/${id}`, 'Votre bilan est déposé. Merci.');
        }
        return redirectWithFlash(
          request,
          response,
          `/dossiers/${id}/bilan`,
          'Le bilan est enregistré ; vous pourrez le déposer plus tard.',
        );
      } catch (error) {
        errors.push(...refusalOf(error, fields));
      }
    }
    await this.send(
      request,
      response,
      dossier,
      await this.report(request, id),
      values,
      typed,
      kept,
      errors,
      422,
    );
  }
}

/** The money each financer has paid the holder so far (advances and balances paid, less recoveries). */
function receivedOf(
  payments: { partnerCode: string; kind: string; amountCents: number; status: string }[],
  financers: { code: string; name: string }[],
): { name: string; amountCents: number }[] {
  const byFinancer = new Map<string, number>();
  for (const payment of payments.filter((item) => item.status === 'PAID'))
    byFinancer.set(
      payment.partnerCode,
      (byFinancer.get(payment.partnerCode) ?? 0) +
        (payment.kind === 'RECOVERY' ? -payment.amountCents : payment.amountCents),
    );
  return [...byFinancer].map(([code, amountCents]) => ({
    name: financers.find((financer) => financer.code === code)?.name ?? code,
    amountCents,
  }));
}
