import { outsideFunding } from '../checks/checks.js';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApplicationError, conflict, unprocessable } from '../../common/application-error.js';
import type { AuthUser } from '../../common/auth.js';
import { auditedTransaction } from '../../database/audit-actor.js';
import { parseIfMatch } from '../../common/if-match.js';
import { sumCents } from '../../common/money.js';
import { GrantApplicationEntity } from '../applications/application.entity.js';
import { ApplicationRequestEntity } from '../applications/application-request.entity.js';
import { AccessService } from '../access/access.service.js';
import { reviewVisible } from '../access/access-policy.js';
import { DEFAULT_CAMPAIGN_RULES } from '../campaigns/campaign-rules.js';
import { CampaignEntity } from '../campaigns/campaign.entity.js';
import { CampaignsService } from '../campaigns/campaigns.service.js';
import type { ScoringCriterion } from '../campaigns/campaign-rules.js';
import { ConflictDeclarationEntity } from './conflict-declaration.entity.js';
import { ReviewEntity } from './review.entity.js';
import { ReviewsRepository, type QueueFilters, type SummaryFilters } from './reviews.repository.js';
import { assertScores, averageScore, weightedScore } from './scoring.js';
import type {
  PutReviewDto,
  QueueItemDto,
  ReviewDto,
  ReviewQueueQueryDto,
  ReviewSummaryDto,
  SummaryRowDto,
} from './dto/review.dto.js';
import './reviews.errors.js'; // registers the codes thrown here

const VERSION_CONFLICT = 'REVIEW_VERSION_CONFLICT';

export function toReviewDto(review: ReviewEntity, partnerCode: string, grid: ScoringCriterion[]): ReviewDto {
  return {
    partnerCode,
    scores: review.scores,
    opinion: review.opinion,
    proposedAmountCents: review.proposedAmountCents,
    comment: review.comment,
    final: review.final,
    totalScore: weightedScore(review.scores, grid),
    version: review.version,
    updatedAt: review.updatedAt.toISOString(),
  };
}

@Injectable()
export class ReviewsService {
  private readonly logger = new Logger(ReviewsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: ReviewsRepository,
    private readonly access: AccessService,
    private readonly campaigns: CampaignsService,
  ) {}

