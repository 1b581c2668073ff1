/**
 * `npm run screenshots`: the main pages of the demo as a person sees them, rendered by Debian's Chromium
 * (playwright-core) to `docs/screenshots/*.png`. Needs the demo running (the README's run command); the
 * address is BASE_URL (default http://127.0.0.1:3000), the browser CHROMIUM_PATH (default /usr/bin/chromium).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';

const base = (process.env.BASE_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const output = join(process.cwd(), 'docs', 'screenshots');
const DEMO_PASSWORD = 'demo-mot-de-passe-2027';

async function shoot(page: Page, path: string, name: string): Promise<void> {
  const response = await page.goto(`${base}${path}`);
  if (!response || response.status() >= 400) throw new Error(`${path} answered ${response?.status()}`);
  await page.screenshot({ path: join(output, `${name}.png`), fullPage: true });
  console.error(`docs/screenshots/${name}.png ← ${path}`);
}

async function main(): Promise<void> {
  mkdirSync(output, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--lang=fr-FR',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 }, locale: 'fr-FR' });
    await shoot(page, '/', 'accueil');
    await shoot(page, '/inscription', 'inscription');
    await shoot(page, '/connexion', 'connexion');
    await page.getByLabel('Adresse électronique').fill('pracomtal@demo.contrat-de-ville.fr');
    await page.getByLabel('Mot de passe', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${base}/dossiers`);
    await shoot(page, '/dossiers', 'mes-dossiers');
    const dossiers = await page.$$eval('table a.govuk-link', (links) =>
      links.map((link) => ({ href: link.getAttribute('href')!, row: link.closest('tr')!.textContent ?? '' })),
    );
    const draft = dossiers.find((dossier) => dossier.row.includes('Brouillon'));
    const funded = dossiers.find((dossier) => dossier.row.includes('Soutien scolaire en petits groupes'));
    const submitted = dossiers.find((dossier) => !dossier.row.includes('Brouillon') && dossier !== funded);
    if (draft) {
      await shoot(page, draft.href, 'liste-des-taches');
      await shoot(page, `${draft.href}/projet`, 'le-projet');
      await shoot(page, `${draft.href}/budget`, 'budget');
      await shoot(page, `${draft.href}/verifier`, 'verifier-vos-reponses');
    }
    if (submitted) await shoot(page, submitted.href, 'dossier-depose');
    // This year's funded action: its convention signed, its advance paid, its report filed.
    if (funded) {
      await shoot(page, funded.href, 'dossier-finance');
      await shoot(page, `${funded.href}/bilan`, 'bilan');
    }

    // The review desk of the État's reviewer (the demo's complementary call is in review).
    const financer = await browser.newPage({ viewport: { width: 1100, height: 800 }, locale: 'fr-FR' });
    await financer.goto(`${base}/connexion`);
    await financer.getByLabel('Adresse électronique').fill('financeur.e@demo.contrat-de-ville.fr');
    await financer.getByLabel('Mot de passe', { exact: true }).fill(DEMO_PASSWORD);
    await financer.getByRole('button', { name: 'Se connecter' }).click();
    await financer.waitForURL(`${base}/instruction`);
    await shoot(financer, '/instruction', 'instruction-file');
    const review = await financer
      .$eval('table a.govuk-link', (link) => link.getAttribute('href')!)
      .catch(() => undefined);
    if (review) await shoot(financer, review, 'instruction-avis');
    await shoot(financer, '/instruction/synthese', 'instruction-synthese');
    await shoot(financer, '/instruction/versements', 'instruction-versements');

    // The city team's year: the dashboard, then the complementary call in review and its committees.
    const team = await browser.newPage({ viewport: { width: 1100, height: 800 }, locale: 'fr-FR' });
    await team.goto(`${base}/connexion`);
    await team.getByLabel('Adresse électronique').fill('equipe@demo.contrat-de-ville.fr');
    await team.getByLabel('Mot de passe', { exact: true }).fill(DEMO_PASSWORD);
    await team.getByRole('button', { name: 'Se connecter' }).click();
    await team.waitForURL(`${base}/pilotage`);
    await shoot(team, '/pilotage', 'pilotage-tableau-de-bord');
    const campaign = await team
      .getByRole('link', { name: /Appel complémentaire/ })
      .first()
      .getAttribute('href');
    if (campaign) {
      await shoot(team, campaign, 'pilotage-appel-a-projets');
      await shoot(team, `${campaign}/dossiers`, 'pilotage-dossiers');
      const dossier = await team
        .$eval('a[href^="/pilotage/dossiers/"]', (link) => link.getAttribute('href')!)
        .catch(() => undefined);
      if (dossier) await shoot(team, dossier, 'pilotage-dossier');
      await shoot(team, `${campaign}/cotech`, 'pilotage-cotech');
      await shoot(team, `${campaign}/copil`, 'pilotage-copil');
      await shoot(team, `${campaign}/programmation`, 'pilotage-programmation');
    }
    // This year's call, programmed: a dossier's follow-up (report to accept), the payments, the evaluation.
    await team.goto(`${base}/pilotage`);
    const programmed = await team
      .getByRole('link', { name: new RegExp(`Appel à projets ${new Date().getUTCFullYear()}`) })
      .first()
      .getAttribute('href');
    if (programmed) {
      await shoot(team, `${programmed}/dossiers`, 'pilotage-dossiers-finances');
      const followed = await team
        .$eval('a[href^="/pilotage/dossiers/"]', (link) => link.getAttribute('href')!)
        .catch(() => undefined);
      if (followed) await shoot(team, followed, 'pilotage-suivi');
      await shoot(team, `${programmed}/evaluation`, 'pilotage-evaluation');
    }
    await shoot(team, '/pilotage/versements', 'pilotage-versements');
    await shoot(team, '/pilotage/campagnes/nouvelle', 'pilotage-nouvel-appel');

    const national = await browser.newPage({ viewport: { width: 1100, height: 800 }, locale: 'fr-FR' });
    await national.goto(`${base}/connexion`);
    await national.getByLabel('Adresse électronique').fill('anct@demo.contrat-de-ville.fr');
    await national.getByLabel('Mot de passe', { exact: true }).fill(DEMO_PASSWORD);
    await national.getByRole('button', { name: 'Se connecter' }).click();
    await national.waitForURL(`${base}/national`);
    await shoot(national, '/national', 'national');
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
