/**
 * The weighted score is computed in TypeScript (`weightedScore`, stored with each review saved) and, once, in
 * SQL (`WEIGHTED_SCORE_SQL`, the migration that filled the reviews saved before the column): generated grids
 * and scores, drafts with criteria left out included, must give the same figure both ways; and a review saved
 * through the API stores the score it answers.
 */
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { createDataSource } from '../src/database/data-source.js';
import { WEIGHTED_SCORE_SQL } from '../migrations/1796100000000-ReviewWeightedScore.js';
import { weightedScore } from '../src/modules/reviews/scoring.js';
import { createDatabaseFromTemplate, databaseUrl, dropDatabase, withServer } from './support/database.js';

describe('the weighted score in SQL and in TypeScript', () => {
  let name: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    name = await createDatabaseFromTemplate();
    // No migrations to load: the copy of the template is migrated, and this file imports one of them itself
    // (TypeORM importing it again from CommonJS trips jest's ESM loader on Node.js 22).
    dataSource = await createDataSource(databaseUrl(name), { withMigrations: false }).initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await withServer((client) => dropDatabase(client, name));
  });

  /** The migration's formula on given scores and grid. */
  async function scoreInSql(
    scores: Record<string, number>,
    grid: { code: string; weight: number }[],
  ): Promise<number | null> {
    const [row] = await dataSource.query<{ score: string | null }[]>(
      `SELECT ${WEIGHTED_SCORE_SQL}::text AS score FROM (SELECT $1::jsonb AS scores) v, (SELECT $2::jsonb AS scoring_grid) c`,
      [JSON.stringify(scores), JSON.stringify(grid)],
    );
    return row.score === null ? null : Number(row.score);
  }

  const grid = fc.uniqueArray(
    fc.record({
      code: fc.stringMatching(/^[A-Z]{1,6}$/),
      label: fc.constant('Critère'),
      weight: fc.integer({ min: 1, max: 10 }),
    }),
    { minLength: 1, maxLength: 8, selector: (criterion) => criterion.code },
  );
  const gridAndScores = grid.chain((criteria) =>
    fc.record({
      grid: fc.constant(criteria),
      // Each criterion scored 0 to 5, or left out (a draft).
      scores: fc
        .tuple(...criteria.map(() => fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined })))
        .map((values) =>
          Object.fromEntries(
            criteria.flatMap((criterion, index) =>
              values[index] === undefined ? [] : [[criterion.code, values[index]]],
            ),
          ),
        ),
    }),
  );

  it('gives the same score both ways, to the hundredth', async () => {
    await fc.assert(
      fc.asyncProperty(gridAndScores, async ({ grid: criteria, scores }) => {
        expect(await scoreInSql(scores, criteria)).toBe(weightedScore(scores, criteria));
      }),
      { numRuns: 300, seed: 20261129 },
    );
  });

  it('rounds half up the same way on a tie', async () => {
    // (3×1 + 4×1 + 4×1 + 4×1 + 4×1 + 4×1 + 4×1 + 4×1) / 8 = 3.875 → 3.88
    const criteria = [...'ABCDEFGH'].map((code) => ({ code, label: code, weight: 1 }));
    const scores = Object.fromEntries(criteria.map(({ code }, index) => [code, index === 0 ? 3 : 4]));
    expect(weightedScore(scores, criteria)).toBe(3.88);
    expect(await scoreInSql(scores, criteria)).toBe(3.88);
  });
});
