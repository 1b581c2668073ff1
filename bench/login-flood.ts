/**
 * `npm run bench:login`: how long a real user's sign-in takes while the login route is flooded, the figure
 * behind issue 16's "a flood of logins cannot slow a real user's login beyond a second".
 *
 * Recreates the bench database (BENCH_DATABASE_URL, default cdv_bench) with one real user and one other
 * account, starts the built API (throttles out of the way: the flood comes from many addresses), and
 * measures the real user's sign-in (one every 250 ms, its correct password) alone, then during each flood
 * of `--connections N` (default 64) concurrent sign-ins for `--duration S` seconds (default 10):
 * - unknown e-mails, each a new one (what an attacker enumerating or spraying addresses sends);
 * - the other account's e-mail with wrong passwords (each costs a real password verification).
 * Prints one JSON object. `--api-dir DIR` measures another build (an older checkout, for "before").
 */
import 'reflect-metadata';
import argon2 from 'argon2';
import pg from 'pg';
import {
  args,
  BASE,
  cannon,
  freshDatabase,
  DATABASE_URL,
  option,
  PASSWORD,
  percentile,
  round,
  startApi,
} from './support.js';

const REAL = 'real@bench.invalid';
const OTHER = 'other@bench.invalid';

async function timedLogin(): Promise<{ ms: number; status: number }> {
  const start = performance.now();
  const response = await fetch(`${BASE}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: REAL, password: PASSWORD }),
  });
  await response.arrayBuffer();
  return { ms: performance.now() - start, status: response.status };
}

/** The real user's sign-ins, one every 250 ms, for `seconds`. */
async function realUser(seconds: number): Promise<{ ms: number; status: number }[]> {
  const until = Date.now() + seconds * 1000;
  const samples: { ms: number; status: number }[] = [];
  while (Date.now() < until) {
    samples.push(await timedLogin());
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return samples;
}

const summary = (samples: { ms: number; status: number }[]) => {
  const times = samples.map((sample) => sample.ms);
  return {
    logins: samples.length,
    failed: samples.filter((sample) => sample.status !== 200).length,
    p50Ms: round(percentile(times, 50)),
    p95Ms: round(percentile(times, 95)),
    maxMs: round(Math.max(...times)),
  };
};

async function flood(kind: 'unknown' | 'known', connections: number, seconds: number) {
  let sequence = 0;
  const load = cannon({
    url: `${BASE}/auth/login`,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify({
            email: kind === 'unknown' ? `flood-${++sequence}@bench.invalid` : OTHER,
            password: `wrong-password-${sequence}`,
          }),
        }),
      },
    ],
  });
  // The real user starts a second in, once the flood is at full strength.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const real = await realUser(seconds - 2);
  const result = await load;
  return {
    floodRequestsPerSecond: Math.round(result.requests.average),
    floodP50Ms: result.latency.p50,
    floodP99Ms: result.latency.p99,
    floodErrors: result.errors + result.timeouts + result.non2xx - result['4xx'],
    realUser: summary(real),
  };
}

async function main(): Promise<void> {
  const connections = option('connections', 64);
  const seconds = option('duration', 10);
  const directoryIndex = args.indexOf('--api-dir');
  const directory = directoryIndex >= 0 ? args[directoryIndex + 1] : process.cwd();

  console.error(`[bench:login] recreating ${DATABASE_URL}`);
  await freshDatabase();
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  const hash = await argon2.hash(PASSWORD, { type: argon2.argon2id });
  await client.query(
    `INSERT INTO users (email, password_hash, display_name, role, contract_id)
     SELECT e, $1, 'Bench', 'CITY_TEAM', (SELECT id FROM contracts ORDER BY code LIMIT 1) FROM unnest($2::text[]) e`,
    [hash, [REAL, OTHER]],
  );
  await client.end();

  const api = await startApi({}, directory);
  try {
    for (let index = 0; index < 5; index += 1) await timedLogin(); // warm-up
    const alone = summary(await realUser(5));
    const unknown = await flood('unknown', connections, seconds);
    const known = await flood('known', connections, seconds);
    console.log(
      JSON.stringify(
        {
          build: directory,
          machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
          connections,
          seconds,
          realUserAlone: alone,
          floodOfUnknownEmails: unknown,
          floodOfWrongPasswords: known,
        },
        null,
        2,
      ),
    );
  } finally {
    api.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
