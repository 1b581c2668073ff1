import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One step of an application's lifecycle: who, when, from, to, and the message given. */
@Entity({ name: 'application_transitions' })
export class ApplicationTransitionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('ix_application_transitions_application_id')
  @Column({ type: 'uuid' })
  applicationId!: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  fromStatus!: string | null;

  @Column({ type: 'varchar', length: 20 })
  toStatus!: string;

  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ type: 'text', nullable: true })
  message!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
