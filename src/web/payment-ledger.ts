/**
 * The list of payments of a financer (its own) or of the city team (every financer's, or one's): the tabs
 * « À verser » and « Versés » with their counts, a page of the tab, and the « Marquer payé » form's ending.
 */
import type { Response } from 'express';
import { PaidInputDto, PaymentQueryDto } from '../modules/payments/dto/payment.dto.js';
import type { PaymentsService } from '../modules/payments/payments.service.js';
import { PAYMENT_KIND_LABELS } from './city-team/labels.js';
import { one, type Form } from './dossier-forms.js';
import { refusalOf, validateForm } from './form-validation.js';
import { listLink, pagination } from './list-links.js';
import { paidForm } from './payment-form.js';
import { redirectWithFlash, type FieldError, type PageRequest } from './pages.js';

const PAGE_SIZE = 50;
export const LEDGER_TABS = [
  { key: 'a-verser', status: 'DUE', title: 'À verser' },
  { key: 'verses', status: 'PAID', title: 'Versés' },
] as const;

export interface LedgerOptions {
  /** The list's path; its forms post to `${base}/:paymentId`. */
  base: string;
  tabKey?: string;
  pageNumber: number;
  /** The city team: one financer's payments. */
  partnerCode?: string;
}

export async function ledgerView(payments: PaymentsService, request: PageRequest, options: LedgerOptions) {
  const tab = LEDGER_TABS.find((item) => item.key === options.tabKey) ?? LEDGER_TABS[0];
  const page = (status: 'DUE' | 'PAID', limit: number, offset: number) =>
    payments.ledger(
      request.user!,
      Object.assign(new PaymentQueryDto(), {
        status,
        limit,
        offset,
        partnerCode: options.partnerCode || undefined,
      }),
    );
  const [shown, due, paid] = await Promise.all([
    page(tab.status, PAGE_SIZE, (options.pageNumber - 1) * PAGE_SIZE),
    page('DUE', 1, 0),
    page('PAID', 1, 0),
  ]);
  const params = (key: string) => ({
    onglet: key === LEDGER_TABS[0].key ? '' : key,
    financeur: options.partnerCode,
  });
  return {
    base: options.base,
    tab,
    items: shown.items,
    total: shown.total,
    tabs: LEDGER_TABS.map((item) => ({
      ...item,
      count: item.status === 'DUE' ? due.total : paid.total,
      href: listLink(options.base, params(item.key)),
      current: item.key === tab.key,
    })),
    kindLabels: PAYMENT_KIND_LABELS,
    ...pagination(options.base, params(tab.key), options.pageNumber, shown.total, PAGE_SIZE),
  };
}

/**
 * « Marquer payé » from a list of payments: done, back to the list with a message; refused, what to show
 * again with the list (`undefined` when done).
 */
export async function markPaidFromList(
  payments: PaymentsService,
  request: PageRequest,
  response: Response,
  paymentId: string,
  form: Form,
  back: string,
): Promise<{ values: Record<string, string>; errors: FieldError[] } | undefined> {
  const { fields, values, input } = paidForm(form, paymentId);
  const { value, errors } = await validateForm(PaidInputDto, input, fields);
  if (errors.length === 0)
    try {
      await payments.markPaid(request.user!, one(form, 'applicationId'), paymentId, value);
      redirectWithFlash(
        request,
        response,
        back,
        'Le versement est enregistré ; le porteur en est informé par courriel.',
      );
      return undefined;
    } catch (error) {
      errors.push(...refusalOf(error, fields));
    }
  return { values, errors };
}
