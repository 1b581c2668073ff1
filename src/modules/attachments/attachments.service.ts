import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { conflict, notFound, unprocessable } from '../../common/application-error.js';
import type { AuthUser } from '../../common/auth.js';
import { ApplicationsService } from '../applications/applications.service.js';
import { queryPrepared } from '../../database/prepared.js';
import { EDITABLE_STATUSES, type ApplicationStatus } from '../applications/application-status.js';
import { AttachmentEntity, ATTACHMENT_KINDS, AttachmentKind } from './attachment.entity.js';
import { cleanFilename, detectAttachmentType } from './file-type.js';
import type { AttachmentDto } from '../applications/dto/application.dto.js';

export interface UploadedFile {
  originalname: string;
  buffer: Buffer;
  size: number;
}

@Injectable()
export class AttachmentsService {
  private readonly logger = new Logger(AttachmentsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly applications: ApplicationsService,
  ) {}

  /**
   * Stores the file and its record in one statement (atomic: a failed upload leaves nothing behind), which
   * also locks the application row, so that a submission cannot slip between the check and the insert.
   */
  async upload(
    user: AuthUser,
    applicationId: string,
    kind: string | undefined,
    file: UploadedFile | undefined,
  ): Promise<AttachmentDto> {
    if (!kind || !(ATTACHMENT_KINDS as readonly string[]).includes(kind)) {
      throw unprocessable(
        'INVALID_ATTACHMENT_KIND',
        `Type de pièce attendu : ${ATTACHMENT_KINDS.join(', ')}.`,
        'kind',
      );
    }
    if (!file) throw unprocessable('FILE_REQUIRED', 'Joignez un fichier (champ « file »).', 'file');
    if (user.role !== 'ASSOCIATION' || !user.organizationId) throw notFound('Dossier');
    const filename = cleanFilename(file.originalname);
    const type = await detectAttachmentType(file.buffer, filename);
    const sha256 = createHash('sha256').update(file.buffer).digest('hex');
    const [row]: { status: ApplicationStatus; id: string | null; created_at: Date | null }[] =
      await queryPrepared(
        this.dataSource.manager,
        `WITH target AS (
           SELECT id, status, status = ANY($3::text[]) AS editable
             FROM grant_applications WHERE id = $1 AND organization_id = $2 FOR UPDATE),
         file AS (
           INSERT INTO attachment_files (sha256, content, size_bytes)
           SELECT $4::text, $5::bytea, $6::int FROM target WHERE editable
           ON CONFLICT DO NOTHING),
         added AS (
           INSERT INTO attachments (application_id, kind, filename, content_type, size_bytes, sha256, uploaded_by)
           SELECT id, $7::text, $8::text, $9::text, $6::int, $4::text, $10::uuid FROM target WHERE editable
           RETURNING id, created_at)
         SELECT target.status, added.id, added.created_at FROM target LEFT JOIN added ON true`,
        [
          applicationId,
          user.organizationId,
          EDITABLE_STATUSES,
          sha256,
          file.buffer,
          file.size,
          kind,
          filename,
          type.mime,
          user.id,
        ],
      );
    if (!row) throw notFound('Dossier');
    if (!row.id || !row.created_at) {
      throw conflict('APPLICATION_LOCKED', 'Ce dossier a été déposé : ses pièces ne peuvent plus changer.', {
        currentStatus: row.status,
      });
    }
    this.logger.log(`Attachment ${row.id} (${kind}, ${file.size} bytes) on application ${applicationId}`);
    return {
      id: row.id,
      kind: kind as AttachmentKind,
      filename,
      contentType: type.mime,
      sizeBytes: file.size,
      sha256,
      createdAt: row.created_at.toISOString(),
    };
  }

  async download(
    user: AuthUser,
    applicationId: string,
    attachmentId: string,
  ): Promise<{ filename: string; contentType: string; content: Buffer }> {
    await this.applications.findReadable(user, applicationId);
    const attachment = await this.dataSource
      .getRepository(AttachmentEntity)
      .findOne({ where: { id: attachmentId, applicationId }, relations: { file: true } });
    if (!attachment) throw notFound('Pièce jointe');
    return {
      filename: attachment.filename,
      contentType: attachment.contentType,
      content: attachment.file.content,
    };
  }
}
