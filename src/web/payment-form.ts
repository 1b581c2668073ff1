/** The « Marquer payé » form of a payment, on the city team's instruction page and the financer's payments. */
import { one, type Form } from './dossier-forms.js';
import type { FormFields } from './form-validation.js';

export function paidForm(form: Form, paymentId: string) {
  const reference = one(form, 'engagementReference').trim();
  const fields: FormFields = {
    paidOn: { id: `paidOn-${paymentId}`, label: 'Payé le' },
    engagementReference: { id: `ej-${paymentId}`, label: 'Engagement juridique (EJ)' },
  };
  return {
    fields,
    /** What was typed, by the page's field ids (shown again with the errors). */
    values: {
      [`paidOn-${paymentId}`]: one(form, 'paidOn'),
      [`ej-${paymentId}`]: one(form, 'engagementReference'),
    },
    /** The API's input: the reference left out when blank. */
    input: { paidOn: one(form, 'paidOn'), ...(reference ? { engagementReference: reference } : {}) },
  };
}
