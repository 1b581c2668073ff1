import { ArgumentsHost, Catch, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { HttpErrorFilter, toErrorBody } from '../common/http-error.filter.js';
import { renderPage } from './web-templates.js';
import { ApplicationError } from '../common/application-error.js';
import { PasswordChangeRequired, SignInRequired } from './page.guard.js';
import { redirectAfterSave } from './pages.js';
import type { SessionData } from 'express-session';

/**
 * A page that needs a signed-in user: to « Se connecter », coming back here afterwards; a script saving a
 * draft (it asks for JSON) is told its session expired, so that it can say so instead of failing silently.
 */
function signIn(request: Request, response: Response, required: SignInRequired): void {
  const message = required.expired
    ? 'Votre session a expiré après une période d’inactivité : connectez-vous à nouveau pour continuer.'
    : undefined;
  if (request.accepts(['html', 'json']) === 'json') {
    response.status(401).json({
      statusCode: 401,
      error: 'Unauthorized',
      message: message ?? 'Connectez-vous pour continuer.',
      details: [{ code: 'SESSION_EXPIRED', message: message ?? 'Connectez-vous pour continuer.' }],
    });
    return;
  }
  const session = request.session as (typeof request.session & Partial<SessionData>) | undefined;
  if (session && message) session.flash = message;
  const target = required.returnTo && required.returnTo.startsWith('/') ? required.returnTo : '';
  redirectAfterSave(
    request,
    response,
    target ? `/connexion?retour=${encodeURIComponent(target)}` : '/connexion',
  );
}

/** What a page says for each kind of failure, in French, never a stack. */
function pageOf(status: number): { title: string; paragraphs: string[] } {
  if (status === 401 || status === 403)
    return {
      title: 'Vous n’avez pas accès à cette page',
      paragraphs: [
        'Cette page est réservée à d’autres utilisateurs. Si vous pensez devoir y accéder, contactez l’équipe du contrat de ville.',
      ],
    };
  if (status === 409 || status === 422)
    return {
      title: 'Cette action n’est pas possible pour le moment',
      paragraphs: ['Le dossier a changé entre-temps ou n’en est pas encore à cette étape.'],
    };
  if (status === 503)
    return {
      title: 'Le service est momentanément indisponible',
      paragraphs: ['Réessayez dans quelques minutes. Ce que vous avez déjà enregistré est conservé.'],
    };
  if (status >= 500)
    return {
      title: 'Désolé, une erreur est survenue',
      paragraphs: [
        'L’équipe technique en est informée. Réessayez plus tard ; ce que vous avez déjà enregistré est conservé.',
      ],
    };
  return {
    title: 'Page introuvable',
    paragraphs: [
      'Si vous avez saisi l’adresse, vérifiez-la. Si vous avez suivi un lien, la page a peut-être été déplacée ou n’existe plus.',
    ],
  };
}

/**
 * Errors of the API answer JSON in the contract's shape (HttpErrorFilter); errors of the pages answer an HTML
 * page in French (403, 404, 500, 503) with the request's reference, never a stack.
 */
@Catch()
export class PageErrorFilter extends HttpErrorFilter {
  private readonly pageLogger = new Logger(PageErrorFilter.name);

  override catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request & { id?: string }>();
    // originalUrl: inside the API prefix's router, `path` has lost its /api/v1.
    if (request.originalUrl.startsWith('/api/')) return super.catch(exception, host);
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) {
      response.end();
      return;
    }
    if (exception instanceof SignInRequired) return signIn(request, response, exception);
    if (exception instanceof PasswordChangeRequired) return response.redirect(303, '/compte/mot-de-passe');
    const body = toErrorBody(exception, this.pageLogger, request.id);
    // A page's own refusal with words for the person (a form expired) keeps them; the others are generic.
    const explained =
      exception instanceof ApplicationError && [403, 409, 422].includes(exception.status)
        ? body.message
        : undefined;
    sendErrorPage(request, response, body.statusCode, this.pageLogger, explained);
  }
}

/** Answers a page's error with its HTML page (a plain one if the page itself cannot be rendered). */
export function sendErrorPage(
  request: Request & { id?: string },
  response: Response,
  statusCode: number,
  logger: Logger,
  explained?: string,
): void {
  const page = pageOf(statusCode);
  if (explained && !explained.startsWith('Vous n’avez pas le droit')) page.paragraphs = [explained];
  let html: string;
  try {
    html = renderPage('errors/error.njk', {
      pageTitle: page.title,
      paragraphs: page.paragraphs,
      requestId: request.id,
      cspNonce: response.locals.cspNonce as string,
    });
  } catch (error) {
    logger.error(`Error page not rendered: ${(error as Error).message}`);
    html = `<!DOCTYPE html><html lang="fr"><title>${page.title}</title><p>${page.title}</p></html>`;
  }
  if (statusCode === 503) response.setHeader('retry-after', '5');
  response.status(statusCode).type('html').send(html);
}
