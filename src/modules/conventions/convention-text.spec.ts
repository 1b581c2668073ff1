import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { conventionText, renderConventionPdf, type ConventionView } from './convention-pdf.js';

const view = (overrides: Partial<ConventionView> = {}): ConventionView => ({
  contractName: 'Contrat de ville de Montélimar Agglomération',
  year: '2027',
  number: 'CONV-2027-EMP-0001',
  reference: '2027-EMP-0001',
  title: 'Chantier éducatif',
  summary: 'Un chantier encadré.',
  theme: 'Emploi',
  stake: 'Insertion professionnelle',
  qpvs: 'Nocaze (QN02603M)',
  startDate: '15 janvier 2027',
  endDate: '15 décembre 2027',
  totalCost: '20 000,00 €',
  grantedTotal: '12 000,00 €',
  advancePercent: '50',
  reportDeadline: '30 juin 2028',
  place: 'Montélimar',
  issuedOn: '25 mars 2027',
  issuedOnIso: '2027-03-25',
  holder: {
    name: 'Régie de quartier',
    legalForm: 'Association loi 1901',
    identifiers: 'SIRET 41234567000019',
    address: 'Montélimar',
    representative: 'Julien Martin',
  },
  financers: [{ name: 'État', amount: '12 000,00 €', advance: '6 000,00 €', balance: '6 000,00 €' }],
  outsideFunding: [],
  inKind: '',
  republicanCommitment: true,
  ...overrides,
});

describe('the convention’s text', () => {
  it('names the funders outside the contract and leaves contributions in kind out of the cost', () => {
    const text = conventionText(
      view({
        outsideFunding: [
          { funder: 'Fonds social européen', amount: '5 000,00 €' },
          { funder: 'Fondation de France', amount: '2 000,00 €' },
        ],
        inKind: '6 000,00 €',
      }),
    );
    expect(text).toContain('financements extérieurs au contrat de ville');
    expect(text).toContain('- Fonds social européen : 5 000,00 €\n- Fondation de France : 2 000,00 €');
    expect(text).toContain(
      'Les contributions volontaires en nature (6 000,00 €) ne sont pas comprises dans ce coût.',
    );
  });

  it('binds an association to the contrat d’engagement républicain, not a social landlord', () => {
    expect(conventionText(view())).toContain('Respecter le contrat d’engagement républicain');
    const landlord = conventionText(view({ republicanCommitment: false }));
    expect(landlord).not.toContain('engagement républicain');
    expect(landlord).toContain('sans discrimination.\n\n## Article 6');
  });

  it('says nothing of them, not even a blank line, when there are none', () => {
    const text = conventionText(view());
    expect(text).not.toContain('financements extérieurs');
    expect(text).not.toContain('contributions volontaires');
    expect(text).toContain('Total accordé : 12 000,00 €.\n\n## Article 4');
  });
});

describe('the convention after the move to Nunjucks', () => {
  // Texts and PDF digests rendered by the Handlebars template before the move (convention-golden.json): the
  // same content gives the same bytes.
  const golden = JSON.parse(
    readFileSync(new URL('./convention-golden.json', import.meta.url), 'utf8'),
  ) as Record<string, { view: ConventionView; text: string; pdfSha256: string }>;

  it.each(Object.keys(golden))('renders the %s convention byte for byte as before', async (name) => {
    const { view, text, pdfSha256 } = golden[name];
    expect(conventionText(view)).toBe(text);
    const pdf = await renderConventionPdf(view);
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(pdfSha256);
  });
});
