/**
 * Database commands: `migrate`, `seed` (referential + first admin), `setup` (both), and
 * `national-user <email> [display name]`, which creates a user of the national agency with the password
 * given on standard input (kept out of the command line and the environment).
 * Usage: node dist/src/database/cli.js <command>
 */
import 'reflect-metadata';
import { loadConfigOrExit } from '../config/config.js';
import { createDataSource } from './data-source.js';
import { ensureDatabase, seedAll } from './setup.js';
import { ensureNationalUser } from '../modules/accounts/accounts.service.js';

/** What the command tells its operator: plain lines on stdout (this is the CLI's interface, not logging). */
const say = (line: string): void => void process.stdout.write(`${line}\n`);

/** The first line of standard input. */
async function firstLineOfStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0];
}

async function main(command: string | undefined, args: string[]): Promise<void> {
  const config = loadConfigOrExit(process.env);
  const commands = ['migrate', 'seed', 'setup', 'national-user'];
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
    if (command === 'national-user') {
      const [email, displayName = 'Agence nationale de la cohésion des territoires'] = args;
      const password = await firstLineOfStdin();
      if (!email || !/^[^\s@]+@[^\s@]+$/.test(email) || password.length < 12) {
        console.error(
          'Usage: cli.js national-user <email> [display name] < file whose first line is the password (12 characters or more)',
        );
        process.exitCode = 64;
        return;
      }
      const created = await ensureNationalUser(dataSource, { email, password, displayName });
      say(created ? `National user ${email} created.` : `A user ${email} exists already: left unchanged.`);
    }
    if (command === 'seed' || command === 'setup') {
      await seedAll(dataSource, { email: config.adminEmail, password: config.adminPassword });
      say('Referential seeded; first CITY_TEAM user ensured.');
    }
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv[2], process.argv.slice(3)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
