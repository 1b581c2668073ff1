import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const CONVENTION_STATUSES = ['PENDING', 'READY', 'FAILED'] as const;
export type ConventionStatus = (typeof CONVENTION_STATUSES)[number];

/** The convention d'objectifs et de financement of a funded application, generated as PDF by a job. */
@Entity({ name: 'conventions' })
export class ConventionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('ux_conventions_application_id', { unique: true })
  @Column({ type: 'uuid' })
  applicationId!: string;

  @Index('ix_conventions_status')
  @Column({ type: 'varchar', length: 10, default: 'PENDING' })
  status!: ConventionStatus;

  /** CONV-2027-EMP-0001 */
  @Column({ type: 'varchar', length: 40 })
  number!: string;

  /** The date the convention carries (the closing of the programming): it fixes the PDF's bytes. */
  @Column({ type: 'date' })
  issuedOn!: string;

  @Column({ type: 'bytea', nullable: true })
  pdf!: Buffer | null;

  @Column({ type: 'char', length: 64, nullable: true })
  sha256!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  generatedAt!: Date | null;

  @Column({ type: 'integer', default: 0 })
  generations!: number;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  /** The last party's signature date, once the holder and every granting financer have signed (SCDL dateConvention). */
  @Column({ type: 'date', nullable: true })
  signedOn!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
