import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../../common/auth.js';
import { UuidParam } from '../../common/uuid-param.js';
import { PaymentsService } from '../../modules/payments/payments.service.js';
import type { Form } from '../dossier-forms.js';
import { pageNumberOf } from '../list-links.js';
import { Pages, sendPage, type FieldError, type PageRequest } from '../pages.js';
import { ledgerView, markPaidFromList } from '../payment-ledger.js';

const BASE = '/instruction/versements';

/**
 * A financer's payments (web.md « Financer »): the advances, balances and recoveries of its grants, those
 * due first with the ones overdue for more than 60 days flagged (loi 2021-875); each one marked paid here
 * with its date and its legal commitment (EJ), which emails the holder.
 */
@Roles('FINANCER')
@Pages('instruction')
export class FinancerPaymentPagesController {
  constructor(private readonly payments: PaymentsService) {}

  @Get('versements')
  async list(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Query() query: Record<string, string | undefined>,
  ): Promise<void> {
    await this.send(request, response, query.onglet, pageNumberOf(query));
  }

  @Post('versements/:paymentId')
  async paid(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('paymentId', UuidParam) paymentId: string,
    @Body() form: Form,
  ): Promise<void> {
    const refused = await markPaidFromList(this.payments, request, response, paymentId, form, BASE);
    if (refused) await this.send(request, response, undefined, 1, refused);
  }

  private async send(
    request: PageRequest,
    response: Response,
    tabKey: string | undefined,
    pageNumber: number,
    refused: { values: Record<string, string>; errors: FieldError[] } = { values: {}, errors: [] },
  ) {
    const view = await ledgerView(this.payments, request, { base: BASE, tabKey, pageNumber });
    sendPage(
      request,
      response,
      'instruction/payments.njk',
      { ...view, dossierBase: '/instruction', ...refused },
      refused.errors.length ? 422 : 200,
    );
  }
}
