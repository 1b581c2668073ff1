/**
 * Coded domain errors. Domain and service code throws these, never HttpException;
 * the global filter maps each code to its HTTP status in one table.
 */
export interface ErrorDetail {
  field?: string;
  code: string;
  message: string;
}

export type ErrorKind =
  | 'BAD_REQUEST' // 400: malformed or ill-typed input
  | 'UNAUTHENTICATED' // 401
  | 'FORBIDDEN' // 403
  | 'NOT_FOUND' // 404 (also used for objects another organisation owns)
  | 'CONFLICT' // 409: wrong status, concurrent change, exhausted envelope
  | 'PAYLOAD_TOO_LARGE' // 413
  | 'UNPROCESSABLE' // 422: well-formed input that breaks a business rule
  | 'TOO_MANY_REQUESTS' // 429
  | 'UNAVAILABLE'; // 503

export const STATUS_OF_KIND: Record<ErrorKind, number> = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNPROCESSABLE: 422,
  TOO_MANY_REQUESTS: 429,
  UNAVAILABLE: 503,
};

/**
 * The codes a module may throw: each module registers its own in its `<concept>.errors.ts` (an `as const`
 * list merged into this interface), so `common` knows no feature and a code nobody registered does not compile.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ErrorCodeRegistry {}

/** Codes of the shared layer: authentication, validation, the error filter. */
export const COMMON_ERROR_CODES = [
  'NOT_FOUND',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'VALIDATION_FAILED',
  'INVALID_ID',
  'INTERNAL_ERROR',
  'DATABASE_UNAVAILABLE',
  'TOO_MANY_REQUESTS',
  'PAYLOAD_TOO_LARGE',
  'MALFORMED_JSON',
  'INVALID_TRANSITION',
] as const;

export type ErrorCode = (typeof COMMON_ERROR_CODES)[number] | keyof ErrorCodeRegistry;

/** A detail whose code is a registered one: what the domain's problem lists return. */
export interface CodedDetail extends ErrorDetail {
  code: ErrorCode;
}

export class ApplicationError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [{ code, message }],
    /** Extra top-level fields for the client (for instance the current version on a stale write). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  get status(): number {
    return STATUS_OF_KIND[this.kind];
  }
}

export const notFound = (what: string): ApplicationError =>
  new ApplicationError('NOT_FOUND', 'NOT_FOUND', `${what} introuvable.`);

export const forbidden = (message = 'Vous n’avez pas le droit de faire cette action.'): ApplicationError =>
  new ApplicationError('FORBIDDEN', 'FORBIDDEN', message);

export const conflict = (
  code: ErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
): ApplicationError => new ApplicationError('CONFLICT', code, message, [{ code, message }], extra);

export const unprocessable = (code: ErrorCode, message: string, field?: string): ApplicationError =>
  new ApplicationError('UNPROCESSABLE', code, message, [{ field, code, message }]);

export const badRequest = (code: ErrorCode, message: string, field?: string): ApplicationError =>
  new ApplicationError('BAD_REQUEST', code, message, [{ field, code, message }]);

/** 422 reporting every problem found at once, under the first one's code and message. */
export const unprocessableAll = (problems: [CodedDetail, ...CodedDetail[]]): ApplicationError =>
  new ApplicationError('UNPROCESSABLE', problems[0].code, problems[0].message, problems);
