import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import { bigintCents } from '../../common/money.js';
import { GrantApplicationEntity } from '../applications/application.entity.js';
import { PartnerEntity } from '../referential/partner.entity.js';
import type { PaymentKind } from './settlement.js';

export const PAYMENT_STATUSES = ['DUE', 'PAID'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/**
 * A sum one granting financer owes the holder (ADVANCE, BALANCE) or the holder owes back (RECOVERY), due
 * from a date, marked paid with its date and the financer's legal commitment reference (EJ).
 */
@Entity({ name: 'payments' })
@Index('ux_payments_application_partner_kind', ['application', 'partner', 'kind'], { unique: true })
export class PaymentEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @ManyToOne(() => GrantApplicationEntity, { nullable: false, onDelete: 'CASCADE' })
  application!: Relation<GrantApplicationEntity>;

  @Column({ type: 'uuid' })
  applicationId!: string;

  @Index('ix_payments_partner_id')
  @ManyToOne(() => PartnerEntity, { nullable: false, onDelete: 'RESTRICT' })
  partner!: Relation<PartnerEntity>;

  @Column({ type: 'uuid' })
  partnerId!: string;

  @Column({ type: 'varchar', length: 10 })
  kind!: PaymentKind;

  @Column({ type: 'bigint', transformer: bigintCents })
  amountCents!: number;

  @Column({ type: 'varchar', length: 10, default: 'DUE' })
  status!: PaymentStatus;

  @Column({ type: 'date' })
  dueOn!: string;

  @Column({ type: 'date', nullable: true })
  paidOn!: string | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  engagementReference!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
