import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../../common/auth.js';
import { UuidParam } from '../../common/uuid-param.js';
import { PaymentsService } from '../../modules/payments/payments.service.js';
import { DossierViewService } from '../dossier-view.service.js';
import type { Form } from '../dossier-forms.js';
import { pageNumberOf } from '../list-links.js';
import { Pages, sendPage, type FieldError, type PageRequest } from '../pages.js';
import { ledgerView, markPaidFromList } from '../payment-ledger.js';

const BASE = '/pilotage/versements';

/**
 * The contract's payments for the city team: every financer's advances, balances and recoveries (or one
 * financer's), those due first and those overdue for more than 60 days flagged (loi 2021-875).
 */
@Roles('CITY_TEAM')
@Pages('pilotage')
export class PaymentPagesController {
  constructor(
    private readonly payments: PaymentsService,
    private readonly view: DossierViewService,
  ) {}

  @Get('versements')
  async list(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Query() query: Record<string, string | undefined>,
  ): Promise<void> {
    await this.send(request, response, query);
  }

  @Post('versements/:paymentId')
  async paid(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('paymentId', UuidParam) paymentId: string,
    @Body() form: Form,
  ): Promise<void> {
    const refused = await markPaidFromList(this.payments, request, response, paymentId, form, BASE);
    if (refused) await this.send(request, response, {}, refused);
  }

  private async send(
    request: PageRequest,
    response: Response,
    query: Record<string, string | undefined>,
    refused: { values: Record<string, string>; errors: FieldError[] } = { values: {}, errors: [] },
  ) {
    const financers = await this.view.financers(request.user!);
    const partnerCode = financers.find((financer) => financer.code === query.financeur)?.code;
    const view = await ledgerView(this.payments, request, {
      base: BASE,
      tabKey: query.onglet,
      pageNumber: pageNumberOf(query),
      partnerCode,
    });
    sendPage(
      request,
      response,
      'city-team/payments.njk',
      {
        ...view,
        area: 'payments',
        dossierBase: '/pilotage/dossiers',
        showFinancer: true,
        financers,
        partnerCode: partnerCode ?? '',
        financerNames: Object.fromEntries(financers.map((financer) => [financer.code, financer.name])),
        ...refused,
      },
      refused.errors.length ? 422 : 200,
    );
  }
}
