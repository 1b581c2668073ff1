import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
  IsObject,
} from 'class-validator';
import { MAX_CENTS } from '../../../common/money.js';
import { PageQueryDto } from '../../../common/pagination.dto.js';
import { CAMPAIGN_STATUSES } from '../campaign-status.js';
import type { CampaignStatus } from '../campaign-status.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const CODE = /^[A-Z][A-Z0-9_]{0,39}$/;

export class CampaignRulesDto {
  /** Share of beneficiaries living in a QPV expected (default 50). */
  @IsInt()
  @Min(0)
  @Max(100)
  minQpvSharePercent!: number;

  /** Largest share of the action's cost one financer may be asked for (default 80). */
  @IsInt()
  @Min(0)
  @Max(100)
  maxSingleFinancerSharePercent!: number;

  /** Share of women among beneficiaries expected, unless explained (default 40). */
  @IsInt()
  @Min(0)
  @Max(100)
  minWomenSharePercent!: number;

  /** Share of a grant paid in advance (default 50). */
  @IsInt()
  @Min(0)
  @Max(100)
  advancePercent!: number;

  /** A request at or above this amount with gender marker 0 raises a warning (default 1 000 000 = 10 000 €). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_CENTS)
  largeRequestThresholdCents?: number;

  /** Themes whose actions are expected to reach people under 26 (default EMP, EDU). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(10, { each: true })
  youthThemeCodes?: string[];

  /** Each financer reads only its own partner's reviews until the programming is closed (default false). */
  @IsOptional()
  @IsBoolean()
  privateReviews?: boolean;
}

export class ScoringCriterionDto {
  @Matches(CODE)
  code!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  label!: string;

  @IsInt()
  @Min(1)
  @Max(10)
  weight!: number;
}

export class CreateCampaignDto {
  @IsInt()
  @Min(2000)
  @Max(2100)
  year!: number;

  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title!: string;

  /** An instant (ISO 8601) or a date, read as the start of that day in Paris. */
  @ApiProperty({ example: '2026-12-01' })
  @IsISO8601({ strict: true })
  opensAt!: string;

  /** An instant (ISO 8601) or a date, read as the end of that day in Paris (23:59:59). */
  @ApiProperty({ example: '2027-01-31' })
  @IsISO8601({ strict: true })
  submissionDeadline!: string;

  @ApiProperty({ example: '2027-02-28' })
  @IsISO8601({ strict: true })
  reviewDeadline!: string;

  @ApiProperty({ example: '2027-03-10' })
  @Matches(DATE_ONLY)
  @IsISO8601({ strict: true })
  cotechDate!: string;

  @ApiProperty({ example: '2027-03-24' })
  @Matches(DATE_ONLY)
  @IsISO8601({ strict: true })
  copilDate!: string;

  @ApiProperty({ example: '2028-06-30' })
  @IsISO8601({ strict: true })
  reportDeadline!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => CampaignRulesDto)
  rules?: CampaignRulesDto;

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsObject({ each: true }) // an array or a number in the list would pass nested validation
  @ValidateNested({ each: true })
  @Type(() => ScoringCriterionDto)
  scoringGrid?: ScoringCriterionDto[];
}

export class CampaignRulesViewDto extends CampaignRulesDto {
  declare largeRequestThresholdCents: number;
  declare youthThemeCodes: string[];
  declare privateReviews: boolean;
}

export class CampaignDto {
  id!: string;
  contractId!: string;
  year!: number;
  title!: string;
  @ApiProperty({ enum: CAMPAIGN_STATUSES })
  status!: CampaignStatus;
  opensAt!: string;
  submissionDeadline!: string;
  reviewDeadline!: string;
  cotechDate!: string;
  copilDate!: string;
  reportDeadline!: string;
  rules!: CampaignRulesViewDto;
  scoringGrid!: ScoringCriterionDto[];
  /** Each financer's deliberation reference for the year, by partner code. */
  deliberations!: Record<string, string>;
  createdAt!: string;
}

export class CampaignPageDto {
  items!: CampaignDto[];
  total!: number;
}

export class CampaignQueryDto extends PageQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;
}

export class EnvelopeInputDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(20)
  partnerCode!: string;

  /** Absent: the envelope serves all themes. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(10)
  themeCode?: string;

  @IsInt()
  @Min(0)
  @Max(MAX_CENTS)
  amountCents!: number;
}

export class PutEnvelopesDto {
  @IsArray()
  @ArrayMaxSize(500)
  @IsObject({ each: true }) // an array or a number in the list would pass nested validation
  @ValidateNested({ each: true })
  @Type(() => EnvelopeInputDto)
  envelopes!: EnvelopeInputDto[];
}

export class EnvelopeDto {
  partnerCode!: string;
  themeCode?: string;
  amountCents!: number;
  /** Granted by COPIL decisions drawn on this envelope. */
  allocatedCents!: number;
  remainingCents!: number;
}

export class EnvelopePageDto {
  items!: EnvelopeDto[];
  total!: number;
}

export class DeliberationInputDto {
  @IsString() @IsNotEmpty() @MaxLength(20) partnerCode!: string;
  /** « Délibération n° 2027-045 du conseil municipal du 12 mars 2027 ». */
  @IsString() @IsNotEmpty() @MaxLength(300) reference!: string;
}

export class PutDeliberationsDto {
  @IsArray()
  @ArrayMaxSize(50)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => DeliberationInputDto)
  deliberations!: DeliberationInputDto[];
}
