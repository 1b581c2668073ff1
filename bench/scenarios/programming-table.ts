/** The programming table and the national summary through their routes, each beside the repositories’ bare calls. */
import { createDataSource } from '../../src/database/data-source.js';
import { envelopesByPartner } from '../../src/modules/campaigns/envelopes.repository.js';
import {
  ProgrammingRepository,
  WHOLE_PROGRAMMING,
} from '../../src/modules/programming/programming.repository.js';
import { NationalRepository } from '../../src/modules/national/national.repository.js';
import { quick, scale, DATABASE_URL, BASE, ms, tableFigures } from '../support.js';
import type { BenchContext } from './context.js';

export async function programmingTable(ctx: BenchContext): Promise<void> {
  const { client, data, figures, cityMedium, cityLarge, nationalToken } = ctx;
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
  const paired = async (runs: number, route: () => Promise<Response>, statements: () => Promise<unknown>) => {
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
          programmingRepository.tableSections(campaignId, WHOLE_PROGRAMMING),
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
}