  async put(
    user: AuthUser,
    applicationId: string,
    partnerCode: string,
    input: PutReviewDto,
    ifMatch?: string,
  ): Promise<ReviewDto> {
    await this.access.require(user, 'application:review', { applicationId, partnerCode });
    const app = await this.dataSource
      .getRepository(GrantApplicationEntity)
      .findOneOrFail({ where: { id: applicationId } });
    const request = await this.dataSource
      .getRepository(ApplicationRequestEntity)
      .findOneOrFail({ where: { applicationId, partnerId: user.partnerId! } });

    const campaign = await this.dataSource
      .getRepository(CampaignEntity)
      .findOneByOrFail({ id: app.campaignId });
    if (campaign.status !== 'REVIEW') {
      throw conflict('REVIEW_NOT_OPEN', 'L’instruction de cet appel à projets n’est pas ouverte.', {
        campaignStatus: campaign.status,
      });
    }
    if (Date.now() > campaign.reviewDeadline.getTime()) {
      throw conflict('REVIEW_CLOSED', 'La date limite d’instruction est passée.', {
        reviewDeadline: campaign.reviewDeadline.toISOString(),
      });
    }
    if (app.status !== 'ELIGIBLE') {
      throw conflict(
        'APPLICATION_NOT_UNDER_REVIEW',
        'Seuls les dossiers déclarés éligibles sont instruits.',
        { currentStatus: app.status },
      );
    }

    const final = input.final ?? true;
    const scores = assertScores(input.scores ?? {}, campaign.scoringGrid, final);
    if (final && !input.opinion)
      throw unprocessable('OPINION_REQUIRED', 'Donnez un avis pour finaliser l’instruction.', 'opinion');
    if (final && input.proposedAmountCents === undefined) {
      throw unprocessable(
        'PROPOSAL_REQUIRED',
        'Proposez un montant pour finaliser l’instruction.',
        'proposedAmountCents',
      );
    }
    if (input.proposedAmountCents !== undefined && input.proposedAmountCents > request.requestedCents) {
      throw unprocessable(
        'PROPOSAL_ABOVE_REQUEST',
        `Le montant proposé dépasse le montant demandé à ${partnerCode} (${request.requestedCents} centimes).`,
        'proposedAmountCents',
      );
    }
    const expected = input.version ?? parseIfMatch(ifMatch);
    const values = {
      scores,
      weightedScore: weightedScore(scores, campaign.scoringGrid),
      opinion: input.opinion ?? null,
      proposedAmountCents: input.proposedAmountCents ?? null,
      comment: input.comment ?? '',
      final,
      reviewerId: user.id,
    };

    const saved = await auditedTransaction(this.dataSource, user, async (em) => {
      const current = await em.getRepository(ReviewEntity).findOne({
        where: { applicationId, partnerId: user.partnerId! },
        lock: { mode: 'pessimistic_write' },
      });
      if (!current) {
        if (expected !== undefined && expected !== 0) throw staleWrite(null);
        const inserted = await em
          .createQueryBuilder()
          .insert()
          .into(ReviewEntity)
          .values({
            applicationId,
            partnerId: user.partnerId!,
            campaignId: app.campaignId,
            version: 1,
            ...values,
          })
          .orIgnore()
          .returning('id')
          .execute();
        if (inserted.raw.length === 0) {
          // Another reviewer of the partner created it at the same instant.
          const winner = await em
            .getRepository(ReviewEntity)
            .findOneByOrFail({ applicationId, partnerId: user.partnerId! });
          throw staleWrite(winner.version);
        }
        return em
          .getRepository(ReviewEntity)
          .findOneByOrFail({ id: (inserted.raw as { id: string }[])[0].id });
      }
      if (expected !== current.version) throw staleWrite(current.version);
      const result = await em
        .createQueryBuilder()
        .update(ReviewEntity)
        .set({ ...values, version: current.version + 1 })
        .where('id = :id AND version = :version', { id: current.id, version: current.version })
        .execute();
      if (result.affected !== 1) throw staleWrite(current.version);
      return em.getRepository(ReviewEntity).findOneByOrFail({ id: current.id });
    });
    this.logger.log(
      `Review of ${applicationId} by ${partnerCode} saved as version ${saved.version} by ${user.id}`,
    );
    return toReviewDto(saved, partnerCode, campaign.scoringGrid);
  }

  async list(user: AuthUser, applicationId: string): Promise<{ items: ReviewDto[]; total: number }> {
    await this.access.require(user, 'application:read', { applicationId });
    const app = await this.dataSource
      .getRepository(GrantApplicationEntity)
      .findOneOrFail({ where: { id: applicationId }, select: { id: true, campaignId: true } });
    const campaign = await this.dataSource
      .getRepository(CampaignEntity)
      .findOneByOrFail({ id: app.campaignId });
    const reviews = await this.dataSource
      .getRepository(ReviewEntity)
      .find({ where: { applicationId }, relations: { partner: true }, order: { createdAt: 'ASC' } });
    const rules = { ...DEFAULT_CAMPAIGN_RULES, ...campaign.rules };
    const visible = reviews.filter((review) =>
      reviewVisible(
        user.role,
        { ownPartner: review.partnerId === user.partnerId, final: review.final },
        { privateReviews: rules.privateReviews, programmed: campaign.status === 'PROGRAMMED' },
      ),
    );
    const items = visible
      .map((review) => toReviewDto(review, review.partner.code, campaign.scoringGrid))
      .sort((a, b) => a.partnerCode.localeCompare(b.partnerCode));
    return { items, total: items.length };
  }

  async declareConflict(
    user: AuthUser,
    applicationId: string,
    reason: string,
  ): Promise<{ applicationId: string; reason: string; declaredAt: string }> {
    await this.access.require(user, 'application:declare-conflict', { applicationId });
    await auditedTransaction(this.dataSource, user, (em) =>
      em
        .createQueryBuilder()
        .insert()
        .into(ConflictDeclarationEntity)
        .values({ applicationId, userId: user.id, reason })
        .orIgnore()
        .execute(),
    );
    const declaration = await this.dataSource
      .getRepository(ConflictDeclarationEntity)
      .findOneByOrFail({ applicationId, userId: user.id });
    this.logger.log(`Conflict of interest declared by ${user.id} on ${applicationId}`);
    return { applicationId, reason: declaration.reason, declaredAt: declaration.createdAt.toISOString() };
  }

