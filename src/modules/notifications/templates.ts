import { renderHtml, renderText } from '../../common/templating.js';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** templates/emails/<folder>: APPLICATION_RETURNED → application-returned. */
export function templateFolder(type: string): string {
  return type.toLowerCase().replace(/_/g, '-');
}

/**
 * Renders an email from its folder of templates (Nunjucks: `subject.njk`, `text.njk`, `html.njk`); values
 * arrive pre-formatted (amounts in French, dates). A value the payload lacks is an error, not an empty hole.
 */
export function renderEmail(type: string, payload: Record<string, string | string[]>): RenderedEmail {
  const folder = `emails/${templateFolder(type)}`;
  return {
    subject: renderText(`${folder}/subject.njk`, payload).trim().normalize('NFC'),
    text: renderText(`${folder}/text.njk`, payload).normalize('NFC'),
    html: renderHtml(`${folder}/html.njk`, payload).normalize('NFC'),
  };
}

/** Where the reader of each dossier email acts (web.md « Emails lead to the pages »), from its dossier's id. */
const PAGE_OF: Partial<Record<string, (applicationId: string) => string>> = {
  APPLICATION_SUBMITTED: (id) => `/dossiers/${id}`,
  APPLICATION_RETURNED: (id) => `/dossiers/${id}`,
  CONVENTION_READY: (id) => `/dossiers/${id}`,
  REMINDER_DRAFT: (id) => `/dossiers/${id}`,
  REMINDER_REVIEW: (id) => `/instruction/${id}`,
  REMINDER_PAYMENT_OVERDUE: (id) => `/instruction/${id}`,
  REPORT_RETURNED: (id) => `/dossiers/${id}/bilan`,
  PAYMENT_DUE: (id) => `/dossiers/${id}`,
  PAYMENT_PAID: (id) => `/dossiers/${id}`,
  REMINDER_REPORT_DUE: (id) => `/dossiers/${id}/bilan`,
  REMINDER_REPORT_OVERDUE: (id) => `/dossiers/${id}/bilan`,
};

/** The full link to the page an email about a dossier leads to; '' for the other emails. */
export function pageLinkOf(type: string, applicationId: string | null, publicUrl: string): string {
  const page = PAGE_OF[type];
  return page && applicationId ? `${publicUrl}${page(applicationId)}` : '';
}
