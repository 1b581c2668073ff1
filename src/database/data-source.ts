import 'reflect-metadata';
import { DataSource, DataSourceOptions } from 'typeorm';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';
import { ENTITIES } from './entities.js';
import { SafeQueryLogger } from './query-logger.js';

const here = dirname(fileURLToPath(import.meta.url));
/** Migrations live at the top of the repository: `migrations/` (sources) or `dist/migrations/` (built). */
const migrationsGlob = join(here, '..', '..', 'migrations', '*.{js,ts}');

export interface DataSourceSettings {
  /** Load the migration files: only the CLI and the test template run them, never the API or worker. */
  withMigrations?: boolean;
  /** Log failed queries (off in tests, where refused writes are expected). */
  logErrors?: boolean;
  /** Connections kept to PostgreSQL at most (DATABASE_POOL_SIZE; 20 by default). */
  poolSize?: number;
}

/** The one set of options shared by the app, the migration CLI and the tests. */
export function dataSourceOptions(databaseUrl: string, settings: DataSourceSettings = {}): DataSourceOptions {
  return {
    type: 'postgres',
    uuidExtension: 'pgcrypto',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: settings.withMigrations ? [migrationsGlob] : [],
    migrationsTableName: 'typeorm_migrations',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    logging: settings.logErrors === false ? false : ['error', 'warn'],
    logger: new SafeQueryLogger(settings.logErrors !== false),
    // A request waits at most 5 s for a connection (then 503), instead of forever while the database is away.
    extra: {
      max: settings.poolSize ?? 20,
      application_name: 'contrat-de-ville',
      connectionTimeoutMillis: 5000,
    },
  };
}

export function createDataSource(
  databaseUrl: string,
  settings: DataSourceSettings = { withMigrations: true },
): DataSource {
  return new DataSource(dataSourceOptions(databaseUrl, settings));
}
