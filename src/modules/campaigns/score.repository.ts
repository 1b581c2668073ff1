/**
 * The weighted score of a review on its campaign's grid, in SQL (0–5, two decimals, half up), for the
 * statements that sort or stream by it (the review desk's queue, the programming's CSV). `weightedScore`
 * (reviews/scoring.ts) is the rule; test/scoring-sql.e2e-spec.ts holds both equal on generated grids and
 * scores. `review` and `campaign` are the aliases of the rows holding `scores` and `scoring_grid`.
 */
export function scoreSql(review: string, campaign: string): string {
  return `(SELECT round(sum((${review}.scores ->> (g ->> 'code'))::numeric * (g ->> 'weight')::int)
                          / nullif(sum((g ->> 'weight')::int) FILTER (WHERE ${review}.scores ? (g ->> 'code')), 0), 2)
                      FROM jsonb_array_elements(${campaign}.scoring_grid) g)`;
}
