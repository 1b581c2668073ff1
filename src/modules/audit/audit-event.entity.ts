import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const AUDIT_OPERATIONS = ['INSERT', 'UPDATE', 'DELETE'] as const;
export type AuditOperation = (typeof AUDIT_OPERATIONS)[number];

/**
 * One change to an audited table, written by the database's triggers in the changing transaction (migration
 * AuditTrail): who (the actor the API set for the transaction; null for the system), when, which row, and the
 * changed columns before and after. Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE.
 */
@Entity({ name: 'audit_events' })
@Index('ix_audit_events_row', ['tableName', 'rowId'])
@Index('ix_audit_events_contract', ['contractId', 'id'])
export class AuditEventEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column({ type: 'timestamptz', default: () => 'clock_timestamp()' })
  occurredAt!: Date;

  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  requestId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  contractId!: string | null;

  @Column({ type: 'varchar', length: 63 })
  tableName!: string;

  @Column({ type: 'text' })
  rowId!: string;

  @Column({ type: 'varchar', length: 6 })
  operation!: AuditOperation;

  @Column({ type: 'jsonb', nullable: true })
  before!: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  after!: Record<string, unknown> | null;
}
