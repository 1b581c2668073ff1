import { MigrationInterface, QueryRunner } from 'typeorm';

export class CampaignsApplicationsAttachments1795683645884 implements MigrationInterface {
  name = 'CampaignsApplicationsAttachments1795683645884';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "campaigns" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "contract_id" uuid NOT NULL,
                "year" smallint NOT NULL,
                "title" character varying(300) NOT NULL,
                "status" character varying(20) NOT NULL DEFAULT 'DRAFT',
                "opens_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "submission_deadline" TIMESTAMP WITH TIME ZONE NOT NULL,
                "review_deadline" TIMESTAMP WITH TIME ZONE NOT NULL,
                "cotech_date" date NOT NULL,
                "copil_date" date NOT NULL,
                "report_deadline" TIMESTAMP WITH TIME ZONE NOT NULL,
                "rules" jsonb NOT NULL,
                "scoring_grid" jsonb NOT NULL,
                "created_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_831e3fcd4fc45b4e4c3f57a9ee4" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_campaigns_contract_year" ON "campaigns" ("contract_id", "year")
        `);
    await queryRunner.query(`
            CREATE TABLE "envelopes" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "campaign_id" uuid NOT NULL,
                "partner_id" uuid NOT NULL,
                "theme_id" uuid,
                "amount_cents" bigint NOT NULL,
                CONSTRAINT "PK_9b027a52b6aefdd4532dc491359" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_envelopes_campaign_partner_all_themes" ON "envelopes" ("campaign_id", "partner_id")
            WHERE theme_id IS NULL
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_envelopes_campaign_partner_theme" ON "envelopes" ("campaign_id", "partner_id", "theme_id")
            WHERE theme_id IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "campaign_transitions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "campaign_id" uuid NOT NULL,
                "from_status" character varying(20),
                "to_status" character varying(20) NOT NULL,
                "actor_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_772fb665c80a8ebf1db1c1ce9b0" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_campaign_transitions_campaign_id" ON "campaign_transitions" ("campaign_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "grant_applications" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "campaign_id" uuid NOT NULL,
                "contract_id" uuid NOT NULL,
                "organization_id" uuid NOT NULL,
                "reference" character varying(30) NOT NULL,
                "reference_number" integer NOT NULL,
                "status" character varying(20) NOT NULL,
                "version" integer NOT NULL DEFAULT '1',
                "title" character varying(300) NOT NULL,
                "summary" text,
                "objectives" text,
                "description" text,
                "theme_id" uuid NOT NULL,
                "stake_id" uuid,
                "measure_id" uuid,
                "location" text,
                "start_date" date,
                "end_date" date,
                "renewal_of_id" uuid,
                "beneficiaries" jsonb,
                "priorities" jsonb,
                "budget" jsonb,
                "total_charges_cents" bigint NOT NULL DEFAULT '0',
                "total_products_cents" bigint NOT NULL DEFAULT '0',
                "requested_cents" bigint NOT NULL DEFAULT '0',
                "gender_marker" smallint,
                "certification" jsonb,
                "checks" jsonb,
                "submitted_at" TIMESTAMP WITH TIME ZONE,
                "created_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_558f554a6a90a6b35621e0f1a96" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_grant_applications_organization_id" ON "grant_applications" ("organization_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_grant_applications_theme_id" ON "grant_applications" ("theme_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_grant_applications_renewal_of_id" ON "grant_applications" ("renewal_of_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_grant_applications_campaign_status" ON "grant_applications" ("campaign_id", "status")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_grant_applications_contract_reference" ON "grant_applications" ("contract_id", "reference")
        `);
    await queryRunner.query(`
            CREATE TABLE "application_qpvs" (
                "application_id" uuid NOT NULL,
                "qpv_code" character varying(12) NOT NULL,
                CONSTRAINT "PK_49459b0a4d8ccac4798a5195b74" PRIMARY KEY ("application_id", "qpv_code")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_application_qpvs_qpv_code" ON "application_qpvs" ("qpv_code")
        `);
    await queryRunner.query(`
            CREATE TABLE "application_requests" (
                "application_id" uuid NOT NULL,
                "partner_id" uuid NOT NULL,
                "requested_cents" bigint NOT NULL,
                CONSTRAINT "PK_a2575d917a537a4bd02c57056e0" PRIMARY KEY ("application_id", "partner_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_application_requests_partner_id" ON "application_requests" ("partner_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "application_transitions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "application_id" uuid NOT NULL,
                "from_status" character varying(20),
                "to_status" character varying(20) NOT NULL,
                "actor_id" uuid,
                "message" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_a1f85eaa056bfd4d3613e4adc9d" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_application_transitions_application_id" ON "application_transitions" ("application_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "reference_counters" (
                "contract_id" uuid NOT NULL,
                "year" smallint NOT NULL,
                "last_number" integer NOT NULL,
                CONSTRAINT "PK_5d9a92a7d21597569b423f44683" PRIMARY KEY ("contract_id", "year")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "attachment_files" (
                "sha256" character(64) NOT NULL,
                "content" bytea NOT NULL,
                "size_bytes" integer NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_a3d9ed822b15db0e907ac6456fd" PRIMARY KEY ("sha256")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "attachments" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "application_id" uuid NOT NULL,
                "kind" character varying(20) NOT NULL,
                "filename" character varying(255) NOT NULL,
                "content_type" character varying(100) NOT NULL,
                "size_bytes" integer NOT NULL,
                "sha256" character(64) NOT NULL,
                "uploaded_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_5e1f050bcff31e3084a1d662412" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_attachments_application_id" ON "attachments" ("application_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_attachments_sha256" ON "attachments" ("sha256")
        `);
    await queryRunner.query(`
            ALTER TABLE "campaigns"
            ADD CONSTRAINT "FK_2e66fb3e49c58be66a0ad8735aa" FOREIGN KEY ("contract_id") REFERENCES "contracts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "envelopes"
            ADD CONSTRAINT "FK_721b3260d0afb32f65e45c0e0cc" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "envelopes"
            ADD CONSTRAINT "FK_888cd608320641a409f9f9c6b79" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "envelopes"
            ADD CONSTRAINT "FK_e95df957426e1fa6935e08ee453" FOREIGN KEY ("theme_id") REFERENCES "themes"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "grant_applications"
            ADD CONSTRAINT "FK_7e7a0a0564b523b63cd12b0c79f" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "grant_applications"
            ADD CONSTRAINT "FK_1bd7d92db1567443a9debc057de" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "grant_applications"
            ADD CONSTRAINT "FK_d8c1131ad3c2c09635564b7731b" FOREIGN KEY ("theme_id") REFERENCES "themes"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "grant_applications"
            ADD CONSTRAINT "FK_7d04567e957070c2339ce59399f" FOREIGN KEY ("stake_id") REFERENCES "stakes"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "grant_applications"
            ADD CONSTRAINT "FK_a98ce72d5e1ebe4c11f70d0754d" FOREIGN KEY ("measure_id") REFERENCES "measures"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "grant_applications"
            ADD CONSTRAINT "FK_2cc753b3de8be307ff8fed201f8" FOREIGN KEY ("renewal_of_id") REFERENCES "grant_applications"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "application_qpvs"
            ADD CONSTRAINT "FK_1e76cca3fceba4b6d6158d1fad0" FOREIGN KEY ("application_id") REFERENCES "grant_applications"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "application_qpvs"
            ADD CONSTRAINT "FK_c1df1c9135c1d3a382f6d46dc86" FOREIGN KEY ("qpv_code") REFERENCES "qpvs"("code") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "application_requests"
            ADD CONSTRAINT "FK_64be6f943e19fa118d8d8371d84" FOREIGN KEY ("application_id") REFERENCES "grant_applications"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "application_requests"
            ADD CONSTRAINT "FK_1007e846d572af01244ac983b97" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "attachments"
            ADD CONSTRAINT "FK_1ff3b1466f2f5faf2dcd06833e7" FOREIGN KEY ("application_id") REFERENCES "grant_applications"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "attachments"
            ADD CONSTRAINT "FK_095b88cafed90475ab48c0f5efe" FOREIGN KEY ("sha256") REFERENCES "attachment_files"("sha256") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "attachments" DROP CONSTRAINT "FK_095b88cafed90475ab48c0f5efe"
        `);
    await queryRunner.query(`
            ALTER TABLE "attachments" DROP CONSTRAINT "FK_1ff3b1466f2f5faf2dcd06833e7"
        `);
    await queryRunner.query(`
            ALTER TABLE "application_requests" DROP CONSTRAINT "FK_1007e846d572af01244ac983b97"
        `);
    await queryRunner.query(`
            ALTER TABLE "application_requests" DROP CONSTRAINT "FK_64be6f943e19fa118d8d8371d84"
        `);
    await queryRunner.query(`
            ALTER TABLE "application_qpvs" DROP CONSTRAINT "FK_c1df1c9135c1d3a382f6d46dc86"
        `);
    await queryRunner.query(`
            ALTER TABLE "application_qpvs" DROP CONSTRAINT "FK_1e76cca3fceba4b6d6158d1fad0"
        `);
    await queryRunner.query(`
            ALTER TABLE "grant_applications" DROP CONSTRAINT "FK_2cc753b3de8be307ff8fed201f8"
        `);
    await queryRunner.query(`
            ALTER TABLE "grant_applications" DROP CONSTRAINT "FK_a98ce72d5e1ebe4c11f70d0754d"
        `);
    await queryRunner.query(`
            ALTER TABLE "grant_applications" DROP CONSTRAINT "FK_7d04567e957070c2339ce59399f"
        `);
    await queryRunner.query(`
            ALTER TABLE "grant_applications" DROP CONSTRAINT "FK_d8c1131ad3c2c09635564b7731b"
        `);
    await queryRunner.query(`
            ALTER TABLE "grant_applications" DROP CONSTRAINT "FK_1bd7d92db1567443a9debc057de"
        `);
    await queryRunner.query(`
            ALTER TABLE "grant_applications" DROP CONSTRAINT "FK_7e7a0a0564b523b63cd12b0c79f"
        `);
    await queryRunner.query(`
            ALTER TABLE "envelopes" DROP CONSTRAINT "FK_e95df957426e1fa6935e08ee453"
        `);
    await queryRunner.query(`
            ALTER TABLE "envelopes" DROP CONSTRAINT "FK_888cd608320641a409f9f9c6b79"
        `);
    await queryRunner.query(`
            ALTER TABLE "envelopes" DROP CONSTRAINT "FK_721b3260d0afb32f65e45c0e0cc"
        `);
    await queryRunner.query(`
            ALTER TABLE "campaigns" DROP CONSTRAINT "FK_2e66fb3e49c58be66a0ad8735aa"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_attachments_sha256"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_attachments_application_id"
        `);
    await queryRunner.query(`
            DROP TABLE "attachments"
        `);
    await queryRunner.query(`
            DROP TABLE "attachment_files"
        `);
    await queryRunner.query(`
            DROP TABLE "reference_counters"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_application_transitions_application_id"
        `);
    await queryRunner.query(`
            DROP TABLE "application_transitions"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_application_requests_partner_id"
        `);
    await queryRunner.query(`
            DROP TABLE "application_requests"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_application_qpvs_qpv_code"
        `);
    await queryRunner.query(`
            DROP TABLE "application_qpvs"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_grant_applications_contract_reference"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_grant_applications_campaign_status"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_grant_applications_renewal_of_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_grant_applications_theme_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_grant_applications_organization_id"
        `);
    await queryRunner.query(`
            DROP TABLE "grant_applications"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_campaign_transitions_campaign_id"
        `);
    await queryRunner.query(`
            DROP TABLE "campaign_transitions"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_envelopes_campaign_partner_theme"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_envelopes_campaign_partner_all_themes"
        `);
    await queryRunner.query(`
            DROP TABLE "envelopes"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_campaigns_contract_year"
        `);
    await queryRunner.query(`
            DROP TABLE "campaigns"
        `);
  }
}
