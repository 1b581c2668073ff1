import { Column, Entity, Index, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { bigintCents } from '../../common/money.js';
import { GrantApplicationEntity } from './application.entity.js';
import { PartnerEntity } from '../referential/partner.entity.js';

/** What an application asks one financer for: its 74 budget line, kept as a row for filters and sums. */
@Entity({ name: 'application_requests' })
export class ApplicationRequestEntity {
  @PrimaryColumn({ type: 'uuid' })
  applicationId!: string;

  @PrimaryColumn({ type: 'uuid' })
  partnerId!: string;

  @ManyToOne(() => GrantApplicationEntity, { onDelete: 'CASCADE' })
  application!: Relation<GrantApplicationEntity>;

  @Index('ix_application_requests_partner_id')
  @ManyToOne(() => PartnerEntity, { onDelete: 'RESTRICT' })
  partner!: Relation<PartnerEntity>;

  @Column({ type: 'bigint', transformer: bigintCents })
  requestedCents!: number;

  /** Denormalised from the application: the programming aggregates one campaign through this index. */
  @Index('ix_application_requests_campaign_id')
  @Column({ type: 'uuid' })
  campaignId!: string;
}
