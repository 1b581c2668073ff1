import { MigrationInterface, QueryRunner } from 'typeorm';

/** Each financer's deliberation (or decision) reference for a campaign's year, cited by the conventions. */
export class CampaignDeliberations1796400000000 implements MigrationInterface {
  name = 'CampaignDeliberations1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "campaigns"
            ADD "deliberations" jsonb NOT NULL DEFAULT '{}'
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "campaigns" DROP COLUMN "deliberations"
        `);
  }
}
