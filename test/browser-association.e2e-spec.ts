/**
 * The association's journey in a real browser (Debian's Chromium driven by playwright-core), with axe-core
 * run on every page visited: with JavaScript, then without it; another association locked out; a form
 * posted without its CSRF token; the session id renewed at sign-in; the draft's autosave and its word when
 * the session expired.
 */
import { jest } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestApp, TestApp } from './support/test-app.js';
import { createCampaign } from './factories/campaign.factory.js';
import { makeSiret } from './factories/account.factory.js';
import { PDF_BYTES } from './factories/application.factory.js';
import { eventually, SmtpSink } from './support/smtp-sink.js';
import { AccessibilityLog, launchBrowser, listen } from './support/browser.js';

const PASSWORD = 'mot-de-passe-solide-42';
// A journey clicks through some forty pages on two cores.
jest.setTimeout(180_000);
let sequence = 0;

describe('browser: the association’s journey', () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let base: string;
  let browser: Browser;
  const a11y = new AccessibilityLog(() => browser);

  beforeAll(async () => {
    await sink.start();
    t = await createTestApp({ WORKER_IN_PROCESS: 'true', SMTP_URL: sink.url, MAIL_RETRY_BASE_MS: '100' });
    base = await listen(t);
    await createCampaign(t);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
    await sink.stop();
  });

  /** Goes to a page by clicking, then checks it with axe. */
  async function visited(page: Page): Promise<Page> {
    await page.waitForLoadState('domcontentloaded');
    await a11y.check(page, javaScriptOn.get(page.context()) ?? true);
    return page;
  }
  const javaScriptOn = new WeakMap<BrowserContext, boolean>();
  const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
  const continueButton = (page: Page) => button(page, 'Enregistrer et continuer');

  /** « Créer un compte », then the confirmation link of the email, as a person does. */
  async function register(context: BrowserContext): Promise<{ page: Page; email: string }> {
    const page = await context.newPage();
    // A missing label fails in 10 s with its name rather than at the test's timeout.
    page.setDefaultTimeout(10_000);
    await page.goto(`${base}/`);
    await visited(page);
    await page.getByRole('link', { name: 'Créer un compte' }).first().click();
    await visited(page);
    const email = `navigateur-${Date.now().toString(36)}-${++sequence}@example.org`;
    await page.getByLabel('Votre nom').fill('Camille Durand');
    await page.getByLabel('Adresse électronique', { exact: true }).fill(email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Nom de la structure').fill(`Les Amis du Quartier ${sequence}`);
    await page.getByLabel('Forme juridique').fill('Association loi 1901');
    await page.getByLabel('Numéro SIRET').fill(makeSiret());
    await page.getByLabel('Adresse du siège').fill('3 rue des Écoles, 26200 Montélimar');
    await page.getByLabel('Représentant légal').fill('Camille Durand');
    await button(page, 'Créer un compte').click();
    await visited(page);
    expect(new URL(page.url()).pathname).toBe('/dossiers');
    const [mail] = await eventually(() => {
      const found = sink.to(email, /confirm/i);
      return found.length > 0 && found;
    });
    const link = /https?:\/\/[^\s]+\/compte\/confirmer\?token=[\w-]+/.exec(mail.text ?? '')![0];
    await page.goto(`${base}${new URL(link).pathname}${new URL(link).search}`);
    await visited(page);
    await button(page, 'Confirmer mon adresse').click();
    await visited(page);
    return { page, email };
  }

  /** The whole journey: a draft through every section, the budget refused then fixed, documents, submission. */
  async function journey(javaScript: boolean): Promise<{ page: Page; email: string; dossier: string }> {
    const context = await browser.newContext({ javaScriptEnabled: javaScript, locale: 'fr-FR' });
    javaScriptOn.set(context, javaScript);
    const { page, email } = await register(context);
    await page.getByRole('link', { name: 'Déposer un nouveau dossier' }).click();
    await visited(page);
    await page.getByLabel('Titre de l’action').fill('Aide aux devoirs au Pracomtal');
    await page.getByLabel('Éducation et parentalité').check();
    await button(page, 'Créer le dossier').click();
    await visited(page);
    const dossier = new URL(page.url()).pathname;
    await expect(page.getByText('À compléter').first()).toBeTruthy();

    await page.getByRole('link', { name: 'Porteur du projet' }).click();
    await visited(page);
    await page.getByRole('link', { name: 'Continuer' }).click();
    await visited(page);
    await page.getByLabel('Résumé').fill('Soutien scolaire quatre soirs par semaine.');
    await page.getByLabel('Objectifs').fill('Faire progresser trente collégiens.');
    await page.getByLabel('Description').fill('Des bénévoles et une animatrice accueillent les collégiens.');
    await page.getByLabel('Mesure du contrat de ville').selectOption({ index: 1 });
    await page.getByLabel('Lieu de l’action').fill('Maison de quartier du Pracomtal');
    await page.getByLabel('Date de début').fill('2027-09-01');
    await page.getByLabel('Date de fin').fill('2028-06-30');
    await page.getByLabel('Indicateur 1').fill('Collégiens accompagnés');
    await page.getByLabel('Unité').first().fill('personnes');
    await page.getByLabel('Cible').first().fill('30');
    await continueButton(page).click();
    await visited(page);
    expect(page.url()).toContain('/publics');

    await page.getByRole('checkbox').first().check();
    await page.getByLabel('Nombre total de bénéficiaires').fill('30');
    await page.getByLabel('Dont habitants des quartiers prioritaires').fill('25');
    await page.getByLabel('Femmes').fill('16');
    await page.getByLabel('Hommes').fill('14');
    await continueButton(page).click();
    await visited(page);
    expect(page.url()).toContain('/budget');

    // The grid: a charge, another added by « Ajouter une ligne de charge », two financers, one own resource.
    await page.getByLabel('Compte de la charge 1').selectOption('641');
    await page.getByLabel('Libellé de la charge 1').fill('Animatrice');
    await page.getByLabel('Montant de la charge 1').fill('4 270,50');
    await button(page, 'Ajouter une ligne de charge').click();
    await visited(page);
    await page.getByLabel('Compte de la charge 2').selectOption('604');
    await page.getByLabel('Libellé de la charge 2').fill('Fournitures scolaires');
    await page.getByLabel('Montant de la charge 2').fill('729.50');
    await page.getByLabel('Subvention demandée : État (Déléguée du préfet)').fill('2 000');
    await page.getByLabel('Subvention demandée : Ville de Montélimar').fill('1 500');
    await page.getByLabel('Compte du produit 1').selectOption('756');
    await page.getByLabel('Libellé du produit 1').fill('Cotisations');
    await page.getByLabel('Montant du produit 1').fill('400');
    if (javaScript)
      // Totals follow the typing.
      await expect(page.locator('dd[data-total="balance"]').textContent()).resolves.toMatch(
        /1\s100,00\s€ de produits manquants/,
      );
    await continueButton(page).click();
    await visited(page);
    await expect(
      page.getByRole('heading', { name: 'Il y a un problème' }).textContent(),
    ).resolves.toBeTruthy();
    expect(await page.title()).toMatch(/^Erreur : /);
    expect(await page.getByLabel('Montant de la charge 1').inputValue()).toBe('4 270,50');
    await page.getByLabel('Montant du produit 1').fill('1 500');
    await continueButton(page).click();
    await visited(page);
    expect(page.url()).toContain('/pieces');

    for (const [kind, name] of [
      ['Statuts de la structure', 'statuts.pdf'],
      ['Relevé d’identité bancaire (RIB)', 'Relevé d’identité bancaire.pdf'],
    ]) {
      await page.getByLabel('Type de document').selectOption({ label: kind });
      await page
        .getByLabel('Fichier')
        .setInputFiles({ name, mimeType: 'application/pdf', buffer: PDF_BYTES });
      await button(page, 'Joindre le document').click();
      await visited(page);
      await expect(page.getByRole('link', { name }).textContent()).resolves.toBe(name);
    }
    await page.getByRole('link', { name: 'Continuer' }).click();
    await visited(page);

    await page.getByLabel('Elle est un objectif significatif de l’action').check();
    await page
      .getByLabel('Égalité femmes-hommes : mesures prises')
      .fill('Groupes mixtes et horaires adaptés.');
    await page.getByLabel('Jeunesse : mesures prises').fill('Action destinée aux collégiens.');
    await page
      .getByLabel('Lutte contre les discriminations : mesures prises')
      .fill('Accueil sans condition.');
    await continueButton(page).click();
    await visited(page);
    expect(page.url()).toContain('/verifier');
    expect(await page.getByRole('link', { name: /^Modifier/ }).count()).toBeGreaterThan(5);
    for (const box of await page.getByRole('checkbox').all()) await box.check();
    await button(page, 'Déposer le dossier').click();
    await visited(page);
    expect(new URL(page.url()).pathname).toBe(dossier);
    await expect(page.getByText('Déposé').first().textContent()).resolves.toBeTruthy();
    const [ack] = await eventually(() => {
      const found = sink.to(email, /^Accusé de réception/);
      return found.length > 0 && found;
    });
    expect(ack.subject).toMatch(/dossier 2027-EDU-\d{4} déposé/);
    return { page, email, dossier };
  }

  it('with JavaScript: registers, drafts, is refused an unbalanced budget, fixes it, attaches, submits', async () => {
    await journey(true);
  });

  it('without JavaScript: the same journey', async () => {
    await journey(false);
  });

  it('another association gets 404 on the dossier’s pages', async () => {
    const { dossier } = await journey(true);
    const { page } = await register(await browser.newContext());
    for (const path of ['', '/projet', '/budget', '/verifier']) {
      const response = await page.goto(`${base}${dossier}${path}`);
      expect(response?.status()).toBe(404);
      await visited(page);
    }
  });

  it('a form posted without its CSRF token changes nothing; the session id changes at sign-in', async () => {
    const context = await browser.newContext();
    const { page, email } = await register(context);
    await page.getByRole('link', { name: 'Déposer un nouveau dossier' }).click();
    await page.getByLabel('Titre de l’action').fill('Jardin partagé');
    await page.getByLabel('Éducation et parentalité').check();
    await button(page, 'Créer le dossier').click();
    const dossier = new URL(page.url()).pathname;
    await page.getByRole('link', { name: 'Le projet' }).click();
    await page.evaluate('document.querySelector(\'#formulaire input[name="_csrf"]\').remove()');
    await page.getByLabel('Titre de l’action').fill('Titre changé sans jeton');
    await continueButton(page).click();
    await visited(page);
    await expect(page.getByText('Ce formulaire a expiré').textContent()).resolves.toBeTruthy();
    const [row] = await t.dataSource.query(`SELECT title FROM grant_applications WHERE id = $1`, [
      dossier.split('/')[2],
    ]);
    expect(row.title).toBe('Jardin partagé');

    // Signing out, then in again: a new session id.
    const before = (await context.cookies()).find((cookie) => cookie.name === 'cdv_session')?.value;
    await page.goto(`${base}/dossiers`);
    await button(page, 'Se déconnecter').click();
    await visited(page);
    await page.getByLabel('Adresse électronique').fill(email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
    const anonymous = (await context.cookies()).find((cookie) => cookie.name === 'cdv_session')?.value;
    await button(page, 'Se connecter').click();
    await visited(page);
    const after = (await context.cookies()).find((cookie) => cookie.name === 'cdv_session')?.value;
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect(after).not.toBe(anonymous);
    expect(new URL(page.url()).pathname).toBe('/dossiers');
  });

  it('autosaves a draft and says so; says plainly when the session expired', async () => {
    const context = await browser.newContext();
    const { page } = await register(context);
    await page.getByRole('link', { name: 'Déposer un nouveau dossier' }).click();
    await page.getByLabel('Titre de l’action').fill('Atelier vélo');
    await page.getByLabel('Éducation et parentalité').check();
    await button(page, 'Créer le dossier').click();
    const id = new URL(page.url()).pathname.split('/')[2];
    await page.getByRole('link', { name: 'Le projet' }).click();
    await page.getByLabel('Résumé').fill('Réparer son vélo et apprendre à rouler en ville.');
    await expect(
      page.getByText(/^Brouillon enregistré à/).textContent({ timeout: 10_000 }),
    ).resolves.toBeTruthy();
    const [row] = await t.dataSource.query(`SELECT summary FROM grant_applications WHERE id = $1`, [id]);
    expect(row.summary).toBe('Réparer son vélo et apprendre à rouler en ville.');
    // The session ends (idle expiry, as the store's row disappearing): the next autosave says so.
    await t.dataSource.query(`DELETE FROM web_sessions`);
    await page.getByLabel('Objectifs').fill('Rouler en sécurité.');
    await expect(
      page.getByText(/Votre session a expiré/).textContent({ timeout: 10_000 }),
    ).resolves.toBeTruthy();
    await a11y.check(page);
  });

  it('axe reports no violation (WCAG 2.2 AA) on any page visited', () => {
    expect(a11y.pages.length).toBeGreaterThan(30);
    expect(a11y.violations).toEqual([]);
  });
});
