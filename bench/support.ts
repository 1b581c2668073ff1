/** What every scenario of `npm run bench` shares: options, the API process, load and timing helpers. */
import 'reflect-metadata';
import autocannon from 'autocannon';
import pg from 'pg';
import { Redis } from 'ioredis';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { DEFAULT_SCALE, type Scale } from './generate.js';
import { createDataSource } from '../src/database/data-source.js';
import { seedAll } from '../src/database/setup.js';

export const args = process.argv.slice(2);
export const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
export const quick = args.includes('--quick');
export const peakOnly = args.includes('--peak-only');
export const scale: Scale = {
  contracts: option('contracts', quick ? 40 : DEFAULT_SCALE.contracts),
  applications: option('applications', quick ? 12_000 : DEFAULT_SCALE.applications),
  seed: option('seed', DEFAULT_SCALE.seed),
  mediumCampaign: quick ? 2_000 : DEFAULT_SCALE.mediumCampaign,
  largeCampaign: quick ? 5_000 : DEFAULT_SCALE.largeCampaign,
};
export const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/cdv_bench';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const PORT = Number(process.env.BENCH_PORT ?? 3917);
export const BASE = `http://127.0.0.1:${PORT}/api/v1`;
/** Seconds of the same load before each measured one (results discarded). */
export const WARM_UP_SECONDS = 3;
export const JWT_SECRET = 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz';
export const PASSWORD = 'bench-password-123';

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
export const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

export async function recreateDatabase(): Promise<void> {
  const url = new URL(DATABASE_URL);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
}

/**
 * Starts the built API (`NODE_ENV=production`) and waits for its health; `extraEnv` adds or overrides its
 * settings, `directory` runs another build (an older checkout's, to measure before and after a change).
 */
/** The bench database recreated, migrated and seeded (referential and first city-team user), queues emptied. */
export async function freshDatabase(): Promise<void> {
  await recreateDatabase();
  await clearQueues();
  const dataSource = await createDataSource(DATABASE_URL).initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await seedAll(dataSource, { email: 'admin@bench.invalid', password: 'bench-admin-password' });
  await dataSource.destroy();
}

