import { MigrationInterface, QueryRunner } from 'typeorm';

/** Where a contract's conventions are signed, read from the contract instead of written in the code. */
export class ContractSignaturePlace1795700000000 implements MigrationInterface {
  name = 'ContractSignaturePlace1795700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "contracts" ADD "signature_place" character varying(100)`);
    // The first contract hosted signed its conventions in Montélimar (the value the code wrote until now).
    await queryRunner.query(
      `UPDATE "contracts" SET "signature_place" = 'Montélimar' WHERE "code" = 'CN02601I'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "contracts" DROP COLUMN "signature_place"`);
  }
}
