/**
 * `npm run bench:capacity`: the deadline hour as people arrive, an open loop. Visits arrive at a fixed rate
 * whatever the service's answers (a slow answer does not hold the next person back, as a closed loop of N
 * connections does); each visit is one association finishing its dossier, request after request: 20 page
 * loads, a creation and 4 saves, 2 uploads, 1 submission (28 requests; France's 25,000 yearly applications
 * in one hour are about 7 submissions a second, about 200 requests a second). The rate rises step by step
 * (3 s of warm-up, then `--seconds` measured); a step holds while the p99 of the requests sent in its
 * measured window stays under 150 ms with under 1 % errors. Reported: the highest rate held with 1 API
 * process and with WEB_CONCURRENCY=2, and its ratio to 200 req/s. Writes docs/perf/capacity.json.
 *
 * Every request is timed from the moment it is sent to its answer's end; visits are started by a timer, not
 * by answers, so queueing in the service shows in the latencies instead of slowing the load down.
 * Options: --seconds S (10), --processes 1,2, --start R (50 req/s), --factor F (1.25), --users N (40).
 */
import 'reflect-metadata';
import argon2 from 'argon2';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import pg from 'pg';
import { generate } from './generate.js';
import {
  args,
  CERTIFICATION,
  completeApplication,
  cpuSeconds,
  DATABASE_URL,
  freshDatabase,
  MULTIPART_BOUNDARY,
  multipart,
  option,
  PASSWORD,
  percentile,
  PORT,
  round,
  startApi,
  WARM_UP_SECONDS,
} from './support.js';

const ORIGIN = `http://127.0.0.1:${PORT}`;
const P99_TARGET_MS = 150;
const MAX_ERROR_SHARE = 0.01;
const REFERENCE_RATE = 200;
const REQUESTS_PER_VISIT = 28;

const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });

interface Answer {
  status: number;
  body: string;
}

function send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve) => {
    const request = http.request(
      `${ORIGIN}${path}`,
      { method, agent, headers: body ? { ...headers, 'content-length': Buffer.byteLength(body) } : headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', () => resolve({ status: 0, body: '' }));
      },
    );
    request.setTimeout(30_000, () => request.destroy());
    request.on('error', () => resolve({ status: 0, body: '' }));
    request.end(body);
  });
}

/** An association of the bench: its API token and its page session. */
interface Person {
  token: string;
  cookie: string;
}

interface Timed {
  kind: 'page' | 'save' | 'upload' | 'submit';
  sentAt: number;
  ms: number;
  ok: boolean;
  /** The failed ones: what answered, to tell a refusal from an overload. */
  failure?: string;
}

/** One association finishing its dossier at the deadline: 28 requests, one after the other. */
async function visit(person: Person, campaignId: string, body: string, record: (timed: Timed) => void) {
  const api = { authorization: `Bearer ${person.token}` };
  const json = { ...api, 'content-type': 'application/json' };
  const page = { cookie: person.cookie };
  const timed = async (kind: Timed['kind'], call: () => Promise<Answer>, expected: number[]) => {
    const sentAt = performance.now();
    const answer = await call();
    const ok = expected.includes(answer.status);
    record({
      kind,
      sentAt,
      ms: performance.now() - sentAt,
      ok,
      ...(ok ? {} : { failure: `${kind} ${answer.status} ${answer.body.slice(0, 600)}` }),
    });
    return answer;
  };
  const get = (path: string) => timed('page', () => send('GET', path, page), [200]);
  const save = (patch: object) =>
    timed('save', () => send('PATCH', `/api/v1/applications/${id}`, json, JSON.stringify(patch)), [200]);
  const upload = (kind: string) =>
    timed(
      'upload',
      () =>
        send(
          'POST',
          `/api/v1/applications/${id}/attachments`,
          { ...api, 'content-type': `multipart/form-data; boundary=${MULTIPART_BOUNDARY}` },
          multipart(kind),
        ),
      [201],
    );

  await get('/');
  await get('/dossiers');
  const created = await timed(
    'save',
    () => send('POST', `/api/v1/campaigns/${campaignId}/applications`, json, body),
    [201],
  );
  if (created.status !== 201) return;
  const id = (JSON.parse(created.body) as { id: string }).id;
  const dossier = `/dossiers/${id}`;
  await get(dossier);
  await get(`${dossier}/projet`);
  await save({ summary: 'Un soutien scolaire quatre soirs par semaine.' });
  await get(dossier);
  await get(`${dossier}/publics`);
  await save({ location: 'Maison de quartier, salle 2' });
  await get(dossier);
  await get(`${dossier}/budget`);
  await save({ objectives: 'Faire progresser trente collégiens.' });
  await get(`${dossier}/budget`);
  await get(dossier);
  await get(`${dossier}/pieces`);
  await upload('STATUTES');
  await get(`${dossier}/pieces`);
  await upload('BANK_DETAILS');
  await get(`${dossier}/pieces`);
  await get(dossier);
  await get(`${dossier}/priorites`);
  await save({ description: 'Quatre soirs par semaine, des bénévoles et une animatrice.' });
  await get(dossier);
  await get(`${dossier}/verifier`);
  await timed(
    'submit',
    () =>
      send(
        'POST',
        `/api/v1/applications/${id}/submit`,
        json,
        JSON.stringify({ certification: CERTIFICATION }),
      ),
    [200],
  );
  await get(dossier);
  await get('/dossiers');
  await get('/');
}

