import {
  Body,
  CallHandler,
  ExecutionContext,
  Get,
  Inject,
  Injectable,
  NestInterceptor,
  Param,
  Post,
  Req,
  Res,
  SetMetadata,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import { Observable } from 'rxjs';
import { ApplicationError } from '../common/application-error.js';
import { Roles } from '../common/auth.js';
import { UuidParam } from '../common/uuid-param.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { type ApplicationDto } from '../modules/applications/dto/application.dto.js';
import { AttachmentsService, type UploadedFile as File } from '../modules/attachments/attachments.service.js';
import { MAX_ATTACHMENT_BYTES } from '../modules/attachments/file-type.js';
import { editableDossier } from './editable-dossier.js';
import { DossierViewService, KIND_LABELS } from './dossier-view.service.js';
import { one, type Form } from './dossier-forms.js';
import { refusalOf } from './form-validation.js';
import {
  Pages,
  sendDownload,
  redirectWithFlash,
  sendPage,
  type FieldError,
  type PageRequest,
} from './pages.js';
import { csrfRefusal } from './session.js';
import { checksOf } from './task-list.js';
import { CSRF_AFTER_UPLOAD } from './page.guard.js';

/**
 * A multipart form is read only after multer parsed it: its CSRF token is checked then, before anything is
 * stored (the guard has already checked its Origin).
 */
@Injectable()
export class CsrfAfterUpload implements NestInterceptor {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<PageRequest>();
    if (csrfRefusal(request, this.config.publicUrl))
      throw new ApplicationError(
        'FORBIDDEN',
        'FORBIDDEN',
        'Ce formulaire a expiré : rechargez la page et recommencez.',
      );
    return next.handle();
  }
}

/** The dossier's documents: upload (a kind's new file replaces the old), delete, download. */
@Roles('ASSOCIATION')
@Pages('dossiers')
export class AttachmentPagesController {
  constructor(
    private readonly view: DossierViewService,
    private readonly attachments: AttachmentsService,
  ) {}

  @Get(':id/pieces')
  async attachmentsPage(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const dossier = await editableDossier(this.view, request, response, id);
    if (dossier) this.sendAttachments(request, response, dossier);
  }

  private sendAttachments(
    request: PageRequest,
    response: Response,
    dossier: ApplicationDto,
    errors: FieldError[] = [],
    status = 200,
    kind = '',
  ) {
    sendPage(
      request,
      response,
      'dossiers/attachments.njk',
      {
        dossier,
        kinds: Object.entries(KIND_LABELS).map(([value, text]) => ({ value, text })),
        kindLabels: KIND_LABELS,
        maxMegabytes: Math.round(MAX_ATTACHMENT_BYTES / 1_000_000),
        checks: checksOf('pieces', dossier.checks),
        values: { kind },
        errors,
      },
      status,
    );
  }

  /** Uploads a document (multipart: its CSRF token is checked once multer has read the form). */
  @Post(':id/pieces')
  @SetMetadata(CSRF_AFTER_UPLOAD, true)
  @UseInterceptors(
    FileInterceptor('file', {
      limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 5 },
      defParamCharset: 'utf8',
    }),
    CsrfAfterUpload,
  )
  async upload(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Body() form: Form,
    @UploadedFile() file: File | undefined,
  ): Promise<void> {
    const dossier = await editableDossier(this.view, request, response, id);
    if (!dossier) return;
    const kind = one(form, 'kind');
    const errors: FieldError[] = [];
    if (!kind) errors.push({ id: 'kind', message: 'Choisissez le type de document.' });
    if (!file || file.size === 0) errors.push({ id: 'file', message: 'Choisissez le fichier à joindre.' });
    if (errors.length === 0) {
      try {
        const stored = await this.attachments.upload(request.user!, id, kind, file);
        // A document of a kind that is one file (the statutes, the RIB...) replaces the one joined before.
        const replaced =
          kind === 'OTHER' ? [] : dossier.attachments.filter((attachment) => attachment.kind === kind);
        for (const previous of replaced) await this.attachments.remove(request.user!, id, previous.id);
        return redirectWithFlash(
          request,
          response,
          `/dossiers/${id}/pieces`,
          replaced.length
            ? `« ${stored.filename} » remplace « ${replaced.map((previous) => previous.filename).join(' », « ')} ».`
            : `« ${stored.filename} » est joint au dossier.`,
        );
      } catch (error) {
        errors.push(
          ...refusalOf(error, {
            file: { id: 'file', label: 'Fichier' },
            kind: { id: 'kind', label: 'Type de document' },
          }),
        );
      }
    }
    this.sendAttachments(request, response, dossier, errors, 422, kind);
  }

  @Post(':id/pieces/:attachmentId/supprimer')
  async removeAttachment(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Param('attachmentId', UuidParam) attachmentId: string,
  ): Promise<void> {
    const dossier = await editableDossier(this.view, request, response, id);
    if (!dossier) return;
    const attachment = dossier.attachments.find((candidate) => candidate.id === attachmentId);
    await this.attachments.remove(request.user!, id, attachmentId);
    redirectWithFlash(
      request,
      response,
      `/dossiers/${id}/pieces`,
      `« ${attachment?.filename ?? 'Le document'} » est retiré du dossier.`,
    );
  }

  /** Opens one of the dossier's documents (as the API: never inline). */
  @Get(':id/pieces/:attachmentId')
  async download(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Param('attachmentId', UuidParam) attachmentId: string,
  ): Promise<void> {
    sendDownload(response, await this.attachments.download(request.user!, id, attachmentId));
  }
}
