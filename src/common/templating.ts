import nunjucks from 'nunjucks';
import { join } from 'node:path';
import { projectRoot } from './project-root.js';

/**
 * The project's one template engine (Nunjucks, as the web pages will use it), over `templates/`: an undefined
 * value is an error rather than an empty hole (`throwOnUndefined`), and a line holding only a block tag
 * (`{% for %}`, `{% if %}`) leaves nothing behind (`trimBlocks`, `lstripBlocks`). Two environments: HTML
 * escapes what it prints, text (emails' plain twin and subject, the convention) prints as is.
 */
function environment(autoescape: boolean): nunjucks.Environment {
  return new nunjucks.Environment(new nunjucks.FileSystemLoader(join(projectRoot(), 'templates')), {
    autoescape,
    throwOnUndefined: true,
    trimBlocks: true,
    lstripBlocks: true,
  });
}

let html: nunjucks.Environment | undefined;
let text: nunjucks.Environment | undefined;

/** Renders `templates/<name>` escaping HTML. */
export function renderHtml(name: string, context: object): string {
  html ??= environment(true);
  return html.render(name, context);
}

/** Renders `templates/<name>` as plain text (nothing escaped). */
export function renderText(name: string, context: object): string {
  text ??= environment(false);
  return text.render(name, context);
}
