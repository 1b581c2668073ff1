import { PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { OrganizationInputDto } from '../../accounts/dto/organization.dto.js';
import { lowerTrimmed } from '../../accounts/dto/auth.dto.js';
import { IsEmail, IsNotEmpty, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsIdentityText } from '../../accounts/dto/identity-text.validator.js';

export class PasswordResetRequestDto {
  @Transform(lowerTrimmed)
  @IsEmail()
  @MaxLength(254)
  email!: string;
}

export class PasswordResetConfirmDto {
  /** The `token` query parameter of the link received by e-mail. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  token!: string;

  /** At least 12 characters, not all one character, not among the most common passwords. */
  @IsString()
  @MinLength(12)
  @MaxLength(200)
  newPassword!: string;
}

export class TokenDto {
  /** The `token` query parameter of the link received by e-mail. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  token!: string;
}

export class AcceptInvitationDto {
  /** The `token` query parameter of the invitation's link. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  token!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @IsIdentityText()
  displayName!: string;

  @IsString()
  @MinLength(12)
  @MaxLength(200)
  password!: string;
}

export class InvitationDto {
  @Transform(lowerTrimmed)
  @IsEmail()
  @MaxLength(254)
  @IsIdentityText()
  email!: string;
}

export class SuspensionDto {
  /** Why (it is kept with the organisation and shown to its members). */
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason!: string;
}

export class JoinRequestAcceptedDto {
  joinRequestId!: string;
}

export class InvitationCreatedDto {
  invitationId!: string;
}

export class JoinRequestDto {
  id!: string;
  status!: 'PENDING' | 'ACCEPTED' | 'REFUSED';
  email!: string;
  displayName!: string;
  createdAt!: Date;
  decidedAt!: Date | null;
}

export class JoinRequestListDto {
  items!: JoinRequestDto[];
}

export class OrganizationSummaryDto {
  id!: string;
  name!: string;
  legalForm!: string;
  siret!: string | null;
  rna!: string | null;
  contactEmail!: string;
  contactEmailConfirmed!: boolean;
  createdAt!: Date;
  suspendedAt!: Date | null;
  suspensionReason!: string | null;
  members!: number;
  pendingJoinRequests!: number;
  applications!: number;
}

export class OrganizationListDto {
  items!: OrganizationSummaryDto[];
}

export class ResendConfirmationDto {
  /** Also resend the organisation's contact-address confirmation, if still unconfirmed. */
  @IsOptional()
  contact?: boolean;
}

/** The organisation's record, changed by its members (its SIRET added later, a new address...), checked as at registration. */
export class UpdateOrganizationDto extends PartialType(OrganizationInputDto) {}

export class MyOrganizationDto {
  id!: string;
  name!: string;
  legalForm!: string;
  siret!: string | null;
  rna!: string | null;
  address!: string;
  legalRepresentative!: string;
  contactEmail!: string;
  contactEmailConfirmed!: boolean;
}
