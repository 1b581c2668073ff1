/**
 * Life after the COPIL through the API (api-contract.md, « Conventions and payments »): an action granted
 * 4 270 € by the État and 3 000 € by the Ville, a 50 % advance. The convention is signed party by party (an
 * unknown party, a future date and a second signature refused), the last signature making it SIGNED and the
 * advances due; a payment marked paid once (two clicks racing: one wins); the report returned with a message
 * (emailed), corrected, then accepted on an actual cost of 90 % of the planned one: the État's grant due is
 * 3 843,00 €, its balance 1 708,00 €; the open data dates the convention by its last signature.
 */
import { createHash } from 'node:crypto';
import { createTestApp, loginAdmin, TestApp } from './support/test-app.js';
import { createCampaign } from './factories/campaign.factory.js';
import { Account, createStaffUser, registerAssociation } from './factories/account.factory.js';
import {
  CERTIFICATION,
  createEligibleApplication,
  PDF_BYTES,
  REPORT_FACTS,
} from './factories/application.factory.js';
import { PDFParse } from 'pdf-parse';
import { eventually } from './support/smtp-sink.js';
import { renderEmail } from '../src/modules/notifications/templates.js';
import { RemindersService } from '../src/modules/reminders/reminders.service.js';

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('signatures, payments and the report’s acceptance', () => {
  let t: TestApp;
  let admin: string;
  let asso: Account;
  let other: Account;
  let financerE: string;
  let financerV: string;
  let campaignId: string;
  let app: string;
  let renewalId: string;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const report = (chargesCents: number) => ({
    budget: {
      charges: [{ account: '64', label: 'Encadrant', amountCents: chargesCents }],
      products: [
        { account: '74', label: 'État', amountCents: 4_270_00, partnerCode: 'E' },
        { account: '74', label: 'Ville', amountCents: 3_000_00, partnerCode: 'V' },
        { account: '75', label: 'Fonds propres', amountCents: chargesCents - 7_270_00 },
      ],
    },
    ...REPORT_FACTS,
  });
  const sign = (party: string, signedOn: string) =>
    t
      .http()
      .post(`/api/v1/applications/${app}/convention/signatures`)
      .set(auth(admin))
      .send({ party, signedOn });

  beforeAll(async () => {
    t = await createTestApp({ WORKER_IN_PROCESS: 'true' });
    admin = await loginAdmin(t);
    campaignId = (await createCampaign(t)).id;
    asso = await registerAssociation(t, 'Chantiers du Rhône');
    other = await registerAssociation(t, 'Une autre association');
    // Planned cost 10 000 €: the État asked 4 270 €, the Ville 3 000 €.
    app = await createEligibleApplication(t, asso.token, admin, campaignId, {
      budget: {
        charges: [
          { account: '64', label: 'Encadrant technique', amountCents: 8_000_00 },
          { account: '60', label: 'Matériaux', amountCents: 2_000_00 },
        ],
        products: [
          { account: '74', label: 'État', amountCents: 4_270_00, partnerCode: 'E' },
          { account: '74', label: 'Ville', amountCents: 3_000_00, partnerCode: 'V' },
          { account: '75', label: 'Fonds propres', amountCents: 2_730_00 },
        ],
      },
    });
    await t.http().post(`/api/v1/campaigns/${campaignId}/close-submissions`).set(auth(admin)).expect(200);
    const unknown = await t
      .http()
      .put(`/api/v1/campaigns/${campaignId}/deliberations`)
      .set(auth(admin))
      .send({ deliberations: [{ partnerCode: 'XX', reference: 'n° 1' }] })
      .expect(422);
    expect(unknown.body.details[0].code).toBe('UNKNOWN_PARTNER');
    const recorded = await t
      .http()
      .put(`/api/v1/campaigns/${campaignId}/deliberations`)
      .set(auth(admin))
      .send({
        deliberations: [
          { partnerCode: 'E', reference: 'arrêté préfectoral n° 26-2027-03-20-001' },
          { partnerCode: 'V', reference: 'délibération du conseil municipal n° 2027-045 du 12 mars 2027' },
        ],
      })
      .expect(200);
    expect(recorded.body.deliberations).toEqual({
      E: 'arrêté préfectoral n° 26-2027-03-20-001',
      V: 'délibération du conseil municipal n° 2027-045 du 12 mars 2027',
    });
    await t
      .http()
      .put(`/api/v1/applications/${app}/decisions`)
      .set(auth(admin))
      .send({
        decisions: [
          { partnerCode: 'E', grantedAmountCents: 4_270_00 },
          { partnerCode: 'V', grantedAmountCents: 3_000_00 },
        ],
      })
      .expect(200);
    await t.http().post(`/api/v1/campaigns/${campaignId}/close-programming`).set(auth(admin)).expect(200);
    await eventually(async () => {
      const status = await t.http().get(`/api/v1/applications/${app}/convention`).set(auth(admin));
      return status.body.status === 'READY';
    }, 30_000);
    financerE = (await createStaffUser(t, 'FINANCER', 'E')).token;
    financerV = (await createStaffUser(t, 'FINANCER', 'V')).token;
  });
  afterAll(async () => {
    await t.close();
  });

  it('makes a complete convention: legal basis, each financer’s deliberation, indicators, clauses, budget annex', async () => {
    const pdf = await t
      .http()
      .get(`/api/v1/applications/${app}/convention.pdf`)
      .set(auth(asso.token))
      .buffer(true)
      .parse((response, callback) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const text = (await new PDFParse({ data: pdf.body as Buffer }).getText()).text.replace(/\s+/g, ' ');
    for (const expected of [
      'loi n° 2000-321 du 12 avril 2000',
      'décret n° 2001-495 du 6 juin 2001',
      'loi n° 2014-173 du 21 février 2014',
      'loi n° 2021-1109 du 24 août 2021',
      'pour État (Déléguée du préfet) : arrêté préfectoral n° 26-2027-03-20-001',
      'pour Ville de Montélimar : délibération du conseil municipal n° 2027-045 du 12 mars 2027',
      'Jeunes accompagnés jusqu’au bout du chantier : 10 personnes',
      'article L1611-4 du code général des collectivités territoriales',
      'Article 7 – Avenant et résiliation',
      'tribunal administratif territorialement compétent',
      'Annexe – Budget prévisionnel de l’action',
      '64 – Encadrant technique : 8 000,00 €',
      // Each party's signatory and capacity, and the contract's place of signature.
      'État (Déléguée du préfet) (signataire : le préfet de la Drôme)',
      'Pour Ville de Montélimar, le maire de Montélimar',
      'représentée par Camille Durand, Présidente',
      'Fait à Montélimar, le',
    ])
      expect([expected, text.includes(expected)]).toEqual([expected, true]);
  });

  it('records each party’s signature; the last one signs the convention and makes the advances due', async () => {
    const unknown = await sign('CAF', day(0)).expect(422);
    expect(unknown.body.details[0]).toMatchObject({ field: 'party', code: 'UNKNOWN_PARTY' });
    expect((await sign('HOLDER', day(2)).expect(422)).body.details[0].code).toBe('DATE_IN_FUTURE');
    await t
      .http()
      .post(`/api/v1/applications/${app}/convention/signatures`)
      .set(auth(asso.token))
      .send({ party: 'HOLDER', signedOn: day(0) })
      .expect(403);

    // The convention was made today, when the programming closed: not signed before.
    expect((await sign('HOLDER', day(-3)).expect(422)).body.details[0].code).toBe('SIGNATURE_BEFORE_ISSUE');
    const holder = await sign('HOLDER', day(0)).expect(200);
    expect(holder.body).toMatchObject({ status: 'AWAITING_SIGNATURES', signedOn: null, missing: ['E', 'V'] });
    expect((await sign('HOLDER', day(0)).expect(409)).body.details[0].code).toBe(
      'SIGNATURE_ALREADY_RECORDED',
    );
    const noAdvanceYet = await t.http().get(`/api/v1/applications/${app}/payments`).set(auth(asso.token));
    expect(noAdvanceYet.body).toEqual({ items: [], total: 0 });

    await sign('V', day(0)).expect(200);
    const last = await sign('E', day(0)).expect(200);
    expect(last.body).toMatchObject({ status: 'SIGNED', signedOn: day(0), missing: [] });
    const convention = await t.http().get(`/api/v1/applications/${app}/convention`).set(auth(asso.token));
    expect(convention.body).toMatchObject({ status: 'SIGNED', signedOn: day(0) });
    expect((await sign('E', day(0)).expect(409)).body.details[0].code).toBe('CONVENTION_SIGNED');

    const payments = await t
      .http()
      .get(`/api/v1/applications/${app}/payments`)
      .set(auth(asso.token))
      .expect(200);
    expect(payments.body.items.map(({ id: _id, ...payment }: { id: string }) => payment)).toEqual([
      {
        partnerCode: 'E',
        kind: 'ADVANCE',
        amountCents: 2_135_00,
        status: 'DUE',
        dueOn: day(0),
        overdue: false,
      },
      {
        partnerCode: 'V',
        kind: 'ADVANCE',
        amountCents: 1_500_00,
        status: 'DUE',
        dueOn: day(0),
        overdue: false,
      },
    ]);
    // The holder is told, once per advance, with the page where it follows them.
    const due = await t.dataSource.query<{ payload: Record<string, string> }[]>(
      `SELECT payload FROM notifications WHERE type = 'PAYMENT_DUE' AND application_id = $1 ORDER BY payload->>'partnerName'`,
      [app],
    );
    const plain = (text: string) => text.replace(/\s/g, ' ');
    expect(
      due
        .map(({ payload }) => [payload.kind, plain(payload.amount), payload.partnerName])
        .sort((a, b) => b[1].localeCompare(a[1])),
    ).toEqual([
      ['ADVANCE', '2 135,00 €', 'État (Déléguée du préfet)'],
      ['ADVANCE', '1 500,00 €', 'Ville de Montélimar'],
    ]);
    const email = renderEmail('PAYMENT_DUE', {
      pageLink: `http://exemple.fr/dossiers/${app}`,
      ...due.find(({ payload }) => payload.partnerName.startsWith('État'))!.payload,
    });
    expect(email.subject).toMatch(/^Dossier 2027-EMP-\d{4} : versement à venir$/);
    expect(plain(email.text)).toContain('L’avance de 2 135,00 € de État (Déléguée du préfet) pour l’action');
    expect(email.text).toContain(`Suivre les versements : http://exemple.fr/dossiers/${app}`);
    // Another association does not see them.
    await t.http().get(`/api/v1/applications/${app}/payments`).set(auth(other.token)).expect(404);
  });

  it('files the signed copy as a PDF (a new scan replaces it); its readers download those very bytes', async () => {
    const upload = (token: string, bytes: Buffer, name: string) =>
      t
        .http()
        .put(`/api/v1/applications/${app}/convention/signed-copy`)
        .set(auth(token))
        .attach('file', bytes, name);
    const scan = Buffer.concat([PDF_BYTES, Buffer.from('% scan 1\n')]);
    await upload(asso.token, scan, 'convention.pdf').expect(403);
    await upload(financerE, scan, 'convention.pdf').expect(403);
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
    expect((await upload(admin, png, 'scan.png').expect(422)).body.details[0]).toMatchObject({
      field: 'file',
      code: 'SIGNED_COPY_NOT_PDF',
    });
    await t.http().get(`/api/v1/applications/${app}/convention/signed-copy`).set(auth(admin)).expect(404);

    const filed = await upload(admin, scan, 'Convention signée.pdf').expect(200);
    expect(filed.body).toEqual({
      filename: 'Convention signée.pdf',
      sha256: createHash('sha256').update(scan).digest('hex'),
      uploadedAt: expect.any(String),
    });
    const better = Buffer.concat([PDF_BYTES, Buffer.from('% scan 2, lisible\n')]);
    await upload(admin, better, 'Convention signée (2).pdf').expect(200);
    for (const token of [asso.token, financerE, admin]) {
      const copy = await t
        .http()
        .get(`/api/v1/applications/${app}/convention/signed-copy`)
        .set(auth(token))
        .buffer(true)
        .parse((response, done) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(copy.headers['content-type']).toBe('application/pdf');
      expect(Buffer.compare(copy.body as Buffer, better)).toBe(0);
    }
    await t
      .http()
      .get(`/api/v1/applications/${app}/convention/signed-copy`)
      .set(auth(other.token))
      .expect(404);
    const signatures = await t
      .http()
      .get(`/api/v1/applications/${app}/convention/signatures`)
      .set(auth(asso.token))
      .expect(200);
    expect(signatures.body.signedCopy).toMatchObject({ filename: 'Convention signée (2).pdf' });
    // The replaced scan stays in the audit log's history of the convention.
    const history = await t.dataSource.query(
      `SELECT e.after->>'signed_copy_filename' AS filename FROM audit_events e JOIN conventions c ON c.id::text = e.row_id
        WHERE e.table_name = 'conventions' AND e.operation = 'UPDATE' AND c.application_id = $1 AND e.after ? 'signed_copy_sha256' ORDER BY e.id`,
      [app],
    );
    expect(history).toEqual([
      { filename: 'Convention signée.pdf' },
      { filename: 'Convention signée (2).pdf' },
    ]);
  });

  it('lists the payments with their actions: a financer its own, the city team every financer’s', async () => {
    const ledger = (token: string, query = '') => t.http().get(`/api/v1/payments${query}`).set(auth(token));
    const ofE = await ledger(financerE).expect(200);
    expect(ofE.body).toEqual({
      items: [
        expect.objectContaining({
          applicationId: app,
          reference: expect.stringMatching(/^2027-EMP-\d{4}$/),
          holderName: 'Chantiers du Rhône',
          partnerCode: 'E',
          kind: 'ADVANCE',
          amountCents: 2_135_00,
          status: 'DUE',
          overdue: false,
        }),
      ],
      total: 1,
    });
    // A financer cannot look at another's, even by asking.
    expect((await ledger(financerE, '?partnerCode=V').expect(200)).body.items[0].partnerCode).toBe('E');
    const all = await ledger(admin, '?status=DUE').expect(200);
    expect(all.body.items.map((item: { partnerCode: string }) => item.partnerCode)).toEqual(['E', 'V']);
    expect((await ledger(admin, '?partnerCode=V').expect(200)).body.total).toBe(1);
    expect((await ledger(admin, '?partnerCode=CAF').expect(200)).body.total).toBe(0);
    expect((await ledger(admin, '?status=PAID').expect(200)).body.total).toBe(0);
    await ledger(asso.token).expect(403);
    expect((await ledger(admin, '?status=LATE').expect(400)).body.details[0].field).toBe('status');
  });

  it('marks a payment paid once: by its own financer, two clicks racing leave one paid', async () => {
    const { body } = await t.http().get(`/api/v1/applications/${app}/payments`).set(auth(admin));
    const [advanceE, advanceV] = body.items as { id: string }[];
    const paid = (token: string, id: string, fields: object) =>
      t.http().post(`/api/v1/applications/${app}/payments/${id}/paid`).set(auth(token)).send(fields);
    await paid(financerV, advanceE.id, { paidOn: day(0) }).expect(404);
    expect((await paid(financerE, advanceE.id, { paidOn: day(1) }).expect(422)).body.details[0].code).toBe(
      'DATE_IN_FUTURE',
    );
    const done = await paid(financerE, advanceE.id, { paidOn: day(0), engagementReference: 'EJ-2102345678' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'PAID', paidOn: day(0), engagementReference: 'EJ-2102345678' });

    const racing = await Promise.all([
      paid(admin, advanceV.id, { paidOn: day(0) }),
      paid(admin, advanceV.id, { paidOn: day(0) }),
    ]);
    expect(racing.map((answer) => answer.status).sort()).toEqual([200, 409]);
    expect(racing.find((answer) => answer.status === 409)!.body.details[0].code).toBe('PAYMENT_ALREADY_PAID');
    const paidEmails = await t.dataSource.query<{ payload: Record<string, string> }[]>(
      `SELECT payload FROM notifications WHERE type = 'PAYMENT_PAID' AND application_id = $1`,
      [app],
    );
    expect(paidEmails).toHaveLength(2);
    const text = renderEmail('PAYMENT_PAID', {
      pageLink: '',
      ...paidEmails.find((row) => row.payload.engagementReference)!.payload,
    }).text;
    expect(text.replace(/\s/g, ' ')).toContain('l’avance de 2 135,00 € de État (Déléguée du préfet)');
    expect(text).toContain('engagement juridique EJ-2102345678');
  });

  it('refuses to submit a renewal while the report of the action it renews is overdue', async () => {
    const { id: nextYear } = await createCampaign(t, { body: { year: 2028, title: 'Appel à projets 2028' } });
    const renewal = await t
      .http()
      .post(`/api/v1/applications/${app}/renew`)
      .set(auth(asso.token))
      .send({ campaignId: nextYear })
      .expect(201);
    renewalId = renewal.body.id;
    // Before the report's deadline, nothing is owed yet.
    await t.dataSource.query(
      `UPDATE campaigns SET report_deadline = now() - interval '1 day' WHERE id = $1`,
      [campaignId],
    );
    const refused = await t
      .http()
      .post(`/api/v1/applications/${renewalId}/submit`)
      .set(auth(asso.token))
      .send(CERTIFICATION)
      .expect(422);
    expect(refused.body.details[0].code).toBe('PREVIOUS_REPORT_MISSING');
    expect(refused.body.message).toMatch(/2027-EMP-\d{4}/);
  });

  it('returns the report with a message (emailed), then accepts it: balances from the actual cost', async () => {
    await t
      .http()
      .put(`/api/v1/applications/${app}/report`)
      .set(auth(asso.token))
      .send(report(9_000_00))
      .expect(200);
    await t.http().post(`/api/v1/applications/${app}/report/accept`).set(auth(admin)).expect(409);
    await t.http().post(`/api/v1/applications/${app}/report/submit`).set(auth(asso.token)).expect(200);
    await t.http().post(`/api/v1/applications/${app}/report/accept`).set(auth(financerE)).expect(403);

    const returned = await t
      .http()
      .post(`/api/v1/applications/${app}/report/return`)
      .set(auth(admin))
      .send({ message: 'Joignez les justificatifs des dépenses de matériaux.' })
      .expect(200);
    expect(returned.body).toMatchObject({
      status: 'RETURNED',
      returnMessage: 'Joignez les justificatifs des dépenses de matériaux.',
    });
    const [email] = await t.dataSource.query(
      `SELECT to_address, payload FROM notifications WHERE type = 'REPORT_RETURNED' AND application_id = $1`,
      [app],
    );
    expect(email).toEqual({
      to_address: asso.email,
      payload: expect.objectContaining({ message: 'Joignez les justificatifs des dépenses de matériaux.' }),
    });

    // Corrected and submitted again; accepted: actual cost 9 000 € for 10 000 € planned.
    await t
      .http()
      .put(`/api/v1/applications/${app}/report`)
      .set(auth(asso.token))
      .send(report(9_000_00))
      .expect(200);
    await t.http().post(`/api/v1/applications/${app}/report/submit`).set(auth(asso.token)).expect(200);
    const accepted = await t
      .http()
      .post(`/api/v1/applications/${app}/report/accept`)
      .set(auth(admin))
      .expect(200);
    expect(accepted.body.status).toBe('ACCEPTED');
    const payments = await t
      .http()
      .get(`/api/v1/applications/${app}/payments`)
      .set(auth(financerE))
      .expect(200);
    expect(
      payments.body.items.map(({ partnerCode, kind, amountCents, status }: Record<string, unknown>) => ({
        partnerCode,
        kind,
        amountCents,
        status,
      })),
    ).toEqual([
      { partnerCode: 'E', kind: 'ADVANCE', amountCents: 2_135_00, status: 'PAID' },
      // 4 270 € × 9 000 / 10 000 = 3 843 € due; 3 843 − 2 135 = 1 708 €.
      { partnerCode: 'E', kind: 'BALANCE', amountCents: 1_708_00, status: 'DUE' },
      { partnerCode: 'V', kind: 'ADVANCE', amountCents: 1_500_00, status: 'PAID' },
      // 3 000 € × 0,9 = 2 700 € due; 2 700 − 1 500 = 1 200 €.
      { partnerCode: 'V', kind: 'BALANCE', amountCents: 1_200_00, status: 'DUE' },
    ]);
    await t.http().post(`/api/v1/applications/${app}/report/accept`).set(auth(admin)).expect(409);
    // The report accepted, the renewal goes.
    await t
      .http()
      .post(`/api/v1/applications/${renewalId}/submit`)
      .set(auth(asso.token))
      .send(CERTIFICATION)
      .expect(200);
    await t
      .http()
      .put(`/api/v1/applications/${app}/report`)
      .set(auth(asso.token))
      .send(report(9_000_00))
      .expect(409);
  });

  it('evaluates the year: indicators’ targets beside what was achieved, money granted and paid, QPV reached', async () => {
    await t.http().get(`/api/v1/campaigns/${campaignId}/evaluation`).set(auth(asso.token)).expect(403);
    const { body } = await t
      .http()
      .get(`/api/v1/campaigns/${campaignId}/evaluation`)
      .set(auth(financerV))
      .expect(200);
    expect(body.byMeasure).toHaveLength(1);
    expect(body.byMeasure[0]).toMatchObject({
      themeCode: 'EMP',
      fundedActions: 1,
      acceptedReports: 1,
      grantedCents: 7_270_00,
      paidCents: 3_635_00, // the two advances
      beneficiaries: 18,
    });
    expect(
      body.byMeasure[0].indicators.map(({ reference: _r, ...rest }: { reference: string }) => rest),
    ).toEqual([
      {
        label: 'Jeunes accompagnés jusqu’au bout du chantier',
        unit: 'personnes',
        targetValue: 10,
        achievedValue: 12,
      },
      { label: 'Sorties vers l’emploi ou la formation', unit: '%', targetValue: 40, achievedValue: 35.5 },
    ]);
    expect(body.byQpv).toEqual([
      { qpvCode: 'QN02604M', name: expect.any(String), beneficiaries: 9 },
      { qpvCode: 'QN02602M', name: expect.any(String), beneficiaries: 5 },
    ]);
    const csv = await t
      .http()
      .get(`/api/v1/campaigns/${campaignId}/evaluation.csv`)
      .set(auth(admin))
      .buffer(true)
      .expect(200);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'Thème;Mesure;Référence;Indicateur;Unité;Cible;Réalisé;Accordé à la mesure (€);Versé à la mesure (€)',
    );
    expect(lines[2]).toMatch(
      /^Emploi;.*;2027-EMP-\d{4};Sorties vers l’emploi ou la formation;%;40;35,5;7270,00;3635,00$/,
    );
  });

  it('flags a payment due for more than 60 days and reminds its financer once', async () => {
    await t.dataSource.query(
      `UPDATE payments SET due_on = current_date - 61 WHERE application_id = $1 AND kind = 'BALANCE'
          AND partner_id = (SELECT id FROM partners WHERE code = 'E')`,
      [app],
    );
    const { body } = await t.http().get(`/api/v1/applications/${app}/payments`).set(auth(admin)).expect(200);
    expect(
      body.items.map((payment: { partnerCode: string; kind: string; overdue: boolean }) => [
        payment.partnerCode,
        payment.kind,
        payment.overdue,
      ]),
    ).toEqual([
      ['E', 'ADVANCE', false],
      ['E', 'BALANCE', true],
      ['V', 'ADVANCE', false],
      ['V', 'BALANCE', false],
    ]);
    const reminders = t.app.get(RemindersService);
    await reminders.scan({ campaignId });
    await reminders.scan({ campaignId });
    const sent = await t.dataSource.query<{ to_address: string; payload: Record<string, string> }[]>(
      `SELECT to_address, payload FROM notifications WHERE type = 'REMINDER_PAYMENT_OVERDUE' AND application_id = $1`,
      [app],
    );
    expect(sent).toHaveLength(1);
    expect(sent[0].payload).toMatchObject({
      kind: 'Le solde',
      amount: '1708,00 €',
      partnerName: 'État (Déléguée du préfet)',
    });
    const text = renderEmail('REMINDER_PAYMENT_OVERDUE', { pageLink: '', ...sent[0].payload }).text;
    expect(text).toContain('Le solde de 1708,00 € que État (Déléguée du préfet) doit pour l’action');
  });

  it('dates the convention in the open data by its last signature', async () => {
    await t.http().patch('/api/v1/partners/E').set(auth(admin)).send({ siret: '13000548100010' }).expect(200);
    // The programming closed ten days before the last signature: the open data takes the signature's date.
    await t.dataSource.query(
      `UPDATE campaign_transitions SET created_at = now() - interval '10 days' WHERE campaign_id = $1 AND to_status = 'PROGRAMMED'`,
      [campaignId],
    );
    const csv = await t.http().get(`/api/v1/campaigns/${campaignId}/open-data.csv?partnerCode=E`).expect(200);
    const [header, row] = csv.text.trim().split(/\r?\n/);
    const column = header.split(',').indexOf('dateConvention');
    expect(row.split(',')[column]).toBe(day(0));
  });
});
