import { Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { CampaignEntity } from './campaign.entity.js';
import { PartnerEntity } from '../referential/partner.entity.js';
import { ThemeEntity } from '../referential/theme.entity.js';
import { bigintCents } from '../../common/money.js';

/** What one financer puts in a campaign, for one theme or (theme null) for all themes. */
@Entity({ name: 'envelopes' })
@Index('ux_envelopes_campaign_partner_theme', ['campaign', 'partner', 'theme'], {
  unique: true,
  where: 'theme_id IS NOT NULL',
})
@Index('ux_envelopes_campaign_partner_all_themes', ['campaign', 'partner'], {
  unique: true,
  where: 'theme_id IS NULL',
})
export class EnvelopeEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @ManyToOne(() => CampaignEntity, { nullable: false, onDelete: 'CASCADE' })
  campaign!: Relation<CampaignEntity>;

  @Column({ type: 'uuid' })
  campaignId!: string;

  @ManyToOne(() => PartnerEntity, { nullable: false, onDelete: 'RESTRICT' })
  partner!: Relation<PartnerEntity>;

  @Column({ type: 'uuid' })
  partnerId!: string;

  @ManyToOne(() => ThemeEntity, { nullable: true, onDelete: 'RESTRICT' })
  theme!: Relation<ThemeEntity> | null;

  @Column({ type: 'uuid', nullable: true })
  themeId!: string | null;

  @Column({ type: 'bigint', transformer: bigintCents })
  amountCents!: number;
}
