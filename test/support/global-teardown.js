import pg from 'pg';

export default async function globalTeardown() {
  const client = new pg.Client({
    connectionString: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  });
  await client.connect();
  try {
    const left = await client.query(
      "SELECT datname FROM pg_database WHERE datname LIKE 'cdv\\_t\\_%' OR datname = 'cdv_test_template'",
    );
    for (const row of left.rows) await client.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
