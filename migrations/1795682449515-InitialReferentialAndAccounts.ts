import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialReferentialAndAccounts1795682449515 implements MigrationInterface {
  name = 'InitialReferentialAndAccounts1795682449515';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "contracts" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "code" character varying(20) NOT NULL,
                "name" character varying(200) NOT NULL,
                "territory" character varying(200) NOT NULL,
                "period_start" date NOT NULL,
                "period_end" date NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_2c7b8f3a7b1acdd49497d83d0fb" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_contracts_code" ON "contracts" ("code")
        `);
    await queryRunner.query(`
            CREATE TABLE "partners" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "contract_id" uuid NOT NULL,
                "code" character varying(20) NOT NULL,
                "name" character varying(200) NOT NULL,
                "kind" character varying(30) NOT NULL,
                "parent_id" uuid,
                "is_financer" boolean NOT NULL DEFAULT false,
                "siret" character varying(14),
                CONSTRAINT "PK_998645b20820e4ab99aeae03b41" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_partners_parent_id" ON "partners" ("parent_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_partners_contract_code" ON "partners" ("contract_id", "code")
        `);
    await queryRunner.query(`
            CREATE TABLE "themes" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "contract_id" uuid NOT NULL,
                "code" character varying(10) NOT NULL,
                "label" character varying(200) NOT NULL,
                "position" smallint NOT NULL,
                CONSTRAINT "PK_ddbeaab913c18682e5c88155592" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_themes_contract_code" ON "themes" ("contract_id", "code")
        `);
    await queryRunner.query(`
            CREATE TABLE "stakes" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "theme_id" uuid NOT NULL,
                "label" text NOT NULL,
                "position" smallint NOT NULL,
                CONSTRAINT "PK_cce3c6c35cd3518f45a33ac9ac9" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_stakes_theme_position" ON "stakes" ("theme_id", "position")
        `);
    await queryRunner.query(`
            CREATE TABLE "measures" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "stake_id" uuid NOT NULL,
                "label" text NOT NULL,
                "position" smallint NOT NULL,
                CONSTRAINT "PK_ec34a47385441849095def20546" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_measures_stake_position" ON "measures" ("stake_id", "position")
        `);
    await queryRunner.query(`
            CREATE TABLE "measure_partners" (
                "measure_id" uuid NOT NULL,
                "partner_id" uuid NOT NULL,
                "role" character varying(10) NOT NULL,
                CONSTRAINT "PK_c8a54607a22069579cc7c42ffb7" PRIMARY KEY ("measure_id", "partner_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_measure_partners_partner_id" ON "measure_partners" ("partner_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "transversal_priorities" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "contract_id" uuid NOT NULL,
                "code" character varying(30) NOT NULL,
                "label" character varying(200) NOT NULL,
                "description" text NOT NULL,
                CONSTRAINT "PK_4785e6f4a9ce8b867b9e21961ec" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_transversal_priorities_contract_code" ON "transversal_priorities" ("contract_id", "code")
        `);
    await queryRunner.query(`
            CREATE TABLE "qpvs" (
                "code" character varying(12) NOT NULL,
                "name" character varying(200) NOT NULL,
                "commune" character varying(200) NOT NULL,
                "insee_commune" character varying(5) NOT NULL,
                "population" integer,
                "former_names" text array NOT NULL DEFAULT '{}',
                "contract_id" uuid,
                CONSTRAINT "PK_dfc0c272d47c35bebe73df9d3ec" PRIMARY KEY ("code")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_qpvs_contract_id" ON "qpvs" ("contract_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "organizations" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" character varying(300) NOT NULL,
                "legal_form" character varying(100) NOT NULL,
                "siret" character(14),
                "rna" character(10),
                "address" character varying(500) NOT NULL,
                "legal_representative" character varying(200) NOT NULL,
                "contact_email" character varying(254) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_6b031fcd0863e3f6b44230163f9" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_organizations_rna" ON "organizations" ("rna")
            WHERE rna IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_organizations_siret" ON "organizations" ("siret")
            WHERE siret IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "users" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "email" character varying(254) NOT NULL,
                "password_hash" character varying(200) NOT NULL,
                "display_name" character varying(200) NOT NULL,
                "role" character varying(20) NOT NULL,
                "organization_id" uuid,
                "partner_id" uuid,
                "contract_id" uuid,
                "disabled_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_users_email" ON "users" ("email")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_users_organization_id" ON "users" ("organization_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_users_partner_id" ON "users" ("partner_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "partners"
            ADD CONSTRAINT "FK_7e8ac849bae25dfe0070efb63a5" FOREIGN KEY ("contract_id") REFERENCES "contracts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "partners"
            ADD CONSTRAINT "FK_7b87fb154826a8375a6344cafdb" FOREIGN KEY ("parent_id") REFERENCES "partners"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "themes"
            ADD CONSTRAINT "FK_7684def43a222fb086ec4db7245" FOREIGN KEY ("contract_id") REFERENCES "contracts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "stakes"
            ADD CONSTRAINT "FK_01144ec8280484520c4e4c20714" FOREIGN KEY ("theme_id") REFERENCES "themes"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "measures"
            ADD CONSTRAINT "FK_aa045b984c761a6c008de46068e" FOREIGN KEY ("stake_id") REFERENCES "stakes"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "measure_partners"
            ADD CONSTRAINT "FK_2b5546c2ece02eee8f2f10ca942" FOREIGN KEY ("measure_id") REFERENCES "measures"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "measure_partners"
            ADD CONSTRAINT "FK_632b414d936a8a7bb0f70d9a3eb" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "transversal_priorities"
            ADD CONSTRAINT "FK_1c94842d75e46f801c20d81750e" FOREIGN KEY ("contract_id") REFERENCES "contracts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "qpvs"
            ADD CONSTRAINT "FK_36a729f2b13c3519eb097b9f94a" FOREIGN KEY ("contract_id") REFERENCES "contracts"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "users"
            ADD CONSTRAINT "FK_21a659804ed7bf61eb91688dea7" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "users"
            ADD CONSTRAINT "FK_343e64636cae2f9f3babb19da50" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "users"
            ADD CONSTRAINT "FK_57eb08734763d0b2fd90f97a574" FOREIGN KEY ("contract_id") REFERENCES "contracts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "users" DROP CONSTRAINT "FK_57eb08734763d0b2fd90f97a574"
        `);
    await queryRunner.query(`
            ALTER TABLE "users" DROP CONSTRAINT "FK_343e64636cae2f9f3babb19da50"
        `);
    await queryRunner.query(`
            ALTER TABLE "users" DROP CONSTRAINT "FK_21a659804ed7bf61eb91688dea7"
        `);
    await queryRunner.query(`
            ALTER TABLE "qpvs" DROP CONSTRAINT "FK_36a729f2b13c3519eb097b9f94a"
        `);
    await queryRunner.query(`
            ALTER TABLE "transversal_priorities" DROP CONSTRAINT "FK_1c94842d75e46f801c20d81750e"
        `);
    await queryRunner.query(`
            ALTER TABLE "measure_partners" DROP CONSTRAINT "FK_632b414d936a8a7bb0f70d9a3eb"
        `);
    await queryRunner.query(`
            ALTER TABLE "measure_partners" DROP CONSTRAINT "FK_2b5546c2ece02eee8f2f10ca942"
        `);
    await queryRunner.query(`
            ALTER TABLE "measures" DROP CONSTRAINT "FK_aa045b984c761a6c008de46068e"
        `);
    await queryRunner.query(`
            ALTER TABLE "stakes" DROP CONSTRAINT "FK_01144ec8280484520c4e4c20714"
        `);
    await queryRunner.query(`
            ALTER TABLE "themes" DROP CONSTRAINT "FK_7684def43a222fb086ec4db7245"
        `);
    await queryRunner.query(`
            ALTER TABLE "partners" DROP CONSTRAINT "FK_7b87fb154826a8375a6344cafdb"
        `);
    await queryRunner.query(`
            ALTER TABLE "partners" DROP CONSTRAINT "FK_7e8ac849bae25dfe0070efb63a5"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_users_partner_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_users_organization_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_users_email"
        `);
    await queryRunner.query(`
            DROP TABLE "users"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_organizations_siret"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_organizations_rna"
        `);
    await queryRunner.query(`
            DROP TABLE "organizations"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_qpvs_contract_id"
        `);
    await queryRunner.query(`
            DROP TABLE "qpvs"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_transversal_priorities_contract_code"
        `);
    await queryRunner.query(`
            DROP TABLE "transversal_priorities"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_measure_partners_partner_id"
        `);
    await queryRunner.query(`
            DROP TABLE "measure_partners"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_measures_stake_position"
        `);
    await queryRunner.query(`
            DROP TABLE "measures"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_stakes_theme_position"
        `);
    await queryRunner.query(`
            DROP TABLE "stakes"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_themes_contract_code"
        `);
    await queryRunner.query(`
            DROP TABLE "themes"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_partners_contract_code"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_partners_parent_id"
        `);
    await queryRunner.query(`
            DROP TABLE "partners"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_contracts_code"
        `);
    await queryRunner.query(`
            DROP TABLE "contracts"
        `);
  }
}
