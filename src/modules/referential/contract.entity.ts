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

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
