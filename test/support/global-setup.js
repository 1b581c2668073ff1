// Plain JavaScript: Jest loads global setup outside the ESM/TypeScript pipeline.
// It names this run and drops databases left by an interrupted one; the template itself is built,
// once per run, by the first test file that needs it (test/support/database.ts).
import { randomUUID } from 'node:crypto';
import pg from 'pg';

export default async function globalSetup() {
  process.env.CDV_TEST_RUN = randomUUID();
  const client = new pg.Client({
    connectionString: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  });
  await client.connect();
  try {
    const stale = await client.query(
      "SELECT datname FROM pg_database WHERE datname LIKE 'cdv\\_t\\_%' OR datname = 'cdv_test_template'",
    );
    for (const row of stale.rows) await client.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
