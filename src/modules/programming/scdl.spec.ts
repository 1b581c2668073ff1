import { subsidyShare, toScdlRow, SCDL_FIELDS } from './scdl.js';

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
  totalCostCents: 20_000_00,
  advancePercent: 50,
  paymentPeriod: { from: '2027-04-02', to: '2028-06-30' },
  coFinancers: ['État (Déléguée du préfet)'],
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
      pourcentageSubvention: '0.325',
      rnaBeneficiaire: 'W261000202',
    });
  });

  it('keeps the share within SCDL’s bounds', () => {
    expect(subsidyShare(1, 1_000_000)).toBe('0.01');
    expect(subsidyShare(100, 100)).toBe('1');
    expect(subsidyShare(1, 3)).toBe('0.3333');
  });

  it('leaves out an RNA the SCDL pattern would refuse', () => {
    expect(toScdlRow({ ...grant, holderRna: 'W2A1000202' }).rnaBeneficiaire).toBe('');
  });

  it('pays at once when there is no advance', () => {
    expect(toScdlRow({ ...grant, advancePercent: 0 }).conditionsVersement).toBe('unique');
  });
});
