import { ParseUUIDPipe } from '@nestjs/common';
import { badRequest } from './application-error.js';

/** Route ids must be UUIDs: anything else is a 400 INVALID_ID (and never reaches the database). */
export const UuidParam = new ParseUUIDPipe({
  exceptionFactory: () => badRequest('INVALID_ID', 'Identifiant invalide.'),
});

/** A UUID as PostgreSQL's uuid type reads it (any version), for values that come from elsewhere than a route. */
export const isUuid = (value: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
