import { decisionProblems } from './decisions.js';

const asked = new Map([
  ['E', 8_000_00],
  ['V', 7_000_00],
]);
const codes = (decisions: Parameters<typeof decisionProblems>[0]) =>
  decisionProblems(decisions, asked).map((problem) => [problem.field, problem.code]);

describe('decisionProblems', () => {
  it('accepts a full grant and a motivated partial one', () => {
    expect(
      codes([
        { partnerCode: 'E', grantedAmountCents: 8_000_00 },
        { partnerCode: 'V', grantedAmountCents: 5_000_00, reason: 'Enveloppe contrainte.' },
      ]),
    ).toEqual([]);
  });

  it('reports every problem at once, each on its field', () => {
    expect(
      codes([
        { partnerCode: 'E', grantedAmountCents: 9_000_00 },
        { partnerCode: 'E', grantedAmountCents: 0, reason: ' ' },
        { partnerCode: 'CAF', grantedAmountCents: 1_00 },
      ]),
    ).toEqual([
      ['decisions.0.grantedAmountCents', 'GRANT_ABOVE_REQUEST'],
      ['decisions.1', 'DUPLICATE_DECISION'],
      ['decisions.1.reason', 'REASON_REQUIRED'],
      ['decisions.2', 'PARTNER_NOT_REQUESTED'],
      ['decisions', 'DECISIONS_INCOMPLETE'],
    ]);
  });
});
