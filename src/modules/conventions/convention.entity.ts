import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import { AttachmentFileEntity } from '../attachments/attachment-file.entity.js';

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

  /** The copy signed by every party, scanned (a PDF, its bytes stored once with the attachments'). */
  @ManyToOne(() => AttachmentFileEntity, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'signed_copy_sha256' })
  signedCopy!: Relation<AttachmentFileEntity> | null;

  @Column({ type: 'char', length: 64, nullable: true })
  signedCopySha256!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  signedCopyFilename!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  signedCopyUploadedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
