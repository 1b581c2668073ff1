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
import { ContractEntity } from '../referential/contract.entity.js';
import type { CampaignStatus } from './campaign-status.js';
import type { CampaignRules, ScoringCriterion } from './campaign-rules.js';

/** One appel à projets: the yearly call of a contract, its calendar, rules and scoring grid. */
@Entity({ name: 'campaigns' })
@Index('ix_campaigns_contract_year', ['contract', 'year'])
export class CampaignEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @ManyToOne(() => ContractEntity, { nullable: false, onDelete: 'RESTRICT' })
  contract!: Relation<ContractEntity>;

  @Column({ type: 'uuid' })
  contractId!: string;

  @Column({ type: 'smallint' })
  year!: number;

  @Column({ type: 'varchar', length: 300 })
  title!: string;

  @Column({ type: 'varchar', length: 20, default: 'DRAFT' })
  status!: CampaignStatus;

  @Column({ type: 'timestamptz' })
  opensAt!: Date;

  @Column({ type: 'timestamptz' })
  submissionDeadline!: Date;

  @Column({ type: 'timestamptz' })
  reviewDeadline!: Date;

  @Column({ type: 'date' })
  cotechDate!: string;

  @Column({ type: 'date' })
  copilDate!: string;

  @Column({ type: 'timestamptz' })
  reportDeadline!: Date;

  @Column({ type: 'jsonb' })
  rules!: CampaignRules;

  @Column({ type: 'jsonb' })
  scoringGrid!: ScoringCriterion[];

  /** Each financer's deliberation (or decision) granting the year's subsidies, by partner code (conventions cite it). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  deliberations!: Record<string, string>;

  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
