import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A reviewer's declared conflict of interest with an application: they no longer read nor review it. */
@Entity({ name: 'conflict_declarations' })
@Index('ux_conflict_declarations_application_user', ['applicationId', 'userId'], { unique: true })
export class ConflictDeclarationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  applicationId!: string;

  @Index('ix_conflict_declarations_user_id')
  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'text' })
  reason!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
