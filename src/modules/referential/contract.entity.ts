import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A contrat de ville. Everything in the referential and every campaign belongs to one contract. */
@Entity({ name: 'contracts' })
export class ContractEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** ANCT code of the contract (for example CN02601I). */
  @Index('ux_contracts_code', { unique: true })
  @Column({ type: 'varchar', length: 20 })
  code!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 200 })
  territory!: string;

  /** Where the contract's conventions are signed ("Fait à …"): the seat of the contract's city team. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  signaturePlace!: string | null;

  @Column({ type: 'date' })
  periodStart!: string;

  @Column({ type: 'date' })
  periodEnd!: string;

  /**
   * The text the referential (themes, stakes, measures, partners) comes from, and the contract and period it
   * belongs to: Montélimar's protocol is the 2019 amendment of its 2015-2020 contract (CV077, extended to
   * 2022), while the deployment serves the current contract (`code`, `periodStart`–`periodEnd`).
   */
  @Column({ type: 'varchar', length: 300, nullable: true })
  protocolTitle!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  protocolContractName!: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  protocolContractCode!: string | null;

  @Column({ type: 'date', nullable: true })
  protocolPeriodStart!: string | null;

  @Column({ type: 'date', nullable: true })
  protocolPeriodEnd!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
