import { budgetShapeProblems } from './budget.js';
import { inKindCharges, requestsByPartner, totalCharges, totalCost } from '../checks/checks.js';

describe('budget shape', () => {
  it('accepts one 74 line per financer, outside funders, and other products without financer', () => {
    expect(
      budgetShapeProblems({
        charges: [],
        products: [
          { account: '74etat', label: 'État', amountCents: 100, partnerCode: 'E' },
          { account: '74', label: 'Ville', amountCents: 100, partnerCode: 'V' },
          { account: '74fe', label: 'FSE', amountCents: 100, funder: 'Fonds social européen' },
          { account: '74aidespriv', label: 'Fondation', amountCents: 100, funder: 'Fondation de France' },
          { account: '756', label: 'Cotisations', amountCents: 100 },
        ],
      }),
    ).toEqual([]);
  });

  it('refuses a 74 line with neither or both, a financer on another line, and two lines for one financer', () => {
    const problems = budgetShapeProblems({
      charges: [],
      products: [
        { account: '74', label: '?', amountCents: 100 },
        { account: '70', label: 'Ventes', amountCents: 100, partnerCode: 'V' },
        { account: '74', label: 'CAF', amountCents: 100, partnerCode: 'CAF' },
        { account: '74orgasoc', label: 'CAF bis', amountCents: 100, partnerCode: 'CAF' },
        { account: '74', label: 'Les deux', amountCents: 100, partnerCode: 'E', funder: 'FSE' },
        { account: '758', label: 'Mécénat', amountCents: 100, funder: 'Entreprise' },
      ],
    });
    expect(problems.map((problem) => [problem.field, problem.code])).toEqual([
      ['budget.products.0.partnerCode', 'FUNDER_REQUIRED'],
      ['budget.products.1.partnerCode', 'FINANCER_ON_NON_SUBSIDY_LINE'],
      ['budget.products.3.partnerCode', 'DUPLICATE_FINANCER_LINE'],
      ['budget.products.4.partnerCode', 'FUNDER_REQUIRED'],
      ['budget.products.5.funder', 'FINANCER_ON_NON_SUBSIDY_LINE'],
    ]);
  });

  it('refuses contributions in kind whose use (86) and source (87) differ', () => {
    const problems = budgetShapeProblems({
      charges: [{ account: '864', label: 'Bénévolat', amountCents: 3_000_00 }],
      products: [{ account: '870', label: 'Bénévolat', amountCents: 2_500_00 }],
    });
    expect(problems).toEqual([expect.objectContaining({ field: 'budget', code: 'IN_KIND_UNBALANCED' })]);
    expect(problems[0].message).toContain('3\u202f000,00');
  });

  it('counts a co-financed action with volunteer time as the CERFA does', () => {
    // État 8,000 €, CAF 4,000 €, FSE 5,000 €, a foundation 2,000 €, own funds 1,000 €; 6,000 € of volunteer time.
    const budget = {
      charges: [
        { account: '641', label: 'Salaires', amountCents: 15_000_00 },
        { account: '604', label: 'Prestations', amountCents: 3_000_00 },
        { account: 'chgfixe', label: 'Charges fixes', amountCents: 2_000_00 },
        { account: '864', label: 'Personnel bénévole', amountCents: 6_000_00 },
      ],
      products: [
        { account: '74etat', label: 'Politique de la ville', amountCents: 8_000_00, partnerCode: 'E' },
        { account: '74orgasoc', label: 'CAF', amountCents: 4_000_00, partnerCode: 'CAF' },
        { account: '74fe', label: 'FSE', amountCents: 5_000_00, funder: 'Fonds social européen' },
        { account: '74aidespriv', label: 'Fondation', amountCents: 2_000_00, funder: 'Fondation de France' },
        { account: 'insufprevisionnel', label: 'Autofinancement', amountCents: 1_000_00 },
        { account: '870', label: 'Bénévolat', amountCents: 6_000_00 },
      ],
    };
    expect(budgetShapeProblems(budget)).toEqual([]);
    expect(totalCharges({ budget })).toBe(26_000_00);
    expect(totalCost({ budget })).toBe(20_000_00);
    expect(inKindCharges({ budget })).toBe(6_000_00);
    expect([...requestsByPartner({ budget }).entries()]).toEqual([
      ['E', 8_000_00],
      ['CAF', 4_000_00],
    ]);
  });
});
