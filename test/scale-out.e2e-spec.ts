/**
 * Scale-out (issue 22): two API processes and two workers, each its own process as production runs them, on
 * one database and one Redis database. What must be shared is: a token or a page session opened on one API
 * is good on the other; racing decisions sent to both never overspend an envelope; the login throttle counts
 * the attempts made on both; closing a programming makes each convention and each email once while the
 * two workers share the jobs, even when one is killed in the middle of them; a reminder scan started on both
 * workers sends each reminder once.
 */
import { execFileSync, spawn } from 'node:child_process';
import { Queue } from 'bullmq';
import { TEST_ADMIN } from './support/constants.js';
import { freePort } from './support/free-port.js';
import { startDeployment, type Deployment } from './support/processes.js';
import { eventually, SmtpSink } from './support/smtp-sink.js';
import { login } from './support/test-app.js';
import { createCampaign } from './factories/campaign.factory.js';
import { registerAssociation, type Account } from './factories/account.factory.js';
import { CERTIFICATION, createReadyDraft } from './factories/application.factory.js';
import { PageClient } from './support/page-client.js';

const FAILED_SIGN_INS_PER_HOUR = 6;
const APPLICATIONS = 16;
const ENVELOPE_CENTS = 1_000_00; // 10 grants of 100 €
const DAY = 24 * 3600 * 1000;

