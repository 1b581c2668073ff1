import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination.dto.js';
import { AUDIT_OPERATIONS, type AuditOperation } from '../audit-event.entity.js';

export class AuditQueryDto extends PageQueryDto {
  /** Only changes to this table (grant_applications, campaigns, decisions, reviews, envelopes, …). */
  @IsOptional()
  @Matches(/^[a-z_]{1,63}$/)
  tableName?: string;

  /** Only changes to this row (its id). */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  rowId?: string;
}

export class AuditActorDto {
  id!: string;
  email!: string;
  displayName!: string;
}

export class AuditEventDto {
  id!: string;
  occurredAt!: string;
  /** Null when the system acted (a job, a scheduled scan). */
  actor!: AuditActorDto | null;
  requestId!: string | null;
  tableName!: string;
  rowId!: string;
  @ApiProperty({ enum: AUDIT_OPERATIONS })
  operation!: AuditOperation;
  /** The changed columns as they were (null for an insertion). */
  before!: Record<string, unknown> | null;
  /** The changed columns as they became (null for a deletion). */
  after!: Record<string, unknown> | null;
}

export class AuditPageDto {
  items!: AuditEventDto[];
  total!: number;
}
