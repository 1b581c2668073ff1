import { Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { ContractEntity } from './contract.entity.js';

/** A thématique of the contract (Emploi, Logement, ...). */
@Entity({ name: 'themes' })
@Index('ux_themes_contract_code', ['contract', 'code'], { unique: true })
export class ThemeEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @ManyToOne(() => ContractEntity, { nullable: false, onDelete: 'CASCADE' })
  contract!: Relation<ContractEntity>;

  @Column({ type: 'uuid' })
  contractId!: string;

  /** Short code used in application references (2027-EMP-0001). */
  @Column({ type: 'varchar', length: 10 })
  code!: string;

  @Column({ type: 'varchar', length: 200 })
  label!: string;

  @Column({ type: 'smallint' })
  position!: number;
}
