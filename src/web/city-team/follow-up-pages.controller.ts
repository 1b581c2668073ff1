import { Body, Get, Param, Post, Req, Res, SetMetadata, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import { Roles } from '../../common/auth.js';
import { UuidParam } from '../../common/uuid-param.js';
import type { UploadedFile as File } from '../../modules/attachments/attachments.service.js';
import { MAX_ATTACHMENT_BYTES } from '../../modules/attachments/file-type.js';
import { PaidInputDto, ReturnReportDto, SignatureInputDto } from '../../modules/payments/dto/payment.dto.js';
import { PaymentsService } from '../../modules/payments/payments.service.js';
import { SignedCopyService } from '../../modules/payments/signed-copy.service.js';
import { CsrfAfterUpload } from '../attachment-pages.controller.js';
import { one, type Form } from '../dossier-forms.js';
import { validateForm, type FormFields } from '../form-validation.js';
import { CSRF_AFTER_UPLOAD } from '../page.guard.js';
import { paidForm } from '../payment-form.js';
import { Pages, sendDownload, type PageRequest } from '../pages.js';
import { InstructionPageService } from './instruction-page.service.js';

const SIGNATURE_FIELDS: FormFields = {
  party: { id: 'party', label: 'Partie qui signe' },
  signedOn: { id: 'signedOn', label: 'Date de signature' },
};
const SIGNED_COPY_FIELDS: FormFields = { file: { id: 'signedCopy', label: 'Convention signée' } };
const REPORT_FIELDS: FormFields = { report: { id: 'bilan', label: 'Bilan' } };
const RETURN_REPORT_FIELDS: FormFields = {
  message: { id: 'reportMessage', label: 'Ce que le porteur doit corriger' },
};
const FOLLOW_UP = '#suivi';

/**
 * After the COPIL, on the instruction page (web.md « City team »): each party's signature of the
 * convention and its signed copy, the payments marked paid, the report accepted or returned.
 */
@Roles('CITY_TEAM')
@Pages('pilotage')
export class FollowUpPagesController {
  constructor(
    private readonly page: InstructionPageService,
    private readonly payments: PaymentsService,
    private readonly signedCopies: SignedCopyService,
  ) {}

  /** Records one party's signature of the convention. */
  @Post('dossiers/:id/signatures')
  async sign(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Body() form: Form,
  ): Promise<void> {
    const values = { party: one(form, 'party'), signedOn: one(form, 'signedOn') };
    const { value, errors } = await validateForm(SignatureInputDto, values, SIGNATURE_FIELDS);
    if (errors.length) return this.page.send(request, response, id, { values, errors, status: 422 });
    const outcome = { fields: SIGNATURE_FIELDS, values, anchor: FOLLOW_UP, refusedStatus: 422 };
    await this.page.act(request, response, id, outcome, async () =>
      (await this.payments.sign(request.user!, id, value)).status === 'SIGNED'
        ? 'La convention est signée par toutes les parties : les avances sont dues.'
        : 'La signature est enregistrée.',
    );
  }

  /** Files the scanned copy signed by every party (multipart: its CSRF token is checked after multer). */
  @Post('dossiers/:id/convention-signee')
  @SetMetadata(CSRF_AFTER_UPLOAD, true)
  @UseInterceptors(
    FileInterceptor('file', {
      limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 3 },
      defParamCharset: 'utf8',
    }),
    CsrfAfterUpload,
  )
  async fileSignedCopy(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @UploadedFile() file: File | undefined,
  ): Promise<void> {
    if (!file || file.size === 0)
      return this.page.send(request, response, id, {
        errors: [{ id: 'signedCopy', message: 'Choisissez le PDF de la convention signée.' }],
        status: 422,
      });
    const form = { fields: SIGNED_COPY_FIELDS, anchor: FOLLOW_UP, refusedStatus: 422 };
    await this.page.act(request, response, id, form, async () => {
      await this.signedCopies.upload(request.user!, id, file);
      return 'La convention signée est enregistrée : le porteur et les financeurs peuvent la télécharger.';
    });
  }

  @Get('dossiers/:id/convention-signee.pdf')
  async signedCopy(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const copy = await this.signedCopies.download(request.user!, id);
    sendDownload(response, { ...copy, contentType: 'application/pdf' });
  }

  /** Marks a payment paid, with its date and the financer's commitment reference. */
  @Post('dossiers/:id/versements/:paymentId')
  async paid(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Param('paymentId', UuidParam) paymentId: string,
    @Body() form: Form,
  ): Promise<void> {
    const { fields, values, input } = paidForm(form, paymentId);
    const { value, errors } = await validateForm(PaidInputDto, input, fields);
    if (errors.length) return this.page.send(request, response, id, { values, errors, status: 422 });
    await this.page.act(request, response, id, { fields, values, anchor: FOLLOW_UP }, async () => {
      await this.payments.markPaid(request.user!, id, paymentId, value);
      return 'Le paiement est enregistré.';
    });
  }

  /** Accepts the submitted report: each grant is settled into a balance or a recovery. */
  @Post('dossiers/:id/bilan/accepter')
  async acceptReport(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    await this.page.act(request, response, id, { fields: REPORT_FIELDS, anchor: FOLLOW_UP }, async () => {
      await this.payments.acceptReport(request.user!, id);
      return 'Le bilan est accepté : les soldes ou reversements sont calculés.';
    });
  }

  /** Returns the submitted report to its holder with what to correct (emailed). */
  @Post('dossiers/:id/bilan/renvoyer')
  async returnReport(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Body() form: Form,
  ): Promise<void> {
    const values = { reportMessage: one(form, 'message') };
    const { value, errors } = await validateForm(
      ReturnReportDto,
      { message: values.reportMessage },
      RETURN_REPORT_FIELDS,
    );
    if (errors.length) return this.page.send(request, response, id, { values, errors, status: 422 });
    const outcome = { fields: RETURN_REPORT_FIELDS, values, anchor: FOLLOW_UP };
    await this.page.act(request, response, id, outcome, async () => {
      await this.payments.returnReport(request.user!, id, value.message);
      return 'Le bilan est renvoyé à son porteur, qui reçoit votre message par courriel.';
    });
  }
}
