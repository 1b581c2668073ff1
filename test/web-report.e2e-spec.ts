/** After the COPIL, on the pages: the end-of-action report (draft, refusal, submission) and the convention. */
import { createTestApp, loginAdmin, TestApp } from './support/test-app.js';
import { createCampaign } from './factories/campaign.factory.js';
import { registerAssociation } from './factories/account.factory.js';
import { createEligibleApplication } from './factories/application.factory.js';
import { decode, errorSummary, PageClient } from './support/page-client.js';
import { eventually, SmtpSink } from './support/smtp-sink.js';

const PASSWORD = 'mot-de-passe-solide-42';

describe('web pages: the report and the convention of a funded action', () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let funded: string;
  let page: PageClient;
  let admin: string;
  let campaignId: string;
  const auth = () => ({ authorization: `Bearer ${admin}` });

  beforeAll(async () => {
    await sink.start();
    t = await createTestApp({ WORKER_IN_PROCESS: 'true', SMTP_URL: sink.url });
    admin = await loginAdmin(t);
    campaignId = (await createCampaign(t)).id;
    const asso = await registerAssociation(t, 'Chantiers du Rhône');
    funded = await createEligibleApplication(t, asso.token, admin, campaignId);
    await t.http().post(`/api/v1/campaigns/${campaignId}/close-submissions`).set(auth()).expect(200);
    await t
      .http()
      .put(`/api/v1/applications/${funded}/decisions`)
      .set(auth())
      .send({
        decisions: [
          { partnerCode: 'E', grantedAmountCents: 8_000_00 },
          { partnerCode: 'V', grantedAmountCents: 7_000_00 },
        ],
      })
      .expect(200);
    page = new PageClient(t);
    await page.get('/connexion');
    await page.post('/connexion', { email: asso.email, password: PASSWORD });
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('offers the report on a funded dossier’s page, prefilled from the forecast', async () => {
    const dossier = await page.get(`/dossiers/${funded}`);
    expect(decode(dossier.text)).toContain('Rendre le bilan de l’action');
    const form = await page.get(`/dossiers/${funded}/bilan`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Budget réalisé');
    expect(form.text).toContain('value="18 000"');
    const text = decode(form.text);
    // The application's indicators with their targets, its quarters, its signatory.
    expect(text).toContain('Jeunes accompagnés jusqu’au bout du chantier (cible : 10 personnes)');
    expect(form.text).toContain('name="byQpv_QN02604M"');
    expect(form.text).toMatch(/name="signatoryName" type="text" value="Camille Durand"/);
  });

  it('refuses a report without what was achieved, keeps what was typed, then saves and submits it', async () => {
    const report = (achievements: string, own: string) => ({
      achievements,
      varianceExplanation: '',
      total: '18',
      qpvResidents: '14',
      women: '8',
      men: '10',
      chargeAccount: ['64', '60', ''],
      chargeLabel: ['Encadrant technique', 'Matériaux', ''],
      chargeAmount: ['16 000', '2 000', ''],
      'financer-E': '8 000',
      'financer-V': '7 000',
      productAccount: ['75', ''],
      productLabel: ['Fonds propres', ''],
      productAmount: [own, ''],
      actualStartDate: '2027-03-01',
      actualEndDate: '2027-12-20',
      indicatorAchieved: ['12', '35,5'],
      indicatorComment: ['', 'Deux abandons en cours de route.'],
      byQpv_QN02604M: '9',
      byQpv_QN02602M: '5',
      signatoryName: 'Camille Durand',
      signatoryRole: 'Présidente',
      certifiesAccuracy: '1',
    });
    const refused = await page.post(`/dossiers/${funded}/bilan`, report('', '3 000'));
    expect(refused.status).toBe(422);
    expect(errorSummary(refused.text).join(' ')).toMatch(/Ce qui a été réalisé/);
    expect(refused.text).toContain('value="16 000"');
    const saved = await page.post(
      `/dossiers/${funded}/bilan`,
      report('Dix-huit jeunes accompagnés.', '3 000'),
    );
    expect(saved.location).toBe(`/dossiers/${funded}/bilan`);
    // Unbalanced: the report's own checks refuse the submission, with the summary.
    const unbalanced = await page.post(`/dossiers/${funded}/bilan`, {
      ...report('Dix-huit jeunes accompagnés.', '1 000'),
      submit: '1',
    });
    expect(unbalanced.status).toBe(422);
    expect(unbalanced.text).toContain('Il y a un problème');
    // Without the CERFA 15059 parts: each one named on the page, nothing submitted.
    const { certifiesAccuracy: _unticked, ...unattested } = report('Dix-huit jeunes accompagnés.', '3 000');
    const incomplete = await page.post(`/dossiers/${funded}/bilan`, {
      ...unattested,
      indicatorAchieved: ['12', ''],
      actualEndDate: '',
      byQpv_QN02604M: '',
      byQpv_QN02602M: '',
      submit: '1',
    });
    expect(incomplete.status).toBe(422);
    const summary = errorSummary(incomplete.text).join(' ');
    expect(summary).toContain('« Sorties vers l’emploi ou la formation »');
    expect(summary).toContain('dates auxquelles l’action a réellement commencé et fini');
    expect(summary).toContain('Répartissez les 14 habitants');
    expect(summary).toContain('atteste l’exactitude du bilan');
    expect(incomplete.text).toContain('href="#indicatorAchieved-0"');
    expect(incomplete.text).toContain('href="#certifiesAccuracy"');
    const submitted = await page.post(`/dossiers/${funded}/bilan`, {
      ...report('Dix-huit jeunes accompagnés.', '3 000'),
      submit: '1',
    });
    expect(submitted.location).toBe(`/dossiers/${funded}`);
    const [row] = await t.dataSource.query(
      `SELECT status, achievements, indicators, beneficiaries->'byQpv' AS "byQpv",
              actual_start_date::text AS start, actual_end_date::text AS end, certification
         FROM reports WHERE application_id = $1`,
      [funded],
    );
    expect(row).toEqual({
      status: 'SUBMITTED',
      achievements: 'Dix-huit jeunes accompagnés.',
      indicators: [
        { label: 'Jeunes accompagnés jusqu’au bout du chantier', targetValue: 10, achievedValue: 12 },
        {
          label: 'Sorties vers l’emploi ou la formation',
          targetValue: 40,
          achievedValue: 35.5,
          comment: 'Deux abandons en cours de route.',
        },
      ],
      byQpv: { QN02604M: 9, QN02602M: 5 },
      start: '2027-03-01',
      end: '2027-12-20',
      certification: {
        signatoryName: 'Camille Durand',
        signatoryRole: 'Présidente',
        certifiesAccuracy: true,
      },
    });
    const after = decode((await page.get(`/dossiers/${funded}/bilan`)).text);
    expect(after).toContain('Le bilan a été déposé');
    expect(after).toContain('Atteint : 35,5 (cible : 40) — Deux abandons en cours de route.');
    expect(after).toContain('Camille Durand, Présidente');
  });

  it('keeps another association out of the report and the convention', async () => {
    const other = await registerAssociation(t, 'Autre structure');
    const stranger = new PageClient(t);
    await stranger.get('/connexion');
    await stranger.post('/connexion', { email: other.email, password: PASSWORD });
    expect((await stranger.get(`/dossiers/${funded}/bilan`)).status).toBe(404);
    expect((await stranger.get(`/dossiers/${funded}/convention.pdf`)).status).toBe(404);
  });

  it('lets the holder download the convention once the programming is closed', async () => {
    expect(decode((await page.get(`/dossiers/${funded}`)).text)).toContain('sera disponible ici');
    await t.http().post(`/api/v1/campaigns/${campaignId}/close-programming`).set(auth()).expect(200);
    await eventually(async () => {
      const [row] = await t.dataSource.query(`SELECT status FROM conventions WHERE application_id = $1`, [
        funded,
      ]);
      return row?.status === 'READY';
    }, 30_000);
    expect(decode((await page.get(`/dossiers/${funded}`)).text)).toContain('Télécharger la convention (PDF)');
    const pdf = await page.agent.get(`/dossiers/${funded}/convention.pdf`).buffer(true);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('offers « Renouveler » on last year’s funded action once next year’s call is open', async () => {
    const { id: nextYear } = await createCampaign(t, { body: { year: 2028, title: 'Appel à projets 2028' } });
    const list = await page.get('/dossiers');
    expect(list.text).toContain(`action="/dossiers/${funded}/renouveler"`);
    expect(list.text).toContain(`value="${nextYear}"`);
    const renewed = await page.post(`/dossiers/${funded}/renouveler`, { campaignId: nextYear });
    expect(renewed.status).toBe(303);
    const draftId = /\/dossiers\/([0-9a-f-]{36})/.exec(renewed.location!)![1];
    expect(draftId).not.toBe(funded);
    const [row] = await t.dataSource.query(
      `SELECT status, renewal_of_id AS "renewalOf", campaign_id AS "campaignId" FROM grant_applications WHERE id = $1`,
      [draftId],
    );
    expect(row).toEqual({ status: 'DRAFT', renewalOf: funded, campaignId: nextYear });
    expect(decode((await page.follow(renewed)).text)).toContain('reprend l’action de l’an dernier');
  });
});
