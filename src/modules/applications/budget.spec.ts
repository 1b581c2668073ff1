import { budgetShapeProblems } from './budget.js';

describe('budget shape', () => {
  it('accepts one 74 line per financer and other products without financer', () => {
    expect(
      budgetShapeProblems([
        { account: '74', label: 'État', amountCents: 100, partnerCode: 'E' },
        { account: '74', label: 'Ville', amountCents: 100, partnerCode: 'V' },
        { account: '75', label: 'Cotisations', amountCents: 100 },
      ]),
    ).toEqual([]);
  });

  it('refuses a 74 line with no financer, a financer on another line, and two lines for one financer', () => {
    const problems = budgetShapeProblems([
      { account: '74', label: '?', amountCents: 100 },
      { account: '70', label: 'Ventes', amountCents: 100, partnerCode: 'V' },
      { account: '74', label: 'CAF', amountCents: 100, partnerCode: 'CAF' },
      { account: '74', label: 'CAF bis', amountCents: 100, partnerCode: 'CAF' },
    ]);
    expect(problems.map((problem) => [problem.field, problem.code])).toEqual([
      ['budget.products.0.partnerCode', 'SUBSIDY_LINE_WITHOUT_FINANCER'],
      ['budget.products.1.partnerCode', 'FINANCER_ON_NON_SUBSIDY_LINE'],
      ['budget.products.3.partnerCode', 'DUPLICATE_FINANCER_LINE'],
    ]);
  });
});
