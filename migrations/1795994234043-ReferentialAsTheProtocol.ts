import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The referential as the protocol writes it: the contract record names the protocol and the contract and
 * period it belongs to; « Prévention et sécurité » leaves the code PRE, which the nomenclature uses for the
 * Programme de réussite éducative (existing themes renamed in place, so that their envelopes and stakes
 * follow; the seed then restores the measures' labels word for word, names S.D.H as the protocol does and
 * adds the Ministère de la Justice).
 */
export class ReferentialAsTheProtocol1795994234043 implements MigrationInterface {
  name = 'ReferentialAsTheProtocol1795994234043';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "contracts"
            ADD "protocol_title" character varying(300)
        `);
    await queryRunner.query(`
            ALTER TABLE "contracts"
            ADD "protocol_contract_name" character varying(200)
        `);
    await queryRunner.query(`
            ALTER TABLE "contracts"
            ADD "protocol_contract_code" character varying(20)
        `);
    await queryRunner.query(`
            ALTER TABLE "contracts"
            ADD "protocol_period_start" date
        `);
    await queryRunner.query(`
            ALTER TABLE "contracts"
            ADD "protocol_period_end" date
        `);
    await queryRunner.query(
      `UPDATE "themes" SET "code" = 'SEC' WHERE "code" = 'PRE' AND "label" = 'Prévention et sécurité'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "themes" SET "code" = 'PRE' WHERE "code" = 'SEC' AND "label" = 'Prévention et sécurité'`,
    );
    await queryRunner.query(`
            ALTER TABLE "contracts" DROP COLUMN "protocol_period_end"
        `);
    await queryRunner.query(`
            ALTER TABLE "contracts" DROP COLUMN "protocol_period_start"
        `);
    await queryRunner.query(`
            ALTER TABLE "contracts" DROP COLUMN "protocol_contract_code"
        `);
    await queryRunner.query(`
            ALTER TABLE "contracts" DROP COLUMN "protocol_contract_name"
        `);
    await queryRunner.query(`
            ALTER TABLE "contracts" DROP COLUMN "protocol_title"
        `);
  }
}
