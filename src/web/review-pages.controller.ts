import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApplicationError, notFound } from '../common/application-error.js';
import { pipeline } from 'node:stream/promises';
import { formatEuros, typedAmount } from '../common/money.js';
import { CampaignQueryDto } from '../modules/campaigns/dto/campaign.dto.js';
import { ProgrammingService } from '../modules/programming/programming.service.js';
import { barChartSvg } from './bars.js';
import { Roles } from '../common/auth.js';
import { parseFrenchAmount } from '../common/money.js';
import { UuidParam } from '../common/uuid-param.js';
import { ApplicationsService } from '../modules/applications/applications.service.js';
import type { ApplicationDto } from '../modules/applications/dto/application.dto.js';
import { AttachmentsService } from '../modules/attachments/attachments.service.js';
import { CampaignsService } from '../modules/campaigns/campaigns.service.js';
import { ConflictOfInterestDto, PutReviewDto, type ReviewDto } from '../modules/reviews/dto/review.dto.js';
import { ReviewsService } from '../modules/reviews/reviews.service.js';
import { OPINIONS } from '../modules/reviews/review.entity.js';
import { weightedScore } from '../modules/reviews/scoring.js';
import { one, type Form } from './dossier-forms.js';
import { OPINION_LABELS } from './city-team/labels.js';
import { pageNumberOf } from './list-links.js';
import { DossierViewService, KIND_LABELS } from './dossier-view.service.js';
import { refusalOf, validateForm, type FormFields } from './form-validation.js';
import {
  Pages,
  sendDownload,
  redirectWithFlash,
  sendPage,
  type FieldError,
  type PageRequest,
} from './pages.js';

const PAGE_SIZE = 25;
const TABS = [
  { key: 'a-evaluer', state: 'TODO', title: 'À évaluer' },
  { key: 'evalues', state: 'DONE', title: 'Évalués' },
  { key: 'tous', state: undefined, title: 'Tous' },
] as const;

interface Criterion {
  code: string;
  label: string;
  weight: number;
}

/** The queue's filters as the URL carries them (a GET form, so a view can be bookmarked). */
function filtersOf(query: Record<string, string | undefined>) {
  const tab = TABS.find((candidate) => candidate.key === query.onglet) ?? TABS[0];
  const amount = (typed?: string) => (typed ? parseFrenchAmount(typed) : undefined);
  const page = pageNumberOf(query);
  return {
    tab,
    theme: (query.theme ?? '').slice(0, 10),
    qpv: (query.qpv ?? '').slice(0, 12),
    min: query.min ?? '',
    max: query.max ?? '',
    minCents: amount(query.min),
    maxCents: amount(query.max),
    sort:
      (['deadline', 'amount', 'score', 'reference'] as const).find((value) => value === query.tri) ??
      'deadline',
    page,
  };
}

/**
 * The financers' review desk (web.md « Financer »): the queue of the applications that ask my partner for
 * money, in tabs with their counts, filtered and sorted by GET parameters; an application beside its scoring
 * form (« Enregistrer le brouillon », « Valider l'avis »), a colleague's concurrent save shown side by side
 * with mine, never overwritten silently; « Déclarer un conflit d'intérêts » after confirmation.
 */
@Roles('FINANCER')
@Pages('instruction')
export class ReviewPagesController {
  constructor(
    private readonly reviews: ReviewsService,
    private readonly applications: ApplicationsService,
    private readonly campaigns: CampaignsService,
    private readonly view: DossierViewService,
    private readonly attachments: AttachmentsService,
    private readonly programming: ProgrammingService,
  ) {}

