import type { EntitySubscriberInterface, TransactionStartEvent } from 'typeorm';
import { EventSubscriber } from 'typeorm';
import { requestContext } from '../common/request-context.js';

/**
 * Tells the database who acts: each transaction opened while serving an authenticated request sets
 * `app.actor_id` and `app.request_id` for itself (SET LOCAL semantics), which the audit triggers record.
 * Outside a request (worker jobs, seeds) nothing is set and the audit shows the system as the actor.
 */
@EventSubscriber()
export class AuditActorSubscriber implements EntitySubscriberInterface {
  async afterTransactionStart(event: TransactionStartEvent): Promise<void> {
    const context = requestContext.getStore();
    if (!context?.user) return;
    await event.queryRunner.query(
      `SELECT set_config('app.actor_id', $1, true), set_config('app.request_id', $2, true)`,
      [context.user.id, context.requestId],
    );
  }
}
