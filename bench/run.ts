/**
 * `npm run bench`: national-scale figures, each beside its baseline measured in the same run.
 * Prints one JSON object and a short table. Options: --contracts N --applications N --seed N --quick,
 * --duration S (load seconds), --profile (CPU profile and database waits), --no-audit (audit triggers off),
 * --peak-only (the deadline peak and its baselines alone, to compare changes of the write paths quickly).
 * Uses BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/cdv_bench, recreated) and REDIS_URL.
 */
import 'reflect-metadata';
import argon2 from 'argon2';
import pg from 'pg';
import { generate } from './generate.js';

import {
  args,
  option,
  quick,
  peakOnly,
  scale,
  DATABASE_URL,
  PASSWORD,
  round,
  startApi,
  login,
  Sample,
  Flow,
  freshDatabase,
} from './support.js';
import type { BenchContext } from './scenarios/context.js';
import { deadlinePeak } from './scenarios/deadline-peak.js';
import { programmingTable } from './scenarios/programming-table.js';
import { csvExport } from './scenarios/csv-export.js';
import { conventionPdfs } from './scenarios/convention-pdfs.js';
import { remindersAndEmails } from './scenarios/reminders-and-emails.js';

async function main(): Promise<void> {
  const figures: Record<string, unknown> = {
    scale,
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
  };
  console.error(`[bench] recreating ${DATABASE_URL}`);
  await freshDatabase();

  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  if (args.includes('--no-audit')) {
    // To measure what the audit trail costs: its triggers off for this run only.
    const { rows } = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid WHERE g.tgname = 'audit'`,
    );
    for (const { name } of rows) await client.query(`ALTER TABLE "${name}" DISABLE TRIGGER audit`);
  }
  console.error(`[bench] generating ${scale.applications} applications over ${scale.contracts} contracts`);
  const data = await generate(client, scale);
  figures.generation = {
    seconds: round(data.seconds, 2),
    applicationsPerSecond: Math.round(scale.applications / data.seconds),
  };

  // Accounts: a city-team member per measured contract, the national agency, an association applying to
  // Montélimar's open call.
  const hash = await argon2.hash(PASSWORD);
  await client.query(
    `INSERT INTO users (email, password_hash, display_name, role, contract_id) VALUES ('city-medium@bench.invalid', $1, 'Bench', 'CITY_TEAM', $2), ('city-large@bench.invalid', $1, 'Bench', 'CITY_TEAM', $3), ('national@bench.invalid', $1, 'Bench', 'NATIONAL', NULL)`,
    [hash, data.mediumContractId, data.largeContractId],
  );
  const org = await client.query<{ id: string }>(
    `INSERT INTO organizations (name, legal_form, siret, address, legal_representative, contact_email) VALUES ('Association bench', 'Association loi 1901', '21260198300019', '1 place du Marché', 'Camille Durand', 'asso@bench.invalid') RETURNING id`,
  );
  await client.query(
    `INSERT INTO users (email, password_hash, display_name, role, organization_id, email_confirmed_at) VALUES ('asso@bench.invalid', $1, 'Bench', 'ASSOCIATION', $2, now())`,
    [hash, org.rows[0].id],
  );
  const montelimar = await client.query<{ id: string }>(`SELECT id FROM contracts WHERE code = 'CN02601I'`);
  const peak = await client.query<{ id: string }>(
    `INSERT INTO campaigns (contract_id, year, title, status, opens_at, submission_deadline, review_deadline, cotech_date, copil_date, report_deadline, rules, scoring_grid)
     VALUES ($1, 2027, 'Pic de dépôt', 'OPEN', now() - interval '1 day', now() + interval '30 days', now() + interval '60 days', (now() + interval '70 days')::date, (now() + interval '80 days')::date, now() + interval '500 days',
             '{"minQpvSharePercent":50,"maxSingleFinancerSharePercent":80,"minWomenSharePercent":40,"advancePercent":50}', '[]') RETURNING id`,
    [montelimar.rows[0].id],
  );
  await client.query(
    `INSERT INTO envelopes (campaign_id, partner_id, amount_cents) SELECT $1, id, 100000000 FROM partners WHERE contract_id = $2 AND code IN ('E', 'V')`,
    [peak.rows[0].id, montelimar.rows[0].id],
  );
  const stake = await client.query<{ id: string }>(
    `SELECT s.id FROM stakes s JOIN themes t ON t.id = s.theme_id WHERE t.contract_id = $1 AND t.code = 'EMP' ORDER BY s.position LIMIT 1`,
    [montelimar.rows[0].id],
  );

  const api = await startApi();
  try {
    const assoToken = await login('asso@bench.invalid');
    const cityMedium = await login('city-medium@bench.invalid');
    const cityLarge = await login('city-large@bench.invalid');
    const nationalToken = await login('national@bench.invalid');
    const duration = option('duration', quick ? 5 : 20);

    // Each request is timed by itself: stamped when autocannon builds it, sampled when it is answered.
    const stamp = (context: object) => ((context as Flow).sentAt = Date.now());
    const sample = (step: string, status: number, context: object): Sample => ({
      step,
      sentAt: (context as Flow).sentAt!,
      ms: Date.now() - (context as Flow).sentAt!,
      status,
    });

    const ctx: BenchContext = {
      api,
      client,
      data,
      figures,
      duration,
      assoToken,
      cityMedium,
      cityLarge,
      nationalToken,
      stamp,
      sample,
      peak,
      stake,
      montelimar,
    };
    await deadlinePeak(ctx);
    if (!peakOnly) {
      await programmingTable(ctx);
      await csvExport(ctx);
      await conventionPdfs(ctx);
      await remindersAndEmails(ctx);
    }
  } finally {
    api.kill('SIGTERM');
    await client.end();
  }

  // A request of the peak is what the target's p99 bounds (autocannon's latency of each request); the
  // submission figures (create to submit answered, four requests) are printed beside it. Sections left out
  // (--peak-only) have no verdict.
  const peakFigures = figures.deadlinePeak as { requestP99Ms: number; ratioToHealth: number };
  const programming = figures.programmingTable as
    { national: { p99Ms: number }; medium: { p99Ms: number } } | undefined;
  const csv = figures.csvExport as { seconds: number; rssGrowthMb: number } | undefined;
  const conventions = figures.conventions as { ratio: number } | undefined;
  const reminders = figures.reminderScan as { seconds: number } | undefined;
  const targets = Object.fromEntries(
    Object.entries({
      submissionRequestP99Under150Ms: peakFigures.requestP99Ms < 150,
      submissionThroughputAtLeast20PercentOfHealth: peakFigures.ratioToHealth >= 0.2,
      nationalSummaryUnder1s: programming && programming.national.p99Ms < 1000,
      programmingP99Under100MsAt5000: programming && programming.medium.p99Ms < 100,
      csvUnder10sAndRssUnder100Mb: csv && csv.seconds < 10 && csv.rssGrowthMb < 100,
      conventionsAtLeast60PercentOfBarePdfkit: conventions && conventions.ratio >= 0.6,
      reminderScanUnder10s: reminders && reminders.seconds < 10,
    }).filter(([, holds]) => holds !== undefined),
  );
  figures.targets = targets;
  console.log(JSON.stringify(figures, null, 2));
  console.log('\ntarget                                          holds');
  for (const [name, holds] of Object.entries(targets))
    console.log(`${name.padEnd(48)}${holds ? 'yes' : 'NO'}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
