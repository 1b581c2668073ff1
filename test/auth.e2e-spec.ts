import { createTestApp, login, loginAdmin, TestApp } from './support/test-app.js';
import { createStaffUser, makeSiret, registerAssociation } from './factories/account.factory.js';
import { TEST_ADMIN, TEST_JWT_SECRET, TEST_NATIONAL } from './support/constants.js';
import { ensureAdmin, ensureNationalUser } from '../src/modules/accounts/accounts.service.js';
import { UserEntity } from '../src/modules/accounts/user.entity.js';
import { JwtService } from '@nestjs/jwt';

const registration = (
  overrides: Record<string, unknown> = {},
  organization: Record<string, unknown> = {},
) => ({
  email: `marie.${Math.random().toString(36).slice(2)}@asso-pracomtal.fr`,
  password: 'un-mot-de-passe-long',
  displayName: 'Marie Martin',
  organization: {
    name: 'Centre social de Pracomtal',
    legalForm: 'Association loi 1901',
    siret: makeSiret(),
    address: '2 rue des Alpes, 26200 Montélimar',
    legalRepresentative: 'Jeanne Roux, présidente',
    contactEmail: 'contact@asso-pracomtal.fr',
    ...organization,
  },
  ...overrides,
});

describe('auth and users', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('registers an association, logs it in and tells who it is', async () => {
    const body = registration();
    const registered = await t.http().post('/api/v1/auth/register').send(body).expect(201);
    expect(registered.body.user).toEqual({
      id: expect.any(String),
      email: body.email,
      displayName: 'Marie Martin',
      role: 'ASSOCIATION',
      organizationId: registered.body.organization.id,
    });
    expect(registered.body.organization).toMatchObject({
      name: 'Centre social de Pracomtal',
      siret: body.organization.siret,
      rna: null,
    });
    expect(JSON.stringify(registered.body)).not.toContain('password');

    const token = await login(t, body.email.toUpperCase(), body.password);
    const me = await t.http().get('/api/v1/auth/me').set('authorization', `Bearer ${token}`).expect(200);
    expect(me.body).toEqual({
      id: registered.body.user.id,
      email: body.email,
      displayName: 'Marie Martin',
      role: 'ASSOCIATION',
      organizationId: registered.body.organization.id,
    });
    const stored = await t.dataSource.getRepository(UserEntity).findOneByOrFail({ id: me.body.id });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('accepts an RNA number alone, and a SIRET typed with spaces', async () => {
    await t
      .http()
      .post('/api/v1/auth/register')
      .send(registration({}, { siret: undefined, rna: 'W261002345' }))
      .expect(201);
    const siret = makeSiret();
    const spaced = `${siret.slice(0, 3)} ${siret.slice(3, 6)} ${siret.slice(6, 9)} ${siret.slice(9)}`;
    const response = await t
      .http()
      .post('/api/v1/auth/register')
      .send(registration({}, { siret: spaced }))
      .expect(201);
    expect(response.body.organization.siret).toBe(siret);
  });

  it('refuses an organisation with neither SIRET nor RNA', async () => {
    const response = await t
      .http()
      .post('/api/v1/auth/register')
      .send(registration({}, { siret: undefined }))
      .expect(400);
    expect(response.body.details).toEqual([expect.objectContaining({ code: 'SIRET_OR_RNA_REQUIRED' })]);
  });

  it('refuses a second account on the same e-mail (409), and turns a second registration of the same SIRET into a request to join (202)', async () => {
    const first = registration();
    await t.http().post('/api/v1/auth/register').send(first).expect(201);
    const sameEmail = await t
      .http()
      .post('/api/v1/auth/register')
      .send(registration({ email: first.email }))
      .expect(409);
    expect(sameEmail.body.details[0].code).toBe('EMAIL_TAKEN');
    const sameSiret = await t
      .http()
      .post('/api/v1/auth/register')
      .send(registration({}, { siret: first.organization.siret }))
      .expect(202);
    expect(sameSiret.body).toEqual({ joinRequestId: expect.any(String) });
  });

  it('answers 401 to a wrong password and to an unknown e-mail, alike', async () => {
    const wrongPassword = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: TEST_ADMIN.email, password: 'wrong-password!' })
      .expect(401);
    const unknown = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'nobody@nowhere.fr', password: 'wrong-password!' })
      .expect(401);
    expect(wrongPassword.body).toEqual(unknown.body);
    expect(wrongPassword.body).toMatchObject({
      statusCode: 401,
      error: 'Unauthorized',
      details: [{ code: 'INVALID_CREDENTIALS' }],
    });
  });

  it('answers 401 without a token, with a tampered token, with an expired one and with alg "none"', async () => {
    await t.http().get('/api/v1/auth/me').expect(401);
    const token = await loginAdmin(t);
    const [header, payload, signature] = token.split('.');
    const tampered = `${header}.${Buffer.from(JSON.stringify({ sub: 'someone-else', role: 'CITY_TEAM' })).toString('base64url')}.${signature}`;
    await t.http().get('/api/v1/auth/me').set('authorization', `Bearer ${tampered}`).expect(401);
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    await t.http().get('/api/v1/auth/me').set('authorization', `Bearer ${none}`).expect(401);
    const sub = JSON.parse(Buffer.from(payload, 'base64url').toString()).sub as string;
    const expired = await new JwtService({ secret: TEST_JWT_SECRET }).signAsync({
      sub,
      exp: Math.floor(Date.now() / 1000) - 10,
    });
    const response = await t
      .http()
      .get('/api/v1/auth/me')
      .set('authorization', `Bearer ${expired}`)
      .expect(401);
    expect(response.body.details[0].code).toBe('UNAUTHENTICATED');
    await t.http().get('/api/v1/auth/me').set('authorization', `Bearer ${token}`).expect(200);
  });

  it('answers 401, not 500, to a well-signed token whose subject is not a user id', async () => {
    for (const sub of ['not-a-uuid', "1' OR '1'='1", '']) {
      const signed = await new JwtService({ secret: TEST_JWT_SECRET }).signAsync({ sub });
      const response = await t.http().get('/api/v1/auth/me').set('authorization', `Bearer ${signed}`);
      expect([sub, response.status, response.body.details?.[0]?.code]).toEqual([sub, 401, 'UNAUTHENTICATED']);
    }
  });

  it('stops the token of a disabled user at once', async () => {
    const association = await registerAssociation(t);
    await t.http().get('/api/v1/auth/me').set('authorization', `Bearer ${association.token}`).expect(200);
    await t.dataSource
      .getRepository(UserEntity)
      .update({ id: association.userId }, { disabledAt: new Date() });
    await t.http().get('/api/v1/auth/me').set('authorization', `Bearer ${association.token}`).expect(401);
  });

  it('stops the token of a deleted user at once, on reads and writes', async () => {
    const association = await registerAssociation(t);
    const auth = { authorization: `Bearer ${association.token}` };
    await t.http().get('/api/v1/auth/me').set(auth).expect(200);
    await t.dataSource.query('DELETE FROM users WHERE id = $1', [association.userId]);
    const read = await t.http().get('/api/v1/auth/me').set(auth).expect(401);
    expect(read.body.details[0].code).toBe('UNAUTHENTICATED');
    await t
      .http()
      .post('/api/v1/campaigns/00000000-0000-4000-8000-000000000000/applications')
      .set(auth)
      .send({})
      .expect(401);
  });

  it('lets the city team create a financer bound to a partner, who then sees its partner code', async () => {
    const financer = await createStaffUser(t, 'FINANCER', 'CAF');
    const me = await t
      .http()
      .get('/api/v1/auth/me')
      .set('authorization', `Bearer ${financer.token}`)
      .expect(200);
    expect(me.body).toMatchObject({ role: 'FINANCER', partnerCode: 'CAF' });
    expect(me.body.organizationId).toBeUndefined();
    const cityTeam = await createStaffUser(t, 'CITY_TEAM');
    const cityMe = await t
      .http()
      .get('/api/v1/auth/me')
      .set('authorization', `Bearer ${cityTeam.token}`)
      .expect(200);
    expect(cityMe.body.role).toBe('CITY_TEAM');
  });

  it('refuses a financer without a partner, or with an unknown one, with 422', async () => {
    const admin = await loginAdmin(t);
    const base = {
      email: 'agent@caf.fr',
      password: 'mot-de-passe-agent-1',
      displayName: 'Agent',
      role: 'FINANCER',
    };
    const missing = await t
      .http()
      .post('/api/v1/users')
      .set('authorization', `Bearer ${admin}`)
      .send(base)
      .expect(422);
    expect(missing.body.details[0]).toMatchObject({ field: 'partnerCode', code: 'PARTNER_REQUIRED' });
    const unknown = await t
      .http()
      .post('/api/v1/users')
      .set('authorization', `Bearer ${admin}`)
      .send({ ...base, partnerCode: 'NOPE' })
      .expect(422);
    expect(unknown.body.details[0].code).toBe('UNKNOWN_PARTNER');
  });

  it.each(['ASSOCIATION', 'FINANCER'] as const)(
    'forbids POST /users to a %s (403), and to nobody (401)',
    async (role) => {
      const account =
        role === 'ASSOCIATION' ? await registerAssociation(t) : await createStaffUser(t, 'FINANCER', 'V');
      const body = { email: 'x@y.fr', password: 'mot-de-passe-long-1', displayName: 'X', role: 'CITY_TEAM' };
      const response = await t
        .http()
        .post('/api/v1/users')
        .set('authorization', `Bearer ${account.token}`)
        .send(body)
        .expect(403);
      expect(response.body).toMatchObject({
        statusCode: 403,
        error: 'Forbidden',
        details: [{ code: 'FORBIDDEN' }],
      });
      await t.http().post('/api/v1/users').send(body).expect(401);
      expect(await t.dataSource.getRepository(UserEntity).countBy({ email: 'x@y.fr' })).toBe(0);
    },
  );
});

