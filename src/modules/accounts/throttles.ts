import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import type { Request, RequestHandler, Response } from 'express';
import type { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { AppConfig } from '../../config/config.js';
import { errorBody } from '../../common/http-error.filter.js';

/**
 * rate-limit-redis loads its Lua scripts once, when the limiter is built; if Redis was away then, every
 * later count would fail. This store loads them again after any failure, so counting resumes once Redis is
 * back.
 */
class ReloadingRedisStore extends RedisStore {
  override async increment(key: string): ReturnType<RedisStore['increment']> {
    try {
      return await super.increment(key);
    } catch (error) {
      this.incrementScriptSha = this.loadIncrementScript();
      this.getScriptSha = this.loadGetScript();
      // A failed reload is seen (and retried) by the next count.
      this.incrementScriptSha.catch(() => undefined);
      this.getScriptSha.catch(() => undefined);
      throw error;
    }
  }
}

const clientAddress = (request: Request): string => ipKeyGenerator(request.ip ?? '');
const bodyEmail = (request: Request): string => {
  const body = request.body as { email?: unknown } | undefined;
  return typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
};

/**
 * The Redis key counting an e-mail's failed sign-ins this hour (the `login-email` throttle counts failures
 * only): the login reads it to tell an account under attack.
 */
export function failedSignInsKey(prefix: string, email: string): string {
  return `${prefix}:throttle:login-email:${email}`;
}

interface Throttle {
  name: string;
  /** Count only the refused requests (a success takes its count back). */
  failuresOnly?: boolean;
  windowMs: number;
  limit: number;
  key: (request: Request) => string;
  message: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * The throttles of the routes an attacker would hammer, counted in Redis under the deployment's prefix: a
 * restart or a second API process shares the counts (express-rate-limit with rate-limit-redis, well-kept,
 * rather than counters of our own; @nestjs/throttler is still CommonJS and cannot load the ESM-only NestJS
 * 12 under jest). Login: per address and e-mail (one person's typing mistakes do not lock out a whole office
 * behind one address), failures per e-mail whatever the address (a password guessed from many addresses; the
 * login also reads this count, `failedSignInsKey`, to let such an account's verifications wait behind
 * others'), per address
 * whatever the e-mail (many accounts tried from one). Registration per address; password reset per address
 * and per e-mail. Redis away: requests pass (logged once) rather than nobody signing in.
 *
 * The pages' forms (`/connexion`, `/inscription`, `/mot-de-passe-oublie`) share the same counts: one throttle
 * whatever the door.
 *
 * The client address is the socket's unless TRUST_PROXY names the proxies in front (then X-Forwarded-For).
 */
export function authThrottles(
  redis: Redis,
  prefix: string,
  config: Pick<AppConfig, 'loginRateLimitPerMinute' | 'throttles'>,
  /** How a page (not the API) says it: an HTML page rather than JSON. */
  refusePage?: (request: Request, response: Response, message: string) => void,
): { path: string; pagePath: string; handlers: RequestHandler[] }[] {
  const { throttles } = config;
  const tooMany = (what: string) => `Trop de ${what}, réessayez plus tard.`;
  const build = (throttle: Throttle): RequestHandler =>
    rateLimit({
      windowMs: throttle.windowMs,
      limit: throttle.limit,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      identifier: throttle.name,
      store: new ReloadingRedisStore({
        prefix:
          throttle.name === 'login-email'
            ? failedSignInsKey(prefix, '')
            : `${prefix}:throttle:${throttle.name}:`,
        sendCommand: (command: string, ...args: string[]) =>
          redis.call(command, ...args) as Promise<RedisReply>,
      }) as Store,
      passOnStoreError: true,
      skipSuccessfulRequests: throttle.failuresOnly ?? false,
      keyGenerator: throttle.key,
      handler: (request, response) => {
        if (refusePage && !request.originalUrl.startsWith('/api/'))
          return refusePage(request, response, throttle.message);
        response.status(429).json(errorBody(429, 'TOO_MANY_REQUESTS', throttle.message));
      },
    });
  const login = tooMany('tentatives de connexion');
  const reset = tooMany('demandes de réinitialisation');
  return [
    {
      path: '/auth/login',
      pagePath: '/connexion',
      handlers: [
        build({
          name: 'login-address-email',
          windowMs: MINUTE,
          limit: config.loginRateLimitPerMinute,
          key: (request) => `${clientAddress(request)}|${bodyEmail(request)}`,
          message: 'Trop de tentatives de connexion, réessayez dans une minute.',
        }),
        build({
          name: 'login-email',
          failuresOnly: true,
          windowMs: HOUR,
          limit: throttles.loginPerEmailPerHour,
          key: bodyEmail,
          message: login,
        }),
        build({
          name: 'login-address',
          windowMs: MINUTE,
          limit: throttles.loginPerAddressPerMinute,
          key: clientAddress,
          message: login,
        }),
      ],
    },
    {
      path: '/auth/register',
      pagePath: '/inscription',
      handlers: [
        build({
          name: 'register-address',
          windowMs: HOUR,
          limit: throttles.registerPerAddressPerHour,
          key: clientAddress,
          message: tooMany('inscriptions depuis cette adresse'),
        }),
      ],
    },
    {
      path: '/auth/password-reset',
      pagePath: '/mot-de-passe-oublie',
      handlers: [
        build({
          name: 'reset-address',
          windowMs: HOUR,
          limit: throttles.passwordResetPerHour,
          key: clientAddress,
          message: reset,
        }),
        build({
          name: 'reset-email',
          windowMs: HOUR,
          // The confirmation carries a token, not an e-mail: counted per address only.
          limit: throttles.passwordResetPerHour,
          key: (request) => bodyEmail(request) || `token|${clientAddress(request)}`,
          message: reset,
        }),
      ],
    },
  ];
}
