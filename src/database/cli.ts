/**
 * Database commands: `migrate`, `seed` (referential + first admin), `seed-demo`, `setup` (all three).
 * Usage: node dist/src/database/cli.js <command>
 */
import 'reflect-metadata';
import { loadConfigOrExit } from '../config/config.js';
import { createDataSource } from './data-source.js';
import { ensureDatabase, seedAll } from './setup.js';

/** What the command tells its operator: plain lines on stdout (this is the CLI's interface, not logging). */
const say = (line: string): void => void process.stdout.write(`${line}\n`);

async function main(command: string | undefined): Promise<void> {
  const config = loadConfigOrExit(process.env);
  const commands = ['migrate', 'seed', 'setup'];
  if (!command || !commands.includes(command)) {
    console.error(`Usage: cli.js <${commands.join('|')}>`);
    process.exit(64);
  }
  if (await ensureDatabase(config.databaseUrl)) say('Database created.');
  const dataSource = await createDataSource(config.databaseUrl).initialize();
  try {
    if (command === 'migrate' || command === 'setup') {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      say(
        `Migrations: ${applied.length} applied${applied.length ? ` (${applied.map((m) => m.name).join(', ')})` : ''}.`,
      );
    }
    if (command === 'seed' || command === 'setup') {
      await seedAll(dataSource, { email: config.adminEmail, password: config.adminPassword });
      say('Referential seeded; first CITY_TEAM user ensured.');
    }
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
