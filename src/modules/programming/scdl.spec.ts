import { toScdlRow, SCDL_FIELDS } from './scdl.js';

const grant = {
  reference: '2027-EMP-0001',
  partnerCode: 'V',
  partnerName: 'Ville de Montélimar',
  partnerSiret: '21260198300019',
  holderName: 'Régie de quartier',
  holderSiret: '41234567000019',
  holderRna: 'W261000202',
  year: 2027,
  copilDate: '2027-03-25',
  conventionDate: '2027-04-02',
  startDate: '2027-01-15',
  endDate: '2027-12-15',
  title: 'Chantier éducatif',
  requestedCents: 8_000_00,
  grantedCents: 6_500_50,
  advancePercent: 50,
  submittedOn: '2027-01-31',
  outsideFunders: ['Fonds social européen'],
  paymentPeriod: { from: '2027-04-02', to: '2028-06-30' },
  coFinancers: ['État (Déléguée du préfet)', 'CAF de la Drôme'],
  updatedOn: '2027-04-02',
};

describe('SCDL Subventions rows', () => {
  it('maps a grant with every field of the schema, amounts with a decimal point', () => {
    const row = toScdlRow(grant);
    expect(Object.keys(row)).toEqual([...SCDL_FIELDS]);
    expect(row).toMatchObject({
      idAttribuant: '21260198300019',
      montant: '6500.50',
      montantDemande: '8000.00',
      conditionsVersement: 'échelonné',
      cofinancement: 'oui',
      rnaBeneficiaire: 'W261000202',
    });
  });

  it('gives the schema’s meanings: the SIRET, a single beneficiary’s 1.00, the co-financers by comma, the project', () => {
    const row = toScdlRow(grant);
    expect(row.idBeneficiaire).toBe('41234567000019');
    // « Dans le cas d’un bénéficiaire unique, le pourcentage est 100 %, soit '1.00' »: not the share of the cost.
    expect(row.pourcentageSubvention).toBe('1.00');
    expect(row.attribuantsCofinanceurs).toBe('État (Déléguée du préfet), CAF de la Drôme');
    expect(row.idCofinancement).toBe('2027-EMP-0001');
    expect(row.dateCreation).toBe('2027-01-31');
  });

  it('says an action funded here by one financer and by the FSE is co-financed', () => {
    expect(toScdlRow({ ...grant, coFinancers: [] }).cofinancement).toBe('oui');
    expect(toScdlRow({ ...grant, coFinancers: [], outsideFunders: [] }).cofinancement).toBe('non');
  });

  it('leaves out an RNA the SCDL pattern would refuse', () => {
    expect(toScdlRow({ ...grant, holderRna: 'W2A1000202' }).rnaBeneficiaire).toBe('');
  });

  it('pays at once when there is no advance', () => {
    expect(toScdlRow({ ...grant, advancePercent: 0 }).conditionsVersement).toBe('unique');
  });
});
