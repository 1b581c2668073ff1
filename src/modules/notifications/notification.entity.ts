import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const NOTIFICATION_STATUSES = ['PENDING', 'SENT', 'FAILED'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/**
 * The outbox: every email is a row written in the same transaction as the event that causes it, with a
 * unique dedupe key, then relayed by a job. A row is never deleted, so nothing accepted is lost.
 */
@Entity({ name: 'notifications' })
@Index('ix_notifications_status_created_at', ['status', 'createdAt'])
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The email event, also the template folder (templates/emails/<type in kebab-case>). */
  @Column({ type: 'varchar', length: 40 })
  type!: string;

  @Column({ type: 'varchar', length: 254 })
  toAddress!: string;

  /** Pre-formatted values for the template: no business arithmetic happens in templates. */
  @Column({ type: 'jsonb' })
  payload!: Record<string, string | string[]>;

  /** The subject as rendered when sent. */
  @Column({ type: 'text', nullable: true })
  subject!: string | null;

  @Index('ux_notifications_dedupe_key', { unique: true })
  @Column({ type: 'varchar', length: 200 })
  dedupeKey!: string;

  @Column({ type: 'varchar', length: 10, default: 'PENDING' })
  status!: NotificationStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'integer', default: 0 })
  resendCount!: number;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Index('ix_notifications_contract_id')
  @Column({ type: 'uuid', nullable: true })
  contractId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  applicationId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
