import { MigrationInterface, QueryRunner } from 'typeorm';

/** Who signs the conventions for each partner, and in what capacity; the seed's for Montélimar's financers. */
export class PartnerSignatory1796600000000 implements MigrationInterface {
  name = 'PartnerSignatory1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "partners"
            ADD "signatory" character varying(200)
        `);
    const signatories: [string, string][] = [
      ['E', 'le préfet de la Drôme'],
      ['V', 'le maire de Montélimar'],
      ['CAF', 'le directeur de la Caisse d’allocations familiales de la Drôme'],
      ['CD', 'le président du Conseil départemental de la Drôme'],
      ['CR', 'le président du Conseil régional Auvergne-Rhône-Alpes'],
      ['AGG', 'le président de Montélimar Agglomération'],
    ];
    for (const [code, signatory] of signatories)
      await queryRunner.query(
        `UPDATE partners p SET signatory = $2 FROM contracts c
                  WHERE c.id = p.contract_id AND c.code = 'CN02601I' AND p.code = $1 AND p.signatory IS NULL`,
        [code, signatory],
      );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "partners" DROP COLUMN "signatory"
        `);
  }
}
