import { Body, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../../common/auth.js';
import { formatEuros, typedAmount } from '../../common/money.js';
import { parisDate } from '../../common/paris-time.js';
import { UuidParam } from '../../common/uuid-param.js';
import { ApplicationsService } from '../../modules/applications/applications.service.js';
import { ApplicationQueryDto } from '../../modules/applications/dto/application.dto.js';
import { CAMPAIGN_STATUS_LABELS, type CampaignStatus } from '../../modules/campaigns/campaign-status.js';
import { CampaignsService } from '../../modules/campaigns/campaigns.service.js';
import { CampaignQueryDto, CreateCampaignDto } from '../../modules/campaigns/dto/campaign.dto.js';
import { barChartSvg } from '../bars.js';
import type { Form } from '../dossier-forms.js';
import { DossierViewService } from '../dossier-view.service.js';
import { refusalOf, validateForm } from '../form-validation.js';
import { Pages, redirectWithFlash, sendPage, type FieldError, type PageRequest } from '../pages.js';
import {
  blankCampaignForm,
  CALENDAR_FIELDS,
  CAMPAIGN_FIELDS,
  dateOf,
  envelopeField,
  envelopeLabel,
  GRID_ROWS,
  nextDeadlines,
  parseCampaignForm,
  parseEnvelopeForm,
  RULE_FIELDS,
} from './campaign-forms.js';

/** The lifecycle's steps as the pages name them: the URL's word, the status reached, the button. */
const STEPS = {
  ouvrir: { to: 'OPEN', from: 'DRAFT', title: 'Ouvrir l’appel à projets', button: 'Ouvrir les dépôts' },
  'cloturer-depots': {
    to: 'REVIEW',
    from: 'OPEN',
    title: 'Clôturer les dépôts',
    button: 'Clôturer les dépôts',
  },
  'cloturer-programmation': {
    to: 'PROGRAMMED',
    from: 'REVIEW',
    title: 'Clôturer la programmation',
    button: 'Clôturer la programmation',
  },
} as const satisfies Record<
  string,
  { to: CampaignStatus; from: CampaignStatus; title: string; button: string }
>;
type StepKey = keyof typeof STEPS;

/**
 * The city team's year (web.md « City team »): the dashboard of its campaigns, a campaign's set-up (calendar
 * in order, rules, scoring grid, envelopes per financer and theme) and its lifecycle, each step confirmed on a
 * page that says what it will do.
 */
@Roles('CITY_TEAM')
@Pages('pilotage')
export class CampaignPagesController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly applications: ApplicationsService,
    private readonly view: DossierViewService,
  ) {}

  @Get()
  async dashboard(@Req() request: PageRequest, @Res() response: Response): Promise<void> {
    const user = request.user!;
    const page = await this.campaigns.list(
      user,
      Object.assign(new CampaignQueryDto(), { limit: 100, offset: 0 }),
    );
    const current = page.items.filter((campaign) => campaign.status !== 'PROGRAMMED').slice(0, 4);
    const shown = current.length ? current : page.items.slice(0, 1);
    const today = parisDate(new Date());
    const [counts, partners, themes, waiting] = await Promise.all([
      this.applications.statusCounts(
        user,
        shown.map((campaign) => campaign.id),
      ),
      this.view.partners(user),
      this.view.themes(user),
      this.applications.list(
        user,
        Object.assign(new ApplicationQueryDto(), {
          status: 'SUBMITTED',
          sort: 'submitted',
          limit: 10,
          offset: 0,
        }),
      ),
    ]);
    const cards = await Promise.all(
      shown.map(async (campaign) => {
        const envelopes =
          campaign.status === 'DRAFT' ? [] : (await this.campaigns.envelopes(user, campaign.id)).items;
        const rows = envelopes.map((envelope) => ({
          label: envelopeLabel(envelope, partners, themes),
          values: [envelope.amountCents, envelope.allocatedCents],
          remainingCents: envelope.remainingCents,
        }));
        return {
          campaign,
          counts: counts.get(campaign.id) ?? {},
          total: Object.values(counts.get(campaign.id) ?? {}).reduce((sum, count) => sum + count, 0),
          deadlines: nextDeadlines(campaign, today).slice(0, 3),
          envelopes: rows,
          chart: rows.length
            ? barChartSvg({
                title: `Consommation des enveloppes – ${campaign.title}`,
                series: [
                  { name: 'enveloppe', className: 'cdv-chart__bar--envelope' },
                  { name: 'accordé', className: 'cdv-chart__bar--granted' },
                ],
                rows,
                format: formatEuros,
              })
            : undefined,
        };
      }),
    );
    sendPage(request, response, 'city-team/dashboard.njk', {
      cards,
      campaigns: page.items,
      waiting,
      statusOrder: [
        'DRAFT',
        'SUBMITTED',
        'RETURNED',
        'ELIGIBLE',
        'INELIGIBLE',
        'PROGRAMMED',
        'REJECTED',
        'WITHDRAWN',
      ],
    });
  }

  @Get('campagnes/nouvelle')
  newCampaign(@Req() request: PageRequest, @Res() response: Response): void {
    this.sendCampaignForm(request, response, blankCampaignForm(new Date()), []);
  }

  private sendCampaignForm(request: PageRequest, response: Response, form: Form, errors: FieldError[]) {
    sendPage(
      request,
      response,
      'city-team/campaign-new.njk',
      { form, errors, calendarFields: CALENDAR_FIELDS, ruleFields: RULE_FIELDS, gridRows: GRID_ROWS },
      errors.length ? 422 : 200,
    );
  }

  @Post('campagnes/nouvelle')
  async create(@Req() request: PageRequest, @Res() response: Response, @Body() form: Form): Promise<void> {
    const { value, errors } = await validateForm(CreateCampaignDto, parseCampaignForm(form), CAMPAIGN_FIELDS);
    if (errors.length) return this.sendCampaignForm(request, response, form, errors);
    try {
      const campaign = await this.campaigns.create(request.user!, value);
      redirectWithFlash(
        request,
        response,
        `/pilotage/campagnes/${campaign.id}/enveloppes`,
        `L’appel à projets « ${campaign.title} » est créé. Saisissez maintenant les enveloppes des financeurs.`,
      );
    } catch (error) {
      this.sendCampaignForm(request, response, form, refusalOf(error, CAMPAIGN_FIELDS));
    }
  }

  @Get('campagnes/:id')
  async campaign(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const user = request.user!;
    const campaign = await this.campaigns.get(user, id);
    const [counts, envelopes, partners, themes] = await Promise.all([
      this.applications.statusCounts(user, [id]),
      this.campaigns.envelopes(user, id),
      this.view.partners(user),
      this.view.themes(user),
    ]);
    const step = (Object.keys(STEPS) as StepKey[]).find((key) => STEPS[key].from === campaign.status);
    sendPage(request, response, 'city-team/campaign.njk', {
      campaign,
      statusLabel: CAMPAIGN_STATUS_LABELS[campaign.status],
      calendar: CALENDAR_FIELDS.map(({ name, label }) => ({ key: label, value: dateOf(campaign[name]) })),
      rules: RULE_FIELDS.map(({ name, label }) => ({ key: label, value: `${campaign.rules[name]} %` })),
      counts: counts.get(id) ?? {},
      envelopes: envelopes.items.map((envelope) => ({
        ...envelope,
        label: envelopeLabel(envelope, partners, themes),
      })),
      step: step ? { key: step, ...STEPS[step] } : undefined,
    });
  }

  @Get('campagnes/:id/enveloppes')
  async envelopesForm(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const envelopes = await this.campaigns.envelopes(request.user!, id);
    const form: Form = Object.fromEntries(
      envelopes.items.map((envelope) => [
        envelopeField(envelope.partnerCode, envelope.themeCode ?? null),
        typedAmount(envelope.amountCents),
      ]),
    );
    await this.sendEnvelopeForm(request, response, id, form, []);
  }

  private async sendEnvelopeForm(
    request: PageRequest,
    response: Response,
    id: string,
    form: Form,
    errors: FieldError[],
  ) {
    const user = request.user!;
    const [campaign, envelopes, financers, themes] = await Promise.all([
      this.campaigns.get(user, id),
      this.campaigns.envelopes(user, id),
      this.view.financers(user),
      this.view.themes(user),
    ]);
    const allocated = new Map(
      envelopes.items.map((envelope) => [
        envelopeField(envelope.partnerCode, envelope.themeCode ?? null),
        envelope,
      ]),
    );
    const columns = [
      { code: null as string | null, label: 'Tous thèmes' },
      ...themes.map((theme) => ({ code: theme.code as string | null, label: theme.label })),
    ];
    sendPage(
      request,
      response,
      'city-team/envelopes.njk',
      {
        campaign,
        form,
        errors,
        columns,
        rows: financers.map((financer) => ({
          financer,
          cells: columns.map((column) => {
            const field = envelopeField(financer.code, column.code);
            return { field, column, allocated: allocated.get(field) };
          }),
        })),
      },
      errors.length ? 422 : 200,
    );
  }

  @Post('campagnes/:id/enveloppes')
  async saveEnvelopes(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Body() form: Form,
  ): Promise<void> {
    const user = request.user!;
    const [financers, themes] = await Promise.all([this.view.financers(user), this.view.themes(user)]);
    const { envelopes, refused } = parseEnvelopeForm(form, financers, themes);
    if (refused.length)
      return this.sendEnvelopeForm(
        request,
        response,
        id,
        form,
        refused.map((field) => ({
          id: field,
          message: 'Saisissez un montant en euros, comme 12 000 ou 12 000,50.',
        })),
      );
    try {
      await this.campaigns.putEnvelopes(user, id, { envelopes });
      redirectWithFlash(request, response, `/pilotage/campagnes/${id}`, 'Les enveloppes sont enregistrées.');
    } catch (error) {
      const first = envelopes[0]
        ? envelopeField(envelopes[0].partnerCode, envelopes[0].themeCode ?? null)
        : 'contenu';
      const errors = refusalOf(error, { envelopes: { id: first, label: 'Enveloppes' } });
      await this.sendEnvelopeForm(request, response, id, form, errors);
    }
  }

  @Get('campagnes/:id/etape/:step')
  async confirmStep(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Param('step') key: string,
  ): Promise<void> {
    await this.sendStep(request, response, id, key, []);
  }

  private async sendStep(
    request: PageRequest,
    response: Response,
    id: string,
    key: string,
    errors: FieldError[],
  ): Promise<void> {
    const user = request.user!;
    const step = STEPS[key as StepKey];
    const campaign = await this.campaigns.get(user, id);
    if (!step) return response.redirect(303, `/pilotage/campagnes/${id}`);
    const counts = (await this.applications.statusCounts(user, [id])).get(id) ?? {};
    const undecided =
      step.to === 'PROGRAMMED' && counts.ELIGIBLE
        ? (
            await this.applications.list(
              user,
              Object.assign(new ApplicationQueryDto(), {
                campaignId: id,
                status: 'ELIGIBLE',
                limit: 50,
                offset: 0,
              }),
            )
          ).items
        : [];
    sendPage(
      request,
      response,
      'city-team/campaign-step.njk',
      {
        campaign,
        step: { key, ...step },
        counts,
        undecided,
        submissionDeadline: dateOf(campaign.submissionDeadline),
        reviewDeadline: dateOf(campaign.reviewDeadline),
        errors,
      },
      errors.length ? 409 : 200,
    );
  }

  @Post('campagnes/:id/etape/:step')
  async step(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Param('step') key: string,
  ): Promise<void> {
    const step = STEPS[key as StepKey];
    if (!step) return response.redirect(303, `/pilotage/campagnes/${id}`);
    try {
      const campaign = await this.campaigns.transition(request.user!, id, step.to);
      redirectWithFlash(
        request,
        response,
        `/pilotage/campagnes/${id}`,
        `« ${campaign.title} » : ${CAMPAIGN_STATUS_LABELS[campaign.status].toLowerCase()}.`,
      );
    } catch (error) {
      await this.sendStep(
        request,
        response,
        id,
        key,
        refusalOf(error, { status: { id: 'confirmer', label: step.title } }),
      );
    }
  }
}
