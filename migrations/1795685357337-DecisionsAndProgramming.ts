import { MigrationInterface, QueryRunner } from 'typeorm';

export class DecisionsAndProgramming1795685357337 implements MigrationInterface {
  name = 'DecisionsAndProgramming1795685357337';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "decisions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "application_id" uuid NOT NULL,
                "partner_id" uuid NOT NULL,
                "campaign_id" uuid NOT NULL,
                "granted_cents" bigint NOT NULL,
                "reason" text,
                "decided_by" uuid NOT NULL,
                "decided_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_48eee6fa229cd5e43648f6a2ec3" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_decisions_partner_id" ON "decisions" ("partner_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_decisions_campaign_partner" ON "decisions" ("campaign_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_decisions_application_partner" ON "decisions" ("application_id", "partner_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "decision_changes" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "application_id" uuid NOT NULL,
                "partner_id" uuid NOT NULL,
                "old_granted_cents" bigint,
                "new_granted_cents" bigint NOT NULL,
                "reason" text,
                "actor_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_570e90fdec79e99b952b1c1547b" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_decision_changes_application_id" ON "decision_changes" ("application_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "grant_applications"
            ADD "copil_note" text
        `);
    await queryRunner.query(`
            ALTER TABLE "decisions"
            ADD CONSTRAINT "FK_493f91586c9f0bce4ba71c41c78" FOREIGN KEY ("application_id") REFERENCES "grant_applications"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "decisions"
            ADD CONSTRAINT "FK_5408e0fc0972957b384ec10d681" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "decisions" DROP CONSTRAINT "FK_5408e0fc0972957b384ec10d681"
        `);
    await queryRunner.query(`
            ALTER TABLE "decisions" DROP CONSTRAINT "FK_493f91586c9f0bce4ba71c41c78"
        `);
    await queryRunner.query(`
            ALTER TABLE "grant_applications" DROP COLUMN "copil_note"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_decision_changes_application_id"
        `);
    await queryRunner.query(`
            DROP TABLE "decision_changes"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_decisions_application_partner"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_decisions_campaign_partner"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_decisions_partner_id"
        `);
    await queryRunner.query(`
            DROP TABLE "decisions"
        `);
  }
}
