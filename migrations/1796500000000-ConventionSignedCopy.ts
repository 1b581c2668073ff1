import { MigrationInterface, QueryRunner } from 'typeorm';

/** The convention's copy signed by every party, its bytes stored once beside the attachments' (same sha256 key). */
export class ConventionSignedCopy1796500000000 implements MigrationInterface {
  name = 'ConventionSignedCopy1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "conventions"
            ADD "signed_copy_sha256" character(64)
        `);
    await queryRunner.query(`
            ALTER TABLE "conventions"
            ADD "signed_copy_filename" character varying(255)
        `);
    await queryRunner.query(`
            ALTER TABLE "conventions"
            ADD "signed_copy_uploaded_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "conventions"
            ADD CONSTRAINT "FK_a7440695c8c4299924d0099a941" FOREIGN KEY ("signed_copy_sha256") REFERENCES "attachment_files"("sha256") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "conventions" DROP CONSTRAINT "FK_a7440695c8c4299924d0099a941"
        `);
    await queryRunner.query(`
            ALTER TABLE "conventions" DROP COLUMN "signed_copy_uploaded_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "conventions" DROP COLUMN "signed_copy_filename"
        `);
    await queryRunner.query(`
            ALTER TABLE "conventions" DROP COLUMN "signed_copy_sha256"
        `);
  }
}
