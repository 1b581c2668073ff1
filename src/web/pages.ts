import { applyDecorators, Controller, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { IS_PAGE, type AuthUser } from '../common/auth.js';
import { PageGuard } from './page.guard.js';
import { csrfTokenOf } from './session.js';
import { renderPage } from './web-templates.js';

import { PUBLIC_PAGE_KEY } from './page.guard.js';

/**
 * A controller of web pages: outside the API's documentation and prefix, signed in by the session cookie
 * (PageGuard: CSRF and Origin on every POST, the same roles as the API), never by a bearer token.
 */
export const Pages = (prefix = ''): ClassDecorator =>
  applyDecorators(
    Controller(prefix),
    ApiExcludeController(),
    SetMetadata(IS_PAGE, true),
    UseGuards(PageGuard),
  );

/** The page may be read without signing in (the signed-in user, if any, is still known). */
export const PublicPage = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_PAGE_KEY, true);

/** The request of a page, with the signed-in user the guard found (if any). */
export type PageRequest = Request & { user?: AuthUser; id?: string; contractName?: string };

/** One field's error on a page: the summary at the top links to the field (`#id`). */
export interface FieldError {
  id: string;
  message: string;
}

/**
 * Renders a page of `templates/web/` with what every page needs: the CSP nonce, this session's CSRF token,
 * the signed-in user (the header's links) and the message left for this page (flash).
 */
export function sendPage(
  request: PageRequest,
  response: Response,
  template: string,
  context: Record<string, unknown> = {},
  status = 200,
): void {
  const flash = request.session?.flash;
  if (flash) delete request.session.flash;
  const tokenBefore = request.session?.csrfToken;
  const html = renderPage(template, {
    ...context,
    user: request.user,
    contractName: request.contractName,
    flash,
    currentPath: request.path,
    // Made on first use: a page without a form stores no session for an anonymous visitor.
    csrfToken: () => (request.session ? csrfTokenOf(request) : ''),
    cspNonce: response.locals.cspNonce as string,
  });
  const send = () => response.status(status).type('html').send(html);
  // A token made or a message shown by this page: stored before the page goes (see redirectAfterSave), or a
  // form posted at once could arrive before its token.
  if (request.session && (flash || request.session.csrfToken !== tokenBefore))
    request.session.save((error?: unknown) =>
      error ? response.status(503).type('text').send('Session indisponible, réessayez.') : send(),
    );
  else send();
}

/**
 * Redirects once the session is stored. express-session writes a response's body before its store has
 * saved (only the end waits), so a browser that has the whole redirect follows it at once and can arrive
 * before the session it just received: a new sign-in would look signed out.
 */
export function redirectAfterSave(request: Request, response: Response, to: string): void {
  if (!request.session) return response.redirect(303, to);
  request.session.save((error?: unknown) => {
    if (error) response.status(503).type('text').send('Session indisponible, réessayez.');
    else response.redirect(303, to);
  });
}

/** After a POST that worked: the next page (303, so that reloading does not post again), with a message. */
export function redirectWithFlash(
  request: PageRequest,
  response: Response,
  to: string,
  flash?: string,
): void {
  if (flash) request.session.flash = flash;
  redirectAfterSave(request, response, to);
}

/** Sends a stored document as a download (never shown inline), its name kept whole in UTF-8. */
export function sendDownload(
  response: Response,
  file: { contentType: string; filename: string; content: Buffer },
): void {
  response.setHeader('content-type', file.contentType);
  response.setHeader(
    'content-disposition',
    `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
  );
  response.send(file.content);
}
