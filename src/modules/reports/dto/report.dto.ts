import { Type } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { BeneficiariesDto, BudgetDto, CheckResultDto } from '../../applications/dto/application.dto.js';

export class PutReportDto {
  /** Actual charges and products. */
  @ValidateNested() @Type(() => BudgetDto) budget!: BudgetDto;
  /** Beneficiaries reached, by sex, age and QPV. */
  @ValidateNested() @Type(() => BeneficiariesDto) beneficiaries!: BeneficiariesDto;
  /** What was achieved, and what was not. */
  @IsString() @IsNotEmpty() @MaxLength(20000) achievements!: string;
  /** Required when the actual cost differs from the forecast by more than 15 %. */
  @IsOptional() @IsString() @MaxLength(5000) varianceExplanation?: string;
}

export class ReportDto {
  applicationId!: string;
  status!: string;
  budget!: BudgetDto;
  beneficiaries!: BeneficiariesDto;
  achievements!: string;
  varianceExplanation!: string | null;
  checks!: CheckResultDto[];
  submittedAt!: string | null;
  /** What the city team asked to correct, when it returned the report. */
  returnMessage!: string | null;
  acceptedAt!: string | null;
}
