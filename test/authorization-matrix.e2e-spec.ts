/**
 * Every endpoint × every role (the national agency too), generated from the routes the application serves: a route without an entry
 * here fails. A cell is the outcome of authorization: 401, 403, 404, or 'ok' (authorization passed; the
 * request may still be refused by a business rule with 400, 409 or 422).
 */
import { createTestApp, login, loginAdmin, TestApp } from './support/test-app.js';
import { TEST_NATIONAL as NATIONAL } from './support/constants.js';
import { ensureNationalUser } from '../src/modules/accounts/accounts.service.js';
import { createCampaign } from './factories/campaign.factory.js';
import { Account, createStaffUser, registerAssociation } from './factories/account.factory.js';
import {
  CERTIFICATION,
  createEligibleApplication,
  PDF_BYTES,
  stakeOf,
} from './factories/application.factory.js';

type Outcome = 'ok' | 401 | 403 | 404;
const ROLES = [
  'anonymous',
  'owner',
  'otherAssociation',
  'askedFinancer',
  'otherFinancer',
  'cityTeam',
  'national',
] as const;
type RoleName = (typeof ROLES)[number];
type Row = [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome];

interface Fixture {
  campaignId: string;
  appId: string;
  conflictAppId: string;
  attachmentId: string;
  notificationId: string;
  stakeId: string;
  disposableUserId: string;
  ownerOrganizationId: string;
  joinRequestId: string;
  disposableOrganizationId: string;
}

interface Entry {
  expect: Row;
  path?: (f: Fixture) => string;
  body?: (f: Fixture) => object;
  multipart?: boolean;
}

const PUBLIC: Row = ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'];
const ANY_CONTRACT_USER: Row = [401, 'ok', 'ok', 'ok', 'ok', 'ok', 403];
const CITY: Row = [401, 403, 403, 403, 403, 'ok', 403];
const CITY_FIN: Row = [401, 403, 403, 'ok', 'ok', 'ok', 403];
const FINANCERS: Row = [401, 403, 403, 'ok', 'ok', 403, 403];
const ASSOCIATIONS: Row = [401, 'ok', 'ok', 403, 403, 403, 403];
const OWNER_WRITE: Row = [401, 'ok', 404, 403, 403, 403, 403];
const READERS: Row = [401, 'ok', 404, 'ok', 404, 'ok', 403];

