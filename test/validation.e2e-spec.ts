import { createTestApp, loginAdmin, TestApp } from './support/test-app.js';
import { OrganizationEntity } from '../src/modules/accounts/organization.entity.js';
import { UserEntity } from '../src/modules/accounts/user.entity.js';

const validBody = () => ({
  email: `jeanne.${Math.random().toString(36).slice(2)}@asso.fr`,
  password: 'un-mot-de-passe-long',
  displayName: 'Jeanne',
  organization: {
    name: 'Les Jardins de Nocaze',
    legalForm: 'Association loi 1901',
    siret: '21260198300019',
    address: 'Nocaze, 26200 Montélimar',
    legalRepresentative: 'Paul Blanc',
    contactEmail: 'contact@jardins.fr',
  },
});

/** The contract's error shape, asserted whole. */
function expectErrorShape(body: Record<string, unknown>, statusCode: number): void {
  expect(body).toEqual(
    expect.objectContaining({
      statusCode,
      error: expect.any(String),
      message: expect.any(String),
      details: expect.arrayContaining([
        expect.objectContaining({
          code: expect.stringMatching(/^[A-Z][A-Z0-9_]*$/),
          message: expect.any(String),
        }),
      ]),
    }),
  );
  expect(JSON.stringify(body)).not.toMatch(/at .*\.(js|ts):\d+/); // no stack trace
}

describe('validation and the error shape', () => {
  let t: TestApp;
  let counts: () => Promise<number[]>;
  beforeAll(async () => {
    t = await createTestApp();
    counts = async () => [
      await t.dataSource.getRepository(UserEntity).count(),
      await t.dataSource.getRepository(OrganizationEntity).count(),
    ];
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses an unknown field with 400 UNKNOWN_FIELD and stores nothing', async () => {
    const before = await counts();
    const response = await t
      .http()
      .post('/api/v1/auth/register')
      .send({ ...validBody(), isAdmin: true })
      .expect(400);
    expectErrorShape(response.body, 400);
    expect(response.body.error).toBe('Bad Request');
    expect(response.body.details).toEqual([
      { field: 'isAdmin', code: 'UNKNOWN_FIELD', message: 'Champ inconnu : isAdmin.' },
    ]);
    expect(await counts()).toEqual(before);
  });

  it('refuses an unknown nested field with its dotted path', async () => {
    const body = validBody();
    const response = await t
      .http()
      .post('/api/v1/auth/register')
      .send({ ...body, organization: { ...body.organization, role: 'CITY_TEAM' } })
      .expect(400);
    expect(response.body.details).toEqual([
      expect.objectContaining({ field: 'organization.role', code: 'UNKNOWN_FIELD' }),
    ]);
  });

  it('refuses a wrong type with 400 and a French message naming the field', async () => {
    const response = await t
      .http()
      .post('/api/v1/auth/register')
      .send({ ...validBody(), displayName: 42 })
      .expect(400);
    expectErrorShape(response.body, 400);
    expect(response.body.details).toEqual([
      { field: 'displayName', code: 'IS_STRING', message: 'displayName doit être un texte.' },
    ]);
  });

  it('refuses a missing field with one REQUIRED detail', async () => {
    const { displayName: _omitted, ...body } = validBody();
    const response = await t.http().post('/api/v1/auth/register').send(body).expect(400);
    expect(response.body.details).toHaveLength(1);
    expect(response.body.details[0].field).toBe('displayName');
  });

  it('refuses a SIRET that fails the Luhn key with INVALID_SIRET, and a malformed RNA with INVALID_RNA', async () => {
    const before = await counts();
    const body = validBody();
    const badSiret = await t
      .http()
      .post('/api/v1/auth/register')
      .send({ ...body, organization: { ...body.organization, siret: '21260198300018' } })
      .expect(400);
    expectErrorShape(badSiret.body, 400);
    expect(badSiret.body.details).toEqual([
      expect.objectContaining({ field: 'organization.siret', code: 'INVALID_SIRET' }),
    ]);
    const badRna = await t
      .http()
      .post('/api/v1/auth/register')
      .send({ ...body, organization: { ...body.organization, siret: undefined, rna: 'W26100234' } })
      .expect(400);
    expect(badRna.body.details).toEqual([
      expect.objectContaining({ field: 'organization.rna', code: 'INVALID_RNA' }),
    ]);
    expect(await counts()).toEqual(before);
  });

  it('refuses malformed JSON with 400 MALFORMED_JSON', async () => {
    const response = await t
      .http()
      .post('/api/v1/auth/register')
      .set('content-type', 'application/json')
      .send('{"email": ')
      .expect(400);
    expectErrorShape(response.body, 400);
    expect(response.body.details[0].code).toBe('MALFORMED_JSON');
  });

  it('refuses JSON nested 5,000 deep with 400, not 500, and stores nothing', async () => {
    const before = await counts();
    const deep = (field: string) => {
      let nested = '{"x":1}';
      for (let depth = 0; depth < 5_000; depth += 1) nested = `{"x":${nested}}`;
      return JSON.stringify(validBody()).replace(/}$/, `,"${field}":${nested}}`);
    };
    for (const body of [deep('organization'), deep('unknown'), `[${'['.repeat(4_999)}${']'.repeat(5_000)}`]) {
      const response = await t
        .http()
        .post('/api/v1/auth/register')
        .set('content-type', 'application/json')
        .send(body);
      expect(response.status).toBe(400);
      expectErrorShape(response.body, 400);
    }
    expect(await counts()).toEqual(before);
  });

  it('refuses a body over the limit with 413 in the contract shape', async () => {
    const response = await t
      .http()
      .post('/api/v1/auth/register')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ ...validBody(), displayName: 'x'.repeat(2 * 1024 * 1024) }))
      .expect(413);
    expectErrorShape(response.body, 413);
    expect(response.body.details[0].code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses an ill-typed query parameter with 400', async () => {
    const token = await loginAdmin(t);
    const response = await t
      .http()
      .get('/api/v1/themes?limit=abc')
      .set('authorization', `Bearer ${token}`)
      .expect(400);
    expectErrorShape(response.body, 400);
    expect(response.body.details[0].field).toBe('limit');
  });

  it('answers an unknown route with 404 in the contract shape', async () => {
    const response = await t.http().get('/api/v1/does-not-exist').expect(404);
    expectErrorShape(response.body, 404);
  });

  it('sets the helmet headers and a request id', async () => {
    const response = await t.http().get('/api/v1/health').set('x-request-id', 'abc-123');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['x-request-id']).toBe('abc-123');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });
});
