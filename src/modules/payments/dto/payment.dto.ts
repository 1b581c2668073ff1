import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination.dto.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export class SignatureInputDto {
  /** `HOLDER`, or the partner code of a granting financer. */
  @IsString() @IsNotEmpty() @MaxLength(20) party!: string;

  @ApiProperty({ example: '2027-04-15' })
  @Matches(DATE_ONLY)
  @IsISO8601({ strict: true })
  signedOn!: string;
}

export class SignatureDto {
  party!: string;
  signedOn!: string;
}

/** The convention's copy signed by every party, as filed by the city team. */
export class SignedCopyDto {
  filename!: string;
  sha256!: string;
  uploadedAt!: string;
}

export class SignaturesDto {
  /** SIGNED once the holder and every granting financer have signed, else AWAITING_SIGNATURES. */
  @ApiProperty({ enum: ['AWAITING_SIGNATURES', 'SIGNED'] })
  status!: 'AWAITING_SIGNATURES' | 'SIGNED';
  /** The last signature's date once signed (SCDL dateConvention). */
  signedOn!: string | null;
  signatures!: SignatureDto[];
  /** The parties still to sign. */
  missing!: string[];
  /** The scanned copy signed by every party, once filed (`GET …/convention/signed-copy`). */
  signedCopy!: SignedCopyDto | null;
}

export class PaidInputDto {
  @ApiProperty({ example: '2027-05-02' })
  @Matches(DATE_ONLY)
  @IsISO8601({ strict: true })
  paidOn!: string;

  /** The financer's legal commitment reference (engagement juridique, EJ). */
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(50) engagementReference?: string;
}

export class PaymentDto {
  id!: string;
  partnerCode!: string;
  @ApiProperty({ enum: ['ADVANCE', 'BALANCE', 'RECOVERY'] })
  kind!: string;
  amountCents!: number;
  @ApiProperty({ enum: ['DUE', 'PAID'] })
  status!: string;
  dueOn!: string;
  paidOn?: string;
  engagementReference?: string;
  /** Due for more than 60 days and not paid (loi 2021-875: subsidies are paid within 60 days). */
  overdue!: boolean;
}

export class PaymentPageDto {
  items!: PaymentDto[];
  total!: number;
}

export class PaymentQueryDto extends PageQueryDto {
  @IsOptional() @IsIn(['DUE', 'PAID']) status?: 'DUE' | 'PAID';
  /** The city team: one financer's payments (a financer always sees its own). */
  @IsOptional() @IsString() @MaxLength(20) partnerCode?: string;
}

/** A payment with the action it pays. */
export class PaymentLineDto extends PaymentDto {
  applicationId!: string;
  reference!: string;
  title!: string;
  holderName!: string;
}

export class PaymentLinePageDto {
  items!: PaymentLineDto[];
  total!: number;
}

export class ReturnReportDto {
  /** What the holder must correct in its report. */
  @IsString() @IsNotEmpty() @MaxLength(5000) message!: string;
}
