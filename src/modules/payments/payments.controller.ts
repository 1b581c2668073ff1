import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { UploadedFile as File } from '../attachments/attachments.service.js';
import { MAX_ATTACHMENT_BYTES } from '../attachments/file-type.js';
import { SignedCopyService } from './signed-copy.service.js';
import { EvaluationDto } from './dto/evaluation.dto.js';
import { AuthUser, CurrentUser, Roles } from '../../common/auth.js';
import { UuidParam } from '../../common/uuid-param.js';
import type { ReportDto } from '../reports/dto/report.dto.js';
import { ReportsService } from '../reports/reports.service.js';
import {
  PaidInputDto,
  PaymentDto,
  PaymentLinePageDto,
  PaymentPageDto,
  PaymentQueryDto,
  ReturnReportDto,
  SignatureInputDto,
  SignaturesDto,
  SignedCopyDto,
} from './dto/payment.dto.js';
import { PaymentsService } from './payments.service.js';
import { EvaluationService } from './evaluation.service.js';

@ApiTags('payments')
@ApiBearerAuth()
@Controller('campaigns/:id')
export class EvaluationController {
  constructor(private readonly evaluations: EvaluationService) {}

  /** The year's evaluation: per theme and measure, indicators' targets and achieved values, money, QPV. */
  @Roles('CITY_TEAM', 'FINANCER')
  @Get('evaluation')
  evaluation(@CurrentUser() user: AuthUser, @Param('id', UuidParam) id: string): Promise<EvaluationDto> {
    return this.evaluations.evaluation(user, id);
  }

  /** The evaluation as CSV, one row per indicator of each funded action (French Excel). */
  @Roles('CITY_TEAM', 'FINANCER')
  @ApiProduces('text/csv')
  @Header('content-type', 'text/csv; charset=utf-8')
  @Get('evaluation.csv')
  evaluationCsv(@CurrentUser() user: AuthUser, @Param('id', UuidParam) id: string): Promise<string> {
    return this.evaluations.evaluationCsv(user, id);
  }
}

@ApiTags('payments')
@ApiBearerAuth()
@Controller('payments')
export class PaymentLedgerController {
  constructor(private readonly payments: PaymentsService) {}

  /** The contract's payments with the actions they pay: a financer's own, or the city team's (`partnerCode` to narrow). */
  @Roles('CITY_TEAM', 'FINANCER')
  @Get()
  list(@CurrentUser() user: AuthUser, @Query() query: PaymentQueryDto): Promise<PaymentLinePageDto> {
    return this.payments.ledger(user, query);
  }
}

@ApiTags('payments')
@ApiBearerAuth()
@Controller('applications/:id')
export class PaymentsController {
  constructor(
    private readonly payments: PaymentsService,
    private readonly reports: ReportsService,
    private readonly signedCopies: SignedCopyService,
  ) {}

  /** Files the convention's copy signed by every party, as one PDF of 10 MB at most (a new one replaces it). */
  @Roles('CITY_TEAM')
  @HttpCode(200)
  @Put('convention/signed-copy')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' } },
    },
  })
  @UseInterceptors(
    FileInterceptor('file', {
      limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 2 },
      defParamCharset: 'utf8',
    }),
  )
  fileSignedCopy(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam) id: string,
    @UploadedFile() file: File | undefined,
  ): Promise<SignedCopyDto> {
    return this.signedCopies.upload(user, id, file);
  }

  /** The convention's signed copy (the holder, the city team, the granting financers). */
  @Get('convention/signed-copy')
  @ApiProduces('application/pdf')
  async signedCopy(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam) id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const copy = await this.signedCopies.download(user, id);
    response.setHeader('content-type', 'application/pdf');
    response.setHeader(
      'content-disposition',
      `attachment; filename*=UTF-8''${encodeURIComponent(copy.filename)}`,
    );
    response.setHeader('x-content-type-options', 'nosniff');
    response.setHeader('cache-control', 'no-store');
    return new StreamableFile(copy.content);
  }

  /** Records a party's signature (the holder or a granting financer); the last one signs the convention. */
  @Roles('CITY_TEAM')
  @HttpCode(200)
  @Post('convention/signatures')
  sign(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam) id: string,
    @Body() body: SignatureInputDto,
  ): Promise<SignaturesDto> {
    return this.payments.sign(user, id, body);
  }

  /** Who has signed the convention, and who is still to sign. */
  @Get('convention/signatures')
  signatures(@CurrentUser() user: AuthUser, @Param('id', UuidParam) id: string): Promise<SignaturesDto> {
    return this.payments.signatures(user, id);
  }

  /** The advance, balance and recovery per granting financer, due or paid. */
  @Get('payments')
  list(@CurrentUser() user: AuthUser, @Param('id', UuidParam) id: string): Promise<PaymentPageDto> {
    return this.payments.list(user, id);
  }

  /** Marks a payment paid, once (the city team, or the financer that pays it). */
  @Roles('CITY_TEAM', 'FINANCER')
  @HttpCode(200)
  @Post('payments/:paymentId/paid')
  paid(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam) id: string,
    @Param('paymentId', UuidParam) paymentId: string,
    @Body() body: PaidInputDto,
  ): Promise<PaymentDto> {
    return this.payments.markPaid(user, id, paymentId, body);
  }

  /** Accepts the submitted report: each grant is settled into a balance or a recovery. */
  @Roles('CITY_TEAM')
  @HttpCode(200)
  @Post('report/accept')
  async accept(@CurrentUser() user: AuthUser, @Param('id', UuidParam) id: string): Promise<ReportDto> {
    await this.payments.acceptReport(user, id);
    return this.reports.get(user, id);
  }

  /** Returns the submitted report to its holder with what to correct (emailed). */
  @Roles('CITY_TEAM')
  @HttpCode(200)
  @Post('report/return')
  async returnReport(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam) id: string,
    @Body() body: ReturnReportDto,
  ): Promise<ReportDto> {
    await this.payments.returnReport(user, id, body.message);
    return this.reports.get(user, id);
  }
}
