import { MigrationInterface, QueryRunner } from 'typeorm';

export class ReviewsAndConflictsOfInterest1795684666699 implements MigrationInterface {
  name = 'ReviewsAndConflictsOfInterest1795684666699';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "reviews" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "application_id" uuid NOT NULL,
                "partner_id" uuid NOT NULL,
                "scores" jsonb NOT NULL DEFAULT '{}',
                "opinion" character varying(20),
                "proposed_amount_cents" bigint,
                "comment" text NOT NULL DEFAULT '',
                "final" boolean NOT NULL DEFAULT false,
                "version" integer NOT NULL DEFAULT '1',
                "reviewer_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_231ae565c273ee700b283f15c1d" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_reviews_partner_id" ON "reviews" ("partner_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_reviews_application_partner" ON "reviews" ("application_id", "partner_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "conflict_declarations" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "application_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "reason" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_54773c4de5f8dd35925794876a6" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_conflict_declarations_user_id" ON "conflict_declarations" ("user_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_conflict_declarations_application_user" ON "conflict_declarations" ("application_id", "user_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "reviews"
            ADD CONSTRAINT "FK_414daf69b1c74f190324c9069ac" FOREIGN KEY ("application_id") REFERENCES "grant_applications"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "reviews"
            ADD CONSTRAINT "FK_175a0b489b66b5ba11839efd734" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "reviews" DROP CONSTRAINT "FK_175a0b489b66b5ba11839efd734"
        `);
    await queryRunner.query(`
            ALTER TABLE "reviews" DROP CONSTRAINT "FK_414daf69b1c74f190324c9069ac"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_conflict_declarations_application_user"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_conflict_declarations_user_id"
        `);
    await queryRunner.query(`
            DROP TABLE "conflict_declarations"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_reviews_application_partner"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_reviews_partner_id"
        `);
    await queryRunner.query(`
            DROP TABLE "reviews"
        `);
  }
}
