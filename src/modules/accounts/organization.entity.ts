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

  /**
   * When someone followed the link sent to the contact address: until then, official emails go to the
   * members' confirmed addresses instead (`official_email()` in SQL).
   */
  @Column({ type: 'timestamptz', nullable: true })
  contactEmailConfirmedAt!: Date | null;

  /** Suspended by a city team (registered by someone who does not represent it): its members can no longer act. */
  @Column({ type: 'timestamptz', nullable: true })
  suspendedAt!: Date | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  suspensionReason!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
