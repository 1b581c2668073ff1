import {
  IsBoolean,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Validate,
  ValidatorConstraint,
} from 'class-validator';
import type { ValidatorConstraintInterface } from 'class-validator';
import { isValidSiret } from '../identifiers.js';

@ValidatorConstraint({ name: 'invalidSiret' })
class PartnerSiretConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isValidSiret(value);
  }
  defaultMessage(): string {
    return 'Le SIRET doit compter 14 chiffres et respecter la clé de contrôle (Luhn).';
  }
}
import { PageQueryDto } from '../../../common/pagination.dto.js';
import { PARTNER_KINDS } from '../partner.entity.js';
import type { PartnerKind } from '../partner.entity.js';
import { ApiProperty } from '@nestjs/swagger';

export class ReferentialQueryDto extends PageQueryDto {
  /** The contract to read; defaults to the caller's contract, then to the deployment's first contract. */
  @IsOptional()
  @IsUUID()
  contractId?: string;

  /** The contract to read, by its ANCT code (CN02601I). */
  @IsOptional()
  @IsString()
  @MaxLength(20)
  contractCode?: string;
}

export class MeasureDto {
  id!: string;
  label!: string;
  /** Chefs de file. */
  leadPartners!: string[];
  /** Partenaires associés. */
  partners!: string[];
}

export class StakeDto {
  id!: string;
  label!: string;
  measures!: MeasureDto[];
}

export class ThemeDto {
  code!: string;
  label!: string;
  stakes!: StakeDto[];
}

export class ThemePageDto {
  items!: ThemeDto[];
  total!: number;
}

export class PartnerDto {
  code!: string;
  name!: string;
  siret?: string;
  @ApiProperty({ enum: PARTNER_KINDS })
  kind!: PartnerKind;
  parentCode?: string;
  isFinancer!: boolean;
  /** Who signs the conventions for the partner, and in what capacity. */
  signatory?: string;
}

export class PartnerPageDto {
  items!: PartnerDto[];
  total!: number;
}

export class QpvDto {
  code!: string;
  name!: string;
  commune!: string;
  /** Inhabitants, null where the official figure is not known. */
  population!: number | null;
  /** Earlier or local names (Pracomtal, centre ancien). */
  formerNames!: string[];
}

export class QpvPageDto {
  items!: QpvDto[];
  total!: number;
}

export class UpdatePartnerDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  /** SIRET under which the partner publishes its subsidies (SCDL idAttribuant). */
  @IsOptional()
  @Validate(PartnerSiretConstraint)
  siret?: string;

  @IsOptional()
  @IsBoolean()
  isFinancer?: boolean;

  /** Who signs the conventions for the partner, and in what capacity (« le maire de Montélimar »). */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  signatory?: string;
}
