import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Readable, Transform } from 'node:stream';
import { conflict, notFound, unprocessable } from '../../common/application-error.js';
import type { AuthUser } from '../../common/auth.js';
import { csvLine } from '../../common/csv-write.js';
import { centsFromSql, frenchDecimal, sharePercent, sumCents } from '../../common/money.js';
import { parisDate } from '../../common/paris-time.js';
import { allocate } from '../campaigns/envelope.js';
import { CampaignEntity } from '../campaigns/campaign.entity.js';
import { CampaignsService } from '../campaigns/campaigns.service.js';
import { DEFAULT_CAMPAIGN_RULES } from '../campaigns/campaign-rules.js';
import { PartnerEntity } from '../referential/partner.entity.js';
import { envelopesByPartner } from './granted.js';
import { SCDL_FIELDS, toScdlRow } from './scdl.js';
import type { ProgrammingDto, ThemeFinancerRowDto } from './dto/programming.dto.js';

/** Applications that count in the programming (and the national summary): submitted and instructed ones. */
export const COUNTED_STATUSES = `('SUBMITTED', 'ELIGIBLE', 'PROGRAMMED', 'REJECTED')`;

/** The weighted score of a review on its campaign's grid, in SQL (0–5, two decimals, half up). */
const SCORE_SQL = `(SELECT round(sum((v.scores ->> (g ->> 'code'))::numeric * (g ->> 'weight')::int)
                          / nullif(sum((g ->> 'weight')::int) FILTER (WHERE v.scores ? (g ->> 'code')), 0), 2)
                      FROM jsonb_array_elements(c.scoring_grid) g)`;

/** The programming table's aggregations, one per part; exported so the benchmark times the same SQL bare. */
export const THEME_FINANCER_SQL = `WITH apps AS (SELECT id, theme_id FROM grant_applications WHERE campaign_id = $1 AND status IN ${COUNTED_STATUSES}),
            req AS (SELECT a.theme_id, r.partner_id, sum(r.requested_cents) AS v FROM application_requests r JOIN apps a ON a.id = r.application_id WHERE r.campaign_id = $1 GROUP BY 1, 2),
            pro AS (SELECT a.theme_id, v.partner_id, sum(v.proposed_amount_cents) AS v FROM reviews v JOIN apps a ON a.id = v.application_id WHERE v.campaign_id = $1 AND v.final GROUP BY 1, 2),
            gra AS (SELECT a.theme_id, d.partner_id, sum(d.granted_cents) AS v FROM decisions d JOIN apps a ON a.id = d.application_id WHERE d.campaign_id = $1 GROUP BY 1, 2),
            env AS (SELECT theme_id, partner_id FROM envelopes WHERE campaign_id = $1 AND theme_id IS NOT NULL),
            keys AS (SELECT theme_id, partner_id FROM req UNION SELECT theme_id, partner_id FROM env UNION SELECT theme_id, partner_id FROM gra)
       SELECT t.code AS theme_code, k.partner_id, p.code AS partner_code,
              coalesce(req.v, 0)::text AS requested, coalesce(pro.v, 0)::text AS proposed, coalesce(gra.v, 0)::text AS granted
         FROM keys k
         JOIN themes t ON t.id = k.theme_id
         JOIN partners p ON p.id = k.partner_id
         LEFT JOIN req ON req.theme_id = k.theme_id AND req.partner_id = k.partner_id
         LEFT JOIN pro ON pro.theme_id = k.theme_id AND pro.partner_id = k.partner_id
         LEFT JOIN gra ON gra.theme_id = k.theme_id AND gra.partner_id = k.partner_id
        ORDER BY p.code, t.position`;

export const QPV_SQL = `WITH apps AS (SELECT id, requested_cents FROM grant_applications WHERE campaign_id = $1 AND status IN ${COUNTED_STATUSES}),
            granted AS (SELECT application_id, sum(granted_cents) AS v FROM decisions WHERE campaign_id = $1 GROUP BY application_id)
       SELECT q.code, q.name, count(*)::int AS applications, count(*) FILTER (WHERE coalesce(g.v, 0) > 0)::int AS funded,
              sum(apps.requested_cents)::text AS requested, sum(coalesce(g.v, 0))::text AS granted
         FROM apps LEFT JOIN granted g ON g.application_id = apps.id
         -- LATERAL: reach the campaign's QPV rows through their index rather than scanning every campaign's
         CROSS JOIN LATERAL (SELECT qpv_code FROM application_qpvs WHERE application_id = apps.id) aq
         JOIN qpvs q ON q.code = aq.qpv_code
        GROUP BY q.code, q.name ORDER BY q.code`;

