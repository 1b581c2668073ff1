import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import { bigintCents } from '../../common/money.js';
import type { Indicator, Beneficiaries, BudgetLine, CheckResult, Priorities } from '../checks/checks.js';
import { CampaignEntity } from '../campaigns/campaign.entity.js';
import { OrganizationEntity } from '../accounts/organization.entity.js';
import { ThemeEntity } from '../referential/theme.entity.js';
import { StakeEntity } from '../referential/stake.entity.js';
import { MeasureEntity } from '../referential/measure.entity.js';
import type { ApplicationStatus } from './application-status.js';

/** The sworn statement of CERFA 12156 §7 as signed at submission. */
export interface Certification {
  signatoryName: string;
  signatoryRole: string;
  certifiesAccuracy: true;
  obligationsUpToDate?: true;
  budgetApproved?: true;
  publicAidDeclared?: true;
  paymentToOwnAccount?: true;
  /** Asked of associations and foundations only (false for a social landlord or a public body). */
  republicanCommitmentSigned: boolean;
  certifiedAt: string;
  certifiedBy: string;
}

/** A project application (CERFA 12156 content) of an organisation to a campaign. */
@Entity({ name: 'grant_applications' })
@Index('ux_grant_applications_contract_reference', ['contractId', 'reference'], { unique: true })
@Index('ix_grant_applications_campaign_status', ['campaign', 'status'])
export class GrantApplicationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @ManyToOne(() => CampaignEntity, { nullable: false, onDelete: 'RESTRICT' })
  campaign!: Relation<CampaignEntity>;

  @Column({ type: 'uuid' })
  campaignId!: string;

  /** Denormalised from the campaign: references are unique within a contract. */
  @Column({ type: 'uuid' })
  contractId!: string;

  @Index('ix_grant_applications_organization_id')
  @ManyToOne(() => OrganizationEntity, { nullable: false, onDelete: 'RESTRICT' })
  organization!: Relation<OrganizationEntity>;

  @Column({ type: 'uuid' })
  organizationId!: string;

  /** YEAR-THEME-NNNN, numbered per contract and year. */
  @Column({ type: 'varchar', length: 30 })
  reference!: string;

  @Column({ type: 'integer' })
  referenceNumber!: number;

  @Column({ type: 'varchar', length: 20 })
  status!: ApplicationStatus;

  /** Incremented on every write; a stale write is refused. */
  @Column({ type: 'integer', default: 1 })
  version!: number;

  @Column({ type: 'varchar', length: 300 })
  title!: string;

  @Column({ type: 'text', nullable: true })
  summary!: string | null;

  @Column({ type: 'text', nullable: true })
  objectives!: string | null;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Index('ix_grant_applications_theme_id')
  @ManyToOne(() => ThemeEntity, { nullable: false, onDelete: 'RESTRICT' })
  theme!: Relation<ThemeEntity>;

  @Column({ type: 'uuid' })
  themeId!: string;

  @ManyToOne(() => StakeEntity, { nullable: true, onDelete: 'RESTRICT' })
  stake!: Relation<StakeEntity> | null;

  @Column({ type: 'uuid', nullable: true })
  stakeId!: string | null;

  @ManyToOne(() => MeasureEntity, { nullable: true, onDelete: 'RESTRICT' })
  measure!: Relation<MeasureEntity> | null;

  @Column({ type: 'uuid', nullable: true })
  measureId!: string | null;

  @Column({ type: 'text', nullable: true })
  location!: string | null;

  @Column({ type: 'date', nullable: true })
  startDate!: string | null;

  @Column({ type: 'date', nullable: true })
  endDate!: string | null;

  @ManyToOne(() => GrantApplicationEntity, { nullable: true, onDelete: 'SET NULL' })
  renewalOf!: Relation<GrantApplicationEntity> | null;

  @Index('ix_grant_applications_renewal_of_id')
  @Column({ type: 'uuid', nullable: true })
  renewalOfId!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  beneficiaries!: Beneficiaries | null;

  @Column({ type: 'jsonb', nullable: true })
  priorities!: Priorities | null;

  @Column({ type: 'jsonb', nullable: true })
  budget!: { charges: BudgetLine[]; products: BudgetLine[] } | null;

  /** The evaluation indicators (1 to 10): label, unit, target; the report gives the achieved values. */
  @Column({ type: 'jsonb', nullable: true })
  indicators!: Indicator[] | null;

  /** Totals kept with the budget for SQL aggregation. */
  @Column({ type: 'bigint', default: 0, transformer: bigintCents })
  totalChargesCents!: number;

  /** The cost of the action: the charges without the contributions in kind (86). */
  @Column({ type: 'bigint', default: 0, transformer: bigintCents })
  totalCostCents!: number;

  /** The contributions in kind (86 = 87), outside every share and total. */
  @Column({ type: 'bigint', default: 0, transformer: bigintCents })
  inKindCents!: number;

  @Column({ type: 'bigint', default: 0, transformer: bigintCents })
  totalProductsCents!: number;

  @Column({ type: 'bigint', default: 0, transformer: bigintCents })
  requestedCents!: number;

  @Column({ type: 'smallint', nullable: true })
  genderMarker!: number | null;

  @Column({ type: 'jsonb', nullable: true })
  certification!: Certification | null;

  /** The checks report stored with the submitted version. */
  @Column({ type: 'jsonb', nullable: true })
  checks!: CheckResult[] | null;

  @Column({ type: 'timestamptz', nullable: true })
  submittedAt!: Date | null;

  /** The COPIL's note on its decision, read by the holder. */
  @Column({ type: 'text', nullable: true })
  copilNote!: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
