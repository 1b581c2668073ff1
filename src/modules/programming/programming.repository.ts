import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';

/** Applications that count in the programming (and the national summary): submitted and instructed ones. */
export const COUNTED_STATUSES = `('SUBMITTED', 'ELIGIBLE', 'PROGRAMMED', 'REJECTED')`;

/**
 * What the programming shows its reader, as SQL predicates on application `a` that the access policy builds
 * (`AccessService.listFilter`): the applications it counts (`rows`) and those whose reviews it shows
 * (`reviews`). Each pushes its values on the statement's parameters, after the campaign ($1).
 */
/**
 * Loi 2000-321 art. 10 and décret 2001-495: above 23 000 € a year from one authority, a subsidy needs a
 * convention and its publication. Compared with what each financer grants each beneficiary in the campaign's
 * year, across the contract's campaigns of that year.
 */
export const CONVENTION_THRESHOLD_CENTS = 23_000_00;

/** SQL: per beneficiary (`organization_id`) and financer (`partner_id`), granted in campaign $1's year. */
const YEARLY_GRANTS = `(SELECT a2.organization_id, d2.partner_id, sum(d2.granted_cents) AS total
    FROM decisions d2 JOIN grant_applications a2 ON a2.id = d2.application_id JOIN campaigns c2 ON c2.id = a2.campaign_id
    JOIN campaigns c1 ON c1.id = $1 AND c2.contract_id = c1.contract_id AND c2.year = c1.year
   GROUP BY a2.organization_id, d2.partner_id)`;

/** A beneficiary × financer whose yearly total granted exceeds the convention threshold. */
export interface AboveThresholdRow {
  organizationId: string;
  holderName: string;
  partnerCode: string;
  yearlyGranted: string;
}

export interface ProgrammingScope {
  rows: (parameters: unknown[]) => string;
  reviews: (parameters: unknown[]) => string;
  /** The partner whose reviews alone the reader sees (reviews kept private until the closing), or null. */
  ownReviewsOf: string | null;
}

/** SQL on review `v`: the reviews the scope shows by their partner. */
const reviewersSql = (scope: ProgrammingScope, parameters: unknown[]): string =>
  scope.ownReviewsOf ? `v.partner_id = $${parameters.push(scope.ownReviewsOf)}::uuid` : 'true';

/** Every application, every review: the city team's view, and the benchmark's bare baseline. */
export const WHOLE_PROGRAMMING: ProgrammingScope = {
  rows: () => 'true',
  reviews: () => 'true',
  ownReviewsOf: null,
};

/** A statement and its parameters. */
type Statement = { text: string; parameters: unknown[] };

/** The programming table's aggregations, one statement per part, over the applications the scope shows. */
function themeFinancerSql(campaignId: string, scope: ProgrammingScope): Statement {
  const parameters: unknown[] = [campaignId];
  const rows = scope.rows(parameters);
  const reviews = scope.reviews(parameters);
  const reviewers = reviewersSql(scope, parameters);
  return {
    parameters,
    text: `WITH apps AS (SELECT a.id, a.theme_id, (${reviews}) AS reviews_shown FROM grant_applications a
                      WHERE a.campaign_id = $1 AND a.status IN ${COUNTED_STATUSES} AND ${rows}),
            req AS (SELECT a.theme_id, r.partner_id, sum(r.requested_cents) AS v FROM application_requests r JOIN apps a ON a.id = r.application_id WHERE r.campaign_id = $1 GROUP BY 1, 2),
            pro AS (SELECT a.theme_id, v.partner_id, sum(v.proposed_amount_cents) AS v FROM reviews v JOIN apps a ON a.id = v.application_id WHERE v.campaign_id = $1 AND v.final AND a.reviews_shown AND ${reviewers} GROUP BY 1, 2),
            gra AS (SELECT a.theme_id, d.partner_id, sum(d.granted_cents) AS v FROM decisions d JOIN apps a ON a.id = d.application_id WHERE d.campaign_id = $1 GROUP BY 1, 2),
            env AS (SELECT theme_id, partner_id FROM envelopes WHERE campaign_id = $1 AND theme_id IS NOT NULL),
            keys AS (SELECT theme_id, partner_id FROM req UNION SELECT theme_id, partner_id FROM env UNION SELECT theme_id, partner_id FROM gra)
       SELECT t.code AS "themeCode", k.partner_id AS "partnerId", p.code AS "partnerCode",
              coalesce(req.v, 0)::text AS requested, coalesce(pro.v, 0)::text AS proposed, coalesce(gra.v, 0)::text AS granted
         FROM keys k
         JOIN themes t ON t.id = k.theme_id
         JOIN partners p ON p.id = k.partner_id
         LEFT JOIN req ON req.theme_id = k.theme_id AND req.partner_id = k.partner_id
         LEFT JOIN pro ON pro.theme_id = k.theme_id AND pro.partner_id = k.partner_id
         LEFT JOIN gra ON gra.theme_id = k.theme_id AND gra.partner_id = k.partner_id
        ORDER BY p.code, t.position`,
  };
}