export const PRIORITIES_SQL = `WITH funded AS (
              SELECT a.gender_marker, a.beneficiaries, sum(d.granted_cents) AS granted
                FROM grant_applications a JOIN decisions d ON d.application_id = a.id AND d.campaign_id = $1
               WHERE a.campaign_id = $1 GROUP BY a.id HAVING sum(d.granted_cents) > 0)
       SELECT gender_marker AS marker, count(*)::int AS actions, sum(granted)::text AS granted,
              count(*) FILTER (WHERE coalesce((beneficiaries -> 'byAge' ->> '0-5')::int, 0) + coalesce((beneficiaries -> 'byAge' ->> '6-11')::int, 0)
                                   + coalesce((beneficiaries -> 'byAge' ->> '12-15')::int, 0) + coalesce((beneficiaries -> 'byAge' ->> '16-25')::int, 0) > 0)::int AS youth,
              count(*) FILTER (WHERE coalesce((beneficiaries ->> 'women')::int, 0) + coalesce((beneficiaries ->> 'men')::int, 0) = 0)::int AS no_breakdown
         FROM funded GROUP BY gender_marker ORDER BY gender_marker NULLS LAST`;

export const CO_FINANCING_SQL = `WITH g AS (SELECT application_id, partner_id, granted_cents FROM decisions WHERE campaign_id = $1 AND granted_cents > 0),
            n AS (SELECT application_id, count(*) AS financers FROM g GROUP BY application_id)
       SELECT p.code, sum(g.granted_cents)::text AS granted, sum(g.granted_cents) FILTER (WHERE n.financers > 1)::text AS cofinanced
         FROM g JOIN n USING (application_id) JOIN partners p ON p.id = g.partner_id
        GROUP BY p.code ORDER BY p.code`;

export const REPORTS_SQL = `SELECT count(*)::int AS funded,
              count(r.id) FILTER (WHERE r.status = 'SUBMITTED')::int AS submitted,
              count(r.id) FILTER (WHERE r.status = 'DRAFT')::int AS draft
         FROM grant_applications a LEFT JOIN reports r ON r.application_id = a.id
        WHERE a.campaign_id = $1 AND a.status = 'PROGRAMMED'`;

export const PROGRAMMING_CSV_HEADER = [
  'Référence',
  'Porteur',
  'SIRET',
  'Intitulé',
  'Thématique',
  'Enjeu',
  'QPV',
  'Coût total (€)',
  'Financeur',
  'Demandé (€)',
  'Proposé (€)',
  'Accordé (€)',
  'Avis',
  'Note /5',
  'Statut',
];

const OPINION_LABELS: Record<string, string> = {
  FAVORABLE: 'Favorable',
  RESERVED: 'Favorable avec réserves',
  UNFAVORABLE: 'Défavorable',
  DEFERRED: 'Ajourné',
};

const STATUS_LABELS: Record<string, string> = {
  SUBMITTED: 'Déposé',
  ELIGIBLE: 'Éligible',
  PROGRAMMED: 'Programmé',
  REJECTED: 'Non retenu',
};

interface CsvRow {
  reference: string;
  holder: string;
  siret: string | null;
  title: string;
  theme: string;
  stake: string | null;
  qpvs: string | null;
  total_cost: string;
  partner: string;
  requested: string;
  proposed: string | null;
  granted: string | null;
  opinion: string | null;
  score: string | null;
  status: string;
}

@Injectable()
export class ProgrammingService {
  private readonly logger = new Logger(ProgrammingService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly campaigns: CampaignsService,
  ) {}

