import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Pool } from 'pg';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../config/config.js';

declare module 'express-session' {
  interface SessionData {
    /** The token every form of this session sends back (`_csrf`). */
    csrfToken: string;
    /** The signed-in user and the auth session its sign-in opened (closed by logout, password change...). */
    userId: string;
    authSessionId: string;
    /** One message shown on the next page (« Votre dossier est déposé »). */
    flash: string;
  }
}

/** Set at sign-in beside the session: a later request without a session but with it had its session expire. */
export const SIGNED_IN_COOKIE = 'cdv_signed_in';

export function sessionCookieName(config: Pick<AppConfig, 'publicUrl'>): string {
  // `__Host-`: only over HTTPS, for this host and path / (no subdomain can set or read it).
  return config.publicUrl.startsWith('https:') ? '__Host-cdv_session' : 'cdv_session';
}

/** Whether a path is a page's (the API and the built assets have no session). */
export const isPagePath = (path: string): boolean =>
  !path.startsWith('/api/') && !path.startsWith('/assets/');

/**
 * The pages' sessions (express-session, stored in PostgreSQL by connect-pg-simple in `web_sessions`): the
 * cookie carries the signed id only; HttpOnly, SameSite=Lax, Secure and `__Host-` over HTTPS; idle expiry
 * (each request pushes it back). The API never reads this cookie: the middleware runs on pages only.
 */
export function webSessions(
  config: Pick<AppConfig, 'publicUrl' | 'jwtSecret' | 'webSessionIdleMinutes' | 'nodeEnv'>,
  pool: Pool,
): { middleware: RequestHandler; close: () => void } {
  const PgStore = connectPgSimple(session);
  const store = new PgStore({
    pool,
    tableName: 'web_sessions',
    createTableIfMissing: false,
    // Every process prunes expired rows now and then; tests start many apps and prune nothing.
    pruneSessionInterval: config.nodeEnv === 'test' ? false : 15 * 60,
  });
  const secure = config.publicUrl.startsWith('https:');
  const middleware = session({
    name: sessionCookieName(config),
    secret: config.jwtSecret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    unset: 'destroy',
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure,
      path: '/',
      maxAge: config.webSessionIdleMinutes * 60_000,
    },
  });
  return {
    middleware: (request: Request, response: Response, next: NextFunction) =>
      isPagePath(request.path) ? middleware(request, response, next) : next(),
    close: () => store.close(),
  };
}

/** This session's CSRF token, made on first use. */
export function csrfTokenOf(request: Request): string {
  request.session.csrfToken ??= randomBytes(32).toString('base64url');
  return request.session.csrfToken;
}

/**
 * A state-changing request of a page is accepted only from our own pages: its Origin (or, failing it, its
 * Referer) is this service's, and it carries this session's CSRF token (`_csrf`, a form field; multipart
 * forms are parsed before the check).
 */
export function csrfRefusal(request: Request, publicUrl: string): string | undefined {
  const own = new Set([new URL(publicUrl).origin, `${request.protocol}://${request.get('host') ?? ''}`]);
  const origin = request.get('origin') ?? originOf(request.get('referer'));
  if (!origin || !own.has(origin)) return 'origin';
  const expected = request.session?.csrfToken;
  const given = (request.body as Record<string, unknown> | undefined)?._csrf ?? request.get('x-csrf-token');
  if (!expected || typeof given !== 'string') return 'token';
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return 'token';
  return undefined;
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** Regenerates the session (a new id at sign-in: a fixed id planted before cannot follow the user in). */
export function regenerate(request: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    request.session.regenerate((error: unknown) => (error ? reject(error as Error) : resolve())),
  );
}

export function destroy(request: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    request.session.destroy((error: unknown) => (error ? reject(error as Error) : resolve())),
  );
}
