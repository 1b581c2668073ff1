import { readFileSync } from 'node:fs';
import { createTestApp, login, loginAdmin, TestApp } from './support/test-app.js';
import { tableSchemaProblems } from './support/table-schema.js';
import { seedDemo, DEMO_PASSWORD } from '../seeds/demo/demo-seed.js';
import { parseCsv } from '../src/common/csv.js';
import { createCampaign } from './factories/campaign.factory.js';
import { makeSiret, registerAssociation } from './factories/account.factory.js';
import { CERTIFICATION, createReadyDraft } from './factories/application.factory.js';

const SCDL_SCHEMA = JSON.parse(
  readFileSync(new URL('../seeds/data/scdl_subventions_schema_2.1.1.json', import.meta.url), 'utf8'),
) as { fields: { name: string; type: string }[] };

describe('COPIL over the demo campaign', () => {
  let t: TestApp;
  let admin: string;
  let campaignId: string;
  const ref = new Map<string, string>(); // reference → id
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const decide = (reference: string, decisions: object[], copilNote?: string) =>
    t
      .http()
      .put(`/api/v1/applications/${ref.get(reference)}/decisions`)
      .set(auth(admin))
      .send({ decisions, ...(copilNote ? { copilNote } : {}) });

  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t.app, () => undefined);
    admin = await loginAdmin(t);
    const campaigns = await t.http().get('/api/v1/campaigns').set(auth(admin)).expect(200);
    campaignId = campaigns.body.items.find((campaign: { title: string }) =>
      campaign.title.includes('démonstration'),
    ).id;
    const apps = await t
      .http()
      .get(`/api/v1/applications?campaignId=${campaignId}`)
      .set(auth(admin))
      .expect(200);
    for (const app of apps.body.items) ref.set(app.reference.slice(5), app.id); // "EDU-0001" → id
    for (const reference of ['EDU-0001', 'SOL-0005']) {
      await t
        .http()
        .post(`/api/v1/applications/${ref.get(reference)}/eligibility`)
        .set(auth(admin))
        .send({ eligible: true })
        .expect(200);
    }
    await t.http().post(`/api/v1/campaigns/${campaignId}/close-submissions`).set(auth(admin)).expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses bad decisions with 422, all reported, and changes nothing', async () => {
    const above = await decide('EDU-0001', [
      { partnerCode: 'CAF', grantedAmountCents: 9_000_01 },
      { partnerCode: 'V', grantedAmountCents: 1_000_00 },
    ]).expect(422);
    expect(above.body.details.map((d: { code: string }) => d.code)).toEqual([
      'GRANT_ABOVE_REQUEST',
      'REASON_REQUIRED',
    ]);
    const incomplete = await decide('EDU-0001', [
      { partnerCode: 'CAF', grantedAmountCents: 9_000_00 },
    ]).expect(422);
    expect(incomplete.body.details[0].code).toBe('DECISIONS_INCOMPLETE');
    const stranger = await decide('EDU-0001', [
      { partnerCode: 'CAF', grantedAmountCents: 9_000_00 },
      { partnerCode: 'V', grantedAmountCents: 6_000_00 },
      { partnerCode: 'CR', grantedAmountCents: 0, reason: 'x' },
    ]).expect(422);
    expect(stranger.body.details[0].code).toBe('PARTNER_NOT_REQUESTED');
    const notEligible = await decide('SEC-0004', [
      { partnerCode: 'E', grantedAmountCents: 0, reason: 'x' },
      { partnerCode: 'V', grantedAmountCents: 0, reason: 'x' },
    ]).expect(409);
    expect(notEligible.body.details[0].code).toBe('APPLICATION_NOT_DECIDABLE');
    const decided = await t.dataSource.query(
      'SELECT count(*)::int AS n FROM decisions WHERE campaign_id = $1',
      [campaignId],
    );
    expect(decided[0].n).toBe(0);
  });

  it('records the decisions, programs what is funded and lets the holder read the reasons', async () => {
    const edu = await decide(
      'EDU-0001',
      [
        { partnerCode: 'CAF', grantedAmountCents: 9_000_00 },
        {
          partnerCode: 'V',
          grantedAmountCents: 5_000_00,
          reason: 'Enveloppe municipale contrainte cette année.',
        },
      ],
      'Action reconduite, à suivre au bilan.',
    ).expect(200);
    expect(edu.body).toMatchObject({
      status: 'PROGRAMMED',
      copilNote: 'Action reconduite, à suivre au bilan.',
    });
    await decide('EMP-0003', [
      { partnerCode: 'E', grantedAmountCents: 12_000_00 },
      { partnerCode: 'V', grantedAmountCents: 8_000_00 },
      { partnerCode: 'CD', grantedAmountCents: 0, reason: 'Hors des lignes d’insertion du Département.' },
    ]).expect(200);
    await decide('SOL-0005', [
      { partnerCode: 'CAF', grantedAmountCents: 5_000_00 },
      { partnerCode: 'V', grantedAmountCents: 5_000_00 },
      { partnerCode: 'E', grantedAmountCents: 4_000_00 },
    ]).expect(200);

    const holder = await login(t, 'pracomtal@demo.contrat-de-ville.fr', DEMO_PASSWORD);
    const seen = await t
      .http()
      .get(`/api/v1/applications/${ref.get('EDU-0001')}`)
      .set(auth(holder))
      .expect(200);
    expect(seen.body.status).toBe('PROGRAMMED');
    expect(seen.body.decisions).toEqual([
      expect.objectContaining({
        partnerCode: 'CAF',
        requestedCents: 9_000_00,
        grantedAmountCents: 9_000_00,
        reason: null,
      }),
      expect.objectContaining({
        partnerCode: 'V',
        requestedCents: 6_000_00,
        grantedAmountCents: 5_000_00,
        reason: 'Enveloppe municipale contrainte cette année.',
      }),
    ]);
    expect(seen.body.copilNote).toBe('Action reconduite, à suivre au bilan.');
  });

  it('computes the programming table to the cent', async () => {
    const table = (
      await t.http().get(`/api/v1/campaigns/${campaignId}/programming`).set(auth(admin)).expect(200)
    ).body;
    const row = (partner: string, theme: string | null) =>
      table.byThemeAndFinancer.find(
        (r: { partnerCode: string; themeCode: string | null }) =>
          r.partnerCode === partner && r.themeCode === theme,
      );
    expect(row('E', 'EMP')).toEqual({
      themeCode: 'EMP',
      partnerCode: 'E',
      envelopeCents: 60_000_00,
      requestedCents: 12_000_00,
      proposedCents: 0,
      grantedCents: 12_000_00,
      drawnFromThemeCents: 12_000_00,
      drawnFromAllThemesCents: 0,
      remainingCents: 48_000_00,
    });
    expect(row('E', 'SOL')).toMatchObject({
      envelopeCents: 0,
      requestedCents: 4_000_00,
      grantedCents: 4_000_00,
      drawnFromAllThemesCents: 4_000_00,
      remainingCents: 0,
    });
    expect(row('E', null)).toMatchObject({
      envelopeCents: 120_000_00,
      grantedCents: 4_000_00,
      remainingCents: 116_000_00,
    });
    expect(row('V', null)).toMatchObject({
      envelopeCents: 150_000_00,
      grantedCents: 18_000_00,
      remainingCents: 132_000_00,
    });
    expect(row('V', 'EDU')).toMatchObject({
      requestedCents: 6_000_00,
      grantedCents: 5_000_00,
      drawnFromAllThemesCents: 5_000_00,
    });
    expect(row('CAF', 'EDU')).toMatchObject({
      envelopeCents: 50_000_00,
      requestedCents: 9_000_00,
      grantedCents: 9_000_00,
      remainingCents: 41_000_00,
    });
    expect(row('CAF', 'SOL')).toMatchObject({
      envelopeCents: 30_000_00,
      grantedCents: 5_000_00,
      remainingCents: 25_000_00,
    });
    expect(row('CD', 'EMP')).toMatchObject({ requestedCents: 5_000_00, grantedCents: 0 });
    expect(row('CD', null)).toMatchObject({
      envelopeCents: 40_000_00,
      grantedCents: 0,
      remainingCents: 40_000_00,
    });
    expect(row('AGG', 'CDV')).toMatchObject({
      envelopeCents: 25_000_00,
      requestedCents: 0,
      remainingCents: 25_000_00,
    });
    expect(table.totals).toEqual({
      requestedCents: 54_000_00,
      proposedCents: 0,
      grantedCents: 48_000_00,
      envelopeCents: 475_000_00,
    });

    expect(table.byQpv).toEqual([
      {
        qpvCode: 'QN02602M',
        name: 'Quartiers Ouest',
        applications: 1,
        fundedActions: 1,
        requestedCents: 15_000_00,
        grantedCents: 14_000_00,
      },
      {
        qpvCode: 'QN02603M',
        name: 'Nocaze',
        applications: 1,
        fundedActions: 1,
        requestedCents: 25_000_00,
        grantedCents: 20_000_00,
      },
      {
        qpvCode: 'QN02604M',
        name: 'Centre Historique',
        applications: 1,
        fundedActions: 1,
        requestedCents: 14_000_00,
        grantedCents: 14_000_00,
      },
    ]);
    expect(table.priorities).toEqual({
      genderMarkers: [{ marker: 1, actions: 3, grantedCents: 48_000_00, sharePercent: 100 }],
      fundedActions: 3,
      actionsWithYouthTarget: 3,
      youthTargetSharePercent: 100,
      actionsWithoutGenderBreakdown: 0,
    });
    expect(table.coFinancing).toEqual([
      {
        partnerCode: 'CAF',
        grantedCents: 14_000_00,
        coFinancedCents: 14_000_00,
        coFinancingRatePercent: 100,
      },
      { partnerCode: 'E', grantedCents: 16_000_00, coFinancedCents: 16_000_00, coFinancingRatePercent: 100 },
      { partnerCode: 'V', grantedCents: 18_000_00, coFinancedCents: 18_000_00, coFinancingRatePercent: 100 },
    ]);

    const envelopes = (
      await t.http().get(`/api/v1/campaigns/${campaignId}/envelopes`).set(auth(admin)).expect(200)
    ).body.items;
    expect(envelopes).toEqual(
      expect.arrayContaining([
        {
          partnerCode: 'E',
          themeCode: 'EMP',
          amountCents: 60_000_00,
          allocatedCents: 12_000_00,
          remainingCents: 48_000_00,
        },
        { partnerCode: 'E', amountCents: 120_000_00, allocatedCents: 4_000_00, remainingCents: 116_000_00 },
        { partnerCode: 'V', amountCents: 150_000_00, allocatedCents: 18_000_00, remainingCents: 132_000_00 },
      ]),
    );
    const financer = await login(t, 'financeur.caf@demo.contrat-de-ville.fr', DEMO_PASSWORD);
    await t.http().get(`/api/v1/campaigns/${campaignId}/programming`).set(auth(financer)).expect(200);
  });

  it('exports one CSV row per application × financer that matches the API figures', async () => {
    const response = await t
      .http()
      .get(`/api/v1/campaigns/${campaignId}/programming.csv`)
      .set(auth(admin))
      .buffer(true)
      .expect(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.text.charCodeAt(0)).toBe(0xfeff);
    const rows = parseCsv(response.text, ';');
    expect(Object.keys(rows[0])).toEqual([
      'Référence',
      'Porteur',
      'SIRET',
      'Intitulé',
      'Thématique',
      'Enjeu',
      'QPV',
      'Coût total (€)',
      'Financeur',
      'Demandé (€)',
      'Proposé (€)',
      'Accordé (€)',
      'Avis',
      'Note /5',
      'Statut',
      'Convention obligatoire (plus de 23 000 € dans l’année)',
    ]);
    expect(rows).toHaveLength(8);
    const euros = (text: string) => Math.round(Number(text.replace(',', '.')) * 100);
    const table = (await t.http().get(`/api/v1/campaigns/${campaignId}/programming`).set(auth(admin))).body;
    for (const partner of ['CAF', 'CD', 'E', 'V']) {
      const fromCsv = rows
        .filter((row) => row.Financeur === partner)
        .reduce((sum, row) => sum + euros(row['Accordé (€)']), 0);
      const fromApi = table.byThemeAndFinancer
        .filter(
          (row: { partnerCode: string; themeCode: string | null }) =>
            row.partnerCode === partner && row.themeCode !== null,
        )
        .reduce((sum: number, row: { grantedCents: number }) => sum + row.grantedCents, 0);
      expect(fromCsv).toBe(fromApi);
    }
    const edu = rows.find((row) => row.Financeur === 'V' && row['Référence'].endsWith('EDU-0001'))!;
    expect(edu).toMatchObject({
      Porteur: 'Centre social de Pracomtal',
      'Demandé (€)': '6000,00',
      'Accordé (€)': '5000,00',
      QPV: 'QN02602M',
      Statut: 'Programmé',
      Thématique: 'Éducation et parentalité',
    });
  });

  it('records a changed decision with its old and new amounts', async () => {
    await decide('EDU-0001', [
      { partnerCode: 'CAF', grantedAmountCents: 9_000_00 },
      { partnerCode: 'V', grantedAmountCents: 6_000_00 },
    ]).expect(200);
    const changes = await t.dataSource.query(
      `SELECT c.old_granted_cents::int AS old, c.new_granted_cents::int AS new FROM decision_changes c JOIN partners p ON p.id = c.partner_id
        WHERE c.application_id = $1 AND p.code = 'V' ORDER BY c.created_at`,
      [ref.get('EDU-0001')],
    );
    expect(changes).toEqual([
      { old: null, new: 5_000_00 },
      { old: 5_000_00, new: 6_000_00 },
    ]);
  });

  it('refuses envelopes that would no longer hold the grants', async () => {
    const response = await t
      .http()
      .put(`/api/v1/campaigns/${campaignId}/envelopes`)
      .set(auth(admin))
      .send({ envelopes: [{ partnerCode: 'E', amountCents: 1_00 }] })
      .expect(409);
    expect(response.body.details[0].code).toBe('ENVELOPE_BELOW_ALLOCATED');
  });

  it('publishes open data only once programmed, valid against the SCDL schema file', async () => {
    const early = await t
      .http()
      .get(`/api/v1/campaigns/${campaignId}/open-data.csv?partnerCode=V`)
      .expect(409);
    expect(early.body.details[0].code).toBe('CAMPAIGN_NOT_PROGRAMMED');
    await t.http().post(`/api/v1/campaigns/${campaignId}/close-programming`).set(auth(admin)).expect(200);
    const frozen = await decide('SOL-0005', [
      { partnerCode: 'CAF', grantedAmountCents: 0, reason: 'x' },
      { partnerCode: 'V', grantedAmountCents: 0, reason: 'x' },
      { partnerCode: 'E', grantedAmountCents: 0, reason: 'x' },
    ]).expect(409);
    expect(frozen.body.details[0].code).toBe('CAMPAIGN_STATUS_CONFLICT');

    const response = await t
      .http()
      .get(`/api/v1/campaigns/${campaignId}/open-data.csv?partnerCode=V`)
      .expect(200); // no token: public
    const lines = response.text.split('\r\n').filter(Boolean);
    const header = lines[0].split(',');
    const rows = parseCsv(response.text);
    expect(rows).toHaveLength(3);
    expect(tableSchemaProblems(SCDL_SCHEMA as never, header, rows)).toEqual([]);
    // The validator does catch a broken row.
    const broken = { ...rows[0], idAttribuant: '2126', montant: '12,5', nature: 'chèque', objet: '' };
    expect(tableSchemaProblems(SCDL_SCHEMA as never, header, [broken])).toEqual([
      'row 1, idAttribuant: does not match ^\\d{14}$ (2126)',
      'row 1, objet: required',
      'row 1, nature: not one of aide en numéraire | aide en nature | aide en numéraire;aide en nature | aide en nature;aide en numéraire (chèque)',
      'row 1, montant: not a number (12,5)',
    ]);
    const edu = rows.find((row) => row.referenceDecision.endsWith('EDU-0001'))!;
    expect(edu).toMatchObject({
      idAttribuant: '21260198300019',
      nomAttribuant: 'Ville de Montélimar',
      montant: '6000.00',
      montantDemande: '6000.00',
      idBeneficiaire: '77567227200017',
      rnaBeneficiaire: 'W261000101',
      cofinancement: 'oui',
      conditionsVersement: 'échelonné',
      // The schema's meanings: a single beneficiary's 1.00 (not a share of the cost), the project's id common
      // to its co-financers, the date the request was filed.
      pourcentageSubvention: '1.00',
      idCofinancement: edu.referenceDecision,
    });
    const [facts] = await t.dataSource.query(
      `SELECT to_char(a.submitted_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD') AS "submittedOn",
              (SELECT string_agg(p.name, ', ' ORDER BY p.code) FROM decisions d JOIN partners p ON p.id = d.partner_id
                WHERE d.application_id = a.id AND p.code <> 'V' AND d.granted_cents > 0) AS others
         FROM grant_applications a WHERE a.reference = $1`,
      [edu.referenceDecision],
    );
    expect(edu.dateCreation).toBe(facts.submittedOn);
    expect(facts.others).toBeTruthy();
    expect(edu.attribuantsCofinanceurs).toBe(facts.others);

    const noSiret = await t
      .http()
      .get(`/api/v1/campaigns/${campaignId}/open-data.csv?partnerCode=CAF`)
      .expect(422);
    expect(noSiret.body.details[0].code).toBe('PARTNER_SIRET_MISSING');
    const unchanged = await t.http().patch('/api/v1/partners/CAF').set(auth(admin)).send({}).expect(200);
    expect(unchanged.body).toMatchObject({ code: 'CAF', isFinancer: true });
    expect(unchanged.body.name).toBeTruthy(); // an empty patch keeps every field
    await t
      .http()
      .patch('/api/v1/partners/CAF')
      .set(auth(admin))
      .send({ siret: '21260198300018' })
      .expect(400);
    const siret = makeSiret();
    const patched = await t.http().patch('/api/v1/partners/CAF').set(auth(admin)).send({ siret }).expect(200);
    expect(patched.body).toMatchObject({ code: 'CAF', siret });
    const caf = await t
      .http()
      .get(`/api/v1/campaigns/${campaignId}/open-data.csv?partnerCode=CAF`)
      .expect(200);
    const cafRows = parseCsv(caf.text);
    expect(cafRows.map((row) => row.montant).sort()).toEqual(['5000.00', '9000.00']);
    expect(tableSchemaProblems(SCDL_SCHEMA as never, caf.text.split('\r\n')[0].split(','), cafRows)).toEqual(
      [],
    );
  });

  it('flags each beneficiary × financer granted more than 23 000 € in the year, in the table and the CSV', async () => {
    const table = async () =>
      (await t.http().get(`/api/v1/campaigns/${campaignId}/programming`).set(auth(admin)).expect(200)).body;
    expect((await table()).aboveConventionThreshold).toEqual([]);
    const [grant] = await t.dataSource.query(
      `SELECT d.id, d.granted_cents::int AS granted, p.code, o.name, o.id AS "organizationId"
         FROM decisions d JOIN partners p ON p.id = d.partner_id JOIN grant_applications a ON a.id = d.application_id
         JOIN organizations o ON o.id = a.organization_id
        WHERE a.campaign_id = $1 AND d.granted_cents > 0 ORDER BY a.reference, p.code LIMIT 1`,
      [campaignId],
    );
    // What the holder's other grants from that financer in the year add: 23 000,01 € in all.
    const [{ others }] = await t.dataSource.query(
      `SELECT coalesce(sum(d.granted_cents), 0)::int AS others FROM decisions d JOIN grant_applications a ON a.id = d.application_id
        JOIN partners p ON p.id = d.partner_id JOIN campaigns c ON c.id = a.campaign_id
        WHERE a.organization_id = $1 AND p.code = $2 AND d.id <> $3
          AND c.year = (SELECT year FROM campaigns WHERE id = $4)`,
      [grant.organizationId, grant.code, grant.id, campaignId],
    );
    await t.dataSource.query(`UPDATE decisions SET granted_cents = $2 WHERE id = $1`, [
      grant.id,
      23_000_01 - others,
    ]);
    try {
      expect((await table()).aboveConventionThreshold).toEqual([
        {
          organizationId: grant.organizationId,
          holderName: grant.name,
          partnerCode: grant.code,
          yearlyGrantedCents: 23_000_01,
        },
      ]);
      const response = await t
        .http()
        .get(`/api/v1/campaigns/${campaignId}/programming.csv`)
        .set(auth(admin))
        .buffer(true)
        .expect(200);
      const flagged = parseCsv(response.text, ';')
        .filter((row) => row['Convention obligatoire (plus de 23 000 € dans l’année)'] === 'oui')
        .map((row) => [row.Porteur, row.Financeur]);
      expect(flagged.length).toBeGreaterThan(0);
      expect(new Set(flagged.map((pair) => pair.join('/')))).toEqual(
        new Set([`${grant.name}/${grant.code}`]),
      );
      // Exactly at the threshold: not above it.
      await t.dataSource.query(`UPDATE decisions SET granted_cents = $2 WHERE id = $1`, [
        grant.id,
        23_000_00 - others,
      ]);
      expect((await table()).aboveConventionThreshold).toEqual([]);
    } finally {
      await t.dataSource.query(`UPDATE decisions SET granted_cents = $2 WHERE id = $1`, [
        grant.id,
        grant.granted,
      ]);
    }
  });
});

