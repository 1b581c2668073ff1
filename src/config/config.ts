import { availableParallelism } from 'node:os';

/**
 * The one validated configuration object. `process.env` is read here and nowhere else.
 */
export interface AppConfig {
  nodeEnv: 'development' | 'test' | 'production';
  port: number;
  /** API processes `npm start` runs on `port` (node:cluster); 1: this process serves alone. */
  webConcurrency: number;
  databaseUrl: string;
  /** Connections each process keeps to PostgreSQL at most. */
  databasePoolSize: number;
  redisUrl: string;
  smtpUrl: string;
  mailFrom: string;
  jwtSecret: string;
  jwtTtlSeconds: number;
  adminEmail: string;
  adminPassword: string;
  /** Login attempts allowed per minute for one address and one e-mail. */
  loginRateLimitPerMinute: number;
  /** The other throttles, counted in Redis (shared by every API process; see accounts/throttles.ts). */
  throttles: {
    /** Login attempts per hour for one e-mail, whatever the address. */
    loginPerEmailPerHour: number;
    /** Login attempts per minute from one address, whatever the e-mail. */
    loginPerAddressPerMinute: number;
    /** Registrations per hour from one address. */
    registerPerAddressPerHour: number;
    /** Password-reset requests per hour for one address, and for one e-mail. */
    passwordResetPerHour: number;
  };
  /**
   * Express's `trust proxy`: false unless set (X-Forwarded-For ignored, the client is the socket's peer);
   * a number of proxy hops, or addresses/subnets ("loopback", "10.0.0.0/8") when behind a reverse proxy.
   */
  trustProxy: boolean | number | string;
  /** Password hashes computed at once (argon2id, 64 MiB each): the rest wait their turn. */
  passwordHashConcurrency: number;
  /** Where people reach the service: links in emails are built from it (no trailing slash). */
  publicUrl: string;
  /** A page session left idle this long is over (signing in again is needed). */
  webSessionIdleMinutes: number;
  /** Run the BullMQ processors inside the API process (development convenience). */
  workerInProcess: boolean;
  /** Prefix of every BullMQ key: separates deployments (and test runs) sharing one Redis. */
  queuePrefix: string;
  /** First retry delay of a failed email; doubles each attempt. */
  mailRetryBaseMs: number;
  /** Attempts before an email is marked FAILED. */
  mailAttempts: number;
  /** How often the worker re-enqueues outbox rows and conventions left pending (Redis was down). */
  outboxSweepMs: number;
  /** Serve the OpenAPI document and Swagger UI at /api/docs (API_DOCS=false switches them off). */
  apiDocs: boolean;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
  }
}

const DEV_JWT_SECRET = 'dev-only-secret-change-me-0123456789abcdef';
const DEV_ADMIN_PASSWORD = 'change-me-now-please';

const DEFAULTS: Record<string, string> = {
  NODE_ENV: 'development',
  PORT: '3000',
  WEB_CONCURRENCY: '1',
  DATABASE_POOL_SIZE: '20',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/contrat_de_ville',
  REDIS_URL: 'redis://127.0.0.1:6379',
  SMTP_URL: 'smtp://127.0.0.1:1025',
  MAIL_FROM: 'Contrat de ville <no-reply@contrat-de-ville.local>',
  JWT_SECRET: DEV_JWT_SECRET,
  JWT_TTL_SECONDS: '3600',
  ADMIN_EMAIL: 'admin@contrat-de-ville.local',
  ADMIN_PASSWORD: DEV_ADMIN_PASSWORD,
  LOGIN_RATE_LIMIT_PER_MINUTE: '10',
  LOGIN_EMAIL_RATE_LIMIT_PER_HOUR: '30',
  LOGIN_ADDRESS_RATE_LIMIT_PER_MINUTE: '60',
  REGISTER_RATE_LIMIT_PER_HOUR: '20',
  PASSWORD_RESET_RATE_LIMIT_PER_HOUR: '5',
  TRUST_PROXY: 'false',
  PASSWORD_HASH_CONCURRENCY: String(Math.max(1, availableParallelism())),
  PUBLIC_URL: 'http://localhost:3000',
  WEB_SESSION_IDLE_MINUTES: '120',
  QUEUE_PREFIX: 'cdv',
  MAIL_RETRY_BASE_MS: '30000',
  MAIL_ATTEMPTS: '8',
  OUTBOX_SWEEP_MS: '30000',
  API_DOCS: 'true',
};

type Env = Record<string, string | undefined>;

function definedOnly(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
}

function read(env: Env, name: string): string {
  const value = env[name];
  return value === undefined || value === '' ? DEFAULTS[name] : value;
}

