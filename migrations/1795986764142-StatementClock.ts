import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail and the decision history stamped with the statement's clock (`clock_timestamp()`), not
 * the transaction's start: the changes one request makes keep their order in time, as they do by id.
 */
export class StatementClock1795986764142 implements MigrationInterface {
  name = 'StatementClock1795986764142';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "decision_changes"
            ALTER COLUMN "created_at"
            SET DEFAULT clock_timestamp()
        `);
    await queryRunner.query(`
            ALTER TABLE "audit_events"
            ALTER COLUMN "occurred_at"
            SET DEFAULT clock_timestamp()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "audit_events"
            ALTER COLUMN "occurred_at"
            SET DEFAULT now()
        `);
    await queryRunner.query(`
            ALTER TABLE "decision_changes"
            ALTER COLUMN "created_at"
            SET DEFAULT now()
        `);
  }
}
