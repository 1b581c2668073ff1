import { ParseUUIDPipe } from '@nestjs/common';
import { badRequest } from './application-error.js';

/** Route ids must be UUIDs: anything else is a 400 INVALID_ID (and never reaches the database). */
export const UuidParam = new ParseUUIDPipe({
  exceptionFactory: () => badRequest('INVALID_ID', 'Identifiant invalide.'),
});
