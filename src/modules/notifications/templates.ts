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