function integer(env: Env, name: string, min: number, max: number): number {
  const raw = read(env, name);
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function url(env: Env, name: string, protocols: string[]): string {
  const raw = read(env, name);
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL, got "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  return raw;
}

function email(env: Env, name: string): string {
  const raw = read(env, name);
  // Accepts "Name <address>" as well as a bare address.
  const address = /<([^>]+)>\s*$/.exec(raw)?.[1] ?? raw;
  if (!/^[^\s@]+@[^\s@]+$/.test(address))
    throw new ConfigError(name, `must be an e-mail address, got "${raw}"`);
  return raw;
}

function boolean(env: Env, name: string): boolean {
  const raw = read(env, name).toLowerCase();
  if (!['true', 'false', '1', '0'].includes(raw))
    throw new ConfigError(name, `must be true or false, got "${raw}"`);
  return raw === 'true' || raw === '1';
}

function prefix(env: Env, name: string): string {
  const raw = read(env, name);
  if (!/^[a-zA-Z0-9_-]{1,40}$/.test(raw))
    throw new ConfigError(name, `must be 1 to 40 letters, digits, - or _, got "${raw}"`);
  return raw;
}

/** TRUST_PROXY: true/false, a number of hops, or a comma-separated list of addresses, subnets or names. */
function trustProxy(env: Env): boolean | number | string {
  const raw = read(env, 'TRUST_PROXY').trim();
  if (raw === 'false' || raw === '0') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  if (!/^[\w.:/, -]+$/.test(raw))
    throw new ConfigError('TRUST_PROXY', `must be true, false, a number of hops or addresses, got "${raw}"`);
  return raw;
}

export function loadConfig(env: Env): AppConfig {
  const nodeEnv = read(env, 'NODE_ENV');
  if (nodeEnv !== 'development' && nodeEnv !== 'test' && nodeEnv !== 'production') {
    throw new ConfigError('NODE_ENV', `must be development, test or production, got "${nodeEnv}"`);
  }
  const jwtSecret = read(env, 'JWT_SECRET');
  if (jwtSecret.length < 32) throw new ConfigError('JWT_SECRET', 'must be at least 32 characters long');
  if (nodeEnv === 'production' && jwtSecret === DEV_JWT_SECRET) {
    throw new ConfigError('JWT_SECRET', 'must be set in production (the development default is public)');
  }
  const adminPassword = read(env, 'ADMIN_PASSWORD');
  if (adminPassword.length < 12)
    throw new ConfigError('ADMIN_PASSWORD', 'must be at least 12 characters long');
  if (nodeEnv === 'production' && adminPassword === DEV_ADMIN_PASSWORD) {
    throw new ConfigError('ADMIN_PASSWORD', 'must be set in production (the development default is public)');
  }
  return {
    nodeEnv,
    port: integer(env, 'PORT', 1, 65535),
    webConcurrency: integer(env, 'WEB_CONCURRENCY', 1, 64),
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 1, 500),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom: email(env, 'MAIL_FROM'),
    jwtSecret,
    jwtTtlSeconds: integer(env, 'JWT_TTL_SECONDS', 60, 7 * 24 * 3600),
    adminEmail: email(env, 'ADMIN_EMAIL').toLowerCase(),
    adminPassword,
    loginRateLimitPerMinute: integer(env, 'LOGIN_RATE_LIMIT_PER_MINUTE', 1, 100000),
    throttles: {
      loginPerEmailPerHour: integer(env, 'LOGIN_EMAIL_RATE_LIMIT_PER_HOUR', 1, 1_000_000),
      loginPerAddressPerMinute: integer(env, 'LOGIN_ADDRESS_RATE_LIMIT_PER_MINUTE', 1, 1_000_000),
      registerPerAddressPerHour: integer(env, 'REGISTER_RATE_LIMIT_PER_HOUR', 1, 1_000_000),
      passwordResetPerHour: integer(env, 'PASSWORD_RESET_RATE_LIMIT_PER_HOUR', 1, 1_000_000),
    },
    trustProxy: trustProxy(env),
    passwordHashConcurrency: integer(env, 'PASSWORD_HASH_CONCURRENCY', 1, 64),
    publicUrl: url(env, 'PUBLIC_URL', ['http:', 'https:']).replace(/\/+$/, ''),
    webSessionIdleMinutes: integer(env, 'WEB_SESSION_IDLE_MINUTES', 1, 7 * 24 * 60),
    // Development runs the processors in the API process unless told otherwise; production runs them apart.
    workerInProcess: boolean(
      { WORKER_IN_PROCESS: nodeEnv === 'development' ? 'true' : 'false', ...definedOnly(env) },
      'WORKER_IN_PROCESS',
    ),
    queuePrefix: prefix(env, 'QUEUE_PREFIX'),
    mailRetryBaseMs: integer(env, 'MAIL_RETRY_BASE_MS', 10, 3_600_000),
    mailAttempts: integer(env, 'MAIL_ATTEMPTS', 1, 50),
    outboxSweepMs: integer(env, 'OUTBOX_SWEEP_MS', 100, 3_600_000),
    apiDocs: boolean(env, 'API_DOCS'),
  };
}

/** Loads the configuration or stops the process with a one-line message naming the variable. */
export function loadConfigOrExit(env: Env): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
