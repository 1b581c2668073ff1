import { createTestApp, loginAdmin, TestApp } from './support/test-app.js';
import { makeSiret, registerAssociation } from './factories/account.factory.js';
import { applicationBody, stakeOf } from './factories/application.factory.js';
import { createCampaign } from './factories/campaign.factory.js';

describe('hostile text in names, addresses and titles', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const register = (email: string, displayName: string, organizationName = 'Maison des Habitants') =>
    t
      .http()
      .post('/api/v1/auth/register')
      .send({
        email,
        password: 'un-mot-de-passe-long',
        displayName,
        organization: {
          name: organizationName,
          legalForm: 'Association loi 1901',
          siret: makeSiret(),
          address: '1 rue Pierre Julien, 26200 Montélimar',
          legalRepresentative: 'Claire Fabre',
          contactEmail: email,
        },
      });

  it.each([
    ['a Cyrillic « а » inside a Latin address', 'p\u0430ypal@asso-montelimar.fr', 'Paul Martin', 'email'],
    ['a zero-width space in an address', 'jean\u200b.dupont@asso.fr', 'Jean Dupont', 'email'],
    ['a bidi override in a name', 'camille@asso.fr', 'Camille \u202eDurand', 'displayName'],
    ['a Greek « ο » inside a Latin name', 'leo@asso.fr', 'Lé\u03bf Garnier', 'displayName'],
  ])(
    'refuses %s with 400 IDENTITY_TEXT_REFUSED and creates nothing',
    async (_case, email, displayName, field) => {
      const before = await t.dataSource.query('SELECT count(*)::int AS n FROM users');
      const response = await register(email, displayName).expect(400);
      expect(response.body.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ field, code: 'IDENTITY_TEXT_REFUSED' })]),
      );
      expect(await t.dataSource.query('SELECT count(*)::int AS n FROM users')).toEqual(before);
    },
  );

  it('accepts names written wholly in one script, accents and typographic apostrophes included', async () => {
    await register(`oksana-${Date.now()}@asso.fr`, 'Оксана Шевченко').expect(201);
    await register(`helene-${Date.now()}@asso.fr`, 'Hélène Œuvray-N’Diaye', 'L’Envol – Ça ira').expect(201);
  });

  it('stores titles NFC and without bidirectional controls', async () => {
    const asso = await registerAssociation(t);
    const admin = await loginAdmin(t);
    const { id: campaignId } = await createCampaign(t, { adminToken: admin });
    const ids = await stakeOf(t, asso.token, 'EMP');
    // « Café » typed decomposed (e + combining acute), with a right-to-left override hidden inside.
    const created = await t
      .http()
      .post(`/api/v1/campaigns/${campaignId}/applications`)
      .set('authorization', `Bearer ${asso.token}`)
      .send(applicationBody(ids, { title: 'Cafe\u0301 des parents \u202eGAT' }))
      .expect(201);
    expect(created.body.title).toBe('Café des parents GAT');
    const [row] = await t.dataSource.query('SELECT title FROM grant_applications WHERE id = $1', [
      created.body.id,
    ]);
    expect(row.title).toBe('Café des parents GAT');
  });
});
