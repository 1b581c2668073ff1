/**
 * `npm run bench`: national-scale figures, each beside its baseline measured in the same run.
 * Prints one JSON object and a short table. Options: --contracts N --applications N --seed N --quick,
 * --duration S (load seconds), --profile (CPU profile and database waits), --no-audit (audit triggers off),
 * --peak-only (the deadline peak and its baselines alone, to compare changes of the write paths quickly).
 * Uses BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/cdv_bench, recreated) and REDIS_URL.
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import argon2 from 'argon2';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import PDFDocument from 'pdfkit';
import { spawn } from 'node:child_process';
import { NestFactory } from '@nestjs/core';
import { createDataSource } from '../src/database/data-source.js';
import { seedAll } from '../src/database/setup.js';
import { loadConfig } from '../src/config/config.js';
import { AppModule } from '../src/app.module.js';
import { RemindersService } from '../src/modules/reminders/reminders.service.js';
import {
  conventionFonts,
  conventionText,
  renderConventionPdf,
  type ConventionView,
} from '../src/modules/conventions/convention-pdf.js';
import { envelopesByPartner } from '../src/modules/campaigns/envelopes.repository.js';
import { ProgrammingRepository } from '../src/modules/programming/programming.repository.js';
import { NationalRepository } from '../src/modules/national/national.repository.js';
import { generate } from './generate.js';

import {
  args,
  option,
  quick,
  peakOnly,
  scale,
  DATABASE_URL,
  REDIS_URL,
  BASE,
  WARM_UP_SECONDS,
  JWT_SECRET,
  PASSWORD,
  percentile,
  ms,
  round,
  recreateDatabase,
  startApi,
  login,
  rssKb,
  Sample,
  steadyLoad,
  sampleWaits,
  Flow,
  STEPS,
  MULTIPART_BOUNDARY,
  multipart,
  tableFigures,
  clearQueues,
} from './support.js';

async function main(): Promise<void> {
  const figures: Record<string, unknown> = {
    scale,
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
  };
  console.error(`[bench] recreating ${DATABASE_URL}`);
  await recreateDatabase();
  await clearQueues();
  const dataSource = await createDataSource(DATABASE_URL).initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await seedAll(dataSource, { email: 'admin@bench.invalid', password: 'bench-admin-password' });
  await dataSource.destroy();

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
    `INSERT INTO organizations (name, legal_form, siret, address, legal_representative, contact_email) VALUES ('Association bench', 'Association loi 1901', '21260198300019', 'x', 'y', 'asso@bench.invalid') RETURNING id`,
  );
  await client.query(
    `INSERT INTO users (email, password_hash, display_name, role, organization_id) VALUES ('asso@bench.invalid', $1, 'Bench', 'ASSOCIATION', $2)`,
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

    console.error('[bench] baseline: GET /health');
    const health = await steadyLoad(api.pid!, duration, (record) => ({
      url: `${BASE}/health`,
      connections: 50,
      requests: [
        {
          setupRequest: (request: autocannon.Request, context: object) => {
            stamp(context);
            return request;
          },
          onResponse: (status: number, _body: string, context: object) =>
            record(sample('health', status, context)),
        },
      ],
    }));

    console.error('[bench] deadline peak: create, 2 uploads, submit');
    const body = JSON.stringify({
      title: 'Action de quartier',
      summary: 'Résumé',
      objectives: 'Objectifs',
      description: 'Description',
      themeCode: 'EMP',
      stakeId: stake.rows[0].id,
      qpvCodes: ['QN02604M'],
      location: 'Montélimar',
      startDate: '2027-02-01',
      endDate: '2027-11-30',
      beneficiaries: { total: 30, qpvResidents: 20, women: 15, men: 15, byAge: { '16-25': 30 } },
      priorities: {
        genderEquality: { marker: 1, measures: 'Mesures pour l’égalité entre les femmes et les hommes' },
        youth: { measures: 'Public jeune' },
        antiDiscrimination: { measures: 'Accès ouvert à toutes et tous sans condition' },
      },
      budget: {
        charges: [{ account: '64', label: 'Salaires', amountCents: 1_000_000 }],
        products: [
          { account: '74', label: 'État', amountCents: 300_000, partnerCode: 'E' },
          { account: '74', label: 'Ville', amountCents: 300_000, partnerCode: 'V' },
          { account: '75', label: 'Fonds propres', amountCents: 400_000 },
        ],
      },
    });
    const auth = { authorization: `Bearer ${assoToken}` };
    // --profile: the database's waits and the API's CPU profile over the measured window.
    let waits: ReturnType<typeof sampleWaits> | undefined;
    if (args.includes('--profile'))
      setTimeout(() => {
        waits = sampleWaits(client);
        api.kill('SIGUSR2');
      }, WARM_UP_SECONDS * 1000);
    const peakLoad = await steadyLoad(api.pid!, duration, (record) => ({
      url: BASE,
      connections: 50,
      requests: [
        {
          method: 'POST',
          path: `/api/v1/campaigns/${peak.rows[0].id}/applications`,
          headers: { ...auth, 'content-type': 'application/json' },
          body,
          setupRequest: (request: autocannon.Request, context: object) => {
            stamp(context);
            (context as Flow).started = (context as Flow).sentAt;
            return request;
          },
          onResponse: (status, responseBody, context) => {
            record(sample('create', status, context));
            (context as Flow).id = (JSON.parse(responseBody) as { id: string }).id;
          },
        },
        ...['STATUTES', 'BANK_DETAILS'].map((kind) => ({
          method: 'POST' as const,
          setupRequest: (request: autocannon.Request, context: object) => {
            stamp(context);
            return {
              ...request,
              path: `/api/v1/applications/${(context as Flow).id}/attachments`,
              headers: { ...auth, 'content-type': `multipart/form-data; boundary=${MULTIPART_BOUNDARY}` },
              body: multipart(kind),
            };
          },
          onResponse: (status: number, _body: string, context: object) =>
            record(sample(kind === 'STATUTES' ? 'uploadStatutes' : 'uploadBankDetails', status, context)),
        })),
        {
          method: 'POST',
          setupRequest: (request: autocannon.Request, context: object) => {
            stamp(context);
            return {
              ...request,
              path: `/api/v1/applications/${(context as Flow).id}/submit`,
              headers: { ...auth, 'content-type': 'application/json' },
              body: JSON.stringify({
                certification: {
                  signatoryName: 'A',
                  signatoryRole: 'Président',
                  certifiesAccuracy: true,
                  republicanCommitmentSigned: true,
                },
              }),
            };
          },
          onResponse: (status, _body, context) =>
            record({ ...sample('submit', status, context), flowSentAt: (context as Flow).started }),
        },
      ],
    }));
    const latencies = (step?: string) =>
      peakLoad.samples.filter((entry) => !step || entry.step === step).map((entry) => entry.ms);
    // A submission: its four requests, for flows whose first request was sent in the measured window.
    const submissions = peakLoad.samples.filter((entry) => entry.step === 'submit' && entry.status === 200);
    const submissionLatencies = submissions
      .filter((entry) => entry.flowSentAt! >= peakLoad.from)
      .map((entry) => entry.sentAt + entry.ms - entry.flowSentAt!);

    if (waits) {
      console.error((await waits.stop()) || '(no waits sampled)');
      api.kill('SIGUSR2');
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    console.error('[bench] baseline: the same rows through pg alone');
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 50 });
    const template = await client.query(`SELECT * FROM grant_applications WHERE campaign_id = $1 LIMIT 1`, [
      peak.rows[0].id,
    ]);
    let rawInserts = 0;
    const rawUntil = Date.now() + duration * 1000;
    const row = template.rows[0];
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (Date.now() < rawUntil) {
          await pool.query(
            `INSERT INTO grant_applications (campaign_id, contract_id, organization_id, reference, reference_number, status, title, theme_id, stake_id, beneficiaries, priorities, budget, total_charges_cents, total_products_cents, requested_cents)
             VALUES ($1, $2, $3, 'RAW-' || substr(md5(random()::text), 1, 24), 0, 'DRAFT', $4, $5, $6, $7, $8, $9, $10, $10, $11)`,
            [
              row.campaign_id,
              row.contract_id,
              row.organization_id,
              row.title,
              row.theme_id,
              row.stake_id,
              row.beneficiaries,
              row.priorities,
              row.budget,
              row.total_charges_cents,
              row.requested_cents,
            ],
          );
          rawInserts += 1;
        }
      }),
    );
    await pool.end();

    const healthRate = health.samples.length / duration;
    const peakRate = peakLoad.samples.length / duration;
    figures.deadlinePeak = {
      connections: 50,
      seconds: duration,
      warmUpSeconds: WARM_UP_SECONDS,
      submissionsPerSecond: round(submissions.length / duration),
      submissionP50Ms: percentile(submissionLatencies, 50),
      submissionP99Ms: percentile(submissionLatencies, 99),
      requestsPerSecond: round(peakRate),
      requestP50Ms: percentile(latencies(), 50),
      requestP99Ms: percentile(latencies(), 99),
      stepP50P99Ms: Object.fromEntries(
        STEPS.map((step) => [step, [percentile(latencies(step), 50), percentile(latencies(step), 99)]]),
      ),
      cpuMsPerRequest: peakLoad.cpuMsPerRequest,
      errors: peakLoad.errors,
      healthRequestsPerSecond: round(healthRate),
      healthP99Ms: percentile(
        health.samples.map((entry) => entry.ms),
        99,
      ),
      healthCpuMsPerRequest: health.cpuMsPerRequest,
      rawPgInsertsPerSecond: round(rawInserts / duration),
      ratioToHealth: round(peakRate / healthRate, 3),
      ratioToRawPg: round(submissions.length / rawInserts, 3),
    };

    if (!peakOnly) {
      console.error('[bench] programming table');
      // The bare baseline calls the same repositories as the routes, on a data source of its own.
      const bareSource = await createDataSource(DATABASE_URL).initialize();
      const programmingRepository = new ProgrammingRepository(bareSource);
      const nationalRepository = new NationalRepository(bareSource);
      /**
       * Times a route and its bare statements one after the other at each run, so that both meet the same
       * moments of this shared machine; 3 runs first, not counted. With fewer than 100 runs a "p99" is the
       * slowest run, hence 200 runs where a run is short.
       */
      const paired = async (
        runs: number,
        route: () => Promise<Response>,
        statements: () => Promise<unknown>,
      ) => {
        const api: number[] = [];
        const bare: number[] = [];
        let last = '';
        for (let run = 0; run < runs + 3; run += 1) {
          let start = process.hrtime.bigint();
          const response = await route();
          if (!response.ok) throw new Error(`${response.url}: ${response.status}`);
          last = await response.text();
          if (run >= 3) api.push(ms(start));
          start = process.hrtime.bigint();
          await statements();
          if (run >= 3) bare.push(ms(start));
        }
        return { api, bare, last: JSON.parse(last) as unknown };
      };
      const table = (campaignId: string, token: string, runs: number) =>
        paired(
          runs,
          () =>
            fetch(`${BASE}/campaigns/${campaignId}/programming`, {
              headers: { authorization: `Bearer ${token}` },
            }),
          // Like the service: the sections side by side, each on its own connection of the pool.
          () =>
            Promise.all([
              programmingRepository.tableSections(campaignId),
              envelopesByPartner(bareSource.manager, campaignId),
            ]),
        );
      const medium = await table(data.mediumCampaignId, cityMedium, quick ? 40 : 200);
      const large = await table(data.largeCampaignId, cityLarge, quick ? 10 : 50);
      // National summary: every contract's counted applications of the year, theme × financer, through its
      // route (the national agency's token) and as the bare statement.
      const national = await paired(
        quick ? 20 : 100,
        () =>
          fetch(`${BASE}/national/summary?year=2027`, {
            headers: { authorization: `Bearer ${nationalToken}` },
          }),
        () => nationalRepository.summary(2027),
      );
      const nationalCount = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM grant_applications a JOIN campaigns c ON c.id = a.campaign_id WHERE c.year = 2027`,
      );
      await bareSource.destroy();
      figures.programmingTable = {
        national: {
          ...tableFigures(nationalCount.rows[0].n, national.api, national.bare),
          /** Of the year's applications, those the summary counts (submitted and beyond, not set aside). */
          counted: (national.last as { applications: number }).applications,
        },
        medium: tableFigures(scale.mediumCampaign, medium.api, medium.bare),
        large: tableFigures(scale.largeCampaign, large.api, large.bare),
      };

      console.error('[bench] CSV export');
      const baseline = rssKb(api.pid!);
      let peakRss = baseline;
      const sampler = setInterval(() => {
        peakRss = Math.max(peakRss, rssKb(api.pid!));
      }, 20);
      const csvStart = process.hrtime.bigint();
      const csv = await fetch(`${BASE}/campaigns/${data.largeCampaignId}/programming.csv`, {
        headers: { authorization: `Bearer ${cityLarge}` },
      });
      let bytes = 0;
      let lines = 0;
      for await (const chunk of csv.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        for (const byte of chunk) if (byte === 10) lines += 1;
      }
      const csvMs = ms(csvStart);
      clearInterval(sampler);
      figures.csvExport = {
        rows: lines - 1,
        megabytes: round(bytes / 1e6, 2),
        seconds: round(csvMs / 1000, 2),
        rssGrowthMb: round((peakRss - baseline) / 1024),
      };

      console.error('[bench] convention PDFs');
      const view: ConventionView = {
        contractName: 'Contrat de ville de Montélimar Agglomération',
        year: '2027',
        number: 'CONV-2027-EMP-0001',
        reference: '2027-EMP-0001',
        title: 'Chantier éducatif des jardins familiaux',
        summary: 'Un chantier encadré.',
        theme: 'Emploi',
        stake: 'Insertion professionnelle',
        qpvs: 'Nocaze (QN02603M)',
        startDate: '15 janvier 2027',
        endDate: '15 décembre 2027',
        totalCost: '31 000,00 €',
        grantedTotal: '20 000,00 €',
        advancePercent: '50',
        reportDeadline: '30 juin 2028',
        place: 'Montélimar',
        issuedOn: '25 mars 2027',
        issuedOnIso: '2027-03-25',
        holder: {
          name: 'Régie de quartier',
          legalForm: 'Association loi 1901',
          identifiers: 'SIRET 41234567000019',
          address: 'Montélimar',
          representative: 'Julien Martin',
        },
        financers: [
          { name: 'État', amount: '12 000,00 €', advance: '6 000,00 €', balance: '6 000,00 €' },
          { name: 'Ville de Montélimar', amount: '8 000,00 €', advance: '4 000,00 €', balance: '4 000,00 €' },
        ],
      };
      const pdfs = quick ? 40 : 200;
      await renderConventionPdf(view);
      let start = process.hrtime.bigint();
      for (let index = 0; index < pdfs; index += 1) await renderConventionPdf(view);
      const ours = pdfs / (ms(start) / 1000);
      // Like for like: the same text and the same two faces (read once), headings in bold, drawn line after line
      // by pdfkit alone; what ours adds is the template, the layout (bullets, signature blocks) and the metadata.
      const text = conventionText(view).split('\n');
      const faces = conventionFonts();
      start = process.hrtime.bigint();
      for (let index = 0; index < pdfs; index += 1) {
        await new Promise<void>((resolve) => {
          const document = new PDFDocument({ size: 'A4' });
          document.on('data', () => undefined);
          document.on('end', () => resolve());
          document.registerFont('body', faces.body);
          document.registerFont('bold', faces.bold);
          for (const line of text) {
            document.font(line.startsWith('#') ? 'bold' : 'body').fontSize(line.startsWith('#') ? 12 : 10);
            document.text(line.replace(/^[#-]+ /, ''));
          }
          document.end();
        });
      }
      const barePdf = pdfs / (ms(start) / 1000);
      figures.conventions = {
        pdfsPerSecond: round(ours),
        barePdfkitPerSecond: round(barePdf),
        ratio: round(ours / barePdf, 2),
      };

      console.error('[bench] reminder scan');
      await client.query(
        `UPDATE campaigns SET status = 'PROGRAMMED', report_deadline = now() + interval '10 days' WHERE contract_id IN (SELECT id FROM contracts WHERE code LIKE 'BN%')`,
      );
      const context = await NestFactory.createApplicationContext(
        AppModule.forRoot(
          loadConfig({
            NODE_ENV: 'test',
            DATABASE_URL,
            REDIS_URL,
            JWT_SECRET,
            QUEUE_PREFIX: 'bench',
            WORKER_IN_PROCESS: 'false',
          }),
        ),
        { logger: ['error'] },
      );
      start = process.hrtime.bigint();
      const created = await context.get(RemindersService).scan({});
      const scanMs = ms(start);
      await context.close();

      // The scan's emails, relayed by one worker process to a local SMTP sink that counts what it accepts.
      console.error('[bench] emails relayed by a worker');
      let delivered = 0;
      const sink = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onData: (stream, _session, callback) => {
          stream.on('end', () => {
            delivered += 1;
            callback();
          });
          stream.resume();
        },
      });
      await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', () => resolve()));
      const smtpPort = (sink.server.address() as AddressInfo).port;
      const worker = spawn(process.execPath, ['dist/src/worker.js'], {
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'production',
          DATABASE_URL,
          REDIS_URL,
          JWT_SECRET,
          QUEUE_PREFIX: 'bench',
          SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        },
        stdio: 'ignore',
      });
      while (delivered === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      const relayStart = process.hrtime.bigint();
      const relayFrom = delivered;
      await new Promise((resolve) => setTimeout(resolve, duration * 1000));
      const relayed = delivered - relayFrom;
      const relaySeconds = ms(relayStart) / 1000;
      worker.kill('SIGTERM');
      await new Promise((resolve) => worker.once('exit', resolve));
      await new Promise<void>((resolve) => sink.close(() => resolve()));
      figures.reminderScan = {
        reminders: created,
        seconds: round(scanMs / 1000, 2),
        emailsRelayedPerSecond: round(relayed / relaySeconds),
      };
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
