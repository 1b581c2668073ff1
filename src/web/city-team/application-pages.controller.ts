import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../../common/auth.js';
import { csvLine } from '../../common/csv-write.js';
import { frenchDecimal } from '../../common/money.js';
import { parisDate } from '../../common/paris-time.js';
import { UuidParam } from '../../common/uuid-param.js';
import { APPLICATION_STATUSES, STATUS_LABELS } from '../../modules/applications/application-status.js';
import { ApplicationsService } from '../../modules/applications/applications.service.js';
import {
  APPLICATION_SORTS,
  ApplicationQueryDto,
  EligibilityDto,
  ReturnApplicationDto,
  type ApplicationSort,
} from '../../modules/applications/dto/application.dto.js';
import { ApplicationLifecycleService } from '../../modules/applications/lifecycle.service.js';
import { ApplicationError } from '../../common/application-error.js';
import type { AuthUser } from '../../common/auth.js';
import { ConventionsService } from '../../modules/conventions/conventions.service.js';
import { PaidInputDto, ReturnReportDto, SignatureInputDto } from '../../modules/payments/dto/payment.dto.js';
import { PaymentsService } from '../../modules/payments/payments.service.js';
import { ReportsService } from '../../modules/reports/reports.service.js';
import { AttachmentsService } from '../../modules/attachments/attachments.service.js';
import { AuditService } from '../../modules/audit/audit.service.js';
import { AuditQueryDto } from '../../modules/audit/dto/audit-event.dto.js';
import { CampaignsService } from '../../modules/campaigns/campaigns.service.js';
import { ReviewsService } from '../../modules/reviews/reviews.service.js';
import { one, type Form } from '../dossier-forms.js';
import { DossierViewService, KIND_LABELS } from '../dossier-view.service.js';
import { refusalOf, validateForm, type FormFields } from '../form-validation.js';
import {
  Pages,
  redirectWithFlash,
  sendDownload,
  sendPage,
  type FieldError,
  type PageRequest,
} from '../pages.js';
import { OPINION_LABELS, auditLines } from './labels.js';
import { listLink, pageNumberOf, pagination } from '../list-links.js';

const PAGE_SIZE = 50;
const CSV_HEADER = [
  'Référence',
  'Intitulé',
  'Porteur',
  'Thème',
  'Quartiers',
  'Statut',
  'Coût de l’action (€)',
  'Demandé (€)',
  'Déposé le',
];

/** The list's filters as the URL carries them (a GET form: a view can be bookmarked and shared). */
function filtersOf(query: Record<string, string | undefined>) {
  const status = APPLICATION_STATUSES.find((value) => value === query.statut);
  return {
    q: (query.q ?? '').slice(0, 100),
    status: status ?? '',
    theme: (query.theme ?? '').slice(0, 10),
    qpv: (query.qpv ?? '').slice(0, 12),
    financer: (query.financeur ?? '').slice(0, 20),
    check: query.controle === 'FAIL' || query.controle === 'WARN' ? query.controle : '',
    sort: (APPLICATION_SORTS.find((value) => value === query.tri) ?? 'reference') as ApplicationSort,
    page: pageNumberOf(query),
  };
}
type Filters = ReturnType<typeof filtersOf>;

function queryOf(campaignId: string, filters: Filters, limit: number, offset: number): ApplicationQueryDto {
  return Object.assign(new ApplicationQueryDto(), {
    campaignId,
    q: filters.q || undefined,
    status: filters.status || undefined,
    themeCode: filters.theme || undefined,
    qpvCode: filters.qpv || undefined,
    partnerCode: filters.financer || undefined,
    check: filters.check || undefined,
    sort: filters.sort,
    limit,
    offset,
  });
}

/** The list's parameters in its URL, as the form names them. */
function paramsOf(filters: Filters) {
  return {
    q: filters.q,
    statut: filters.status,
    theme: filters.theme,
    qpv: filters.qpv,
    financeur: filters.financer,
    controle: filters.check,
    tri: filters.sort === 'reference' ? '' : filters.sort,
  };
}

const SIGNATURE_FIELDS: FormFields = {
  party: { id: 'party', label: 'Partie qui signe' },
  signedOn: { id: 'signedOn', label: 'Date de signature' },
};
const PAYMENT_KIND_LABELS: Record<string, string> = {
  ADVANCE: 'Avance',
  BALANCE: 'Solde',
  RECOVERY: 'Reversement',
};

