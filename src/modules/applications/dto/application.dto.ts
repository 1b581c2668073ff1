import { applyDecorators } from '@nestjs/common';
import { ApiProperty, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
  ValidateIf,
  IsObject,
} from 'class-validator';
import { MAX_CENTS } from '../../../common/money.js';
import { PageQueryDto } from '../../../common/pagination.dto.js';
import { APPLICATION_STATUSES } from '../application-status.js';
import type { ApplicationStatus } from '../application-status.js';
import { CHARGE_ACCOUNTS, PRODUCT_ACCOUNTS } from '../budget.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_PEOPLE = 10_000_000;

export class AgeBandsDto {
  @IsOptional() @IsInt() @Min(0) @Max(MAX_PEOPLE) '0-5'?: number;
  @IsOptional() @IsInt() @Min(0) @Max(MAX_PEOPLE) '6-11'?: number;
  @IsOptional() @IsInt() @Min(0) @Max(MAX_PEOPLE) '12-15'?: number;
  @IsOptional() @IsInt() @Min(0) @Max(MAX_PEOPLE) '16-25'?: number;
  @IsOptional() @IsInt() @Min(0) @Max(MAX_PEOPLE) '26-64'?: number;
  @IsOptional() @IsInt() @Min(0) @Max(MAX_PEOPLE) '65+'?: number;
}

export class BeneficiariesDto {
  /** Expected beneficiaries in total. */
  @IsInt() @Min(0) @Max(MAX_PEOPLE) total!: number;
  /** Of whom living in a QPV. */
  @IsInt() @Min(0) @Max(MAX_PEOPLE) qpvResidents!: number;
  @IsInt() @Min(0) @Max(MAX_PEOPLE) women!: number;
  @IsInt() @Min(0) @Max(MAX_PEOPLE) men!: number;
  @ValidateNested() @Type(() => AgeBandsDto) byAge!: AgeBandsDto;
}

export class GenderEqualityDto {
  /** OECD DAC gender marker: 0 not targeted, 1 significant objective, 2 principal objective. */
  @ApiProperty({ enum: [0, 1, 2] })
  @IsIn([0, 1, 2])
  marker!: 0 | 1 | 2;

  /** How the action takes gender equality into account. */
  @IsString() @MaxLength(5000) measures!: string;

  /** Why the expected share of women is below the campaign's threshold, where it is. */
  @IsOptional() @IsString() @MaxLength(2000) womenShareJustification?: string;
}

export class PriorityStatementDto {
  @IsString() @MaxLength(5000) measures!: string;
}

export class PrioritiesDto {
  @ValidateNested() @Type(() => GenderEqualityDto) genderEquality!: GenderEqualityDto;
  @ValidateNested() @Type(() => PriorityStatementDto) youth!: PriorityStatementDto;
  @ValidateNested() @Type(() => PriorityStatementDto) antiDiscrimination!: PriorityStatementDto;
}

export class ChargeLineDto {
  @ApiProperty({ enum: CHARGE_ACCOUNTS })
  @IsIn(CHARGE_ACCOUNTS)
  account!: string;
  @IsString() @IsNotEmpty() @MaxLength(300) label!: string;
  @IsInt() @Min(0) @Max(MAX_CENTS) amountCents!: number;
}

export class ProductLineDto {
  @ApiProperty({ enum: PRODUCT_ACCOUNTS })
  @IsIn(PRODUCT_ACCOUNTS)
  account!: string;
  @IsString() @IsNotEmpty() @MaxLength(300) label!: string;
  @IsInt() @Min(0) @Max(MAX_CENTS) amountCents!: number;
  /** On 74 lines, one of the two: the contract's financer asked (E, V, CAF...), reviewed and decided here… */
  @IsOptional() @IsString() @MaxLength(20) partnerCode?: string;
  /** …or a funder outside the contract (« Fonds social européen », « Fondation de France »), counted only. */
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) funder?: string;
}

export class IndicatorDto {
  /** What is measured: « Jeunes accompagnés vers l’emploi ». */
  @IsString() @IsNotEmpty() @MaxLength(200) label!: string;
  /** Its unit: « personnes », « ateliers », « % ». */
  @IsString() @IsNotEmpty() @MaxLength(50) unit!: string;
  /** The target the action commits to. */
  @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(1_000_000_000) targetValue!: number;
}

export class BudgetDto {
  @IsArray()
  @ArrayMaxSize(100)
  @IsObject({ each: true }) // an array or a number in the list would pass nested validation
  @ValidateNested({ each: true })
  @Type(() => ChargeLineDto)
  charges!: ChargeLineDto[];
  @IsArray()
  @ArrayMaxSize(100)
  @IsObject({ each: true }) // an array or a number in the list would pass nested validation
  @ValidateNested({ each: true })
  @Type(() => ProductLineDto)
  products!: ProductLineDto[];
}

