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
  /** deadline (default), amount (largest first), reference. */
  sort?: 'deadline' | 'amount' | 'reference';
}

/** A row of the review queue as read. */
export type QueueRow = Record<string, string | Date>;

/** The reviews' reads: the financer's queue and the COTECH summary. */
@Injectable()
export class ReviewsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A page of the eligible applications of campaigns under review that ask the user's partner, and the total. */
  async queuePage(
    user: AuthUser,
    query: QueueFilters,
  ): Promise<{ rows: QueueRow[]; total: number; counts: { all: number; done: number } }> {
    const builder = this.dataSource
      .createQueryBuilder()
      .from(GrantApplicationEntity, 'app')
      .innerJoin(CampaignEntity, 'campaign', 'campaign.id = app.campaign_id')
      .innerJoin(
        ApplicationRequestEntity,
        'request',
        'request.application_id = app.id AND request.partner_id = :partnerId',
        {
          partnerId: user.partnerId,
        },
      )
      .leftJoin('reviews', 'review', 'review.application_id = app.id AND review.partner_id = :partnerId')
      .innerJoin('organizations', 'organization', 'organization.id = app.organization_id')
      .innerJoin('themes', 'theme', 'theme.id = app.theme_id')
      .where("campaign.status = 'REVIEW' AND app.status = 'ELIGIBLE' AND app.contract_id = :contractId", {
        contractId: user.contractId,
      })
      // A declared conflict of interest takes the application out of the reviewer's queue (the policy's
      // `notConflicted`, as in every list and export).
      .andWhere(
        'NOT EXISTS (SELECT 1 FROM conflict_declarations x WHERE x.application_id = app.id AND x.user_id = :userId)',
        { userId: user.id },
      );
    if (query.themeCode) builder.andWhere('theme.code = :themeCode', { themeCode: query.themeCode });
    if (query.qpvCode) {
      builder.andWhere(
        'EXISTS (SELECT 1 FROM application_qpvs q WHERE q.application_id = app.id AND q.qpv_code = :qpvCode)',
        {
          qpvCode: query.qpvCode,
        },
      );
    }
    if (query.minRequestedCents !== undefined)
      builder.andWhere('request.requested_cents >= :min', { min: query.minRequestedCents });
    if (query.maxRequestedCents !== undefined)
      builder.andWhere('request.requested_cents <= :max', { max: query.maxRequestedCents });
    // The tabs' counts, before the tab's own filter.
    const counted = await builder
      .clone()
      .select('count(*)::int', 'all')
      .addSelect('count(*) FILTER (WHERE review.final)::int', 'done')
      .getRawOne<{ all: number; done: number }>();
    if (query.state === 'DONE') builder.andWhere('review.final');
    if (query.state === 'TODO') builder.andWhere('coalesce(review.final, false) = false');
    const total = await builder.clone().getCount();
    if (query.sort === 'amount') builder.orderBy('request.requested_cents', 'DESC');
    else if (query.sort === 'reference') builder.orderBy('app.reference', 'ASC');
    else builder.orderBy('campaign.review_deadline', 'ASC');
    const rows = await builder
      .select([
        'app.id AS "applicationId"',
        'app.campaign_id AS "campaignId"',
        'app.reference AS "reference"',
        'app.title AS "title"',
        'organization.name AS "holderName"',
        'theme.code AS "themeCode"',
        'app.total_cost_cents::text AS "totalCostCents"',
        'app.gender_marker AS "genderMarker"',
        'request.requested_cents::text AS "requestedCents"',
        'campaign.review_deadline AS "reviewDeadline"',
      ])
      .addOrderBy('app.reference', 'ASC')
      .limit(query.limit)
      .offset(query.offset)
      .getRawMany<Record<string, string | Date>>();
    return { rows, total, counts: counted ?? { all: 0, done: 0 } };
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
  async summaryData(campaignId: string, themeCode?: string) {
    const builder = this.dataSource
      .getRepository(GrantApplicationEntity)
      .createQueryBuilder('app')
      .innerJoinAndSelect('app.organization', 'organization')
      .innerJoinAndSelect('app.theme', 'theme')
      .where('app.campaign_id = :campaignId AND app.status IN (:...statuses)', {
        campaignId,
        statuses: REVIEWED_STATUSES,
      });
    if (themeCode) builder.andWhere('theme.code = :themeCode', { themeCode });
    const apps = await builder.orderBy('app.reference').getMany();
    const ids = apps.map((app) => app.id);
    const [requests, reviews, qpvs] = ids.length
      ? await Promise.all([
          this.dataSource
            .getRepository(ApplicationRequestEntity)
            .find({ where: { applicationId: In(ids) }, relations: { partner: true } }),
          this.dataSource.getRepository(ReviewEntity).find({ where: { applicationId: In(ids) } }),
          this.dataSource.getRepository(ApplicationQpvEntity).find({ where: { applicationId: In(ids) } }),
        ])
      : [[], [], []];

    return { apps, requests, reviews, qpvs };
  }
}
