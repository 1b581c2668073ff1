import { MigrationInterface, QueryRunner } from 'typeorm';

/** The evaluation indicators of an application (CERFA 12156: 1 to 10, label, unit, target). */
export class ApplicationIndicators1795993569676 implements MigrationInterface {
  name = 'ApplicationIndicators1795993569676';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "grant_applications"
            ADD "indicators" jsonb
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "grant_applications" DROP COLUMN "indicators"
        `);
  }
}
