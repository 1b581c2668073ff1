import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Who moved a campaign from one status to the next, and when. */
@Entity({ name: 'campaign_transitions' })
export class CampaignTransitionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('ix_campaign_transitions_campaign_id')
  @Column({ type: 'uuid' })
  campaignId!: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  fromStatus!: string | null;

  @Column({ type: 'varchar', length: 20 })
  toStatus!: string;

  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