  @Get()
  async queue(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Query() query: Record<string, string | undefined>,
  ): Promise<void> {
    const filters = filtersOf(query);
    const user = request.user!;
    const { items, total, counts } = await this.reviews.desk(user, {
      limit: PAGE_SIZE,
      offset: (filters.page - 1) * PAGE_SIZE,
      state: filters.tab.state,
      themeCode: filters.theme || undefined,
      qpvCode: filters.qpv || undefined,
      minRequestedCents: filters.minCents,
      maxRequestedCents: filters.maxCents,
      sort: filters.sort,
    });
    const [themes, qpvs] = await Promise.all([this.view.themes(user), this.view.qpvs(user)]);
    const link = (changes: Record<string, string | number>) => {
      const params = new URLSearchParams({
        onglet: filters.tab.key,
        theme: filters.theme,
        qpv: filters.qpv,
        min: filters.min,
        max: filters.max,
        tri: filters.sort,
        ...Object.fromEntries(Object.entries(changes).map(([key, value]) => [key, String(value)])),
      });
      for (const [key, value] of [...params.entries()]) if (value === '') params.delete(key);
      return `/instruction?${params.toString()}`;
    };
    sendPage(request, response, 'instruction/queue.njk', {
      items,
      total,
      filters,
      tabs: TABS.map((tab) => ({
        ...tab,
        count:
          tab.state === 'DONE' ? counts.done : tab.state === 'TODO' ? counts.all - counts.done : counts.all,
        href: link({ onglet: tab.key, page: 1 }),
        current: tab.key === filters.tab.key,
      })),
      themes,
      qpvs,
      previous: filters.page > 1 ? link({ page: filters.page - 1 }) : undefined,
      next: filters.page * PAGE_SIZE < total ? link({ page: filters.page + 1 }) : undefined,
      pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
      opinionLabels: OPINION_LABELS,
    });
  }

  /** The campaign the synthesis shows: the one named, else the latest the financer may read. */
  private async campaignOf(request: PageRequest, named?: string) {
    const page = await this.campaigns.list(
      request.user!,
      Object.assign(new CampaignQueryDto(), { limit: 100, offset: 0 }),
    );
    const campaigns = page.items.sort((a, b) => b.year - a.year);
    return {
      campaigns,
      campaign:
        campaigns.find((item) => item.id === named) ??
        campaigns.find((item) => item.status === 'REVIEW') ??
        campaigns[0],
    };
  }

  /** My partner's envelope per theme beside what is asked and proposed, as bars with their table. */
  @Get('synthese')
  async synthesis(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Query('campagne') named?: string,
  ): Promise<void> {
    const user = request.user!;
    const { campaigns, campaign } = await this.campaignOf(request, named);
    const [table, themes] = campaign
      ? await Promise.all([this.programming.table(user, campaign.id), this.view.themes(user)])
      : [undefined, []];
    const themeLabel = (code: string | null) =>
      code === null ? 'Tous thèmes' : (themes.find((theme) => theme.code === code)?.label ?? code);
    const rows = (table?.byThemeAndFinancer ?? [])
      .filter((row) => row.partnerCode === user.partnerCode)
      .map((row) => ({ ...row, label: themeLabel(row.themeCode) }));
    const chart = barChartSvg({
      title: 'Enveloppe, montants demandés et proposés par thème',
      series: [
        { name: 'Enveloppe', className: 'cdv-chart__bar--envelope' },
        { name: 'Demandé', className: 'cdv-chart__bar--requested' },
        { name: 'Proposé', className: 'cdv-chart__bar--proposed' },
      ],
      rows: rows.map((row) => ({
        label: row.label,
        values: [row.envelopeCents, row.requestedCents, row.proposedCents],
      })),
      format: formatEuros,
    });
    sendPage(request, response, 'instruction/synthesis.njk', { campaigns, campaign, rows, chart });
  }

  /** The programming of the campaign as CSV (one row per application × financer), as the API gives it. */
  @Get('synthese.csv')
  async synthesisCsv(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Query('campagne') named?: string,
  ): Promise<void> {
    const { campaign } = await this.campaignOf(request, named);
    if (!campaign) throw notFound('Appel à projets');
    const stream = await this.programming.programmingCsv(request.user!, campaign.id);
    response.setHeader('content-type', 'text/csv; charset=utf-8');
    response.setHeader('content-disposition', `attachment; filename="programmation-${campaign.year}.csv"`);
    await pipeline(stream, response).catch(() => response.destroy());
  }

