import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import type { TestApp } from './test-app.js';

/** A page's answer: its status, its HTML, where it redirects. */
export interface PageAnswer {
  status: number;
  text: string;
  location?: string;
  headers: Record<string, string>;
}

/**
 * A person's browser without the browser, for the page tests: one cookie jar (supertest's agent), forms
 * posted as a browser posts them (urlencoded, Origin of the service, the CSRF token read from the page).
 */
export class PageClient {
  readonly agent: TestAgent;
  readonly origin: string;
  /** The CSRF token of the last page read that had a form. */
  csrf = '';

  /** On a test app, or on a service running at `url` (its own process). */
  constructor(target: TestApp | { url: string }) {
    this.agent = request.agent('url' in target ? target.url : target.app.getHttpServer());
    this.origin = 'url' in target ? target.url : target.config.publicUrl;
  }

  private remember(text: string): void {
    const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
    if (token) this.csrf = token;
  }

  async get(path: string): Promise<PageAnswer> {
    const response = await this.agent.get(path).redirects(0);
    this.remember(response.text ?? '');
    this.keep(response.headers);
    return {
      status: response.status,
      text: response.text,
      location: response.headers.location,
      headers: response.headers,
    };
  }

  /** Posts a form; `fields` values that are lists are sent as repeated fields, as a browser does. */
  async post(
    path: string,
    fields: Record<string, string | string[]>,
    options: { csrf?: string | null; origin?: string | null } = {},
  ): Promise<PageAnswer> {
    const body = new URLSearchParams();
    const token = options.csrf === undefined ? this.csrf : options.csrf;
    if (token !== null) body.append('_csrf', token);
    for (const [name, value] of Object.entries(fields))
      for (const one of Array.isArray(value) ? value : [value]) body.append(name, one);
    let call = this.agent.post(path).redirects(0).type('form');
    const origin = options.origin === undefined ? this.origin : options.origin;
    if (origin !== null) call = call.set('origin', origin);
    const response = await call.send(body.toString());
    this.remember(response.text ?? '');
    this.keep(response.headers);
    return {
      status: response.status,
      text: response.text,
      location: response.headers.location,
      headers: response.headers,
    };
  }

  /** Follows a redirect to its page. */
  async follow(answer: PageAnswer): Promise<PageAnswer> {
    if (!answer.location)
      throw new Error(`no redirect (status ${answer.status}): ${answer.text?.slice(0, 500)}`);
    return this.get(answer.location);
  }

  /** The last session cookie the service set (its id, signed). */
  session?: string;

  private keep(headers: Record<string, unknown>): void {
    const cookies = (headers['set-cookie'] as string[] | undefined) ?? [];
    for (const cookie of cookies) {
      const match = /^cdv_session=([^;]*)/.exec(cookie);
      if (match) this.session = match[1];
    }
  }
}

/** The texts of the error summary's links. */
export function errorSummary(html: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="#[^"]*">([\s\S]*?)<\/a>/g)].map((match) => decode(match[1].trim()));
}

export function decode(text: string): string {
  return text
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}
