/**
 * The association's side of the journeys the browser tests run (part 1's pages): « Créer un compte » with
 * the emailed confirmation, then a dossier written through every section and submitted, as a person does.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { makeSiret } from '../factories/account.factory.js';
import { PDF_BYTES } from '../factories/application.factory.js';
import { eventually, type SmtpSink } from './smtp-sink.js';

export const ASSOCIATION_PASSWORD = 'mot-de-passe-solide-42';
let sequence = 0;

export interface JourneyDeps {
  base: string;
  sink: SmtpSink;
  /** Waits for the page, then checks it (axe). */
  visited: (page: Page) => Promise<unknown>;
}

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const continueButton = (page: Page) => button(page, 'Enregistrer et continuer');

/** « Créer un compte », then the confirmation link of the email, as a person does. */
export async function registerInBrowser(
  { base, sink, visited }: JourneyDeps,
  context: BrowserContext,
): Promise<{ page: Page; email: string }> {
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
  await page.getByLabel('Mot de passe', { exact: true }).fill(ASSOCIATION_PASSWORD);
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
export async function writeAndSubmitDossier(
  deps: JourneyDeps,
  page: Page,
  email: string,
  javaScript: boolean,
): Promise<string> {
  const { sink, visited } = deps;
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
  await expect(page.getByRole('heading', { name: 'Il y a un problème' }).textContent()).resolves.toBeTruthy();
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
    await page.getByLabel('Fichier').setInputFiles({ name, mimeType: 'application/pdf', buffer: PDF_BYTES });
    await button(page, 'Joindre le document').click();
    await visited(page);
    await expect(page.getByRole('link', { name }).textContent()).resolves.toBe(name);
  }
  await page.getByRole('link', { name: 'Continuer' }).click();
  await visited(page);

  await page.getByLabel('Elle est un objectif significatif de l’action').check();
  await page.getByLabel('Égalité femmes-hommes : mesures prises').fill('Groupes mixtes et horaires adaptés.');
  await page.getByLabel('Jeunesse : mesures prises').fill('Action destinée aux collégiens.');
  await page.getByLabel('Lutte contre les discriminations : mesures prises').fill('Accueil sans condition.');
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
  return dossier;
}
