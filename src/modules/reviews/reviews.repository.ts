import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import type { AuthUser } from '../../common/auth.js';
import { GrantApplicationEntity } from '../applications/application.entity.js';
import { ApplicationQpvEntity } from '../applications/application-qpv.entity.js';
import { ApplicationRequestEntity } from '../applications/application-request.entity.js';
import { CampaignEntity } from '../campaigns/campaign.entity.js';
import { ReviewEntity } from './review.entity.js';
import type { ReviewQueueQueryDto } from './dto/review.dto.js';

/** Applications that went through review and stay in the COTECH/COPIL table. */
export const REVIEWED_STATUSES = ['ELIGIBLE', 'PROGRAMMED', 'REJECTED'];

/** The review desk's page reads the queue with more than the API's filters: its tabs, amounts and sort. */
export interface QueueFilters extends ReviewQueueQueryDto {
  /** TODO: no final review of the partner yet; DONE: a final one. */
  state?: 'TODO' | 'DONE';
  minRequestedCents?: number;
  maxRequestedCents?: number;
  /** deadline (default), amount (largest first), score (my partner's weighted score, highest first), reference. */
  sort?: 'deadline' | 'amount' | 'score' | 'reference';
}

/** The COTECH table's filters: the API's, and the COPIL screen's search and undecided ones. */
export interface SummaryFilters {
  themeCode?: string;
  sort?: 'score' | '-score' | 'reference';
  limit?: number;
  offset?: number;
  /** In the reference or the title. */
  q?: string;
  /** Only those the COPIL has not decided yet (still ELIGIBLE). */
  undecided?: boolean;
  /** Leave out how many each financer has reviewed (the COPIL screen does not show it). */
  withoutProgress?: boolean;
}

/** A row of the review queue as read. */
export type QueueRow = Record<string, string | Date>;

