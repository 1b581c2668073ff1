import pg from 'pg';
import { createDataSource } from '../../src/database/data-source.js';
import { seedAll } from '../../src/database/setup.js';
import { TEST_ADMIN } from './constants.js';

/** Server the tests create their databases on (CI: trust auth as postgres on 127.0.0.1). */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEMPLATE_DATABASE = 'cdv_test_template';

export function databaseUrl(name: string): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(client: pg.Client, name: string): Promise<void> {
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

const TEMPLATE_LOCK = 727_001;

/**
 * Builds the template once per test run (named by global-setup.js): migrated with the real migrations
 * and seeded with the real seeds. An advisory lock keeps parallel workers from building it twice.
 */
async function ensureTemplate(): Promise<void> {
  const run = process.env.CDV_TEST_RUN ?? 'standalone';
  await withServer(async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      const found = await client.query<{ comment: string | null }>(
        'SELECT shobj_description(oid, $2) AS comment FROM pg_database WHERE datname = $1',
        [TEMPLATE_DATABASE, 'pg_database'],
      );
      if (found.rows[0]?.comment === run) return;
      await dropDatabase(client, TEMPLATE_DATABASE);
      await client.query(`CREATE DATABASE "${TEMPLATE_DATABASE}"`);
      const dataSource = await createDataSource(databaseUrl(TEMPLATE_DATABASE)).initialize();
      try {
        await dataSource.runMigrations({ transaction: 'each' });
        // The tests' first city-team user is past its first sign-in (test/auth.e2e-spec.ts seeds one that is
        // not, to show the obligation to change the installation password).
        await seedAll(dataSource, { ...TEST_ADMIN, mustChangePassword: false });
      } finally {
        await dataSource.destroy();
      }
      await client.query(`COMMENT ON DATABASE "${TEMPLATE_DATABASE}" IS '${run.replace(/'/g, '')}'`);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
    }
  });
}

/** A fresh database for one test file: a copy of the migrated and seeded template. */
export async function createDatabaseFromTemplate(prefix = 'cdv_t'): Promise<string> {
  await ensureTemplate();
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await withServer((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE_DATABASE}"`));
  return name;
}
