import type { OpenAPIObject } from '@nestjs/swagger';

/** The contract's error shape (`http-error.filter.ts`), as an OpenAPI schema. */
const ERROR_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'error', 'message', 'details'],
  properties: {
    statusCode: { type: 'integer', example: 422 },
    error: { type: 'string', example: 'Unprocessable Entity' },
    message: { type: 'string', example: 'Le budget n’est pas équilibré.' },
    details: {
      type: 'array',
      items: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          field: { type: 'string', example: 'budget.products' },
          code: { type: 'string', example: 'BUDGET_UNBALANCED' },
          message: { type: 'string' },
        },
      },
    },
    requestId: { type: 'string', description: 'On a 500: the id to quote when reporting it.' },
  },
} as const;

const ANSWERS: Record<string, string> = {
  '400': 'Malformed or ill-typed input (`VALIDATION_FAILED`, `INVALID_ID`, …); nothing changed.',
  '401': 'No token, or an invalid or expired one.',
  '403': 'The role may not call this route, or may see the object but not do this.',
  '404': 'No such object, or one the caller may not know exists.',
  '409': 'The object’s status or a concurrent change forbids it now (the code says which).',
  '422': 'Well-formed input that breaks a business rule (the code says which); nothing changed.',
  '429': 'Too many attempts: wait and try again.',
  '503': 'The database is away or restarting (`DATABASE_UNAVAILABLE`, with `Retry-After`).',
};

type Operation = { security?: unknown[]; responses: Record<string, unknown> };

/**
 * Completes the generated document: a route with no security requirement is public and says so
 * (`security: []`), and every operation lists the error answers it can give, in the contract's shape.
 */
export function documentErrors(document: OpenAPIObject): OpenAPIObject {
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, Error: ERROR_SCHEMA as never },
  };
  const error = (code: string) => ({
    description: ANSWERS[code],
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  });
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, value] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const operation = value as Operation;
      const isPublic = !operation.security || operation.security.length === 0;
      if (isPublic) operation.security = [];
      const codes = [
        '400',
        ...(isPublic && !path.endsWith('/auth/login') ? [] : ['401']),
        ...(isPublic ? [] : ['403']),
        ...(path.includes('{') ? ['404'] : []),
        ...(['post', 'put', 'patch'].includes(method) ? ['409', '422'] : []),
        ...(path.endsWith('/auth/login') ? ['429'] : []),
        '503',
      ];
      for (const code of codes) operation.responses[code] ??= error(code);
    }
  }
  return document;
}
