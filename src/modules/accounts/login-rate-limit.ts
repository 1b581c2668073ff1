import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { RequestHandler } from 'express';
import { errorBody } from '../../common/http-error.filter.js';

/**
 * Limits login attempts per client address and e-mail, so one person's typing mistakes do not lock
 * out a whole office behind one address. (express-rate-limit rather than @nestjs/throttler, which is
 * still CommonJS and cannot load the ESM-only NestJS 12 under jest.)
 */
export function loginRateLimit(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (request) => {
      const body = request.body as { email?: unknown } | undefined;
      const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
      return `${ipKeyGenerator(request.ip ?? '')}|${email}`;
    },
    handler: (_request, response) => {
      response
        .status(429)
        .json(
          errorBody(429, 'TOO_MANY_REQUESTS', 'Trop de tentatives de connexion, réessayez dans une minute.'),
        );
    },
  });
}
