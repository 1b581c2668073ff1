import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The weighted score of a review (0–5, half up to the hundredth), as `weightedScore` gives it: stored at each
 * save by the service, so that the review desk, the COTECH table and the programming's CSV sort and stream by
 * it without computing it from the grid for every review (10,000 reviews: some 80 ms each time).
 * `WEIGHTED_SCORE_SQL` fills the rows saved before: test/scoring-sql.e2e-spec.ts holds it equal to
 * `weightedScore` on generated grids and scores. `v` holds `scores`, `c` the campaign's `scoring_grid`.
 */
export const WEIGHTED_SCORE_SQL = `(SELECT round(sum((v.scores ->> (g ->> 'code'))::numeric * (g ->> 'weight')::int)
                          / nullif(sum((g ->> 'weight')::int) FILTER (WHERE v.scores ? (g ->> 'code')), 0), 2)
                      FROM jsonb_array_elements(c.scoring_grid) g)`;

export class ReviewWeightedScore1796100000000 implements MigrationInterface {
  name = 'ReviewWeightedScore1796100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "reviews" ADD "weighted_score" numeric(4,2)`);
    await queryRunner.query(
      `UPDATE reviews v SET weighted_score = ${WEIGHTED_SCORE_SQL} FROM campaigns c WHERE c.id = v.campaign_id`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "reviews" DROP COLUMN "weighted_score"`);
  }
}
