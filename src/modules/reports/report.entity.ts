import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Beneficiaries, BudgetLine, CheckResult } from '../checks/checks.js';

/** The end-of-action report (compte rendu, CERFA 15059 content) of a funded application. */
@Entity({ name: 'reports' })
export class ReportEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('ux_reports_application_id', { unique: true })
  @Column({ type: 'uuid' })
  applicationId!: string;

  @Column({ type: 'varchar', length: 10, default: 'DRAFT' })
  status!: 'DRAFT' | 'SUBMITTED' | 'RETURNED' | 'ACCEPTED';

  /** Actual charges and products. */
  @Column({ type: 'jsonb' })
  budget!: { charges: BudgetLine[]; products: BudgetLine[] };

  /** Beneficiaries reached, by sex, age and QPV. */
  @Column({ type: 'jsonb' })
  beneficiaries!: Beneficiaries;

  @Column({ type: 'text' })
  achievements!: string;

  @Column({ type: 'text', nullable: true })
  varianceExplanation!: string | null;

  /** The application's indicators with the values achieved (CERFA 15059). */
  @Column({ type: 'jsonb', nullable: true })
  indicators!: { label: string; targetValue: number; achievedValue: number; comment?: string }[] | null;

  @Column({ type: 'date', nullable: true })
  actualStartDate!: string | null;

  @Column({ type: 'date', nullable: true })
  actualEndDate!: string | null;

  /** The signatory's attestation. */
  @Column({ type: 'jsonb', nullable: true })
  certification!: { signatoryName: string; signatoryRole: string; certifiesAccuracy: boolean } | null;

  /** What the city team asked to correct when it returned the report. */
  @Column({ type: 'text', nullable: true })
  returnMessage!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  acceptedAt!: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  checks!: CheckResult[] | null;

  @Column({ type: 'timestamptz', nullable: true })
  submittedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
