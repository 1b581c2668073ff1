/** The deadline peak (create, two uploads, submit at 50 connections) beside GET /health and the same rows through pg alone. */
import autocannon from 'autocannon';
import pg from 'pg';
import {
  args,
  CERTIFICATION,
  DATABASE_URL,
  BASE,
  WARM_UP_SECONDS,
  percentile,
  round,
  steadyLoad,
  sampleWaits,
  Flow,
  STEPS,
  MULTIPART_BOUNDARY,
  multipart,
} from '../support.js';
import type { BenchContext } from './context.js';

export async function deadlinePeak(ctx: BenchContext): Promise<void> {
  const { api, client, figures, duration, assoToken, stamp, sample, peak, stake } = ctx;
  console.error('[bench] baseline: GET /health');
  const health = await steadyLoad(api.pid!, duration, (record) => ({
    url: `${BASE}/health`,
    connections: 50,
    requests: [
      {
        setupRequest: (request: autocannon.Request, context: object) => {
          stamp(context);
          return request;
        },
        onResponse: (status: number, _body: string, context: object) =>
          record(sample('health', status, context)),
      },
    ],
  }));

  console.error('[bench] deadline peak: create, 2 uploads, submit');
  const body = JSON.stringify({
    title: 'Action de quartier',
    summary: 'Résumé',
    objectives: 'Objectifs',
    description: 'Description',
    themeCode: 'EMP',
    stakeId: stake.rows[0].id,
    qpvCodes: ['QN02604M'],
    location: 'Montélimar',
    startDate: '2027-02-01',
    endDate: '2027-11-30',
    beneficiaries: { total: 30, qpvResidents: 20, women: 15, men: 15, byAge: { '16-25': 30 } },
    indicators: [{ label: 'Jeunes accompagnés', unit: 'personnes', targetValue: 30 }],
    priorities: {
      genderEquality: { marker: 1, measures: 'Mesures pour l’égalité entre les femmes et les hommes' },
      youth: { measures: 'Action destinée aux jeunes de 16 à 25 ans du quartier.' },
      antiDiscrimination: { measures: 'Accès ouvert à toutes et tous sans condition' },
    },
    budget: {
      charges: [{ account: '64', label: 'Salaires', amountCents: 1_000_000 }],
      products: [
        { account: '74', label: 'État', amountCents: 300_000, partnerCode: 'E' },
        { account: '74', label: 'Ville', amountCents: 300_000, partnerCode: 'V' },
        { account: '75', label: 'Fonds propres', amountCents: 400_000 },
      ],
    },
  });
  const auth = { authorization: `Bearer ${assoToken}` };
  // --profile: the database's waits and the API's CPU profile over the measured window.
  let waits: ReturnType<typeof sampleWaits> | undefined;
  if (args.includes('--profile'))
    setTimeout(() => {
      waits = sampleWaits(client);
      api.kill('SIGUSR2');
    }, WARM_UP_SECONDS * 1000);
  const peakLoad = await steadyLoad(api.pid!, duration, (record) => ({
    url: BASE,
    connections: 50,
    requests: [
      {
        method: 'POST',
        path: `/api/v1/campaigns/${peak.rows[0].id}/applications`,
        headers: { ...auth, 'content-type': 'application/json' },
        body,
        setupRequest: (request: autocannon.Request, context: object) => {
          stamp(context);
          (context as Flow).started = (context as Flow).sentAt;
          return request;
        },
        onResponse: (status, responseBody, context) => {
          record(sample('create', status, context));
          (context as Flow).id = (JSON.parse(responseBody) as { id: string }).id;
        },
      },
      ...['STATUTES', 'BANK_DETAILS'].map((kind) => ({
        method: 'POST' as const,
        setupRequest: (request: autocannon.Request, context: object) => {
          stamp(context);
          return {
            ...request,
            path: `/api/v1/applications/${(context as Flow).id}/attachments`,
            headers: { ...auth, 'content-type': `multipart/form-data; boundary=${MULTIPART_BOUNDARY}` },
            body: multipart(kind),
          };
        },
        onResponse: (status: number, _body: string, context: object) =>
          record(sample(kind === 'STATUTES' ? 'uploadStatutes' : 'uploadBankDetails', status, context)),
      })),
      {
        method: 'POST',
        setupRequest: (request: autocannon.Request, context: object) => {
          stamp(context);
          return {
            ...request,
            path: `/api/v1/applications/${(context as Flow).id}/submit`,
            headers: { ...auth, 'content-type': 'application/json' },
            body: JSON.stringify({ certification: CERTIFICATION }),
          };
        },
        onResponse: (status, _body, context) =>
          record({ ...sample('submit', status, context), flowSentAt: (context as Flow).started }),
      },
    ],
  }));
  const latencies = (step?: string) =>
    peakLoad.samples.filter((entry) => !step || entry.step === step).map((entry) => entry.ms);
  // A submission: its four requests, for flows whose first request was sent in the measured window.
  const submissions = peakLoad.samples.filter((entry) => entry.step === 'submit' && entry.status === 200);
  const submissionLatencies = submissions
    .filter((entry) => entry.flowSentAt! >= peakLoad.from)
    .map((entry) => entry.sentAt + entry.ms - entry.flowSentAt!);

  if (waits) {
    console.error((await waits.stop()) || '(no waits sampled)');
    api.kill('SIGUSR2');
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  console.error('[bench] baseline: the same rows through pg alone');
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 50 });
  const template = await client.query(`SELECT * FROM grant_applications WHERE campaign_id = $1 LIMIT 1`, [
    peak.rows[0].id,
  ]);
  let rawInserts = 0;
  const rawUntil = Date.now() + duration * 1000;
  const row = template.rows[0];
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (Date.now() < rawUntil) {
        await pool.query(
          `INSERT INTO grant_applications (campaign_id, contract_id, organization_id, reference, reference_number, status, title, theme_id, stake_id, beneficiaries, priorities, budget, total_charges_cents, total_products_cents, requested_cents)
           VALUES ($1, $2, $3, 'RAW-' || substr(md5(random()::text), 1, 24), 0, 'DRAFT', $4, $5, $6, $7, $8, $9, $10, $10, $11)`,
          [
            row.campaign_id,
            row.contract_id,
            row.organization_id,
            row.title,
            row.theme_id,
            row.stake_id,
            row.beneficiaries,
            row.priorities,
            row.budget,
            row.total_charges_cents,
            row.requested_cents,
          ],
        );
        rawInserts += 1;
      }
    }),
  );
  await pool.end();

  const healthRate = health.samples.length / duration;
  const peakRate = peakLoad.samples.length / duration;
  figures.deadlinePeak = {
    connections: 50,
    seconds: duration,
    warmUpSeconds: WARM_UP_SECONDS,
    submissionsPerSecond: round(submissions.length / duration),
    submissionP50Ms: percentile(submissionLatencies, 50),
    submissionP99Ms: percentile(submissionLatencies, 99),
    requestsPerSecond: round(peakRate),
    requestP50Ms: percentile(latencies(), 50),
    requestP99Ms: percentile(latencies(), 99),
    stepP50P99Ms: Object.fromEntries(
      STEPS.map((step) => [step, [percentile(latencies(step), 50), percentile(latencies(step), 99)]]),
    ),
    cpuMsPerRequest: peakLoad.cpuMsPerRequest,
    errors: peakLoad.errors,
    healthRequestsPerSecond: round(healthRate),
    healthP99Ms: percentile(
      health.samples.map((entry) => entry.ms),
      99,
    ),
    healthCpuMsPerRequest: health.cpuMsPerRequest,
    rawPgInsertsPerSecond: round(rawInserts / duration),
    ratioToHealth: round(peakRate / healthRate, 3),
    ratioToRawPg: round(submissions.length / rawInserts, 3),
  };
}
