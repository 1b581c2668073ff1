/**
 * `npm run bench:pages`: the server time of the association's, the financers' and the city team's pages on a campaign
 * of 5,000 applications (targets: p99 under 50 ms for the first two, under 100 ms for the city team's dashboard,
 * applications list, COTECH and COPIL) and the weight of the CSS and JavaScript a page makes the browser
 * fetch, compressed as sent (target: under 100 kB in all). Each page is requested by one connection at a
 * time, so that its latency on loopback is the server's time, not a queue's. Writes docs/perf/pages.json.
 * Options: --quick (2 s per page instead of 5), --applications N (default 5,000).
 */
import 'reflect-metadata';
import argon2 from 'argon2';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import pg from 'pg';
import { generate } from './generate.js';
import {
  cannon,
  completeApplication,
  DATABASE_URL,
  freshDatabase,
  login,
  option,
  PASSWORD,
  PORT,
  quick,
  round,
  startApi,
} from './support.js';

const ORIGIN = `http://127.0.0.1:${PORT}`;
const P99_TARGET_MS = 50;
const TEAM_P99_TARGET_MS = 100;
const WEIGHT_TARGET_KB = 100;

/** A request's answer with its raw (still compressed) body size. */
function raw(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; bytes: number; text: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${ORIGIN}${path}`, { headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            bytes: body.length,
            text: body.toString('utf8'),
          });
        });
      })
      .on('error', reject);
  });
}

/** Signs in through « Se connecter » as a browser does: the session cookie it ends with. */
async function signIn(email: string): Promise<string> {
  const form = await fetch(`${ORIGIN}/connexion`);
  const anonymous = /cdv_session=[^;]+/.exec(form.headers.get('set-cookie') ?? '')![0];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1];
  const answer = await fetch(`${ORIGIN}/connexion`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: anonymous, origin: ORIGIN },
    body: new URLSearchParams({ _csrf: csrf, email, password: PASSWORD }).toString(),
  });
  if (answer.status !== 303) throw new Error(`sign-in answered ${answer.status}`);
  return /cdv_session=[^;]+/.exec(answer.headers.get('set-cookie') ?? '')![0];
}

async function main(): Promise<void> {
  const applications = option('applications', 5_000);
  await freshDatabase();
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  const data = await generate(client, {
    contracts: 10,
    applications: applications + 1_000,
    seed: 42,
    mediumCampaign: applications,
    largeCampaign: 500,
  });
  const contractId = data.mediumContractId;
  const hash = await argon2.hash(PASSWORD);
  const org = await client.query<{ id: string }>(
    `INSERT INTO organizations (name, legal_form, siret, address, legal_representative, contact_email) VALUES ('Association bench', 'Association loi 1901', '21260198300019', '1 place du Marché', 'Camille Durand', 'asso@bench.invalid') RETURNING id`,
  );
  await client.query(
    `INSERT INTO users (email, password_hash, display_name, role, organization_id, contract_id, email_confirmed_at) VALUES ('asso@bench.invalid', $1, 'Bench', 'ASSOCIATION', $2, $3, now())`,
    [hash, org.rows[0].id, contractId],
  );
  // Five of the campaign's applications are this association's: « Mes dossiers » and a submitted dossier.
  const owned = await client.query<{ id: string }>(
    `UPDATE grant_applications SET organization_id = $1 WHERE id IN (SELECT id FROM grant_applications WHERE campaign_id = $2 ORDER BY reference LIMIT 5) RETURNING id`,
    [org.rows[0].id, data.mediumCampaignId],
  );
  const open = await client.query<{ id: string }>(
    `INSERT INTO campaigns (contract_id, year, title, status, opens_at, submission_deadline, review_deadline, cotech_date, copil_date, report_deadline, rules, scoring_grid)
     VALUES ($1, 2031, 'Appel ouvert', 'OPEN', now() - interval '1 day', now() + interval '30 days', now() + interval '60 days', (now() + interval '70 days')::date, (now() + interval '80 days')::date, now() + interval '500 days',
             '{"minQpvSharePercent":50,"maxSingleFinancerSharePercent":80,"minWomenSharePercent":40,"advancePercent":50}', '[]') RETURNING id`,
    [contractId],
  );
  const theme = await client.query<{ code: string; stake: string }>(
    `SELECT t.code, s.id AS stake FROM themes t JOIN stakes s ON s.theme_id = t.id WHERE t.contract_id = $1 ORDER BY t.position, s.position LIMIT 1`,
    [contractId],
  );
  const qpv = await client.query<{ code: string }>(`SELECT code FROM qpvs WHERE contract_id = $1 LIMIT 1`, [
    contractId,
  ]);

  const api = await startApi({ PUBLIC_URL: ORIGIN });
  try {
    // A complete draft in the open call, written through the API.
    const token = await login('asso@bench.invalid');
    const created = await fetch(`${ORIGIN}/api/v1/campaigns/${open.rows[0].id}/applications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(
        completeApplication(
          theme.rows[0].code,
          theme.rows[0].stake,
          qpv.rows.map((row) => row.code),
        ),
      ),
    });
    if (created.status !== 201) throw new Error(`draft: ${created.status} ${await created.text()}`);
    const draft = ((await created.json()) as { id: string }).id;
    const cookie = await signIn('asso@bench.invalid');

    const pages: [string, string][] = [
      ['Accueil', '/'],
      ['Mes dossiers', '/dossiers'],
      ['Liste des tâches', `/dossiers/${draft}`],
      ['Le projet', `/dossiers/${draft}/projet`],
      ['Publics et quartiers', `/dossiers/${draft}/publics`],
      ['Budget', `/dossiers/${draft}/budget`],
      ['Pièces jointes', `/dossiers/${draft}/pieces`],
      ['Priorités transversales', `/dossiers/${draft}/priorites`],
      ['Vérifier vos réponses', `/dossiers/${draft}/verifier`],
      ['Dossier déposé', `/dossiers/${owned.rows[0].id}`],
    ];
    const duration = quick ? 2 : 5;
    const results: Record<string, { p50Ms: number; p99Ms: number; requests: number; non2xx: number }> = {};
    const measure = async (list: [string, string][], session: string) => {
      for (const [name, path] of list) {
        const check = await raw(path, { cookie: session });
        if (check.status !== 200) throw new Error(`${path} answered ${check.status}`);
        await cannon({ url: `${ORIGIN}${path}`, connections: 1, duration: 1, headers: { cookie: session } });
        const result = await cannon({
          url: `${ORIGIN}${path}`,
          connections: 1,
          duration,
          headers: { cookie: session },
        });
        results[name] = {
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
          requests: result.requests.total,
          non2xx: result.non2xx,
        };
        console.error(
          `[pages] ${name.padEnd(32)} p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`,
        );
      }
    };
    await measure(pages, cookie);

    // The review desk: the 5,000 applications under review, a reviewer of the État for that contract.
    await client.query(
      `UPDATE campaigns SET status = 'REVIEW', review_deadline = now() + interval '30 days' WHERE id = $1`,
      [data.mediumCampaignId],
    );
    await client.query(`UPDATE grant_applications SET status = 'ELIGIBLE' WHERE campaign_id = $1`, [
      data.mediumCampaignId,
    ]);
    await client.query(
      `INSERT INTO users (email, password_hash, display_name, role, partner_id, contract_id, email_confirmed_at)
       SELECT 'financer@bench.invalid', $1, 'Bench', 'FINANCER', id, contract_id, now() FROM partners WHERE contract_id = $2 AND code = 'E'`,
      [hash, contractId],
    );
    // As autovacuum would after such a change: the planner's statistics of the rows just moved.
    await client.query('ANALYZE grant_applications, campaigns, reviews, application_requests');
    const financer = await signIn('financer@bench.invalid');
    const queued = await client.query<{ id: string }>(
      `SELECT a.id FROM grant_applications a JOIN application_requests r ON r.application_id = a.id JOIN partners p ON p.id = r.partner_id AND p.code = 'E'
        WHERE a.campaign_id = $1 ORDER BY a.reference LIMIT 1 OFFSET 2500`,
      [data.mediumCampaignId],
    );
    await measure(
      [
        ['File d’instruction', '/instruction'],
        ['File, tous, par montant, page 40', '/instruction?onglet=tous&tri=amount&page=40'],
        ['Avis sur un dossier', `/instruction/${queued.rows[0].id}`],
        ['Synthèse', '/instruction/synthese'],
      ],
      financer,
    );

    // The city team's year on that campaign: dashboard, list, an application, COTECH and COPIL (target p99 < 100 ms).
    await client.query(
      `INSERT INTO users (email, password_hash, display_name, role, contract_id, email_confirmed_at)
       VALUES ('team@bench.invalid', $1, 'Bench', 'CITY_TEAM', $2, now())`,
      [hash, contractId],
    );
    const team = await signIn('team@bench.invalid');
    const campaignPages = `/pilotage/campagnes/${data.mediumCampaignId}`;
    await measure(
      [
        ['Tableau de bord', '/pilotage'],
        ['Dossiers', `${campaignPages}/dossiers`],
        ['Dossiers, recherche et tri', `${campaignPages}/dossiers?q=a&tri=-requested&page=20`],
        ['Dossier (instruction)', `/pilotage/dossiers/${queued.rows[0].id}`],
        ['COTECH', `${campaignPages}/cotech`],
        ['COTECH par note, page 20', `${campaignPages}/cotech?tri=score&page=20`],
        ['COPIL', `${campaignPages}/copil`],
        ['COPIL sans décision, page 100', `${campaignPages}/copil?restant=1&page=100`],
      ],
      team,
    );
    const cityTeamPages = [
      'Tableau de bord',
      'Dossiers',
      'Dossiers, recherche et tri',
      'Dossier (instruction)',
      'COTECH',
      'COTECH par note, page 20',
      'COPIL',
      'COPIL sans décision, page 100',
    ];

    // What a page makes the browser fetch: its stylesheets and scripts (and their imports), as sent.
    const page = await raw(`/dossiers/${draft}/budget`, { cookie });
    const assets = new Set(
      [...page.text.matchAll(/(?:href|src)="(\/assets\/[^"]+\.(?:css|js))"/g)].map((match) => match[1]),
    );
    const weights: Record<string, { sentKb: number; encoding: string }> = {};
    for (const asset of [...assets]) {
      const answer = await raw(asset, { 'accept-encoding': 'gzip, br' });
      weights[asset] = {
        sentKb: round(answer.bytes / 1024, 1),
        encoding: String(answer.headers['content-encoding'] ?? 'none'),
      };
      const plain = await raw(asset);
      for (const imported of plain.text.matchAll(/from\s*["']\.\/([^"']+\.js)["']/g))
        assets.add(`/assets/${imported[1]}`);
    }
    for (const asset of assets) {
      if (weights[asset]) continue;
      const answer = await raw(asset, { 'accept-encoding': 'gzip, br' });
      weights[asset] = {
        sentKb: round(answer.bytes / 1024, 1),
        encoding: String(answer.headers['content-encoding'] ?? 'none'),
      };
    }
    const totalKb = round(
      Object.values(weights).reduce((sum, weight) => sum + weight.sentKb, 0),
      1,
    );
    // The synthesis computes the whole programming table (every financer and theme) for one partner's rows: it is
    // measured and reported, the targets are the association's journey and the review desk's queue and review.
    const judged = Object.entries(results).filter(
      ([name]) => name !== 'Synthèse' && !cityTeamPages.includes(name),
    );
    const worstP99 = Math.max(...judged.map(([, result]) => result.p99Ms));
    const worstTeamP99 = Math.max(...cityTeamPages.map((name) => results[name].p99Ms));
    const figures = {
      campaignApplications: applications,
      pages: results,
      assets: { files: weights, totalKb },
      verdicts: {
        [`p99 under ${P99_TARGET_MS} ms on the association's and the financers' pages`]:
          worstP99 < P99_TARGET_MS ? `met (worst ${worstP99} ms)` : `missed (worst ${worstP99} ms)`,
        [`p99 under ${TEAM_P99_TARGET_MS} ms on the city team's pages`]:
          worstTeamP99 < TEAM_P99_TARGET_MS
            ? `met (worst ${worstTeamP99} ms)`
            : `missed (worst ${worstTeamP99} ms)`,
        [`CSS and JavaScript under ${WEIGHT_TARGET_KB} kB compressed`]:
          totalKb < WEIGHT_TARGET_KB ? `met (${totalKb} kB)` : `missed (${totalKb} kB)`,
      },
      machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
      at: new Date().toISOString(),
    };
    writeFileSync(join(process.cwd(), 'docs', 'perf', 'pages.json'), `${JSON.stringify(figures, null, 2)}\n`);
    console.log(JSON.stringify(figures, null, 2));
  } finally {
    api.kill('SIGTERM');
    await client.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
