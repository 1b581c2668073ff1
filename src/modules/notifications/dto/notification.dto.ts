import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination.dto.js';
import { NOTIFICATION_STATUSES } from '../notification.entity.js';
import type { NotificationStatus } from '../notification.entity.js';

export class NotificationQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, enum: NOTIFICATION_STATUSES })
  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES)
  status?: NotificationStatus;

  @IsOptional() @IsString() @MaxLength(40) type?: string;
  @IsOptional() @IsUUID() applicationId?: string;
}

export class NotificationDto {
  id!: string;
  type!: string;
  to!: string;
  /** Null while pending if its template cannot be rendered (the relay will then fail and say why). */
  subject!: string | null;
  @ApiProperty({ enum: NOTIFICATION_STATUSES })
  status!: NotificationStatus;
  dedupeKey!: string;
  sentAt!: string | null;
  attempts!: number;
  lastError!: string | null;
  createdAt!: string;
}

export class NotificationPageDto {
  items!: NotificationDto[];
  total!: number;
}
