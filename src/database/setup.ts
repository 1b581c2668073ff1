import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { projectRoot } from '../common/project-root.js';
import { createDatabase, databaseExists } from './database.repository.js';
import { ReferentialSeed, readQpvRows, seedReferential } from '../modules/referential/referential-seed.js';
import { ensureAdmin } from '../modules/accounts/accounts.service.js';

/** Creates the database named in the URL when it does not exist yet (a fresh machine has only `postgres`). */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    if (await databaseExists(client, name)) return false;
    await createDatabase(client, name);
    return true;
  } finally {
    await client.end();
  }
}

export async function loadReferentialSeeds(): Promise<ReferentialSeed[]> {
  const root = projectRoot();
  return [
    JSON.parse(
      await readFile(join(root, 'seeds', 'montelimar-agglo.referential.json'), 'utf8'),
    ) as ReferentialSeed,
  ];
}

/** The QPV of the seeds' territories, with their official codes. */
export function loadQpvRows(): ReturnType<typeof readQpvRows> {
  const root = projectRoot();
  return readQpvRows(
    join(root, 'seeds', 'data', 'montelimar_qpv.csv'),
    join(root, 'seeds', 'data', 'anct_qpv_2024_drome.csv'),
  );
}

/** Loads every contract's referential, then the first CITY_TEAM user. Idempotent. */
export async function seedAll(
  dataSource: DataSource,
  /** The first city-team user; it changes its password at first sign-in unless told otherwise (tests). */
  admin: { email: string; password: string; mustChangePassword?: boolean },
): Promise<void> {
  const qpvs = await loadQpvRows();
  let firstContractId: string | undefined;
  for (const seed of await loadReferentialSeeds()) {
    const contractId = await seedReferential(dataSource, seed, qpvs);
    firstContractId ??= contractId;
  }
  if (firstContractId) await ensureAdmin(dataSource, { ...admin, contractId: firstContractId });
}