describe('envelopes under concurrency', () => {
  it('never overspends an envelope when 50 decisions race for it', async () => {
    const t = await createTestApp();
    try {
      const admin = await loginAdmin(t);
      const { id } = await createCampaign(t, {
        envelopes: [
          { partnerCode: 'CD', amountCents: 1_000_00 },
          { partnerCode: 'V', amountCents: 1_000_000_00 },
        ],
      });
      const asso = await registerAssociation(t, 'Association des habitants');
      const budget = {
        charges: [{ account: '64', label: 'Animation', amountCents: 1_000_00 }],
        products: [
          { account: '74', label: 'Département', amountCents: 100_00, partnerCode: 'CD' },
          { account: '75', label: 'Fonds propres', amountCents: 900_00 },
        ],
      };
      const ids: string[] = [];
      for (let index = 0; index < 50; index += 1) {
        const draft = await createReadyDraft(t, asso.token, id, { budget, title: `Atelier ${index}` });
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
        ids.push(draft.id);
      }
      await t
        .http()
        .post(`/api/v1/campaigns/${id}/close-submissions`)
        .set({ authorization: `Bearer ${admin}` })
        .expect(200);

      const answers = await Promise.all(
        ids.map((applicationId) =>
          t
            .http()
            .put(`/api/v1/applications/${applicationId}/decisions`)
            .set({ authorization: `Bearer ${admin}` })
            .send({ decisions: [{ partnerCode: 'CD', grantedAmountCents: 100_00 }] }),
        ),
      );
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(10); // 10 × 100 € = the 1 000 € envelope
      expect(statuses.filter((status) => status === 409)).toHaveLength(40);
      expect(
        answers
          .filter((answer) => answer.status === 409)
          .every((answer) => answer.body.details[0].code === 'ENVELOPE_EXCEEDED'),
      ).toBe(true);
      const [{ granted }] = await t.dataSource.query(
        `SELECT sum(d.granted_cents)::int AS granted FROM decisions d JOIN partners p ON p.id = d.partner_id WHERE d.campaign_id = $1 AND p.code = 'CD'`,
        [id],
      );
      expect(granted).toBe(1_000_00);
      const programmed = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM grant_applications WHERE campaign_id = $1 AND status = 'PROGRAMMED'`,
        [id],
      );
      expect(programmed[0].n).toBe(10);

      const closing = await t
        .http()
        .post(`/api/v1/campaigns/${id}/close-programming`)
        .set({ authorization: `Bearer ${admin}` })
        .expect(409);
      expect(closing.body.details[0].code).toBe('UNDECIDED_APPLICATIONS');
    } finally {
      await t.close();
    }
  }, 120_000);
});
