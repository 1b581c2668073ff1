import type pg from 'pg';
import type { EntityManager } from 'typeorm';

/**
 * The data layer's own statements: the database's creation by the setup, and the audit actor's settings that
 * the audit triggers read (`audit-actor.ts` decides when to send them).
 */

/** Whether the server (connected to another database) has a database of that name. */
export async function databaseExists(client: pg.Client, name: string): Promise<boolean> {
  const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return (found.rowCount ?? 0) > 0;
}

export async function createDatabase(client: pg.Client, name: string): Promise<void> {
  await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
}

/** Sets `app.actor_id` and `app.request_id` for the rest of the transaction `em` runs. */
export async function setAuditActor(em: EntityManager, actorId: string, requestId: string): Promise<void> {
  await em.query(`SELECT set_config('app.actor_id', $1, true), set_config('app.request_id', $2, true)`, [
    actorId,
    requestId,
  ]);
}

/** SQL: the CTE `actor` that sets the same settings inside one statement, from parameters `$actor` and `$request`. */
export const auditActorCte = (actorParameter: number, requestParameter: number): string =>
  `actor AS (SELECT set_config('app.actor_id', $${actorParameter}::text, true) AS actor_id,
                           set_config('app.request_id', $${requestParameter}::text, true) AS request_id)`;
