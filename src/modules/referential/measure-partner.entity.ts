import { Column, Entity, Index, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { MeasureEntity } from './measure.entity.js';
import { PartnerEntity } from './partner.entity.js';

export type MeasurePartnerRole = 'LEAD' | 'ASSOCIATED';

/** A partner's part in a measure: chef de file (LEAD) or partenaire associé (ASSOCIATED). */
@Entity({ name: 'measure_partners' })
export class MeasurePartnerEntity {
  @PrimaryColumn({ type: 'uuid' })
  measureId!: string;

  @PrimaryColumn({ type: 'uuid' })
  partnerId!: string;

  @ManyToOne(() => MeasureEntity, { onDelete: 'CASCADE' })
  measure!: Relation<MeasureEntity>;

  @Index('ix_measure_partners_partner_id')
  @ManyToOne(() => PartnerEntity, { onDelete: 'CASCADE' })
  partner!: Relation<PartnerEntity>;

  @Column({ type: 'varchar', length: 10 })
  role!: MeasurePartnerRole;
}