/** The QPV targeted: up to 30 distinct codes. */
const QpvCodes = () =>
  applyDecorators(
    IsArray(),
    ArrayMaxSize(30),
    ArrayUnique(),
    IsString({ each: true }),
    MaxLength(12, { each: true }),
  );

/** A new draft needs a title and a theme (its reference carries the theme); the rest may come later. */
export class CreateApplicationDto {
  @IsString() @IsNotEmpty() @MaxLength(300) title!: string;
  @IsOptional() @IsString() @MaxLength(2000) summary?: string;
  @IsOptional() @IsString() @MaxLength(5000) objectives?: string;
  @IsOptional() @IsString() @MaxLength(20000) description?: string;
  @IsString() @IsNotEmpty() @MaxLength(10) themeCode!: string;
  @IsOptional() @IsUUID() stakeId?: string;
  @IsOptional() @IsUUID() measureId?: string;

  @IsOptional() @QpvCodes() qpvCodes?: string[];

  @IsOptional() @IsString() @MaxLength(500) location?: string;

  @ApiProperty({ required: false, example: '2027-03-01' })
  @IsOptional()
  @Matches(DATE_ONLY)
  @IsISO8601({ strict: true })
  startDate?: string;

  @ApiProperty({ required: false, example: '2027-12-31' })
  @IsOptional()
  @Matches(DATE_ONLY)
  @IsISO8601({ strict: true })
  endDate?: string;

  /** Last year's application this one renews. */
  @IsOptional() @IsUUID() renewalOf?: string;

  @IsOptional() @ValidateNested() @Type(() => BeneficiariesDto) beneficiaries?: BeneficiariesDto;
  @IsOptional() @ValidateNested() @Type(() => PrioritiesDto) priorities?: PrioritiesDto;
  @IsOptional() @ValidateNested() @Type(() => BudgetDto) budget?: BudgetDto;
  /** Evaluation indicators, 1 to 10; at least one to submit. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => IndicatorDto)
  indicators?: IndicatorDto[];
}

/** Present means validated, null included (`@IsOptional` would let null through to a NOT NULL column). */
const IfPresent = () => ValidateIf((_object: unknown, value: unknown) => value !== undefined);

/**
 * Every field may be saved later: a draft is completed step by step; the checks list what is missing.
 * Title, theme and QPV may be omitted but not emptied with null.
 */
export class UpdateApplicationDto extends PartialType(
  OmitType(CreateApplicationDto, ['title', 'themeCode', 'qpvCodes'] as const),
) {
  @IfPresent() @IsString() @IsNotEmpty() @MaxLength(300) title?: string;
  @IfPresent() @IsString() @IsNotEmpty() @MaxLength(10) themeCode?: string;

  @IfPresent() @QpvCodes() qpvCodes?: string[];

  /** The version this edit is based on (or the If-Match header): a stale edit gets 409 with `currentVersion`. */
  @IsOptional() @IsInt() @Min(1) version?: number;
}

export class CertificationDto {
  @IsString() @IsNotEmpty() @MaxLength(200) signatoryName!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) signatoryRole!: string;
  /** Attestation sur l'honneur (CERFA 12156 §7): the application is true and complete. */
  @IsOptional() @IsBoolean() certifiesAccuracy?: boolean;
  /** The organisation is up to date with its social and tax obligations. */
  @IsOptional() @IsBoolean() obligationsUpToDate?: boolean;
  /** The action's budget was approved by the statutory bodies. */
  @IsOptional() @IsBoolean() budgetApproved?: boolean;
  /** The public aid of the last three years is declared. */
  @IsOptional() @IsBoolean() publicAidDeclared?: boolean;
  /** The subsidy is paid to the organisation's own bank account. */
  @IsOptional() @IsBoolean() paymentToOwnAccount?: boolean;
  /** The contrat d'engagement républicain (loi 2021-1109), asked of associations and foundations only. */
  @IsOptional() @IsBoolean() republicanCommitmentSigned?: boolean;
}

export class SubmitApplicationDto {
  @IsOptional() @ValidateNested() @Type(() => CertificationDto) certification?: CertificationDto;
}

export class ReturnApplicationDto {
  /** What the holder must complete or correct. */
  @IsString() @IsNotEmpty() @MaxLength(5000) message!: string;
}

export class EligibilityDto {
  @IsBoolean() eligible!: boolean;
  /** Required when ineligible. */
  @IsOptional() @IsString() @MaxLength(5000) reason?: string;
}

export class RenewApplicationDto {
  @IsUUID() campaignId!: string;
}

