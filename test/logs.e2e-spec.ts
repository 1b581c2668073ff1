/**
 * What the logs say of a refused write, in production: the failed statement and PostgreSQL's error code, as a
 * JSON line, never the values it carried (the e-mail address, the password hash).
 */
import { eventually } from './support/smtp-sink.js';
import { createTestApp, TestApp } from './support/test-app.js';

const validRegistration = (email: string) => ({
  email,
  password: 'mot-de-passe-solide-42',
  displayName: 'Présidente',
  organization: {
    name: 'Association des journaux',
    legalForm: 'Association loi 1901',
    rna: 'W261000999',
    address: '1 place du Marché, 26200 Montélimar',
    legalRepresentative: 'Camille Durand',
    contactEmail: email,
  },
});

describe('logs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ NODE_ENV: 'production' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('log a duplicate registration without the e-mail or the password hash, as JSON lines', async () => {
    const email = `journal-${Date.now().toString(36)}@example.org`;
    // A duplicate that gets past the service's check (found before hashing) and fails in the database, as
    // when two registrations race: the same address inserted by another transaction, committed only once the
    // registration's INSERT waits on it.
    const other = t.dataSource.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    await other.query(
      `INSERT INTO users (email, password_hash, display_name, role) VALUES ($1, 'x', 'Témoin', 'ASSOCIATION')`,
      [email],
    );
    const written: string[] = [];
    const streams = [process.stdout, process.stderr];
    const originals = streams.map((stream) => stream.write.bind(stream));
    streams.forEach((stream) => {
      stream.write = ((chunk: string | Uint8Array) => written.push(String(chunk)) > 0) as typeof stream.write;
    });
    try {
      const answer = t
        .http()
        .post('/api/v1/auth/register')
        .send(validRegistration(email))
        .then((r) => r);
      await eventually(async () => {
        const [waiting] = await t.dataSource.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        return waiting.n > 0;
      });
      await other.commitTransaction();
      expect((await answer).status).toBe(409);
    } finally {
      streams.forEach((stream, index) => (stream.write = originals[index] as typeof stream.write));
      await other.release();
    }
    const log = written.join('');
    // The refused insert was logged, with its code…
    expect(log).toContain('23505');
    // …and nothing it carried.
    expect(log).not.toContain(email);
    expect(log).not.toMatch(/\$argon2/);
    for (const line of log.split('\n').filter((line) => line.trim()))
      expect(() => JSON.parse(line) as unknown).not.toThrow();
  });
});
