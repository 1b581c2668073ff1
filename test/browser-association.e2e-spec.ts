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
import { SmtpSink } from './support/smtp-sink.js';
import { AccessibilityLog, launchBrowser, listen } from './support/browser.js';
import {
  ASSOCIATION_PASSWORD as PASSWORD,
  registerInBrowser,
  writeAndSubmitDossier,
} from './support/association-journey.js';

// A journey clicks through some forty pages on two cores.
jest.setTimeout(180_000);

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

  const deps = () => ({ base, sink, visited });
  const register = (context: BrowserContext) => registerInBrowser(deps(), context);

  /** The whole journey: a draft through every section, the budget refused then fixed, documents, submission. */
  async function journey(javaScript: boolean): Promise<{ page: Page; email: string; dossier: string }> {
    const context = await browser.newContext({ javaScriptEnabled: javaScript, locale: 'fr-FR' });
    javaScriptOn.set(context, javaScript);
    const { page, email } = await register(context);
    return { page, email, dossier: await writeAndSubmitDossier(deps(), page, email, javaScript) };
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