export const APPLICATION_SORTS = ['reference', '-requested', 'submitted', 'holder'] as const;
export type ApplicationSort = (typeof APPLICATION_SORTS)[number];

export class ApplicationQueryDto extends PageQueryDto {
  @IsOptional() @IsUUID() campaignId?: string;
  @ApiProperty({ required: false, enum: APPLICATION_STATUSES })
  @IsOptional()
  @IsIn(APPLICATION_STATUSES)
  status?: ApplicationStatus;
  @IsOptional() @IsString() @MaxLength(10) themeCode?: string;
  @IsOptional() @IsString() @MaxLength(12) qpvCode?: string;
  @IsOptional() @IsString() @MaxLength(20) partnerCode?: string;

  /** Words found in the reference, the title or the holder's name (case and accents ignored). */
  @IsOptional() @IsString() @MaxLength(100) q?: string;

  /** FAIL: a blocking check failed on the submitted version; WARN: a warning was raised. */
  @ApiProperty({ required: false, enum: ['FAIL', 'WARN'] })
  @IsOptional()
  @IsIn(['FAIL', 'WARN'])
  check?: 'FAIL' | 'WARN';

  /** reference (default), -requested (largest request first), submitted (oldest first), holder. */
  @ApiProperty({ required: false, enum: APPLICATION_SORTS })
  @IsOptional()
  @IsIn(APPLICATION_SORTS)
  sort?: ApplicationSort;
}

export class CheckResultDto {
  rule!: string;
  @ApiProperty({ enum: ['PASS', 'WARN', 'FAIL'] })
  status!: 'PASS' | 'WARN' | 'FAIL';
  blocking!: boolean;
  message!: string;
  code?: string;
  field?: string;
}

export class CheckReportDto {
  items!: CheckResultDto[];
  total!: number;
}

export class HolderDto {
  organizationId!: string;
  name!: string;
  legalForm!: string;
  siret!: string | null;
  rna!: string | null;
  address!: string;
  legalRepresentative!: string;
  contactEmail!: string;
}

export class RequestDto {
  partnerCode!: string;
  requestedCents!: number;
}

export class AttachmentDto {
  id!: string;
  kind!: string;
  filename!: string;
  contentType!: string;
  sizeBytes!: number;
  sha256!: string;
  createdAt!: string;
}

export class TransitionDto {
  fromStatus!: string | null;
  toStatus!: string;
  actorId!: string | null;
  message!: string | null;
  at!: string;
}

export class ApplicationDecisionDto {
  partnerCode!: string;
  requestedCents!: number;
  grantedAmountCents!: number;
  /** Why a financer refused or granted less than asked. */
  reason!: string | null;
  decidedAt!: string;
}

export class ApplicationSummaryDto {
  id!: string;
  reference!: string;
  @ApiProperty({ enum: APPLICATION_STATUSES })
  status!: ApplicationStatus;
  campaignId!: string;
  organizationId!: string;
  holderName!: string;
  title!: string;
  themeCode!: string;
  qpvCodes!: string[];
  totalCostCents!: number;
  requestedCents!: number;
  submittedAt!: string | null;
  updatedAt!: string;
}

export class ApplicationPageDto {
  items!: ApplicationSummaryDto[];
  total!: number;
}

export class ApplicationDto {
  id!: string;
  campaignId!: string;
  reference!: string;
  @ApiProperty({ enum: APPLICATION_STATUSES })
  status!: ApplicationStatus;
  version!: number;
  holder!: HolderDto;
  title!: string;
  summary!: string | null;
  objectives!: string | null;
  description!: string | null;
  themeCode!: string;
  stakeId!: string | null;
  measureId!: string | null;
  qpvCodes!: string[];
  location!: string | null;
  startDate!: string | null;
  endDate!: string | null;
  renewalOf!: string | null;
  beneficiaries!: BeneficiariesDto | null;
  priorities!: PrioritiesDto | null;
  budget!: BudgetDto | null;
  indicators!: IndicatorDto[];
  totalChargesCents!: number;
  /** The cost of the action: charges without the contributions in kind (86). */
  totalCostCents!: number;
  /** Contributions in kind (86 = 87), left out of every share and total. */
  inKindCents!: number;
  totalProductsCents!: number;
  requests!: RequestDto[];
  certification!: Record<string, unknown> | null;
  submittedAt!: string | null;
  /** The stored report of the submitted version, or the live report of a draft. */
  checks!: CheckResultDto[];
  attachments!: AttachmentDto[];
  history!: TransitionDto[];
  /** COPIL decisions per financer, once taken. */
  decisions!: ApplicationDecisionDto[];
  copilNote!: string | null;
  createdAt!: string;
  updatedAt!: string;
}
