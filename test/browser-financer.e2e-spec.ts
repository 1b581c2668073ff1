/**
 * The financers' review desk in a real browser (Debian's Chromium, playwright-core), axe-core on every page:
 * sign in, filter the queue, open an application, save a draft, come back and validate; a proposal above
 * the request refused with the error summary and the typed values kept; two sessions of one partner saving
 * the same review; a financer not asked (404); a declared conflict of interest.
 */
import { jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { createTestApp, loginAdmin, TestApp } from './support/test-app.js';
import { createCampaign } from './factories/campaign.factory.js';
import { createStaffUser, registerAssociation } from './factories/account.factory.js';
import { createEligibleApplication } from './factories/application.factory.js';
import { AccessibilityLog, launchBrowser, listen } from './support/browser.js';
import { CRITERIA_LABELS } from './support/constants.js';

jest.setTimeout(180_000);
const PASSWORD = 'mot-de-passe-financeur-42';
const CRITERIA = CRITERIA_LABELS;

describe('browser: the financers’ review desk', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let first: string;
  let second: string;
  const a11y = new AccessibilityLog(() => browser);

  beforeAll(async () => {
    t = await createTestApp();
    base = await listen(t);
    const admin = await loginAdmin(t);
    const { id: campaignId } = await createCampaign(t);
    const asso = await registerAssociation(t, 'Chantiers du Rhône');
    first = await createEligibleApplication(t, asso.token, admin, campaignId);
    second = await createEligibleApplication(t, asso.token, admin, campaignId);
    await t
      .http()
      .post(`/api/v1/campaigns/${campaignId}/close-submissions`)
      .set('authorization', `Bearer ${admin}`)
      .expect(200);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  const visited = async (page: Page) => {
    await page.waitForLoadState('domcontentloaded');
    await a11y.check(page);
  };
  const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

  async function signIn(partnerCode: string): Promise<Page> {
    const { email } = await createStaffUser(t, 'FINANCER', partnerCode);
    const page = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${base}/connexion`);
    await visited(page);
    await page.getByLabel('Adresse électronique').fill(email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
    await button(page, 'Se connecter').click();
    await visited(page);
    expect(new URL(page.url()).pathname).toBe('/instruction');
    return page;
  }

  async function score(page: Page, value: string) {
    for (const criterion of CRITERIA) await page.getByLabel(criterion).selectOption(value);
  }

  it('filters the queue, saves a draft, comes back and validates; refuses a proposal above the request', async () => {
    const page = await signIn('E');
    await expect(page.getByRole('link', { name: 'À évaluer (2)' }).textContent()).resolves.toBeTruthy();
    await page.getByLabel('Thème').selectOption({ label: 'Éducation et parentalité' });
    await button(page, 'Filtrer').click();
    await visited(page);
    await expect(page.getByText('Aucun dossier ne correspond.').textContent()).resolves.toBeTruthy();
    expect(page.url()).toContain('theme=EDU');
    await page.getByLabel('Thème').selectOption({ label: 'Emploi' });
    await page.getByLabel('Trier par').selectOption('reference');
    await button(page, 'Filtrer').click();
    await visited(page);
    await page.locator(`a[href="/instruction/${first}"]`).click();
    await visited(page);

    await page.getByLabel(CRITERIA[0]).selectOption('4');
    await page.getByLabel('Commentaire').fill('À compléter après l’entretien.');
    await button(page, 'Enregistrer le brouillon').click();
    await visited(page);
    await page.getByRole('link', { name: 'File d’instruction' }).click();
    await visited(page);
    await page.locator(`a[href="/instruction/${first}"]`).click();
    await visited(page);
    expect(await page.getByLabel('Commentaire').inputValue()).toBe('À compléter après l’entretien.');

    await score(page, '4');
    await page.getByLabel(CRITERIA[1]).selectOption('2');
    // The weighted score follows the scores: (4×3 + 2×3 + 4×2 + 4×2 + 4×2) / 12 = 3,5.
    await expect(page.locator('[data-weighted-total]').textContent()).resolves.toBe('3,5 / 5');
    await page.getByLabel(CRITERIA[1]).selectOption('4');
    await page.getByLabel('Favorable', { exact: true }).check();
    await page.getByLabel('Montant proposé (€)').fill('9 500');
    await button(page, "Valider l'avis").click();
    await visited(page);
    await expect(
      page.getByRole('heading', { name: 'Il y a un problème' }).textContent(),
    ).resolves.toBeTruthy();
    expect(await page.getByLabel('Montant proposé (€)').inputValue()).toBe('9 500');
    expect(await page.getByLabel(CRITERIA[2]).inputValue()).toBe('4');
    await page.getByLabel('Montant proposé (€)').fill('7 500');
    await button(page, "Valider l'avis").click();
    await visited(page);
    expect(new URL(page.url()).pathname).toBe('/instruction');
    await expect(page.getByRole('link', { name: 'Évalués (1)' }).textContent()).resolves.toBeTruthy();
    await page.getByRole('link', { name: 'Synthèse par thème et programmation' }).click();
    await visited(page);
  });

  it('shows the second of two sessions of one partner the conflict, with both versions', async () => {
    const pageA = await signIn('E');
    const pageB = await signIn('E');
    for (const page of [pageA, pageB]) {
      await page.goto(`${base}/instruction/${second}`);
      await visited(page);
    }
    await score(pageA, '3');
    await pageA.getByLabel('Réservé').check();
    await pageA.getByLabel('Montant proposé (€)').fill('5 000');
    await pageA.getByLabel('Commentaire').fill('Avis de A.');
    await button(pageA, "Valider l'avis").click();
    await visited(pageA);
    await score(pageB, '5');
    await pageB.getByLabel('Favorable', { exact: true }).check();
    await pageB.getByLabel('Montant proposé (€)').fill('8 000');
    await pageB.getByLabel('Commentaire').fill('Avis de B.');
    await button(pageB, "Valider l'avis").click();
    await visited(pageB);
    await expect(
      pageB
        .getByText(/Un collègue a enregistré cet avis/)
        .first()
        .textContent(),
    ).resolves.toBeTruthy();
    await expect(pageB.getByText('Avis de A.').textContent()).resolves.toBeTruthy();
    expect(await pageB.getByLabel('Commentaire').inputValue()).toBe('Avis de B.');
  });

  it('answers 404 to a financer not asked; a declared conflict of interest takes the application out of the queue', async () => {
    const caf = await signIn('CAF');
    const response = await caf.goto(`${base}/instruction/${first}`);
    expect(response?.status()).toBe(404);
    await visited(caf);

    const ville = await signIn('V');
    await ville.locator(`a[href="/instruction/${first}"]`).click();
    await visited(ville);
    await ville.getByRole('link', { name: "Déclarer un conflit d'intérêts" }).click();
    await visited(ville);
    await ville.getByLabel('Motif').fill('Je siège au conseil d’administration de la structure.');
    await button(ville, "Déclarer un conflit d'intérêts").click();
    await visited(ville);
    expect(new URL(ville.url()).pathname).toBe('/instruction');
    await expect(ville.getByText(/ce dossier ne vous est plus présenté/).textContent()).resolves.toBeTruthy();
    expect(await ville.locator(`a[href="/instruction/${first}"]`).count()).toBe(0);
  });

  it('axe reports no violation (WCAG 2.2 AA) on any page visited', () => {
    expect(a11y.pages.length).toBeGreaterThan(15);
    expect(a11y.violations).toEqual([]);
  });
});
