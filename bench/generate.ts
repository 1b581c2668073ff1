/**
 * Fills a migrated database with realistic data at national scale, in SQL (generate_series, one
 * statement per table), reproducibly: PostgreSQL's random() is seeded with setseed() first.
 * Default: 450 contracts, 100,000 applications with budgets, QPV targets, requests to two financers,
 * final reviews and decisions. Two campaigns are large on purpose: one of 5,000 applications (the
 * programming table target) and one of 50,000 (100,000 CSV rows, one per application × financer).
 */
import type pg from 'pg';

export interface Scale {
  contracts: number;
  applications: number;
  seed: number;
  /** Applications of the campaign whose programming table is measured. */
  mediumCampaign: number;
  /** Applications of the campaign whose CSV export is measured. */
  largeCampaign: number;
}

export const DEFAULT_SCALE: Scale = {
  contracts: 450,
  applications: 100_000,
  seed: 42,
  mediumCampaign: 5_000,
  largeCampaign: 50_000,
};

export interface Generated {
  mediumCampaignId: string;
  largeCampaignId: string;
  mediumContractId: string;
  largeContractId: string;
  seconds: number;
}

export async function generate(client: pg.Client, scale: Scale): Promise<Generated> {
  const started = process.hrtime.bigint();
  const { contracts, applications, mediumCampaign, largeCampaign } = scale;
  const organizations = Math.max(100, Math.floor(applications / 5));
  await client.query('BEGIN');
  // A bulk load of synthetic history: the audit and numbering triggers stay out of it (rows carry their numbers).
  await client.query(`SET LOCAL session_replication_role = replica`);
  await client.query('SELECT setseed($1)', [((scale.seed % 1000) + 1) / 1001]);
  await client.query(
    `INSERT INTO contracts (code, name, territory, period_start, period_end)
     SELECT 'BN' || lpad(i::text, 5, '0'), 'Contrat de ville n° ' || i, 'Territoire ' || i, '2024-01-01', '2030-12-31'
       FROM generate_series(1, $1) i`,
    [contracts],
  );
  await client.query(
    `CREATE TEMP TABLE k ON COMMIT DROP AS SELECT row_number() OVER (ORDER BY code) AS idx, id FROM contracts WHERE code LIKE 'BN%'`,
  );
  await client.query(
    `INSERT INTO partners (contract_id, code, name, kind, is_financer)
     SELECT k.id, p.code, p.name, p.kind, true FROM k CROSS JOIN (VALUES
       ('E', 'État', 'STATE'), ('V', 'Ville', 'MUNICIPALITY'), ('CAF', 'CAF', 'FAMILY_ALLOWANCE_FUND'),
       ('CD', 'Département', 'DEPARTMENT'), ('CR', 'Région', 'REGION'), ('AGG', 'Agglomération', 'INTERCOMMUNALITY')) p(code, name, kind)`,
  );
  await client.query(
    `INSERT INTO themes (contract_id, code, label, position)
     SELECT k.id, t.code, t.label, t.position FROM k CROSS JOIN (VALUES
       ('EMP', 'Emploi', 1), ('SEC', 'Prévention et sécurité', 2), ('EDU', 'Éducation et parentalité', 3),
       ('SOL', 'Solidarité et lien social', 4), ('CDV', 'Cadre de vie et environnement', 5), ('LOG', 'Logement', 6)) t(code, label, position)`,
  );
  await client.query(
    `INSERT INTO stakes (theme_id, label, position)
     SELECT t.id, 'Enjeu ' || s || ' – ' || t.label, s FROM themes t JOIN k ON k.id = t.contract_id CROSS JOIN generate_series(1, 2) s`,
  );
  await client.query(
    `INSERT INTO qpvs (code, name, commune, insee_commune, contract_id)
     SELECT 'QB' || lpad(k.idx::text, 5, '0') || q, 'Quartier ' || q || ' du contrat ' || k.idx, 'Commune ' || k.idx, lpad((k.idx % 99999)::text, 5, '0'), k.id
       FROM k CROSS JOIN generate_series(1, 3) q`,
  );
  await client.query(
    `INSERT INTO organizations (name, legal_form, rna, address, legal_representative, contact_email)
     SELECT 'Association n° ' || i, 'Association loi 1901', 'W9' || lpad(i::text, 8, '0'), i || ' rue de la République', 'Présidence ' || i, 'asso' || i || '@bench.invalid'
       FROM generate_series(1, $1) i`,
    [organizations],
  );
  await client.query(
    `CREATE TEMP TABLE o ON COMMIT DROP AS SELECT row_number() OVER (ORDER BY rna) AS idx, id FROM organizations WHERE rna LIKE 'W9%'`,
  );
  await client.query(
    `INSERT INTO campaigns (contract_id, year, title, status, opens_at, submission_deadline, review_deadline, cotech_date, copil_date, report_deadline, rules, scoring_grid)
     SELECT k.id, 2027, 'Appel à projets 2027', 'REVIEW', '2026-11-01', '2027-01-31', '2027-02-28', '2027-03-10', '2027-03-24', '2028-06-30',
            '{"minQpvSharePercent":50,"maxSingleFinancerSharePercent":80,"minWomenSharePercent":40,"advancePercent":50}',
            '[{"code":"STAKE_FIT","label":"Adéquation","weight":3},{"code":"QPV_IMPACT","label":"Impact","weight":3},{"code":"BUDGET_REALISM","label":"Budget","weight":2}]'
       FROM k`,
  );
  await client.query(
    `CREATE TEMP TABLE c ON COMMIT DROP AS SELECT k.idx, cp.id AS campaign_id, k.id AS contract_id FROM k JOIN campaigns cp ON cp.contract_id = k.id`,
  );
  await client.query(
    `INSERT INTO envelopes (campaign_id, partner_id, amount_cents)
     SELECT c.campaign_id, p.id, 1000000000000 FROM c JOIN partners p ON p.contract_id = c.contract_id AND p.code IN ('E', 'V')`,
  );
  await client.query(
    `CREATE TEMP TABLE t ON COMMIT DROP AS
     SELECT th.contract_id, th.position - 1 AS idx, th.id AS theme_id, th.code, s.id AS stake_id
       FROM themes th JOIN k ON k.id = th.contract_id JOIN stakes s ON s.theme_id = th.id AND s.position = 1`,
  );
  // Applications: campaign 1 gets the medium load, campaign 2 the large one, the rest spread evenly.
  await client.query(
    `INSERT INTO grant_applications (campaign_id, contract_id, organization_id, reference, reference_number, status, title, summary, objectives, description,
                                     theme_id, stake_id, location, start_date, end_date, beneficiaries, priorities, budget,
                                     total_charges_cents, total_products_cents, requested_cents, gender_marker, submitted_at, checks)
     SELECT c.campaign_id, c.contract_id, o.id, '2027-' || t.code || '-' || lpad(g::text, 6, '0'), g,
            CASE WHEN r < 0.85 THEN 'PROGRAMMED' ELSE 'REJECTED' END,
            'Action n° ' || g, 'Résumé de l’action ' || g, 'Objectifs', 'Description de l’action',
            t.theme_id, t.stake_id, 'Quartier', '2027-01-15', '2027-12-15',
            jsonb_build_object('total', 40, 'qpvResidents', 30, 'women', (r * 40)::int, 'men', 40 - (r * 40)::int, 'byAge', jsonb_build_object('16-25', 20, '26-64', 20)),
            jsonb_build_object('genderEquality', jsonb_build_object('marker', (g % 3), 'measures', 'Mesures pour l’égalité entre les femmes et les hommes'),
                               'youth', jsonb_build_object('measures', 'Place des jeunes'), 'antiDiscrimination', jsonb_build_object('measures', 'Accès ouvert à toutes et tous')),
            jsonb_build_object('charges', jsonb_build_array(jsonb_build_object('account', '64', 'label', 'Salaires', 'amountCents', cost)),
                               'products', jsonb_build_array(jsonb_build_object('account', '74', 'label', 'État', 'amountCents', cost * 3 / 10, 'partnerCode', 'E'),
                                                             jsonb_build_object('account', '74', 'label', 'Ville', 'amountCents', cost * 3 / 10, 'partnerCode', 'V'),
                                                             jsonb_build_object('account', '75', 'label', 'Fonds propres', 'amountCents', cost - 2 * (cost * 3 / 10)))),
            cost, cost, 2 * (cost * 3 / 10), g % 3, '2027-01-20', '[]'
       FROM (SELECT g, random() AS r, (500000 + floor(random() * 4500000))::bigint AS cost FROM generate_series(1, $1) g) x
       JOIN c ON c.idx = CASE WHEN g <= $2 THEN 1 WHEN g <= $2 + $3 THEN 2 ELSE 3 + (g - $2 - $3 - 1) % greatest($4 - 2, 1) END
       JOIN t ON t.contract_id = c.contract_id AND t.idx = g % 6
       JOIN o ON o.idx = 1 + g % $5`,
    [applications, mediumCampaign, largeCampaign, contracts, organizations],
  );
  await client.query(
    `INSERT INTO reference_counters (contract_id, year, last_number)
     SELECT contract_id, 2027, max(reference_number) FROM grant_applications a JOIN k ON k.id = a.contract_id GROUP BY contract_id
     ON CONFLICT (contract_id, year) DO UPDATE SET last_number = EXCLUDED.last_number`,
  );
  await client.query(
    `INSERT INTO application_qpvs (application_id, qpv_code)
     SELECT a.id, 'QB' || lpad(k.idx::text, 5, '0') || (1 + a.reference_number % 3) FROM grant_applications a JOIN k ON k.id = a.contract_id`,
  );
  await client.query(
    `INSERT INTO application_requests (application_id, partner_id, requested_cents, campaign_id)
     SELECT a.id, p.id, a.total_charges_cents * 3 / 10, a.campaign_id FROM grant_applications a JOIN k ON k.id = a.contract_id
       JOIN partners p ON p.contract_id = a.contract_id AND p.code IN ('E', 'V')`,
  );
  await client.query(
    `INSERT INTO reviews (application_id, partner_id, campaign_id, scores, opinion, proposed_amount_cents, comment, final, reviewer_id)
     SELECT r.application_id, r.partner_id, r.campaign_id,
            jsonb_build_object('STAKE_FIT', 1 + floor(random() * 5)::int, 'QPV_IMPACT', floor(random() * 6)::int, 'BUDGET_REALISM', floor(random() * 6)::int),
            'FAVORABLE', r.requested_cents, 'Avis', true, gen_random_uuid()
       FROM application_requests r JOIN grant_applications a ON a.id = r.application_id JOIN k ON k.id = a.contract_id`,
  );
  await client.query(
    `INSERT INTO decisions (application_id, partner_id, campaign_id, granted_cents, reason, decided_by)
     SELECT r.application_id, r.partner_id, a.campaign_id,
            CASE WHEN a.status = 'PROGRAMMED' THEN r.requested_cents ELSE 0 END,
            CASE WHEN a.status = 'PROGRAMMED' THEN NULL ELSE 'Hors priorités' END, gen_random_uuid()
       FROM application_requests r JOIN grant_applications a ON a.id = r.application_id JOIN k ON k.id = a.contract_id`,
  );
  const ids = await client.query<{ idx: string; campaign_id: string; contract_id: string }>(
    'SELECT idx, campaign_id, contract_id FROM c WHERE idx IN (1, 2) ORDER BY idx',
  );
  await client.query('COMMIT');
  await client.query('ANALYZE');
  return {
    mediumCampaignId: ids.rows[0].campaign_id,
    mediumContractId: ids.rows[0].contract_id,
    largeCampaignId: ids.rows[1].campaign_id,
    largeContractId: ids.rows[1].contract_id,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
}