  async table(user: AuthUser, campaignId: string): Promise<ProgrammingDto> {
    const campaign = await this.campaigns.findVisible(user, campaignId);
    const q = this.dataSource;
    // The sections are independent reads: they run side by side on the pool.
    const [cells, envelopes, qpvRows, funded, coFinancing, [reports]] = await Promise.all([
      q.query(THEME_FINANCER_SQL, [campaignId]) as Promise<
        {
          theme_code: string;
          partner_id: string;
          partner_code: string;
          requested: string;
          proposed: string;
          granted: string;
        }[]
      >,
      envelopesByPartner(this.dataSource.manager, campaignId),
      q.query(QPV_SQL, [campaignId]) as Promise<
        {
          code: string;
          name: string;
          applications: number;
          funded: number;
          requested: string;
          granted: string;
        }[]
      >,
      q.query(PRIORITIES_SQL, [campaignId]) as Promise<
        { marker: number | null; actions: number; granted: string; youth: number; no_breakdown: number }[]
      >,
      q.query(CO_FINANCING_SQL, [campaignId]) as Promise<
        { code: string; granted: string; cofinanced: string | null }[]
      >,
      q.query(REPORTS_SQL, [campaignId]) as Promise<{ funded: number; submitted: number; draft: number }[]>,
    ]);
    const partnerCodes = new Map<string, string>(cells.map((cell) => [cell.partner_id, cell.partner_code]));
    const missing = [...envelopes.keys()].filter((partnerId) => !partnerCodes.has(partnerId));
    if (missing.length > 0) {
      const partners = await q
        .getRepository(PartnerEntity)
        .find({ where: { id: In(missing) }, select: { id: true, code: true } });
      for (const partner of partners) partnerCodes.set(partner.id, partner.code);
    }
    const byThemeAndFinancer: ThemeFinancerRowDto[] = [];
    for (const [partnerId, partnerCode] of [...partnerCodes.entries()].sort((a, b) =>
      a[1].localeCompare(b[1]),
    )) {
      const own = cells.filter((cell) => cell.partner_id === partnerId);
      const envelope = envelopes.get(partnerId) ?? { byTheme: new Map<string, number>(), allThemes: 0 };
      const allocation = allocate(
        envelope,
        new Map(own.map((cell) => [cell.theme_code, centsFromSql(cell.granted)])),
      );
      for (const cell of own) {
        const draw = allocation.byTheme.get(cell.theme_code)!;
        const themed = envelope.byTheme.get(cell.theme_code) ?? 0;
        byThemeAndFinancer.push({
          themeCode: cell.theme_code,
          partnerCode,
          envelopeCents: themed,
          requestedCents: centsFromSql(cell.requested),
          proposedCents: centsFromSql(cell.proposed),
          grantedCents: draw.grantedCents,
          drawnFromThemeCents: draw.fromThemeCents,
          drawnFromAllThemesCents: draw.fromAllThemesCents,
          remainingCents: themed - draw.fromThemeCents,
        });
      }
      if (envelope.allThemes > 0 || allocation.allThemesUsedCents > 0) {
        byThemeAndFinancer.push({
          themeCode: null,
          partnerCode,
          envelopeCents: envelope.allThemes,
          requestedCents: 0,
          proposedCents: 0,
          grantedCents: allocation.allThemesUsedCents,
          drawnFromThemeCents: 0,
          drawnFromAllThemesCents: allocation.allThemesUsedCents,
          remainingCents: envelope.allThemes - allocation.allThemesUsedCents,
        });
      }
    }

    const fundedTotal = sumCents(funded.map((row) => centsFromSql(row.granted)));
    const fundedActions = funded.reduce((sum, row) => sum + row.actions, 0);
    const youthActions = funded.reduce((sum, row) => sum + row.youth, 0);

    const themedRows = byThemeAndFinancer.filter((row) => row.themeCode !== null);
    return {
      campaignId,
      status: campaign.status,
      byThemeAndFinancer,
      byQpv: qpvRows.map((row) => ({
        qpvCode: row.code,
        name: row.name,
        applications: row.applications,
        fundedActions: row.funded,
        requestedCents: centsFromSql(row.requested),
        grantedCents: centsFromSql(row.granted),
      })),
      priorities: {
        genderMarkers: funded.map((row) => ({
          marker: row.marker,
          actions: row.actions,
          grantedCents: centsFromSql(row.granted),
          sharePercent: sharePercent(centsFromSql(row.granted), fundedTotal),
        })),
        fundedActions,
        actionsWithYouthTarget: youthActions,
        youthTargetSharePercent: sharePercent(youthActions, fundedActions),
        actionsWithoutGenderBreakdown: funded.reduce((sum, row) => sum + row.no_breakdown, 0),
      },
      coFinancing: coFinancing.map((row) => ({
        partnerCode: row.code,
        grantedCents: centsFromSql(row.granted),
        coFinancedCents: centsFromSql(row.cofinanced ?? '0'),
        coFinancingRatePercent: sharePercent(centsFromSql(row.cofinanced ?? '0'), centsFromSql(row.granted)),
      })),
      reports: {
        fundedActions: reports.funded,
        submitted: reports.submitted,
        inProgress: reports.draft,
        missing: reports.funded - reports.submitted - reports.draft,
      },
      totals: {
        requestedCents: sumCents(themedRows.map((row) => row.requestedCents)),
        proposedCents: sumCents(themedRows.map((row) => row.proposedCents)),
        grantedCents: sumCents(themedRows.map((row) => row.grantedCents)),
        envelopeCents: sumCents(byThemeAndFinancer.map((row) => row.envelopeCents)),
      },
    };
  }

