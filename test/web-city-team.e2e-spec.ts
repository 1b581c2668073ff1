/**
 * The city team's pages (HTML answers): the applications list's search (accents ignored), filters, sort and
 * CSV; two COPIL decisions racing for one envelope (one wins, the other is refused with the envelope named);
 * a refusal without its reason; closing the programming refused while a dossier is undecided; a financer's and
 * an association's posts refused; users created and disabled; a partner's SIRET; a failed email sent again;
 * the audit log's filter; the national page.
 */
import { createTestApp, loginAdmin, TestApp } from './support/test-app.js';
import { TEST_ADMIN, TEST_NATIONAL } from './support/constants.js';
import { createCampaign } from './factories/campaign.factory.js';
import { createStaffUser, registerAssociation } from './factories/account.factory.js';
import { createEligibleApplication } from './factories/application.factory.js';
import { decode, errorSummary, PageClient } from './support/page-client.js';
import { ensureNationalUser } from '../src/modules/accounts/accounts.service.js';

const STAFF_PASSWORD = 'mot-de-passe-financeur-42';

describe('web pages: the city team', () => {
  let t: TestApp;
  let campaignId: string;
  let apps: string[];
  let team: PageClient;
  let otherTeam: PageClient;
  let financer: PageClient;
  let association: PageClient;
  /** The race's winner (its decisions recorded) and loser (refused, decided later). */
  let winner: string;
  let loser: string;

  async function signIn(email: string, password: string): Promise<PageClient> {
    const page = new PageClient(t);
    await page.get('/connexion');
    const answer = await page.post('/connexion', { email, password });
    expect(answer.status).toBe(303);
    return page;
  }
  const copil = `/pilotage/campagnes/`;
  const decide = (page: PageClient, app: string, fields: Record<string, string>) =>
    page.post(
      `${copil}${campaignId}/copil/${app}`,
      Object.fromEntries(Object.entries(fields).map(([key, value]) => [key.replace('@', app), value])),
    );
  const grantedE = async () =>
    (
      await t.dataSource.query<{ total: number }[]>(
        `SELECT coalesce(sum(d.granted_cents), 0)::int AS total FROM decisions d JOIN partners p ON p.id = d.partner_id WHERE p.code = 'E'`,
      )
    )[0].total;

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await loginAdmin(t);
    ({ id: campaignId } = await createCampaign(t, {
      envelopes: [
        { partnerCode: 'E', themeCode: 'EMP', amountCents: 10_000_00 },
        { partnerCode: 'V', amountCents: 100_000_00 },
      ],
    }));
    const asso = await registerAssociation(t, 'Équipe de prévention spécialisée');
    const first = await registerAssociation(t, 'Régie de quartier');
    apps = [
      await createEligibleApplication(t, asso.token, admin, campaignId),
      await createEligibleApplication(t, asso.token, admin, campaignId),
      await createEligibleApplication(t, first.token, admin, campaignId, { title: 'Jardins partagés' }),
    ];
    await t
      .http()
      .post(`/api/v1/campaigns/${campaignId}/close-submissions`)
      .set('authorization', `Bearer ${admin}`)
      .expect(200);
    team = await signIn(TEST_ADMIN.email, TEST_ADMIN.password);
    otherTeam = await signIn((await createStaffUser(t, 'CITY_TEAM')).email, STAFF_PASSWORD);
    financer = await signIn((await createStaffUser(t, 'FINANCER', 'E')).email, STAFF_PASSWORD);
    association = await signIn(asso.email, 'mot-de-passe-solide-42');
  });
  afterAll(async () => {
    await t.close();
  });

  it('searches the list without accents, filters and sorts by GET parameters, and gives it as CSV', async () => {
    const base = `/pilotage/campagnes/${campaignId}/dossiers`;
    const all = decode((await team.get(base)).text);
    expect(all).toContain('3</strong> dossiers');
    const searched = decode((await team.get(`${base}?q=EQUIPE%20de%20prevention`)).text);
    expect(searched).toContain('2</strong> dossiers');
    expect(searched).not.toContain('Jardins partagés');
    const title = decode((await team.get(`${base}?q=jardins&statut=ELIGIBLE`)).text);
    expect(title).toContain('1</strong> dossier ');
    expect(title).toContain('value="jardins"');
    const none = decode((await team.get(`${base}?statut=SUBMITTED`)).text);
    expect(none).toContain('Aucun dossier ne correspond à ces filtres.');
    const byHolder = decode((await team.get(`${base}?tri=holder&theme=EMP`)).text);
    // Grouped by holder, the filters kept in the form and in the CSV's link.
    const holders = [...byHolder.matchAll(/<span class="govuk-body-s">([^<]+)<\/span>/g)].map(
      (match) => match[1],
    );
    expect(holders).toHaveLength(3);
    expect(holders[0] === holders[1] || holders[1] === holders[2]).toBe(true);
    expect(byHolder).toMatch(/<option value="holder" selected>/);
    expect(byHolder).toContain('dossiers.csv?theme=EMP&tri=holder');
    const csv = await team.agent.get(`${base}.csv?q=jardins`).buffer(true);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = (csv.text as string)
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      /^2027-EMP-\d{4};Jardins partagés;Régie de quartier;Emploi;QN02602M, QN02604M;Éligible;20000,00;15000,00;\d{4}-\d{2}-\d{2}$/,
    );
  });

  it('two decisions racing for one envelope: one is recorded, the other refused naming the envelope', async () => {
    await team.get(`${copil}${campaignId}/copil`);
    await otherTeam.get(`${copil}${campaignId}/copil`);
    const fields = { 'granted-@-E': '8 000', 'granted-@-V': '7000' };
    const answers = await Promise.all([decide(team, apps[0], fields), decide(otherTeam, apps[1], fields)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([303, 409]);
    const refused = answers.find((answer) => answer.status === 409)!;
    [winner, loser] = answers[0].status === 303 ? [apps[0], apps[1]] : [apps[1], apps[0]];
    expect(errorSummary(refused.text)[0]).toMatch(
      /^L’enveloppe de État \(Déléguée du préfet\) pour « Emploi » n’a plus que 2\s000,00\s€ pour ce dossier : 8\s000,00\s€ la dépasseraient de 6\s000,00\s€\.$/,
    );
    expect(refused.text).toMatch(/value="8 000"/);
    expect(await grantedE()).toBe(8_000_00);
    const page = decode((await team.get(`${copil}${campaignId}/copil`)).text);
    expect(page).toMatch(/Reste de l’enveloppe pour ce thème : 2\s000,00\s€/);
  });

  it('a refusal needs its reason; nothing is saved without it', async () => {
    const answer = await decide(team, loser, { 'granted-@-E': '0', 'granted-@-V': '7 000' });
    expect(answer.status).toBe(422);
    expect(errorSummary(answer.text)).toEqual([
      'Renseignez « Motif de la décision de État (Déléguée du préfet) » : le porteur le lira.',
    ]);
    const [{ count }] = await t.dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM decisions WHERE application_id = $1`,
      [loser],
    );
    expect(count).toBe(0);
    const saved = await decide(team, loser, {
      'granted-@-E': '0',
      'reason-@-E': 'Enveloppe de l’État épuisée.',
      'granted-@-V': '7 000',
    });
    expect(saved.status).toBe(303);
    expect(decode((await team.follow(saved)).text)).toMatch(/Décisions enregistrées : 7\s000,00\s€ accordés/);
  });

  it('flags on the COPIL screen a holder granted more than 23 000 € by a financer in the year', async () => {
    const page = async () => decode((await team.get(`${copil}${campaignId}/copil`)).text);
    expect(await page()).not.toContain('convention et publication obligatoires');
    const [decision] = await t.dataSource.query<{ id: string; granted: number }[]>(
      `SELECT d.id, d.granted_cents::int AS granted FROM decisions d JOIN partners p ON p.id = d.partner_id
        WHERE d.application_id = $1 AND p.code = 'V'`,
      [winner],
    );
    await t.dataSource.query(`UPDATE decisions SET granted_cents = 1600001 WHERE id = $1`, [decision.id]);
    try {
      // 16 000,01 € on this dossier and 7 000 € on the other one of the same holder: 23 000,01 €.
      expect(await page()).toMatch(
        /23\s000,01\s€ accordés à ce porteur dans l’année : convention et publication obligatoires/,
      );
    } finally {
      await t.dataSource.query(`UPDATE decisions SET granted_cents = $2 WHERE id = $1`, [
        decision.id,
        decision.granted,
      ]);
    }
  });

  it('closing the programming is refused while a dossier is undecided, which the confirmation lists', async () => {
    const step = `${copil}${campaignId}/etape/cloturer-programmation`;
    const confirmation = decode((await team.get(step)).text);
    expect(confirmation).toContain('Le COPIL n’a pas encore statué sur 1 dossier(s) éligible(s)');
    expect(confirmation).toContain(`copil?q=2027-EMP-`);
    const refused = await team.post(step, {});
    expect(refused.status).toBe(409);
    expect(errorSummary(refused.text)[0]).toMatch(
      /^Le COPIL n’a pas encore statué sur 1 dossier\(s\) éligible\(s\) : 2027-EMP-\d{4}\.$/,
    );
    const [{ status }] = await t.dataSource.query(`SELECT status FROM campaigns WHERE id = $1`, [campaignId]);
    expect(status).toBe('REVIEW');
  });

  it('a financer’s and an association’s posts to the city team’s pages are refused and change nothing', async () => {
    for (const page of [financer, association]) {
      await page.get('/');
      const decision = await decide(page, apps[2], { 'granted-@-E': '1000', 'granted-@-V': '1000' });
      expect(decision.status).toBe(403);
      const returned = await page.post(`/pilotage/dossiers/${apps[2]}/complements`, { message: 'Non.' });
      expect(returned.status).toBe(403);
      const step = await page.post(`${copil}${campaignId}/etape/cloturer-programmation`, {});
      expect(step.status).toBe(403);
      const user = await page.post('/pilotage/utilisateurs', {
        displayName: 'Intrus',
        email: 'intrus@example.org',
        role: 'CITY_TEAM',
        password: 'un-mot-de-passe-long',
      });
      expect(user.status).toBe(403);
    }
    const [{ count }] = await t.dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM decisions WHERE application_id = $1`,
      [apps[2]],
    );
    expect(count).toBe(0);
    const [{ status }] = await t.dataSource.query(`SELECT status FROM grant_applications WHERE id = $1`, [
      apps[2],
    ]);
    expect(status).toBe('ELIGIBLE');
    const intruders = await t.dataSource.query(`SELECT 1 FROM users WHERE email = 'intrus@example.org'`);
    expect(intruders).toHaveLength(0);
  });

  it('creates a financer’s account (its institution required), then disables it after confirmation', async () => {
    await team.get('/pilotage/utilisateurs');
    const missing = await team.post('/pilotage/utilisateurs', {
      displayName: 'Bruno Caf',
      email: 'bruno.caf@example.org',
      role: 'FINANCER',
      partnerCode: '',
      password: 'provisoire-caf-2027',
    });
    expect(missing.status).toBe(422);
    expect(errorSummary(missing.text)).toEqual(['Choisissez l’institution de ce financeur.']);
    expect(missing.text).toContain('value="bruno.caf@example.org"');
    expect(missing.text).not.toContain('provisoire-caf-2027');
    const created = await team.post('/pilotage/utilisateurs', {
      displayName: 'Bruno Caf',
      email: 'bruno.caf@example.org',
      role: 'FINANCER',
      partnerCode: 'CAF',
      password: 'provisoire-caf-2027',
    });
    expect(created.status).toBe(303);
    const list = decode((await team.follow(created)).text);
    expect(list).toContain('Le compte de Bruno Caf est créé.');
    expect(list).toContain("Financeur : Caisse d'allocations familiales de la Drôme");
    const bruno = await signIn('bruno.caf@example.org', 'provisoire-caf-2027');
    expect((await bruno.get('/instruction')).location).toBe('/compte/mot-de-passe');

    const [{ id }] = await t.dataSource.query(`SELECT id FROM users WHERE email = 'bruno.caf@example.org'`);
    const confirm = decode((await team.get(`/pilotage/utilisateurs/${id}/desactiver`)).text);
    expect(confirm).toContain('Désactiver le compte de Bruno Caf');
    const disabled = await team.post(`/pilotage/utilisateurs/${id}/desactiver`, {});
    expect(disabled.status).toBe(303);
    expect(decode((await team.follow(disabled)).text)).toContain('Le compte de Bruno Caf est désactivé');
    expect((await bruno.get('/compte/mot-de-passe')).location).toMatch(/^\/connexion/);
  });

  it('edits a partner’s SIRET and signatory, a wrong SIRET refused with what was typed', async () => {
    const page = decode((await team.get('/pilotage/referentiel')).text);
    // The seed's signatory, as the conventions name it.
    expect(page).toContain('value="le directeur de la Caisse d’allocations familiales de la Drôme"');
    const wrong = await team.post('/pilotage/referentiel/partenaires/CAF', {
      name: 'CAF de la Drôme',
      siret: '123',
      isFinancer: 'oui',
    });
    expect(wrong.status).toBe(422);
    expect(errorSummary(wrong.text)).toHaveLength(1);
    expect(wrong.text).toContain('value="123"');
    const right = await team.post('/pilotage/referentiel/partenaires/CAF', {
      name: 'CAF de la Drôme',
      siret: '21260198300019',
      isFinancer: 'oui',
      signatory: 'la directrice de la CAF de la Drôme',
    });
    expect(right.status).toBe(303);
    const [partner] = await t.dataSource.query(
      `SELECT name, siret, signatory FROM partners WHERE code = 'CAF'`,
    );
    expect(partner).toEqual({
      name: 'CAF de la Drôme',
      siret: '21260198300019',
      signatory: 'la directrice de la CAF de la Drôme',
    });
  });

  it('sends a failed email again with « Renvoyer »', async () => {
    const [row] = await t.dataSource.query<{ id: string; to_address: string }[]>(
      `WITH failed AS (UPDATE notifications SET status = 'FAILED', last_error = 'Mailbox unavailable'
                        WHERE id = (SELECT id FROM notifications WHERE contract_id IS NOT NULL ORDER BY created_at LIMIT 1)
                       RETURNING id, to_address)
       SELECT * FROM failed`,
    );
    const failed = decode((await team.get('/pilotage/courriels?statut=FAILED')).text);
    expect(failed).toContain(row.to_address);
    expect(failed).toContain('Mailbox unavailable');
    const resent = await team.post(`/pilotage/courriels/${row.id}/renvoyer`, {});
    expect(resent.status).toBe(303);
    const [after] = await t.dataSource.query(`SELECT status, resend_count FROM notifications WHERE id = $1`, [
      row.id,
    ]);
    expect(after).toEqual({ status: 'PENDING', resend_count: 1 });
  });

  it('filters the audit log by object', async () => {
    const decisions = decode((await team.get('/pilotage/journal?table=decisions')).text);
    expect(decisions).toContain('Décision : création');
    expect(decisions).not.toContain('Dossier : modification');
    const dossier = decode(
      (await team.get(`/pilotage/journal?table=grant_applications&ligne=${winner}`)).text,
    );
    expect(dossier).toContain('statut : Éligible → Programmé');
  });

  it('the national page answers the national agency only', async () => {
    await ensureNationalUser(t.dataSource, TEST_NATIONAL);
    const national = await signIn(TEST_NATIONAL.email, TEST_NATIONAL.password);
    const page = await national.get('/national?annee=2027');
    expect(page.status).toBe(200);
    expect(decode(page.text)).toContain('Synthèse nationale 2027');
    expect(decode(page.text)).toMatch(/<span class="cdv-counts__figure">1<\/span>contrat de ville/);
    expect((await national.get('/pilotage')).status).toBe(403);
    expect((await team.get('/national')).status).toBe(403);
  });
});
