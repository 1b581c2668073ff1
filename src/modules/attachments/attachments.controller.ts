import {
  Body,
  Controller,
  Get,
  Param,
  Post,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { AuthUser, CurrentUser, Roles } from '../../common/auth.js';
import { UuidParam } from '../../common/uuid-param.js';
import { AttachmentsService } from './attachments.service.js';
import type { UploadedFile as File } from './attachments.service.js';
import { ATTACHMENT_KINDS } from '../applications/attachment-kinds.js';
import { MAX_ATTACHMENT_BYTES } from './file-type.js';
import { AttachmentDto } from '../applications/dto/application.dto.js';

export class UploadAttachmentDto {
  /** STATUTES, BANK_DETAILS, ACCOUNTS, ACTIVITY_REPORT or OTHER (checked by the service: 422 otherwise). */
  @IsOptional()
  @IsString()
  @MaxLength(40)
  kind?: string;
}

@ApiTags('applications')
@ApiBearerAuth()
@Controller('applications/:id/attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  /** Uploads a document: PDF, JPEG, PNG, ODT or DOCX (checked on the bytes), 10 MB at most (413 above). */
  @Roles('ASSOCIATION')
  @Post()
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'kind'],
      properties: {
        file: { type: 'string', format: 'binary' },
        kind: { type: 'string', enum: [...ATTACHMENT_KINDS] },
      },
    },
  })
  @UseInterceptors(
    FileInterceptor('file', {
      limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 5 },
      // Browsers send the file's name as UTF-8 bytes: « Relevé d’identité bancaire.pdf » stays whole (multer
      // reads it as Latin-1 otherwise).
      defParamCharset: 'utf8',
    }),
  )
  upload(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam) id: string,
    @Body() body: UploadAttachmentDto,
    @UploadedFile() file: File | undefined,
  ): Promise<AttachmentDto> {
    return this.attachments.upload(user, id, body.kind, file);
  }

  /** Downloads one document of an application (never shown inline). */
  @Get(':attachmentId')
  @ApiProduces('application/pdf', 'image/jpeg', 'image/png', 'application/octet-stream')
  async download(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam) id: string,
    @Param('attachmentId', UuidParam) attachmentId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const file = await this.attachments.download(user, id, attachmentId);
    response.setHeader('content-type', file.contentType);
    response.setHeader(
      'content-disposition',
      `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    );
    response.setHeader('x-content-type-options', 'nosniff');
    // Statutes, bank details, accounts: no copy kept by a browser or a proxy.
    response.setHeader('cache-control', 'no-store');
    return new StreamableFile(file.content);
  }
}
