import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Numbers new applications when their transaction commits. The counter of a contract's year is one row that
 * every creation locks; taken by the API mid-transaction, it stayed locked across the API's round trips until
 * COMMIT and serialised the deadline peak. A deferred constraint trigger takes it inside COMMIT itself, so the
 * lock lasts only the commit, and numbering stays gapless and consecutive in commit order.
 * Rows inserted with a reference number other than 0 (imports, the bench generator) keep theirs.
 */
export class NumberApplicationsAtCommit1795690000000 implements MigrationInterface {
  name = 'NumberApplicationsAtCommit1795690000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION assign_application_reference() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        next_number integer;
        campaign_year integer;
        theme_code text;
      BEGIN
        SELECT c.year, t.code INTO campaign_year, theme_code
          FROM grant_applications a
          JOIN campaigns c ON c.id = a.campaign_id
          JOIN themes t ON t.id = a.theme_id
         WHERE a.id = NEW.id;
        INSERT INTO reference_counters (contract_id, year, last_number) VALUES (NEW.contract_id, campaign_year, 1)
          ON CONFLICT (contract_id, year) DO UPDATE SET last_number = reference_counters.last_number + 1
          RETURNING last_number INTO next_number;
        UPDATE grant_applications
           SET reference_number = next_number,
               reference = campaign_year || '-' || theme_code || '-' || lpad(next_number::text, greatest(4, length(next_number::text)), '0')
         WHERE id = NEW.id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE CONSTRAINT TRIGGER grant_applications_reference AFTER INSERT ON grant_applications
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.reference_number = 0)
        EXECUTE FUNCTION assign_application_reference()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER grant_applications_reference ON grant_applications`);
    await queryRunner.query(`DROP FUNCTION assign_application_reference()`);
  }
}
