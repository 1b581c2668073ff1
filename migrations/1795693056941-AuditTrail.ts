import { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables whose every change is audited, with the columns left out of the record (noise or secrets). */
const AUDITED: Record<string, string[]> = {
  campaigns: ['updated_at'],
  envelopes: [],
  grant_applications: ['updated_at', 'version'],
  reviews: ['updated_at', 'version'],
  conflict_declarations: [],
  decisions: [],
  conventions: ['pdf', 'updated_at'],
  reports: ['updated_at'],
  users: ['password_hash'],
  organizations: [],
  partners: [],
};

/**
 * The audit trail: an append-only table written by triggers in the transaction that changes an audited row,
 * so no code path (API, worker, a future one) can change state without a record. The actor is what the API
 * set for the transaction (`app.actor_id`, see AuditActorSubscriber); the contract is the row's own, or that
 * of its campaign or application, so each city team reads only its own trail.
 */
export class AuditTrail1795693056941 implements MigrationInterface {
  name = 'AuditTrail1795693056941';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "audit_events" (
        "id" BIGSERIAL NOT NULL,
        "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "actor_id" uuid,
        "request_id" character varying(64),
        "contract_id" uuid,
        "table_name" character varying(63) NOT NULL,
        "row_id" text NOT NULL,
        "operation" character varying(6) NOT NULL,
        "before" jsonb,
        "after" jsonb,
        CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "ix_audit_events_contract" ON "audit_events" ("contract_id", "id")`,
    );
    await queryRunner.query(`CREATE INDEX "ix_audit_events_row" ON "audit_events" ("table_name", "row_id")`);

    await queryRunner.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);

    await queryRunner.query(`
      CREATE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        ignored text[] := coalesce(TG_ARGV, '{}'); -- TG_ARGV is NULL when a trigger has no arguments
        old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
        new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
        the_row jsonb := coalesce(new_row, old_row);
        before_values jsonb;
        after_values jsonb;
        contract uuid := (the_row ->> 'contract_id')::uuid;
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          SELECT jsonb_object_agg(o.key, o.value), jsonb_object_agg(o.key, new_row -> o.key)
            INTO before_values, after_values
            FROM jsonb_each(old_row) o
           WHERE o.value IS DISTINCT FROM new_row -> o.key AND NOT o.key = ANY (ignored);
          IF before_values IS NULL THEN RETURN NULL; END IF;
        ELSE
          before_values := old_row - ignored;
          after_values := new_row - ignored;
        END IF;
        IF contract IS NULL AND the_row ? 'campaign_id' THEN
          SELECT c.contract_id INTO contract FROM campaigns c WHERE c.id = (the_row ->> 'campaign_id')::uuid;
        END IF;
        IF contract IS NULL AND the_row ? 'application_id' THEN
          SELECT a.contract_id INTO contract FROM grant_applications a WHERE a.id = (the_row ->> 'application_id')::uuid;
        END IF;
        INSERT INTO audit_events (actor_id, request_id, contract_id, table_name, row_id, operation, before, after)
        VALUES (nullif(current_setting('app.actor_id', true), '')::uuid,
                nullif(current_setting('app.request_id', true), ''),
                contract, TG_TABLE_NAME, the_row ->> 'id', TG_OP, before_values, after_values);
        RETURN NULL;
      END $$`);
    for (const [table, ignored] of Object.entries(AUDITED)) {
      const args = ignored.map((column) => `'${column}'`).join(', ');
      await queryRunner.query(
        `CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON "${table}"
           FOR EACH ROW EXECUTE FUNCTION audit_row(${args})`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of Object.keys(AUDITED)) await queryRunner.query(`DROP TRIGGER audit ON "${table}"`);
    await queryRunner.query(`DROP FUNCTION audit_row()`);
    await queryRunner.query(`DROP TABLE "audit_events"`);
    await queryRunner.query(`DROP FUNCTION audit_events_append_only()`);
  }
}
