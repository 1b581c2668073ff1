import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { OrganizationEntity } from './organization.entity.js';
import { PartnerEntity } from '../referential/partner.entity.js';
import { ContractEntity } from '../referential/contract.entity.js';
import type { Role } from '../../common/auth.js';

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Stored lower-cased; unique. */
  @Index('ux_users_email', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 200 })
  passwordHash!: string;

  @Column({ type: 'varchar', length: 200 })
  displayName!: string;

  @Column({ type: 'varchar', length: 20 })
  role!: Role;

  @ManyToOne(() => OrganizationEntity, { nullable: true, onDelete: 'RESTRICT' })
  organization!: Relation<OrganizationEntity> | null;

  @Index('ix_users_organization_id')
  @Column({ type: 'uuid', nullable: true })
  organizationId!: string | null;

  /** The partner a FINANCER reviews for. */
  @ManyToOne(() => PartnerEntity, { nullable: true, onDelete: 'RESTRICT' })
  partner!: Relation<PartnerEntity> | null;

  @Index('ix_users_partner_id')
  @Column({ type: 'uuid', nullable: true })
  partnerId!: string | null;

  /** The contract a CITY_TEAM or FINANCER user works for. */
  @ManyToOne(() => ContractEntity, { nullable: true, onDelete: 'RESTRICT' })
  contract!: Relation<ContractEntity> | null;

  @Column({ type: 'uuid', nullable: true })
  contractId!: string | null;

  /** Soft deactivation: tokens of a deactivated user stop working at once. */
  @Column({ type: 'timestamptz', nullable: true })
  disabledAt!: Date | null;

  /** Set on the first city-team user, whose password the deployment's configuration knows: changed at first sign-in. */
  @Column({ type: 'boolean', default: false })
  mustChangePassword!: boolean;

  /** When the user followed the confirmation link sent at registration: needed to submit. */
  @Column({ type: 'timestamptz', nullable: true })
  emailConfirmedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
