import { Transform, Type } from 'class-transformer';
import {
  IsDefined,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { OrganizationDto, OrganizationInputDto } from './organization.dto.js';
import { ROLES, type Role } from '../../../common/auth.js';
import { IsIdentityText } from './identity-text.validator.js';

/** An e-mail address as stored: trimmed, lower-cased. */
export const lowerTrimmed = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

export class RegisterDto {
  @Transform(lowerTrimmed)
  @IsEmail()
  @MaxLength(254)
  @IsIdentityText()
  email!: string;

  /** At least 12 characters. */
  @IsString()
  @MinLength(12)
  @MaxLength(200)
  password!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @IsIdentityText()
  displayName!: string;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => OrganizationInputDto)
  organization!: OrganizationInputDto;
}

export class ChangePasswordDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  currentPassword!: string;

  /** At least 12 characters, not all one character, not among the most common passwords. */
  @IsString()
  @MinLength(12)
  @MaxLength(200)
  newPassword!: string;
}

export class LoginDto {
  @Transform(lowerTrimmed)
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  password!: string;
}

export class CreateUserDto {
  @Transform(lowerTrimmed)
  @IsEmail()
  @MaxLength(254)
  @IsIdentityText()
  email!: string;

  @IsString()
  @MinLength(12)
  @MaxLength(200)
  password!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @IsIdentityText()
  displayName!: string;

  @IsIn(['FINANCER', 'CITY_TEAM'])
  role!: 'FINANCER' | 'CITY_TEAM';

  /** Required for a FINANCER: the partner it reviews for (E, V, CAF, CD, CR, AGG, ...). */
  @IsOptional()
  @IsString()
  @MaxLength(20)
  partnerCode?: string;
}

export class UserDto {
  id!: string;
  email!: string;
  displayName!: string;
  @IsIn(ROLES)
  role!: Role;
  organizationId?: string;
  partnerCode?: string;
}

export class RegisterResultDto {
  user!: UserDto;
  organization!: OrganizationDto;
}

export class LoginResultDto {
  accessToken!: string;
  user!: UserDto;
}
