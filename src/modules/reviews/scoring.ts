/** Review scoring on the campaign's grid: pure functions, no floats stored. */
import { type CodedDetail, unprocessableAll } from '../../common/application-error.js';
import type { ScoringCriterion } from '../campaigns/campaign-rules.js';
import './reviews.errors.js'; // registers the codes thrown here

export const MIN_SCORE = 0;
export const MAX_SCORE = 5;

/**
 * Weighted mean of the scores given, on the 0–5 scale, rounded half up to two decimals.
 * Criteria not scored yet (a draft) are left out of both sums; no score at all gives null.
 */
export function weightedScore(scores: Record<string, number>, grid: ScoringCriterion[]): number | null {
  let weighted = 0;
  let weights = 0;
  for (const criterion of grid) {
    const score = scores[criterion.code];
    if (score === undefined) continue;
    weighted += score * criterion.weight;
    weights += criterion.weight;
  }
  if (weights === 0) return null;
  // Integer arithmetic: hundredths, rounded half up.
  return Math.floor((weighted * 100 * 2 + weights) / (weights * 2)) / 100;
}

/** Mean of several financers' totals (the COTECH average), rounded like a total. */
export function averageScore(totals: (number | null)[]): number | null {
  const given = totals.filter((total): total is number => total !== null);
  if (given.length === 0) return null;
  const hundredths = given.reduce((sum, total) => sum + Math.round(total * 100), 0);
  return Math.floor((hundredths * 2 + given.length) / (given.length * 2)) / 100;
}

/**
 * Scores must name criteria of the grid with whole values from 0 to 5; a final review scores them all.
 */
export function assertScores(
  scores: Record<string, unknown>,
  grid: ScoringCriterion[],
  final: boolean,
): Record<string, number> {
  const problems: CodedDetail[] = [];
  const codes = grid.map((criterion) => criterion.code);
  for (const [code, value] of Object.entries(scores)) {
    if (!codes.includes(code)) {
      problems.push({
        field: `scores.${code}`,
        code: 'UNKNOWN_CRITERION',
        message: `Critère inconnu de la grille : ${code}.`,
      });
    } else if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < MIN_SCORE ||
      value > MAX_SCORE
    ) {
      problems.push({
        field: `scores.${code}`,
        code: 'INVALID_SCORE',
        message: `La note de ${code} doit être un entier de 0 à 5.`,
      });
    }
  }
  if (final) {
    const missing = codes.filter((code) => scores[code] === undefined);
    if (missing.length > 0) {
      problems.push({
        field: 'scores',
        code: 'SCORES_INCOMPLETE',
        message: `Notez chaque critère pour finaliser l’avis : ${missing.join(', ')}.`,
      });
    }
  }
  const [first, ...others] = problems;
  if (first) throw unprocessableAll([first, ...others]);
  return scores as Record<string, number>;
}
