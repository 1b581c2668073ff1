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

export type JoinRequestStatus = 'PENDING' | 'ACCEPTED' | 'REFUSED';

/**
 * Someone registered an organisation already registered (same SIRET or RNA): their account exists without an
 * organisation until a member of it (or the city team) accepts the request.
 */
@Entity({ name: 'join_requests' })
@Index('ux_join_requests_pending', ['organizationId', 'userId'], {
  unique: true,
  where: `status = 'PENDING'`,
})
export class JoinRequestEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('ix_join_requests_organization_id')
  @Column({ type: 'uuid' })
  organizationId!: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  organization?: Relation<OrganizationEntity>;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  user?: Relation<UserEntity>;

  @Column({ type: 'varchar', length: 10, default: 'PENDING' })
  status!: JoinRequestStatus;

  @Column({ type: 'uuid', nullable: true })
  decidedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
