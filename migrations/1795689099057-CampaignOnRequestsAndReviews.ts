import { MigrationInterface, QueryRunner } from 'typeorm';

/** Carries the campaign on requests and reviews, backfilled from their application, so the programming
 * table reaches one campaign's rows through an index instead of scanning every campaign's. */
export class CampaignOnRequestsAndReviews1795689099057 implements MigrationInterface {
  name = 'CampaignOnRequestsAndReviews1795689099057';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['application_requests', 'reviews']) {
      await queryRunner.query(`ALTER TABLE "${table}" ADD "campaign_id" uuid`);
      await queryRunner.query(
        `UPDATE "${table}" t SET campaign_id = a.campaign_id FROM grant_applications a WHERE a.id = t.application_id`,
      );
      await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "campaign_id" SET NOT NULL`);
    }
    await queryRunner.query(
      `CREATE INDEX "ix_application_requests_campaign_id" ON "application_requests" ("campaign_id")`,
    );
    await queryRunner.query(`CREATE INDEX "ix_reviews_campaign_id" ON "reviews" ("campaign_id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_reviews_campaign_id"`);
    await queryRunner.query(`DROP INDEX "public"."ix_application_requests_campaign_id"`);
    await queryRunner.query(`ALTER TABLE "reviews" DROP COLUMN "campaign_id"`);
    await queryRunner.query(`ALTER TABLE "application_requests" DROP COLUMN "campaign_id"`);
  }
}
