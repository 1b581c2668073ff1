import {
  Column,
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

/** The COPIL decision of one financer on one application: the amount granted (0 = refused). */
@Entity({ name: 'decisions' })
@Index('ux_decisions_application_partner', ['application', 'partner'], { unique: true })
export class DecisionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @ManyToOne(() => GrantApplicationEntity, { nullable: false, onDelete: 'CASCADE' })
  application!: Relation<GrantApplicationEntity>;

  @Column({ type: 'uuid' })
  applicationId!: string;

  @Index('ix_decisions_partner_id')
  @ManyToOne(() => PartnerEntity, { nullable: false, onDelete: 'RESTRICT' })
  partner!: Relation<PartnerEntity>;

  @Column({ type: 'uuid' })
  partnerId!: string;

  /** Denormalised so that envelope sums stay one indexed scan. */
  @Index('ix_decisions_campaign_partner')
  @Column({ type: 'uuid' })
  campaignId!: string;

  @Column({ type: 'bigint', transformer: bigintCents })
  grantedCents!: number;

  /** Required for a refusal or a partial grant; the holder reads it. */
  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'uuid' })
  decidedBy!: string;

  @UpdateDateColumn({ type: 'timestamptz' })
  decidedAt!: Date;
}