const MATRIX: Record<string, Entry> = {
  'GET /api/v1/health': { expect: PUBLIC },
  'POST /api/v1/auth/register': { expect: PUBLIC, body: () => ({}) },
  'POST /api/v1/auth/login': {
    expect: [401, 401, 401, 401, 401, 401, 401],
    body: () => ({ email: 'nobody@example.org', password: 'not-the-password' }),
  },
  'GET /api/v1/auth/me': { expect: [401, 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'] },
  'POST /api/v1/users': { expect: CITY, body: () => ({}) },
  'GET /api/v1/themes': { expect: ANY_CONTRACT_USER },
  'GET /api/v1/partners': { expect: ANY_CONTRACT_USER },
  'GET /api/v1/qpvs': { expect: ANY_CONTRACT_USER },
  'PATCH /api/v1/partners/:code': { expect: CITY, path: () => '/api/v1/partners/CR', body: () => ({}) },
  'POST /api/v1/campaigns': { expect: CITY, body: () => ({}) },
  'GET /api/v1/campaigns': { expect: ANY_CONTRACT_USER },
  'GET /api/v1/campaigns/:id': { expect: ANY_CONTRACT_USER },
  'PUT /api/v1/campaigns/:id/envelopes': { expect: CITY, body: () => ({ envelopes: 'none' }) },
  'PUT /api/v1/campaigns/:id/deliberations': { expect: CITY, body: () => ({ deliberations: 'none' }) },
  'GET /api/v1/campaigns/:id/envelopes': { expect: CITY_FIN },
  'POST /api/v1/campaigns/:id/open': { expect: CITY },
  'POST /api/v1/campaigns/:id/close-submissions': { expect: CITY },
  'POST /api/v1/campaigns/:id/close-programming': { expect: CITY },
  'POST /api/v1/campaigns/:id/applications': { expect: ASSOCIATIONS, body: () => ({}) },
  'GET /api/v1/applications': { expect: ANY_CONTRACT_USER },
  'GET /api/v1/applications/:id': { expect: READERS },
  'PATCH /api/v1/applications/:id': { expect: OWNER_WRITE, body: () => ({ summary: 'Nouveau résumé' }) },
  'GET /api/v1/applications/:id/checks': { expect: READERS },
  'POST /api/v1/applications/:id/submit': { expect: OWNER_WRITE, body: () => CERTIFICATION },
  'POST /api/v1/applications/:id/return': { expect: CITY, body: () => ({}) },
  'POST /api/v1/applications/:id/eligibility': { expect: CITY, body: () => ({}) },
  'POST /api/v1/applications/:id/withdraw': {
    expect: OWNER_WRITE,
    path: (f) => `/api/v1/applications/${f.conflictAppId}/withdraw`,
  },
  'POST /api/v1/applications/:id/renew': { expect: OWNER_WRITE, body: (f) => ({ campaignId: f.campaignId }) },
  'POST /api/v1/applications/:id/attachments': { expect: OWNER_WRITE, multipart: true },
  'GET /api/v1/applications/:id/attachments/:attachmentId': {
    expect: READERS,
    path: (f) => `/api/v1/applications/${f.appId}/attachments/${f.attachmentId}`,
  },
  'GET /api/v1/reviews/queue': { expect: FINANCERS },
  'PUT /api/v1/applications/:id/reviews/:partnerCode': {
    expect: [401, 403, 403, 'ok', 403, 403, 403],
    path: (f) => `/api/v1/applications/${f.appId}/reviews/E`,
    body: () => ({ final: false }),
  },
  'GET /api/v1/applications/:id/reviews': { expect: [401, 403, 403, 'ok', 404, 'ok', 403] },
  'POST /api/v1/applications/:id/conflicts-of-interest': {
    expect: [401, 403, 403, 'ok', 404, 403, 403],
    path: (f) => `/api/v1/applications/${f.conflictAppId}/conflicts-of-interest`,
    body: () => ({ reason: 'Membre du bureau' }),
  },
  'GET /api/v1/campaigns/:id/review-summary': { expect: CITY },
  'PUT /api/v1/applications/:id/decisions': { expect: CITY, body: () => ({}) },
  'GET /api/v1/applications/:id/decisions': { expect: READERS },
  'GET /api/v1/campaigns/:id/programming': { expect: CITY_FIN },
  'GET /api/v1/campaigns/:id/programming.csv': { expect: CITY_FIN },
  'GET /api/v1/campaigns/:id/open-data.csv': {
    expect: PUBLIC,
    path: (f) => `/api/v1/campaigns/${f.campaignId}/open-data.csv?partnerCode=V`,
  },
  'POST /api/v1/applications/:id/convention': { expect: CITY },
  'GET /api/v1/applications/:id/convention': { expect: READERS },
  'GET /api/v1/applications/:id/convention.pdf': { expect: READERS },
  'PUT /api/v1/applications/:id/report': {
    expect: OWNER_WRITE,
    body: () => ({
      budget: {
        charges: [{ account: '64', label: 'Salaires', amountCents: 100 }],
        products: [{ account: '75', label: 'Fonds propres', amountCents: 100 }],
      },
      beneficiaries: { total: 10, qpvResidents: 8, women: 5, men: 5, byAge: {} },
      achievements: 'Dix personnes accompagnées.',
    }),
  },
  'POST /api/v1/applications/:id/report/submit': { expect: OWNER_WRITE },
  'GET /api/v1/applications/:id/report': { expect: READERS },
  'POST /api/v1/applications/:id/report/accept': { expect: CITY },
  'POST /api/v1/applications/:id/report/return': { expect: CITY, body: () => ({}) },
  'POST /api/v1/applications/:id/convention/signatures': { expect: CITY, body: () => ({}) },
  'GET /api/v1/applications/:id/convention/signatures': { expect: READERS },
  'PUT /api/v1/applications/:id/convention/signed-copy': { expect: CITY, multipart: true },
  'GET /api/v1/applications/:id/convention/signed-copy': { expect: READERS },
  'GET /api/v1/applications/:id/payments': { expect: READERS },
  'GET /api/v1/payments': { expect: CITY_FIN },
  'GET /api/v1/campaigns/:id/evaluation': { expect: CITY_FIN },
  'GET /api/v1/campaigns/:id/evaluation.csv': { expect: CITY_FIN },
  // The financers pass the guard; the service then answers 404 for a payment that is not their partner's.
  'POST /api/v1/applications/:id/payments/:paymentId/paid': {
    expect: CITY_FIN,
    path: (f) => `/api/v1/applications/${f.appId}/payments/00000000-0000-4000-8000-000000000000/paid`,
    body: () => ({}),
  },
  'POST /api/v1/campaigns/:id/reminders/run': { expect: CITY },
  'GET /api/v1/audit': { expect: CITY },
  'GET /api/v1/notifications': { expect: CITY },
  'POST /api/v1/notifications/:id/resend': {
    expect: CITY,
    path: (f) => `/api/v1/notifications/${f.notificationId}/resend`,
  },
  'GET /api/v1/jobs/failed': { expect: CITY },
  'GET /api/v1/national/summary': {
    expect: [401, 403, 403, 403, 403, 403, 'ok'],
    path: () => '/api/v1/national/summary?year=2027',
  },
  'POST /api/v1/auth/password': {
    expect: [401, 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'], // a wrong current password: 422, nothing changes
    body: () => ({ currentPassword: 'pas-le-bon-mot-de-passe', newPassword: 'Un nouveau mot de passe 2027' }),
  },
  'POST /api/v1/users/:id/disable': {
    expect: CITY,
    path: (f) => `/api/v1/users/${f.disposableUserId}/disable`,
  },
  // Links sent by e-mail: public, a made-up token is refused by the business rule (422), not by authorization.
  'POST /api/v1/auth/password-reset': { expect: PUBLIC, body: () => ({ email: 'nobody@example.org' }) },
  'POST /api/v1/auth/password-reset/confirm': {
    expect: PUBLIC,
    body: () => ({ token: 'not-a-token', newPassword: 'Un nouveau mot de passe 2027' }),
  },
  'POST /api/v1/auth/confirm-email': { expect: PUBLIC, body: () => ({ token: 'not-a-token' }) },
  'POST /api/v1/auth/confirm-email/resend': { expect: [401, 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'] },
  'POST /api/v1/auth/accept-invitation': {
    expect: PUBLIC,
    body: () => ({ token: 'not-a-token', displayName: 'Inès', password: 'Un nouveau mot de passe 2027' }),
  },
  'GET /api/v1/organizations/mine': { expect: ASSOCIATIONS },
  'PATCH /api/v1/organizations/mine': {
    expect: ASSOCIATIONS,
    body: () => ({ address: '3 place Émile Loubet, 26200 Montélimar' }),
  },
  'GET /api/v1/organizations/mine/join-requests': { expect: ASSOCIATIONS },
  // The owner's organisation has a request: its member answers it, another association's finds nothing.
  'POST /api/v1/organizations/mine/join-requests/:id/accept': {
    expect: OWNER_WRITE,
    path: (f) => `/api/v1/organizations/mine/join-requests/${f.joinRequestId}/accept`,
  },
  'POST /api/v1/organizations/mine/join-requests/:id/refuse': {
    expect: OWNER_WRITE, // answered already: 409
    path: (f) => `/api/v1/organizations/mine/join-requests/${f.joinRequestId}/refuse`,
  },
  'POST /api/v1/organizations/mine/invitations': {
    expect: ASSOCIATIONS,
    body: () => ({ email: `invitee-${Math.random().toString(36).slice(2)}@example.org` }),
  },
  'GET /api/v1/organizations': { expect: CITY },
  'GET /api/v1/organizations/:id/join-requests': {
    expect: CITY,
    path: (f) => `/api/v1/organizations/${f.ownerOrganizationId}/join-requests`,
  },
  'POST /api/v1/organizations/:id/join-requests/:requestId/accept': {
    expect: CITY,
    path: (f) => `/api/v1/organizations/${f.ownerOrganizationId}/join-requests/${f.joinRequestId}/accept`,
  },
  'POST /api/v1/organizations/:id/join-requests/:requestId/refuse': {
    expect: CITY,
    path: (f) => `/api/v1/organizations/${f.ownerOrganizationId}/join-requests/${f.joinRequestId}/refuse`,
  },
  'POST /api/v1/organizations/:id/suspend': {
    expect: CITY,
    path: (f) => `/api/v1/organizations/${f.disposableOrganizationId}/suspend`,
    body: () => ({ reason: 'Inscrite par une personne qui ne la représente pas.' }),
  },
  'POST /api/v1/organizations/:id/reinstate': {
    expect: CITY,
    path: (f) => `/api/v1/organizations/${f.disposableOrganizationId}/reinstate`,
  },
  // Last: signing out closes each role's session, so every route above used live tokens.
  'POST /api/v1/auth/logout': { expect: [401, 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'] },
};

/** Someone registers the organisation again (its SIRET): a request to join it. */
async function requestToJoin(t: TestApp, organizationId: string): Promise<string> {
  const [organization] = await t.dataSource.query('SELECT siret FROM organizations WHERE id = $1', [
    organizationId,
  ]);
  const response = await t
    .http()
    .post('/api/v1/auth/register')
    .send({
      email: `joiner-${Math.random().toString(36).slice(2)}@example.org`,
      password: 'un-mot-de-passe-long',
      displayName: 'Bénévole',
      organization: {
        name: 'Même structure',
        legalForm: 'Association loi 1901',
        siret: organization.siret,
        address: 'x',
        legalRepresentative: 'y',
        contactEmail: 'contact@example.org',
      },
    })
    .expect(202);
  return response.body.joinRequestId;
}

describe('authorization matrix', () => {
  let t: TestApp;
  let fixture: Fixture;
  const tokens = new Map<RoleName, string | undefined>();

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await loginAdmin(t);
    const { id: campaignId } = await createCampaign(t);
    const owner: Account = await registerAssociation(t, 'Propriétaire');
    const other: Account = await registerAssociation(t, 'Autre association');
    const askedFinancer = await createStaffUser(t, 'FINANCER', 'E');
    const otherFinancer = await createStaffUser(t, 'FINANCER', 'CAF');
    const appId = await createEligibleApplication(t, owner.token, admin, campaignId);
    const conflictAppId = await createEligibleApplication(t, owner.token, admin, campaignId);
    const [attachment] = await t.dataSource.query(
      'SELECT id FROM attachments WHERE application_id = $1 LIMIT 1',
      [appId],
    );
    // What follows a grant, so that its readers can be told apart from the others.
    const [partnerE] = await t.dataSource.query(
      `SELECT p.id FROM partners p WHERE p.code = 'E' AND p.contract_id = (SELECT contract_id FROM grant_applications WHERE id = $1)`,
      [appId],
    );
    await t.dataSource.query(
      `INSERT INTO decisions (application_id, partner_id, campaign_id, granted_cents, decided_by) VALUES ($1, $2, $3, 100, $4)`,
      [appId, partnerE.id, campaignId, askedFinancer.userId],
    );
    await t.dataSource.query(
      `INSERT INTO conventions (application_id, number, issued_on, signed_copy_sha256, signed_copy_uploaded_at)
       SELECT $1, 'CONV-TEST', '2027-03-25', sha256, now() FROM attachments WHERE application_id = $1 LIMIT 1`,
      [appId],
    );
    await t.dataSource.query(
      `INSERT INTO reports (application_id, budget, beneficiaries, achievements) VALUES ($1, '{"charges":[],"products":[]}', '{"total":0,"qpvResidents":0,"women":0,"men":0,"byAge":{}}', 'x')`,
      [appId],
    );
    const [notification] = await t.dataSource.query(
      `INSERT INTO notifications (type, to_address, payload, dedupe_key, status, contract_id, application_id)
       SELECT 'APPLICATION_RETURNED', 'x@example.org', '{}', 'matrix', 'FAILED', contract_id, id FROM grant_applications WHERE id = $1 RETURNING id`,
      [appId],
    );
    fixture = {
      campaignId,
      appId,
      conflictAppId,
      attachmentId: attachment.id,
      notificationId: notification.id,
      stakeId: (await stakeOf(t, owner.token, 'EMP')).stakeId,
      disposableUserId: (await createStaffUser(t, 'FINANCER', 'CD')).userId,
      ownerOrganizationId: owner.organizationId!,
      joinRequestId: await requestToJoin(t, owner.organizationId!),
      disposableOrganizationId: (await registerAssociation(t, 'Structure à suspendre')).organizationId!,
    };
    tokens.set('anonymous', undefined);
    tokens.set('owner', owner.token);
    tokens.set('otherAssociation', other.token);
    tokens.set('askedFinancer', askedFinancer.token);
    tokens.set('otherFinancer', otherFinancer.token);
    tokens.set('cityTeam', admin);
    await ensureNationalUser(t.dataSource, NATIONAL);
    tokens.set('national', await login(t, NATIONAL.email, NATIONAL.password));
  });
  afterAll(async () => {
    await t.close();
  });

  it('has an entry for every route the application serves', () => {
    const router = t.app.getHttpAdapter().getInstance().router;
    const served = (router.stack as { route?: { path: string; methods: Record<string, boolean> } }[])
      .filter((layer) => layer.route?.path.startsWith('/api/v1'))
      .flatMap((layer) =>
        Object.keys(layer.route!.methods).map((method) => `${method.toUpperCase()} ${layer.route!.path}`),
      );
    expect(served.filter((route) => !MATRIX[route])).toEqual([]);
    expect(Object.keys(MATRIX).filter((route) => !served.includes(route))).toEqual([]);
  });

  it('documents as public (no security) exactly the routes an anonymous caller may use', async () => {
    const document = (await t.http().get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
    };
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => ({
        route: `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
        operation,
      })),
    );
    // Public: what an anonymous caller reaches, and the login (whose 401 answers wrong credentials).
    const publicRoutes = Object.entries(MATRIX)
      .filter(([route, entry]) => entry.expect[0] !== 401 || route === 'POST /api/v1/auth/login')
      .map(([route]) => route)
      .sort();
    expect(
      documented
        .filter(({ operation }) => operation.security?.length === 0)
        .map(({ route }) => route)
        .sort(),
    ).toEqual(publicRoutes);
    // Every operation documents its error answers in the contract's shape.
    for (const { route, operation } of documented) {
      expect({
        route,
        errors: Object.keys(operation.responses).some((code) => code.startsWith('4')),
      }).toEqual({
        route,
        errors: true,
      });
    }
  });

  it.each(Object.keys(MATRIX))('%s answers each role as it should', async (route) => {
    const entry = MATRIX[route];
    const [method, template] = route.split(' ');
    const path = entry.path
      ? entry.path(fixture)
      : template.replace(
          ':id',
          template.startsWith('/api/v1/campaigns') ? fixture.campaignId : fixture.appId,
        );
    const seen: Record<string, Outcome | number> = {};
    const wanted: Record<string, Outcome> = {};
    for (const [index, role] of ROLES.entries()) {
      const token = tokens.get(role);
      let request = t.http()[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch'](path);
      if (token) request = request.set('authorization', `Bearer ${token}`);
      const response = entry.multipart
        ? await request.field('kind', 'OTHER').attach('file', PDF_BYTES, 'autre.pdf')
        : await request.send(entry.body ? entry.body(fixture) : undefined);
      const status = response.status;
      seen[role] = [401, 403, 404].includes(status) ? (status as Outcome) : status >= 500 ? status : 'ok';
      wanted[role] = entry.expect[index];
    }
    expect(seen).toEqual(wanted);
  });
});
