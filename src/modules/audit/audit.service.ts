import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../common/auth.js';
import { AuditEventEntity } from './audit-event.entity.js';
import { UserEntity } from '../accounts/user.entity.js';
import type { AuditEventDto, AuditPageDto, AuditQueryDto } from './dto/audit-event.dto.js';

/** Reads the audit trail of the caller's contract. Nothing here writes: the database's triggers do. */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(user: AuthUser, query: AuditQueryDto): Promise<AuditPageDto> {
    const builder = this.dataSource
      .getRepository(AuditEventEntity)
      .createQueryBuilder('event')
      .leftJoinAndMapOne('event.actor', UserEntity, 'actor', 'actor.id = event.actor_id')
      .where('event.contract_id = :contractId', { contractId: user.contractId })
      .orderBy('event.id', 'DESC')
      .take(query.limit)
      .skip(query.offset);
    if (query.tableName) builder.andWhere('event.table_name = :tableName', { tableName: query.tableName });
    if (query.rowId) builder.andWhere('event.row_id = :rowId', { rowId: query.rowId });
    const [events, total] = await builder.getManyAndCount();
    return { items: events.map(toDto), total };
  }
}

function toDto(event: AuditEventEntity & { actor?: UserEntity | null }): AuditEventDto {
  return {
    id: event.id,
    occurredAt: event.occurredAt.toISOString(),
    actor: event.actor
      ? { id: event.actor.id, email: event.actor.email, displayName: event.actor.displayName }
      : null,
    requestId: event.requestId,
    tableName: event.tableName,
    rowId: event.rowId,
    operation: event.operation,
    before: event.before,
    after: event.after,
  };
}
