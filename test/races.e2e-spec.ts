/**
 * A storm of concurrent submits and withdrawals on the same applications, then the invariants checked in SQL:
 * each history is one valid path ending at the current status, each event happened once, and the outbox and the
 * audit trail agree with it. Then edits racing a submission, and creations racing the close of submissions:
 * what was answered is what was written. (Races on envelopes, reviews and reference numbers have their own tests in
 * programming, reviews and applications.)
 */
import { createTestApp, TestApp } from './support/test-app.js';
import { createCampaign } from './factories/campaign.factory.js';
import { Account, registerAssociation } from './factories/account.factory.js';
import {
  applicationBody,
  CERTIFICATION,
  createReadyDraft,
  stakeOf,
} from './factories/application.factory.js';
import { APPLICATION_TRANSITIONS } from '../src/modules/applications/application-status.js';

describe('submit and withdraw racing on the same applications', () => {
  let t: TestApp;
  let asso: Account;
  let campaignId: string;

  beforeAll(async () => {
    t = await createTestApp();
    asso = await registerAssociation(t);
    campaignId = (await createCampaign(t)).id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps every history a valid path, each event once, the outbox and the audit in step', async () => {
    const drafts: { id: string }[] = [];
    for (let index = 0; index < 10; index += 1)
      drafts.push(await createReadyDraft(t, asso.token, campaignId));
    const calls = drafts.flatMap((draft) =>
      Array.from({ length: 6 }, (_, index) => ({ id: draft.id, action: index % 2 ? 'withdraw' : 'submit' })),
    );
    calls.sort(() => Math.random() - 0.5);
    const answers = await Promise.all(
      calls.map(async (call) => {
        const request = t
          .http()
          .post(`/api/v1/applications/${call.id}/${call.action}`)
          .set('authorization', `Bearer ${asso.token}`);
        const response = await (call.action === 'submit' ? request.send(CERTIFICATION) : request.send({}));
        return { ...call, status: response.status };
      }),
    );
    expect(answers.filter((answer) => ![200, 409].includes(answer.status))).toEqual([]);

    for (const draft of drafts) {
      const mine = answers.filter((answer) => answer.id === draft.id && answer.status === 200);
      // Withdrawn exactly once; submitted at most once, and only before the withdrawal.
      expect(mine.filter((answer) => answer.action === 'withdraw')).toHaveLength(1);
      expect(mine.filter((answer) => answer.action === 'submit').length).toBeLessThanOrEqual(1);
    }

    const histories: { id: string; status: string; submitted: boolean; steps: [string | null, string][] }[] =
      await t.dataSource.query(
        `SELECT a.id, a.status, a.submitted_at IS NOT NULL AS submitted,
                json_agg(json_build_array(s.from_status, s.to_status) ORDER BY s.created_at, s.id) AS steps
           FROM grant_applications a JOIN application_transitions s ON s.application_id = a.id
          WHERE a.campaign_id = $1 GROUP BY a.id`,
        [campaignId],
      );
    expect(histories).toHaveLength(10);
    for (const history of histories) {
      expect(history.steps[0]).toEqual([null, 'DRAFT']);
      for (let index = 1; index < history.steps.length; index += 1) {
        const [from, to] = history.steps[index];
        expect(from).toBe(history.steps[index - 1][1]);
        expect(APPLICATION_TRANSITIONS[from as keyof typeof APPLICATION_TRANSITIONS]).toContain(to);
      }
      expect(history.steps[history.steps.length - 1][1]).toBe('WITHDRAWN');
      expect(history.status).toBe('WITHDRAWN');
      const submittedSteps = history.steps.filter(([, to]) => to === 'SUBMITTED').length;
      expect(submittedSteps).toBeLessThanOrEqual(1);
      expect(history.submitted).toBe(submittedSteps === 1);
      const successes = answers.filter((answer) => answer.id === history.id && answer.status === 200).length;
      expect(history.steps.length - 1).toBe(successes);
    }

    const [agree] = await t.dataSource.query(
      `SELECT
         (SELECT count(*)::int FROM application_transitions s JOIN grant_applications a ON a.id = s.application_id
           WHERE a.campaign_id = $1 AND s.to_status = 'SUBMITTED') AS submissions,
         (SELECT count(*)::int FROM notifications n JOIN grant_applications a ON a.id = n.application_id
           WHERE a.campaign_id = $1 AND n.type = 'APPLICATION_SUBMITTED') AS receipts,
         (SELECT count(*)::int FROM audit_events e JOIN grant_applications a ON e.row_id = a.id::text
           WHERE a.campaign_id = $1 AND e.table_name = 'grant_applications' AND e.after ->> 'status' = 'SUBMITTED') AS audited_submissions,
         (SELECT count(*)::int FROM audit_events e JOIN grant_applications a ON e.row_id = a.id::text
           WHERE a.campaign_id = $1 AND e.table_name = 'grant_applications' AND e.after ->> 'status' = 'WITHDRAWN') AS audited_withdrawals`,
      [campaignId],
    );
    expect(agree.receipts).toBe(agree.submissions);
    expect(agree.audited_submissions).toBe(agree.submissions);
    expect(agree.audited_withdrawals).toBe(10);
  });

  it('submits either before an edit or not at all: the stored submission is the content last edited', async () => {
    for (let round = 0; round < 5; round += 1) {
      const draft = await createReadyDraft(t, asso.token, campaignId);
      const calls = [
        ...Array.from({ length: 6 }, (_, index) => ({ action: 'edit', title: `Titre ${round}-${index}` })),
        { action: 'submit', title: '' },
      ].sort(() => Math.random() - 0.5);
      const answers = await Promise.all(
        calls.map(async (call) => {
          const response =
            call.action === 'edit'
              ? await t
                  .http()
                  .patch(`/api/v1/applications/${draft.id}`)
                  .set('authorization', `Bearer ${asso.token}`)
                  .send({ title: call.title })
              : await t
                  .http()
                  .post(`/api/v1/applications/${draft.id}/submit`)
                  .set('authorization', `Bearer ${asso.token}`)
                  .send(CERTIFICATION);
          return {
            ...call,
            status: response.status,
            body: response.body as { version: number; title: string },
          };
        }),
      );
      const submit = answers.find((answer) => answer.action === 'submit')!;
      expect(submit.status).toBe(200);
      const edits = answers.filter((answer) => answer.action === 'edit');
      // An edit lands before the submission (200) or finds it submitted (409); the submission carries the last one.
      expect(edits.filter((edit) => ![200, 409].includes(edit.status))).toEqual([]);
      const landed = edits.filter((edit) => edit.status === 200);
      const [row]: { title: string; version: number; status: string }[] = await t.dataSource.query(
        `SELECT title, version, status FROM grant_applications WHERE id = $1`,
        [draft.id],
      );
      expect(row.status).toBe('SUBMITTED');
      expect(row.version).toBe(1 + landed.length + 1);
      expect(submit.body.version).toBe(row.version);
      expect(submit.body.title).toBe(row.title);
      const lastEdit = landed.sort((a, b) => a.body.version - b.body.version).at(-1);
      expect(row.title).toBe(lastEdit ? lastEdit.title : applicationBody({ stakeId: '' }).title);
    }
  });

  it('creates drafts racing the close of submissions: each 201 is a row, each 409 wrote nothing', async () => {
    const { id: closing, adminToken } = await createCampaign(t);
    const ids = await stakeOf(t, asso.token, 'EMP');
    const creations = Array.from({ length: 20 }, () =>
      t
        .http()
        .post(`/api/v1/campaigns/${closing}/applications`)
        .set('authorization', `Bearer ${asso.token}`)
        .send(applicationBody(ids)),
    );
    const [close, ...answers] = await Promise.all([
      t
        .http()
        .post(`/api/v1/campaigns/${closing}/close-submissions`)
        .set('authorization', `Bearer ${adminToken}`),
      ...creations,
    ]);
    expect(close.status).toBe(200);
    expect(answers.filter((answer) => ![201, 409].includes(answer.status))).toEqual([]);
    const created = answers
      .filter((answer) => answer.status === 201)
      .map((answer) => answer.body.id as string);
    const [rows]: { applications: number; orphans: number; ids: string[] }[] = await t.dataSource.query(
      `SELECT (SELECT count(*)::int FROM grant_applications WHERE campaign_id = $1) AS applications,
              (SELECT count(*)::int FROM application_requests WHERE campaign_id = $1
                 AND application_id NOT IN (SELECT id FROM grant_applications)) AS orphans,
              ARRAY(SELECT id::text FROM grant_applications WHERE campaign_id = $1) AS ids`,
      [closing],
    );
    expect(rows.applications).toBe(created.length);
    expect(rows.orphans).toBe(0);
    expect(rows.ids.sort()).toEqual([...created].sort());
    for (const refused of answers.filter((answer) => answer.status === 409))
      expect(refused.body.details[0].code).toBe('CAMPAIGN_NOT_OPEN');
  });
});
