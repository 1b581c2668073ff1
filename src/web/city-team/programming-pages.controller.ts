import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import type { ApplicationError } from '../../common/application-error.js';
import { Roles } from '../../common/auth.js';
import { csvLine } from '../../common/csv-write.js';
import { formatEuros, frenchDecimal, parseFrenchAmount, typedAmount } from '../../common/money.js';
import { UuidParam } from '../../common/uuid-param.js';
import { ApplicationsService } from '../../modules/applications/applications.service.js';
import { EvaluationService } from '../../modules/payments/evaluation.service.js';
import { CampaignsService } from '../../modules/campaigns/campaigns.service.js';
import type { DecisionInputDto } from '../../modules/programming/dto/decision.dto.js';
import { DecisionsService } from '../../modules/programming/decisions.service.js';
import { ProgrammingService } from '../../modules/programming/programming.service.js';
import type { ReviewSummaryDto } from '../../modules/reviews/dto/review.dto.js';
import { ReviewsService } from '../../modules/reviews/reviews.service.js';
import { barChartSvg } from '../bars.js';
import { one, type Form } from '../dossier-forms.js';
import { DossierViewService } from '../dossier-view.service.js';
import { refusalOf, type FormFields } from '../form-validation.js';
import { listLink, pageNumberOf, pagination } from '../list-links.js';
import { Pages, redirectWithFlash, sendPage, type FieldError, type PageRequest } from '../pages.js';
import { OPINION_LABELS } from './labels.js';

const COTECH_PAGE = 50;
const COPIL_PAGE = 20;
const COTECH_CSV_HEADER = [
  'Référence',
  'Porteur',
  'Intitulé',
  'Thème',
  'Quartiers',
  'Coût de l’action (€)',
  'Financeur',
  'Demandé (€)',
  'Avis',
  'Avis validé',
  'Note pondérée (sur 5)',
  'Proposé (€)',
  'Note moyenne du dossier',
  'Points d’attention',
];

interface TableFilters {
  theme: string;
  sort: 'score' | '-score' | 'reference';
  page: number;
  q: string;
  undecided: boolean;
}

function tableFilters(query: Record<string, string | undefined>): TableFilters {
  return {
    theme: (query.theme ?? '').slice(0, 10),
    sort: query.tri === 'score' || query.tri === '-score' ? query.tri : 'reference',
    page: pageNumberOf(query),
    q: (query.q ?? '').slice(0, 100),
    undecided: query.restant === '1',
  };
}

/** The tables' parameters in their URL, as the forms name them. */
function paramsOf(filters: TableFilters) {
  return {
    theme: filters.theme,
    tri: filters.sort === 'reference' ? '' : filters.sort,
    q: filters.q,
    restant: filters.undecided ? '1' : '',
  };
}

/** A financer's field on the COPIL screen, per application. */
const grantedField = (applicationId: string, partnerCode: string) =>
  `granted-${applicationId}-${partnerCode}`;
const reasonField = (applicationId: string, partnerCode: string) => `reason-${applicationId}-${partnerCode}`;

/**
 * The committees' pages (web.md « City team »): the COTECH table (asked and proposed per financer, scores,
 * opinions, warnings; printable, CSV), the COPIL screen (decisions per application within the envelopes,
 * each envelope's remainder beside its field), and the programming's tables and charts with their downloads.
 */
