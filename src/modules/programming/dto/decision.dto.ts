import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
  IsObject,
} from 'class-validator';
import { MAX_CENTS } from '../../../common/money.js';

export class DecisionInputDto {
  @IsString() @IsNotEmpty() @MaxLength(20) partnerCode!: string;
  /** 0 means refused by that financer. */
  @IsInt() @Min(0) @Max(MAX_CENTS) grantedAmountCents!: number;
  /** Required for a refusal or a grant below the request. */
  @IsOptional() @IsString() @MaxLength(5000) reason?: string;
}

export class PutDecisionsDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsObject({ each: true }) // an array or a number in the list would pass nested validation
  @ValidateNested({ each: true })
  @Type(() => DecisionInputDto)
  decisions!: DecisionInputDto[];

  @IsOptional() @IsString() @MaxLength(10000) copilNote?: string;
}

export class DecisionDto {
  partnerCode!: string;
  requestedCents!: number;
  grantedAmountCents!: number;
  reason!: string | null;
  decidedAt!: string;
}

export class DecisionsResultDto {
  applicationId!: string;
  status!: string;
  copilNote!: string | null;
  decisions!: DecisionDto[];
}
