import { ConsoleLogger, INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import helmet from 'helmet';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { projectRoot } from './common/project-root.js';
import { PageErrorFilter, sendErrorPage } from './web/page-error.filter.js';
import { isPagePath, webSessions } from './web/session.js';
import express from 'express';
import compression from 'compression';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import type { Pool } from 'pg';
import { PAGE_ROUTES } from './web/web.module.js';
import type { NextFunction, Request, Response } from 'express';
import { AppConfig } from './config/config.js';
import { AppModule } from './app.module.js';
import { documentErrors } from './common/openapi-errors.js';
import { createValidationPipe } from './common/validation.js';
import { runWithRequestId } from './common/request-context.js';
import { authThrottles } from './modules/accounts/throttles.js';
import { capPasswordHashing } from './modules/accounts/password.js';
import { RedisClient } from './common/redis.js';

export const API_PREFIX = 'api/v1';

export function createLogger(config: AppConfig): ConsoleLogger {
  return new ConsoleLogger({
    json: config.nodeEnv === 'production',
    logLevels: config.nodeEnv === 'test' ? ['error', 'warn'] : ['log', 'error', 'warn'],
  });
}

/** Builds the HTTP application: the same wiring for `main.ts` and the end-to-end tests. */
export async function createApp(config: AppConfig): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: createLogger(config),
    bodyParser: false,
  });
  // X-Forwarded-For is believed only from the proxies TRUST_PROXY names (none by default).
  app.set('trust proxy', config.trustProxy);
  capPasswordHashing(config.passwordHashConcurrency);
  app.useBodyParser('json', { limit: '1mb' });

  const apiHelmet = helmet();
  // Swagger UI needs inline scripts and styles; the JSON API keeps the strict policy.
  const docsHelmet = helmet({ contentSecurityPolicy: false });
  // Pages: everything from the app itself, no inline style, inline scripts only with this response's nonce.
  const pageHelmet = helmet({
    // Not `no-referrer`: with it, browsers send `Origin: null` on our own forms, which the CSRF check refuses.
    referrerPolicy: { policy: 'same-origin' },
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", (_request, response) => `'nonce-${(response as Response).locals.cspNonce}'`],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  app.use((request: Request, response: Response, next: NextFunction) => {
    const given = request.header('x-request-id');
    const id = given && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    (request as Request & { id: string }).id = id;
    response.setHeader('x-request-id', id);
    const page = !request.path.startsWith('/api/');
    if (page) response.locals.cspNonce = randomBytes(16).toString('base64');
    runWithRequestId(id, () =>
      (request.path.startsWith('/api/docs') ? docsHelmet : page ? pageHelmet : apiHelmet)(
        request,
        response,
        next,
      ),
    );
  });
  // Pages and their assets go compressed (gzip or brotli, as the browser accepts); the API's JSON as before.
  const compress = compression();
  app.use((request: Request, response: Response, next: NextFunction) =>
    isPagePath(request.path) || request.path.startsWith('/assets/')
      ? compress(request, response, next)
      : next(),
  );
  // The pages' built styles: hashed names (`npm run build`), so cached for a year and never revalidated.
  app.useStaticAssets(join(projectRoot(), 'dist', 'public'), {
    prefix: '/assets/',
    maxAge: '365d',
    immutable: true,
    index: false,
  });

  // Pages: their forms (urlencoded; repeated names give lists), then their session; the API has neither.
  const pageForms = express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 2000 });
  app.use((request: Request, response: Response, next: NextFunction) =>
    isPagePath(request.path) ? pageForms(request, response, next) : next(),
  );
  const sessions = webSessions(config, (app.get(DataSource).driver as PostgresDriver).master as Pool);
  app.use(sessions.middleware);
  // The store's pruning timer is unref'd and its pool is TypeORM's: closing the app closes both.
  const close = app.close.bind(app);
  app.close = async () => {
    sessions.close();
    await close();
  };

  const refusePage = (request: Request, response: Response, message: string) =>
    sendErrorPage(request, response, 429, new Logger('Throttle'), message);
  for (const { path, pagePath, handlers } of authThrottles(
    app.get(RedisClient).throttles(),
    config.queuePrefix,
    config,
    refusePage,
  )) {
    app.use(`/${API_PREFIX}${path}`, ...handlers);
    for (const handler of handlers)
      app.use(pagePath, (request: Request, response: Response, next: NextFunction) =>
        request.method === 'POST' ? handler(request, response, next) : next(),
      );
  }
  app.setGlobalPrefix(API_PREFIX, { exclude: PAGE_ROUTES });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new PageErrorFilter());
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);

  if (config.apiDocs)
    SwaggerModule.setup('api/docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'api/docs-json' });
  return app;
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Contrat de ville : appel à projets')
      .setDescription(
        'Applications, reviews, programming and conventions of a contrat de ville’s yearly call for projects.',
      )
      .setVersion('1')
      .addServer('/', 'This deployment')
      .addBearerAuth()
      .build(),
  );
  return documentErrors(document);
}
