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
import { AttachmentsService } from '../../modules/attachments/attachments.service.js';
import { CampaignsService } from '../../modules/campaigns/campaigns.service.js';
import { one, type Form } from '../dossier-forms.js';
import { DossierViewService } from '../dossier-view.service.js';
import { validateForm, type FormFields } from '../form-validation.js';
import { Pages, sendDownload, sendPage, type FieldError, type PageRequest } from '../pages.js';
import { InstructionPageService } from './instruction-page.service.js';
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
    private readonly view: DossierViewService,
    private readonly attachments: AttachmentsService,
    private readonly page: InstructionPageService,
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

  @Get('dossiers/:id')
  async application(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    await this.page.send(request, response, id);
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
    if (errors.length) return this.page.send(request, response, id, { values, errors, status: 422 });
    await this.page.act(request, response, id, { fields: RETURN_FIELDS, values }, async () => {
      const dossier = await this.lifecycle.returnToHolder(request.user!, id, value.message);
      return `Le dossier ${dossier.reference} est renvoyé à son porteur, qui reçoit votre message par courriel.`;
    });
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
    if (errors.length) return this.page.send(request, response, id, { values, errors, status: 422 });
    await this.page.act(request, response, id, { fields: ELIGIBILITY_FIELDS, values }, async () => {
      const dossier = await this.lifecycle.decideEligibility(request.user!, id, validated.value);
      return `Le dossier ${dossier.reference} est déclaré ${dossier.status === 'ELIGIBLE' ? 'éligible' : 'inéligible'}.`;
    });
  }
}
