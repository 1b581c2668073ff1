/**
 * The association's pages without a browser (HTML answers): the whole journey from « Créer un compte » to
 * « Déposer le dossier », and every page's refusals — not signed in, another organisation's dossier, a POST
 * without its CSRF token or from another origin, a bearer token on a page, the cookie on the API.
 */
import { createTestApp, TestApp } from './support/test-app.js';
import { createCampaign } from './factories/campaign.factory.js';
import {
  createStaffUser,
  emailedToken,
  makeSiret,
  registerAssociation,
} from './factories/account.factory.js';
import { PDF_BYTES } from './factories/application.factory.js';
import { decode, errorSummary, PageClient } from './support/page-client.js';

const PASSWORD = 'mot-de-passe-solide-42';
let sequence = 0;

/** Registers an association through « Créer un compte », signed in afterwards. */
async function registerThroughPages(t: TestApp, options: { confirm?: boolean } = {}) {
  const page = new PageClient(t);
  await page.get('/inscription');
  const email = `page-${Date.now().toString(36)}-${++sequence}@example.org`;
  const answer = await page.post('/inscription', {
    displayName: 'Camille Durand',
    email,
    password: PASSWORD,
    organizationName: `Les Amis du Quartier ${sequence}`,
    legalForm: 'Association loi 1901',
    siret: makeSiret(),
    rna: '',
    address: '3 rue des Écoles, 26200 Montélimar',
    legalRepresentative: 'Camille Durand',
    contactEmail: '',
  });
  expect(answer.status).toBe(303);
  expect(answer.location).toBe('/dossiers');
  if (options.confirm ?? true) {
    const token = await emailedToken(t, 'EMAIL_CONFIRMATION', email);
    await page.get(`/compte/confirmer?token=${token}`);
    expect((await page.post('/compte/confirmer', { token })).status).toBe(303);
  }
  return { page, email };
}

const idOf = (location: string | undefined) => /\/dossiers\/([0-9a-f-]{36})/.exec(location ?? '')![1];
const optionValues = (html: string, name: string) =>
  [
    ...(new RegExp(`<select[^>]*name="${name}"[\\s\\S]*?</select>`).exec(html)?.[0] ?? '').matchAll(
      /<option value="([^"]+)"/g,
    ),
  ].map((m) => m[1]);