describe('account life cycle', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });
  const me = (token: string) => t.http().get('/api/v1/auth/me').set('authorization', `Bearer ${token}`);
  const changePassword = (token: string, currentPassword: string, newPassword: string) =>
    t
      .http()
      .post('/api/v1/auth/password')
      .set('authorization', `Bearer ${token}`)
      .send({ currentPassword, newPassword });

  it('signs out: that token answers 401 afterwards, another sign-in of the same user goes on', async () => {
    const association = await registerAssociation(t);
    const other = await login(t, association.email, 'mot-de-passe-solide-42');
    await t
      .http()
      .post('/api/v1/auth/logout')
      .set('authorization', `Bearer ${association.token}`)
      .expect(204);
    const after = await me(association.token).expect(401);
    expect(after.body.details[0].code).toBe('UNAUTHENTICATED');
    await me(other).expect(200);
  });

  it('changes a password with the current one, keeps this token and revokes the others', async () => {
    const association = await registerAssociation(t);
    const elsewhere = await login(t, association.email, 'mot-de-passe-solide-42');
    const wrong = await changePassword(
      association.token,
      'pas-le-bon',
      'Un nouveau mot de passe 2027',
    ).expect(422);
    expect(wrong.body.details[0]).toMatchObject({
      field: 'currentPassword',
      code: 'CURRENT_PASSWORD_INVALID',
    });
    for (const weak of ['123456789012', 'aaaaaaaaaaaaaaaa']) {
      const refused = await changePassword(association.token, 'mot-de-passe-solide-42', weak).expect(422);
      expect(refused.body.details[0]).toMatchObject({ field: 'newPassword', code: 'PASSWORD_TOO_COMMON' });
    }
    await me(elsewhere).expect(200); // nothing changed so far
    await changePassword(association.token, 'mot-de-passe-solide-42', 'Un nouveau mot de passe 2027').expect(
      204,
    );
    await me(association.token).expect(200);
    await me(elsewhere).expect(401);
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: association.email, password: 'mot-de-passe-solide-42' })
      .expect(401);
    await login(t, association.email, 'Un nouveau mot de passe 2027');
  });

  it('refuses a common or repetitive password at registration', async () => {
    for (const password of ['123456789012', 'zzzzzzzzzzzzzz']) {
      const response = await t
        .http()
        .post('/api/v1/auth/register')
        .send({
          email: `faible-${Date.now().toString(36)}@example.org`,
          password,
          displayName: 'Trésorier',
          organization: {
            name: 'Association au mot de passe faible',
            legalForm: 'Association loi 1901',
            siret: makeSiret(),
            address: '1 rue Pierre-Julien, 26200 Montélimar',
            legalRepresentative: 'Sam Martin',
            contactEmail: 'contact@example.org',
          },
        })
        .expect(422);
      expect(response.body.details[0]).toMatchObject({ field: 'password', code: 'PASSWORD_TOO_COMMON' });
    }
  });

  it('lets the city team disable a user of its contract: every token of that user stops at once', async () => {
    const admin = await loginAdmin(t);
    const financer = await createStaffUser(t, 'FINANCER', 'E');
    const second = await login(t, financer.email, 'mot-de-passe-financeur-42');
    await me(financer.token).expect(200);
    await t
      .http()
      .post(`/api/v1/users/${financer.userId}/disable`)
      .set('authorization', `Bearer ${admin}`)
      .expect(200);
    await me(financer.token).expect(401);
    await me(second).expect(401);
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: financer.email, password: 'mot-de-passe-financeur-42' })
      .expect(401);
    // Not a user of its contract (the national agency has none): 404.
    await ensureNationalUser(t.dataSource, TEST_NATIONAL);
    const [national] = (await t.dataSource.query('SELECT id FROM users WHERE email = $1', [
      TEST_NATIONAL.email,
    ])) as {
      id: string;
    }[];
    await t
      .http()
      .post(`/api/v1/users/${national.id}/disable`)
      .set('authorization', `Bearer ${admin}`)
      .expect(404);
  });

  it('makes the first city-team user change the installation password before anything else', async () => {
    const [{ id: contractId }] = (await t.dataSource.query('SELECT id FROM contracts LIMIT 1')) as {
      id: string;
    }[];
    const first = {
      email: 'premiere@ville.example.fr',
      password: 'mot-de-passe-installation-42',
      contractId,
    };
    expect(await ensureAdmin(t.dataSource, first)).toBe(true);
    const token = await login(t, first.email, first.password);
    const blocked = await t
      .http()
      .get('/api/v1/campaigns')
      .set('authorization', `Bearer ${token}`)
      .expect(403);
    expect(blocked.body.details[0].code).toBe('PASSWORD_CHANGE_REQUIRED');
    await me(token).expect(200);
    await changePassword(token, first.password, 'La nouvelle phrase de la ville 2027').expect(204);
    await t.http().get('/api/v1/campaigns').set('authorization', `Bearer ${token}`).expect(200);
  });
});

describe('login rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 429 after the allowed attempts for one e-mail, while another e-mail still gets through', async () => {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: 'victim@asso.fr', password: 'guess-number-x' })
        .expect(401);
    }
    const blocked = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'victim@asso.fr', password: 'guess-number-y' })
      .expect(429);
    expect(blocked.body).toMatchObject({ statusCode: 429, details: [{ code: 'TOO_MANY_REQUESTS' }] });
    await loginAdmin(t);
  });
});
