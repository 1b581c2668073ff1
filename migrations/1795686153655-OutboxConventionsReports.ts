import { MigrationInterface, QueryRunner } from 'typeorm';

export class OutboxConventionsReports1795686153655 implements MigrationInterface {
  name = 'OutboxConventionsReports1795686153655';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "notifications" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "type" character varying(40) NOT NULL,
                "to_address" character varying(254) NOT NULL,
                "payload" jsonb NOT NULL,
                "subject" text,
                "dedupe_key" character varying(200) NOT NULL,
                "status" character varying(10) NOT NULL DEFAULT 'PENDING',
                "attempts" integer NOT NULL DEFAULT '0',
                "resend_count" integer NOT NULL DEFAULT '0',
                "last_error" text,
                "sent_at" TIMESTAMP WITH TIME ZONE,
                "contract_id" uuid,
                "application_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_6a72c3c0f683f6462415e653c3a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_notifications_dedupe_key" ON "notifications" ("dedupe_key")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_notifications_contract_id" ON "notifications" ("contract_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_notifications_status_created_at" ON "notifications" ("status", "created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "conventions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "application_id" uuid NOT NULL,
                "status" character varying(10) NOT NULL DEFAULT 'PENDING',
                "number" character varying(40) NOT NULL,
                "issued_on" date NOT NULL,
                "pdf" bytea,
                "sha256" character(64),
                "generated_at" TIMESTAMP WITH TIME ZONE,
                "generations" integer NOT NULL DEFAULT '0',
                "last_error" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_434559be9db3e7ab6bf6f147a68" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_conventions_application_id" ON "conventions" ("application_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_conventions_status" ON "conventions" ("status")
        `);
    await queryRunner.query(`
            CREATE TABLE "reports" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "application_id" uuid NOT NULL,
                "status" character varying(10) NOT NULL DEFAULT 'DRAFT',
                "budget" jsonb NOT NULL,
                "beneficiaries" jsonb NOT NULL,
                "achievements" text NOT NULL,
                "variance_explanation" text,
                "checks" jsonb,
                "submitted_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_d9013193989303580053c0b5ef6" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_reports_application_id" ON "reports" ("application_id")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."ux_reports_application_id"
        `);
    await queryRunner.query(`
            DROP TABLE "reports"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_conventions_status"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_conventions_application_id"
        `);
    await queryRunner.query(`
            DROP TABLE "conventions"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_notifications_status_created_at"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_notifications_contract_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_notifications_dedupe_key"
        `);
    await queryRunner.query(`
            DROP TABLE "notifications"
        `);
  }
}
