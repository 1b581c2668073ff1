import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintCents } from '../../common/money.js';

/** Every decision written or changed: the old and new amounts, who, when and why. */
@Entity({ name: 'decision_changes' })
export class DecisionChangeEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('ix_decision_changes_application_id')
  @Column({ type: 'uuid' })
  applicationId!: string;

  @Column({ type: 'uuid' })
  partnerId!: string;

  @Column({ type: 'bigint', nullable: true, transformer: bigintCents })
  oldGrantedCents!: number | null;

  @Column({ type: 'bigint', transformer: bigintCents })
  newGrantedCents!: number;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'uuid' })
  actorId!: string;

  /** The statement's clock, not the transaction's: several changes of one request keep their order. */
  @CreateDateColumn({ type: 'timestamptz', default: () => 'clock_timestamp()' })
  createdAt!: Date;
}
