import { Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { StakeEntity } from './stake.entity.js';

/** A mesure d'accompagnement under a stake. */
@Entity({ name: 'measures' })
@Index('ux_measures_stake_position', ['stake', 'position'], { unique: true })
export class MeasureEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @ManyToOne(() => StakeEntity, { nullable: false, onDelete: 'CASCADE' })
  stake!: Relation<StakeEntity>;

  @Column({ type: 'uuid' })
  stakeId!: string;

  @Column({ type: 'text' })
  label!: string;

  @Column({ type: 'smallint' })
  position!: number;
}