  async queue(user: AuthUser, query: ReviewQueueQueryDto): Promise<{ items: QueueItemDto[]; total: number }> {
    const { items, total } = await this.desk(user, query);
    return { items, total };
  }

  /** The queue as the review desk's page reads it: its tabs' counts, amounts and sort besides the API's filters. */
  async desk(
    user: AuthUser,
    query: QueueFilters,
  ): Promise<{ items: QueueItemDto[]; total: number; counts: { all: number; done: number } }> {
    const { rows, total, counts } = await this.repository.queuePage(user, query);
    const { reviews, qpvs, grids } = await this.repository.queueDetails(user, rows);
    const items = rows.map((row) => {
      const id = row.applicationId as string;
      const review = reviews.find((candidate) => candidate.applicationId === id);
      const grid = grids.find((campaign) => campaign.id === row.campaignId)!.scoringGrid;
      return {
        applicationId: id,
        campaignId: row.campaignId as string,
        reference: row.reference as string,
        title: row.title as string,
        holderName: row.holderName as string,
        themeCode: row.themeCode as string,
        qpvCodes: qpvs
          .filter((qpv) => qpv.applicationId === id)
          .map((qpv) => qpv.qpvCode)
          .sort(),
        totalCostCents: Number(row.totalCostCents),
        requestedCents: Number(row.requestedCents),
        genderMarker: row.genderMarker === null ? null : Number(row.genderMarker),
        reviewDeadline: (row.reviewDeadline as Date).toISOString(),
        review: review ? toReviewDto(review, user.partnerCode!, grid) : null,
      };
    });
    return { items, total, counts };
  }

  async summary(user: AuthUser, campaignId: string, query: SummaryFilters): Promise<ReviewSummaryDto> {
    const campaign = await this.campaigns.findVisible(user, campaignId);
    const { apps, requests, reviews, qpvs, total, pending } = await this.repository.summaryData(
      campaignId,
      query,
    );
    const requestsOf = groupBy(requests, (request) => request.applicationId);
    const reviewOf = new Map(
      reviews.map((review) => [`${review.applicationId}/${review.partnerId}`, review]),
    );
    const qpvsOf = groupBy(qpvs, (qpv) => qpv.applicationId);
    const rows: SummaryRowDto[] = apps.map((app) => {
      const own = (requestsOf.get(app.id) ?? []).sort((a, b) => a.partner.code.localeCompare(b.partner.code));
      const financers = own.map((request) => {
        const review = reviewOf.get(`${app.id}/${request.partnerId}`);
        return {
          partnerCode: request.partner.code,
          requestedCents: request.requestedCents,
          proposedAmountCents: review?.proposedAmountCents ?? null,
          opinion: review?.opinion ?? null,
          totalScore: review ? weightedScore(review.scores, campaign.scoringGrid) : null,
          final: review?.final ?? false,
        };
      });
      const finals = financers.filter((line) => line.final);
      return {
        applicationId: app.id,
        reference: app.reference,
        organizationId: app.organizationId,
        holderName: app.organization.name,
        title: app.title,
        themeCode: app.theme.code,
        qpvCodes: (qpvsOf.get(app.id) ?? []).map((qpv) => qpv.qpvCode).sort(),
        totalCostCents: app.totalCostCents,
        inKindCents: app.inKindCents,
        requestedCents: sumCents(financers.map((line) => line.requestedCents)),
        // Counted in the budget, never reviewed nor decided here (FSE, foundations...).
        outsideFunding: outsideFunding(app),
        proposedCents: sumCents(finals.map((line) => line.proposedAmountCents ?? 0)),
        financers,
        averageScore: averageScore(finals.map((line) => line.totalScore)),
        warnings: (app.checks ?? [])
          .filter((check) => check.status === 'WARN')
          .map((check) => ({ rule: check.rule, code: check.code, message: check.message })),
      };
    });
    const pendingByFinancer = pending.map((line) => ({ ...line, pending: line.asked - line.reviewed }));
    return { items: rows, total, pendingByFinancer };
  }
}

/** The items by their key, in their order. */
function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

function staleWrite(currentVersion: number | null): ApplicationError {
  return conflict(
    VERSION_CONFLICT,
    currentVersion === null
      ? 'Cet avis n’existe pas encore : enregistrez-le sans version.'
      : `Cet avis a été modifié entre-temps (version ${currentVersion}) : rechargez-le avant d’enregistrer.`,
    { currentVersion },
  );
}
