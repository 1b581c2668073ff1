/**
 * The financers' review desk on the pages (HTML answers): the queue's tabs and filters, a draft then a final
 * review, a proposal above the request refused with what was typed, two reviewers of one partner saving the
 * same review (the second sees the conflict), a financer not asked (404), a declared conflict of interest.
 */
import { createTestApp, loginAdmin, TestApp } from './support/test-app.js';
import { createCampaign } from './factories/campaign.factory.js';
import { createStaffUser, registerAssociation } from './factories/account.factory.js';
import { createEligibleApplication } from './factories/application.factory.js';
import { decode, errorSummary, PageClient } from './support/page-client.js';

const FINANCER_PASSWORD = 'mot-de-passe-financeur-42';
const CRITERIA = ['STAKE_FIT', 'QPV_IMPACT', 'PARTNERSHIP', 'TRANSVERSAL_PRIORITIES', 'BUDGET_REALISM'];

describe('web pages: the financers’ review desk', () => {
  let t: TestApp;
  let applicationId: string;
  let second: string;
  let reviewerA: PageClient;
  let reviewerB: PageClient;

  async function signIn(email: string, password = FINANCER_PASSWORD): Promise<PageClient> {
    const page = new PageClient(t);
    await page.get('/connexion');
    const answer = await page.post('/connexion', { email, password });
    expect(answer.status).toBe(303);
    return page;
  }
  const scores = (value: string) => Object.fromEntries(CRITERIA.map((code) => [`score-${code}`, value]));

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await loginAdmin(t);
    const { id: campaignId } = await createCampaign(t);
    const asso = await registerAssociation(t, 'Chantiers du Rhône');
    applicationId = await createEligibleApplication(t, asso.token, admin, campaignId);
    second = await createEligibleApplication(t, asso.token, admin, campaignId);
    await t
      .http()
      .post(`/api/v1/campaigns/${campaignId}/close-submissions`)
      .set('authorization', `Bearer ${admin}`)
      .expect(200);
    reviewerA = await signIn((await createStaffUser(t, 'FINANCER', 'E')).email);
    reviewerB = await signIn((await createStaffUser(t, 'FINANCER', 'E')).email);
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists the applications asking my partner, in tabs with counts, filtered by GET parameters', async () => {
    const queue = await reviewerA.get('/instruction');
    expect(queue.status).toBe(200);
    expect(decode(queue.text)).toContain('À évaluer (2)');
    expect(decode(queue.text)).toContain('Évalués (0)');
    expect(queue.text).toContain(`/instruction/${applicationId}`);
    const filtered = await reviewerA.get('/instruction?onglet=tous&theme=EDU');
    expect(decode(filtered.text)).toContain('Aucun dossier ne correspond.');
    const byAmount = await reviewerA.get('/instruction?onglet=tous&min=9000');
    expect(decode(byAmount.text)).toContain('Aucun dossier ne correspond.');
    const kept = await reviewerA.get('/instruction?onglet=tous&theme=EMP&min=7000&tri=amount');
    expect(kept.text).toContain(`/instruction/${applicationId}`);
    expect(kept.text).toContain('<option value="EMP" selected>');
  });

  it('keeps a draft, refuses a proposal above the request with what was typed, then validates the review', async () => {
    const page = await reviewerA.get(`/instruction/${applicationId}`);
    expect(decode(page.text)).toContain("Valider l'avis");
    expect(page.text).toContain('cdv-highlight');
    const draft = await reviewerA.post(`/instruction/${applicationId}`, {
      version: '0',
      ...scores(''),
      'score-STAKE_FIT': '4',
      opinion: '',
      proposed: '',
      comment: 'À compléter après l’entretien.',
      action: 'draft',
    });
    expect(draft.location).toBe(`/instruction/${applicationId}`);
    const reopened = await reviewerA.get(`/instruction/${applicationId}`);
    expect(reopened.text).toContain('À compléter après l’entretien.');
    // One criterion scored 4: the weighted score as it will count.
    expect(reopened.text).toContain('<strong data-weighted-total>4 / 5</strong>');
    const version = /name="version" value="(\d+)"/.exec(reopened.text)![1];

    const above = await reviewerA.post(`/instruction/${applicationId}`, {
      version,
      ...scores('4'),
      opinion: 'FAVORABLE',
      proposed: '9 500',
      comment: 'Très bon projet.',
      action: 'final',
    });
    expect(above.status).toBe(422);
    expect(errorSummary(above.text).join(' ')).toMatch(/dépasse le montant demandé/);
    expect(above.text).toContain('value="9 500"');
    const incomplete = await reviewerA.post(`/instruction/${applicationId}`, {
      version,
      ...scores(''),
      opinion: 'FAVORABLE',
      proposed: '7 500',
      comment: '',
      action: 'final',
    });
    expect(incomplete.status).toBe(422);

    const validated = await reviewerA.post(`/instruction/${applicationId}`, {
      version,
      ...scores('4'),
      opinion: 'FAVORABLE',
      proposed: '7 500,50',
      comment: 'Très bon projet.',
      action: 'final',
    });
    expect(validated.location).toBe('/instruction');
    const [row] = await t.dataSource.query(
      `SELECT final, opinion, proposed_amount_cents::int AS cents FROM reviews WHERE application_id = $1`,
      [applicationId],
    );
    expect(row).toEqual({ final: true, opinion: 'FAVORABLE', cents: 7_500_50 });
    const queue = await reviewerA.get('/instruction?onglet=evalues');
    expect(decode(queue.text)).toContain('Évalués (1)');
    expect(queue.text).toContain(`/instruction/${applicationId}`);
  });

  it('shows a colleague’s concurrent save side by side and keeps what I typed', async () => {
    const pageA = await reviewerA.get(`/instruction/${second}`);
    const pageB = await reviewerB.get(`/instruction/${second}`);
    const versionOf = (html: string) => /name="version" value="(\d+)"/.exec(html)![1];
    const first = await reviewerA.post(`/instruction/${second}`, {
      version: versionOf(pageA.text),
      ...scores('3'),
      opinion: 'RESERVED',
      proposed: '5 000',
      comment: 'Avis de A.',
      action: 'final',
    });
    expect(first.status).toBe(303);
    const conflicting = await reviewerB.post(`/instruction/${second}`, {
      version: versionOf(pageB.text),
      ...scores('5'),
      opinion: 'FAVORABLE',
      proposed: '8 000',
      comment: 'Avis de B.',
      action: 'final',
    });
    expect(conflicting.status).toBe(409);
    expect(decode(conflicting.text)).toContain('Un collègue a enregistré cet avis');
    expect(conflicting.text).toContain('Avis de A.');
    expect(conflicting.text).toContain('Avis de B.');
    const [row] = await t.dataSource.query(`SELECT comment FROM reviews WHERE application_id = $1`, [second]);
    expect(row.comment).toBe('Avis de A.');
    // Saving again, knowingly, replaces the colleague's version.
    const again = await reviewerB.post(`/instruction/${second}`, {
      version: versionOf(conflicting.text),
      ...scores('5'),
      opinion: 'FAVORABLE',
      proposed: '8 000',
      comment: 'Avis de B.',
      action: 'final',
    });
    expect(again.status).toBe(303);
    // Sorted by score: B's 5 out of 5 on the second before A's 4 on the first.
    const sorted = await reviewerA.get('/instruction?onglet=tous&tri=score');
    expect(sorted.text.indexOf(`/instruction/${second}"`)).toBeLessThan(
      sorted.text.indexOf(`/instruction/${applicationId}"`),
    );
    const byReference = await reviewerA.get('/instruction?onglet=tous&tri=reference');
    expect(byReference.text.indexOf(`/instruction/${applicationId}"`)).toBeLessThan(
      byReference.text.indexOf(`/instruction/${second}"`),
    );
  });

  it('answers 404 to a financer not asked, 403 to an association', async () => {
    const caf = await signIn((await createStaffUser(t, 'FINANCER', 'CAF')).email);
    expect((await caf.get(`/instruction/${applicationId}`)).status).toBe(404);
    expect(decode((await caf.get('/instruction')).text)).toContain('À évaluer (0)');
    const asso = await registerAssociation(t, 'Autre');
    const page = await signIn(asso.email, 'mot-de-passe-solide-42');
    expect((await page.get('/instruction')).status).toBe(403);
  });

  it('takes an application out of my queue once I declare a conflict of interest, after confirmation', async () => {
    const reviewer = await signIn((await createStaffUser(t, 'FINANCER', 'V')).email);
    const confirm = await reviewer.get(`/instruction/${applicationId}/conflit`);
    expect(decode(confirm.text)).toContain("Déclarer un conflit d'intérêts");
    const empty = await reviewer.post(`/instruction/${applicationId}/conflit`, { reason: '' });
    expect(empty.status).toBe(422);
    const declared = await reviewer.post(`/instruction/${applicationId}/conflit`, {
      reason: 'Je siège au conseil d’administration de la structure.',
    });
    expect(declared.location).toBe('/instruction');
    const queue = await reviewer.follow(declared);
    expect(decode(queue.text)).toContain('ce dossier ne vous est plus présenté');
    expect(queue.text).not.toContain(`/instruction/${applicationId}"`);
    const page = await reviewer.get(`/instruction/${applicationId}`);
    expect(page.status).toBe(403);
    expect(decode(page.text)).toContain('Vous avez déclaré un conflit d’intérêts sur ce dossier.');
  });

  it('sums my partner’s envelope, asked and proposed per theme, as bars with their table, and gives the CSV', async () => {
    const synthesis = await reviewerA.get('/instruction/synthese');
    expect(synthesis.status).toBe(200);
    expect(synthesis.text).toContain('<svg');
    expect(synthesis.text).toMatch(
      /role="img" aria-label="Enveloppe, montants demandés et proposés par thème/,
    );
    // The État's envelope for Emploi is 50 000 € (the campaign's factory) and both applications ask it 8 000 €.
    const row = /<th scope="row" class="govuk-table__header">Emploi<\/th>([\s\S]*?)<\/tr>/.exec(
      synthesis.text,
    )![1];
    expect(decode(row).replace(/\s+/g, ' ')).toMatch(/50\s000,00\s€.*16\s000,00\s€/);
    const csv = await reviewerA.agent.get('/instruction/synthese.csv').buffer(true);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.text).toContain(';');
  });

  it('shows the review read-only once the review deadline has passed, and refuses a late save', async () => {
    await t.dataSource.query(`UPDATE campaigns SET review_deadline = now() - interval '1 hour'`);
    try {
      const page = await reviewerA.get(`/instruction/${second}`);
      expect(decode(page.text)).toContain('La date limite d’instruction est passée');
      expect(decode(page.text)).not.toContain("Valider l'avis");
      const late = await reviewerA.post(`/instruction/${second}`, {
        version: '9',
        ...scores('1'),
        opinion: 'UNFAVORABLE',
        proposed: '0',
        comment: 'Trop tard.',
        action: 'final',
      });
      expect(late.status).toBe(422);
      expect(decode(late.text)).toContain('La date limite d’instruction est passée.');
      const [row] = await t.dataSource.query(`SELECT comment FROM reviews WHERE application_id = $1`, [
        second,
      ]);
      expect(row.comment).not.toBe('Trop tard.');
    } finally {
      await t.dataSource.query(`UPDATE campaigns SET review_deadline = now() + interval '30 days'`);
    }
  });
});
