import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('serves local development with no variable set', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/contrat_de_ville');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.smtpUrl).toBe('smtp://127.0.0.1:1025');
    expect(config.workerInProcess).toBe(true); // development: the API runs the job processors too
    expect(loadConfig({ NODE_ENV: 'test' }).workerInProcess).toBe(false);
  });

  it('takes the values it is given', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgresql://u:p@db:5432/x',
      ADMIN_EMAIL: 'Chef@Ville.fr',
      WORKER_IN_PROCESS: 'true',
    });
    expect(config.port).toBe(8080);
    expect(config.databaseUrl).toBe('postgresql://u:p@db:5432/x');
    expect(config.adminEmail).toBe('chef@ville.fr');
    expect(config.workerInProcess).toBe(true);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ SMTP_URL: 'smtp//broken' }, 'SMTP_URL'],
    [{ MAIL_FROM: 'nobody' }, 'MAIL_FROM'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ NODE_ENV: 'production' }, 'JWT_SECRET'],
    [{ ADMIN_EMAIL: 'x' }, 'ADMIN_EMAIL'],
    [{ ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD'],
    [{ NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-forty-characters!!' }, 'ADMIN_PASSWORD'],
    [{ API_DOCS: 'maybe' }, 'API_DOCS'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ WORKER_IN_PROCESS: 'yes' }, 'WORKER_IN_PROCESS'],
  ])('refuses %j, naming %s in one line', (env, variable) => {
    let caught: unknown;
    try {
      loadConfig(env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
    expect(error.message).not.toContain('\n');
  });

  it('starts in production once the secret and the first password are set', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'a-production-secret-of-forty-characters!!',
      ADMIN_PASSWORD: 'un-mot-de-passe-choisi-2027',
      API_DOCS: 'false',
    });
    expect([config.nodeEnv, config.apiDocs, config.workerInProcess]).toEqual(['production', false, false]);
    expect(loadConfig({}).apiDocs).toBe(true);
  });

  it('accepts a display name around the sender address', () => {
    expect(loadConfig({ MAIL_FROM: 'Ville <pv@ville.fr>' }).mailFrom).toBe('Ville <pv@ville.fr>');
  });
});