function qpvSql(campaignId: string, scope: ProgrammingScope): Statement {
  const parameters: unknown[] = [campaignId];
  const rows = scope.rows(parameters);
  return {
    parameters,
    text: `WITH apps AS (SELECT a.id, a.requested_cents FROM grant_applications a
                      WHERE a.campaign_id = $1 AND a.status IN ${COUNTED_STATUSES} AND ${rows}),
            granted AS (SELECT application_id, sum(granted_cents) AS v FROM decisions WHERE campaign_id = $1 GROUP BY application_id)
       SELECT q.code, q.name, count(*)::int AS applications, count(*) FILTER (WHERE coalesce(g.v, 0) > 0)::int AS funded,
              sum(apps.requested_cents)::text AS requested, sum(coalesce(g.v, 0))::text AS granted
         FROM apps LEFT JOIN granted g ON g.application_id = apps.id
         -- LATERAL: reach the campaign's QPV rows through their index rather than scanning every campaign's
         CROSS JOIN LATERAL (SELECT qpv_code FROM application_qpvs WHERE application_id = apps.id) aq
         JOIN qpvs q ON q.code = aq.qpv_code
        GROUP BY q.code, q.name ORDER BY q.code`,
  };
}

function prioritiesSql(campaignId: string, scope: ProgrammingScope): Statement {
  const parameters: unknown[] = [campaignId];
  const rows = scope.rows(parameters);
  return {
    parameters,
    text: `WITH funded AS (
              SELECT a.gender_marker, a.beneficiaries, sum(d.granted_cents) AS granted
                FROM grant_applications a JOIN decisions d ON d.application_id = a.id AND d.campaign_id = $1
               WHERE a.campaign_id = $1 AND ${rows} GROUP BY a.id HAVING sum(d.granted_cents) > 0)
       SELECT gender_marker AS marker, count(*)::int AS actions, sum(granted)::text AS granted,
              count(*) FILTER (WHERE coalesce((beneficiaries -> 'byAge' ->> '0-5')::int, 0) + coalesce((beneficiaries -> 'byAge' ->> '6-11')::int, 0)
                                   + coalesce((beneficiaries -> 'byAge' ->> '12-15')::int, 0) + coalesce((beneficiaries -> 'byAge' ->> '16-25')::int, 0) > 0)::int AS youth,
              count(*) FILTER (WHERE coalesce((beneficiaries ->> 'women')::int, 0) + coalesce((beneficiaries ->> 'men')::int, 0) = 0)::int AS "noBreakdown"
         FROM funded GROUP BY gender_marker ORDER BY gender_marker NULLS LAST`,
  };
}

function coFinancingSql(campaignId: string, scope: ProgrammingScope): Statement {
  const parameters: unknown[] = [campaignId];
  const rows = scope.rows(parameters);
  return {
    parameters,
    text: `WITH g AS (SELECT d.application_id, d.partner_id, d.granted_cents FROM decisions d
                    JOIN grant_applications a ON a.id = d.application_id
                   WHERE d.campaign_id = $1 AND d.granted_cents > 0 AND ${rows}),
            n AS (SELECT application_id, count(*) AS financers FROM g GROUP BY application_id)
       SELECT p.code, sum(g.granted_cents)::text AS granted, sum(g.granted_cents) FILTER (WHERE n.financers > 1)::text AS cofinanced
         FROM g JOIN n USING (application_id) JOIN partners p ON p.id = g.partner_id
        GROUP BY p.code ORDER BY p.code`,
  };
}

function reportsSql(campaignId: string, scope: ProgrammingScope): Statement {
  const parameters: unknown[] = [campaignId];
  const rows = scope.rows(parameters);
  return {
    parameters,
    text: `SELECT count(*)::int AS funded,
              count(r.id) FILTER (WHERE r.status = 'SUBMITTED')::int AS submitted,
              count(r.id) FILTER (WHERE r.status = 'DRAFT')::int AS draft
         FROM grant_applications a LEFT JOIN reports r ON r.application_id = a.id
        WHERE a.campaign_id = $1 AND a.status = 'PROGRAMMED' AND ${rows}`,
  };
}

