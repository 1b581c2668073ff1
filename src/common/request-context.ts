import { AsyncLocalStorage } from 'node:async_hooks';
import type { AuthUser } from './auth.js';

/** What the code serving one request may need without it being passed down: the caller and the request id. */
export interface RequestContext {
  requestId: string;
  user?: AuthUser;
}

/**
 * One store per HTTP request, opened by the request-id middleware (after body parsing, whose stream callbacks
 * would lose it) and completed by the auth guard. The audit trail reads the actor from it.
 */
export const requestContext = new AsyncLocalStorage<RequestContext>();
