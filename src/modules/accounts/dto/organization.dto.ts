import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsEmail,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  Validate,
  ValidatorConstraint,
} from 'class-validator';
import type { ValidatorConstraintInterface } from 'class-validator';
import { IsIdentityText } from './identity-text.validator.js';
import { isValidRna, isValidSiret, normaliseIdentifier } from '../../referential/identifiers.js';

@ValidatorConstraint({ name: 'invalidSiret' })
class SiretConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isValidSiret(value);
  }
  defaultMessage(): string {
    return 'Le SIRET doit compter 14 chiffres et respecter la clé de contrôle (Luhn).';
  }
}

@ValidatorConstraint({ name: 'invalidRna' })
class RnaConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isValidRna(value);
  }
  defaultMessage(): string {
    return 'Le numéro RNA doit être de la forme W suivi de 9 caractères (par exemple W261002345).';
  }
}

const trimmed = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;
const identifier = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? normaliseIdentifier(value) : value;

export class OrganizationInputDto {
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  @IsIdentityText()
  name!: string;

  /** Forme juridique (association loi 1901, SA d'HLM, établissement public, ...). */
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  legalForm!: string;

  /** 14 chiffres, clé de Luhn (exception La Poste). At least one of siret and rna. */
  @ApiProperty({ required: false, example: '21260198300019' })
  @IsOptional()
  @Transform(identifier)
  @IsString()
  @Validate(SiretConstraint)
  siret?: string;

  /** Numéro RNA, W + 9 caractères. At least one of siret and rna. */
  @ApiProperty({ required: false, example: 'W261002345' })
  @IsOptional()
  @Transform(identifier)
  @IsString()
  @Validate(RnaConstraint)
  rna?: string;

  @Transform(trimmed)
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  address!: string;

  @Transform(trimmed)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @IsIdentityText()
  legalRepresentative!: string;

  @IsEmail()
  @MaxLength(254)
  @IsIdentityText()
  contactEmail!: string;
}

export class OrganizationDto {
  id!: string;
  name!: string;
  legalForm!: string;
  siret!: string | null;
  rna!: string | null;
  address!: string;
  legalRepresentative!: string;
  contactEmail!: string;
}
