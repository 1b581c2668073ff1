import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { GrantApplicationEntity } from '../applications/application.entity.js';
import { AttachmentFileEntity } from './attachment-file.entity.js';
import type { AttachmentKind } from '../applications/attachment-kinds.js';

@Entity({ name: 'attachments' })
export class AttachmentEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('ix_attachments_application_id')
  @ManyToOne(() => GrantApplicationEntity, { nullable: false, onDelete: 'CASCADE' })
  application!: Relation<GrantApplicationEntity>;

  @Column({ type: 'uuid' })
  applicationId!: string;

  @Column({ type: 'varchar', length: 20 })
  kind!: AttachmentKind;

  /** The name given by the uploader, cleaned of any path. */
  @Column({ type: 'varchar', length: 255 })
  filename!: string;

  /** Detected from the content, never taken from the client. */
  @Column({ type: 'varchar', length: 100 })
  contentType!: string;

  @Column({ type: 'integer' })
  sizeBytes!: number;

  @ManyToOne(() => AttachmentFileEntity, { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sha256', referencedColumnName: 'sha256' })
  file!: Relation<AttachmentFileEntity>;

  @Index('ix_attachments_sha256')
  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ type: 'uuid', nullable: true })
  uploadedBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