  /** The application, the partner's review, the campaign's grid and its deadline. */
  private async load(request: PageRequest, id: string) {
    const user = request.user!;
    const dossier = await this.applications.get(user, id);
    const [campaign, reviews, financers, qpvs] = await Promise.all([
      this.campaigns.findVisible(user, dossier.campaignId),
      this.reviews.list(user, id),
      this.view.financers(user),
      this.view.qpvs(user),
    ]);
    const own = reviews.items.find((review) => review.partnerCode === user.partnerCode);
    const open = campaign.status === 'REVIEW' && Date.now() <= campaign.reviewDeadline.getTime();
    return {
      dossier,
      grid: (campaign.scoringGrid ?? []) as Criterion[],
      reviewDeadline: campaign.reviewDeadline,
      open,
      own,
      others: reviews.items.filter((review) => review.partnerCode !== user.partnerCode),
      requested: dossier.requests.find((item) => item.partnerCode === user.partnerCode)?.requestedCents ?? 0,
      financerNames: Object.fromEntries(financers.map((financer) => [financer.code, financer.name])),
      qpvNames: dossier.qpvCodes.map((code) => qpvs.find((qpv) => qpv.code === code)?.name ?? code),
    };
  }

  private valuesOf(review: ReviewDto | undefined, grid: Criterion[]) {
    return {
      ...Object.fromEntries(
        grid.map((criterion) => [
          `score-${criterion.code}`,
          review?.scores[criterion.code]?.toString() ?? '',
        ]),
      ),
      opinion: review?.opinion ?? '',
      proposed:
        review?.proposedAmountCents === null || review?.proposedAmountCents === undefined
          ? ''
          : typedAmount(review.proposedAmountCents),
      comment: review?.comment ?? '',
      version: review?.version ?? 0,
    };
  }

  private send(
    request: PageRequest,
    response: Response,
    loaded: Awaited<ReturnType<ReviewPagesController['load']>>,
    values: Record<string, unknown>,
    errors: FieldError[] = [],
    status = 200,
    conflict?: { theirs: Record<string, unknown>; them: ReviewDto },
  ) {
    sendPage(
      request,
      response,
      'instruction/review.njk',
      {
        ...loaded,
        values,
        errors,
        conflict,
        opinions: OPINIONS.map((value) => ({ value, text: OPINION_LABELS[value] })),
        opinionLabels: OPINION_LABELS,
        kindLabels: KIND_LABELS,
        ownPartner: request.user!.partnerCode,
        totalWeight: loaded.grid.reduce((sum, criterion) => sum + criterion.weight, 0),
        // The weighted score of what the form holds, as the review will count it (the script keeps it live).
        typedScore:
          weightedScore(
            Object.fromEntries(
              loaded.grid
                .filter((criterion) => /^[0-5]$/.test(String(values[`score-${criterion.code}`] ?? '')))
                .map((criterion) => [criterion.code, Number(values[`score-${criterion.code}`])]),
            ),
            loaded.grid,
          )?.toLocaleString('fr-FR') ?? null,
      },
      status,
    );
  }

  @Get(':id')
  async reviewPage(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const loaded = await this.load(request, id);
    this.send(request, response, loaded, this.valuesOf(loaded.own, loaded.grid));
  }