  /**
   * One row per application × financer, streamed from a server-side cursor: memory stays flat
   * whatever the campaign's size. The caller pipes the stream and ends it.
   */
  async programmingCsv(user: AuthUser, campaignId: string): Promise<Readable> {
    await this.campaigns.findVisible(user, campaignId);
    const runner = this.dataSource.createQueryRunner();
    let released = false;
    const release = () => {
      if (!released) {
        released = true;
        void runner.release();
      }
    };
    await runner.connect();
    try {
      const rows = await runner.stream(
        `SELECT a.reference, o.name AS holder, o.siret, a.title, t.label AS theme, s.label AS stake,
                (SELECT string_agg(q.qpv_code, ' ' ORDER BY q.qpv_code) FROM application_qpvs q WHERE q.application_id = a.id) AS qpvs,
                a.total_charges_cents::text AS total_cost, p.code AS partner, r.requested_cents::text AS requested,
                CASE WHEN v.final THEN v.proposed_amount_cents::text END AS proposed, d.granted_cents::text AS granted,
                CASE WHEN v.final THEN v.opinion END AS opinion, CASE WHEN v.final THEN ${SCORE_SQL}::text END AS score, a.status
           FROM grant_applications a
           JOIN campaigns c ON c.id = a.campaign_id
           JOIN organizations o ON o.id = a.organization_id
           JOIN themes t ON t.id = a.theme_id
           LEFT JOIN stakes s ON s.id = a.stake_id
           JOIN application_requests r ON r.application_id = a.id
           JOIN partners p ON p.id = r.partner_id
           LEFT JOIN reviews v ON v.application_id = a.id AND v.partner_id = r.partner_id
           LEFT JOIN decisions d ON d.application_id = a.id AND d.partner_id = r.partner_id
          WHERE a.campaign_id = $1 AND a.status IN ${COUNTED_STATUSES}
          ORDER BY a.reference, p.code`,
        [campaignId],
        release,
        release,
      );
      let first = true;
      const toLines = new Transform({
        writableObjectMode: true,
        transform(row: CsvRow, _encoding, callback) {
          const prefix = first ? '\uFEFF' + csvLine(PROGRAMMING_CSV_HEADER, ';') : '';
          first = false;
          const money = (value: string | null) => (value === null ? '' : frenchDecimal(centsFromSql(value)));
          callback(
            null,
            prefix +
              csvLine(
                [
                  row.reference,
                  row.holder,
                  row.siret,
                  row.title,
                  row.theme,
                  row.stake,
                  row.qpvs,
                  money(row.total_cost),
                  row.partner,
                  money(row.requested),
                  money(row.proposed),
                  money(row.granted),
                  row.opinion ? OPINION_LABELS[row.opinion] : '',
                  row.score ? row.score.replace('.', ',') : '',
                  STATUS_LABELS[row.status] ?? row.status,
                ],
                ';',
              ),
          );
        },
        flush(callback) {
          callback(null, first ? '\uFEFF' + csvLine(PROGRAMMING_CSV_HEADER, ';') : '');
        },
      });
      rows.on('error', (error) => toLines.destroy(error));
      // A client that goes away mid-download closes the cursor and frees the connection.
      toLines.on('close', () => {
        if (!rows.destroyed) rows.destroy();
        release();
      });
      return rows.pipe(toLines);
    } catch (error) {
      release();
      throw error;
    }
  }

