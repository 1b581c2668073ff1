import { Type } from 'class-transformer';
import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  Equals,
  IsArray,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { BeneficiariesDto, BudgetDto, CheckResultDto } from '../../applications/dto/application.dto.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** An indicator of the application, with what the action achieved (CERFA 15059 « Indicateurs »). */
export class ReportIndicatorDto {
  @IsString() @IsNotEmpty() @MaxLength(200) label!: string;
  @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(1_000_000_000) targetValue!: number;
  @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(1_000_000_000) achievedValue!: number;
  @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}

/** The beneficiaries reached, with how many live in each QPV (QPV code → count). */
export class ReportBeneficiariesDto extends BeneficiariesDto {
  @ApiProperty({ required: false, example: { QN02602M: 12 } })
  @IsOptional()
  @IsObject()
  byQpv?: Record<string, number>;
}

/** The signatory's attestation of the report (CERFA 15059 « Attestation »). */
export class ReportCertificationDto {
  @IsString() @IsNotEmpty() @MaxLength(200) signatoryName!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) signatoryRole!: string;
  @Equals(true) certifiesAccuracy!: boolean;
}

export class PutReportDto {
  /** Actual charges and products. */
  @ValidateNested() @Type(() => BudgetDto) budget!: BudgetDto;
  /** Beneficiaries reached, by sex, age and QPV. */
  @ValidateNested() @Type(() => ReportBeneficiariesDto) beneficiaries!: ReportBeneficiariesDto;
  /** What was achieved, and what was not. */
  @IsString() @IsNotEmpty() @MaxLength(20000) achievements!: string;
  /** Required when the actual cost differs from the forecast by more than 15 %. */
  @IsOptional() @IsString() @MaxLength(5000) varianceExplanation?: string;

  /** One per indicator of the application, with the value achieved. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ReportIndicatorDto)
  indicators?: ReportIndicatorDto[];

  @ApiProperty({ required: false, example: '2027-09-01' })
  @IsOptional()
  @Matches(DATE_ONLY)
  @IsISO8601({ strict: true })
  actualStartDate?: string;

  @ApiProperty({ required: false, example: '2028-06-30' })
  @IsOptional()
  @Matches(DATE_ONLY)
  @IsISO8601({ strict: true })
  actualEndDate?: string;

  @IsOptional() @ValidateNested() @Type(() => ReportCertificationDto) certification?: ReportCertificationDto;
}

export class ReportDto {
  applicationId!: string;
  status!: string;
  budget!: BudgetDto;
  beneficiaries!: ReportBeneficiariesDto;
  achievements!: string;
  indicators!: ReportIndicatorDto[];
  actualStartDate!: string | null;
  actualEndDate!: string | null;
  certification!: ReportCertificationDto | null;
  varianceExplanation!: string | null;
  checks!: CheckResultDto[];
  submittedAt!: string | null;
  /** What the city team asked to correct, when it returned the report. */
  returnMessage!: string | null;
  acceptedAt!: string | null;
}
