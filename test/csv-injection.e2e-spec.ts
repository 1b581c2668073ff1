/**
 * A title typed as a spreadsheet formula must reach both CSV exports (the programming table and the SCDL open
 * data) as text: its cell starts with an apostrophe, so Excel or LibreOffice shows it and runs nothing.
 */
import { parseCsv } from '../src/common/csv.js';
import { createTestApp, loginAdmin, TestApp } from './support/test-app.js';
import { createCampaign } from './factories/campaign.factory.js';
import { registerAssociation } from './factories/account.factory.js';
import { createEligibleApplication } from './factories/application.factory.js';

const FORMULA = '=HYPERLINK("https://example.org/vol","Cliquez ici")';

describe('formula injection in the CSV exports', () => {
  let t: TestApp;
  let admin: string;
  let campaignId: string;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await createTestApp();
    admin = await loginAdmin(t);
    campaignId = (await createCampaign(t)).id;
    const holder = await registerAssociation(t, '@Association +formule');
    const id = await createEligibleApplication(t, holder.token, admin, campaignId, { title: FORMULA });
    await t.http().post(`/api/v1/campaigns/${campaignId}/close-submissions`).set(auth(admin)).expect(200);
    await t
      .http()
      .put(`/api/v1/applications/${id}/decisions`)
      .set(auth(admin))
      .send({
        decisions: [
          { partnerCode: 'E', grantedAmountCents: 1_000_00, reason: 'Accord partiel.' },
          { partnerCode: 'V', grantedAmountCents: 1_000_00, reason: 'Accord partiel.' },
        ],
      })
      .expect(200);
    await t.http().post(`/api/v1/campaigns/${campaignId}/close-programming`).set(auth(admin)).expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it('defuses the title and the holder name in the programming CSV', async () => {
    const response = await t
      .http()
      .get(`/api/v1/campaigns/${campaignId}/programming.csv`)
      .set(auth(admin))
      .expect(200);
    const rows = parseCsv(response.text, ';');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row['Intitulé']).toBe(`'${FORMULA}`);
      expect(row['Porteur']).toBe(`'@Association +formule`);
    }
  });

  it('defuses the title and the holder name in the open data', async () => {
    const response = await t
      .http()
      .get(`/api/v1/campaigns/${campaignId}/open-data.csv?partnerCode=V`)
      .expect(200);
    const [row] = parseCsv(response.text);
    expect(row.objet).toBe(`'${FORMULA}`);
    expect(row.nomBeneficiaire).toBe(`'@Association +formule`);
    expect(response.text).not.toMatch(/[,\n]=HYPERLINK/);
  });
});
