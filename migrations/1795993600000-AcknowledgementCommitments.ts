import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The acknowledgement of receipt now lists the sworn statement's commitments (`commitments` in its payload).
 * Those already in the outbox were certified under the first statement (accuracy and the contrat
 * d'engagement républicain): they get that list, so that a resend still renders.
 */
export class AcknowledgementCommitments1795993600000 implements MigrationInterface {
  name = 'AcknowledgementCommitments1795993600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE notifications
         SET payload = payload || jsonb_build_object('commitments', jsonb_build_array(
               'les informations du dossier sont exactes et complètes',
               'la structure a souscrit le contrat d’engagement républicain (loi n° 2021-1109 du 24 août 2021)'))
       WHERE type = 'APPLICATION_SUBMITTED' AND NOT payload ? 'commitments'
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE notifications SET payload = payload - 'commitments' WHERE type = 'APPLICATION_SUBMITTED'`,
    );
  }
}
