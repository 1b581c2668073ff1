import { Body, Controller, Get, Headers, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthUser, CurrentUser, Roles } from '../../common/auth.js';
import { UuidParam } from '../../common/uuid-param.js';
import { ReviewsService } from './reviews.service.js';
import {
  ConflictOfInterestDto,
  PutReviewDto,
  QueuePageDto,
  ReviewDto,
  ReviewPageDto,
  ReviewQueueQueryDto,
  ReviewSummaryDto,
  SummaryQueryDto,
} from './dto/review.dto.js';

export class ConflictDeclarationDto {
  applicationId!: string;
  reason!: string;
  declaredAt!: string;
}

@ApiTags('reviews')
@ApiBearerAuth()
@Controller()
export class ReviewsController {
  constructor(private readonly reviews: ReviewsService) {}

  /** Eligible applications of campaigns in review that ask the reviewer's partner, with its review if any. */
  @Roles('FINANCER')
  @Get('reviews/queue')
  queue(@CurrentUser() user: AuthUser, @Query() query: ReviewQueueQueryDto): Promise<QueuePageDto> {
    return this.reviews.queue(user, query);
  }

  /**
   * Writes the partner's review. Once it exists, send the version read (body `version` or `If-Match`):
   * a stale write gets 409 REVIEW_VERSION_CONFLICT with `currentVersion`.
   */
  @Roles('FINANCER')
  @ApiHeader({ name: 'If-Match', required: false, description: 'The review version this write is based on.' })
  @Put('applications/:id/reviews/:partnerCode')
  async put(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam) id: string,
    @Param('partnerCode') partnerCode: string,
    @Body() body: PutReviewDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ReviewDto> {
    const review = await this.reviews.put(user, id, partnerCode, body, ifMatch);
    response.setHeader('etag', `"${review.version}"`);
    return review;
  }

  /** Every financer's review with its weighted total (a financer sees the others' final reviews only). */
  @Roles('CITY_TEAM', 'FINANCER')
  @Get('applications/:id/reviews')
  list(@CurrentUser() user: AuthUser, @Param('id', UuidParam) id: string): Promise<ReviewPageDto> {
    return this.reviews.list(user, id);
  }

  /** Declares a conflict of interest: the reviewer then neither reads nor reviews the application. */
  @Roles('FINANCER')
  @Post('applications/:id/conflicts-of-interest')
  declareConflict(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam) id: string,
    @Body() body: ConflictOfInterestDto,
  ): Promise<ConflictDeclarationDto> {
    return this.reviews.declareConflict(user, id, body.reason);
  }

  /** The COTECH table: per eligible application, asked and proposed per financer, opinions, scores, warnings. */
  @Roles('CITY_TEAM')
  @Get('campaigns/:id/review-summary')
  summary(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam) id: string,
    @Query() query: SummaryQueryDto,
  ): Promise<ReviewSummaryDto> {
    return this.reviews.summary(user, id, query);
  }
}