/** The reviews' reads: the financer's queue and the COTECH summary. */
@Injectable()
export class ReviewsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * A page of the eligible applications of campaigns under review that ask the user's partner, the total of
   * its tab and the counts of the desk's tabs, in one pass over the matching rows (a CTE read once: at 5,000
   * applications three scans cost the page its target). A declared conflict of interest takes the
   * application out of the reviewer's queue (the policy's `notConflicted`, as in every list and export).
   */
  async queuePage(
    user: AuthUser,
    query: QueueFilters,
  ): Promise<{ rows: QueueRow[]; total: number; counts: { all: number; done: number } }> {
    const parameters: unknown[] = [user.partnerId, user.contractId, user.id];
    const where: string[] = [];
    const add = (value: unknown) => `$${parameters.push(value)}`;
    if (query.themeCode)
      where.push(
        `app.theme_id IN (SELECT id FROM themes WHERE contract_id = $2 AND code = ${add(query.themeCode)})`,
      );
    if (query.qpvCode)
      where.push(
        `EXISTS (SELECT 1 FROM application_qpvs q WHERE q.application_id = app.id AND q.qpv_code = ${add(query.qpvCode)})`,
      );
    if (query.minRequestedCents !== undefined)
      where.push(`request.requested_cents >= ${add(query.minRequestedCents)}`);
    if (query.maxRequestedCents !== undefined)
      where.push(`request.requested_cents <= ${add(query.maxRequestedCents)}`);
    const state =
      query.state === 'DONE' ? 'WHERE q.final' : query.state === 'TODO' ? 'WHERE NOT q.final' : '';
    const order =
      query.sort === 'amount'
        ? 'q.requested DESC, q.reference'
        : query.sort === 'score'
          ? 'q.score DESC NULLS LAST, q.reference'
          : query.sort === 'reference'
            ? 'q.reference'
            : 'q."reviewDeadline", q.reference';
    const limit = add(query.limit);
    const offset = add(query.offset);
    const rows = await this.dataSource.query<(QueueRow & { all: number; done: number; tab: number })[]>(
      `WITH matching AS MATERIALIZED (
         SELECT app.id, app.campaign_id, app.reference, app.title, app.organization_id, app.theme_id,
                app.total_cost_cents, app.gender_marker, request.requested_cents AS requested,
                campaign.review_deadline AS "reviewDeadline", coalesce(review.final, false) AS final,
                review.weighted_score AS score
           FROM grant_applications app
           JOIN campaigns campaign ON campaign.id = app.campaign_id AND campaign.status = 'REVIEW'
           JOIN application_requests request ON request.application_id = app.id AND request.partner_id = $1
           LEFT JOIN reviews review ON review.application_id = app.id AND review.partner_id = $1
          WHERE app.status = 'ELIGIBLE' AND app.contract_id = $2
            AND NOT EXISTS (SELECT 1 FROM conflict_declarations x WHERE x.application_id = app.id AND x.user_id = $3)
            ${where.map((condition) => `AND ${condition}`).join(' ')}),
       counts AS (SELECT count(*)::int AS "all", (count(*) FILTER (WHERE final))::int AS done FROM matching),
       tab AS (SELECT * FROM matching q ${state})
       SELECT q.id AS "applicationId", q.campaign_id AS "campaignId", q.reference, q.title,
              organization.name AS "holderName", theme.code AS "themeCode",
              q.total_cost_cents::text AS "totalCostCents", q.gender_marker AS "genderMarker",
              q.requested::text AS "requestedCents", q."reviewDeadline",
              counts."all", counts.done, (SELECT count(*)::int FROM tab) AS tab
         FROM counts
         LEFT JOIN LATERAL (SELECT * FROM tab q ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}) q ON true
         LEFT JOIN organizations organization ON organization.id = q.organization_id
         LEFT JOIN themes theme ON theme.id = q.theme_id
        ORDER BY ${order}`,
      parameters,
    );
    const head = rows[0] ?? { all: 0, done: 0, tab: 0 };
    return {
      rows: rows
        .filter((row) => row.applicationId !== null)
        .map(({ all: _all, done: _done, tab: _tab, ...row }) => row as QueueRow),
      total: head.tab,
      counts: { all: head.all, done: head.done },
    };
  }

  /** For the queue's rows: the partner's reviews, the QPV, the grids. */
  async queueDetails(user: AuthUser, rows: QueueRow[]) {
    const ids = rows.map((row) => row.applicationId as string);
    const [reviews, qpvs, grids] = ids.length
      ? await Promise.all([
          this.dataSource
            .getRepository(ReviewEntity)
            .find({ where: { applicationId: In(ids), partnerId: user.partnerId! } }),
          this.dataSource.getRepository(ApplicationQpvEntity).find({ where: { applicationId: In(ids) } }),
          this.dataSource.getRepository(CampaignEntity).find({
            where: { id: In([...new Set(rows.map((row) => row.campaignId as string))]) },
            select: { id: true, scoringGrid: true },
          }),
        ])
      : [[], [], []];
    return { reviews, qpvs, grids };
  }

  /** The COTECH summary's applications (optionally of one theme) with their requests, reviews and QPV. */
  /**
   * The COTECH table's applications (those that went through review), a page of them in the order asked
   * (`score`: the mean of the final reviews' weighted scores, best first), with their requests, reviews and
   * QPV; the total; and per financer how many it is asked in and has reviewed, over the whole table.
   */
  async summaryData(campaignId: string, filters: SummaryFilters) {
    const parameters: unknown[] = [campaignId, filters.undecided ? ['ELIGIBLE'] : REVIEWED_STATUSES];
    const theme = filters.themeCode ? ` AND t.code = $${parameters.push(filters.themeCode)}` : '';
    const words = filters.q?.trim()
      ? ` AND (a.reference ILIKE $${parameters.push(`%${filters.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}
               OR a.title ILIKE $${parameters.length})`
      : '';
    const where = `a.campaign_id = $1 AND a.status = ANY($2)${theme}${words}`;
    const filterCount = parameters.length;
    // The mean of the final reviews' stored scores, aggregated once for the campaign (a hash join, not a
    // lookup per application).
    const scored = filters.sort === 'score' || filters.sort === '-score';
    const scores = scored
      ? ` LEFT JOIN (SELECT application_id, round(avg(weighted_score), 2) AS score FROM reviews
                      WHERE campaign_id = $1 AND final GROUP BY application_id) s ON s.application_id = a.id`
      : '';
    const order =
      filters.sort === 'score'
        ? 's.score DESC NULLS LAST, a.reference'
        : filters.sort === '-score'
          ? 's.score ASC NULLS LAST, a.reference'
          : 'a.reference';
    const page =
      filters.limit !== undefined
        ? ` LIMIT $${parameters.push(filters.limit)} OFFSET $${parameters.push(filters.offset ?? 0)}`
        : '';
    const [ids, [{ total }], pending] = await Promise.all([
      this.dataSource.query<{ id: string }[]>(
        `SELECT a.id FROM grant_applications a JOIN themes t ON t.id = a.theme_id${scores}
          WHERE ${where} ORDER BY ${order}${page}`,
        parameters,
      ),
      this.dataSource.query<{ total: number }[]>(
        `SELECT count(*)::int AS total FROM grant_applications a JOIN themes t ON t.id = a.theme_id WHERE ${where}`,
        parameters.slice(0, filterCount),
      ),
      filters.withoutProgress
        ? Promise.resolve([])
        : this.dataSource.query<{ partnerCode: string; asked: number; reviewed: number }[]>(
            `SELECT p.code AS "partnerCode", count(*)::int AS asked, count(r.id)::int AS reviewed
           FROM grant_applications a JOIN themes t ON t.id = a.theme_id
           JOIN application_requests q ON q.application_id = a.id JOIN partners p ON p.id = q.partner_id
           LEFT JOIN reviews r ON r.application_id = q.application_id AND r.partner_id = q.partner_id AND r.final
          WHERE ${where}
          GROUP BY p.code ORDER BY p.code`,
            parameters.slice(0, filterCount),
          ),
    ]);
    const pageIds = ids.map((row) => row.id);
    const [apps, requests, reviews, qpvs] = pageIds.length
      ? await Promise.all([
          this.dataSource
            .getRepository(GrantApplicationEntity)
            .find({ where: { id: In(pageIds) }, relations: { organization: true, theme: true } }),
          this.dataSource
            .getRepository(ApplicationRequestEntity)
            .find({ where: { applicationId: In(pageIds) }, relations: { partner: true } }),
          this.dataSource.getRepository(ReviewEntity).find({ where: { applicationId: In(pageIds) } }),
          this.dataSource.getRepository(ApplicationQpvEntity).find({ where: { applicationId: In(pageIds) } }),
        ])
      : [[], [], [], []];
    const position = new Map(pageIds.map((id, index) => [id, index]));
    apps.sort((a, b) => position.get(a.id)! - position.get(b.id)!);
    return { apps, requests, reviews, qpvs, total, pending };
  }
}
