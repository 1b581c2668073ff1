import { createTestApp, loginAdmin, TestApp } from './support/test-app.js';
import { createCampaign } from './factories/campaign.factory.js';
import { Account, createStaffUser, registerAssociation } from './factories/account.factory.js';
import { CERTIFICATION, createReadyDraft, stakeOf } from './factories/application.factory.js';
import { CampaignEntity } from '../src/modules/campaigns/campaign.entity.js';

const ALL = (score: number) => ({
  STAKE_FIT: score,
  QPV_IMPACT: score,
  PARTNERSHIP: score,
  TRANSVERSAL_PRIORITIES: score,
  BUDGET_REALISM: score,
});

describe('co-financer reviews', () => {
  let t: TestApp;
  let admin: string;
  let campaignId: string;
  let asso: Account;
  let financerE: Account;
  let financerE2: Account;
  let financerV: Account;
  let financerV2: Account;
  let financerCaf: Account;
  let appId: string; // asks E 8 000 € and V 7 000 €
  let eduId: string; // asks CAF and V, theme EDU
  let submittedOnly: string;
  const auth = (account: Account | string) => ({
    authorization: `Bearer ${typeof account === 'string' ? account : account.token}`,
  });
  const put = (
    account: Account,
    id: string,
    partner: string,
    body: object,
    headers: Record<string, string> = {},
  ) =>
    t.http().put(`/api/v1/applications/${id}/reviews/${partner}`).set(auth(account)).set(headers).send(body);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await loginAdmin(t);
    campaignId = (await createCampaign(t)).id;
    asso = await registerAssociation(t, 'Régie de quartier');
    [financerE, financerE2, financerV, financerV2, financerCaf] = [
      await createStaffUser(t, 'FINANCER', 'E'),
      await createStaffUser(t, 'FINANCER', 'E'),
      await createStaffUser(t, 'FINANCER', 'V'),
      await createStaffUser(t, 'FINANCER', 'V'),
      await createStaffUser(t, 'FINANCER', 'CAF'),
    ];
    const eligible = async (overrides: Record<string, unknown> = {}, declare = true) => {
      const draft = await createReadyDraft(t, asso.token, campaignId, overrides);
      await t
        .http()
        .post(`/api/v1/applications/${draft.id}/submit`)
        .set(auth(asso))
        .send(CERTIFICATION)
        .expect(200);
      if (declare)
        await t
          .http()
          .post(`/api/v1/applications/${draft.id}/eligibility`)
          .set(auth(admin))
          .send({ eligible: true })
          .expect(200);
      return draft.id;
    };
    appId = await eligible();
    const edu = await stakeOf(t, asso.token, 'EDU');
    eduId = await eligible({
      themeCode: 'EDU',
      stakeId: edu.stakeId,
      measureId: edu.measureId,
      beneficiaries: { total: 40, qpvResidents: 15, women: 20, men: 20, byAge: { '6-11': 40 } }, // QPV share 37.5 % → warning
      budget: {
        charges: [{ account: '64', label: 'Animateurs', amountCents: 10_000_00 }],
        products: [
          { account: '74', label: 'CAF', amountCents: 6_000_00, partnerCode: 'CAF' },
          { account: '74', label: 'Ville', amountCents: 2_000_00, partnerCode: 'V' },
          { account: '75', label: 'Participation des familles', amountCents: 2_000_00 },
        ],
      },
    });
    submittedOnly = await eligible({}, false);
    await t.http().post(`/api/v1/campaigns/${campaignId}/close-submissions`).set(auth(admin)).expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it('takes two financers’ reviews of one co-financed application, each with its weighted total', async () => {
    const e = await put(financerE, appId, 'E', {
      scores: ALL(4),
      opinion: 'FAVORABLE',
      proposedAmountCents: 8_000_00,
      comment: 'Action solide.',
    }).expect(200);
    expect(e.body).toMatchObject({
      partnerCode: 'E',
      final: true,
      totalScore: 4,
      version: 1,
      proposedAmountCents: 8_000_00,
    });
    expect(e.headers.etag).toBe('"1"');
    const scoresV = {
      STAKE_FIT: 3,
      QPV_IMPACT: 2,
      PARTNERSHIP: 5,
      TRANSVERSAL_PRIORITIES: 3,
      BUDGET_REALISM: 1,
    }; // (9+6+10+6+2)/12 = 2.75
    const v = await put(financerV, appId, 'V', {
      scores: scoresV,
      opinion: 'RESERVED',
      proposedAmountCents: 5_000_00,
      comment: 'Budget à revoir.',
    }).expect(200);
    expect(v.body.totalScore).toBe(2.75);
    // Stored with the review, for the queue, the COTECH table and the CSV to sort by.
    const stored = await t.dataSource.query<{ weighted_score: string }[]>(
      `SELECT r.weighted_score FROM reviews r JOIN partners p ON p.id = r.partner_id WHERE r.application_id = $1 AND p.code = 'V'`,
      [appId],
    );
    expect(stored).toEqual([{ weighted_score: '2.75' }]);

    const asCity = await t.http().get(`/api/v1/applications/${appId}/reviews`).set(auth(admin)).expect(200);
    expect(
      asCity.body.items.map((r: { partnerCode: string; totalScore: number; opinion: string }) => [
        r.partnerCode,
        r.totalScore,
        r.opinion,
      ]),
    ).toEqual([
      ['E', 4, 'FAVORABLE'],
      ['V', 2.75, 'RESERVED'],
    ]);
    const asE = await t.http().get(`/api/v1/applications/${appId}/reviews`).set(auth(financerE)).expect(200);
    expect(asE.body.total).toBe(2); // sees the other financer's review of an application it is asked in
    await t.http().get(`/api/v1/applications/${appId}/reviews`).set(auth(asso)).expect(403);
  });

  it('keeps other partners out: 403 for another partner’s review, 404 for an application not asking it', async () => {
    const body = { scores: ALL(3), opinion: 'FAVORABLE', proposedAmountCents: 1_00 };
    const other = await put(financerCaf, appId, 'E', body).expect(403);
    expect(other.body.details[0].code).toBe('FORBIDDEN');
    await put(financerCaf, appId, 'CAF', body).expect(404);
    await t.http().get(`/api/v1/applications/${appId}/reviews`).set(auth(financerCaf)).expect(404);
  });

  it('refuses a proposal above the amount asked of the partner with 422', async () => {
    const response = await put(financerCaf, eduId, 'CAF', {
      scores: ALL(3),
      opinion: 'FAVORABLE',
      proposedAmountCents: 6_000_01,
    }).expect(422);
    expect(response.body.details[0]).toMatchObject({
      field: 'proposedAmountCents',
      code: 'PROPOSAL_ABOVE_REQUEST',
    });
  });

  it('saves an incomplete draft, but finalises only with every criterion, an opinion and an amount', async () => {
    const draft = await put(financerCaf, eduId, 'CAF', {
      scores: { STAKE_FIT: 5 },
      final: false,
      comment: 'À compléter',
    }).expect(200);
    expect(draft.body).toMatchObject({ final: false, totalScore: 5, version: 1, opinion: null });
    const incomplete = await put(financerCaf, eduId, 'CAF', {
      scores: { STAKE_FIT: 5 },
      opinion: 'FAVORABLE',
      proposedAmountCents: 100,
      version: 1,
    }).expect(422);
    expect(incomplete.body.details[0].code).toBe('SCORES_INCOMPLETE');
    const bad = await put(financerCaf, eduId, 'CAF', {
      scores: { STAKE_FIT: 7, NOPE: 1 },
      final: false,
      version: 1,
    }).expect(422);
    expect(bad.body.details.map((d: { code: string }) => d.code)).toEqual([
      'INVALID_SCORE',
      'UNKNOWN_CRITERION',
    ]);
    // The other financers do not see a draft.
    const asV = await t.http().get(`/api/v1/applications/${eduId}/reviews`).set(auth(financerV)).expect(200);
    expect(asV.body.items).toEqual([]);
    const final = await put(financerCaf, eduId, 'CAF', {
      scores: ALL(5),
      opinion: 'FAVORABLE',
      proposedAmountCents: 6_000_00,
      version: 1,
    }).expect(200);
    expect(final.body).toMatchObject({ final: true, version: 2, totalScore: 5 });
  });

  it('lets only one of two reviewers of a partner win a simultaneous write; the other gets 409 with the current version', async () => {
    const current = (
      await t.http().get(`/api/v1/applications/${appId}/reviews`).set(auth(financerV)).expect(200)
    ).body.items.find((review: { partnerCode: string }) => review.partnerCode === 'V');
    const write = (account: Account, comment: string) =>
      put(
        account,
        appId,
        'V',
        { scores: ALL(3), opinion: 'FAVORABLE', proposedAmountCents: 6_000_00, comment },
        { 'if-match': `"${current.version}"` },
      );
    const answers = await Promise.all([write(financerV, 'premier'), write(financerV2, 'second')]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const loser = answers.find((answer) => answer.status === 409)!;
    expect(loser.body).toMatchObject({
      details: [{ code: 'REVIEW_VERSION_CONFLICT' }],
      currentVersion: current.version + 1,
    });
    const winner = answers.find((answer) => answer.status === 200)!;
    const after = (
      await t.http().get(`/api/v1/applications/${appId}/reviews`).set(auth(admin))
    ).body.items.find((r: { partnerCode: string }) => r.partnerCode === 'V');
    expect(after.comment).toBe(winner.body.comment);
    // A blind overwrite (no version) is refused too.
    const blind = await put(financerV2, appId, 'V', {
      scores: ALL(1),
      opinion: 'UNFAVORABLE',
      proposedAmountCents: 0,
    }).expect(409);
    expect(blind.body.currentVersion).toBe(after.version);
  });

  it('records a conflict of interest and then keeps the reviewer away from the application', async () => {
    const declared = await t
      .http()
      .post(`/api/v1/applications/${appId}/conflicts-of-interest`)
      .set(auth(financerE2))
      .send({ reason: 'Je siège au conseil d’administration de la régie.' })
      .expect(201);
    expect(declared.body).toMatchObject({
      applicationId: appId,
      reason: 'Je siège au conseil d’administration de la régie.',
    });
    const rows = await t.dataSource.query(
      'SELECT user_id, reason FROM conflict_declarations WHERE application_id = $1',
      [appId],
    );
    expect(rows).toEqual([
      { user_id: financerE2.userId, reason: 'Je siège au conseil d’administration de la régie.' },
    ]);

    const read = await t.http().get(`/api/v1/applications/${appId}`).set(auth(financerE2)).expect(403);
    expect(read.body.details[0].code).toBe('CONFLICT_OF_INTEREST');
    await t.http().get(`/api/v1/applications/${appId}/reviews`).set(auth(financerE2)).expect(403);
    const write = await put(financerE2, appId, 'E', {
      scores: ALL(0),
      opinion: 'UNFAVORABLE',
      proposedAmountCents: 0,
      version: 1,
    }).expect(403);
    expect(write.body.details[0].code).toBe('CONFLICT_OF_INTEREST');
    // It leaves that reviewer's queue and list (issue 16: it used to stay there, flagged).
    const queue = await t.http().get('/api/v1/reviews/queue').set(auth(financerE2)).expect(200);
    expect(queue.body.items.map((item: { applicationId: string }) => item.applicationId)).not.toContain(
      appId,
    );
    const list = await t.http().get('/api/v1/applications').set(auth(financerE2)).expect(200);
    expect(list.body.items.map((item: { id: string }) => item.id)).not.toContain(appId);
    // The other reviewer of the same partner is not affected.
    await t.http().get(`/api/v1/applications/${appId}`).set(auth(financerE)).expect(200);
  });

  it('lists the reviewer’s queue: eligible applications asking its partner, with its review, filterable', async () => {
    const queue = await t.http().get('/api/v1/reviews/queue').set(auth(financerV)).expect(200);
    const ids = queue.body.items.map((item: { applicationId: string }) => item.applicationId);
    expect(ids).toEqual(expect.arrayContaining([appId, eduId]));
    expect(ids).not.toContain(submittedOnly); // not declared eligible yet
    const item = queue.body.items.find((entry: { applicationId: string }) => entry.applicationId === appId);
    expect(item).toMatchObject({
      requestedCents: 7_000_00,
      totalCostCents: 20_000_00,
      genderMarker: 1, // as the holder declared it

      review: { partnerCode: 'V', final: true },
    });
    const filtered = await t
      .http()
      .get('/api/v1/reviews/queue?themeCode=EDU')
      .set(auth(financerV))
      .expect(200);
    expect(filtered.body.items.map((entry: { applicationId: string }) => entry.applicationId)).toEqual([
      eduId,
    ]);
    const byQpv = await t
      .http()
      .get('/api/v1/reviews/queue?qpvCode=QN02603M')
      .set(auth(financerV))
      .expect(200);
    expect(byQpv.body.total).toBe(0);
    await t.http().get('/api/v1/reviews/queue').set(auth(admin)).expect(403);
  });

  it('builds the COTECH table from the inputs, to the cent and the hundredth', async () => {
    const summary = await t
      .http()
      .get(`/api/v1/campaigns/${campaignId}/review-summary?sort=score`)
      .set(auth(admin))
      .expect(200);
    expect(summary.body.total).toBe(2);
    const [first, second] = summary.body.items;
    expect(first).toMatchObject({
      applicationId: eduId,
      averageScore: 5,
      requestedCents: 8_000_00,
      proposedCents: 6_000_00,
      totalCostCents: 10_000_00,
      themeCode: 'EDU',
    });
    expect(first.financers).toEqual([
      {
        partnerCode: 'CAF',
        requestedCents: 6_000_00,
        proposedAmountCents: 6_000_00,
        opinion: 'FAVORABLE',
        totalScore: 5,
        final: true,
      },
      {
        partnerCode: 'V',
        requestedCents: 2_000_00,
        proposedAmountCents: null,
        opinion: null,
        totalScore: null,
        final: false,
      },
    ]);
    expect(first.warnings).toEqual(
      expect.arrayContaining([expect.objectContaining({ rule: 'QPV_SHARE', code: 'QPV_SHARE_LOW' })]),
    );
    // E: 4 (8 000 €), V after the race: 3 (6 000 €) → average 3.5; proposed 14 000 €.
    expect(second).toMatchObject({
      applicationId: appId,
      averageScore: 3.5,
      requestedCents: 15_000_00,
      proposedCents: 14_000_00,
      qpvCodes: ['QN02602M', 'QN02604M'],
    });
    expect(second.holderName).toBe('Régie de quartier');
    expect(summary.body.pendingByFinancer).toEqual([
      { partnerCode: 'CAF', asked: 1, reviewed: 1, pending: 0 },
      { partnerCode: 'E', asked: 1, reviewed: 1, pending: 0 },
      { partnerCode: 'V', asked: 2, reviewed: 1, pending: 1 },
    ]);
    const worstFirst = await t
      .http()
      .get(`/api/v1/campaigns/${campaignId}/review-summary?sort=-score`)
      .set(auth(admin))
      .expect(200);
    expect(worstFirst.body.items.map((row: { applicationId: string }) => row.applicationId)).toEqual([
      appId,
      eduId,
    ]);
    const emp = await t
      .http()
      .get(`/api/v1/campaigns/${campaignId}/review-summary?themeCode=EMP`)
      .set(auth(admin))
      .expect(200);
    expect(emp.body.items.map((row: { applicationId: string }) => row.applicationId)).toEqual([appId]);
    await t.http().get(`/api/v1/campaigns/${campaignId}/review-summary`).set(auth(financerE)).expect(403);
  });

  it('closes reviews after the review deadline with 409', async () => {
    await t.dataSource
      .getRepository(CampaignEntity)
      .update({ id: campaignId }, { reviewDeadline: new Date(Date.now() - 1000) });
    const response = await put(financerE, appId, 'E', {
      scores: ALL(5),
      opinion: 'FAVORABLE',
      proposedAmountCents: 8_000_00,
      version: 1,
    }).expect(409);
    expect(response.body.details[0].code).toBe('REVIEW_CLOSED');
  });
});

describe('reviews before the review phase', () => {
  it('answers 409 REVIEW_NOT_OPEN while submissions are still open', async () => {
    const t = await createTestApp();
    try {
      const admin = await loginAdmin(t);
      const { id } = await createCampaign(t);
      const asso = await registerAssociation(t);
      const draft = await createReadyDraft(t, asso.token, id);
      await t
        .http()
        .post(`/api/v1/applications/${draft.id}/submit`)
        .set({ authorization: `Bearer ${asso.token}` })
        .send(CERTIFICATION)
        .expect(200);
      await t
        .http()
        .post(`/api/v1/applications/${draft.id}/eligibility`)
        .set({ authorization: `Bearer ${admin}` })
        .send({ eligible: true })
        .expect(200);
      const financer = await createStaffUser(t, 'FINANCER', 'E');
      const response = await t
        .http()
        .put(`/api/v1/applications/${draft.id}/reviews/E`)
        .set({ authorization: `Bearer ${financer.token}` })
        .send({ scores: ALL(3), opinion: 'FAVORABLE', proposedAmountCents: 1_00 })
        .expect(409);
      expect(response.body.details[0].code).toBe('REVIEW_NOT_OPEN');
    } finally {
      await t.close();
    }
  });
});
