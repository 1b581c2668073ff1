import { Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { ContractEntity } from './contract.entity.js';

/** A transversal priority every action must take into account (gender equality, youth, anti-discrimination). */
@Entity({ name: 'transversal_priorities' })
@Index('ux_transversal_priorities_contract_code', ['contract', 'code'], { unique: true })
export class TransversalPriorityEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @ManyToOne(() => ContractEntity, { nullable: false, onDelete: 'CASCADE' })
  contract!: Relation<ContractEntity>;

  @Column({ type: 'uuid' })
  contractId!: string;

  @Column({ type: 'varchar', length: 30 })
  code!: string;

  @Column({ type: 'varchar', length: 200 })
  label!: string;

  @Column({ type: 'text' })
  description!: string;
}