/** The API's processes: the one started, and its children when WEB_CONCURRENCY > 1. */
function apiPids(pid: number): number[] {
  try {
    const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter(Boolean);
    return [pid, ...children];
  } catch {
    return [pid];
  }
}

/** Visits at `rate` requests a second for the warm-up and the measured seconds; the measured window's figures. */
async function step(
  rate: number,
  seconds: number,
  people: Person[],
  campaignId: string,
  body: string,
  apiPid: number,
) {
  const visitsPerSecond = rate / REQUESTS_PER_VISIT;
  const interval = 1000 / visitsPerSecond;
  const samples: Timed[] = [];
  const started = performance.now();
  const from = started + WARM_UP_SECONDS * 1000;
  const until = from + seconds * 1000;
  const visits: Promise<void>[] = [];
  let cpuBefore = 0;
  let next = started;
  let count = 0;
  let measuredCpu = false;
  while (performance.now() < until) {
    const now = performance.now();
    if (!measuredCpu && now >= from) {
      cpuBefore = apiPids(apiPid).reduce((sum, pid) => sum + cpuSeconds(pid), 0);
      measuredCpu = true;
    }
    while (next <= now && next < until) {
      const person = people[count % people.length];
      count += 1;
      visits.push(visit(person, campaignId, body, (sample) => samples.push(sample)));
      next += interval;
    }
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, Math.min(next, until) - performance.now())),
    );
  }
  const cpuAfter = apiPids(apiPid).reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  await Promise.all(visits);
  const counted = samples.filter((sample) => sample.sentAt >= from && sample.sentAt < until);
  const latencies = counted.map((sample) => sample.ms);
  const errors = counted.filter((sample) => !sample.ok).length;
  const failures: Record<string, number> = {};
  for (const sample of counted)
    if (sample.failure) failures[sample.failure] = (failures[sample.failure] ?? 0) + 1;
  const byKind = Object.fromEntries(
    (['page', 'save', 'upload', 'submit'] as const).map((kind) => {
      const of = counted.filter((sample) => sample.kind === kind).map((sample) => sample.ms);
      return [
        kind,
        { requests: of.length, p50Ms: round(percentile(of, 50)), p99Ms: round(percentile(of, 99)) },
      ];
    }),
  );
  return {
    offeredRate: rate,
    servedRate: round(counted.length / seconds),
    submissionsPerSecond: round(counted.filter((sample) => sample.kind === 'submit').length / seconds, 2),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(Math.max(...latencies)),
    errors,
    apiCpuMsPerRequest: round(((cpuAfter - cpuBefore) * 1000) / counted.length, 2),
    byKind,
    failures,
  };
}

