import { spawn, type ChildProcess } from 'node:child_process';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
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

describe('a worker stopped in the middle of its jobs', () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let worker: ChildProcess | undefined;

  let queue: Queue;

  beforeAll(async () => {
    await sink.start();
    t = await createTestApp({ WORKER_IN_PROCESS: 'false', SMTP_URL: sink.url });
    queue = new Queue('conventions', {
      connection: { url: t.config.redisUrl },
      prefix: t.config.queuePrefix,
    });
  });
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await queue.close();
    await t.close();
    await sink.stop();
  });

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  /** A campaign of `count` eligible applications granted money, its programming ready to be closed. */
  async function programmedCampaign(year: number, count: number) {
    const admin = await loginAdmin(t);
    const { id: campaignId } = await createCampaign(t, { body: { year } });
    const holders: Account[] = [];
    const appIds: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const holder = await registerAssociation(t, `Association ${index} du centre ${year}`);
      appIds.push(await createEligibleApplication(t, holder.token, admin, campaignId));
      holders.push(holder);
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
    return { admin, campaignId, holders, appIds };
  }

  const readyConventions = async (campaignId: string): Promise<number> => {
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM conventions c JOIN grant_applications a ON a.id = c.application_id
        WHERE a.campaign_id = $1 AND c.status = 'READY'`,
      [campaignId],
    );
    return n;
  };

  it('finishes every convention once after a restart, and each holder gets one email', async () => {
    const { admin, campaignId, holders } = await programmedCampaign(2034, 8);

    worker = startWorker(t, sink.url);
    await t.http().post(`/api/v1/campaigns/${campaignId}/close-programming`).set(auth(admin)).expect(200);
    // Kill it as soon as it holds a job.
    await eventually(async () => (await queue.getActiveCount()) > 0, 30_000, 20);
    worker.kill('SIGKILL');
    await new Promise((resolve) => worker!.once('exit', resolve));
    expect(await readyConventions(campaignId)).toBeLessThan(8); // the crash did leave work behind

    worker = startWorker(t, sink.url);
    // BullMQ gives the stalled jobs back once the dead worker's locks expire (30 s by default) and its next
    // stalled-job check runs (every 30 s): up to a minute, longer on a loaded machine.
    await eventually(async () => (await readyConventions(campaignId)) === 8, 150_000, 250);
    for (const holder of holders)
      await eventually(() => sink.to(holder.email, /^Votre convention/).length >= 1, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(holders.map((holder) => sink.to(holder.email, /^Votre convention/).length)).toEqual(
      Array(8).fill(1),
    );
    const shas = await t.dataSource.query('SELECT count(DISTINCT sha256)::int AS n FROM conventions');
    expect(shas[0].n).toBe(8);
  }, 220_000);

  it('stops on SIGTERM only after the jobs in hand are done, and leaves nothing stalled', async () => {
    if (worker && worker.exitCode === null) {
      worker.kill('SIGKILL');
      await new Promise((resolve) => worker!.once('exit', resolve));
    }
    const { admin, campaignId, holders } = await programmedCampaign(2035, 6);
    worker = startWorker(t, sink.url);
    const exited = new Promise<string>((resolve) =>
      worker!.once('exit', (code, signal) => resolve(`${code ?? signal}`)),
    );
    await t.http().post(`/api/v1/campaigns/${campaignId}/close-programming`).set(auth(admin)).expect(200);
    let inHand: string[] = [];
    await eventually(
      async () => {
        inHand = (await queue.getActive()).map((job) => job.id!);
        return inHand.length > 0;
      },
      30_000,
      10,
    );
    worker.kill('SIGTERM');
    // Nest closes the workers (BullMQ waits for their active jobs), then re-raises the signal.
    expect(['0', 'SIGTERM']).toContain(await exited);
    // Every job it held when told to stop was finished, none left active for the stall check to find.
    const states = await Promise.all(inHand.map((id) => queue.getJobState(id)));
    expect(states).toEqual(inHand.map(() => 'completed'));
    expect(await queue.getActiveCount()).toBe(0);

    // The rest waits in the queue: a new worker takes it at once, well before any lock could expire (30 s).
    worker = startWorker(t, sink.url);
    await eventually(async () => (await readyConventions(campaignId)) === 6, 20_000, 100);
    for (const holder of holders)
      await eventually(() => sink.to(holder.email, /^Votre convention/).length >= 1, 20_000);
    expect(holders.map((holder) => sink.to(holder.email, /^Votre convention/).length)).toEqual(
      Array(6).fill(1),
    );
  }, 120_000);

  it('marks FAILED a convention whose job failed for good before its worker could say so, and generates it again on demand', async () => {
    if (worker && worker.exitCode === null) {
      worker.kill('SIGKILL');
      await new Promise((resolve) => worker!.once('exit', resolve));
    }
    const { admin, campaignId, holders, appIds } = await programmedCampaign(2036, 1);
    await t.http().post(`/api/v1/campaigns/${campaignId}/close-programming`).set(auth(admin)).expect(200);
    // BullMQ fails the job for good (as it does a job stalled more often than allowed), and the process that
    // took it dies before writing the convention's mark: the row stays PENDING under a job id already used.
    const failing = new Worker(
      'conventions',
      async () => {
        throw new UnrecoverableError('job stalled more than allowable limit');
      },
      { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix },
    );
    await eventually(async () => (await queue.getFailedCount()) === 1, 20_000, 50);
    await failing.close();
    const convention = async () =>
      (await t.http().get(`/api/v1/applications/${appIds[0]}/convention`).set(auth(admin)).expect(200)).body;
    expect((await convention()).status).toBe('PENDING');

    // The real worker's sweep finds it and writes the mark, instead of adding a job that would never run.
    worker = startWorker(t, sink.url);
    await eventually(async () => (await convention()).status === 'FAILED', 30_000);
    const [{ reason }] = await t.dataSource.query(
      'SELECT last_error AS reason FROM conventions WHERE application_id = $1',
      [appIds[0]],
    );
    expect(reason).toBe('job stalled more than allowable limit');

    // The city team asks for it again: a new job runs under the same generation's id.
    await t.http().post(`/api/v1/applications/${appIds[0]}/convention`).set(auth(admin)).expect(202);
    await eventually(async () => (await readyConventions(campaignId)) === 1, 30_000, 100);
    await eventually(() => sink.to(holders[0].email, /^Votre convention/).length === 1, 20_000);
  }, 120_000);
});
