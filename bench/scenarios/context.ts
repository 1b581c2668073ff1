import type { ChildProcess } from 'node:child_process';
import type pg from 'pg';
import type { Sample } from '../support.js';
import type { generate } from '../generate.js';

/** What the scenarios of `npm run bench` share: the API under test, the data generated, the accounts. */
export interface BenchContext {
  api: ChildProcess;
  client: pg.Client;
  data: Awaited<ReturnType<typeof generate>>;
  /** Each scenario adds its figures here; run.ts prints them and judges the targets. */
  figures: Record<string, unknown>;
  /** Seconds of each measured load. */
  duration: number;
  assoToken: string;
  cityMedium: string;
  cityLarge: string;
  nationalToken: string;
  /** Stamps a request when autocannon builds it. */
  stamp: (context: object) => number;
  /** The timing of a request answered, from its stamp. */
  sample: (step: string, status: number, context: object) => Sample;
  peak: pg.QueryResult<{ id: string }>;
  stake: pg.QueryResult<{ id: string }>;
  montelimar: pg.QueryResult<{ id: string }>;
}
