/**
 * The national summary: the year's sums over every contract hosted, for the national agency only.
 * Two contracts, applications in every kind of status and of two years; the expected figures are the
 * test's own arithmetic on the bodies it sent.
 */
import argon2 from 'argon2';
import { createTestApp, login, loginAdmin, TestApp } from './support/test-app.js';
import { TEST_NATIONAL as NATIONAL } from './support/constants.js';
import { createCampaign } from './factories/campaign.factory.js';
import { registerAssociation } from './factories/account.factory.js';
import {
  CERTIFICATION,
  createEligibleApplication,
  createReadyDraft,
  stakeOf,
} from './factories/application.factory.js';
import { ensureNationalUser } from '../src/modules/accounts/accounts.service.js';
import { loadQpvRows, loadReferentialSeeds } from '../src/database/setup.js';
import { seedReferential } from '../src/modules/referential/referential-seed.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe('national summary', () => {
  let t: TestApp;
  let national: string;
  let admin: string;

  const submit = (token: string, id: string) =>
    t.http().post(`/api/v1/applications/${id}/submit`).set(auth(token)).send(CERTIFICATION).expect(200);
  const summary = (year: number | string, token = national) =>
    t.http().get(`/api/v1/national/summary?year=${year}`).set(auth(token));

  beforeAll(async () => {
    t = await createTestApp();
    admin = await loginAdmin(t);
    expect(await ensureNationalUser(t.dataSource, NATIONAL)).toBe(true);
    expect(await ensureNationalUser(t.dataSource, { ...NATIONAL, password: 'un-autre-mot-de-passe' })).toBe(
      false,
    );
    national = await login(t, NATIONAL.email, NATIONAL.password);

    // A second contract, with the same referential under another code, and its city team.
    const [seed] = await loadReferentialSeeds();
    const otherContractId = await seedReferential(
      t.dataSource,
      { ...seed, contract: { ...seed.contract, code: 'CN99999Z', name: 'Contrat de ville de Valence' } },
      await loadQpvRows(),
    );
    await t.dataSource.query(
      `INSERT INTO users (email, password_hash, display_name, role, contract_id) VALUES ($1, $2, 'Équipe', 'CITY_TEAM', $3)`,
      ['equipe@valence.example.fr', await argon2.hash('mot-de-passe-valence-42'), otherContractId],
    );
    const otherAdmin = await login(t, 'equipe@valence.example.fr', 'mot-de-passe-valence-42');
    // Its territory's quartier prioritaire (Polygone, Valence).
    await t.dataSource.query(`UPDATE qpvs SET contract_id = $1 WHERE code = 'QN02606M'`, [otherContractId]);

    const holder = await registerAssociation(t, 'Régie de quartier');
    // Contract 1, 2027: A eligible and granted 6 000 € by E (V refuses), B submitted, C a draft, D withdrawn.
    const { id: campaign } = await createCampaign(t);
    const a = await createEligibleApplication(t, holder.token, admin, campaign);
    const b = await createReadyDraft(t, holder.token, campaign);
    await submit(holder.token, b.id);
    await createReadyDraft(t, holder.token, campaign);
    const d = await createReadyDraft(t, holder.token, campaign);
    await submit(holder.token, d.id);
    await t.http().post(`/api/v1/applications/${d.id}/withdraw`).set(auth(holder.token)).expect(200);
    await t.dataSource.query(
      `INSERT INTO decisions (application_id, partner_id, campaign_id, granted_cents, decided_by)
       SELECT a.id, p.id, a.campaign_id, CASE p.code WHEN 'E' THEN 600000 ELSE 0 END, $2
         FROM grant_applications a JOIN partners p ON p.contract_id = a.contract_id AND p.code IN ('E', 'V')
        WHERE a.id = $1`,
      [a, (await t.http().get('/api/v1/auth/me').set(auth(admin))).body.id],
    );
    // Contract 1, 2026: one submitted application, not in 2027's figures.
    const { id: older } = await createCampaign(t, { body: { year: 2026, title: 'Appel à projets 2026' } });
    await submit(holder.token, (await createReadyDraft(t, holder.token, older)).id);

    // Contract 2, 2027: F submitted under Education (E 8 000 €, CAF 3 000 €, V 4 000 €).
    const { id: otherCampaign } = await createCampaign(t, { adminToken: otherAdmin });
    // Its stake and measure come from its own referential (the overrides replace the factory's).
    const valence = await createReadyDraft(t, holder.token, otherCampaign, {
      ...(await stakeOf(t, otherAdmin, 'EDU')),
      themeCode: 'EDU',
      qpvCodes: ['QN02606M'],
      location: 'Polygone, Valence',
      budget: {
        charges: [{ account: '64', label: 'Animatrice', amountCents: 20_000_00 }],
        products: [
          { account: '74', label: 'État', amountCents: 8_000_00, partnerCode: 'E' },
          { account: '74', label: 'CAF', amountCents: 3_000_00, partnerCode: 'CAF' },
          { account: '74', label: 'Ville', amountCents: 4_000_00, partnerCode: 'V' },
          { account: '75', label: 'Fonds propres', amountCents: 5_000_00 },
        ],
      },
    });
    await submit(holder.token, valence.id);
  });
  afterAll(async () => {
    await t.close();
  });

  it('sums every contract’s counted applications of the year, theme × financer', async () => {
    const response = await summary(2027).expect(200);
    expect(response.body).toEqual({
      year: 2027,
      contracts: 2,
      applications: 3,
      requestedCents: 8_000_00 * 2 + 7_000_00 * 2 + 8_000_00 + 3_000_00 + 4_000_00,
      grantedCents: 6_000_00,
      byThemeAndFinancer: [
        cell('EDU', 'CAF', 1, 3_000_00, 0, 0),
        cell('EDU', 'E', 1, 8_000_00, 0, 0),
        cell('EMP', 'E', 2, 16_000_00, 1, 6_000_00),
        cell('EDU', 'V', 1, 4_000_00, 0, 0),
        cell('EMP', 'V', 2, 14_000_00, 0, 0),
      ],
    });
  });

  it('keeps each year apart', async () => {
    const response = await summary(2026).expect(200);
    expect(response.body).toMatchObject({ year: 2026, contracts: 1, applications: 1, grantedCents: 0 });
    expect((await summary(2031).expect(200)).body).toEqual({
      year: 2031,
      contracts: 0,
      applications: 0,
      requestedCents: 0,
      grantedCents: 0,
      byThemeAndFinancer: [],
    });
  });

  it('refuses a year that is not one, in the contract’s error shape', async () => {
    for (const year of ['deux-mille', '1999', '2027.5', '']) {
      const response = await summary(year).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(response.body.details.length).toBeGreaterThan(0);
    }
  });

  it('is for the national agency alone, which reaches nothing of a contract', async () => {
    await summary(2027, admin).expect(403);
    const me = await t.http().get('/api/v1/auth/me').set(auth(national)).expect(200);
    expect(me.body).toMatchObject({ role: 'NATIONAL', email: NATIONAL.email });
    for (const path of [
      '/api/v1/campaigns',
      '/api/v1/applications',
      '/api/v1/themes',
      '/api/v1/notifications',
    ])
      await t.http().get(path).set(auth(national)).expect(403);
  });
});

function cell(
  themeCode: string,
  partnerCode: string,
  applications: number,
  requestedCents: number,
  fundedApplications: number,
  grantedCents: number,
) {
  return { themeCode, partnerCode, applications, requestedCents, fundedApplications, grantedCents };
}