@Roles('CITY_TEAM')
@Pages('pilotage')
export class ProgrammingPagesController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly reviews: ReviewsService,
    private readonly decisions: DecisionsService,
    private readonly programming: ProgrammingService,
    private readonly view: DossierViewService,
    private readonly applications: ApplicationsService,
    private readonly evaluations: EvaluationService,
  ) {}

  @Get('campagnes/:id/cotech')
  async cotech(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Query() query: Record<string, string | undefined>,
  ): Promise<void> {
    const user = request.user!;
    const filters = tableFilters(query);
    const printAll = query.imprimer === '1';
    const [campaign, themes, partners] = await Promise.all([
      this.campaigns.get(user, id),
      this.view.themes(user),
      this.view.partners(user),
    ]);
    const summary = await this.reviews.summary(user, id, {
      themeCode: filters.theme || undefined,
      sort: filters.sort,
      ...(printAll ? {} : { limit: COTECH_PAGE, offset: (filters.page - 1) * COTECH_PAGE }),
    });
    const base = `/pilotage/campagnes/${id}/cotech`;
    sendPage(request, response, 'city-team/cotech.njk', {
      campaign,
      section: 'cotech',
      summary,
      filters,
      printAll,
      themes,
      themeLabels: Object.fromEntries(themes.map((theme) => [theme.code, theme.label])),
      partnerNames: Object.fromEntries(partners.map((partner) => [partner.code, partner.name])),
      opinionLabels: OPINION_LABELS,
      csv: listLink(`${base}.csv`, paramsOf(filters)),
      print: listLink(base, { ...paramsOf(filters), imprimer: 1 }),
      ...(printAll ? {} : pagination(base, paramsOf(filters), filters.page, summary.total, COTECH_PAGE)),
    });
  }

  /** The COTECH table as CSV: one row per application × financer, `;`-separated UTF-8 with BOM. */
  @Get('campagnes/:id/cotech.csv')
  async cotechCsv(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Query() query: Record<string, string | undefined>,
  ): Promise<void> {
    const user = request.user!;
    const filters = tableFilters(query);
    const [campaign, themes, partners] = await Promise.all([
      this.campaigns.get(user, id),
      this.view.themes(user),
      this.view.partners(user),
    ]);
    const summary = await this.reviews.summary(user, id, {
      themeCode: filters.theme || undefined,
      sort: filters.sort,
    });
    response.setHeader('content-type', 'text/csv; charset=utf-8');
    response.setHeader('content-disposition', `attachment; filename="cotech-${campaign.year}.csv"`);
    response.send('\uFEFF' + cotechLines(summary, themes, partners).join(''));
  }

  private async copilView(request: PageRequest, id: string, filters: TableFilters) {
    const user = request.user!;
    const [campaign, themes, partners, envelopes] = await Promise.all([
      this.campaigns.get(user, id),
      this.view.themes(user),
      this.view.partners(user),
      this.campaigns.envelopes(user, id),
    ]);
    const [summary, counts] = await Promise.all([
      this.reviews.summary(user, id, {
        themeCode: filters.theme || undefined,
        q: filters.q || undefined,
        undecided: filters.undecided,
        sort: filters.sort,
        limit: COPIL_PAGE,
        offset: (filters.page - 1) * COPIL_PAGE,
        withoutProgress: true,
      }),
      this.applications.statusCounts(user, [id]),
    ]);
    const above = new Map(
      (
        await this.programming.aboveConventionThreshold(
          user,
          id,
          summary.items.map((row) => row.organizationId),
        )
      ).map((row) => [`${row.organizationId}/${row.partnerCode}`, row.yearlyGrantedCents]),
    );
    const decided = await this.decisions.ofApplications(
      user,
      id,
      summary.items.map((row) => row.applicationId),
    );
    const remaining = (partnerCode: string, themeCode: string) =>
      envelopes.items
        .filter(
          (envelope) =>
            envelope.partnerCode === partnerCode && (!envelope.themeCode || envelope.themeCode === themeCode),
        )
        .reduce((sum, envelope) => sum + envelope.remainingCents, 0);
    const partnerNames = Object.fromEntries(partners.map((partner) => [partner.code, partner.name]));
    const themeLabels = Object.fromEntries(themes.map((theme) => [theme.code, theme.label]));
    const base = `/pilotage/campagnes/${id}/copil`;
    return {
      campaign,
      section: 'copil',
      filters,
      themes,
      themeLabels,
      partnerNames,
      opinionLabels: OPINION_LABELS,
      undecidedCount: counts.get(id)?.ELIGIBLE ?? 0,
      total: summary.total,
      open: campaign.status === 'REVIEW',
      query: listLink('', { ...paramsOf(filters), page: filters.page }),
      ...pagination(base, paramsOf(filters), filters.page, summary.total, COPIL_PAGE),
      envelopes: envelopes.items.map((envelope) => ({
        ...envelope,
        label: `${partnerNames[envelope.partnerCode] ?? envelope.partnerCode} · ${envelope.themeCode ? (themeLabels[envelope.themeCode] ?? envelope.themeCode) : 'tous thèmes'}`,
      })),
      rows: summary.items.map((row) => {
        const decisions = decided.get(row.applicationId) ?? [];
        return {
          ...row,
          decided: decisions.length > 0,
          financers: row.financers.map((line) => {
            const decision = decisions.find((candidate) => candidate.partnerCode === line.partnerCode);
            return {
              ...line,
              name: partnerNames[line.partnerCode] ?? line.partnerCode,
              grantedField: grantedField(row.applicationId, line.partnerCode),
              reasonField: reasonField(row.applicationId, line.partnerCode),
              granted: decision
                ? typedAmount(decision.grantedAmountCents)
                : line.final && line.proposedAmountCents !== null
                  ? typedAmount(line.proposedAmountCents)
                  : '',
              fromProposal: !decision && line.final && line.proposedAmountCents !== null,
              reason: decision?.reason ?? '',
              remainingCents: remaining(line.partnerCode, row.themeCode),
              // Loi 2000-321 art. 10: above 23 000 € a year from one financer, convention and publication.
              yearlyAboveThresholdCents: above.get(`${row.organizationId}/${line.partnerCode}`),
            };
          }),
        };
      }),
    };
  }

  @Get('campagnes/:id/copil')
  async copil(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Query() query: Record<string, string | undefined>,
  ): Promise<void> {
    const filters = tableFilters(query);
    sendPage(request, response, 'city-team/copil.njk', {
      ...(await this.copilView(request, id, filters)),
      values: {},
      errors: [],
    });
  }

  /** One application's decisions, all or nothing; refused with the typed amounts kept and shown again. */
  @Post('campagnes/:id/copil/:applicationId')
  async decide(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Param('applicationId', UuidParam) applicationId: string,
    @Query() query: Record<string, string | undefined>,
    @Body() form: Form,
  ): Promise<void> {
    const filters = tableFilters(query);
    const names = Object.fromEntries(
      (await this.view.partners(request.user!)).map((partner) => [partner.code, partner.name]),
    );
    const partnerCodes = Object.keys(form)
      .filter((key) => key.startsWith(`granted-${applicationId}-`))
      .map((key) => key.slice(`granted-${applicationId}-`.length));
    const values: Record<string, string> = {};
    const errors: FieldError[] = [];
    const decisions: DecisionInputDto[] = [];
    const fields: FormFields = { decisions: { id: `dossier-${applicationId}`, label: 'Décisions' } };
    partnerCodes.forEach((partnerCode, index) => {
      const granted = grantedField(applicationId, partnerCode);
      const reason = reasonField(applicationId, partnerCode);
      values[granted] = one(form, granted);
      values[reason] = one(form, reason);
      const name = names[partnerCode] ?? partnerCode;
      fields[`decisions.${index}.grantedAmountCents`] = { id: granted, label: `Montant décidé par ${name}` };
      fields[`decisions.${index}.reason`] = { id: reason, label: `Motif de la décision de ${name}` };
      fields[`decisions.${index}`] = { id: granted, label: `Décision de ${name}` };
      const cents = values[granted].trim() ? parseFrenchAmount(values[granted]) : undefined;
      if (cents === undefined)
        errors.push({
          id: granted,
          message: values[granted].trim()
            ? `Saisissez le montant décidé par ${names[partnerCode] ?? partnerCode} en euros, comme 4 000 ou 4 000,50.`
            : `Saisissez le montant décidé par ${names[partnerCode] ?? partnerCode} (0 pour un refus).`,
        });
      else
        decisions.push({
          partnerCode,
          grantedAmountCents: cents,
          ...(values[reason].trim() ? { reason: values[reason] } : {}),
        });
    });
    const back = `${listLink(`/pilotage/campagnes/${id}/copil`, { ...paramsOf(filters), page: filters.page })}#dossier-${applicationId}`;
    let status = 422;
    if (!errors.length) {
      try {
        const result = await this.decisions.put(request.user!, applicationId, { decisions });
        const granted = result.decisions.reduce((sum, decision) => sum + decision.grantedAmountCents, 0);
        return redirectWithFlash(
          request,
          response,
          back,
          `Décisions enregistrées : ${formatEuros(granted)} accordés (${result.status === 'PROGRAMMED' ? 'dossier programmé' : 'dossier non retenu'}).`,
        );
      } catch (error) {
        errors.push(...refusalOf(error, fields));
        status = (error as ApplicationError).status;
      }
    }
    sendPage(
      request,
      response,
      'city-team/copil.njk',
      { ...(await this.copilView(request, id, filters)), values, errors, failed: applicationId },
      status,
    );
  }

  @Get('campagnes/:id/programmation')
  async programmingPage(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const user = request.user!;
    const [campaign, table, themes, partners, qpvs] = await Promise.all([
      this.campaigns.get(user, id),
      this.programming.table(user, id),
      this.view.themes(user),
      this.view.partners(user),
      this.view.qpvs(user),
    ]);
    const themeLabel = (code: string | null) =>
      code === null ? 'Tous thèmes' : (themes.find((theme) => theme.code === code)?.label ?? code);
    const partnerName = (code: string) => partners.find((partner) => partner.code === code)?.name ?? code;
    const byTheme = themes
      .map((theme) => {
        const rows = table.byThemeAndFinancer.filter((row) => row.themeCode === theme.code);
        return {
          label: theme.label,
          requestedCents: rows.reduce((sum, row) => sum + row.requestedCents, 0),
          proposedCents: rows.reduce((sum, row) => sum + row.proposedCents, 0),
          grantedCents: rows.reduce((sum, row) => sum + row.grantedCents, 0),
        };
      })
      .filter((row) => row.requestedCents > 0);
    const money = (title: string, rows: { label: string; values: number[] }[], series: string[]) =>
      barChartSvg({
        title,
        series: series.map((name) => ({
          name,
          className: {
            Enveloppe: 'cdv-chart__bar--envelope',
            Demandé: 'cdv-chart__bar--requested',
            Proposé: 'cdv-chart__bar--proposed',
            Accordé: 'cdv-chart__bar--granted',
          }[name]!,
        })),
        rows,
        format: formatEuros,
      });
    const markers = table.priorities.genderMarkers;
    sendPage(request, response, 'city-team/programming.njk', {
      campaign,
      section: 'programming',
      table,
      byTheme,
      themeChart: money(
        'Montants demandés, proposés et accordés par thème',
        byTheme.map((row) => ({
          label: row.label,
          values: [row.requestedCents, row.proposedCents, row.grantedCents],
        })),
        ['Demandé', 'Proposé', 'Accordé'],
      ),
      rows: table.byThemeAndFinancer.map((row) => ({
        ...row,
        theme: themeLabel(row.themeCode),
        partner: partnerName(row.partnerCode),
      })),
      qpvChart: money(
        'Montants demandés et accordés par quartier',
        table.byQpv.map((row) => ({ label: row.name, values: [row.requestedCents, row.grantedCents] })),
        ['Demandé', 'Accordé'],
      ),
      markers,
      markerChart: money(
        'Montants accordés par marqueur égalité femmes-hommes',
        markers.map((row) => ({ label: markerLabel(row.marker), values: [row.grantedCents] })),
        ['Accordé'],
      ),
      markerLabels: Object.fromEntries(markers.map((row) => [String(row.marker), markerLabel(row.marker)])),
      financers: partners.filter((partner) => partner.isFinancer),
      qpvNames: Object.fromEntries(qpvs.map((qpv) => [qpv.code, qpv.name])),
    });
  }

  /** The year's evaluation: per measure, money granted and paid, indicators' targets beside what was achieved. */
  @Get('campagnes/:id/evaluation')
  async evaluationPage(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const user = request.user!;
    const [campaign, evaluation] = await Promise.all([
      this.campaigns.get(user, id),
      this.evaluations.evaluation(user, id),
    ]);
    const label = (row: { themeLabel: string; measureLabel: string | null }) =>
      row.measureLabel ? `${row.themeLabel} · ${row.measureLabel}` : row.themeLabel;
    sendPage(request, response, 'city-team/evaluation.njk', {
      campaign,
      section: 'evaluation',
      evaluation,
      measures: evaluation.byMeasure.map((row) => ({ ...row, label: label(row) })),
      moneyChart: barChartSvg({
        title: 'Montants accordés et versés par mesure',
        series: [
          { name: 'Accordé', className: 'cdv-chart__bar--granted' },
          { name: 'Versé', className: 'cdv-chart__bar--proposed' },
        ],
        rows: evaluation.byMeasure.map((row) => ({
          label: label(row),
          values: [row.grantedCents, row.paidCents],
        })),
        format: formatEuros,
      }),
      qpvChart: barChartSvg({
        title: 'Bénéficiaires touchés par quartier',
        series: [{ name: 'Bénéficiaires', className: 'cdv-chart__bar--requested' }],
        rows: evaluation.byQpv.map((row) => ({ label: row.name, values: [row.beneficiaries] })),
        format: (value) => value.toLocaleString('fr-FR'),
      }),
    });
  }

  @Get('campagnes/:id/evaluation.csv')
  async evaluationCsv(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const campaign = await this.campaigns.get(request.user!, id);
    const csv = await this.evaluations.evaluationCsv(request.user!, id);
    response.setHeader('content-type', 'text/csv; charset=utf-8');
    response.setHeader('content-disposition', `attachment; filename="evaluation-${campaign.year}.csv"`);
    response.send(csv);
  }

  /** The programming as the API's CSV: one row per application × financer. */
  @Get('campagnes/:id/programmation.csv')
  async programmingCsv(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const campaign = await this.campaigns.get(request.user!, id);
    const stream = await this.programming.programmingCsv(request.user!, id);
    response.setHeader('content-type', 'text/csv; charset=utf-8');
    response.setHeader('content-disposition', `attachment; filename="programmation-${campaign.year}.csv"`);
    await pipeline(stream, response).catch(() => response.destroy());
  }
}