  /** « Enregistrer le brouillon » (incomplete allowed) or « Valider l'avis » (every criterion required). */
  @Post(':id')
  async saveReview(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Body() form: Form,
  ): Promise<void> {
    const loaded = await this.load(request, id);
    const final = one(form, 'action') === 'final';
    const values: Record<string, unknown> = {
      ...Object.fromEntries(
        loaded.grid.map((criterion) => [`score-${criterion.code}`, one(form, `score-${criterion.code}`)]),
      ),
      opinion: one(form, 'opinion'),
      proposed: one(form, 'proposed'),
      comment: one(form, 'comment'),
      version: Number(one(form, 'version')) || 0,
    };
    const fields: FormFields = {
      ...Object.fromEntries(
        loaded.grid.map((criterion) => [
          `scores.${criterion.code}`,
          { id: `score-${criterion.code}`, label: criterion.label },
        ]),
      ),
      scores: { id: `score-${loaded.grid[0]?.code ?? 'x'}`, label: 'Notes' },
      opinion: { id: 'opinion', label: 'Avis' },
      proposedAmountCents: { id: 'proposed', label: 'Montant proposé' },
      comment: { id: 'comment', label: 'Commentaire' },
      version: { id: 'opinion', label: 'Avis' },
    };
    const errors: FieldError[] = [];
    const scores: Record<string, number> = {};
    for (const criterion of loaded.grid) {
      const typed = String(values[`score-${criterion.code}`]);
      if (typed !== '') scores[criterion.code] = Number(typed);
    }
    const proposedTyped = String(values.proposed).trim();
    const proposedAmountCents = proposedTyped === '' ? undefined : parseFrenchAmount(proposedTyped);
    if (proposedTyped !== '' && proposedAmountCents === undefined)
      errors.push({ id: 'proposed', message: 'Indiquez un montant en euros, comme 4 270 ou 4 270,50.' });
    const { value, errors: invalid } = await validateForm(
      PutReviewDto,
      {
        scores,
        opinion: values.opinion || undefined,
        proposedAmountCents,
        comment: String(values.comment),
        final,
        version: Number(values.version) || undefined,
      },
      fields,
    );
    errors.push(...invalid);
    if (errors.length === 0) {
      try {
        await this.reviews.put(request.user!, id, request.user!.partnerCode!, value);
        return redirectWithFlash(
          request,
          response,
          final ? '/instruction' : `/instruction/${id}`,
          final
            ? `Votre avis sur ${loaded.dossier.reference} est validé.`
            : 'Le brouillon de votre avis est enregistré.',
        );
      } catch (error) {
        if (error instanceof ApplicationError && error.code === 'REVIEW_VERSION_CONFLICT') {
          // A colleague saved meanwhile: their version beside mine, mine kept; saving again replaces theirs.
          const fresh = await this.load(request, id);
          const them = fresh.own!;
          return this.send(
            request,
            response,
            fresh,
            { ...values, version: them.version },
            [
              {
                id: 'conflit',
                message:
                  'Un collègue a enregistré cet avis pendant que vous le remplissiez : comparez, puis enregistrez à nouveau.',
              },
            ],
            409,
            { theirs: this.valuesOf(them, fresh.grid), them },
          );
        }
        errors.push(...refusalOf(error, fields));
      }
    }
    this.send(request, response, loaded, values, errors, 422);
  }

  /** Opens one of the application's documents (as the API: never inline). */
  @Get(':id/pieces/:attachmentId')
  async download(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Param('attachmentId', UuidParam) attachmentId: string,
  ): Promise<void> {
    sendDownload(response, await this.attachments.download(request.user!, id, attachmentId));
  }

  @Get(':id/conflit')
  async conflictPage(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const dossier: ApplicationDto = await this.applications.get(request.user!, id);
    sendPage(request, response, 'instruction/conflict.njk', { dossier, values: {} });
  }

  /** Declares a conflict of interest: the application leaves my queue, and its page says why. */
  @Post(':id/conflit')
  async declareConflict(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Body() form: Form,
  ): Promise<void> {
    const dossier = await this.applications.get(request.user!, id);
    const values = { reason: one(form, 'reason') };
    const fields: FormFields = { reason: { id: 'reason', label: 'Motif' } };
    const { value, errors } = await validateForm(
      ConflictOfInterestDto,
      { reason: values.reason.trim() },
      fields,
    );
    if (errors.length === 0) {
      await this.reviews.declareConflict(request.user!, id, value.reason);
      return redirectWithFlash(
        request,
        response,
        '/instruction',
        `Conflit d’intérêts déclaré sur ${dossier.reference} : ce dossier ne vous est plus présenté.`,
      );
    }
    sendPage(request, response, 'instruction/conflict.njk', { dossier, values, errors }, 422);
  }
}
