/** The programming CSV of the large campaign: time and the API’s memory growth. */
import { BASE, ms, round, rssKb } from '../support.js';
import type { BenchContext } from './context.js';

export async function csvExport(ctx: BenchContext): Promise<void> {
  const { api, data, figures, cityLarge } = ctx;
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
}
