import { createTestApp, login, TestApp } from './support/test-app.js';
import { DEMO_NATIONAL_EMAIL, DEMO_PASSWORD, seedDemo } from '../seeds/demo/demo-seed.js';

describe('demo data (npm run seed:demo)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('loads an open campaign with envelopes, three associations and applications in several states, once', async () => {
    const lines: string[] = [];
    await seedDemo(t.app, (line) => lines.push(line));
    await seedDemo(t.app, (line) => lines.push(line));
    expect(lines.at(-1)).toBe('Demo data already there: nothing to do.');

    const campaigns = await t.dataSource.query(
      "SELECT id, status FROM campaigns WHERE title LIKE '%(démonstration)' ORDER BY status",
    );
    // The call of next year, open; a complementary call of this year in review, for the financers' desk; this
    // year's call programmed, for the follow-up after the COPIL.
    expect(campaigns).toEqual([
      { id: expect.any(String), status: 'OPEN' },
      { id: expect.any(String), status: 'PROGRAMMED' },
      { id: expect.any(String), status: 'REVIEW' },
    ]);
    const inReview = await t.dataSource.query(
      'SELECT status, count(*)::int AS n FROM grant_applications WHERE campaign_id = $1 GROUP BY status',
      [campaigns[2].id],
    );
    expect(inReview).toEqual([{ status: 'ELIGIBLE', n: 2 }]);
    const envelopes = await t.dataSource.query(
      'SELECT count(*)::int AS n FROM envelopes WHERE campaign_id = $1',
      [campaigns[0].id],
    );
    expect(envelopes[0].n).toBe(7);
    const statuses = await t.dataSource.query(
      'SELECT status, count(*)::int AS n FROM grant_applications WHERE campaign_id = $1 GROUP BY status ORDER BY status',
      [campaigns[0].id],
    );
    expect(statuses).toEqual([
      { status: 'DRAFT', n: 1 },
      { status: 'ELIGIBLE', n: 1 },
      { status: 'RETURNED', n: 1 },
      { status: 'SUBMITTED', n: 2 },
    ]);
    // After the COPIL: both conventions signed by every party, the advances paid; one report accepted (its
    // balances due: the actual cost is the planned one, so each balance is the grant less its advance), one
    // waiting for the city team.
    const programmed = campaigns[1].id;
    const signed = await t.dataSource.query(
      `SELECT c.status, c.signed_on IS NOT NULL AS signed, count(*)::int AS n FROM conventions c
         JOIN grant_applications a ON a.id = c.application_id WHERE a.campaign_id = $1 GROUP BY 1, 2`,
      [programmed],
    );
    expect(signed).toEqual([{ status: 'READY', signed: true, n: 2 }]);
    const money = await t.dataSource.query(
      `SELECT p.kind, p.status, k.code, p.amount_cents::int AS cents FROM payments p
         JOIN partners k ON k.id = p.partner_id JOIN grant_applications a ON a.id = p.application_id
        WHERE a.campaign_id = $1 ORDER BY a.title, p.kind, k.code`,
      [programmed],
    );
    expect(money).toEqual([
      { kind: 'ADVANCE', status: 'PAID', code: 'E', cents: 2_135_00 },
      { kind: 'ADVANCE', status: 'PAID', code: 'V', cents: 1_500_00 },
      { kind: 'BALANCE', status: 'DUE', code: 'E', cents: 2_135_00 },
      { kind: 'BALANCE', status: 'DUE', code: 'V', cents: 1_500_00 },
      { kind: 'ADVANCE', status: 'PAID', code: 'CAF', cents: 2_500_00 },
      { kind: 'ADVANCE', status: 'PAID', code: 'V', cents: 2_000_00 },
    ]);
    const reportStates = await t.dataSource.query(
      `SELECT r.status FROM reports r JOIN grant_applications a ON a.id = r.application_id
        WHERE a.campaign_id = $1 ORDER BY a.title`,
      [programmed],
    );
    expect(reportStates).toEqual([{ status: 'ACCEPTED' }, { status: 'SUBMITTED' }]);

    const organizations = await t.dataSource.query(
      'SELECT count(DISTINCT organization_id)::int AS n FROM grant_applications',
    );
    expect(organizations[0].n).toBe(3);
    // The submitted ones passed the real checks: no blocking failure stored.
    const blocking = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM grant_applications, jsonb_array_elements(checks) c WHERE (c->>'blocking')::boolean`,
    );
    expect(blocking[0].n).toBe(0);

    // Each step is recorded as taken by its user, as through the API (a registration by the user it creates):
    // nothing is the system's but the seeds' referential and first user, the national account (the
    // operator's) and the conventions' rendering (the worker's).
    const unattributed = await t.dataSource.query(
      `SELECT table_name AS "table", operation, count(*)::int AS n FROM audit_events WHERE actor_id IS NULL
        GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(
      unattributed.map((row: { table: string; operation: string }) => `${row.table} ${row.operation}`),
    ).toEqual([
      'conventions UPDATE', // the rendering of each convention, the worker's job
      'partners INSERT', // the referential's seed
      'users INSERT',
    ]);
    const createdByHolder = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events e JOIN grant_applications a ON a.id::text = e.row_id::text
         JOIN users u ON u.id = e.actor_id AND u.organization_id = a.organization_id
        WHERE e.table_name = 'grant_applications' AND e.operation = 'INSERT'`,
    );
    expect(createdByHolder[0].n).toBe(9);

    // The national agency's demo account sees the campaign in its year's sums: the eligible and the two
    // submitted applications (the draft and the returned one are not counted).
    const national = await login(t, DEMO_NATIONAL_EMAIL, DEMO_PASSWORD);
    const [{ year }] = await t.dataSource.query('SELECT year FROM campaigns WHERE id = $1', [
      campaigns[0].id,
    ]);
    const summary = await t
      .http()
      .get(`/api/v1/national/summary?year=${year}`)
      .set('authorization', `Bearer ${national}`)
      .expect(200);
    expect(summary.body).toMatchObject({ year, contracts: 1, applications: 3, grantedCents: 0 });
  });
});
