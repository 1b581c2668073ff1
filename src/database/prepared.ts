import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { EntityManager } from 'typeorm';

const names = new Map<string, string>();

/**
 * Runs one of the hot statements (the application view, the write paths of a submission) as a named
 * prepared statement: PostgreSQL parses and plans it once per pooled connection instead of at every call
 * (the application view: 1.4 → 0.5 ms of database time). The name derives from the text, so a statement
 * built from parts gets one name per shape. Inside a transaction it runs on the transaction's connection.
 */
export async function queryPrepared<T>(em: EntityManager, text: string, values: unknown[]): Promise<T[]> {
  let name = names.get(text);
  if (!name) {
    name = `cdv_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
  }
  const runner = em.queryRunner ?? em.connection.createQueryRunner();
  try {
    const client = (await runner.connect()) as pg.PoolClient;
    return (await client.query<T & pg.QueryResultRow>({ name, text, values })).rows;
  } finally {
    if (!em.queryRunner) await runner.release();
  }
}
