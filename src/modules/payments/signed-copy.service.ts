import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { notFound, unprocessable } from '../../common/application-error.js';
import type { AuthUser } from '../../common/auth.js';
import { auditedTransaction } from '../../database/audit-actor.js';
import { AccessService } from '../access/access.service.js';
import { AttachmentFileEntity } from '../attachments/attachment-file.entity.js';
import type { UploadedFile } from '../attachments/attachments.service.js';
import { cleanFilename, detectAttachmentType } from '../attachments/file-type.js';
import { ConventionEntity } from '../conventions/convention.entity.js';
import type { SignedCopyDto } from './dto/payment.dto.js';
import { lockReadyConvention } from './ready-convention.js';
import './payments.errors.js'; // registers the codes thrown here

/** What the convention shows of its signed copy. */
export function signedCopyOf(convention: ConventionEntity): SignedCopyDto | null {
  if (!convention.signedCopySha256 || !convention.signedCopyUploadedAt) return null;
  return {
    filename: convention.signedCopyFilename ?? `${convention.number}-signee.pdf`,
    sha256: convention.signedCopySha256,
    uploadedAt: convention.signedCopyUploadedAt.toISOString(),
  };
}

/**
 * The convention's copy signed by every party, scanned as a PDF: the city team files it (a better scan
 * replaces it, the audit log keeps the change); the holder and the granting financers download it.
 */
@Injectable()
export class SignedCopyService {
  private readonly logger = new Logger(SignedCopyService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: AccessService,
  ) {}

  async upload(
    user: AuthUser,
    applicationId: string,
    file: UploadedFile | undefined,
  ): Promise<SignedCopyDto> {
    await this.access.require(user, 'application:instruct', { applicationId });
    if (!file) throw unprocessable('FILE_REQUIRED', 'Joignez la convention signée (champ « file »).', 'file');
    const filename = cleanFilename(file.originalname);
    const type = await detectAttachmentType(file.buffer, filename);
    if (type.mime !== 'application/pdf')
      throw unprocessable(
        'SIGNED_COPY_NOT_PDF',
        'La convention signée se dépose en PDF (numérisez-la en un seul fichier).',
        'file',
      );
    const sha256 = createHash('sha256').update(file.buffer).digest('hex');
    const copy = await auditedTransaction(this.dataSource, user, async (em) => {
      const convention = await lockReadyConvention(
        em,
        applicationId,
        'sa copie signée se dépose une fois qu’elle est prête.',
      );
      await em
        .createQueryBuilder()
        .insert()
        .into(AttachmentFileEntity)
        .values({ sha256, content: file.buffer, sizeBytes: file.size })
        .orIgnore()
        .execute();
      Object.assign(convention, {
        signedCopySha256: sha256,
        signedCopyFilename: filename,
        signedCopyUploadedAt: new Date(),
      });
      await em.update(
        ConventionEntity,
        { id: convention.id },
        {
          signedCopySha256: convention.signedCopySha256,
          signedCopyFilename: convention.signedCopyFilename,
          signedCopyUploadedAt: convention.signedCopyUploadedAt,
        },
      );
      return signedCopyOf(convention)!;
    });
    this.logger.log(`Signed copy of the convention of ${applicationId} filed (${file.size} bytes)`);
    return copy;
  }

  async download(user: AuthUser, applicationId: string): Promise<{ filename: string; content: Buffer }> {
    await this.access.require(user, 'application:read-funded', { applicationId });
    const convention = await this.dataSource
      .getRepository(ConventionEntity)
      .findOne({ where: { applicationId }, relations: { signedCopy: true } });
    if (!convention?.signedCopy) throw notFound('Convention signée');
    return { filename: signedCopyOf(convention)!.filename, content: convention.signedCopy.content };
  }
}
