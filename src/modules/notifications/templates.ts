import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../common/project-root.js';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

type Compiled = {
  subject: HandlebarsTemplateDelegate;
  text: HandlebarsTemplateDelegate;
  html: HandlebarsTemplateDelegate;
};
const cache = new Map<string, Compiled>();

/** templates/emails/<folder>: APPLICATION_RETURNED → application-returned. */
export function templateFolder(type: string): string {
  return type.toLowerCase().replace(/_/g, '-');
}

function compile(type: string): Compiled {
  const cached = cache.get(type);
  if (cached) return cached;
  const folder = join(projectRoot(), 'templates', 'emails', templateFolder(type));
  const read = (file: string) => readFileSync(join(folder, file), 'utf8');
  // strict: a variable the payload lacks throws instead of rendering an empty hole.
  const compiled = {
    subject: Handlebars.compile(read('subject.hbs'), { strict: true, noEscape: true }),
    text: Handlebars.compile(read('text.hbs'), { strict: true, noEscape: true }),
    html: Handlebars.compile(read('html.hbs'), { strict: true }),
  };
  cache.set(type, compiled);
  return compiled;
}

/** Renders an email from its folder of templates; values arrive pre-formatted (amounts in French, dates). */
export function renderEmail(type: string, payload: Record<string, string | string[]>): RenderedEmail {
  const templates = compile(type);
  return {
    subject: templates.subject(payload).trim().normalize('NFC'),
    text: templates.text(payload).normalize('NFC'),
    html: templates.html(payload).normalize('NFC'),
  };
}
