/**
 * A whole year in the browser only (Debian's Chromium, playwright-core), axe-core on every page: the city team
 * creates a financer's account and a campaign (its calendar first refused out of order), sets its envelopes and
 * opens it; an association registers and submits; the team asks for a complement, the association answers and
 * submits again; the team declares the dossier eligible and closes submissions; the financer, at first sign-in,
 * changes its provisional password and validates its review; the team reads the COTECH table, records the COPIL's
 * decisions (the first refused for an overspent envelope, the message naming it and its remainder, the typed
 * amounts kept), closes the programming, downloads the convention (its text read back) and the CSV files; every
 * email arrives once. A financer and an association get 403 or 404 on every city-team page.
 */
import { jest } from '@jest/globals';
import { PDFParse } from 'pdf-parse';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestApp, TestApp } from './support/test-app.js';
import { CRITERIA_LABELS, TEST_ADMIN, TEST_NATIONAL } from './support/constants.js';
import { ensureNationalUser } from '../src/modules/accounts/accounts.service.js';
import { eventually, SmtpSink } from './support/smtp-sink.js';
import { AccessibilityLog, launchBrowser, listen } from './support/browser.js';
import { registerInBrowser, writeAndSubmitDossier } from './support/association-journey.js';
import { PDF_BYTES, PNG_BYTES } from './factories/application.factory.js';

jest.setTimeout(300_000);
const PROVISIONAL = 'provisoire-financeur-2027';
const FINANCER_PASSWORD = 'mot-de-passe-financeur-42';
const FINANCER_EMAIL = 'agent.etat@drome.gouv.fr';
const CRITERIA = CRITERIA_LABELS;