function markerLabel(marker: number | null): string {
  if (marker === null) return 'Non renseigné';
  return ['0 – non ciblé', '1 – objectif significatif', '2 – objectif principal'][marker] ?? String(marker);
}

/** The COTECH table's CSV lines, one per application × financer. */
function cotechLines(
  summary: ReviewSummaryDto,
  themes: { code: string; label: string }[],
  partners: { code: string; name: string }[],
): string[] {
  const header = csvLine(COTECH_CSV_HEADER, ';');
  const theme = new Map(themes.map((item) => [item.code, item.label]));
  const partner = new Map(partners.map((item) => [item.code, item.name]));
  return [
    header,
    ...summary.items.flatMap((row) =>
      row.financers.map((line) =>
        csvLine(
          [
            row.reference,
            row.holderName,
            row.title,
            theme.get(row.themeCode) ?? row.themeCode,
            row.qpvCodes.join(', '),
            frenchDecimal(row.totalCostCents),
            partner.get(line.partnerCode) ?? line.partnerCode,
            frenchDecimal(line.requestedCents),
            line.opinion ? (OPINION_LABELS[line.opinion] ?? line.opinion) : '',
            line.final ? 'oui' : 'non',
            line.totalScore === null ? '' : line.totalScore.toLocaleString('fr-FR'),
            line.proposedAmountCents === null ? '' : frenchDecimal(line.proposedAmountCents),
            row.averageScore === null ? '' : row.averageScore.toLocaleString('fr-FR'),
            row.warnings.map((warning) => warning.message).join(' | '),
          ],
          ';',
        ),
      ),
    ),
  ];
}
