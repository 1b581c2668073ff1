import { ApplicationError } from '../../common/application-error.js';
import { DEFAULT_SCORING_GRID } from '../campaigns/campaign-rules.js';
import { assertScores, averageScore, weightedScore } from './scoring.js';

const grid = [
  { code: 'A', label: 'a', weight: 3 },
  { code: 'B', label: 'b', weight: 1 },
];

describe('weighted scoring', () => {
  it('weights each criterion', () => {
    expect(weightedScore({ A: 4, B: 0 }, grid)).toBe(3); // (12 + 0) / 4
    expect(weightedScore({ A: 5, B: 5 }, grid)).toBe(5);
    expect(weightedScore({ A: 0, B: 0 }, grid)).toBe(0);
  });

  it('rounds half up to two decimals', () => {
    const thirds = [
      { code: 'A', label: 'a', weight: 1 },
      { code: 'B', label: 'b', weight: 1 },
      { code: 'C', label: 'c', weight: 1 },
    ];
    expect(weightedScore({ A: 1, B: 1, C: 0 }, thirds)).toBe(0.67); // 0.6666…
    expect(weightedScore({ A: 1, B: 0, C: 0 }, thirds)).toBe(0.33); // 0.3333…
    expect(
      weightedScore({ A: 5, B: 4 }, [
        { code: 'A', label: 'a', weight: 1 },
        { code: 'B', label: 'b', weight: 7 },
      ]),
    ).toBe(4.13); // 4.125 → 4.13
  });

  it('leaves criteria not yet scored out of a draft, and gives null with no score', () => {
    expect(weightedScore({ B: 2 }, grid)).toBe(2);
    expect(weightedScore({}, grid)).toBeNull();
  });

  it('scores the default grid', () => {
    const all5 = Object.fromEntries(DEFAULT_SCORING_GRID.map((criterion) => [criterion.code, 5]));
    expect(weightedScore(all5, DEFAULT_SCORING_GRID)).toBe(5);
    // 3×4 + 3×2 + 2×5 + 2×3 + 2×1 = 36 over 12 weights
    expect(
      weightedScore(
        { STAKE_FIT: 4, QPV_IMPACT: 2, PARTNERSHIP: 5, TRANSVERSAL_PRIORITIES: 3, BUDGET_REALISM: 1 },
        DEFAULT_SCORING_GRID,
      ),
    ).toBe(3);
  });

  it('averages financers’ totals, ignoring those without a score', () => {
    expect(averageScore([3, 4.5, null])).toBe(3.75);
    expect(averageScore([1, 2, 2])).toBe(1.67);
    expect(averageScore([null])).toBeNull();
  });
});

describe('score validation', () => {
  const codeOf = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return (error as ApplicationError).details.map((detail) => detail.code);
    }
    return [];
  };

  it('needs every criterion for a final review, not for a draft', () => {
    expect(codeOf(() => assertScores({ A: 3 }, grid, true))).toEqual(['SCORES_INCOMPLETE']);
    expect(codeOf(() => assertScores({ A: 3 }, grid, false))).toEqual([]);
  });

  it('refuses unknown criteria and scores outside 0–5 or not whole', () => {
    expect(codeOf(() => assertScores({ A: 3, B: 6, Z: 1 }, grid, false))).toEqual([
      'INVALID_SCORE',
      'UNKNOWN_CRITERION',
    ]);
    expect(codeOf(() => assertScores({ A: 2.5 }, grid, false))).toEqual(['INVALID_SCORE']);
    expect(codeOf(() => assertScores({ A: -1 }, grid, false))).toEqual(['INVALID_SCORE']);
    expect(codeOf(() => assertScores({ A: '3' }, grid, false))).toEqual(['INVALID_SCORE']);
  });
});