export async function startApi(
  extraEnv: Record<string, string> = {},
  directory = process.cwd(),
): Promise<ChildProcess> {
  // --profile: the API runs under the CPU profiler, which SIGUSR2 starts and stops (bench/profile-api.ts).
  const entry = args.includes('--profile') ? 'dist/bench/profile-api.js' : 'dist/src/main.js';
  const child = spawn(process.execPath, [entry], {
    cwd: directory,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PORT: String(PORT),
      DATABASE_URL,
      REDIS_URL,
      JWT_SECRET,
      QUEUE_PREFIX: 'bench',
      WORKER_IN_PROCESS: 'false',
      LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
      LOGIN_EMAIL_RATE_LIMIT_PER_HOUR: '1000000',
      LOGIN_ADDRESS_RATE_LIMIT_PER_MINUTE: '1000000',
      REGISTER_RATE_LIMIT_PER_HOUR: '1000000',
      ADMIN_PASSWORD: 'bench-admin-password',
      ...extraEnv,
    },
    stdio: ['ignore', 'ignore', args.includes('--profile') ? 'inherit' : 'ignore'],
  });
  for (let attempt = 0; attempt < 100; attempt += 1) {
    try {
      if ((await fetch(`${BASE}/health`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the API did not start');
}

export async function login(email: string): Promise<string> {
  const response = await fetch(`${BASE}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  return ((await response.json()) as { accessToken: string }).accessToken;
}

export function cannon(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

export function rssKb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('VmRSS:'))!;
  return Number(line.replace(/\D+/g, ''));
}

/** CPU seconds (user + system) a process has used, from /proc (clock ticks of 10 ms). */
export function cpuSeconds(pid: number | string): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0; // the process ended between listing and reading
  }
}

/** CPU seconds used so far by the API, by every PostgreSQL process of the machine, and by this process. */
export function cpuNow(apiPid: number): { api: number; database: number; loadGenerator: number } {
  let database = 0;
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') database += cpuSeconds(pid);
    } catch {
      // gone
    }
  }
  const own = process.cpuUsage();
  return { api: cpuSeconds(apiPid), database, loadGenerator: (own.user + own.system) / 1e6 };
}

/** One answered request of a load: its step, when it was sent, how long it took, its status. */
export interface Sample {
  step: string;
  sentAt: number;
  ms: number;
  status: number;
  /** For the last step of a flow: when its first request was sent. */
  flowSentAt?: number;
}

/**
 * A closed-loop load of WARM_UP_SECONDS then `seconds`, of which only the requests sent after the warm-up
 * count: the steady state, without the JIT's first compilations, the pool's first connections and prepared
 * statements, and the burst of every connection's first request at once. `options` wires `record` into
 * each request. Also returns the milliseconds of CPU per counted request that the API, the database and
 * the load generator spent during the window: steadier than rates on a shared machine, and it tells which
 * side to work on (database backends that ended during the load are not counted; the pools keep theirs).
 */
export async function steadyLoad(
  apiPid: number,
  seconds: number,
  options: (record: (sample: Sample) => void) => autocannon.Options,
): Promise<{ from: number; samples: Sample[]; cpuMsPerRequest: Record<string, number>; errors: number }> {
  const samples: Sample[] = [];
  const from = Date.now() + WARM_UP_SECONDS * 1000;
  let before = cpuNow(apiPid);
  const timer = setTimeout(() => (before = cpuNow(apiPid)), WARM_UP_SECONDS * 1000);
  const result = await cannon({
    ...options((sample) => samples.push(sample)),
    duration: WARM_UP_SECONDS + seconds,
  });
  clearTimeout(timer);
  const after = cpuNow(apiPid);
  const counted = samples.filter((sample) => sample.sentAt >= from);
  const per = (key: keyof typeof before) => round(((after[key] - before[key]) * 1000) / counted.length, 2);
  return {
    from,
    samples: counted,
    cpuMsPerRequest: { api: per('api'), database: per('database'), loadGenerator: per('loadGenerator') },
    errors: result.errors + result.timeouts + counted.filter((sample) => sample.status >= 400).length,
  };
}

/**
 * --profile: what the database's sessions wait on during a load (pg_stat_activity sampled every 50 ms),
 * as counts of wait event and statement, most frequent first.
 */
export function sampleWaits(client: pg.Client): { stop: () => Promise<string> } {
  const counts = new Map<string, number>();
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await client.query<{ sample: string }>(
        `SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') || '  ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 70) AS sample
           FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`,
      );
      for (const { sample } of rows) counts.set(sample, (counts.get(sample) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return [...counts.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 20)
        .map(([sample, count]) => `${String(count).padStart(6)}  ${sample}`)
        .join('\n');
    },
  };
}

/** What one autocannon connection carries from request to request of a submission. */
export interface Flow {
  id?: string;
  started?: number;
  /** When the current request was built (autocannon builds it just before sending it). */
  sentAt?: number;
}

/** Latencies per step of the flow, to see where the tail comes from. */
export const STEPS = ['create', 'uploadStatutes', 'uploadBankDetails', 'submit'];

export const MULTIPART_BOUNDARY = 'benchboundary7d3f';
export function multipart(kind: string): string {
  const pdf = '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n';
  return (
    `--${MULTIPART_BOUNDARY}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n${kind}\r\n` +
    `--${MULTIPART_BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${kind.toLowerCase()}.pdf"\r\nContent-Type: application/pdf\r\n\r\n${pdf}\r\n` +
    `--${MULTIPART_BOUNDARY}--\r\n`
  );
}

/** A programming table's latencies beside the bare SQL's, as printed. */
export function tableFigures(applications: number, api: number[], bare: number[]) {
  return {
    applications,
    runs: api.length,
    p50Ms: round(percentile(api, 50)),
    p99Ms: round(percentile(api, 99)),
    bareSqlP50Ms: round(percentile(bare, 50)),
    bareSqlP99Ms: round(percentile(bare, 99)),
  };
}

/** Removes the bench's queues (jobs of an earlier run point at rows of a database since recreated). */
export async function clearQueues(): Promise<void> {
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys('bench:*');
  if (keys.length) await redis.del(...keys);
  await redis.quit();
}

/** The sworn statement a submission carries (CERFA 12156 §7), signed by the legal representative. */
export const CERTIFICATION = {
  signatoryName: 'Camille Durand',
  signatoryRole: 'Présidente',
  certifiesAccuracy: true,
  republicanCommitmentSigned: true,
  obligationsUpToDate: true,
  budgetApproved: true,
  publicAidDeclared: true,
  paymentToOwnAccount: true,
};

/** A complete application of a bench association (its checks pass), in the theme, stake and QPV given. */
export function completeApplication(themeCode: string, stakeId: string, qpvCodes: string[]) {
  return {
    title: 'Aide aux devoirs',
    summary: 'Soutien scolaire.',
    objectives: 'Progresser.',
    description: 'Quatre soirs par semaine.',
    themeCode,
    stakeId,
    qpvCodes,
    location: 'Maison de quartier',
    startDate: '2031-03-01',
    endDate: '2031-12-31',
    beneficiaries: { total: 30, qpvResidents: 25, women: 16, men: 14, byAge: { '12-15': 30 } },
    indicators: [{ label: 'Collégiens accompagnés', unit: 'personnes', targetValue: 30 }],
    priorities: {
      genderEquality: {
        marker: 1,
        measures: 'Groupes mixtes et horaires compatibles avec la garde d’enfants.',
      },
      youth: { measures: 'Action destinée aux collégiens de 11 à 15 ans du quartier.' },
      antiDiscrimination: { measures: 'Accueil sans condition de ressources, de nationalité ni d’adresse.' },
    },
    budget: {
      charges: [{ account: '641', label: 'Animatrice', amountCents: 4_000_00 }],
      products: [
        { account: '74', label: 'État', amountCents: 2_500_00, partnerCode: 'E' },
        { account: '756', label: 'Cotisations', amountCents: 1_500_00 },
      ],
    },
  };
}
