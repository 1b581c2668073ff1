import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The bytes of an uploaded file, stored once per content (a renewal's carried-over documents share them). */
@Entity({ name: 'attachment_files' })
export class AttachmentFileEntity {
  @PrimaryColumn({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ type: 'bytea' })
  content!: Buffer;

  @Column({ type: 'integer' })
  sizeBytes!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
