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
    representative: 'représentée par Julien Martin, président',
  },
  financers: [
    {
      name: 'État',
      signatory: 'le préfet de la Drôme',
      amount: '12 000,00 €',
      advance: '6 000,00 €',
      balance: '6 000,00 €',
    },
  ],
  outsideFunding: [],
  inKind: '',
  republicanCommitment: true,
  copilDate: '24 mars 2027',
  deliberations: ['État : arrêté préfectoral n° 26-2027-03-20-001'],
  indicators: ['Jeunes accompagnés : 12 personnes'],
  budget: {
    charges: [{ label: '64 – Encadrant technique', amount: '20 000,00 €' }],
    products: [
      { label: '74 – État', amount: '12 000,00 €' },
      { label: '75 – Fonds propres', amount: '8 000,00 €' },
    ],
  },
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
    expect(landlord).toContain('sans discrimination.\n- Ne pas reverser');
    expect(landlord).toContain('sauf accord écrit des financeurs.\n\n## Article 6');
  });

  it('says nothing of them, not even a blank line, when there are none', () => {
    const text = conventionText(view());
    expect(text).not.toContain('financements extérieurs');
    expect(text).not.toContain('contributions volontaires');
    expect(text).toContain('Total accordé : 12 000,00 €.\n\n## Article 4');
  });
});

describe('the convention as last reviewed', () => {
  // Texts and PDF digests of three conventions as last read and approved (convention-golden.json, regenerated
  // when the template's wording changes on purpose): the same content gives the same bytes.
  const golden = JSON.parse(
    readFileSync(new URL('./convention-golden.json', import.meta.url), 'utf8'),
  ) as Record<string, { view: ConventionView; text: string; pdfSha256: string }>;

  it.each(Object.keys(golden))('renders the %s convention byte for byte as approved', async (name) => {
    const { view, text, pdfSha256 } = golden[name];
    expect(conventionText(view)).toBe(text);
    const pdf = await renderConventionPdf(view);
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(pdfSha256);
  });
});

describe('the convention’s legal content', () => {
  const text = conventionText(view());
  it('states its legal basis, the ban on passing the grant on, amendment, termination and the court', () => {
    expect(text).toContain('loi n° 2000-321 du 12 avril 2000');
    expect(text).toContain('décret n° 2001-495 du 6 juin 2001');
    expect(text).toContain('loi n° 2014-173 du 21 février 2014 de programmation pour la ville');
    expect(text).toContain('loi n° 2021-1109 du 24 août 2021');
    expect(text).toContain('article L1611-4 du code général des collectivités territoriales');
    expect(text).toContain('## Article 7 – Avenant et résiliation');
    expect(text).toContain('tribunal administratif territorialement compétent');
    expect(text).toContain(
      'la décision du comité de pilotage du Contrat de ville de Montélimar Agglomération du 24 mars 2027',
    );
  });

  it('lists the indicators and gives the budget as an annex', () => {
    expect(text).toContain('- Jeunes accompagnés : 12 personnes');
    expect(text).toContain(
      '## Annexe – Budget prévisionnel de l’action\nCharges :\n- 64 – Encadrant technique : 20 000,00 €',
    );
  });

  it('names each party’s signatory and capacity, and where it is signed', () => {
    const text = conventionText(view());
    expect(text).toContain('- État (signataire : le préfet de la Drôme), ci-après « le financeur »');
    expect(text).toContain('représentée par Julien Martin, président, ci-après « le porteur »');
    expect(text).toContain('Fait à Montélimar, le 25 mars 2027');
  });
});
