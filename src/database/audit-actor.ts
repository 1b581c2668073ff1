import type { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../common/auth.js';
import { currentRequestId } from '../common/request-context.js';
import { auditActorCte, setAuditActor } from './database.repository.js';

/** Who acts, for the audit triggers: the user, and the request being served (its id, when there is one). */
type Actor = Pick<AuthUser, 'id'>;

const requestId = (): string => currentRequestId() ?? '';

/**
 * Tells the database who acts in the transaction `em` runs: `app.actor_id` and `app.request_id`, local to
 * that transaction (`set_config(…, true)`), which the audit triggers record on every audited row it
 * writes. Call it first in each transaction that writes audited tables on behalf of a user; a worker job
 * or a seed calls nothing and the audit shows the system as the actor.
 */
export async function recordActor(em: EntityManager, actor: Actor): Promise<void> {
  if (!em.queryRunner?.isTransactionActive) throw new Error('recordActor runs inside a transaction');
  await setAuditActor(em, actor.id, requestId());
}

/** A transaction whose audited writes name `actor`: `recordActor`, then the work. */
export function auditedTransaction<T>(
  dataSource: DataSource,
  actor: Actor,
  work: (em: EntityManager) => Promise<T>,
): Promise<T> {
  return dataSource.transaction(async (em) => {
    await recordActor(em, actor);
    return work(em);
  });
}

/**
 * For a write made of one statement outside any transaction of ours (it commits alone): the CTE `actor`
 * that sets `actor` for that statement's own transaction, its values pushed on `values`. The statement
 * must read its one row (PostgreSQL skips a plain CTE nobody reads); the audit triggers fire after it, at
 * the end of the statement.
 */
export function actorCte(values: unknown[], actor: Actor): string {
  const actorParameter = values.push(actor.id);
  const requestParameter = values.push(requestId());
  return auditActorCte(actorParameter, requestParameter);
}
