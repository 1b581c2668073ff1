import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { MAX_CENTS } from '../../../common/money.js';
import { PageQueryDto } from '../../../common/pagination.dto.js';
import { OPINIONS } from '../review.entity.js';
import type { Opinion } from '../review.entity.js';

export class PutReviewDto {
  /** Criterion code → whole score from 0 to 5; every criterion of the grid for a final review. */
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 0, maximum: 5 },
    example: { STAKE_FIT: 4 },
  })
  @IsOptional()
  @IsObject()
  scores?: Record<string, number>;

  @ApiProperty({ required: false, enum: OPINIONS })
  @IsOptional()
  @IsIn(OPINIONS)
  opinion?: Opinion;

  /** At most the amount asked of this partner. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_CENTS)
  proposedAmountCents?: number;

  @IsOptional()
  @IsString()
  @MaxLength(10000)
  comment?: string;

  /** Defaults to true: every criterion, the opinion and the amount are then required. False saves a draft. */
  @IsOptional()
  @IsBoolean()
  final?: boolean;

  /** The version this write is based on (or the If-Match header); required once the review exists. */
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ReviewDto {
  partnerCode!: string;
  scores!: Record<string, number>;
  @ApiProperty({ enum: OPINIONS, nullable: true })
  opinion!: Opinion | null;
  proposedAmountCents!: number | null;
  comment!: string;
  final!: boolean;
  /** Weighted mean on the 0–5 scale of the scores given, two decimals. */
  totalScore!: number | null;
  version!: number;
  updatedAt!: string;
}

export class ReviewPageDto {
  items!: ReviewDto[];
  total!: number;
}

export class ConflictOfInterestDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

export class ReviewQueueQueryDto extends PageQueryDto {
  @IsOptional() @IsString() @MaxLength(10) themeCode?: string;
  @IsOptional() @IsString() @MaxLength(12) qpvCode?: string;
}

export class QueueItemDto {
  applicationId!: string;
  campaignId!: string;
  reference!: string;
  title!: string;
  holderName!: string;
  themeCode!: string;
  qpvCodes!: string[];
  totalCostCents!: number;
  /** What the application asks of the reviewer's partner. */
  requestedCents!: number;
  /** The gender-equality marker the holder declared (0, 1 or 2), as the reviewer weighs it. */
  genderMarker!: number | null;
  reviewDeadline!: string;
  review!: ReviewDto | null;
}

export class QueuePageDto {
  items!: QueueItemDto[];
  total!: number;
}

export class SummaryQueryDto {
  /** score (best first), -score, or reference (default). */
  @IsOptional()
  @IsIn(['score', '-score', 'reference'])
  sort?: 'score' | '-score' | 'reference';

  @IsOptional() @IsString() @MaxLength(10) themeCode?: string;

  /** A page of the table (absent: the whole table, as the COTECH prints it). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

export class FinancerLineDto {
  partnerCode!: string;
  requestedCents!: number;
  proposedAmountCents!: number | null;
  opinion!: string | null;
  totalScore!: number | null;
  final!: boolean;
}

export class SummaryWarningDto {
  rule!: string;
  code?: string;
  message!: string;
}

export class OutsideFundingDto {
  funder!: string;
  amountCents!: number;
}

export class SummaryRowDto {
  applicationId!: string;
  reference!: string;
  organizationId!: string;
  holderName!: string;
  title!: string;
  themeCode!: string;
  qpvCodes!: string[];
  /** Charges without the contributions in kind. */
  totalCostCents!: number;
  /** Contributions in kind (86 = 87), outside every share. */
  inKindCents!: number;
  requestedCents!: number;
  proposedCents!: number;
  financers!: FinancerLineDto[];
  /** Funders outside the contract and what the budget counts on from each: shown, not decided here. */
  outsideFunding!: OutsideFundingDto[];
  /** Mean of the financers' final weighted totals. */
  averageScore!: number | null;
  warnings!: SummaryWarningDto[];
}

export class PendingDto {
  partnerCode!: string;
  asked!: number;
  reviewed!: number;
  pending!: number;
}

export class ReviewSummaryDto {
  items!: SummaryRowDto[];
  total!: number;
  pendingByFinancer!: PendingDto[];
}
