import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { conflict, notFound, unprocessable } from '../../common/application-error.js';
import type { AuthUser } from '../../common/auth.js';
import { AccessService } from '../access/access.service.js';
import { AttachmentEntity } from './attachment.entity.js';
import { AttachmentsRepository } from './attachments.repository.js';
import { ATTACHMENT_KINDS, type AttachmentKind } from '../applications/attachment-kinds.js';
import { EDITABLE_STATUSES } from '../applications/application-status.js';
import { cleanFilename, detectAttachmentType } from './file-type.js';
import type { AttachmentDto } from '../applications/dto/application.dto.js';
import './attachments.errors.js'; // registers the codes thrown here

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
    private readonly repository: AttachmentsRepository,
    private readonly access: AccessService,
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
    const filename = cleanFilename(file.originalname);
    const type = await detectAttachmentType(file.buffer, filename);
    const sha256 = createHash('sha256').update(file.buffer).digest('hex');
    const row = await this.repository.store({
      applicationId,
      organizationId: user.organizationId,
      sha256,
      content: file.buffer,
      sizeBytes: file.size,
      kind,
      filename,
      contentType: type.mime,
      uploadedBy: user.id,
    });
    // The statement writes only for the holder (`editable`); the policy says what the others are answered.
    this.access.check(user, 'application:edit', row && { owner: row.owner });
    const stored = row!;
    if (!stored.id || !stored.createdAt) {
      throw conflict('APPLICATION_LOCKED', 'Ce dossier a été déposé : ses pièces ne peuvent plus changer.', {
        currentStatus: stored.status,
      });
    }
    this.logger.log(`Attachment ${stored.id} (${kind}, ${file.size} bytes) on application ${applicationId}`);
    return {
      id: stored.id,
      kind: kind as AttachmentKind,
      filename,
      contentType: type.mime,
      sizeBytes: file.size,
      sha256,
      createdAt: stored.createdAt.toISOString(),
    };
  }

  /** Removes a document from a dossier still being written (the holder only; a submitted one: 409). */
  async remove(user: AuthUser, applicationId: string, attachmentId: string): Promise<void> {
    const row = await this.repository.remove(applicationId, user.organizationId, attachmentId);
    this.access.check(user, 'application:edit', row && { owner: row.owner });
    if (row!.id) {
      this.logger.log(`Attachment ${attachmentId} removed from application ${applicationId}`);
      return;
    }
    if (!EDITABLE_STATUSES.includes(row!.status))
      throw conflict('APPLICATION_LOCKED', 'Ce dossier a été déposé : ses pièces ne peuvent plus changer.', {
        currentStatus: row!.status,
      });
    throw notFound('Pièce jointe');
  }

  async download(
    user: AuthUser,
    applicationId: string,
    attachmentId: string,
  ): Promise<{ filename: string; contentType: string; content: Buffer }> {
    await this.access.require(user, 'application:read', { applicationId });
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
