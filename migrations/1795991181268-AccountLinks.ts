import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Links sent by e-mail (password reset, address confirmation, invitation; the token's SHA-256 alone stored),
 * requests to join an organisation registered already, confirmed addresses, suspended organisations, and
 * `official_email(organization)`: where an organisation's official emails go.
 *
 * Accounts and organisations registered before confirmation existed keep working: their addresses count as
 * confirmed (they have been receiving the service's emails), so no submission is blocked mid-campaign.
 */
export class AccountLinks1795991181268 implements MigrationInterface {
  name = 'AccountLinks1795991181268';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "account_tokens" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "purpose" character varying(30) NOT NULL,
                "token_hash" character(64) NOT NULL,
                "user_id" uuid,
                "organization_id" uuid,
                "email" character varying(254) NOT NULL,
                "created_by" uuid,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "used_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_5e3640c493cc6206a44b885e6a9" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_account_tokens_token_hash" ON "account_tokens" ("token_hash")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_account_tokens_user_id" ON "account_tokens" ("user_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "join_requests" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "organization_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "status" character varying(10) NOT NULL DEFAULT 'PENDING',
                "decided_by" uuid,
                "decided_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_3584a09620923a5aaf7de782f0d" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_join_requests_organization_id" ON "join_requests" ("organization_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_join_requests_pending" ON "join_requests" ("organization_id", "user_id")
            WHERE status = 'PENDING'
        `);
    await queryRunner.query(`
            ALTER TABLE "organizations"
            ADD "contact_email_confirmed_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "organizations"
            ADD "suspended_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "organizations"
            ADD "suspension_reason" character varying(1000)
        `);
    await queryRunner.query(`
            ALTER TABLE "users"
            ADD "email_confirmed_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`UPDATE "users" SET "email_confirmed_at" = "created_at"`);
    await queryRunner.query(`UPDATE "organizations" SET "contact_email_confirmed_at" = "created_at"`);
    // The contact address once someone confirmed it, else the first enabled member's confirmed address,
    // else nothing (no official email is sent to an address nobody proved to hold).
    await queryRunner.query(`
            CREATE FUNCTION official_email(organization uuid) RETURNS varchar LANGUAGE sql STABLE AS $$
              SELECT CASE WHEN o.contact_email_confirmed_at IS NOT NULL THEN o.contact_email
                          ELSE (SELECT u.email FROM users u
                                 WHERE u.organization_id = o.id AND u.email_confirmed_at IS NOT NULL AND u.disabled_at IS NULL
                                 ORDER BY u.created_at, u.id LIMIT 1)
                     END
                FROM organizations o WHERE o.id = organization
            $$
        `);
    await queryRunner.query(`
            ALTER TABLE "account_tokens"
            ADD CONSTRAINT "FK_1b5fea09efc20c7f63c4a09b3d6" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "account_tokens"
            ADD CONSTRAINT "FK_c92e902ddeb5722ef60b5a20b4b" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "join_requests"
            ADD CONSTRAINT "FK_cf28b6a2a03104948e147d42227" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "join_requests"
            ADD CONSTRAINT "FK_b3ed52f33226ac678d4f931943a" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION official_email(uuid)`);
    await queryRunner.query(`
            ALTER TABLE "join_requests" DROP CONSTRAINT "FK_b3ed52f33226ac678d4f931943a"
        `);
    await queryRunner.query(`
            ALTER TABLE "join_requests" DROP CONSTRAINT "FK_cf28b6a2a03104948e147d42227"
        `);
    await queryRunner.query(`
            ALTER TABLE "account_tokens" DROP CONSTRAINT "FK_c92e902ddeb5722ef60b5a20b4b"
        `);
    await queryRunner.query(`
            ALTER TABLE "account_tokens" DROP CONSTRAINT "FK_1b5fea09efc20c7f63c4a09b3d6"
        `);
    await queryRunner.query(`
            ALTER TABLE "users" DROP COLUMN "email_confirmed_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "organizations" DROP COLUMN "suspension_reason"
        `);
    await queryRunner.query(`
            ALTER TABLE "organizations" DROP COLUMN "suspended_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "organizations" DROP COLUMN "contact_email_confirmed_at"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_join_requests_pending"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_join_requests_organization_id"
        `);
    await queryRunner.query(`
            DROP TABLE "join_requests"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_account_tokens_user_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_account_tokens_token_hash"
        `);
    await queryRunner.query(`
            DROP TABLE "account_tokens"
        `);
  }
}