describe('web pages: the association’s journey', () => {
  let t: TestApp;
  let campaignId: string;
  beforeAll(async () => {
    t = await createTestApp();
    campaignId = (await createCampaign(t)).id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('registers, drafts every section, is refused an unbalanced budget, fixes it, attaches, submits', async () => {
    const { page, email } = await registerThroughPages(t);
    const list = await page.get('/dossiers');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Mes dossiers');
    expect(list.text).toContain('Déposer un nouveau dossier');

    const form = await page.get('/dossiers/nouveau');
    expect(form.text).toContain(campaignId);
    const created = await page.post('/dossiers/nouveau', {
      campaignId,
      title: 'Aide aux devoirs au Pracomtal',
      themeCode: 'EDU',
    });
    expect(created.status).toBe(303);
    const id = idOf(created.location);

    const tasks = await page.follow(created);
    expect(tasks.text).toContain('Aide aux devoirs au Pracomtal');
    for (const section of [
      'Porteur du projet',
      'Le projet',
      'Publics et quartiers',
      'Budget',
      'Pièces jointes',
      'Priorités transversales',
      'Vérifier et déposer',
    ])
      expect(decode(tasks.text)).toContain(section);
    expect(tasks.text).toContain('À compléter');

    const project = await page.get(`/dossiers/${id}/projet`);
    const measureId = optionValues(project.text, 'measureId')[0];
    expect(measureId).toBeDefined();
    const savedProject = await page.post(`/dossiers/${id}/projet`, {
      version: '1',
      title: 'Aide aux devoirs au Pracomtal',
      summary: 'Soutien scolaire quatre soirs par semaine.',
      objectives: 'Faire progresser trente collégiens.',
      description: 'Des bénévoles et une animatrice accueillent les collégiens après les cours.',
      measureId,
      location: 'Maison de quartier du Pracomtal',
      startDate: '2027-09-01',
      endDate: '2028-06-30',
      indicatorLabel: ['Collégiens accompagnés', '', ''],
      indicatorUnit: ['personnes', '', ''],
      indicatorTarget: ['30', '', ''],
    });
    expect(savedProject.location).toBe(`/dossiers/${id}/publics`);

    const publics = await page.get(`/dossiers/${id}/publics`);
    const qpv = /name="qpvCodes" type="checkbox" value="([^"]+)"/.exec(publics.text)![1];
    const version = () => /name="version" value="(\d+)"/;
    const savedPublics = await page.post(`/dossiers/${id}/publics`, {
      version: version().exec(publics.text)![1],
      qpvCodes: [qpv],
      total: '30',
      qpvResidents: '25',
      women: '16',
      men: '14',
      age0: '',
      age6: '',
      age12: '30',
      age16: '',
      age26: '',
      age65: '',
    });
    expect(savedPublics.location).toBe(`/dossiers/${id}/budget`);

    // An unbalanced budget: saved (nothing lost) but refused with the error summary, the typed values kept.
    let budget = await page.get(`/dossiers/${id}/budget`);
    const grid = (productsOwn: string) => ({
      version: version().exec(budget.text)![1],
      chargeAccount: ['641', '604', ''],
      chargeLabel: ['Animatrice', 'Fournitures scolaires', ''],
      chargeAmount: ['4 270,50', '729.50', ''],
      'financer-E': '2 000',
      'financer-V': '1 500',
      productAccount: ['756', ''],
      productLabel: ['Cotisations', ''],
      productAmount: [productsOwn, ''],
    });
    const refused = await page.post(`/dossiers/${id}/budget`, grid('400'));
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Il y a un problème');
    expect(errorSummary(refused.text).join(' ')).toMatch(/pas équilibré/);
    expect(refused.text).toContain('value="4 270,50"');
    expect(refused.text).toContain('<title>Erreur : ');
    budget = refused;
    const fixed = await page.post(`/dossiers/${id}/budget`, grid('1 500'));
    expect(fixed.status).toBe(303);
    expect(fixed.location).toBe(`/dossiers/${id}/pieces`);
    const stored = await t.dataSource.query(`SELECT budget FROM grant_applications WHERE id = $1`, [id]);
    expect(stored[0].budget.charges[0]).toMatchObject({ account: '641', amountCents: 4_270_50 });

    // Attachments: multipart with its CSRF token.
    for (const kind of ['STATUTES', 'BANK_DETAILS']) {
      const answer = await page.agent
        .post(`/dossiers/${id}/pieces`)
        .redirects(0)
        .set('origin', page.origin)
        .field('_csrf', page.csrf)
        .field('kind', kind)
        .attach('file', PDF_BYTES, { filename: `${kind}.pdf`, contentType: 'application/pdf' });
      expect(answer.status).toBe(303);
    }
    const pieces = await page.get(`/dossiers/${id}/pieces`);
    expect(pieces.text).toContain('STATUTES.pdf');
    expect(pieces.text).toContain('10 Mo au plus');

    const priorities = await page.get(`/dossiers/${id}/priorites`);
    const savedPriorities = await page.post(`/dossiers/${id}/priorites`, {
      version: version().exec(priorities.text)![1],
      genderMarker: '1',
      genderMeasures: 'Groupes mixtes et horaires adaptés.',
      womenShareJustification: '',
      youthMeasures: 'Action destinée aux collégiens.',
      antiDiscriminationMeasures: 'Accueil sans condition de résultats scolaires.',
    });
    expect(savedPriorities.location).toBe(`/dossiers/${id}/verifier`);

    const verify = await page.get(`/dossiers/${id}/verifier`);
    expect(decode(verify.text)).toContain('Vérifier vos réponses');
    expect(verify.text).toContain('Modifier');
    expect(verify.text).toContain('Déposer le dossier');
    // Without the sworn statement's boxes: refused, with the summary.
    const unsworn = await page.post(`/dossiers/${id}/verifier`, {
      signatoryName: 'Camille Durand',
      signatoryRole: 'Présidente',
    });
    expect(unsworn.status).toBe(422);
    expect(unsworn.text).toContain('Il y a un problème');
    const submitted = await page.post(`/dossiers/${id}/verifier`, {
      signatoryName: 'Camille Durand',
      signatoryRole: 'Présidente',
      commitments: [
        'certifiesAccuracy',
        'obligationsUpToDate',
        'budgetApproved',
        'publicAidDeclared',
        'paymentToOwnAccount',
        'republicanCommitmentSigned',
      ],
    });
    expect(submitted.status).toBe(303);
    const dossier = await page.follow(submitted);
    expect(decode(dossier.text)).toContain('Déposé');
    expect(dossier.text).toContain('est déposé');
    const [mail] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM notifications WHERE to_address = $1 AND type = 'APPLICATION_SUBMITTED'`,
      [email],
    );
    expect(mail.n).toBe(1);
    // A submitted dossier's sections are closed.
    const closed = await page.get(`/dossiers/${id}/budget`);
    expect(closed.status).toBe(303);
  });

  it('keeps another organisation out of a dossier: 404 on its pages, its POSTs change nothing', async () => {
    const { page: owner } = await registerThroughPages(t);
    await owner.get('/dossiers/nouveau');
    const id = idOf(
      (await owner.post('/dossiers/nouveau', { campaignId, title: 'Atelier théâtre', themeCode: 'EDU' }))
        .location,
    );
    const { page: other } = await registerThroughPages(t);
    for (const path of [
      '',
      '/projet',
      '/publics',
      '/budget',
      '/pieces',
      '/priorites',
      '/verifier',
      '/porteur',
    ])
      expect((await other.get(`/dossiers/${id}${path}`)).status).toBe(404);
    await other.get('/dossiers');
    const write = await other.post(`/dossiers/${id}/projet`, { version: '1', title: 'Pris' });
    expect(write.status).toBe(404);
    const submit = await other.post(`/dossiers/${id}/verifier`, { signatoryName: 'X', signatoryRole: 'Y' });
    expect(submit.status).toBe(404);
    const [row] = await t.dataSource.query(`SELECT title, status FROM grant_applications WHERE id = $1`, [
      id,
    ]);
    expect(row).toEqual({ title: 'Atelier théâtre', status: 'DRAFT' });
  });

  it('refuses a POST without the CSRF token or from another origin, and changes nothing', async () => {
    const { page } = await registerThroughPages(t);
    await page.get('/dossiers/nouveau');
    const id = idOf(
      (await page.post('/dossiers/nouveau', { campaignId, title: 'Jardin partagé', themeCode: 'EDU' }))
        .location,
    );
    await page.get(`/dossiers/${id}/projet`);
    const noToken = await page.post(
      `/dossiers/${id}/projet`,
      { version: '1', title: 'Volé' },
      { csrf: null },
    );
    expect(noToken.status).toBe(403);
    expect(decode(noToken.text)).toContain('formulaire a expiré');
    const wrongToken = await page.post(
      `/dossiers/${id}/projet`,
      { version: '1', title: 'Volé' },
      { csrf: 'x'.repeat(43) },
    );
    expect(wrongToken.status).toBe(403);
    const elsewhere = await page.post(
      `/dossiers/${id}/projet`,
      { version: '1', title: 'Volé' },
      { origin: 'https://malveillant.example' },
    );
    expect(elsewhere.status).toBe(403);
    const noOrigin = await page.post(
      `/dossiers/${id}/projet`,
      { version: '1', title: 'Volé' },
      { origin: null },
    );
    expect(noOrigin.status).toBe(403);
    const upload = await page.agent
      .post(`/dossiers/${id}/pieces`)
      .set('origin', page.origin)
      .field('kind', 'STATUTES')
      .attach('file', PDF_BYTES, { filename: 'statuts.pdf', contentType: 'application/pdf' });
    expect(upload.status).toBe(403);
    const [row] = await t.dataSource.query(
      `SELECT title, (SELECT count(*)::int FROM attachments WHERE application_id = $1) AS files FROM grant_applications WHERE id = $1`,
      [id],
    );
    expect(row).toEqual({ title: 'Jardin partagé', files: 0 });
  });

  it('renews the session id at sign-in and ends the session at sign-out', async () => {
    const association = await registerAssociation(t);
    const page = new PageClient(t);
    await page.get('/connexion');
    const before = page.session;
    expect(before).toBeDefined();
    const wrong = await page.post('/connexion', {
      email: association.email,
      password: 'pas-le-bon-mot-de-passe',
    });
    expect(wrong.status).toBe(422);
    expect(errorSummary(wrong.text)).toEqual(['Adresse e-mail ou mot de passe incorrect.']);
    expect(wrong.text).toContain(`value="${association.email}"`);
    const signedIn = await page.post('/connexion', { email: association.email, password: PASSWORD });
    expect(signedIn.status).toBe(303);
    expect(signedIn.location).toBe('/dossiers');
    expect(page.session).toBeDefined();
    expect(page.session).not.toBe(before);
    expect((await page.get('/dossiers')).status).toBe(200);
    const stolen = page.session!;
    await page.post('/deconnexion', {});
    expect((await page.get('/dossiers')).status).toBe(303);
    // The old cookie, replayed, opens nothing.
    const replay = await t.http().get('/dossiers').set('cookie', `cdv_session=${stolen}`).redirects(0);
    expect(replay.status).toBe(303);
    expect(replay.headers.location).toBe('/connexion?retour=%2Fdossiers');
  });

  it('sends a visitor to « Se connecter » and back; refuses bearer tokens on pages and the cookie on the API', async () => {
    const anonymous = await t.http().get('/dossiers/nouveau').redirects(0);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe('/connexion?retour=%2Fdossiers%2Fnouveau');
    const association = await registerAssociation(t);
    const bearer = await t
      .http()
      .get('/dossiers')
      .set('authorization', `Bearer ${association.token}`)
      .redirects(0);
    expect(bearer.status).toBe(303);
    const page = new PageClient(t);
    await page.get('/connexion');
    await page
      .post('/connexion', { email: association.email, password: PASSWORD, retour: '/dossiers/nouveau' })
      .then((answer) => expect(answer.location).toBe('/dossiers/nouveau'));
    const api = await page.agent.get('/api/v1/auth/me');
    expect(api.status).toBe(401);
    // A return address elsewhere is not followed.
    const page2 = new PageClient(t);
    await page2.get('/connexion');
    const away = await page2.post('/connexion', {
      email: association.email,
      password: PASSWORD,
      retour: '//malveillant.example',
    });
    expect(away.location).toBe('/dossiers');
  });

  it('refuses the association’s pages to the other roles', async () => {
    const financer = await createStaffUser(t, 'FINANCER', 'E');
    const page = new PageClient(t);
    await page.get('/connexion');
    await page.post('/connexion', { email: financer.email, password: 'mot-de-passe-financeur-42' });
    expect((await page.get('/dossiers')).status).toBe(403);
  });

  it('shows the registration refused with the API’s messages and what was typed', async () => {
    const page = new PageClient(t);
    await page.get('/inscription');
    const answer = await page.post('/inscription', {
      displayName: 'Camille',
      email: 'pas-une-adresse',
      password: 'court',
      organizationName: 'Les Amis',
      legalForm: 'Association loi 1901',
      siret: '12345678901234',
      rna: '',
      address: '1 rue',
      legalRepresentative: 'Camille',
      contactEmail: '',
    });
    expect(answer.status).toBe(422);
    const problems = errorSummary(answer.text);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Adresse électronique'),
        expect.stringContaining('12 caractères'),
        'Le SIRET doit compter 14 chiffres et respecter la clé de contrôle (Luhn).',
      ]),
    );
    expect(answer.text).toContain('value="Les Amis"');
    expect(answer.text).not.toContain('value="court"');
  });

  it('lets a member invite a colleague, who joins by the emailed link; a forgotten password is reset by its link', async () => {
    const { page } = await registerThroughPages(t);
    const members = await page.get('/organisation/membres');
    expect(members.status).toBe(200);
    expect(members.text).toContain('Inviter un membre');
    const invalid = await page.post('/organisation/membres', { email: 'pas une adresse' });
    expect(invalid.status).toBe(422);
    expect(errorSummary(invalid.text)).toHaveLength(1);
    const colleague = `collegue-${Date.now().toString(36)}@example.org`;
    expect((await page.post('/organisation/membres', { email: colleague })).status).toBe(303);

    const invited = new PageClient(t);
    const token = await emailedToken(t, 'INVITATION', colleague);
    await invited.get(`/invitation?token=${token}`);
    const joined = await invited.post('/invitation', {
      token,
      displayName: 'Sam Martin',
      password: PASSWORD,
    });
    expect(joined.location).toBe('/dossiers');
    expect((await invited.get('/dossiers')).status).toBe(200);
    // The link is spent.
    const again = await invited.post('/invitation', { token, displayName: 'Sam Martin', password: PASSWORD });
    expect(again.status).toBe(422);

    const forgotten = new PageClient(t);
    await forgotten.get('/mot-de-passe-oublie');
    const sent = await forgotten.post('/mot-de-passe-oublie', { email: colleague });
    expect(sent.status).toBe(200);
    const unknown = await forgotten.post('/mot-de-passe-oublie', { email: 'personne@nulle-part.fr' });
    // The same answer whether the address has an account or not.
    const main = (html: string) => /<main[\s\S]*<\/main>/.exec(html)![0];
    expect(main(unknown.text).replace(/personne@nulle-part.fr/g, colleague)).toBe(main(sent.text));
    const resetToken = await emailedToken(t, 'PASSWORD_RESET', colleague);
    await forgotten.get(`/mot-de-passe-oublie/nouveau?token=${resetToken}`);
    const weak = await forgotten.post('/mot-de-passe-oublie/nouveau', {
      token: resetToken,
      newPassword: 'court',
    });
    expect(weak.status).toBe(422);
    const reset = await forgotten.post('/mot-de-passe-oublie/nouveau', {
      token: resetToken,
      newPassword: 'un-tout-nouveau-mot-de-passe',
    });
    expect(reset.location).toBe('/connexion');
    await forgotten.get('/connexion');
    const signedIn = await forgotten.post('/connexion', {
      email: colleague,
      password: 'un-tout-nouveau-mot-de-passe',
    });
    expect(signedIn.location).toBe('/dossiers');
  });

  it('changes one’s password from the account page (the current one required)', async () => {
    const { page } = await registerThroughPages(t);
    await page.get('/compte/mot-de-passe');
    const wrong = await page.post('/compte/mot-de-passe', {
      currentPassword: 'faux-mot-de-passe',
      newPassword: 'nouveau-mot-de-passe-2027',
    });
    expect(wrong.status).toBe(422);
    expect(errorSummary(wrong.text)).toEqual(['Le mot de passe actuel est incorrect.']);
    const changed = await page.post('/compte/mot-de-passe', {
      currentPassword: PASSWORD,
      newPassword: 'nouveau-mot-de-passe-2027',
    });
    expect(changed.status).toBe(303);
    expect((await page.get('/dossiers')).status).toBe(200);
  });

  it('replaces a document by another of its kind and deletes one; another association can do neither', async () => {
    const { page } = await registerThroughPages(t);
    await page.get('/dossiers/nouveau');
    const id = idOf(
      (await page.post('/dossiers/nouveau', { campaignId, title: 'Atelier couture', themeCode: 'EDU' }))
        .location,
    );
    const upload = (name: string) =>
      page.agent
        .post(`/dossiers/${id}/pieces`)
        .redirects(0)
        .set('origin', page.origin)
        .field('_csrf', page.csrf)
        .field('kind', 'STATUTES')
        .attach('file', PDF_BYTES, { filename: name, contentType: 'application/pdf' });
    await page.get(`/dossiers/${id}/pieces`);
    expect((await upload('statuts-2019.pdf')).status).toBe(303);
    expect((await upload('statuts-2026.pdf')).status).toBe(303);
    const pieces = await page.get(`/dossiers/${id}/pieces`);
    expect(decode(pieces.text)).toContain('« statuts-2026.pdf » remplace « statuts-2019.pdf »');
    const files = () =>
      t.dataSource.query(`SELECT filename FROM attachments WHERE application_id = $1`, [id]);
    expect(await files()).toEqual([{ filename: 'statuts-2026.pdf' }]);
    const [{ id: attachmentId }] = await t.dataSource.query(
      `SELECT id FROM attachments WHERE application_id = $1`,
      [id],
    );

    const { page: other } = await registerThroughPages(t);
    await other.get('/dossiers');
    expect((await other.post(`/dossiers/${id}/pieces/${attachmentId}/supprimer`, {})).status).toBe(404);
    expect((await other.get(`/dossiers/${id}/pieces/${attachmentId}`)).status).toBe(404);
    expect(await files()).toHaveLength(1);

    const download = await page.agent.get(`/dossiers/${id}/pieces/${attachmentId}`);
    expect(download.status).toBe(200);
    expect(download.headers['content-disposition']).toContain('attachment');
    expect((await page.post(`/dossiers/${id}/pieces/${attachmentId}/supprimer`, {})).status).toBe(303);
    expect(await files()).toEqual([]);
  });
});
