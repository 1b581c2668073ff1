import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import { ApplicationError, ErrorDetail } from './application-error.js';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details: ErrorDetail[];
  requestId?: string;
  [key: string]: unknown;
}

const CODE_OF_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

const FRENCH_MESSAGE_OF_STATUS: Record<number, string> = {
  401: 'Authentification requise.',
  403: 'Vous n’avez pas le droit de faire cette action.',
  404: 'Ressource introuvable.',
  413: 'Le contenu envoyé est trop volumineux.',
  429: 'Trop de tentatives, réessayez dans une minute.',
};

/** Errors thrown by Express middleware (body-parser, multer) carry a status but are not HttpExceptions. */
interface StatusCarryingError {
  status?: number;
  statusCode?: number;
  type?: string;
  code?: string;
  message?: string;
}

export function errorBody(status: number, code: string, message: string, details?: ErrorDetail[]): ErrorBody {
  return {
    statusCode: status,
    error: STATUS_CODES[status] ?? 'Error',
    message,
    details: details ?? [{ code, message }],
  };
}

/** Turns anything thrown into the contract's error shape; unknown errors become a logged 500 with no detail. */
export function toErrorBody(exception: unknown, logger: Logger, requestId?: string): ErrorBody {
  if (exception instanceof ApplicationError) {
    return {
      ...errorBody(exception.status, exception.code, exception.message, exception.details),
      ...exception.extra,
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if ((exception.cause as StatusCarryingError | undefined)?.type === 'entity.parse.failed') {
      return errorBody(400, 'MALFORMED_JSON', 'Le corps de la requête n’est pas un JSON valide.');
    }
    const response = exception.getResponse();
    const given =
      typeof response === 'object' && response !== null
        ? (response as Record<string, unknown>)
        : { message: response };
    const code = typeof given.code === 'string' ? given.code : (CODE_OF_STATUS[status] ?? 'ERROR');
    const rawMessage = Array.isArray(given.message) ? given.message.join('; ') : String(given.message ?? '');
    const message = FRENCH_MESSAGE_OF_STATUS[status] ?? rawMessage;
    const details = Array.isArray(given.details) ? (given.details as ErrorDetail[]) : undefined;
    return errorBody(status, code, message, details);
  }
  const carried = exception as StatusCarryingError | null;
  const carriedStatus = carried?.status ?? carried?.statusCode;
  if (typeof carriedStatus === 'number' && carriedStatus >= 400 && carriedStatus < 500) {
    if (carried?.type === 'entity.parse.failed') {
      return errorBody(400, 'MALFORMED_JSON', 'Le corps de la requête n’est pas un JSON valide.');
    }
    if (carriedStatus === 413) {
      return errorBody(413, 'PAYLOAD_TOO_LARGE', FRENCH_MESSAGE_OF_STATUS[413]);
    }
    return errorBody(carriedStatus, CODE_OF_STATUS[carriedStatus] ?? 'BAD_REQUEST', 'Requête invalide.');
  }
  if ((exception as { code?: unknown } | null)?.code === '23505') {
    // A unique constraint caught what the service's own checks let through (two requests racing): a conflict.
    logger.warn(
      `Unique violation${requestId ? ` (request ${requestId})` : ''}: ${(exception as Error).message}`,
    );
    return errorBody(
      HttpStatus.CONFLICT,
      'CONFLICT',
      'Cette modification entre en conflit avec une autre, faite au même moment : rechargez puis réessayez.',
    );
  }
  if (isDatabaseUnavailable(exception)) {
    logger.warn(
      `Database unavailable${requestId ? ` (request ${requestId})` : ''}: ${(exception as Error).message}`,
    );
    const body = errorBody(
      HttpStatus.SERVICE_UNAVAILABLE,
      'DATABASE_UNAVAILABLE',
      'Le service est momentanément indisponible : réessayez dans quelques secondes. Rien n’a été enregistré pour cette requête si elle a échoué avant sa validation.',
    );
    return requestId ? { ...body, requestId } : body;
  }
  logger.error(
    `Unhandled error${requestId ? ` (request ${requestId})` : ''}: ${exception instanceof Error ? exception.stack : String(exception)}`,
  );
  const body = errorBody(
    HttpStatus.INTERNAL_SERVER_ERROR,
    'INTERNAL_ERROR',
    'Erreur interne. Si elle persiste, transmettez l’identifiant de requête à l’équipe technique.',
  );
  return requestId ? { ...body, requestId } : body;
}

/** SQLSTATE classes and socket errors that mean "the database is away or restarting", not "this is a bug". */
const UNAVAILABLE_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is not established/i;

export function isDatabaseUnavailable(exception: unknown): boolean {
  const error = exception as { code?: unknown; message?: unknown } | null;
  if (!error || typeof error !== 'object') return false;
  const code = typeof error.code === 'string' ? error.code : '';
  if (code.startsWith('08') || UNAVAILABLE_CODES.has(code)) return true;
  // TypeORM releases a transaction's connection when PostgreSQL drops it; its next query then fails so.
  const name = (error as { name?: unknown }).name;
  if (typeof name === 'string' && /^QueryRunner(Provider)?AlreadyReleasedError$/.test(name)) return true;
  return typeof error.message === 'string' && UNAVAILABLE_MESSAGES.test(error.message);
}

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const response = context.getResponse<Response>();
    const request = context.getRequest<Request & { id?: string }>();
    const body = toErrorBody(exception, this.logger, request.id);
    if (response.headersSent) {
      response.end();
      return;
    }
    if (body.statusCode === 503) response.setHeader('retry-after', '5');
    // A route may have preset another type (text/csv, application/pdf): an error is always JSON.
    response.status(body.statusCode).type('application/json').json(body);
  }
}
