import type { TestApp } from '../support/test-app.js';
import { loginAdmin } from '../support/test-app.js';

const day = 24 * 3600 * 1000;
const isoDate = (offsetDays: number): string =>
  new Date(Date.now() + offsetDays * day).toISOString().slice(0, 10);
const instant = (offsetDays: number): string => new Date(Date.now() + offsetDays * day).toISOString();

/** A calendar around now: opened yesterday, submissions for 30 days, then instruction, COTECH, COPIL, reports. */
export function campaignBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    year: 2027,
    title: 'Appel à projets 2027 du contrat de ville',
    opensAt: instant(-1),
    submissionDeadline: instant(30),
    reviewDeadline: instant(60),
    cotechDate: isoDate(70),
    copilDate: isoDate(80),
    reportDeadline: instant(500),
    ...overrides,
  };
}

export const DEFAULT_ENVELOPES = [
  { partnerCode: 'E', themeCode: 'EMP', amountCents: 50_000_00 },
  { partnerCode: 'E', amountCents: 100_000_00 },
  { partnerCode: 'V', amountCents: 80_000_00 },
  { partnerCode: 'CAF', themeCode: 'EDU', amountCents: 40_000_00 },
  { partnerCode: 'CD', amountCents: 30_000_00 },
];

/** Creates a campaign through the API as the city team, sets its envelopes and (by default) opens it. */
export async function createCampaign(
  t: TestApp,
  options: {
    body?: Record<string, unknown>;
    envelopes?: unknown[];
    open?: boolean;
    adminToken?: string;
  } = {},
): Promise<{ id: string; adminToken: string }> {
  // Another contract's city team, when given; the seeded contract's first one otherwise.
  const adminToken = options.adminToken ?? (await loginAdmin(t));
  const created = await t
    .http()
    .post('/api/v1/campaigns')
    .set('authorization', `Bearer ${adminToken}`)
    .send(campaignBody(options.body))
    .expect(201);
  const id = created.body.id as string;
  await t
    .http()
    .put(`/api/v1/campaigns/${id}/envelopes`)
    .set('authorization', `Bearer ${adminToken}`)
    .send({ envelopes: options.envelopes ?? DEFAULT_ENVELOPES })
    .expect(200);
  if (options.open !== false)
    await t
      .http()
      .post(`/api/v1/campaigns/${id}/open`)
      .set('authorization', `Bearer ${adminToken}`)
      .expect(200);
  return { id, adminToken };
}