const RETURN_FIELDS: FormFields = { message: { id: 'message', label: 'Ce que le porteur doit compléter' } };
const ELIGIBILITY_FIELDS: FormFields = {
  eligible: { id: 'eligible', label: 'Décision d’éligibilité' },
  reason: { id: 'reason', label: 'Motif' },
};

/**
 * The city team's applications (web.md « City team »): the campaign's list with its filters, sort, search,
 * pages and CSV, all in the URL; an application's instruction page: the whole dossier, its checks,
 * « Demander des compléments » (emailed), the eligibility with its reason, the financers' reviews, the
 * history and the audit trail.
 */
@Roles('CITY_TEAM')
@Pages('pilotage')
export class ApplicationPagesController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly lifecycle: ApplicationLifecycleService,
    private readonly campaigns: CampaignsService,
    private readonly reviews: ReviewsService,
    private readonly audit: AuditService,
    private readonly view: DossierViewService,
    private readonly attachments: AttachmentsService,
    private readonly payments: PaymentsService,
    private readonly conventions: ConventionsService,
    private readonly reports: ReportsService,
  ) {}

  @Get('campagnes/:id/dossiers')
  async list(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) campaignId: string,
    @Query() query: Record<string, string | undefined>,
  ): Promise<void> {
    const user = request.user!;
    const filters = filtersOf(query);
    const campaign = await this.campaigns.get(user, campaignId);
    const [page, themes, qpvs, financers] = await Promise.all([
      this.applications.list(user, queryOf(campaignId, filters, PAGE_SIZE, (filters.page - 1) * PAGE_SIZE)),
      this.view.themes(user),
      this.view.qpvs(user),
      this.view.financers(user),
    ]);
    const base = `/pilotage/campagnes/${campaignId}/dossiers`;
    sendPage(request, response, 'city-team/applications.njk', {
      campaign,
      section: 'applications',
      page,
      filters,
      themes,
      qpvs,
      financers,
      statuses: APPLICATION_STATUSES.map((value) => ({ value, text: STATUS_LABELS[value] })),
      sorts: [
        { value: 'reference', text: 'Référence' },
        { value: '-requested', text: 'Montant demandé, le plus élevé d’abord' },
        { value: 'submitted', text: 'Date de dépôt, la plus ancienne d’abord' },
        { value: 'holder', text: 'Porteur (ordre alphabétique)' },
      ],
      csv: listLink(`${base}.csv`, paramsOf(filters)),
      ...pagination(base, paramsOf(filters), filters.page, page.total, PAGE_SIZE),
      themeLabels: Object.fromEntries(themes.map((theme) => [theme.code, theme.label])),
    });
  }

  /** The list as its filters give it, every page, `;`-separated UTF-8 with BOM (French Excel). */
  @Get('campagnes/:id/dossiers.csv')
  async csv(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) campaignId: string,
    @Query() query: Record<string, string | undefined>,
  ): Promise<void> {
    const user = request.user!;
    const filters = filtersOf(query);
    const campaign = await this.campaigns.get(user, campaignId);
    const themes = await this.view.themes(user);
    const label = new Map(themes.map((theme) => [theme.code, theme.label]));
    response.setHeader('content-type', 'text/csv; charset=utf-8');
    response.setHeader('content-disposition', `attachment; filename="dossiers-${campaign.year}.csv"`);
    response.write('\uFEFF' + csvLine(CSV_HEADER, ';'));
    for (let offset = 0; ; offset += 1000) {
      const page = await this.applications.list(user, queryOf(campaignId, filters, 1000, offset));
      response.write(
        page.items
          .map((item) =>
            csvLine(
              [
                item.reference,
                item.title,
                item.holderName,
                label.get(item.themeCode) ?? item.themeCode,
                item.qpvCodes.join(', '),
                STATUS_LABELS[item.status],
                frenchDecimal(item.totalCostCents),
                frenchDecimal(item.requestedCents),
                item.submittedAt ? parisDate(new Date(item.submittedAt)) : '',
              ],
              ';',
            ),
          )
          .join(''),
      );
      if (offset + 1000 >= page.total) break;
    }
    response.end();
  }

  private async load(request: PageRequest, id: string) {
    const user = request.user!;
    const dossier = await this.applications.get(user, id);
    const [campaign, reviews, audit, financers, qpvs, themes] = await Promise.all([
      this.campaigns.get(user, dossier.campaignId),
      this.reviews.list(user, id),
      this.audit.list(
        user,
        Object.assign(new AuditQueryDto(), {
          tableName: 'grant_applications',
          rowId: id,
          limit: 50,
          offset: 0,
        }),
      ),
      this.view.partners(user),
      this.view.qpvs(user),
      this.view.themes(user),
    ]);
    return {
      dossier,
      campaign,
      followUp: dossier.status === 'PROGRAMMED' ? await this.followUp(user, id) : undefined,
      reviews: reviews.items,
      audit: auditLines(audit.items),
      auditTotal: audit.total,
      financerNames: Object.fromEntries(financers.map((financer) => [financer.code, financer.name])),
      qpvNames: dossier.qpvCodes.map((code) => qpvs.find((qpv) => qpv.code === code)?.name ?? code),
      themeLabel: themes.find((theme) => theme.code === dossier.themeCode)?.label ?? dossier.themeCode,
      kindLabels: KIND_LABELS,
      opinionLabels: OPINION_LABELS,
      section: 'applications',
    };
  }

  /** After the COPIL: the convention and its signatures, the payments, the report (each absent until it exists). */
  private async followUp(user: AuthUser, id: string) {
    const absent = (error: unknown) => {
      if (error instanceof ApplicationError && error.status === 404) return undefined;
      throw error;
    };
    const [convention, signatures, payments, report] = await Promise.all([
      this.conventions.status(user, id).catch(absent),
      this.payments.signatures(user, id).catch(absent),
      this.payments.list(user, id),
      this.reports.get(user, id).catch(absent),
    ]);
    return { convention, signatures, payments: payments.items, report, kindLabels: PAYMENT_KIND_LABELS };
  }

  /** Records one party's signature of the convention. */
  @Post('dossiers/:id/signatures')
  async sign(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Body() form: Form,
  ): Promise<void> {
    const values = { party: one(form, 'party'), signedOn: one(form, 'signedOn') };
    const { value, errors } = await validateForm(SignatureInputDto, values, SIGNATURE_FIELDS);
    if (errors.length) return this.send(request, response, id, { values, errors, status: 422 });
    try {
      const signatures = await this.payments.sign(request.user!, id, value);
      redirectWithFlash(
        request,
        response,
        `/pilotage/dossiers/${id}#suivi`,
        signatures.status === 'SIGNED'
          ? 'La convention est signée par toutes les parties : les avances sont dues.'
          : 'La signature est enregistrée.',
      );
    } catch (error) {
      const refused = refusalOf(error, SIGNATURE_FIELDS);
      await this.send(request, response, id, { values, errors: refused, status: 422 });
    }
  }

  /** Marks a payment paid, with its date and the financer's commitment reference. */
  @Post('dossiers/:id/versements/:paymentId')
  async paid(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Param('paymentId', UuidParam) paymentId: string,
    @Body() form: Form,
  ): Promise<void> {
    const fields: FormFields = {
      paidOn: { id: `paidOn-${paymentId}`, label: 'Payé le' },
      engagementReference: { id: `ej-${paymentId}`, label: 'Engagement juridique (EJ)' },
    };
    const values = { paidOn: one(form, 'paidOn'), engagementReference: one(form, 'engagementReference') };
    const plain = {
      paidOn: values.paidOn,
      ...(values.engagementReference.trim()
        ? { engagementReference: values.engagementReference.trim() }
        : {}),
    };
    const { value, errors } = await validateForm(PaidInputDto, plain, fields);
    const typed = { [`paidOn-${paymentId}`]: values.paidOn, [`ej-${paymentId}`]: values.engagementReference };
    if (errors.length) return this.send(request, response, id, { values: typed, errors, status: 422 });
    try {
      await this.payments.markPaid(request.user!, id, paymentId, value);
      redirectWithFlash(request, response, `/pilotage/dossiers/${id}#suivi`, 'Le paiement est enregistré.');
    } catch (error) {
      await this.send(request, response, id, {
        values: typed,
        errors: refusalOf(error, fields),
        status: 409,
      });
    }
  }

  /** Accepts the submitted report: each grant is settled into a balance or a recovery. */
  @Post('dossiers/:id/bilan/accepter')
  async acceptReport(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    try {
      await this.payments.acceptReport(request.user!, id);
      redirectWithFlash(
        request,
        response,
        `/pilotage/dossiers/${id}#suivi`,
        'Le bilan est accepté : les soldes ou reversements sont calculés.',
      );
    } catch (error) {
      const errors = refusalOf(error, { report: { id: 'bilan', label: 'Bilan' } });
      await this.send(request, response, id, { errors, status: 409 });
    }
  }

  /** Returns the submitted report to its holder with what to correct (emailed). */
  @Post('dossiers/:id/bilan/renvoyer')
  async returnReport(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Body() form: Form,
  ): Promise<void> {
    const fields: FormFields = { message: { id: 'reportMessage', label: 'Ce que le porteur doit corriger' } };
    const values = { reportMessage: one(form, 'message') };
    const { value, errors } = await validateForm(ReturnReportDto, { message: values.reportMessage }, fields);
    if (errors.length) return this.send(request, response, id, { values, errors, status: 422 });
    try {
      await this.payments.returnReport(request.user!, id, value.message);
      redirectWithFlash(
        request,
        response,
        `/pilotage/dossiers/${id}#suivi`,
        'Le bilan est renvoyé à son porteur, qui reçoit votre message par courriel.',
      );
    } catch (error) {
      await this.send(request, response, id, { values, errors: refusalOf(error, fields), status: 409 });
    }
  }

  private async send(
    request: PageRequest,
    response: Response,
    id: string,
    extra: { values?: Record<string, string>; errors?: FieldError[]; status?: number } = {},
  ) {
    const loaded = await this.load(request, id);
    sendPage(
      request,
      response,
      'city-team/application.njk',
      { ...loaded, values: extra.values ?? {}, errors: extra.errors ?? [] },
      extra.status ?? 200,
    );
  }

  @Get('dossiers/:id')
  async application(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    await this.send(request, response, id);
  }

  @Get('dossiers/:id/pieces/:attachmentId')
  async download(
    @Res() response: Response,
    @Req() request: PageRequest,
    @Param('id', UuidParam) id: string,
    @Param('attachmentId', UuidParam) attachmentId: string,
  ): Promise<void> {
    sendDownload(response, await this.attachments.download(request.user!, id, attachmentId));
  }

  /** « Demander des compléments »: the dossier goes back to its holder, who is emailed the message. */
  @Post('dossiers/:id/complements')
  async returnToHolder(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Body() form: Form,
  ): Promise<void> {
    const values = { message: one(form, 'message') };
    const { value, errors } = await validateForm(ReturnApplicationDto, values, RETURN_FIELDS);
    if (errors.length) return this.send(request, response, id, { values, errors, status: 422 });
    try {
      const dossier = await this.lifecycle.returnToHolder(request.user!, id, value.message);
      redirectWithFlash(
        request,
        response,
        `/pilotage/dossiers/${id}`,
        `Le dossier ${dossier.reference} est renvoyé à son porteur, qui reçoit votre message par courriel.`,
      );
    } catch (error) {
      await this.send(request, response, id, {
        values,
        errors: refusalOf(error, RETURN_FIELDS),
        status: 409,
      });
    }
  }

  /** The eligibility decision; an ineligible dossier needs the reason its holder will read. */
  @Post('dossiers/:id/eligibilite')
  async eligibility(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Body() form: Form,
  ): Promise<void> {
    const values = { eligible: one(form, 'eligible'), reason: one(form, 'reason') };
    const errors: FieldError[] = [];
    if (values.eligible !== 'oui' && values.eligible !== 'non')
      errors.push({ id: 'eligible', message: 'Dites si le dossier est éligible.' });
    if (values.eligible === 'non' && !values.reason.trim())
      errors.push({ id: 'reason', message: 'Donnez le motif de l’inéligibilité : le porteur le lira.' });
    const plain = {
      eligible: values.eligible === 'oui',
      ...(values.reason.trim() ? { reason: values.reason } : {}),
    };
    const validated = await validateForm(EligibilityDto, plain, ELIGIBILITY_FIELDS);
    errors.push(...(errors.length ? [] : validated.errors));
    if (errors.length) return this.send(request, response, id, { values, errors, status: 422 });
    try {
      const dossier = await this.lifecycle.decideEligibility(request.user!, id, validated.value);
      redirectWithFlash(
        request,
        response,
        `/pilotage/dossiers/${id}`,
        `Le dossier ${dossier.reference} est déclaré ${dossier.status === 'ELIGIBLE' ? 'éligible' : 'inéligible'}.`,
      );
    } catch (error) {
      await this.send(request, response, id, {
        values,
        errors: refusalOf(error, ELIGIBILITY_FIELDS),
        status: 409,
      });
    }
  }
}
