import { createTestApp, loginAdmin, TestApp } from './support/test-app.js';
import { registerAssociation } from './factories/account.factory.js';
import { passwordHashesComputed } from '../src/modules/accounts/password.js';
import { decode, PageClient } from './support/page-client.js';

const attempt = (t: TestApp, email: string, from?: string) => {
  const request = t.http().post('/api/v1/auth/login');
  if (from) request.set('x-forwarded-for', from);
  return request.send({ email, password: 'pas-le-bon-mot-de-passe' });
};

describe('throttles counted in Redis', () => {
  it('shares the counts between two API processes', async () => {
    const first = await createTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '3' });
    // The second process: same Redis and prefix, as a second API behind the load balancer would be.
    const second = await createTestApp({
      LOGIN_RATE_LIMIT_PER_MINUTE: '3',
      QUEUE_PREFIX: first.config.queuePrefix,
    });
    try {
      for (let index = 0; index < 3; index += 1) await attempt(first, 'cible@asso.fr').expect(401);
      const blocked = await attempt(second, 'cible@asso.fr').expect(429);
      expect(blocked.body.details[0].code).toBe('TOO_MANY_REQUESTS');
    } finally {
      // (Closing a test app removes its prefix's keys: the first to close would clear the second's counts.)
      await second.close();
      await first.close();
    }
  });

  describe('by default (no proxy trusted)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({
        LOGIN_RATE_LIMIT_PER_MINUTE: '3',
        LOGIN_ADDRESS_RATE_LIMIT_PER_MINUTE: '6',
      });
    });
    afterAll(async () => {
      await t.close();
    });

    it('ignores X-Forwarded-For: forged addresses do not buy more attempts', async () => {
      for (let index = 0; index < 3; index += 1)
        await attempt(t, 'forge@asso.fr', `203.0.113.${index + 1}`).expect(401);
      await attempt(t, 'forge@asso.fr', '203.0.113.99').expect(429);
    });

    it('limits one address whatever the e-mail', async () => {
      // 3 attempts so far from this address (the test above), 6 allowed a minute.
      for (let index = 0; index < 3; index += 1) await attempt(t, `autre-${index}@asso.fr`).expect(401);
      await attempt(t, 'encore-une@asso.fr').expect(429);
    });
  });

  describe('registrations and password resets', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ REGISTER_RATE_LIMIT_PER_HOUR: '2', PASSWORD_RESET_RATE_LIMIT_PER_HOUR: '2' });
    });
    afterAll(async () => {
      await t.close();
    });

    it('limits registrations per address and password resets per e-mail', async () => {
      await registerAssociation(t, 'Première', { confirmEmail: false });
      await registerAssociation(t, 'Deuxième', { confirmEmail: false });
      const third = await t.http().post('/api/v1/auth/register').send({}).expect(429);
      expect(third.body.details[0].code).toBe('TOO_MANY_REQUESTS');
      for (let index = 0; index < 2; index += 1)
        await t.http().post('/api/v1/auth/password-reset').send({ email: 'oubli@asso.fr' }).expect(202);
      await t.http().post('/api/v1/auth/password-reset').send({ email: 'oubli@asso.fr' }).expect(429);
    });
  });

  describe('behind a trusted proxy', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({
        TRUST_PROXY: 'loopback',
        LOGIN_RATE_LIMIT_PER_MINUTE: '100',
        LOGIN_EMAIL_RATE_LIMIT_PER_HOUR: '4',
      });
    });
    afterAll(async () => {
      await t.close();
    });

    it('limits one e-mail whatever the address (a password guessed from many addresses)', async () => {
      for (let index = 0; index < 4; index += 1)
        await attempt(t, 'cible@asso.fr', `198.51.100.${index + 1}`).expect(401);
      await attempt(t, 'cible@asso.fr', '198.51.100.200').expect(429);
      // Another e-mail from those addresses still gets through.
      await attempt(t, 'quelqu-un@asso.fr', '198.51.100.1').expect(401);
    });

    it('counts only failed sign-ins per e-mail: signing in often is no attack', async () => {
      for (let index = 0; index < 6; index += 1) await loginAdmin(t);
    });
  });

  describe('hashing', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(async () => {
      await t.close();
    });

    it('finds a taken e-mail before hashing the password, and hashes nothing for an unknown e-mail', async () => {
      const asso = await registerAssociation(t, 'Déjà inscrite', { confirmEmail: false });
      await loginAdmin(t); // times a first verification
      const before = passwordHashesComputed();
      await t
        .http()
        .post('/api/v1/auth/register')
        .send({
          email: asso.email,
          password: 'un-mot-de-passe-long',
          displayName: 'Doublon',
          organization: {
            name: 'Autre',
            legalForm: 'Association loi 1901',
            rna: 'W261009999',
            address: 'x',
            legalRepresentative: 'y',
            contactEmail: asso.email,
          },
        })
        .expect(409);
      for (let index = 0; index < 5; index += 1) await attempt(t, `inconnu-${index}@asso.fr`).expect(401);
      expect(passwordHashesComputed()).toBe(before);
    });
  });

  it('counts the pages’ « Se connecter » with the API’s sign-ins, and answers the page in HTML', async () => {
    const t = await createTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const email = 'partage@asso.fr';
      for (let index = 0; index < 2; index += 1) await attempt(t, email).expect(401);
      const page = new PageClient(t);
      await page.get('/connexion');
      const third = await page.post('/connexion', { email, password: 'pas-le-bon-mot-de-passe' });
      expect(third.status).toBe(422);
      const fourth = await page.post('/connexion', { email, password: 'pas-le-bon-mot-de-passe' });
      expect(fourth.status).toBe(429);
      expect(fourth.headers['content-type']).toMatch(/^text\/html/);
      expect(decode(fourth.text)).toContain('Trop de tentatives de connexion');
      // And the API, after the page's attempts, is refused too.
      await attempt(t, email).expect(429);
    } finally {
      await t.close();
    }
  });
});