/** A day from today, as a date field takes it. */
const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('browser: the city team runs the year', () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let base: string;
  let browser: Browser;
  const a11y = new AccessibilityLog(() => browser);
  let team: Page;
  let association: Page;
  let financer: Page;
  let associationEmail: string;
  let campaignPath: string;
  let dossierId: string;

  beforeAll(async () => {
    await sink.start();
    t = await createTestApp({ WORKER_IN_PROCESS: 'true', SMTP_URL: sink.url, MAIL_RETRY_BASE_MS: '100' });
    base = await listen(t);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
    await sink.stop();
  });

  async function visited(page: Page): Promise<Page> {
    await page.waitForLoadState('domcontentloaded');
    await a11y.check(page);
    return page;
  }
  const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
  const path = (page: Page) => new URL(page.url()).pathname;
  const problem = (page: Page) => page.locator('.govuk-error-summary').textContent();

  async function newPage(): Promise<Page> {
    const context: BrowserContext = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return page;
  }

  async function signIn(page: Page, email: string, password: string): Promise<void> {
    await page.goto(`${base}/connexion`);
    await visited(page);
    await page.getByLabel('Adresse électronique').fill(email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(password);
    await button(page, 'Se connecter').click();
    await visited(page);
  }

  it('the team creates a financer’s account and a campaign, refused out of order, then set up and opened', async () => {
    team = await newPage();
    await signIn(team, TEST_ADMIN.email, TEST_ADMIN.password);
    expect(path(team)).toBe('/pilotage');

    await team.getByRole('link', { name: 'Utilisateurs' }).click();
    await visited(team);
    await team.getByLabel('Nom et prénom').fill('Agnès Martin');
    await team.getByLabel('Adresse électronique').fill(FINANCER_EMAIL);
    await team.getByLabel(/Agent d’un financeur/).check();
    await team
      .getByLabel('Institution (pour un financeur)')
      .selectOption({ label: 'État (Déléguée du préfet)' });
    await team.getByLabel('Mot de passe provisoire').fill(PROVISIONAL);
    await button(team, 'Créer le compte').click();
    await visited(team);
    await expect(team.getByText('Le compte de Agnès Martin est créé').textContent()).resolves.toBeTruthy();

    await team.getByRole('link', { name: 'Tableau de bord' }).click();
    await visited(team);
    await team.getByRole('link', { name: 'Créer un appel à projets' }).click();
    await visited(team);
    await team.getByLabel('Année').fill('2027');
    await team.getByLabel('Intitulé', { exact: true }).fill('Appel à projets 2027');
    await team.getByLabel('Ouverture des dépôts').fill(day(0));
    await team.getByLabel('Date limite de dépôt').fill(day(30));
    await team.getByLabel('Date limite des avis des financeurs').fill(day(60));
    await team.getByLabel('Comité technique (COTECH)').fill(day(90));
    await team.getByLabel('Comité de pilotage (COPIL)').fill(day(80));
    await team.getByLabel('Date limite des bilans').fill(day(500));
    await button(team, 'Créer l’appel à projets').click();
    await visited(team);
    await expect(problem(team)).resolves.toMatch(/COPIL/);
    expect(await team.getByLabel('Comité technique (COTECH)').inputValue()).toBe(day(90));
    expect(await team.getByLabel('Intitulé', { exact: true }).inputValue()).toBe('Appel à projets 2027');
    await team.getByLabel('Comité technique (COTECH)').fill(day(70));
    await button(team, 'Créer l’appel à projets').click();
    await visited(team);
    expect(path(team)).toMatch(/^\/pilotage\/campagnes\/[0-9a-f-]{36}\/enveloppes$/);
    campaignPath = path(team).replace(/\/enveloppes$/, '');

    // The État's envelope for education is smaller than what the association will ask it.
    await team.getByLabel('État (Déléguée du préfet), Éducation et parentalité (euros)').fill('1 500');
    await team.getByLabel('Ville de Montélimar, Tous thèmes (euros)').fill('10000');
    await button(team, 'Enregistrer les enveloppes').click();
    await visited(team);
    expect(path(team)).toBe(campaignPath);
    await expect(team.getByText('Les enveloppes sont enregistrées.').textContent()).resolves.toBeTruthy();

    await team.getByRole('link', { name: 'Ouvrir les dépôts' }).click();
    await visited(team);
    await expect(
      team.getByText('Aucun courriel n’est envoyé à l’ouverture.').textContent(),
    ).resolves.toBeTruthy();
    await button(team, 'Ouvrir les dépôts').click();
    await visited(team);
    await expect(team.getByText('Ouvert aux dépôts', { exact: true }).textContent()).resolves.toBeTruthy();
  });

  it('an association submits; the team asks for a complement; the association answers and submits again', async () => {
    association = await newPage();
    const deps = { base, sink, visited };
    const registered = await registerInBrowser(deps, association.context());
    association = registered.page;
    associationEmail = registered.email;
    const dossier = await writeAndSubmitDossier(deps, association, associationEmail, true);
    dossierId = dossier.split('/')[2];

    await team.goto(`${base}/pilotage`);
    await visited(team);
    await team.getByRole('link', { name: /^2027-EDU-/ }).click();
    await visited(team);
    expect(path(team)).toBe(`/pilotage/dossiers/${dossierId}`);
    await button(team, 'Demander des compléments').click();
    await visited(team);
    await expect(problem(team)).resolves.toMatch(/Ce que le porteur doit compléter/);
    await team.getByLabel('Ce que le porteur doit compléter').fill('Joignez le dernier rapport d’activité.');
    await button(team, 'Demander des compléments').click();
    await visited(team);
    await expect(team.getByText('est renvoyé à son porteur').textContent()).resolves.toBeTruthy();
    const [returned] = await eventually(() => {
      const found = sink.to(associationEmail, /compléter|compléments|corriger/i);
      return found.length > 0 && found;
    });
    expect(returned.text).toContain('Joignez le dernier rapport d’activité.');

    await association.goto(`${base}${dossier}`);
    await visited(association);
    await expect(
      association.getByText('Joignez le dernier rapport d’activité.').first().textContent(),
    ).resolves.toBeTruthy();
    await association.goto(`${base}${dossier}/verifier`);
    await visited(association);
    for (const box of await association.getByRole('checkbox').all()) await box.check();
    await button(association, 'Déposer le dossier').click();
    await visited(association);
    await expect(association.getByText('Déposé').first().textContent()).resolves.toBeTruthy();
  });

  it('the team declares it eligible, the list finds it, submissions close', async () => {
    await team.goto(`${base}/pilotage/dossiers/${dossierId}`);
    await visited(team);
    await team.getByLabel('Inéligible').check();
    await button(team, 'Enregistrer l’éligibilité').click();
    await visited(team);
    await expect(problem(team)).resolves.toMatch(/motif/);
    await team.getByLabel('Éligible : il passe à l’instruction des financeurs').check();
    await button(team, 'Enregistrer l’éligibilité').click();
    await visited(team);
    await expect(team.getByText('est déclaré éligible').textContent()).resolves.toBeTruthy();

    await team.goto(`${base}${campaignPath}/dossiers`);
    await visited(team);
    await team.getByLabel('Rechercher').fill('pracomtal');
    await team.getByLabel('Statut').selectOption('ELIGIBLE');
    await button(team, 'Filtrer').click();
    await visited(team);
    expect(team.url()).toContain('statut=ELIGIBLE');
    await expect(team.getByRole('link', { name: /^2027-EDU-/ }).count()).resolves.toBe(1);
    const csv = await team.context().request.get(`${base}${campaignPath}/dossiers.csv?statut=ELIGIBLE`);
    expect(csv.headers()['content-type']).toContain('text/csv');
    const raw = await csv.body();
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM French Excel needs
    const lines = raw.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0]).toBe(
      'Référence;Intitulé;Porteur;Thème;Quartiers;Statut;Coût de l’action (€);Demandé (€);Déposé le',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      /^2027-EDU-\d{4};Aide aux devoirs au Pracomtal;.*;Éducation et parentalité;.*;Éligible;5000,00;3500,00;/,
    );

    await team.goto(`${base}${campaignPath}`);
    await visited(team);
    await team.getByRole('link', { name: 'Clôturer les dépôts' }).click();
    await visited(team);
    await button(team, 'Clôturer les dépôts').click();
    await visited(team);
    await expect(team.getByText('En instruction', { exact: true }).textContent()).resolves.toBeTruthy();
  });

  it('the financer changes its provisional password and validates its review', async () => {
    financer = await newPage();
    await signIn(financer, FINANCER_EMAIL, PROVISIONAL);
    expect(path(financer)).toBe('/compte/mot-de-passe');
    await financer.getByLabel('Mot de passe actuel').fill(PROVISIONAL);
    await financer.getByLabel('Nouveau mot de passe').fill(FINANCER_PASSWORD);
    await button(financer, 'Changer de mot de passe').click();
    await visited(financer);
    expect(path(financer)).toBe('/instruction');
    await financer.locator(`a[href="/instruction/${dossierId}"]`).click();
    await visited(financer);
    for (const criterion of CRITERIA) await financer.getByLabel(criterion).selectOption('4');
    await financer.getByLabel('Favorable', { exact: true }).check();
    await financer.getByLabel('Montant proposé (€)').fill('2 000');
    await button(financer, "Valider l'avis").click();
    await visited(financer);
    expect(path(financer)).toBe('/instruction');
  });

  it('the COTECH table shows the review; the COPIL refuses an overspent envelope, then records the decisions', async () => {
    await team.goto(`${base}${campaignPath}/cotech`);
    await visited(team);
    const row = team.locator('tbody tr', { hasText: 'État (Déléguée du préfet)' }).last();
    await expect(row.textContent()).resolves.toMatch(/Favorable.*4.*2\s000,00\s€/s);
    const cotech = await (await team.context().request.get(`${base}${campaignPath}/cotech.csv`)).text();
    expect(cotech).toMatch(
      /2027-EDU-\d{4};.*;État \(Déléguée du préfet\);2000,00;Favorable;oui;4;2000,00;4;/,
    );

    await team.getByRole('link', { name: 'COPIL', exact: true }).click();
    await visited(team);
    const state = team.getByLabel('Montant décidé par État (Déléguée du préfet)');
    const city = team.getByLabel('Montant décidé par Ville de Montélimar');
    expect(await state.inputValue()).toBe('2 000'); // prefilled with the validated proposal
    await expect(team.locator(`#granted-${dossierId}-E-hint`).textContent()).resolves.toMatch(
      /Reste de l’enveloppe pour ce thème : 1\s500,00\s€/,
    );
    await city.fill('1 500');
    await team.getByRole('button', { name: /Enregistrer les décisions de 2027-EDU-/ }).click();
    await visited(team);
    await expect(problem(team)).resolves.toMatch(
      /L’enveloppe de État \(Déléguée du préfet\) pour « Éducation et parentalité » n’a plus que 1\s500,00\s€ pour ce dossier/,
    );
    expect(await state.inputValue()).toBe('2 000');
    expect(await city.inputValue()).toBe('1 500');
    const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM decisions`);
    expect(count).toBe(0);

    await state.fill('1 500');
    await team.getByRole('button', { name: /Enregistrer les décisions de 2027-EDU-/ }).click();
    await visited(team);
    await expect(problem(team)).resolves.toMatch(/Motif de la décision de État/);
    await team
      .getByLabel('Motif du refus ou de la réduction')
      .first()
      .fill('Enveloppe de l’État épuisée pour ce thème.');
    await team.getByRole('button', { name: /Enregistrer les décisions de 2027-EDU-/ }).click();
    await visited(team);
    await expect(
      team.getByText(/Décisions enregistrées : 3\s000,00\s€ accordés/).textContent(),
    ).resolves.toBeTruthy();
    await expect(team.locator(`#granted-${dossierId}-E-hint`).textContent()).resolves.toMatch(/0,00\s€/);
    await expect(
      team.getByText('Tous les dossiers éligibles ont leur décision').textContent(),
    ).resolves.toBeTruthy();
  });

  it('the team closes the programming, downloads the convention and the programming; each email arrives once', async () => {
    await team.getByRole('link', { name: 'clôturer la programmation' }).click();
    await visited(team);
    await expect(team.getByText('1 convention(s) seront créées').textContent()).resolves.toBeTruthy();
    await button(team, 'Clôturer la programmation').click();
    await visited(team);
    await expect(team.getByText('Programmé', { exact: true }).textContent()).resolves.toBeTruthy();

    await team.getByRole('link', { name: 'Conventions' }).click();
    await visited(team);
    const download = team.getByRole('link', { name: /Télécharger la convention CONV-2027-EDU-/ });
    await eventually(
      async () => {
        await team.reload();
        return (await download.count()) === 1;
      },
      30_000,
      500,
    );
    await visited(team);
    const pdf = await team.context().request.get(`${base}${await download.getAttribute('href')}`);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const text = (await new PDFParse({ data: await pdf.body() }).getText()).text.replace(/\s+/g, ' ');
    expect(text).toMatch(/Aide aux devoirs au Pracomtal/);
    expect(text).toMatch(/1 500,00 €/);

    await team.goto(`${base}${campaignPath}/programmation`);
    await visited(team);
    const programming = await (
      await team.context().request.get(`${base}${campaignPath}/programmation.csv`)
    ).body();
    expect([...programming.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = programming.toString('utf8');
    expect(csv).toMatch(/2027-EDU-\d{4}/);
    await expect(
      team.getByRole('link', { name: /Données ouvertes des subventions de État/ }).count(),
    ).resolves.toBe(1);

    const [convention] = await eventually(() => {
      const found = sink.to(associationEmail, /convention/i);
      return found.length > 0 && found;
    });
    // The email leads to the dossier's page (PUBLIC_URL, the default one here).
    expect(convention.text).toMatch(new RegExp(`https?://\\S+/dossiers/${dossierId}\\s`));
    // Every email the service sent arrived once: as many messages as sent rows, no two alike.
    await eventually(async () => {
      const [{ pending }] = await t.dataSource.query(
        `SELECT count(*) FILTER (WHERE status <> 'SENT')::int AS pending FROM notifications`,
      );
      return pending === 0;
    }, 30_000);
    const [{ sent }] = await t.dataSource.query(`SELECT count(*)::int AS sent FROM notifications`);
    expect(sink.messages).toHaveLength(sent);
    const keys = sink.messages.map((mail) => `${mail.messageId}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(sink.to(associationEmail, /compléter|compléments|corriger/i)).toHaveLength(1);
    expect(sink.to(associationEmail, /convention/i)).toHaveLength(1);

    await team.getByRole('link', { name: 'Courriels' }).click();
    await visited(team);
    await expect(team.getByText(associationEmail).first().textContent()).resolves.toBeTruthy();
  });

  it('the team records the signatures and a payment; the report is returned, corrected, then accepted', async () => {
    await team.goto(`${base}/pilotage/dossiers/${dossierId}`);
    await visited(team);
    for (let party = 0; party < 3; party += 1) {
      await team.getByLabel('Partie qui signe').selectOption({ index: 1 });
      await team.getByLabel('Date de signature').fill(day(0));
      await button(team, 'Enregistrer la signature').click();
      await visited(team);
    }
    await expect(
      team
        .getByText('La convention est signée par toutes les parties : les avances sont dues.')
        .textContent(),
    ).resolves.toBeTruthy();
    // The signed copy: a photo refused, the scanned PDF filed; the holder downloads those bytes.
    await team
      .getByLabel('Convention signée par toutes les parties (PDF)')
      .setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PNG_BYTES });
    await button(team, 'Déposer la convention signée').click();
    await visited(team);
    await expect(
      team
        .getByText(/se dépose en PDF/)
        .first()
        .textContent(),
    ).resolves.toBeTruthy();
    const scan = Buffer.concat([PDF_BYTES, Buffer.from('% signée\n')]);
    await team
      .getByLabel('Convention signée par toutes les parties (PDF)')
      .setInputFiles({ name: 'Convention signée.pdf', mimeType: 'application/pdf', buffer: scan });
    await button(team, 'Déposer la convention signée').click();
    await visited(team);
    await expect(team.getByText(/La convention signée est enregistrée/).textContent()).resolves.toBeTruthy();
    await team.locator('input[name="paidOn"]').first().fill(day(0));
    await team.locator('input[name="engagementReference"]').first().fill('EJ-2102345678');
    await team.getByRole('button', { name: /^Marquer payé : Avance de État/ }).click();
    await visited(team);
    await expect(team.getByText('Le paiement est enregistré.').textContent()).resolves.toBeTruthy();
    await expect(team.getByText('(EJ EJ-2102345678)').textContent()).resolves.toBeTruthy();

    await association.goto(`${base}/dossiers/${dossierId}`);
    await visited(association);
    await expect(association.getByText(/^Versé le /).count()).resolves.toBe(1);
    const copy = await association.request.get(`${base}/dossiers/${dossierId}/convention-signee.pdf`);
    expect(copy.status()).toBe(200);
    expect(Buffer.compare(await copy.body(), scan)).toBe(0);
    await expect(
      association.getByRole('link', { name: 'Télécharger la convention signée (PDF)' }).count(),
    ).resolves.toBe(1);
    await association.goto(`${base}/dossiers/${dossierId}/bilan`);
    await visited(association);
    await association.getByLabel('Ce qui a été réalisé').fill('Trente collégiens accompagnés toute l’année.');
    await association.getByLabel('Nombre total de bénéficiaires').fill('30');
    await association.getByLabel('Dont habitants des quartiers prioritaires').fill('25');
    await association.getByLabel('Femmes', { exact: true }).fill('16');
    await association.getByLabel('Hommes', { exact: true }).fill('14');
    await association.getByLabel('Date de début réelle').fill('2027-09-06');
    await association.getByLabel('Date de fin réelle').fill('2028-06-26');
    await association.getByLabel('Valeur atteinte').fill('28');
    await association.getByLabel(/Dont habitants du quartier/).fill('25');
    // The application's signatory is proposed; the attestation is ticked by hand.
    await expect(association.getByLabel('Nom du signataire').inputValue()).resolves.not.toBe('');
    await association.getByLabel(/J’atteste/).check();
    await button(association, 'Déposer le bilan').click();
    await visited(association);
    expect(path(association)).toBe(`/dossiers/${dossierId}`);

    await team.goto(`${base}/pilotage/dossiers/${dossierId}`);
    await visited(team);
    await team.getByLabel('Ce que le porteur doit corriger').fill('Précisez les séances annulées en mars.');
    await button(team, 'Renvoyer le bilan au porteur').click();
    await visited(team);
    await expect(team.getByText('Le bilan est renvoyé à son porteur').textContent()).resolves.toBeTruthy();
    await eventually(() => sink.to(associationEmail, /Bilan du dossier/).length === 1);

    await association.goto(`${base}/dossiers/${dossierId}/bilan`);
    await visited(association);
    await expect(
      association.getByText('Précisez les séances annulées en mars.').textContent(),
    ).resolves.toBeTruthy();
    await association.getByLabel(/Explication des écarts/).fill('Trois séances annulées en mars (grève).');
    await button(association, 'Déposer le bilan').click();
    await visited(association);

    await team.goto(`${base}/pilotage/dossiers/${dossierId}`);
    await visited(team);
    await button(team, 'Accepter le bilan').click();
    await visited(team);
    await expect(team.getByText('Le bilan est accepté').textContent()).resolves.toBeTruthy();
    // Actual cost as planned: each balance is the grant less its advance (1 500 € at 50 %: 750 €).
    await expect(team.getByText(/^Solde de /).count()).resolves.toBe(2);

    // The État's agent pays its balance from its own list of payments; the team's list shows it paid.
    await financer.goto(`${base}/instruction`);
    await financer.getByRole('link', { name: 'Versements' }).click();
    await visited(financer);
    await expect(financer.getByRole('link', { name: /À verser \(1\)/ }).count()).resolves.toBe(1);
    await financer.getByLabel('Payé le').fill(day(1));
    await financer.getByRole('button', { name: /^Marquer payé : Solde du dossier/ }).click();
    await visited(financer);
    await expect(
      financer
        .getByText(/dans le futur/)
        .first()
        .textContent(),
    ).resolves.toBeTruthy();
    await financer.getByLabel('Payé le').fill(day(0));
    await financer.getByLabel(/Engagement juridique/).fill('EJ-2102345999');
    await financer.getByRole('button', { name: /^Marquer payé : Solde du dossier/ }).click();
    await visited(financer);
    await expect(financer.getByText('Le versement est enregistré').textContent()).resolves.toBeTruthy();
    await financer.getByRole('link', { name: /Versés \(2\)/ }).click();
    await visited(financer);
    await expect(financer.getByRole('cell', { name: 'EJ-2102345999' }).count()).resolves.toBe(1);

    await team.goto(`${base}/pilotage/versements`);
    await visited(team);
    // Still to pay: the Ville's advance and balance.
    await expect(team.getByRole('link', { name: /À verser \(2\)/ }).count()).resolves.toBe(1);
    await team.getByLabel('Financeur').selectOption({ label: 'Ville de Montélimar' });
    await button(team, 'Afficher').click();
    await visited(team);
    await expect(team.getByRole('button', { name: /^Marquer payé : / }).count()).resolves.toBe(2);
    await expect(team.getByRole('link', { name: /Versés \(0\)/ }).count()).resolves.toBe(1);
  });

  it('a financer and an association get 403 or 404 on every city-team page', async () => {
    const [application] = await t.dataSource.query(
      `SELECT campaign_id AS "campaignId" FROM grant_applications WHERE id = $1`,
      [dossierId],
    );
    const campaign = `/pilotage/campagnes/${application.campaignId as string}`;
    const paths = [
      '/pilotage',
      '/pilotage/campagnes/nouvelle',
      campaign,
      `${campaign}/enveloppes`,
      `${campaign}/etape/cloturer-programmation`,
      `${campaign}/dossiers`,
      `${campaign}/dossiers.csv`,
      `${campaign}/cotech`,
      `${campaign}/cotech.csv`,
      `${campaign}/copil`,
      `${campaign}/programmation`,
      `${campaign}/programmation.csv`,
      `${campaign}/evaluation`,
      `${campaign}/evaluation.csv`,
      `/pilotage/dossiers/${dossierId}`,
      '/pilotage/conventions',
      `/pilotage/conventions/${dossierId}/convention.pdf`,
      '/pilotage/courriels',
      '/pilotage/utilisateurs',
      '/pilotage/referentiel',
      '/pilotage/journal',
      '/national',
    ];
    for (const page of [financer, association]) {
      for (const target of paths) {
        const response = await page.context().request.get(`${base}${target}`, { maxRedirects: 0 });
        expect([target, [403, 404].includes(response.status())]).toEqual([target, true]);
      }
      const response = await page.goto(`${base}/pilotage`);
      expect(response?.status()).toBe(403);
      await visited(page);
    }
  });

  it('the pages not visited on the way pass axe too: referential, audit log, print version, confirmations, national', async () => {
    const [application] = await t.dataSource.query(
      `SELECT campaign_id AS "campaignId" FROM grant_applications WHERE id = $1`,
      [dossierId],
    );
    const campaign = `/pilotage/campagnes/${application.campaignId as string}`;
    const [user] = await t.dataSource.query(`SELECT id FROM users WHERE email = $1`, [FINANCER_EMAIL]);
    for (const target of [
      '/pilotage/referentiel',
      '/pilotage/journal',
      `/pilotage/journal?table=grant_applications&ligne=${dossierId}`,
      `${campaign}/cotech?imprimer=1`,
      `${campaign}/evaluation`,
      `${campaign}/dossiers?controle=WARN&tri=-requested`,
      `${campaign}/enveloppes`,
      `/pilotage/utilisateurs/${user.id as string}/desactiver`,
      '/pilotage/campagnes/nouvelle',
    ]) {
      const response = await team.goto(`${base}${target}`);
      expect([target, response?.status()]).toEqual([target, 200]);
      await visited(team);
    }
    await ensureNationalUser(t.dataSource, TEST_NATIONAL);
    const national = await newPage();
    await signIn(national, TEST_NATIONAL.email, TEST_NATIONAL.password);
    expect(path(national)).toBe('/national');
    await expect(national.getByRole('heading', { name: /^Synthèse nationale/ }).count()).resolves.toBe(1);
  });

  it('axe found no violation on the pages visited', () => {
    expect(a11y.pages.length).toBeGreaterThan(40);
    expect(a11y.violations).toEqual([]);
  });
});
