import { createTestApp, loginAdmin, TestApp } from './support/test-app.js';
import { createCampaign } from './factories/campaign.factory.js';
import { Account, createStaffUser, registerAssociation } from './factories/account.factory.js';
import { createEligibleApplication, REPORT_FACTS } from './factories/application.factory.js';
import { RemindersService } from '../src/modules/reminders/reminders.service.js';

const DAY = 24 * 3600 * 1000;

describe('end-of-action reports and the reminders around them', () => {
  let t: TestApp;
  let admin: string;
  let asso: Account;
  let campaignId: string;
  let funded: string;
  let unfunded: string;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const report = (overrides: Record<string, unknown> = {}) => ({
    budget: {
      charges: [{ account: '64', label: 'Encadrant', amountCents: 16_000_00 }], // forecast 20 000 €: 20 % less
      products: [
        { account: '74', label: 'État', amountCents: 8_000_00, partnerCode: 'E' },
        { account: '74', label: 'Ville', amountCents: 7_000_00, partnerCode: 'V' },
        { account: '75', label: 'Fonds propres', amountCents: 1_000_00 },
      ],
    },
    ...REPORT_FACTS,
    ...overrides,
  });

  beforeAll(async () => {
    t = await createTestApp();
    admin = await loginAdmin(t);
    campaignId = (await createCampaign(t)).id;
    asso = await registerAssociation(t, 'Chantiers du Rhône');
    const ids: string[] = [];
    for (let index = 0; index < 2; index += 1) {
      const id = await createEligibleApplication(t, asso.token, admin, campaignId);
      ids.push(id);
    }
    [funded, unfunded] = ids;
    await createStaffUser(t, 'FINANCER', 'E');
    await t.http().post(`/api/v1/campaigns/${campaignId}/close-submissions`).set(auth(admin)).expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it('reminds the financers whose review is pending, once, in the last three days', async () => {
    const reminders = t.app.get(RemindersService);
    const [{ review_deadline: deadline }] = await t.dataSource.query(
      'SELECT review_deadline FROM campaigns WHERE id = $1',
      [campaignId],
    );
    expect(
      await reminders.scan({ campaignId, at: new Date(deadline.getTime() - 5 * DAY).toISOString() }),
    ).toBe(0);
    const first = await reminders.scan({
      campaignId,
      at: new Date(deadline.getTime() - 2 * DAY).toISOString(),
    });
    expect(first).toBe(2); // two applications × the one reviewer of E (the Ville has no reviewer here)
    expect(
      await reminders.scan({ campaignId, at: new Date(deadline.getTime() - 1 * DAY).toISOString() }),
    ).toBe(0);
    const rows = await t.dataSource.query(
      "SELECT payload->>'partnerName' AS partner FROM notifications WHERE type = 'REMINDER_REVIEW'",
    );
    expect(rows).toEqual([
      { partner: 'État (Déléguée du préfet)' },
      { partner: 'État (Déléguée du préfet)' },
    ]);
  });

  it('takes a report only for a funded action of the organisation', async () => {
    await t
      .http()
      .put(`/api/v1/applications/${funded}/decisions`)
      .set(auth(admin))
      .send({
        decisions: [
          { partnerCode: 'E', grantedAmountCents: 8_000_00 },
          { partnerCode: 'V', grantedAmountCents: 7_000_00 },
        ],
      })
      .expect(200);
    await t
      .http()
      .put(`/api/v1/applications/${unfunded}/decisions`)
      .set(auth(admin))
      .send({
        decisions: [
          { partnerCode: 'E', grantedAmountCents: 0, reason: 'Hors priorités.' },
          { partnerCode: 'V', grantedAmountCents: 0, reason: 'Hors priorités.' },
        ],
      })
      .expect(200);
    const refused = await t
      .http()
      .put(`/api/v1/applications/${unfunded}/report`)
      .set(auth(asso.token))
      .send(report())
      .expect(409);
    expect(refused.body.details[0].code).toBe('APPLICATION_NOT_FUNDED');
    const stranger = await registerAssociation(t);
    await t
      .http()
      .put(`/api/v1/applications/${funded}/report`)
      .set(auth(stranger.token))
      .send(report())
      .expect(404);
  });

  it('refuses a report without the CERFA 15059 parts, naming each one, and changes nothing', async () => {
    await t
      .http()
      .put(`/api/v1/applications/${funded}/report`)
      .set(auth(asso.token))
      .send({
        ...report({ varianceExplanation: 'Une session annulée faute de salle disponible.' }),
        indicators: [report().indicators[0]],
        actualEndDate: undefined,
        certification: undefined,
        beneficiaries: { ...report().beneficiaries, byQpv: {} },
      })
      .expect(200);
    const refused = await t
      .http()
      .post(`/api/v1/applications/${funded}/report/submit`)
      .set(auth(asso.token))
      .expect(422);
    expect(refused.body.details.map((detail: { code: string }) => detail.code).sort()).toEqual([
      'ACTUAL_DATES_MISSING',
      'BENEFICIARIES_BY_QPV_MISSING',
      'CERTIFICATION_REQUIRED',
      'INDICATORS_ACHIEVED_MISSING',
    ]);
    const kept = await t
      .http()
      .get(`/api/v1/applications/${funded}/report`)
      .set(auth(asso.token))
      .expect(200);
    expect(kept.body).toMatchObject({ status: 'DRAFT', submittedAt: null });
  });

  it('needs an explanation for a variance over 15 %, then freezes the submitted report', async () => {
    const draft = await t
      .http()
      .put(`/api/v1/applications/${funded}/report`)
      .set(auth(asso.token))
      .send(report())
      .expect(200);
    expect(draft.body.status).toBe('DRAFT');
    expect(
      draft.body.checks.find((check: { rule: string }) => check.rule === 'REPORT_VARIANCE'),
    ).toMatchObject({ status: 'FAIL', blocking: true });
    const refused = await t
      .http()
      .post(`/api/v1/applications/${funded}/report/submit`)
      .set(auth(asso.token))
      .expect(422);
    expect(refused.body.details).toEqual([
      expect.objectContaining({ field: 'varianceExplanation', code: 'REPORT_VARIANCE_UNEXPLAINED' }),
    ]);
    await t
      .http()
      .put(`/api/v1/applications/${funded}/report`)
      .set(auth(asso.token))
      .send(report({ varianceExplanation: 'Une session annulée faute de salle disponible.' }))
      .expect(200);
    const submitted = await t
      .http()
      .post(`/api/v1/applications/${funded}/report/submit`)
      .set(auth(asso.token))
      .expect(200);
    expect(submitted.body).toMatchObject({ status: 'SUBMITTED', submittedAt: expect.any(String) });
    await t
      .http()
      .put(`/api/v1/applications/${funded}/report`)
      .set(auth(asso.token))
      .send(report())
      .expect(409);
    await t.http().get(`/api/v1/applications/${funded}/report`).set(auth(admin)).expect(200);
  });

  it('shows where the reports stand in the programming table', async () => {
    const table = (
      await t.http().get(`/api/v1/campaigns/${campaignId}/programming`).set(auth(admin)).expect(200)
    ).body;
    expect(table.reports).toEqual({ fundedActions: 1, submitted: 1, inProgress: 0, missing: 0 });
  });

  it('reminds reports due within 30 days and overdue after, except those already filed', async () => {
    await t.http().post(`/api/v1/campaigns/${campaignId}/close-programming`).set(auth(admin)).expect(200);
    const reminders = t.app.get(RemindersService);
    const [{ report_deadline: deadline }] = await t.dataSource.query(
      'SELECT report_deadline FROM campaigns WHERE id = $1',
      [campaignId],
    );
    // The only funded action has filed its report: nothing to remind.
    expect(
      await reminders.scan({ campaignId, at: new Date(deadline.getTime() - 10 * DAY).toISOString() }),
    ).toBe(0);
    await t.dataSource.query("UPDATE reports SET status = 'DRAFT' WHERE application_id = $1", [funded]);
    expect(
      await reminders.scan({ campaignId, at: new Date(deadline.getTime() - 10 * DAY).toISOString() }),
    ).toBe(1);
    expect(
      await reminders.scan({ campaignId, at: new Date(deadline.getTime() - 9 * DAY).toISOString() }),
    ).toBe(0);
    expect(await reminders.scan({ campaignId, at: new Date(deadline.getTime() + DAY).toISOString() })).toBe(
      1,
    );
    const types = await t.dataSource.query(
      "SELECT type FROM notifications WHERE type LIKE 'REMINDER_REPORT%' ORDER BY type",
    );
    expect(types).toEqual([{ type: 'REMINDER_REPORT_DUE' }, { type: 'REMINDER_REPORT_OVERDUE' }]);
  });
});
