import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { notFound, unprocessable } from '../../common/application-error.js';
import type { AuthUser } from '../../common/auth.js';
import { ApplicationsService } from '../applications/applications.service.js';
import { AttachmentEntity, ATTACHMENT_KINDS, AttachmentKind } from './attachment.entity.js';
import { AttachmentFileEntity } from './attachment-file.entity.js';
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

  /** Stores the file and its record in one transaction: a failed upload leaves nothing behind. */
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
    return this.dataSource.transaction(async (em) => {
      await this.applications.lockEditableOwned(em, user, applicationId);
      await em
        .createQueryBuilder()
        .insert()
        .into(AttachmentFileEntity)
        .values({ sha256, content: file.buffer, sizeBytes: file.size })
        .orIgnore()
        .execute();
      const attachment = await em.save(
        em.create(AttachmentEntity, {
          applicationId,
          kind: kind as AttachmentKind,
          filename,
          contentType: type.mime,
          sizeBytes: file.size,
          sha256,
          uploadedBy: user.id,
        }),
      );
      this.logger.log(
        `Attachment ${attachment.id} (${kind}, ${file.size} bytes) on application ${applicationId}`,
      );
      const { id, contentType, sizeBytes, createdAt } = attachment;
      return { id, kind, filename, contentType, sizeBytes, sha256, createdAt: createdAt.toISOString() };
    });
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
