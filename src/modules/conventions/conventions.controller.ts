import { Controller, Get, HttpCode, Param, Post, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthUser, CurrentUser, Roles } from '../../common/auth.js';
import { UuidParam } from '../../common/uuid-param.js';
import { ConventionsService } from './conventions.service.js';

export class ConventionJobDto {
  jobId!: string;
}

export class ConventionStatusViewDto {
  /** PENDING, READY or FAILED while the PDF is made; SIGNED once every party has signed it. */
  status!: string;
  /** The last party's signature date, once signed (SCDL dateConvention). */
  signedOn!: string | null;
  number!: string;
  sha256!: string | null;
  generatedAt!: string | null;
}

@ApiTags('conventions')
@ApiBearerAuth()
@Controller('applications/:id')
export class ConventionsController {
  constructor(private readonly conventions: ConventionsService) {}

  /** Enqueues the (re)generation of the application's convention. */
  @Roles('CITY_TEAM')
  @HttpCode(202)
  @Post('convention')
  regenerate(@CurrentUser() user: AuthUser, @Param('id', UuidParam) id: string): Promise<ConventionJobDto> {
    return this.conventions.regenerate(user, id);
  }

  /** The application’s convention: number, status and fingerprint of its PDF. */
  @Get('convention')
  status(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam) id: string,
  ): Promise<ConventionStatusViewDto> {
    return this.conventions.status(user, id);
  }

  /** The convention as a PDF, once generated. */
  @ApiProduces('application/pdf')
  @Get('convention.pdf')
  async pdf(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam) id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const { number, pdf } = await this.conventions.pdf(user, id);
    response.setHeader('content-type', 'application/pdf');
    response.setHeader('content-disposition', `attachment; filename="${number}.pdf"`);
    response.setHeader('cache-control', 'no-store');
    return new StreamableFile(pdf);
  }
}
