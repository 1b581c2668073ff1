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
import { UserEntity } from './user.entity.js';

/** What a single-use link sent by e-mail lets its holder do. */
export const TOKEN_PURPOSES = [
  'PASSWORD_RESET',
  'EMAIL_CONFIRMATION',
  'CONTACT_CONFIRMATION',
  'INVITATION',
] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

/**
 * A single-use link's token, stored as its SHA-256 (the link itself only travels by e-mail): a password
 * reset (1 hour), a user's or an organisation's address to confirm, an invitation to join an organisation.
 * It is used by one UPDATE that stamps `usedAt` while it is unused and unexpired, so two uses race safely.
 */
@Entity({ name: 'account_tokens' })
export class AccountTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 30 })
  purpose!: TokenPurpose;

  @Index('ux_account_tokens_token_hash', { unique: true })
  @Column({ type: 'char', length: 64 })
  tokenHash!: string;

  /** The user whose password or address it is (none for an invitation). */
  @Index('ix_account_tokens_user_id')
  @Column({ type: 'uuid', nullable: true })
  userId!: string | null;

  @ManyToOne(() => UserEntity, { nullable: true, onDelete: 'CASCADE' })
  user?: Relation<UserEntity> | null;

  /** The organisation whose contact address is confirmed, or which the invited person joins. */
  @Column({ type: 'uuid', nullable: true })
  organizationId!: string | null;

  @ManyToOne(() => OrganizationEntity, { nullable: true, onDelete: 'CASCADE' })
  organization?: Relation<OrganizationEntity> | null;

  /** The address the link was sent to (the one it confirms, or the invited person's). */
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  /** Who asked for it (an invitation's member); none when its holder asked. */
  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
