import { Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { ContractEntity } from './contract.entity.js';

export const PARTNER_KINDS = [
  'STATE',
  'STATE_SERVICE',
  'EMPLOYMENT_AGENCY',
  'MUNICIPALITY',
  'FAMILY_ALLOWANCE_FUND',
  'DEPARTMENT',
  'DEPARTMENT_DIRECTION',
  'REGION',
  'INTERCOMMUNALITY',
  'SOCIAL_LANDLORD',
  'OTHER',
] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

/** A partner of the contract (a co-financer or an associated partner), possibly a service of another. */
@Entity({ name: 'partners' })
@Index('ux_partners_contract_code', ['contract', 'code'], { unique: true })
export class PartnerEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @ManyToOne(() => ContractEntity, { nullable: false, onDelete: 'CASCADE' })
  contract!: Relation<ContractEntity>;

  @Column({ type: 'uuid' })
  contractId!: string;

  /** Code of the protocol's legend (E, V, CAF, CD, PI, ...). */
  @Column({ type: 'varchar', length: 20 })
  code!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 30 })
  kind!: PartnerKind;

  @ManyToOne(() => PartnerEntity, { nullable: true, onDelete: 'RESTRICT' })
  parent!: Relation<PartnerEntity> | null;

  @Index('ix_partners_parent_id')
  @Column({ type: 'uuid', nullable: true })
  parentId!: string | null;

  @Column({ type: 'boolean', default: false })
  isFinancer!: boolean;

  /** SIRET under which the partner publishes its subsidies (SCDL idAttribuant). */
  @Column({ type: 'varchar', length: 14, nullable: true })
  siret!: string | null;

  /** Who signs the conventions for the partner, and in what capacity (« le préfet de la Drôme »). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  signatory!: string | null;
}
