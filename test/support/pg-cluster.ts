import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';

const run = promisify(execFile);
const PREFIX = 'cdvfaults';

/**
 * A PostgreSQL cluster of the test's own, made with Debian's cluster tools (pg_createcluster, as root), so a
 * test can really stop and start PostgreSQL under load without touching the machine's server. Clusters left
 * by an interrupted run are dropped when the next one is created.
 */
export class PgCluster {
  private constructor(
    readonly version: string,
    readonly name: string,
    readonly port: number,
  ) {}

  static async create(): Promise<PgCluster> {
    const version = readdirSync('/etc/postgresql').sort().at(-1)!;
    const { stdout } = await run('pg_lsclusters', ['--no-header']);
    for (const line of stdout.split('\n')) {
      const [clusterVersion, name] = line.trim().split(/\s+/);
      if (name?.startsWith(PREFIX)) await run('pg_dropcluster', [clusterVersion, name, '--stop']);
    }
    const cluster = new PgCluster(version, `${PREFIX}${process.pid}`, await freePort());
    await run('pg_createcluster', [
      version,
      cluster.name,
      '-p',
      String(cluster.port),
      '--start',
      '--',
      '--auth=trust',
    ]);
    return cluster;
  }

  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** Copies a database of the machine's server (schema and rows) into this cluster, under the same name. */
  async copyOf(sourceUrl: string): Promise<string> {
    const name = new URL(sourceUrl).pathname.slice(1);
    await run('createdb', ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', name]);
    await run('sh', [
      '-c',
      `pg_dump --no-owner "${sourceUrl}" | psql -q -v ON_ERROR_STOP=1 "${this.url(name)}" > /dev/null`,
    ]);
    return this.url(name);
  }

  stop(): Promise<unknown> {
    return run('pg_ctlcluster', [this.version, this.name, 'stop', '-m', 'fast']);
  }

  start(): Promise<unknown> {
    return run('pg_ctlcluster', [this.version, this.name, 'start']);
  }

  drop(): Promise<unknown> {
    return run('pg_dropcluster', [this.version, this.name, '--stop']);
  }
}