async function main(): Promise<void> {
  const seconds = option('seconds', 10);
  const startRate = option('start', 50);
  const factor = option('factor', 1.25);
  const users = option('users', 40);
  const processIndex = args.indexOf('--processes');
  const processCounts = processIndex >= 0 ? args[processIndex + 1].split(',').map(Number) : [1, 2];

  await freshDatabase();
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  // The national scale's other campaigns beside the open call, as the database would hold them.
  const data = await generate(client, {
    contracts: 10,
    applications: 6_000,
    seed: 42,
    mediumCampaign: 5_000,
    largeCampaign: 500,
  });
  const contractId = data.mediumContractId;
  const open = await client.query<{ id: string }>(
    `INSERT INTO campaigns (contract_id, year, title, status, opens_at, submission_deadline, review_deadline, cotech_date, copil_date, report_deadline, rules, scoring_grid)
     VALUES ($1, 2031, 'Appel ouvert', 'OPEN', now() - interval '1 day', now() + interval '30 days', now() + interval '60 days', (now() + interval '70 days')::date, (now() + interval '80 days')::date, now() + interval '500 days',
             '{"minQpvSharePercent":50,"maxSingleFinancerSharePercent":80,"minWomenSharePercent":40,"advancePercent":50}', '[]') RETURNING id`,
    [contractId],
  );
  const campaignId = open.rows[0].id;
  const theme = await client.query<{ code: string; stake: string }>(
    `SELECT t.code, s.id AS stake FROM themes t JOIN stakes s ON s.theme_id = t.id WHERE t.contract_id = $1 ORDER BY t.position, s.position LIMIT 1`,
    [contractId],
  );
  const qpv = await client.query<{ code: string }>(`SELECT code FROM qpvs WHERE contract_id = $1 LIMIT 1`, [
    contractId,
  ]);
  const hash = await argon2.hash(PASSWORD);
  for (let index = 0; index < users; index += 1) {
    const siret = `${String(90_000_000 + index).padStart(9, '0')}00015`;
    const org = await client.query<{ id: string }>(
      `INSERT INTO organizations (name, legal_form, siret, address, legal_representative, contact_email)
       VALUES ($1, 'Association loi 1901', $2, '1 place du Marché', 'Camille Durand', $3) RETURNING id`,
      [`Association ${index}`, siret, `asso${index}@bench.invalid`],
    );
    await client.query(
      `INSERT INTO users (email, password_hash, display_name, role, organization_id, contract_id, email_confirmed_at)
       VALUES ($1, $2, 'Bench', 'ASSOCIATION', $3, $4, now())`,
      [`asso${index}@bench.invalid`, hash, org.rows[0].id, contractId],
    );
  }
  await client.query('ANALYZE');
  const body = JSON.stringify(
    completeApplication(
      theme.rows[0].code,
      theme.rows[0].stake,
      qpv.rows.map((row) => row.code),
    ),
  );

  const results: Record<string, unknown> = {};
  for (const processes of processCounts) {
    const api = await startApi({ PUBLIC_URL: ORIGIN, WEB_CONCURRENCY: String(processes) });
    try {
      // With several processes, the primary hands connections round: wait until each child listens.
      await new Promise((resolve) => setTimeout(resolve, processes > 1 ? 3000 : 0));
      const people: Person[] = [];
      for (let index = 0; index < users; index += 1) {
        const email = `asso${index}@bench.invalid`;
        const login = await send(
          'POST',
          '/api/v1/auth/login',
          { 'content-type': 'application/json' },
          JSON.stringify({ email, password: PASSWORD }),
        );
        const token = (JSON.parse(login.body) as { accessToken: string }).accessToken;
        people.push({ token, cookie: await signIn(email) });
      }
      const steps: Awaited<ReturnType<typeof step>>[] = [];
      const holds = (figures: Awaited<ReturnType<typeof step>>) =>
        figures.p99Ms < P99_TARGET_MS && figures.errors <= figures.servedRate * seconds * MAX_ERROR_SHARE;
      const measure = async (rate: number) => {
        const figures = await step(rate, seconds, people, campaignId, body, api.pid!);
        steps.push(figures);
        console.error(
          `[capacity] ${processes} process(es), ${rate} req/s offered: served ${figures.servedRate} req/s ` +
            `(${figures.submissionsPerSecond} submissions/s), p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, ` +
            `errors ${figures.errors}, API CPU ${figures.apiCpuMsPerRequest} ms/request: ${holds(figures) ? 'held' : 'not held'}`,
        );
        return holds(figures);
      };
      // Up by `factor` until a rate is not held, then halve the interval until it is within 5 %.
      let held = 0;
      let failed = startRate;
      while (await measure(failed)) {
        held = failed;
        failed = Math.round(failed * factor);
      }
      while (held > 0 && failed / held > 1.05) {
        const middle = Math.round((held + failed) / 2);
        if (await measure(middle)) held = middle;
        else failed = middle;
      }
      const capacity = held;
      results[`${processes}`] = {
        apiProcesses: processes,
        capacityReqPerSecond: capacity,
        ratioTo200: round(capacity / REFERENCE_RATE, 2),
        steps,
      };
    } finally {
      api.kill('SIGTERM');
      await new Promise((resolve) => api.once('exit', resolve));
    }
  }
  await client.end();
  const report = {
    date: new Date().toISOString(),
    machine: `${(await import('node:os')).availableParallelism()} cores`,
    node: process.version,
    mix: { requestsPerVisit: REQUESTS_PER_VISIT, pages: 20, saves: 5, uploads: 2, submissions: 1 },
    target: { p99Ms: P99_TARGET_MS, maxErrorShare: MAX_ERROR_SHARE, referenceReqPerSecond: REFERENCE_RATE },
    seconds,
    results,
  };
  writeFileSync(join(process.cwd(), 'docs', 'perf', 'capacity.json'), JSON.stringify(report, null, 2) + '\n');
  console.log(JSON.stringify(report, null, 2));
}

/** Signs in through « Se connecter » as a browser does: the session cookie it ends with. */
async function signIn(email: string): Promise<string> {
  const first = await new Promise<{ cookie: string; csrf: string }>((resolve, reject) => {
    http
      .get(`${ORIGIN}/connexion`, { agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const cookie = /cdv_session=[^;]+/.exec(String(response.headers['set-cookie'] ?? ''))?.[0];
          const csrf = /name="_csrf" value="([^"]+)"/.exec(Buffer.concat(chunks).toString('utf8'))?.[1];
          if (!cookie || !csrf) reject(new Error('no session or CSRF token on /connexion'));
          else resolve({ cookie, csrf });
        });
      })
      .on('error', reject);
  });
  const answer = await new Promise<{ status: number; cookie?: string }>((resolve, reject) => {
    const form = new URLSearchParams({ _csrf: first.csrf, email, password: PASSWORD }).toString();
    const request = http.request(
      `${ORIGIN}/connexion`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(form),
          cookie: first.cookie,
          origin: ORIGIN,
        },
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            cookie: /cdv_session=[^;]+/.exec(String(response.headers['set-cookie'] ?? ''))?.[0],
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(form);
  });
  if (answer.status !== 303 || !answer.cookie) throw new Error(`sign-in answered ${answer.status}`);
  return answer.cookie;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
