import argon2 from 'argon2';
import { createTestApp, login, loginAdmin, TestApp } from './support/test-app.js';
import { createCampaign } from './factories/campaign.factory.js';
import { Account, createStaffUser, registerAssociation } from './factories/account.factory.js';
import {
  applicationBody,
  CERTIFICATION,
  createEligibleApplication,
  createReadyDraft,
  stakeOf,
} from './factories/application.factory.js';

interface AuditItem {
  tableName: string;
  rowId: string;
  operation: string;
  actor: { id: string; email: string } | null;
  requestId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

describe('audit trail', () => {
  let t: TestApp;
  let admin: string;
  let adminId: string;
  let asso: Account;
  let campaignId: string;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const trail = async (token: string, query: string): Promise<AuditItem[]> =>
    (await t.http().get(`/api/v1/audit?${query}`).set(auth(token)).expect(200)).body.items.reverse();

  beforeAll(async () => {
    t = await createTestApp();
    admin = await loginAdmin(t);
    adminId = (await t.http().get('/api/v1/auth/me').set(auth(admin)).expect(200)).body.id;
    asso = await registerAssociation(t);
    campaignId = (await createCampaign(t)).id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('records every status change and decision with who, when, before and after', async () => {
    const draft = await createReadyDraft(t, asso.token, campaignId);
    const submit = await t
      .http()
      .post(`/api/v1/applications/${draft.id}/submit`)
      .set(auth(asso.token))
      .set('x-request-id', 'audit-submit-1')
      .send(CERTIFICATION)
      .expect(200);
    expect(submit.body.status).toBe('SUBMITTED');
    await t
      .http()
      .post(`/api/v1/applications/${draft.id}/eligibility`)
      .set(auth(admin))
      .send({ eligible: true })
      .expect(200);
    await t.http().post(`/api/v1/campaigns/${campaignId}/close-submissions`).set(auth(admin)).expect(200);
    // A decision, then a change of it.
    for (const granted of [5_000_00, 6_000_00]) {
      await t
        .http()
        .put(`/api/v1/applications/${draft.id}/decisions`)
        .set(auth(admin))
        .send({
          decisions: [
            { partnerCode: 'E', grantedAmountCents: 8_000_00 },
            { partnerCode: 'V', grantedAmountCents: granted, reason: 'Enveloppe contrainte.' },
          ],
        })
        .expect(200);
    }

    const events = await trail(admin, `tableName=grant_applications&rowId=${draft.id}`);
    const statuses = events
      .filter((event) => event.after && 'status' in event.after)
      .map((event) => [event.before?.status ?? null, event.after!.status, event.actor?.email]);
    expect(statuses).toEqual([
      [null, 'DRAFT', asso.email],
      ['DRAFT', 'SUBMITTED', asso.email],
      ['SUBMITTED', 'ELIGIBLE', expect.stringContaining('@')],
      ['ELIGIBLE', 'PROGRAMMED', expect.stringContaining('@')],
    ]);
    expect(statuses[2][2]).not.toBe(asso.email);
    // The submission's request wrote the status and the certified content in one change, under its request id.
    const submission = events.filter((event) => event.requestId === 'audit-submit-1');
    expect(submission.map((event) => event.after)).toEqual([
      expect.objectContaining({
        status: 'SUBMITTED',
        submitted_at: expect.any(String),
        certification: expect.objectContaining({ signatoryName: expect.any(String) }),
      }),
    ]);
    // The reference the database gave at commit is recorded too.
    expect(events.some((event) => event.after?.reference === draft.reference)).toBe(true);

    const grants = await trail(admin, 'tableName=decisions');
    const rows = new Set(
      grants.filter((event) => event.after?.application_id === draft.id).map((event) => event.rowId),
    );
    const ours = grants.filter((event) => rows.has(event.rowId));
    expect(ours.map((event) => event.operation)).toEqual(['INSERT', 'INSERT', 'UPDATE']);
    expect(ours.every((event) => event.actor?.id === adminId)).toBe(true);
    const ville = ours.find((event) => event.after?.partner_id && event.after.granted_cents === 500000)!;
    const change = ours[2];
    expect(change.rowId).toBe(ville.rowId);
    expect(change.before).toEqual({ granted_cents: 500000, decided_at: expect.any(String) });
    expect(change.after).toEqual({ granted_cents: 600000, decided_at: expect.any(String) });
  });

  it('names the user who wrote, on a write of every audited table through its route', async () => {
    const [{ since }] = (await t.dataSource.query(
      'SELECT coalesce(max(id), 0)::text AS since FROM audit_events',
    )) as { since: string }[];
    const { id: campaign } = await createCampaign(t); // campaigns, envelopes
    const holder = await registerAssociation(t, 'Association auditée'); // organizations, users
    const reviewed = await createEligibleApplication(t, holder.token, admin, campaign); // grant_applications
    const conflicted = await createEligibleApplication(t, holder.token, admin, campaign);
    const financer = await createStaffUser(t, 'FINANCER', 'E'); // users, created by the city team
    await t.http().post(`/api/v1/campaigns/${campaign}/close-submissions`).set(auth(admin)).expect(200);
    await t
      .http()
      .put(`/api/v1/applications/${reviewed}/reviews/E`)
      .set(auth(financer.token))
      .send({ final: false, comment: 'Premier regard.' })
      .expect(200); // reviews
    await t
      .http()
      .post(`/api/v1/applications/${conflicted}/conflicts-of-interest`)
      .set(auth(financer.token))
      .send({ reason: 'Membre du bureau' })
      .expect(201); // conflict_declarations
    await t.http().patch('/api/v1/partners/CR').set(auth(admin)).send({ name: 'Région AURA' }).expect(200); // partners
    for (const [id, granted] of [
      [reviewed, 1_000_00],
      [conflicted, 0],
    ] as const)
      await t
        .http()
        .put(`/api/v1/applications/${id}/decisions`)
        .set(auth(admin))
        .send({
          decisions: ['E', 'V'].map((partnerCode) => ({
            partnerCode,
            grantedAmountCents: granted,
            reason: 'Décision du COPIL.',
          })),
        })
        .expect(200); // decisions
    await t.http().post(`/api/v1/campaigns/${campaign}/close-programming`).set(auth(admin)).expect(200); // conventions
    await t.http().post(`/api/v1/applications/${reviewed}/convention`).set(auth(admin)).expect(202); // conventions again
    await t
      .http()
      .put(`/api/v1/applications/${reviewed}/report`)
      .set(auth(holder.token))
      .send({
        budget: {
          charges: [{ account: '64', label: 'Salaires', amountCents: 100 }],
          products: [{ account: '75', label: 'Fonds propres', amountCents: 100 }],
        },
        beneficiaries: { total: 10, qpvResidents: 8, women: 5, men: 5, byAge: {} },
        achievements: 'Dix personnes accompagnées.',
      })
      .expect(200); // reports

    // Read in the table itself: organisations and users belong to no contract, so no city team's trail lists them.
    const written = async (table: string, rowId: string): Promise<(string | null)[]> =>
      (
        (await t.dataSource.query(
          'SELECT actor_id FROM audit_events WHERE table_name = $1 AND row_id = $2 AND id > $3 ORDER BY id',
          [table, rowId, since],
        )) as { actor_id: string | null }[]
      ).map((event) => event.actor_id);
    const one = async (sql: string, parameters: unknown[]) =>
      ((await t.dataSource.query(sql, parameters)) as { id: string }[])[0].id;
    const financerRow = financer.userId;
    const holderUser = holder.userId;
    const expected: [string, string, string[]][] = [
      ['campaigns', campaign, [adminId]],
      [
        'envelopes',
        await one('SELECT id FROM envelopes WHERE campaign_id = $1 LIMIT 1', [campaign]),
        [adminId],
      ],
      ['organizations', holder.organizationId!, [holderUser]],
      ['users', holderUser, [holderUser]],
      ['users', financerRow, [adminId]],
      ['grant_applications', reviewed, [holderUser, adminId]],
      ['reviews', await one('SELECT id FROM reviews WHERE application_id = $1', [reviewed]), [financerRow]],
      [
        'conflict_declarations',
        await one('SELECT id FROM conflict_declarations WHERE application_id = $1', [conflicted]),
        [financerRow],
      ],
      ['partners', await one(`SELECT id FROM partners WHERE code = 'CR' LIMIT 1`, []), [adminId]],
      [
        'decisions',
        await one('SELECT id FROM decisions WHERE application_id = $1 LIMIT 1', [reviewed]),
        [adminId],
      ],
      [
        'conventions',
        await one('SELECT id FROM conventions WHERE application_id = $1', [reviewed]),
        [adminId],
      ],
      ['reports', await one('SELECT id FROM reports WHERE application_id = $1', [reviewed]), [holderUser]],
    ];
    for (const [table, rowId, actors] of expected) {
      const seen = await written(table, rowId);
      expect({ table, written: seen.length > 0 }).toEqual({ table, written: true });
      expect({ table, actors: [...new Set(seen)].sort() }).toEqual({ table, actors: [...actors].sort() });
    }
  });

  it('stamps each change of one request with the statement’s clock, in the order it happened', async () => {
    const { id: campaign } = await createCampaign(t, { body: { year: 2035 } });
    const holder = await registerAssociation(t, 'Association horodatée');
    const id = await createEligibleApplication(t, holder.token, admin, campaign);
    await t.http().post(`/api/v1/campaigns/${campaign}/close-submissions`).set(auth(admin)).expect(200);
    await t
      .http()
      .put(`/api/v1/applications/${id}/decisions`)
      .set(auth(admin))
      .set('x-request-id', 'audit-clock-1')
      .send({
        decisions: [
          { partnerCode: 'E', grantedAmountCents: 2_000_00, reason: 'Accord partiel.' },
          { partnerCode: 'V', grantedAmountCents: 3_000_00, reason: 'Accord partiel.' },
        ],
      })
      .expect(200);
    const stamps = (
      (await t.dataSource.query(
        `SELECT occurred_at FROM audit_events WHERE request_id = 'audit-clock-1' ORDER BY id`,
      )) as { occurred_at: Date }[]
    ).map((row) => row.occurred_at.getTime());
    expect(stamps.length).toBeGreaterThanOrEqual(3); // two decisions and the application's status
    // One transaction, yet each change has its own instant (the transaction's clock would give one for all).
    expect(new Set(stamps).size).toBe(stamps.length);
    expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);
    const decided = (await t.dataSource.query(
      'SELECT decided_at FROM decisions WHERE application_id = $1 ORDER BY decided_at',
      [id],
    )) as { decided_at: Date }[];
    expect(decided[0].decided_at.getTime()).toBeLessThan(decided[1].decided_at.getTime());
  });

  it('records nothing for a refused request', async () => {
    const before = (await t.dataSource.query('SELECT count(*)::int AS n FROM audit_events'))[0].n;
    const draft = await t
      .http()
      .post(`/api/v1/campaigns/${campaignId}/applications`)
      .set(auth(asso.token))
      .send(applicationBody(await stakeOf(t, asso.token, 'EMP')))
      .expect(409); // the campaign is closed to submissions now
    expect(draft.body.details[0].code).toBe('CAMPAIGN_NOT_OPEN');
    expect((await t.dataSource.query('SELECT count(*)::int AS n FROM audit_events'))[0].n).toBe(before);
  });

  it('cannot be altered: no write route, and the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    for (const method of ['post', 'put', 'patch', 'delete'] as const) {
      const response = await t.http()[method]('/api/v1/audit').set(auth(admin)).send({});
      expect(response.status).toBe(404);
    }
    for (const sql of [
      `UPDATE audit_events SET actor_id = NULL`,
      `DELETE FROM audit_events`,
      `TRUNCATE audit_events`,
    ]) {
      await expect(t.dataSource.query(sql)).rejects.toThrow(/append-only/);
    }
    expect((await t.dataSource.query('SELECT count(*)::int AS n FROM audit_events'))[0].n).toBeGreaterThan(0);
  });

  it('shows each city team only its own contract, and leaves password hashes out', async () => {
    const [other] = await t.dataSource.query(
      `INSERT INTO contracts (code, name, territory, period_start, period_end)
       VALUES ('CN99999Z', 'Contrat de ville de test', 'Ailleurs', '2024-01-01', '2030-12-31') RETURNING id`,
    );
    const email = 'equipe@ailleurs.example.fr';
    await t.dataSource.query(
      `INSERT INTO users (email, password_hash, display_name, role, contract_id) VALUES ($1, $2, 'Équipe', 'CITY_TEAM', $3)`,
      [email, await argon2.hash('mot-de-passe-ailleurs-42'), other.id],
    );
    const stranger = await login(t, email, 'mot-de-passe-ailleurs-42');
    const theirs = await trail(stranger, 'limit=500');
    expect(theirs.every((event) => event.tableName === 'users' || event.tableName === 'contracts')).toBe(
      true,
    );
    expect(theirs.some((event) => event.rowId === campaignId)).toBe(false);
    const ours = await trail(admin, 'tableName=users&limit=500');
    expect(ours.length).toBeGreaterThan(0);
    expect(JSON.stringify(ours)).not.toMatch(/password_hash|argon2/);
  });
});