describe('two API processes and two workers on one database and one Redis', () => {
  const sink = new SmtpSink();
  let deployment: Deployment;
  let admin: string;
  let asso: Account;
  let campaignId: string;
  let conventionsQueue: Queue;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    await sink.start();
    deployment = await startDeployment({
      apis: 2,
      workers: 2,
      env: {
        SMTP_URL: sink.url,
        LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
        LOGIN_EMAIL_RATE_LIMIT_PER_HOUR: String(FAILED_SIGN_INS_PER_HOUR),
        LOGIN_ADDRESS_RATE_LIMIT_PER_MINUTE: '100000',
        REGISTER_RATE_LIMIT_PER_HOUR: '100000',
      },
    });
    conventionsQueue = new Queue('conventions', {
      connection: { url: deployment.redisUrl },
      prefix: deployment.queuePrefix,
    });
    // The city team signs in on the first API; the association registers on the second.
    admin = await login(deployment.as(0), TEST_ADMIN.email, TEST_ADMIN.password);
    asso = await registerAssociation(deployment.as(1), 'Maison de quartier du Pracomtal');
  }, 90_000);
  afterAll(async () => {
    await conventionsQueue?.close();
    await deployment?.stop();
    await sink.stop();
  });

  it('takes a token and a page session opened on one API on the other', async () => {
    await deployment.http(1).get('/api/v1/auth/me').set(auth(admin)).expect(200);
    const page = new PageClient({ url: deployment.apis[0].url });
    await page.get('/connexion');
    const signedIn = await page.post('/connexion', {
      email: TEST_ADMIN.email,
      password: TEST_ADMIN.password,
    });
    expect(signedIn.location).toBe('/pilotage');
    const elsewhere = await deployment.http(1).get('/pilotage').set('cookie', `cdv_session=${page.session}`);
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.text).toContain('Tableau de bord');
  });

  it('never overspends an envelope when racing decisions go to both APIs', async () => {
    ({ id: campaignId } = await createCampaign(deployment.as(0), {
      adminToken: admin,
      envelopes: [
        { partnerCode: 'CD', amountCents: ENVELOPE_CENTS },
        { partnerCode: 'V', amountCents: 1_000_000_00 },
      ],
    }));
    const budget = {
      charges: [{ account: '64', label: 'Animation', amountCents: 1_000_00 }],
      products: [
        { account: '74', label: 'Département', amountCents: 100_00, partnerCode: 'CD' },
        { account: '75', label: 'Fonds propres', amountCents: 900_00 },
      ],
    };
    const ids: string[] = [];
    for (let index = 0; index < APPLICATIONS; index += 1) {
      const api = deployment.as(index % 2);
      const draft = await createReadyDraft(api, asso.token, campaignId, {
        budget,
        title: `Atelier ${index}`,
      });
      await api
        .http()
        .post(`/api/v1/applications/${draft.id}/submit`)
        .set(auth(asso.token))
        .send(CERTIFICATION)
        .expect(200);
      await api
        .http()
        .post(`/api/v1/applications/${draft.id}/eligibility`)
        .set(auth(admin))
        .send({ eligible: true })
        .expect(200);
      ids.push(draft.id);
    }
    await deployment
      .http(1)
      .post(`/api/v1/campaigns/${campaignId}/close-submissions`)
      .set(auth(admin))
      .expect(200);

    const answers = await Promise.all(
      ids.map((id, index) =>
        deployment
          .http(index % 2)
          .put(`/api/v1/applications/${id}/decisions`)
          .set(auth(admin))
          .send({ decisions: [{ partnerCode: 'CD', grantedAmountCents: 100_00 }] }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(10);
    expect(statuses.filter((status) => status === 409)).toHaveLength(APPLICATIONS - 10);
    // Both APIs granted some of them.
    expect(new Set(statuses.flatMap((status, index) => (status === 200 ? [index % 2] : []))).size).toBe(2);
    const [{ granted }] = await deployment.dataSource.query(
      `SELECT sum(d.granted_cents)::int AS granted FROM decisions d JOIN partners p ON p.id = d.partner_id
        WHERE d.campaign_id = $1 AND p.code = 'CD'`,
      [campaignId],
    );
    expect(granted).toBe(ENVELOPE_CENTS);
    // The COPIL refuses the others, the envelope spent.
    for (const [index, answer] of answers.entries())
      if (answer.status === 409)
        await deployment
          .http(index % 2)
          .put(`/api/v1/applications/${ids[index]}/decisions`)
          .set(auth(admin))
          .send({ decisions: [{ partnerCode: 'CD', grantedAmountCents: 0, reason: 'Enveloppe épuisée.' }] })
          .expect(200);
  }, 120_000);

  it('counts failed sign-ins made on both APIs in one throttle', async () => {
    const attempt = (index: number) =>
      deployment
        .http(index % 2)
        .post('/api/v1/auth/login')
        .send({ email: asso.email, password: 'pas-le-bon-mot-de-passe' });
    for (let index = 0; index < FAILED_SIGN_INS_PER_HOUR; index += 1)
      expect((await attempt(index)).status).toBe(401);
    // The limit is reached whichever API is asked next.
    expect((await attempt(0)).status).toBe(429);
    expect((await attempt(1)).status).toBe(429);
  });

  it('makes each convention and each email once with two workers, one killed in the middle', async () => {
    const programmed = await deployment.dataSource.query<{ id: string }[]>(
      `SELECT id FROM grant_applications WHERE campaign_id = $1 AND status = 'PROGRAMMED'`,
      [campaignId],
    );
    expect(programmed).toHaveLength(10);
    await deployment
      .http(0)
      .post(`/api/v1/campaigns/${campaignId}/close-programming`)
      .set(auth(admin))
      .expect(200);
    /** A wait that ran out says where each convention and each job stood. */
    const explain = async (error: Error) => {
      const rows = await deployment.dataSource.query(
        `SELECT c.status, c.generations, c.last_error AS "lastError" FROM conventions c
           JOIN grant_applications a ON a.id = c.application_id WHERE a.campaign_id = $1`,
        [campaignId],
      );
      const jobs = await conventionsQueue.getJobs(['active', 'wait', 'delayed', 'failed', 'completed']);
      const states = await Promise.all(
        jobs.map(
          async (job) =>
            `${job.id}: ${await job.getState()}, stalled ${job.stalledCounter}, attempts ${job.attemptsMade} ${job.failedReason ?? ''}`,
        ),
      );
      throw new Error([error.message, `conventions: ${JSON.stringify(rows)}`, 'jobs:', ...states].join('\n'));
    };
    // Kill the first worker as soon as the queue has a job in hand.
    await eventually(async () => (await conventionsQueue.getActiveCount()) > 0, 30_000, 10);
    const [killed, survivor] = deployment.workers;
    killed.kill('SIGKILL');
    await new Promise((resolve) => killed.once('exit', resolve));
    expect(survivor.exitCode).toBeNull();

    // The survivor takes the dead worker's stalled jobs once their locks expire (30 s) and it next checks.
    await eventually(
      async () => {
        const [{ ready }] = await deployment.dataSource.query(
          `SELECT count(*) FILTER (WHERE c.status = 'READY')::int AS ready FROM conventions c
             JOIN grant_applications a ON a.id = c.application_id WHERE a.campaign_id = $1`,
          [campaignId],
        );
        return ready === 10;
      },
      150_000,
      250,
    ).catch(explain);
    const conventions = await deployment.dataSource.query<{ n: number; shas: number }[]>(
      `SELECT count(*)::int AS n, count(DISTINCT sha256)::int AS shas FROM conventions c
         JOIN grant_applications a ON a.id = c.application_id WHERE a.campaign_id = $1`,
      [campaignId],
    );
    expect(conventions).toEqual([{ n: 10, shas: 10 }]);
    // The kill did interrupt a job, which the survivor took back and finished.
    await eventually(
      async () =>
        (await conventionsQueue.getActiveCount()) + (await conventionsQueue.count()) === 0 &&
        (await conventionsQueue.getCompletedCount()) >= 10,
      150_000,
      250,
    ).catch(explain);
    // One job for each convention: none failed, and no sweep started a second generation of one.
    expect(await conventionsQueue.getJobCounts('completed', 'failed')).toEqual({ completed: 10, failed: 0 });
    const completed = await conventionsQueue.getCompleted();
    expect(completed.filter((job) => job.stalledCounter > 0).length).toBeGreaterThanOrEqual(1);
    await eventually(() => sink.to(asso.email, /^Votre convention/).length >= 10, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const mails = sink.to(asso.email, /^Votre convention/);
    expect(mails).toHaveLength(10);
    expect(new Set(mails.map((mail) => mail.subject)).size).toBe(10);
    const [{ pending }] = await deployment.dataSource.query(
      `SELECT count(*) FILTER (WHERE status <> 'SENT')::int AS pending FROM notifications WHERE type = 'CONVENTION_READY'`,
    );
    expect(pending).toBe(0);
  }, 240_000);

  it('sends each reminder once when the scan runs on both workers at once', async () => {
    // The dead worker's place taken: two workers again.
    deployment.workers.push(deployment.startWorker());
    const [{ deadline }] = await deployment.dataSource.query(
      `SELECT report_deadline AS deadline FROM campaigns WHERE id = $1`,
      [campaignId],
    );
    const at = new Date(deadline.getTime() - 10 * DAY).toISOString();
    const reminders = new Queue('reminders', {
      connection: { url: deployment.redisUrl },
      prefix: deployment.queuePrefix,
    });
    try {
      const jobs = await Promise.all(
        ['one', 'two', 'three', 'four'].map((jobId) =>
          reminders.add('scan-reminders', { campaignId, at }, { jobId: `scale-out-${jobId}` }),
        ),
      );
      await eventually(
        async () =>
          (await Promise.all(jobs.map((job) => job.getState()))).every((state) => state === 'completed'),
        60_000,
        100,
      );
    } finally {
      await reminders.close();
    }
    const [{ written }] = await deployment.dataSource.query(
      `SELECT count(*)::int AS written FROM notifications WHERE type = 'REMINDER_REPORT_DUE'`,
    );
    expect(written).toBe(10);
    await eventually(() => sink.to(asso.email, /^Bilan à remettre/).length >= 10, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(sink.to(asso.email, /^Bilan à remettre/)).toHaveLength(10);
  }, 120_000);

  it('runs WEB_CONCURRENCY API processes on one port, replaces one that dies, and stops them all', async () => {
    const port = await freePort();
    const primary = spawn(process.execPath, ['dist/src/main.js'], {
      env: { ...deployment.env, PORT: String(port), WEB_CONCURRENCY: '2' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const children = () =>
      execFileSync('ps', ['-o', 'pid=', '--ppid', String(primary.pid)], { encoding: 'utf8' })
        .split('\n')
        .map((line) => Number(line.trim()))
        .filter(Boolean);
    try {
      await eventually(async () => {
        const health = await fetch(`http://127.0.0.1:${port}/api/v1/health`).catch(() => undefined);
        return health?.ok && children().length === 2;
      }, 30_000);
      const [first] = children();
      process.kill(first, 'SIGKILL');
      await eventually(() => children().length === 2 && !children().includes(first), 30_000, 200);
      // The one killed may have been the only one listening yet: the port answers again once another listens.
      await eventually(
        async () => (await fetch(`http://127.0.0.1:${port}/api/v1/health`).catch(() => undefined))?.ok,
        30_000,
      );
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => fetch(`http://127.0.0.1:${port}/api/v1/health`)),
      );
      expect(answers.every((answer) => answer.ok)).toBe(true);
      const stopped = new Promise<number | null>((resolve) => primary.once('exit', (code) => resolve(code)));
      const before = children();
      primary.kill('SIGTERM');
      expect(await stopped).toBe(0);
      for (const pid of before) expect(() => process.kill(pid, 0)).toThrow();
    } finally {
      if (primary.exitCode === null) primary.kill('SIGKILL');
    }
  }, 90_000);
});
