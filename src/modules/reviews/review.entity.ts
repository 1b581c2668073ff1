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

export const OPINIONS = ['FAVORABLE', 'RESERVED', 'UNFAVORABLE', 'DEFERRED'] as const;
export type Opinion = (typeof OPINIONS)[number];

/** One financer's review of an application: shared by that partner's reviewers, versioned against lost updates. */
@Entity({ name: 'reviews' })
@Index('ux_reviews_application_partner', ['application', 'partner'], { unique: true })
export class ReviewEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @ManyToOne(() => GrantApplicationEntity, { nullable: false, onDelete: 'CASCADE' })
  application!: Relation<GrantApplicationEntity>;

  @Column({ type: 'uuid' })
  applicationId!: string;

  @Index('ix_reviews_partner_id')
  @ManyToOne(() => PartnerEntity, { nullable: false, onDelete: 'RESTRICT' })
  partner!: Relation<PartnerEntity>;

  @Column({ type: 'uuid' })
  partnerId!: string;

  /** Denormalised from the application: the programming aggregates one campaign through this index. */
  @Index('ix_reviews_campaign_id')
  @Column({ type: 'uuid' })
  campaignId!: string;

  /** Criterion code → whole score from 0 to 5. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  scores!: Record<string, number>;

  @Column({ type: 'varchar', length: 20, nullable: true })
  opinion!: Opinion | null;

  @Column({ type: 'bigint', nullable: true, transformer: bigintCents })
  proposedAmountCents!: number | null;

  @Column({ type: 'text', default: '' })
  comment!: string;

  @Column({ type: 'boolean', default: false })
  final!: boolean;

  /** `weightedScore` of the scores on the campaign's grid (0–5, to the hundredth), stored at each save. */
  @Column({
    type: 'numeric',
    precision: 4,
    scale: 2,
    nullable: true,
    transformer: {
      to: (value: number | null) => value,
      from: (value: string | null) => (value === null ? null : Number(value)),
    },
  })
  weightedScore!: number | null;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  /** The reviewer who wrote the current version. */
  @Column({ type: 'uuid' })
  reviewerId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
