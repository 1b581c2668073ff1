/**
 * Confidentiality between financers in lists and exports (not only single objects): until the programming is
 * closed a financer sees only what asks it; once closed, every line of the contract's programming but the
 * reviews of what did not ask it; a declared conflict of interest takes an application out of every list,
 * queue and export of that reviewer; the failed jobs are each contract's own.
 */
import { Queue, Worker } from 'bullmq';
import { parseCsv } from '../src/common/csv.js';
import { eventually } from './support/smtp-sink.js';
import { createTestApp, loginAdmin, TestApp } from './support/test-app.js';
import { createCampaign } from './factories/campaign.factory.js';
import { createStaffUser, registerAssociation, type Account } from './factories/account.factory.js';
import { createEligibleApplication } from './factories/application.factory.js';

const ONLY_THE_CITY = {
  budget: {
    charges: [{ account: '64', label: 'Animatrice', amountCents: 10_000_00 }],
    products: [
      { account: '74', label: 'Ville de Montélimar', amountCents: 6_000_00, partnerCode: 'V' },
      { account: '75', label: 'Fonds propres', amountCents: 4_000_00 },
    ],
  },
};

describe('confidentiality between financers in lists and exports', () => {
  let t: TestApp;
  let admin: string;
  let campaignId: string;
  let both: string; // asks the État and the Ville
  let cityOnly: string; // asks the Ville alone
  let conflicted: string; // asks both; the État's second reviewer declares a conflict on it
  let financerE: Account;
  let financerE2: Account;
  let financerV: Account;
  const auth = (account: Account | string) => ({
    authorization: `Bearer ${typeof account === 'string' ? account : account.token}`,
  });
  const listed = async (who: Account) =>
    (
      await t.http().get(`/api/v1/applications?campaignId=${campaignId}`).set(auth(who)).expect(200)
    ).body.items.map((item: { id: string }) => item.id);
  const queued = async (who: Account) =>
    (await t.http().get('/api/v1/reviews/queue').set(auth(who)).expect(200)).body.items.map(
      (item: { applicationId: string }) => item.applicationId,
    );
  const csv = async (who: Account | string) =>
    parseCsv(
      (await t.http().get(`/api/v1/campaigns/${campaignId}/programming.csv`).set(auth(who)).expect(200)).text,
      ';',
    );
  const table = async (who: Account | string) =>
    (await t.http().get(`/api/v1/campaigns/${campaignId}/programming`).set(auth(who)).expect(200)).body;
  const references = new Map<string, string>();

  beforeAll(async () => {
    t = await createTestApp();
    admin = await loginAdmin(t);
    campaignId = (await createCampaign(t, { body: { year: 2031 } })).id;
    const holder = await registerAssociation(t, 'Association confidentielle');
    both = await createEligibleApplication(t, holder.token, admin, campaignId);
    cityOnly = await createEligibleApplication(t, holder.token, admin, campaignId, ONLY_THE_CITY);
    conflicted = await createEligibleApplication(t, holder.token, admin, campaignId);
    for (const id of [both, cityOnly, conflicted]) {
      const read = await t.http().get(`/api/v1/applications/${id}`).set(auth(admin)).expect(200);
      references.set(id, read.body.reference as string);
    }
    await t.http().post(`/api/v1/campaigns/${campaignId}/close-submissions`).set(auth(admin)).expect(200);
    [financerE, financerE2, financerV] = await Promise.all([
      createStaffUser(t, 'FINANCER', 'E'),
      createStaffUser(t, 'FINANCER', 'E'),
      createStaffUser(t, 'FINANCER', 'V'),
    ]);
    // The Ville reviews the application that asks it alone, with an opinion the État must not read.
    await t
      .http()
      .put(`/api/v1/applications/${cityOnly}/reviews/V`)
      .set(auth(financerV))
      .send({
        scores: { STAKE_FIT: 4, QPV_IMPACT: 4, PARTNERSHIP: 4, TRANSVERSAL_PRIORITIES: 4, BUDGET_REALISM: 4 },
        opinion: 'FAVORABLE',
        proposedAmountCents: 5_500_00,
        comment: 'Avis de la Ville',
      })
      .expect(200);
    await t
      .http()
      .post(`/api/v1/applications/${conflicted}/conflicts-of-interest`)
      .set(auth(financerE2))
      .send({ reason: 'Je préside l’association.' })
      .expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows a financer, during the review, only what asks its partner, in every list and export', async () => {
    expect((await listed(financerE)).sort()).toEqual([both, conflicted].sort());
    expect((await queued(financerE)).sort()).toEqual([both, conflicted].sort());
    const rows = await csv(financerE);
    expect([...new Set(rows.map((row) => row['Référence']))].sort()).toEqual(
      [references.get(both), references.get(conflicted)].sort(),
    );
    expect(rows.some((row) => row['Financeur'] === 'V' && row['Avis'] !== '')).toBe(false);
    // The table's sums: the Ville's 6,000 € asked by the application that does not ask the État are not in it.
    const sums = await table(financerE);
    const villeAsked = sums.byThemeAndFinancer
      .filter((row: { partnerCode: string }) => row.partnerCode === 'V')
      .reduce((sum: number, row: { requestedCents: number }) => sum + row.requestedCents, 0);
    expect(villeAsked).toBe(2 * 7_000_00);
    // The city team sees everything.
    expect((await csv(admin)).some((row) => row['Référence'] === references.get(cityOnly))).toBe(true);
    const all = await table(admin);
    expect(
      all.byThemeAndFinancer
        .filter((row: { partnerCode: string }) => row.partnerCode === 'V')
        .reduce((sum: number, row: { requestedCents: number }) => sum + row.requestedCents, 0),
    ).toBe(2 * 7_000_00 + 6_000_00);
  });

  it('takes an application its reviewer declared a conflict on out of that reviewer’s lists and exports', async () => {
    expect(await listed(financerE2)).toEqual([both]);
    expect(await queued(financerE2)).toEqual([both]);
    expect([...new Set((await csv(financerE2)).map((row) => row['Référence']))]).toEqual([
      references.get(both),
    ]);
    // Its colleague of the same partner still has it.
    expect(await listed(financerE)).toContain(conflicted);
  });

  it('shows every line of a closed programming, never the reviews of what did not ask the reader', async () => {
    for (const [id, grants] of [
      [both, { E: 5_000_00, V: 5_000_00 }],
      [cityOnly, { V: 5_500_00 }],
      [conflicted, { E: 0, V: 0 }],
    ] as const) {
      await t
        .http()
        .put(`/api/v1/applications/${id}/decisions`)
        .set(auth(admin))
        .send({
          decisions: Object.entries(grants).map(([partnerCode, grantedAmountCents]) => ({
            partnerCode,
            grantedAmountCents,
            reason: 'Décision du COPIL.',
          })),
        })
        .expect(200);
    }
    await t.http().post(`/api/v1/campaigns/${campaignId}/close-programming`).set(auth(admin)).expect(200);
    const rows = await csv(financerE);
    const line = rows.find((row) => row['Référence'] === references.get(cityOnly))!;
    expect(line).toMatchObject({
      Financeur: 'V',
      'Accordé (€)': '5500,00',
      Avis: '',
      'Proposé (€)': '',
      'Note /5': '',
    });
    // The reviewer who declared a conflict still does not see that application.
    expect((await csv(financerE2)).some((row) => row['Référence'] === references.get(conflicted))).toBe(
      false,
    );
    // The Ville, asked in it, reads its own review there.
    const own = (await csv(financerV)).find((row) => row['Référence'] === references.get(cityOnly))!;
    expect(own).toMatchObject({ Avis: 'Favorable', 'Proposé (€)': '5500,00' });
  });

  it('lists only the failed jobs of the caller’s contract', async () => {
    const [{ id: notificationId }] = (await t.dataSource.query(
      `INSERT INTO notifications (type, to_address, payload, dedupe_key, status, contract_id)
       VALUES ('APPLICATION_RETURNED', 'quelquun@ailleurs.example', '{}', 'confidential-other-contract', 'PENDING', NULL)
       RETURNING id`,
    )) as { id: string }[];
    // A job of no contract of ours failing for good (a worker of the test's own fails it): it must not show.
    const connection = { url: t.config.redisUrl };
    const queue = new Queue('mail', { connection, prefix: t.config.queuePrefix });
    const worker = new Worker(
      'mail',
      () => Promise.reject(new Error('550 quelquun@ailleurs.example: no such user')),
      { connection, prefix: t.config.queuePrefix },
    );
    try {
      await queue.add('send-mail', { notificationId }, { attempts: 1 });
      await eventually(async () => (await queue.getFailedCount()) > 0);
    } finally {
      await worker.close();
      await queue.close();
    }
    const failed = await t.http().get('/api/v1/jobs/failed').set(auth(admin)).expect(200);
    expect(JSON.stringify(failed.body)).not.toContain('quelquun@ailleurs.example');
  });

  it('keeps each financer to its own partner’s reviews until the closing when the campaign says so', async () => {
    const rules = {
      minQpvSharePercent: 50,
      maxSingleFinancerSharePercent: 80,
      minWomenSharePercent: 40,
      advancePercent: 50,
      privateReviews: true,
    };
    const { id: privateCampaign } = await createCampaign(t, { body: { year: 2034, rules } });
    const holder = await registerAssociation(t, 'Association des avis privés');
    const id = await createEligibleApplication(t, holder.token, admin, privateCampaign);
    await t
      .http()
      .post(`/api/v1/campaigns/${privateCampaign}/close-submissions`)
      .set(auth(admin))
      .expect(200);
    await t
      .http()
      .put(`/api/v1/applications/${id}/reviews/V`)
      .set(auth(financerV))
      .send({
        scores: { STAKE_FIT: 2, QPV_IMPACT: 2, PARTNERSHIP: 2, TRANSVERSAL_PRIORITIES: 2, BUDGET_REALISM: 2 },
        opinion: 'UNFAVORABLE',
        proposedAmountCents: 0,
        comment: 'Avis privé de la Ville',
      })
      .expect(200);
    const seenByE = await t.http().get(`/api/v1/applications/${id}/reviews`).set(auth(financerE)).expect(200);
    expect(seenByE.body.items).toEqual([]);
    const seenByCity = await t.http().get(`/api/v1/applications/${id}/reviews`).set(auth(admin)).expect(200);
    expect(seenByCity.body.items.map((review: { partnerCode: string }) => review.partnerCode)).toEqual(['V']);
    const rows = parseCsv(
      (
        await t
          .http()
          .get(`/api/v1/campaigns/${privateCampaign}/programming.csv`)
          .set(auth(financerE))
          .expect(200)
      ).text,
      ';',
    );
    expect(rows.find((row) => row['Financeur'] === 'V')).toMatchObject({ Avis: '', 'Proposé (€)': '' });
    // After the closing, the reviews are shared again.
    await t
      .http()
      .put(`/api/v1/applications/${id}/decisions`)
      .set(auth(admin))
      .send({
        decisions: ['E', 'V'].map((partnerCode) => ({
          partnerCode,
          grantedAmountCents: 0,
          reason: 'Non retenu.',
        })),
      })
      .expect(200);
    await t
      .http()
      .post(`/api/v1/campaigns/${privateCampaign}/close-programming`)
      .set(auth(admin))
      .expect(200);
    const after = await t.http().get(`/api/v1/applications/${id}/reviews`).set(auth(financerE)).expect(200);
    expect(after.body.items.map((review: { partnerCode: string }) => review.partnerCode)).toEqual(['V']);
  });
});
