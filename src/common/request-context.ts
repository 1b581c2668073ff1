import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request being served, without passing it down: one context per HTTP request (opened by the request-id
 * middleware of `app.factory.ts`, after body parsing, whose stream callbacks would lose it), holding its id.
 * The audit trail records that id beside the actor; a job or a seed has none unless it opens one.
 *
 * Node's AsyncLocalStorage, not nestjs-cls: that package is CommonJS and `require`s @nestjs/common, which
 * NestJS 12 ships as ES modules only; Jest cannot load that on the Node versions we support.
 */
const storage = new AsyncLocalStorage<{ requestId: string }>();

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** Runs `work` in a context of its own with this request id (the middleware, or a seed acting as a request). */
export function runWithRequestId<T>(requestId: string, work: () => T): T {
  return storage.run({ requestId }, work);
}
