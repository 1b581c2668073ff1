import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The end-of-action report as CERFA 15059 asks: the indicators with their achieved values, the actual dates,
 * the signatory's attestation (the beneficiaries per QPV live in its `beneficiaries`).
 */
export class ReportAsCerfa150591796300000000 implements MigrationInterface {
  name = 'ReportAsCerfa150591796300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "reports"
            ADD "indicators" jsonb
        `);
    await queryRunner.query(`
            ALTER TABLE "reports"
            ADD "actual_start_date" date
        `);
    await queryRunner.query(`
            ALTER TABLE "reports"
            ADD "actual_end_date" date
        `);
    await queryRunner.query(`
            ALTER TABLE "reports"
            ADD "certification" jsonb
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "reports" DROP COLUMN "certification"
        `);
    await queryRunner.query(`
            ALTER TABLE "reports" DROP COLUMN "actual_end_date"
        `);
    await queryRunner.query(`
            ALTER TABLE "reports" DROP COLUMN "actual_start_date"
        `);
    await queryRunner.query(`
            ALTER TABLE "reports" DROP COLUMN "indicators"
        `);
  }
}
