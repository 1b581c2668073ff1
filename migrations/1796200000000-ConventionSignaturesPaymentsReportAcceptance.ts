import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Life after the COPIL: each party's signature of a convention (the convention signed once the holder and every
 * granting financer have signed), the payments per granting financer (advance, balance, recovery; due, paid
 * with its date and commitment reference), the report accepted or returned with a message. Payments and
 * signatures are audited like the other money tables.
 */
export class ConventionSignaturesPaymentsReportAcceptance1796200000000 implements MigrationInterface {
  name = 'ConventionSignaturesPaymentsReportAcceptance1796200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "convention_signatures" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "convention_id" uuid NOT NULL,
                "party" character varying(20) NOT NULL,
                "signed_on" date NOT NULL,
                "recorded_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_3f53c1430dec57f095734ce7fbd" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_convention_signatures_party" ON "convention_signatures" ("convention_id", "party")
        `);
    await queryRunner.query(`
            CREATE TABLE "payments" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "application_id" uuid NOT NULL,
                "partner_id" uuid NOT NULL,
                "kind" character varying(10) NOT NULL,
                "amount_cents" bigint NOT NULL,
                "status" character varying(10) NOT NULL DEFAULT 'DUE',
                "due_on" date NOT NULL,
                "paid_on" date,
                "engagement_reference" character varying(50),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_197ab7af18c93fbb0c9b28b4a59" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_payments_partner_id" ON "payments" ("partner_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_payments_application_partner_kind" ON "payments" ("application_id", "partner_id", "kind")
        `);
    await queryRunner.query(`
            ALTER TABLE "conventions"
            ADD "signed_on" date
        `);
    await queryRunner.query(`
            ALTER TABLE "reports"
            ADD "return_message" text
        `);
    await queryRunner.query(`
            ALTER TABLE "reports"
            ADD "accepted_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "convention_signatures"
            ADD CONSTRAINT "FK_60d684f6683c48af64bea9d6948" FOREIGN KEY ("convention_id") REFERENCES "conventions"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "payments"
            ADD CONSTRAINT "FK_3b379ebb0e5d8ac17f998b932e7" FOREIGN KEY ("application_id") REFERENCES "grant_applications"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "payments"
            ADD CONSTRAINT "FK_76895e2eb764876c44f47f86c35" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(
      `CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON "payments" FOR EACH ROW EXECUTE FUNCTION audit_row('updated_at')`,
    );
    await queryRunner.query(
      `CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON "convention_signatures" FOR EACH ROW EXECUTE FUNCTION audit_row()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit ON "convention_signatures"`);
    await queryRunner.query(`DROP TRIGGER audit ON "payments"`);
    await queryRunner.query(`
            ALTER TABLE "payments" DROP CONSTRAINT "FK_76895e2eb764876c44f47f86c35"
        `);
    await queryRunner.query(`
            ALTER TABLE "payments" DROP CONSTRAINT "FK_3b379ebb0e5d8ac17f998b932e7"
        `);
    await queryRunner.query(`
            ALTER TABLE "convention_signatures" DROP CONSTRAINT "FK_60d684f6683c48af64bea9d6948"
        `);
    await queryRunner.query(`
            ALTER TABLE "reports" DROP COLUMN "accepted_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "reports" DROP COLUMN "return_message"
        `);
    await queryRunner.query(`
            ALTER TABLE "conventions" DROP COLUMN "signed_on"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_payments_application_partner_kind"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_payments_partner_id"
        `);
    await queryRunner.query(`
            DROP TABLE "payments"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_convention_signatures_party"
        `);
    await queryRunner.query(`
            DROP TABLE "convention_signatures"
        `);
  }
}