export interface CsvRow {
  reference: string;
  holder: string;
  siret: string | null;
  title: string;
  theme: string;
  stake: string | null;
  qpvs: string | null;
  totalCost: string;
  partner: string;
  requested: string;
  proposed: string | null;
  granted: string | null;
  opinion: string | null;
  score: string | null;
  status: string;
  /** This financer grants this beneficiary more than 23 000 € in the year. */
  aboveThreshold: boolean;
}

/** A row of the theme × financer aggregation. */
export interface ThemeFinancerCell {
  themeCode: string;
  partnerId: string;
  partnerCode: string;
  requested: string;
  proposed: string;
  granted: string;
}

/** The programming table's sections as the database sums them (amounts as text: bigint sums). */
export interface TableSections {
  cells: ThemeFinancerCell[];
  qpvRows: {
    code: string;
    name: string;
    applications: number;
    funded: number;
    requested: string;
    granted: string;
  }[];
  funded: { marker: number | null; actions: number; granted: string; youth: number; noBreakdown: number }[];
  coFinancing: { code: string; granted: string; cofinanced: string | null }[];
  reports: { funded: number; submitted: number; draft: number };
}

/** A granted line of the open-data export. */
export interface OpenDataGrant {
  reference: string;
  holder: string;
  siret: string | null;
  rna: string | null;
  title: string;
  startDate: string | null;
  endDate: string | null;
  requested: string;
  granted: string;
  submittedAt: Date | null;
  /** The budget's funders outside the contract (74 lines with a `funder`). */
  outsideFunders: string[];
  cofinancers: string[] | null;
  /** The convention's date once every party has signed it. */
  signedOn: string | null;
}

