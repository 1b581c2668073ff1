import { spawn, type ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import { createTestApp, loginAdmin, TestApp } from './support/test-app.js';
import { eventually, SmtpSink } from './support/smtp-sink.js';
import { createCampaign } from './factories/campaign.factory.js';
import { Account, registerAssociation } from './factories/account.factory.js';
import { createEligibleApplication } from './factories/application.factory.js';
import { TEST_JWT_SECRET } from './support/constants.js';

/** The real worker process (`npm run start:worker`), built by `npm test` before the tests run. */
function startWorker(t: TestApp, smtpUrl: string): ChildProcess {
  const child = spawn(process.execPath, ['dist/src/worker.js'], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      DATABASE_URL: t.config.databaseUrl,
      REDIS_URL: t.config.redisUrl,
      SMTP_URL: smtpUrl,
      QUEUE_PREFIX: t.config.queuePrefix,
      JWT_SECRET: TEST_JWT_SECRET,
      OUTBOX_SWEEP_MS: '500',
      MAIL_RETRY_BASE_MS: '200',
    },
    stdio: 'ignore',
  });
  return child;
}

describe('a worker killed in the middle of its jobs', () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let worker: ChildProcess | undefined;

  beforeAll(async () => {
    await sink.start();
    t = await createTestApp({ WORKER_IN_PROCESS: 'false', SMTP_URL: sink.url });
  });
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await t.close();
    await sink.stop();
  });

  it('finishes every convention once after a restart, and each holder gets one email', async () => {
    const admin = await loginAdmin(t);
    const auth = (token: string) => ({ authorization: `Bearer ${token}` });
    const { id: campaignId } = await createCampaign(t, { body: { year: 2034 } });
    const holders: Account[] = [];
    const appIds: string[] = [];
    for (let index = 0; index < 8; index += 1) {
      const holder = await registerAssociation(t, `Association ${index} du centre`);
      const id = await createEligibleApplication(t, holder.token, admin, campaignId);
      holders.push(holder);
      appIds.push(id);
    }
    await t.http().post(`/api/v1/campaigns/${campaignId}/close-submissions`).set(auth(admin)).expect(200);
    for (const appId of appIds) {
      await t
        .http()
        .put(`/api/v1/applications/${appId}/decisions`)
        .set(auth(admin))
        .send({
          decisions: [
            { partnerCode: 'E', grantedAmountCents: 8_000_00 },
            { partnerCode: 'V', grantedAmountCents: 7_000_00 },
          ],
        })
        .expect(200);
    }

    const queue = new Queue('conventions', {
      connection: { url: t.config.redisUrl },
      prefix: t.config.queuePrefix,
    });
    try {
      worker = startWorker(t, sink.url);
      await t.http().post(`/api/v1/campaigns/${campaignId}/close-programming`).set(auth(admin)).expect(200);
      // Kill it as soon as it holds a job.
      await eventually(async () => (await queue.getActiveCount()) > 0, 30_000, 20);
      worker.kill('SIGKILL');
      await new Promise((resolve) => worker!.once('exit', resolve));
      const unfinished = await t.dataSource.query(
        "SELECT count(*)::int AS n FROM conventions WHERE status <> 'READY'",
      );
      expect(unfinished[0].n).toBeGreaterThan(0); // the crash did leave work behind

      worker = startWorker(t, sink.url);
      // BullMQ gives the stalled jobs back once the dead worker's locks expire (30 s by default) and its next
      // stalled-job check runs (every 30 s): up to a minute, longer on a loaded machine.
      await eventually(
        async () => {
          const [{ n }] = await t.dataSource.query(
            "SELECT count(*)::int AS n FROM conventions WHERE status = 'READY'",
          );
          return n === 8;
        },
        150_000,
        250,
      );
      for (const holder of holders)
        await eventually(() => sink.to(holder.email, /^Votre convention/).length >= 1, 20_000);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(holders.map((holder) => sink.to(holder.email, /^Votre convention/).length)).toEqual(
        Array(8).fill(1),
      );
      const shas = await t.dataSource.query('SELECT count(DISTINCT sha256)::int AS n FROM conventions');
      expect(shas[0].n).toBe(8);
    } finally {
      await queue.close();
    }
  }, 220_000);
});
