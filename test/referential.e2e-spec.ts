import { createTestApp, TestApp } from './support/test-app.js';
import { registerAssociation } from './factories/account.factory.js';
import { seedAll } from '../src/database/setup.js';
import { TEST_ADMIN } from './support/constants.js';

interface Theme {
  code: string;
  label: string;
  stakes: {
    id: string;
    label: string;
    measures: { id: string; label: string; leadPartners: string[]; partners: string[] }[];
  }[];
}

/** Counts read off the protocol's six tables (see seeds/README.md for how the marks were read). */
const PROTOCOL = {
  EMP: { label: 'Emploi', stakes: 3, measures: 14 },
  SEC: { label: 'Prévention et sécurité', stakes: 2, measures: 11 },
  EDU: { label: 'Éducation et parentalité', stakes: 2, measures: 12 },
  SOL: { label: 'Solidarité et lien social', stakes: 4, measures: 12 },
  CDV: { label: 'Cadre de vie et environnement', stakes: 2, measures: 5 },
  LOG: { label: 'Logement', stakes: 2, measures: 3 },
};

describe('referential of the protocol, read through the API', () => {
  let t: TestApp;
  let token: string;
  let themes: Theme[];
  const measure = (fragment: string) => {
    const found = themes
      .flatMap((theme) => theme.stakes.flatMap((stake) => stake.measures))
      .filter((m) => m.label.includes(fragment));
    expect(found).toHaveLength(1);
    return found[0];
  };

  beforeAll(async () => {
    t = await createTestApp();
    token = (await registerAssociation(t)).token; // any user may read the referential
    const response = await t.http().get('/api/v1/themes').set('authorization', `Bearer ${token}`).expect(200);
    themes = response.body.items;
    expect(response.body.total).toBe(6);
  });
  afterAll(async () => {
    await t.close();
  });

  it('has the six themes in the protocol order, each with its stakes and measures', () => {
    expect(themes.map((theme) => theme.code)).toEqual(Object.keys(PROTOCOL));
    for (const theme of themes) {
      const expected = PROTOCOL[theme.code as keyof typeof PROTOCOL];
      expect({
        code: theme.code,
        label: theme.label,
        stakes: theme.stakes.length,
        measures: theme.stakes.flatMap((s) => s.measures).length,
      }).toEqual({
        code: theme.code,
        ...expected,
      });
    }
  });

  it('gives every measure at least one chef de file', () => {
    const measures = themes.flatMap((theme) => theme.stakes.flatMap((stake) => stake.measures));
    expect(measures).toHaveLength(57);
    expect(measures.filter((m) => m.leadPartners.length === 0)).toEqual([]);
  });

  it('names the stakes of Emploi as the protocol does', () => {
    expect(themes[0].stakes.map((stake) => stake.label)).toEqual([
      "Renforcer l'accompagnement vers l'insertion professionnelle",
      "Faciliter la création d'entreprises",
      'Faciliter la mobilité',
    ]);
  });

  it('carries the partners of several measures as the tables mark them', () => {
    expect(measure('Valorisation de la garantie jeunes')).toMatchObject({
      leadPartners: ['E'],
      partners: ['ML', 'PE'],
    });
    expect(measure('Maintenir la prévention spécialisée')).toMatchObject({
      leadPartners: ['AGG', 'CD', 'V'],
      partners: [],
    });
    expect(measure('marche exploratoire')).toMatchObject({
      leadPartners: ['DDF', 'V'],
      partners: ['BAILLEURS'],
    });
    expect(measure('contrat local de santé')).toMatchObject({
      leadPartners: ['ARS', 'CAF', 'CD', 'V'],
      partners: ['CPAM'],
    });
    expect(measure('Rénovation des aires de jeux')).toMatchObject({
      leadPartners: ['V'],
      partners: ['BAILLEURS', 'CR', 'DPT'],
    });
    expect(measure('responsabilisation dans les collèges')).toMatchObject({
      leadPartners: ['EN'],
      partners: ['ADSEA', 'DESJ'],
    });
    expect(measure('Lever un des freins')).toMatchObject({
      leadPartners: ['CAF', 'E', 'V'],
      partners: ['AGG', 'DEEI'],
    });
    expect(measure('(CTEAC)')).toMatchObject({ leadPartners: ['DRAC'], partners: ['DCP'] });
  });

  it('lists the partners of the legend with their parents and the financers', async () => {
    const response = await t
      .http()
      .get('/api/v1/partners')
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    const byCode = new Map<string, { parentCode?: string; isFinancer: boolean; kind: string }>(
      response.body.items.map((partner: { code: string }) => [partner.code, partner]),
    );
    for (const service of ['EN', 'DRAC', 'DRJSCS', 'ARS']) expect(byCode.get(service)?.parentCode).toBe('E');
    for (const direction of ['DPT', 'DCP', 'DEEI', 'DESJ', 'DEF', 'MDA', 'MN', 'MS', 'PI', 'CMS']) {
      expect(byCode.get(direction)).toMatchObject({ parentCode: 'CD', kind: 'DEPARTMENT_DIRECTION' });
    }
    for (const other of ['PE', 'ML', 'ADSEA', 'CPAM', 'BAILLEURS']) expect(byCode.has(other)).toBe(true);
    const financers = response.body.items
      .filter((p: { isFinancer: boolean }) => p.isFinancer)
      .map((p: { code: string }) => p.code);
    expect(financers.sort()).toEqual(['AGG', 'CAF', 'CD', 'CR', 'E', 'V']);
    expect(byCode.get('E')?.parentCode).toBeUndefined();
  });

  it('names the signatories as the protocol does: the Ministère de la Justice, « S.D.H » without an invented expansion', async () => {
    const response = await t
      .http()
      .get('/api/v1/partners')
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    const byCode = new Map<string, { name: string; parentCode?: string }>(
      response.body.items.map((partner: { code: string }) => [partner.code, partner]),
    );
    expect(byCode.get('MJ')).toMatchObject({ name: 'Ministère de la Justice', parentCode: 'E' });
    expect(byCode.get('SDH')?.name).toBe('S.D.H');
  });

  it('gives the measures the protocol’s words, not shortened ones', () => {
    // The one that lost « lutte contre les discriminations », and the others cut short.
    expect(measure('soutien à la parentalité par le développement').label).toMatch(
      /valorisant les compétences et ressources des parents .*lutte contre les discriminations\)\.$/,
    );
    expect(measure('Lever un des freins').label).toContain("dans une logique d'investissement social");
    expect(measure("Structuration d'une offre enfance jeunesse").label).toContain(
      "par la promotion d'actions favorisant une offre jeunesse de qualité",
    );
    expect(measure('Renforcement de la cohésion sociale').label).toContain(
      'par la promotion de projets favorisant la participation des habitants',
    );
    expect(measure('équipe de soirée').label).toContain('ayant pour vocation de mettre en œuvre');
    expect(measure('appropriation de leur cadre de vie').label).toContain('en mettant en place des projets');
    // « PRE » is the Programme de réussite éducative in the nomenclature: not this theme's code.
    expect(themes.map((theme) => theme.code)).not.toContain('PRE');
  });

  it('says which contract and period the protocol belongs to, and which contract the deployment serves', async () => {
    const [contract] = await t.dataSource.query(
      `SELECT code, period_start::text AS "periodStart", period_end::text AS "periodEnd",
              protocol_title AS "protocolTitle", protocol_contract_code AS "protocolContractCode",
              protocol_period_start::text AS "protocolPeriodStart", protocol_period_end::text AS "protocolPeriodEnd"
         FROM contracts WHERE code = 'CN02601I'`,
    );
    expect(contract).toEqual({
      code: 'CN02601I',
      periodStart: '2024-01-01',
      periodEnd: '2030-12-31',
      protocolTitle: 'Protocole renforcé et réciproque du contrat de ville de Montélimar – Agglo',
      protocolContractCode: 'CV077',
      protocolPeriodStart: '2015-01-01',
      protocolPeriodEnd: '2022-12-31',
    });
  });

  it('lists the three QPV of Montélimar with their official codes and the protocol names', async () => {
    const response = await t.http().get('/api/v1/qpvs').set('authorization', `Bearer ${token}`).expect(200);
    expect(response.body).toEqual({
      total: 3,
      items: [
        {
          code: 'QN02602M',
          name: 'Quartiers Ouest',
          commune: 'Montélimar',
          population: null,
          formerNames: ['Quartier ouest', 'Pracomtal'],
        },
        {
          code: 'QN02603M',
          name: 'Nocaze',
          commune: 'Montélimar',
          population: null,
          formerNames: ['Nocaze'],
        },
        {
          code: 'QN02604M',
          name: 'Centre Historique',
          commune: 'Montélimar',
          population: null,
          formerNames: ['Centre ancien'],
        },
      ],
    });
  });

  it('keeps the other QPV of the Drôme as data for a neighbouring contract', async () => {
    const rows = await t.dataSource.query('SELECT code, contract_id FROM qpvs ORDER BY code');
    expect(rows).toHaveLength(12);
    expect(rows.filter((row: { contract_id: string | null }) => row.contract_id === null)).toHaveLength(9);
  });

  it('pages lists with limit and offset', async () => {
    const response = await t
      .http()
      .get('/api/v1/partners?limit=5&offset=5')
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    expect(response.body.items).toHaveLength(5);
    expect(response.body.total).toBeGreaterThan(25);
  });

  it('answers 401 without a token', async () => {
    await t.http().get('/api/v1/themes').expect(401);
  });

  it('seeds twice to the same rows and ids', async () => {
    const snapshot = () =>
      t.dataSource.query(`
        SELECT (SELECT json_agg(id ORDER BY id) FROM measures) AS measures,
               (SELECT json_agg(id ORDER BY id) FROM partners) AS partners,
               (SELECT count(*) FROM measure_partners) AS links,
               (SELECT count(*) FROM qpvs) AS qpvs,
               (SELECT count(*) FROM users) AS users`);
    const before = await snapshot();
    await seedAll(t.dataSource, TEST_ADMIN);
    await seedAll(t.dataSource, TEST_ADMIN);
    expect(await snapshot()).toEqual(before);
  });
});
