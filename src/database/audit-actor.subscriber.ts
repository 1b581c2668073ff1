import pg from 'pg';
import type { EntitySubscriberInterface, QueryRunner, TransactionStartEvent } from 'typeorm';
import { EventSubscriber } from 'typeorm';
import { requestContext } from '../common/request-context.js';

const START = 'START TRANSACTION';

/**
 * Tells the database who acts: each transaction opened while serving an authenticated request sets
 * `app.actor_id` and `app.request_id` for itself (SET LOCAL semantics), which the audit triggers record.
 * Outside a request (worker jobs, seeds) nothing is set and the audit shows the system as the actor.
 *
 * The settings travel with the transaction's opening statement, as one simple-protocol query
 * (`START TRANSACTION; SELECT set_config(…)`): no round trip of their own on the hot write paths.
 */
@EventSubscriber()
export class AuditActorSubscriber implements EntitySubscriberInterface {
  beforeTransactionStart(event: TransactionStartEvent): void {
    const context = requestContext.getStore();
    const runner = event.queryRunner as QueryRunner & { transactionDepth?: number };
    if (!context?.user || runner.transactionDepth) return;
    const settings =
      `SELECT set_config('app.actor_id', ${pg.escapeLiteral(context.user.id)}, true), ` +
      `set_config('app.request_id', ${pg.escapeLiteral(context.requestId)}, true)`;
    const query = runner.query;
    // Own property for the next call only: the runner's own method is back before the statement is sent.
    runner.query = function (this: QueryRunner, sql: string, ...rest: unknown[]) {
      delete (runner as Partial<QueryRunner>).query;
      return query.call(this, sql === START ? `${START}; ${settings}` : sql, ...(rest as []));
    } as QueryRunner['query'];
  }
}

/**
 * For a write made of one statement outside any transaction of ours (it commits alone): the CTE `actor`
 * that sets the actor for that statement's own transaction, its values pushed on `values`. The statement
 * must read its one row (PostgreSQL skips a plain CTE nobody reads); the audit triggers fire after it, at
 * the end of the statement.
 */
export function actorCte(values: unknown[]): string {
  const context = requestContext.getStore();
  const actor = values.push(context?.user?.id ?? '');
  const request = values.push(context?.requestId ?? '');
  return `actor AS (SELECT set_config('app.actor_id', $${actor}::text, true) AS actor_id,
                           set_config('app.request_id', $${request}::text, true) AS request_id)`;
}
