import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The CERFA 12156 budget: the cost of the action (charges without contributions in kind, 86) and the
 * contributions in kind, kept with each application for SQL (shares, convention, open data). Existing
 * applications get theirs from their budget; their requests are unchanged (their 74 lines all name a
 * financer of the contract).
 */
export class CerfaBudget1795993140825 implements MigrationInterface {
  name = 'CerfaBudget1795993140825';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "grant_applications"
            ADD "total_cost_cents" bigint NOT NULL DEFAULT '0'
        `);
    await queryRunner.query(`
            ALTER TABLE "grant_applications"
            ADD "in_kind_cents" bigint NOT NULL DEFAULT '0'
        `);
    await queryRunner.query(`
            UPDATE "grant_applications" a
               SET "total_cost_cents" = totals.cost, "in_kind_cents" = totals.in_kind
              FROM (SELECT g.id,
                           coalesce(sum((c->>'amountCents')::bigint) FILTER (WHERE c->>'account' NOT LIKE '86%'), 0) AS cost,
                           coalesce(sum((c->>'amountCents')::bigint) FILTER (WHERE c->>'account' LIKE '86%'), 0) AS in_kind
                      FROM "grant_applications" g
                      CROSS JOIN LATERAL jsonb_array_elements(g.budget->'charges') c
                     WHERE g.budget IS NOT NULL
                     GROUP BY g.id) totals
             WHERE a.id = totals.id
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "grant_applications" DROP COLUMN "in_kind_cents"
        `);
    await queryRunner.query(`
            ALTER TABLE "grant_applications" DROP COLUMN "total_cost_cents"
        `);
  }
}