  /** The grants of one attributor, in SCDL "Subventions" 2.1.1, once the programming is closed. */
  async openData(campaignId: string, partnerCode: string): Promise<string> {
    const campaign = await this.dataSource
      .getRepository(CampaignEntity)
      .findOne({ where: { id: campaignId } });
    if (!campaign) throw notFound('Appel à projets');
    if (campaign.status !== 'PROGRAMMED') {
      throw conflict(
        'CAMPAIGN_NOT_PROGRAMMED',
        'Les subventions sont publiées une fois la programmation close.',
        { campaignStatus: campaign.status },
      );
    }
    const partner = await this.dataSource
      .getRepository(PartnerEntity)
      .findOne({ where: { contractId: campaign.contractId, code: partnerCode } });
    if (!partner) throw notFound('Partenaire');
    if (!partner.siret) {
      throw unprocessable(
        'PARTNER_SIRET_MISSING',
        `Le SIRET de ${partner.name} n’est pas renseigné : l’équipe du contrat de ville doit le saisir.`,
        'partnerCode',
      );
    }
    const closedAt: { created_at: Date }[] = await this.dataSource.query(
      `SELECT created_at FROM campaign_transitions WHERE campaign_id = $1 AND to_status = 'PROGRAMMED' ORDER BY created_at DESC LIMIT 1`,
      [campaignId],
    );
    const closedOn = parisDate(closedAt[0]?.created_at ?? new Date());
    const grants: {
      reference: string;
      holder: string;
      siret: string | null;
      rna: string | null;
      title: string;
      start_date: string | null;
      end_date: string | null;
      requested: string;
      granted: string;
      total_cost: string;
      cofinancers: string[] | null;
    }[] = await this.dataSource.query(
      `SELECT a.reference, o.name AS holder, o.siret, o.rna, a.title, a.start_date::text, a.end_date::text,
              r.requested_cents::text AS requested, d.granted_cents::text AS granted, a.total_charges_cents::text AS total_cost,
              (SELECT array_agg(p2.name ORDER BY p2.code) FROM decisions d2 JOIN partners p2 ON p2.id = d2.partner_id
                WHERE d2.application_id = a.id AND d2.partner_id <> d.partner_id AND d2.granted_cents > 0) AS cofinancers
         FROM decisions d
         JOIN grant_applications a ON a.id = d.application_id
         JOIN organizations o ON o.id = a.organization_id
         JOIN application_requests r ON r.application_id = d.application_id AND r.partner_id = d.partner_id
        WHERE d.campaign_id = $1 AND d.partner_id = $2 AND d.granted_cents > 0
        ORDER BY a.reference`,
      [campaignId, partner.id],
    );
    const rules = { ...DEFAULT_CAMPAIGN_RULES, ...campaign.rules };
    const lines = [csvLine([...SCDL_FIELDS], ',')];
    for (const grant of grants) {
      const row = toScdlRow({
        reference: grant.reference,
        partnerCode: partner.code,
        partnerName: partner.name,
        partnerSiret: partner.siret,
        holderName: grant.holder,
        holderSiret: grant.siret,
        holderRna: grant.rna,
        year: campaign.year,
        copilDate: campaign.copilDate,
        conventionDate: closedOn,
        startDate: grant.start_date,
        endDate: grant.end_date,
        title: grant.title,
        requestedCents: centsFromSql(grant.requested),
        grantedCents: centsFromSql(grant.granted),
        totalCostCents: centsFromSql(grant.total_cost),
        advancePercent: rules.advancePercent,
        paymentPeriod: { from: closedOn, to: parisDate(campaign.reportDeadline) },
        coFinancers: grant.cofinancers ?? [],
        updatedOn: closedOn,
      });
      lines.push(
        csvLine(
          SCDL_FIELDS.map((field) => row[field]),
          ',',
        ),
      );
    }
    this.logger.log(`Open data of ${partner.code} for campaign ${campaignId}: ${grants.length} grants`);
    return lines.join('');
  }
}
