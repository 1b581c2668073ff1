import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A project holder: an association loi 1901, a social landlord, a public body. */
@Entity({ name: 'organizations' })
@Index('ux_organizations_siret', ['siret'], { unique: true, where: 'siret IS NOT NULL' })
@Index('ux_organizations_rna', ['rna'], { unique: true, where: 'rna IS NOT NULL' })
export class OrganizationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 300 })
  name!: string;

  @Column({ type: 'varchar', length: 100 })
  legalForm!: string;

  @Column({ type: 'char', length: 14, nullable: true })
  siret!: string | null;

  @Column({ type: 'char', length: 10, nullable: true })
  rna!: string | null;

  @Column({ type: 'varchar', length: 500 })
  address!: string;

  @Column({ type: 'varchar', length: 200 })
  legalRepresentative!: string;

  @Column({ type: 'varchar', length: 254 })
  contactEmail!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