/** The programming's statements: the table's sums, the CSV's cursor, the open data's grants. */
@Injectable()
export class ProgrammingRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The sections, over what the scope shows; independent reads, they run side by side on the pool. */
  async tableSections(campaignId: string, scope: ProgrammingScope): Promise<TableSections> {
    const run = <T>({ text, parameters }: Statement) => this.dataSource.query<T>(text, parameters);
    const [cells, qpvRows, funded, coFinancing, [reports]] = await Promise.all([
      run<TableSections['cells']>(themeFinancerSql(campaignId, scope)),
      run<TableSections['qpvRows']>(qpvSql(campaignId, scope)),
      run<TableSections['funded']>(prioritiesSql(campaignId, scope)),
      run<TableSections['coFinancing']>(coFinancingSql(campaignId, scope)),
      run<TableSections['reports'][]>(reportsSql(campaignId, scope)),
    ]);
    return { cells, qpvRows, funded, coFinancing, reports };
  }

  /**
   * One row per application × financer from a server-side cursor, so memory stays flat whatever the
   * campaign's size; `release` frees the connection (called when the stream ends or fails, and safe twice).
   */
  async streamCsvRows(
    campaignId: string,
    scope: ProgrammingScope,
  ): Promise<{ rows: Readable; release: () => void }> {
    const parameters: unknown[] = [campaignId];
    const shown = scope.rows(parameters);
    // A review's columns only where the reader may read the application (co-financers asked in it), and
    // only its own partner's when the campaign keeps reviews private.
    const reviews = `(${scope.reviews(parameters)}) AND ${reviewersSql(scope, parameters)}`;
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
                a.total_cost_cents::text AS "totalCost", p.code AS partner, r.requested_cents::text AS requested,
                CASE WHEN v.final AND ${reviews} THEN v.proposed_amount_cents::text END AS proposed,
                d.granted_cents::text AS granted,
                CASE WHEN v.final AND ${reviews} THEN v.opinion END AS opinion,
                CASE WHEN v.final AND ${reviews} THEN v.weighted_score::text END AS score, a.status,
                coalesce(y.total, 0) > ${CONVENTION_THRESHOLD_CENTS} AS "aboveThreshold"
           FROM grant_applications a
           JOIN campaigns c ON c.id = a.campaign_id
           JOIN organizations o ON o.id = a.organization_id
           JOIN themes t ON t.id = a.theme_id
           LEFT JOIN stakes s ON s.id = a.stake_id
           JOIN application_requests r ON r.application_id = a.id
           JOIN partners p ON p.id = r.partner_id
           LEFT JOIN reviews v ON v.application_id = a.id AND v.partner_id = r.partner_id
           LEFT JOIN decisions d ON d.application_id = a.id AND d.partner_id = r.partner_id
           LEFT JOIN ${YEARLY_GRANTS} y ON y.organization_id = a.organization_id AND y.partner_id = r.partner_id
          WHERE a.campaign_id = $1 AND a.status IN ${COUNTED_STATUSES} AND ${shown}
          ORDER BY a.reference, p.code`,
        parameters,
        release,
        release,
      );
      return { rows, release };
    } catch (error) {
      release();
      throw error;
    }
  }

  /** When the campaign's programming was closed, if it was. */
  /**
   * The beneficiaries of the campaign (its applications the reader may see) to whom a financer grants more
   * than the convention threshold in the campaign's year, with that yearly total.
   */
  aboveThreshold(campaignId: string, scope: ProgrammingScope): Promise<AboveThresholdRow[]> {
    const parameters: unknown[] = [campaignId];
    const shown = scope.rows(parameters);
    return this.dataSource.query<AboveThresholdRow[]>(
      `SELECT DISTINCT o.id AS "organizationId", o.name AS "holderName", p.code AS "partnerCode", y.total::text AS "yearlyGranted"
         FROM grant_applications a
         JOIN organizations o ON o.id = a.organization_id
         JOIN ${YEARLY_GRANTS} y ON y.organization_id = a.organization_id
         JOIN partners p ON p.id = y.partner_id
        WHERE a.campaign_id = $1 AND a.status IN ${COUNTED_STATUSES} AND ${shown}
          AND y.total > ${CONVENTION_THRESHOLD_CENTS}
        ORDER BY o.name, p.code`,
      parameters,
    );
  }

  /**
   * For these beneficiaries only (a page of the COPIL): each financer granting one of them more than the
   * threshold in campaign `campaignId`'s year, across the contract's campaigns of that year.
   */
  aboveThresholdOf(campaignId: string, organizationIds: string[]): Promise<AboveThresholdRow[]> {
    if (organizationIds.length === 0) return Promise.resolve([]);
    return this.dataSource.query<AboveThresholdRow[]>(
      `SELECT a.organization_id AS "organizationId", o.name AS "holderName", p.code AS "partnerCode",
              sum(d.granted_cents)::text AS "yearlyGranted"
         FROM grant_applications a
         JOIN campaigns c ON c.id = a.campaign_id
         JOIN campaigns c1 ON c1.id = $1 AND c.contract_id = c1.contract_id AND c.year = c1.year
         JOIN decisions d ON d.application_id = a.id
         JOIN partners p ON p.id = d.partner_id
         JOIN organizations o ON o.id = a.organization_id
        WHERE a.organization_id = ANY($2::uuid[])
        GROUP BY a.organization_id, o.name, p.code
       HAVING sum(d.granted_cents) > ${CONVENTION_THRESHOLD_CENTS}`,
      [campaignId, organizationIds],
    );
  }

  async programmingClosedAt(campaignId: string): Promise<Date | undefined> {
    const rows = await this.dataSource.query<{ createdAt: Date }[]>(
      `SELECT created_at AS "createdAt" FROM campaign_transitions WHERE campaign_id = $1 AND to_status = 'PROGRAMMED' ORDER BY created_at DESC LIMIT 1`,
      [campaignId],
    );
    return rows[0]?.createdAt;
  }

  /** The grants of financer `partnerId` in the campaign, with the other granting financers' names. */
  openDataGrants(campaignId: string, partnerId: string): Promise<OpenDataGrant[]> {
    return this.dataSource.query<OpenDataGrant[]>(
      `SELECT a.reference, o.name AS holder, o.siret, o.rna, a.title, a.start_date::text AS "startDate", a.end_date::text AS "endDate",
              r.requested_cents::text AS requested, d.granted_cents::text AS granted, a.submitted_at AS "submittedAt",
              ARRAY(SELECT l->>'funder' FROM jsonb_array_elements(a.budget->'products') l WHERE l->>'funder' IS NOT NULL) AS "outsideFunders",
              (SELECT array_agg(p2.name ORDER BY p2.code) FROM decisions d2 JOIN partners p2 ON p2.id = d2.partner_id
                WHERE d2.application_id = a.id AND d2.partner_id <> d.partner_id AND d2.granted_cents > 0) AS cofinancers,
              (SELECT v.signed_on::text FROM conventions v WHERE v.application_id = a.id) AS "signedOn"
         FROM decisions d
         JOIN grant_applications a ON a.id = d.application_id
         JOIN organizations o ON o.id = a.organization_id
         JOIN application_requests r ON r.application_id = d.application_id AND r.partner_id = d.partner_id
        WHERE d.campaign_id = $1 AND d.partner_id = $2 AND d.granted_cents > 0
        ORDER BY a.reference`,
      [campaignId, partnerId],
    );
  }
}
