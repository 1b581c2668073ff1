import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The pages' sessions (express-session with connect-pg-simple, in its table's shape): the cookie carries the
 * signed session id, the row its data (the CSRF token, the signed-in user and its auth session) and the
 * instant it expires when idle; expired rows are pruned by the store.
 */
export class WebSessions1796000000000 implements MigrationInterface {
  name = 'WebSessions1796000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "web_sessions" (
                "sid" character varying NOT NULL,
                "sess" json NOT NULL,
                "expire" timestamp(6) NOT NULL,
                CONSTRAINT "pk_web_sessions" PRIMARY KEY ("sid")
            )
        `);
    await queryRunner.query(`CREATE INDEX "ix_web_sessions_expire" ON "web_sessions" ("expire")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "web_sessions"`);
  }
}
