import { Column, Entity, Index, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { ContractEntity } from './contract.entity.js';

/** A quartier prioritaire de la politique de la ville, by its official code (2024 geography). */
@Entity({ name: 'qpvs' })
export class QpvEntity {
  @PrimaryColumn({ type: 'varchar', length: 12 })
  code!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 200 })
  commune!: string;

  @Column({ type: 'varchar', length: 5 })
  inseeCommune!: string;

  /** Inhabitants, where the official figure is known; never guessed. */
  @Column({ type: 'integer', nullable: true })
  population!: number | null;

  /** Names the same area had in earlier geographies or in local usage (Pracomtal, centre ancien). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  formerNames!: string[];

  @ManyToOne(() => ContractEntity, { nullable: true, onDelete: 'SET NULL' })
  contract!: Relation<ContractEntity> | null;

  @Index('ix_qpvs_contract_id')
  @Column({ type: 'uuid', nullable: true })
  contractId!: string | null;
}
