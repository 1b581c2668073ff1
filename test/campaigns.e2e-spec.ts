import { createTestApp, loginAdmin, TestApp } from './support/test-app.js';
import { campaignBody, createCampaign } from './factories/campaign.factory.js';
import { createStaffUser, registerAssociation } from './factories/account.factory.js';
import { CampaignEntity } from '../src/modules/campaigns/campaign.entity.js';

describe('campaigns', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await loginAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates a DRAFT campaign with the domain defaults and the protocol-based scoring grid', async () => {
    const response = await t
      .http()
      .post('/api/v1/campaigns')
      .set('authorization', `Bearer ${admin}`)
      .send(campaignBody())
      .expect(201);
    expect(response.body).toMatchObject({
      year: 2027,
      status: 'DRAFT',
      rules: {
        minQpvSharePercent: 50,
        maxSingleFinancerSharePercent: 80,
        minWomenSharePercent: 40,
        advancePercent: 50,
      },
    });
    expect(response.body.scoringGrid.map((criterion: { code: string }) => criterion.code)).toEqual([
      'STAKE_FIT',
      'QPV_IMPACT',
      'PARTNERSHIP',
      'TRANSVERSAL_PRIORITIES',
      'BUDGET_REALISM',
    ]);
  });

  it('reads a bare deadline date as the end of that day in Paris', async () => {
    const response = await t
      .http()
      .post('/api/v1/campaigns')
      .set('authorization', `Bearer ${admin}`)
      .send(
        campaignBody({
          opensAt: '2026-12-01',
          submissionDeadline: '2027-01-31',
          reviewDeadline: '2027-02-28',
          cotechDate: '2027-03-10',
          copilDate: '2027-03-24',
          reportDeadline: '2028-06-30',
        }),
      )
      .expect(201);
    expect(response.body.opensAt).toBe('2026-11-30T23:00:00.000Z');
    expect(response.body.submissionDeadline).toBe('2027-01-31T22:59:59.000Z');
    expect(response.body.reportDeadline).toBe('2028-06-30T21:59:59.000Z');
  });

  it('refuses a calendar out of order with 422 and stores nothing', async () => {
    const before = await t.dataSource.getRepository(CampaignEntity).count();
    const response = await t
      .http()
      .post('/api/v1/campaigns')
      .set('authorization', `Bearer ${admin}`)
      .send(campaignBody({ cotechDate: '2020-01-01' }))
      .expect(422);
    expect(response.body.details).toEqual([
      expect.objectContaining({ field: 'cotechDate', code: 'CALENDAR_OUT_OF_ORDER' }),
    ]);
    expect(await t.dataSource.getRepository(CampaignEntity).count()).toBe(before);
  });

  it('refuses rule values outside 0–100 with 400', async () => {
    const response = await t
      .http()
      .post('/api/v1/campaigns')
      .set('authorization', `Bearer ${admin}`)
      .send(
        campaignBody({
          rules: {
            minQpvSharePercent: 150,
            maxSingleFinancerSharePercent: 80,
            minWomenSharePercent: 40,
            advancePercent: 50,
          },
        }),
      )
      .expect(400);
    expect(response.body.details[0]).toMatchObject({ field: 'rules.minQpvSharePercent', code: 'MAX' });
  });

  it('walks DRAFT → OPEN → REVIEW → PROGRAMMED, answering 409 to a wrong step', async () => {
    const { id } = await createCampaign(t, { open: false });
    const post = (step: string) =>
      t.http().post(`/api/v1/campaigns/${id}/${step}`).set('authorization', `Bearer ${admin}`);
    const early = await post('close-programming').expect(409);
    expect(early.body.details[0].code).toBe('CAMPAIGN_STATUS_CONFLICT');
    expect((await post('open').expect(200)).body.status).toBe('OPEN');
    await post('open').expect(409);
    expect((await post('close-submissions').expect(200)).body.status).toBe('REVIEW');
    expect((await post('close-programming').expect(200)).body.status).toBe('PROGRAMMED');
    const rows = await t.dataSource.query(
      'SELECT from_status, to_status, actor_id FROM campaign_transitions WHERE campaign_id = $1 ORDER BY created_at',
      [id],
    );
    expect(rows.map((row: { to_status: string }) => row.to_status)).toEqual([
      'DRAFT',
      'OPEN',
      'REVIEW',
      'PROGRAMMED',
    ]);
    expect(rows.every((row: { actor_id: string }) => row.actor_id)).toBe(true);
  });

  it('lets only one of two simultaneous openings pass', async () => {
    const { id } = await createCampaign(t, { open: false });
    const answers = await Promise.all(
      [0, 1].map(() => t.http().post(`/api/v1/campaigns/${id}/open`).set('authorization', `Bearer ${admin}`)),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
  });

  it('sets envelopes per financer and theme, and lists them with what is left', async () => {
    const { id } = await createCampaign(t);
    const response = await t
      .http()
      .get(`/api/v1/campaigns/${id}/envelopes`)
      .set('authorization', `Bearer ${admin}`)
      .expect(200);
    expect(response.body.items).toEqual(
      expect.arrayContaining([
        { partnerCode: 'E', amountCents: 100_000_00, allocatedCents: 0, remainingCents: 100_000_00 },
        {
          partnerCode: 'E',
          themeCode: 'EMP',
          amountCents: 50_000_00,
          allocatedCents: 0,
          remainingCents: 50_000_00,
        },
      ]),
    );
    expect(response.body.total).toBe(5);
    const financer = await createStaffUser(t, 'FINANCER', 'CAF');
    await t
      .http()
      .get(`/api/v1/campaigns/${id}/envelopes`)
      .set('authorization', `Bearer ${financer.token}`)
      .expect(200);
  });

  it('refuses a duplicate envelope or an unknown partner with 422, keeping the previous envelopes', async () => {
    const { id } = await createCampaign(t);
    const put = (envelopes: unknown[]) =>
      t
        .http()
        .put(`/api/v1/campaigns/${id}/envelopes`)
        .set('authorization', `Bearer ${admin}`)
        .send({ envelopes });
    const duplicate = await put([
      { partnerCode: 'V', amountCents: 1 },
      { partnerCode: 'V', amountCents: 2 },
    ]).expect(422);
    expect(duplicate.body.details[0].code).toBe('DUPLICATE_ENVELOPE');
    const unknown = await put([{ partnerCode: 'XYZ', amountCents: 1 }]).expect(422);
    expect(unknown.body.details[0].code).toBe('UNKNOWN_PARTNER');
    const negative = await put([{ partnerCode: 'V', amountCents: -5 }]).expect(400);
    expect(negative.body.details[0].code).toBe('MIN');
    const left = await t
      .http()
      .get(`/api/v1/campaigns/${id}/envelopes`)
      .set('authorization', `Bearer ${admin}`)
      .expect(200);
    expect(left.body.total).toBe(5);
  });

  it('hides a draft campaign from associations and financers (404) and shows it once open', async () => {
    const { id } = await createCampaign(t, { open: false });
    const association = await registerAssociation(t);
    const financer = await createStaffUser(t, 'FINANCER', 'V');
    await t
      .http()
      .get(`/api/v1/campaigns/${id}`)
      .set('authorization', `Bearer ${association.token}`)
      .expect(404);
    await t
      .http()
      .get(`/api/v1/campaigns/${id}`)
      .set('authorization', `Bearer ${financer.token}`)
      .expect(404);
    await t.http().post(`/api/v1/campaigns/${id}/open`).set('authorization', `Bearer ${admin}`).expect(200);
    await t
      .http()
      .get(`/api/v1/campaigns/${id}`)
      .set('authorization', `Bearer ${association.token}`)
      .expect(200);
    const list = await t
      .http()
      .get('/api/v1/campaigns')
      .set('authorization', `Bearer ${association.token}`)
      .expect(200);
    expect(list.body.items.every((campaign: { status: string }) => campaign.status !== 'DRAFT')).toBe(true);
  });

  it('keeps campaign writes to the city team (403) and ids to UUIDs (400)', async () => {
    const association = await registerAssociation(t);
    await t
      .http()
      .post('/api/v1/campaigns')
      .set('authorization', `Bearer ${association.token}`)
      .send(campaignBody())
      .expect(403);
    const financer = await createStaffUser(t, 'FINANCER', 'E');
    await t
      .http()
      .put('/api/v1/campaigns/00000000-0000-4000-8000-000000000000/envelopes')
      .set('authorization', `Bearer ${financer.token}`)
      .send({ envelopes: [] })
      .expect(403);
    const bad = await t
      .http()
      .get('/api/v1/campaigns/not-a-uuid')
      .set('authorization', `Bearer ${admin}`)
      .expect(400);
    expect(bad.body.details[0].code).toBe('INVALID_ID');
  });
});
