/**
 * The weighted score is computed in TypeScript (`weightedScore`, the API's answers) and in SQL (`SCORE_SQL`,
 * the programming CSV's streamed rows): generated grids and scores, drafts with criteria left out included,
 * must give the same figure both ways.
 */
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { createDataSource } from '../src/database/data-source.js';
import { ProgrammingRepository } from '../src/modules/programming/programming.repository.js';
import { weightedScore } from '../src/modules/reviews/scoring.js';
import { createDatabaseFromTemplate, databaseUrl, dropDatabase, withServer } from './support/database.js';

describe('the weighted score in SQL and in TypeScript', () => {
  let name: string;
  let dataSource: DataSource;
  let repository: ProgrammingRepository;

  beforeAll(async () => {
    name = await createDatabaseFromTemplate();
    dataSource = await createDataSource(databaseUrl(name)).initialize();
    repository = new ProgrammingRepository(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await withServer((client) => dropDatabase(client, name));
  });

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
        expect(await repository.scoreInSql(scores, criteria)).toBe(weightedScore(scores, criteria));
      }),
      { numRuns: 300, seed: 20261129 },
    );
  });

  it('rounds half up the same way on a tie', async () => {
    // (3×1 + 4×1 + 4×1 + 4×1 + 4×1 + 4×1 + 4×1 + 4×1) / 8 = 3.875 → 3.88
    const criteria = [...'ABCDEFGH'].map((code) => ({ code, label: code, weight: 1 }));
    const scores = Object.fromEntries(criteria.map(({ code }, index) => [code, index === 0 ? 3 : 4]));
    expect(weightedScore(scores, criteria)).toBe(3.88);
    expect(await repository.scoreInSql(scores, criteria)).toBe(3.88);
  });
});
