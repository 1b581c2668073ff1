/**
 * Faults, on servers of the test's own: a Redis server killed while associations submit and restarted
 * empty (test/support/redis-server.ts); a PostgreSQL cluster stopped and started again under load
 * (test/support/pg-cluster.ts). Nothing accepted is lost, no email is sent
 * twice, no write is left half done.
 */
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createTestApp, TestApp } from './support/test-app.js';
import { eventually, SmtpSink } from './support/smtp-sink.js';
import { PgCluster } from './support/pg-cluster.js';
import { RedisServer } from './support/redis-server.js';
import { createCampaign } from './factories/campaign.factory.js';
import { Account, registerAssociation } from './factories/account.factory.js';
import {
  applicationBody,
  CERTIFICATION,
  createReadyDraft,
  stakeOf,
} from './factories/application.factory.js';
import { WorkerModule } from '../src/worker.module.js';
import { loadConfig } from '../src/config/config.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The acknowledgements of receipt (the account's confirmation email goes to the same address). */
const RECEIPT = /^Accusé de réception/;

describe('Redis killed while associations submit, then restarted empty', () => {
  const sink = new SmtpSink();
  const redis = new RedisServer();
  let t: TestApp;
  let worker: INestApplicationContext;
  let asso: Account;
  let campaignId: string;

  beforeAll(async () => {
    await sink.start();
    await redis.start();
    t = await createTestApp({
      REDIS_URL: redis.url,
      SMTP_URL: sink.url,
      WORKER_IN_PROCESS: 'false',
      OUTBOX_SWEEP_MS: '500',
    });
    // The worker is its own Nest context, as in production, on the same Redis.
    worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot(
        loadConfig({
          NODE_ENV: 'test',
          DATABASE_URL: t.config.databaseUrl,
          REDIS_URL: redis.url,
          SMTP_URL: sink.url,
          QUEUE_PREFIX: t.config.queuePrefix,
          OUTBOX_SWEEP_MS: '500',
          MAIL_RETRY_BASE_MS: '100',
        }),
      ),
      { logger: false },
    );
    await worker.init();
    asso = await registerAssociation(t);
    campaignId = (await createCampaign(t)).id;
  });
  afterAll(async () => {
    await redis.start().catch(() => undefined);
    await worker.close();
    await t.close();
    await redis.stop();
    await sink.stop();
  });

  it('accepts every submission, then delivers each acknowledgement once when Redis is back', async () => {
    const drafts: { id: string; reference: string }[] = [];
    for (let index = 0; index < 6; index += 1) drafts.push(await createReadyDraft(t, asso.token, campaignId));

    await redis.stop(); // killed: its queues and the worker's schedules die with it
    const health = await t.http().get('/api/v1/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ db: 'up', redis: 'down' });
    const answers = await Promise.all(
      drafts.map((draft) =>
        t.http().post(`/api/v1/applications/${draft.id}/submit`).set(auth(asso.token)).send(CERTIFICATION),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(drafts.map(() => 200));
    const pending = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM notifications WHERE type = 'APPLICATION_SUBMITTED' AND status = 'PENDING'`,
    );
    expect(pending[0].n).toBe(6);
    await sleep(1500); // several sweeps would fall due while Redis is away
    expect(sink.to(asso.email, RECEIPT)).toHaveLength(0);

    await redis.start(); // empty: the worker must restore its schedules for the sweep to find the emails
    await eventually(() => sink.to(asso.email, RECEIPT).length >= 6, 30_000);
    await sleep(3000); // more sweeps: none may send again
    const receipts = sink.to(asso.email, RECEIPT);
    expect(receipts).toHaveLength(6);
    expect(receipts.map((mail) => mail.subject).sort()).toEqual(
      drafts.map((draft) => `Accusé de réception : dossier ${draft.reference} déposé`).sort(),
    );
    expect(receipts[0].text).toContain('vaut accusé de réception');
    const sent = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM notifications WHERE type = 'APPLICATION_SUBMITTED' AND status = 'SENT'`,
    );
    expect(sent[0].n).toBe(6);
  }, 60_000);
});

describe('PostgreSQL restarted under load', () => {
  let postgres: PgCluster;
  let t: TestApp;
  let asso: Account;
  let campaignId: string;
  let body: Record<string, unknown>;

  beforeAll(async () => {
    postgres = await PgCluster.create();
    t = await createTestApp({}, { databaseUrl: (direct) => postgres.copyOf(direct) });
    asso = await registerAssociation(t);
    campaignId = (await createCampaign(t)).id;
    body = applicationBody(await stakeOf(t, asso.token, 'EMP'));
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await postgres.drop();
  });

  it('answers 503 while it is away, recovers, acknowledges nothing it lost and leaves no partial write', async () => {
    const drafts: { id: string; reference: string }[] = [];
    for (let index = 0; index < 12; index += 1)
      drafts.push(await createReadyDraft(t, asso.token, campaignId));
    const statuses: { phase: string; status: number }[] = [];
    const created: string[] = [];
    const submitted: string[] = [];
    let phase = 'before';
    let running = true;

    const creator = async () => {
      while (running) {
        const response = await t
          .http()
          .post(`/api/v1/campaigns/${campaignId}/applications`)
          .set(auth(asso.token))
          .send(body);
        statuses.push({ phase, status: response.status });
        if (response.status === 201) created.push(response.body.id);
        else await sleep(50);
      }
    };
    const submitter = async () => {
      while (running && drafts.length) {
        const draft = drafts.shift()!;
        const response = await t
          .http()
          .post(`/api/v1/applications/${draft.id}/submit`)
          .set(auth(asso.token))
          .send(CERTIFICATION);
        statuses.push({ phase, status: response.status });
        if (response.status === 200) submitted.push(draft.id);
        else if (response.status === 503) drafts.push(draft); // tried again later, as a user would
        await sleep(100);
      }
    };
    const load = Promise.all([creator(), creator(), creator(), submitter()]);

    await sleep(800);
    phase = 'away';
    await postgres.stop(); // a fast shutdown: sessions are ended, transactions in flight rolled back
    const healthAway = await t.http().get('/api/v1/health');
    await sleep(2000);
    await postgres.start();
    phase = 'back';
    await sleep(3000);
    running = false;
    await load;

    expect(healthAway.status).toBe(503);
    expect(healthAway.body).toMatchObject({ db: 'down' });
    expect(statuses.filter((entry) => entry.status >= 500 && entry.status !== 503)).toEqual([]);
    expect(statuses.some((entry) => entry.phase === 'away' && entry.status === 503)).toBe(true);
    expect(statuses.filter((entry) => entry.phase === 'back').some((entry) => entry.status === 201)).toBe(
      true,
    );
    expect((await t.http().get('/api/v1/health')).status).toBe(200);

    // Nothing acknowledged is lost.
    const rows: { id: string; status: string }[] = await t.dataSource.query(
      `SELECT id, status FROM grant_applications WHERE campaign_id = $1`,
      [campaignId],
    );
    const statusOf = new Map(rows.map((row) => [row.id, row.status]));
    for (const id of created) expect(statusOf.get(id)).toBe('DRAFT');
    for (const id of submitted) expect(statusOf.get(id)).toBe('SUBMITTED');

    // No partial write: each application whole, numbered once, in sequence.
    const broken = await t.dataSource.query(
      `SELECT a.id, a.status, a.reference FROM grant_applications a
        WHERE a.campaign_id = $1 AND (
              a.reference LIKE '~%'
           OR NOT EXISTS (SELECT 1 FROM application_transitions s WHERE s.application_id = a.id AND s.to_status = 'DRAFT')
           OR NOT EXISTS (SELECT 1 FROM application_qpvs q WHERE q.application_id = a.id)
           OR NOT EXISTS (SELECT 1 FROM application_requests r WHERE r.application_id = a.id)
           OR NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.table_name = 'grant_applications' AND e.row_id = a.id::text AND e.operation = 'INSERT')
           OR (a.status = 'SUBMITTED') <> (a.submitted_at IS NOT NULL AND a.certification IS NOT NULL)
           OR (a.status = 'SUBMITTED') <> EXISTS (SELECT 1 FROM application_transitions s WHERE s.application_id = a.id AND s.to_status = 'SUBMITTED')
           OR (a.status = 'SUBMITTED') <> EXISTS (SELECT 1 FROM notifications n WHERE n.application_id = a.id AND n.type = 'APPLICATION_SUBMITTED'))`,
      [campaignId],
    );
    expect(broken).toEqual([]);
    const numbers = await t.dataSource.query(
      `SELECT count(*)::int AS n, count(DISTINCT reference_number)::int AS distinct_numbers,
              min(reference_number) AS first, max(reference_number) AS last
         FROM grant_applications WHERE campaign_id = $1`,
      [campaignId],
    );
    expect(numbers[0].distinct_numbers).toBe(numbers[0].n);
    expect(numbers[0].last - numbers[0].first + 1).toBe(numbers[0].n);
    console.log(
      `PostgreSQL restarted under load: ${statuses.length} requests (${statuses.filter((s) => s.status === 503).length} × 503, ` +
        `${created.length} created, ${submitted.length} submitted), ${rows.length} applications whole`,
    );
  }, 60_000);
});
