/**
 * The application as CERFA 12156 asks it: the project budget with outside funders and contributions in kind,
 * the holder's SIRET, the sworn statement's commitments, evaluation indicators, the three transversal
 * priorities.
 */
import { createTestApp, login, loginAdmin, TestApp } from './support/test-app.js';
import { emailedToken, makeSiret, registerAssociation, type Account } from './factories/account.factory.js';
import {
  applicationBody,
  CERTIFICATION,
  createReadyDraft,
  stakeOf,
  upload,
} from './factories/application.factory.js';
import { createCampaign } from './factories/campaign.factory.js';

/** An action funded by the État, the CAF, the FSE and a foundation, with 6,000 € of volunteer time (86/87). */
const COFINANCED_BUDGET = {
  charges: [
    { account: '641', label: 'Rémunération des animateurs', amountCents: 15_000_00 },
    { account: '604', label: 'Prestations', amountCents: 3_000_00 },
    { account: 'chgfixe', label: 'Charges fixes de fonctionnement', amountCents: 2_000_00 },
    { account: '864', label: 'Personnel bénévole', amountCents: 6_000_00 },
  ],
  products: [
    { account: '74etat', label: 'État – politique de la ville', amountCents: 8_000_00, partnerCode: 'E' },
    { account: '74orgasoc', label: 'CAF de la Drôme', amountCents: 4_000_00, partnerCode: 'CAF' },
    { account: '74fe', label: 'FSE+', amountCents: 5_000_00, funder: 'Fonds social européen' },
    { account: '74aidespriv', label: 'Fondation', amountCents: 2_000_00, funder: 'Fondation de France' },
    { account: 'insufprevisionnel', label: 'Autofinancement', amountCents: 1_000_00 },
    { account: '870', label: 'Bénévolat', amountCents: 6_000_00 },
  ],
};

describe('the application as the CERFA asks', () => {
  let t: TestApp;
  let admin: string;
  let campaignId: string;
  let asso: Account;
  let ids: { stakeId: string; measureId: string };
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await createTestApp();
    admin = await loginAdmin(t);
    campaignId = (
      await createCampaign(t, {
        adminToken: admin,
        envelopes: [
          { partnerCode: 'E', amountCents: 100_000_00 },
          { partnerCode: 'V', amountCents: 80_000_00 },
          { partnerCode: 'CAF', amountCents: 40_000_00 },
        ],
      })
    ).id;
    asso = await registerAssociation(t);
    ids = await stakeOf(t, asso.token, 'EMP');
  });
  afterAll(async () => {
    await t.close();
  });

  const submit = (token: string, id: string, body: object = CERTIFICATION) =>
    t.http().post(`/api/v1/applications/${id}/submit`).set(auth(token)).send(body);
  const codes = (body: { details: { code: string }[] }) => body.details.map((detail) => detail.code);

  describe('budget', () => {
    it('accepts a co-financed action with outside funders and volunteer time, counted as the CERFA does', async () => {
      const draft = await createReadyDraft(t, asso.token, campaignId, { budget: COFINANCED_BUDGET });
      const submitted = await submit(asso.token, draft.id).expect(200);
      expect(submitted.body).toMatchObject({
        totalChargesCents: 26_000_00,
        totalCostCents: 20_000_00,
        inKindCents: 6_000_00,
        requests: [
          { partnerCode: 'CAF', requestedCents: 4_000_00 },
          { partnerCode: 'E', requestedCents: 8_000_00 },
        ],
      });
      // The État's share is counted on the cost without volunteer time: 8,000 of 20,000.
      const share = submitted.body.checks.find(
        (check: { rule: string }) => check.rule === 'SINGLE_FINANCER_SHARE',
      );
      expect(share.status).toBe('PASS');

      // The COTECH table shows the outside funders, which nobody decides here.
      await t
        .http()
        .post(`/api/v1/applications/${draft.id}/eligibility`)
        .set(auth(admin))
        .send({ eligible: true })
        .expect(200);
      const summary = await t
        .http()
        .get(`/api/v1/campaigns/${campaignId}/review-summary`)
        .set(auth(admin))
        .expect(200);
      const row = summary.body.items.find(
        (item: { applicationId: string }) => item.applicationId === draft.id,
      );
      expect(row).toMatchObject({
        totalCostCents: 20_000_00,
        inKindCents: 6_000_00,
        requestedCents: 12_000_00,
        outsideFunding: [
          { funder: 'Fonds social européen', amountCents: 5_000_00 },
          { funder: 'Fondation de France', amountCents: 2_000_00 },
        ],
      });
      expect(row.financers.map((line: { partnerCode: string }) => line.partnerCode)).toEqual(['CAF', 'E']);
    });

    it('does not let volunteer time dilute a financer’s share', async () => {
      // 17,000 € asked of the État for a 20,000 € action: 85 %, whatever 10,000 € of volunteer time adds.
      const budget = {
        charges: [
          { account: '641', label: 'Salaires', amountCents: 20_000_00 },
          { account: '864', label: 'Personnel bénévole', amountCents: 10_000_00 },
        ],
        products: [
          { account: '74etat', label: 'État', amountCents: 17_000_00, partnerCode: 'E' },
          { account: '756', label: 'Cotisations', amountCents: 3_000_00 },
          { account: '870', label: 'Bénévolat', amountCents: 10_000_00 },
        ],
      };
      const draft = await createReadyDraft(t, asso.token, campaignId, { budget });
      const refused = await submit(asso.token, draft.id).expect(422);
      expect(codes(refused.body)).toEqual(['SINGLE_FINANCER_SHARE_EXCEEDED']);
      // Named as associations know it, not by its code.
      expect(refused.body.details[0].message).toMatch(/^État .*porterait 85/);
    });

    it('refuses a 74 line naming no funder, or both kinds, and unbalanced contributions in kind, saving nothing', async () => {
      const body = applicationBody(ids, {
        budget: {
          charges: [
            { account: '641', label: 'Salaires', amountCents: 10_000_00 },
            { account: '864', label: 'Bénévolat', amountCents: 1_000_00 },
          ],
          products: [
            { account: '74', label: 'Quelqu’un', amountCents: 5_000_00 },
            { account: '74fe', label: 'FSE', amountCents: 5_000_00, partnerCode: 'E', funder: 'FSE' },
            { account: '870', label: 'Bénévolat', amountCents: 500_00 },
          ],
        },
      });
      const before = await t.dataSource.query('SELECT count(*)::int AS n FROM grant_applications');
      const refused = await t
        .http()
        .post(`/api/v1/campaigns/${campaignId}/applications`)
        .set(auth(asso.token))
        .send(body)
        .expect(422);
      expect(codes(refused.body)).toEqual(['FUNDER_REQUIRED', 'FUNDER_REQUIRED', 'IN_KIND_UNBALANCED']);
      expect(await t.dataSource.query('SELECT count(*)::int AS n FROM grant_applications')).toEqual(before);
    });

    it('refuses an account the CERFA budget does not have', async () => {
      const refused = await t
        .http()
        .post(`/api/v1/campaigns/${campaignId}/applications`)
        .set(auth(asso.token))
        .send(
          applicationBody(ids, {
            budget: {
              charges: [{ account: '99', label: '?', amountCents: 100 }],
              products: [{ account: '74', label: 'État', amountCents: 100, partnerCode: 'E' }],
            },
          }),
        )
        .expect(400);
      expect(refused.body.details[0].field).toBe('budget.charges.0.account');
    });
  });

  describe('holder and sworn statement', () => {
    /** An organisation registered with its RNA alone, its member's address confirmed. */
    async function rnaOnly(legalForm = 'Association loi 1901'): Promise<Account> {
      const email = `rna-${Math.random().toString(36).slice(2)}@asso.fr`;
      const rna = `W26${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
      await t
        .http()
        .post('/api/v1/auth/register')
        .send({
          email,
          password: 'un-mot-de-passe-long',
          displayName: 'Camille Durand',
          organization: {
            name: 'Structure sans SIRET',
            legalForm,
            rna,
            address: '1 rue Pierre Julien, 26200 Montélimar',
            legalRepresentative: 'Camille Durand',
            contactEmail: email,
          },
        })
        .expect(201);
      await t
        .http()
        .post('/api/v1/auth/confirm-email')
        .send({ token: await emailedToken(t, 'EMAIL_CONFIRMATION', email) })
        .expect(204);
      return { email, userId: '', token: await login(t, email, 'un-mot-de-passe-long') };
    }

    it('needs a SIRET to submit, says how to get one, and lets the organisation add it later', async () => {
      const holder = await rnaOnly();
      const draft = await createReadyDraft(t, holder.token, campaignId);
      const refused = await submit(holder.token, draft.id).expect(422);
      expect(refused.body.details[0]).toMatchObject({ code: 'SIRET_REQUIRED', field: 'organization.siret' });
      expect(refused.body.details[0].message).toContain('INSEE');

      const invalid = await t
        .http()
        .patch('/api/v1/organizations/mine')
        .set(auth(holder.token))
        .send({ siret: '12345678901234' })
        .expect(400);
      expect(invalid.body.details[0]).toMatchObject({ field: 'siret', code: 'INVALID_SIRET' });
      const siret = makeSiret();
      const updated = await t
        .http()
        .patch('/api/v1/organizations/mine')
        .set(auth(holder.token))
        .send({ siret: `${siret.slice(0, 3)} ${siret.slice(3, 6)} ${siret.slice(6, 9)} ${siret.slice(9)}` })
        .expect(200);
      expect(updated.body.siret).toBe(siret);
      await submit(holder.token, draft.id).expect(200);
    });

    it('asks every commitment of the CERFA’s sworn statement, and keeps them with the submission', async () => {
      const draft = await createReadyDraft(t, asso.token, campaignId);
      const partial = {
        certification: {
          ...CERTIFICATION.certification,
          obligationsUpToDate: false,
          publicAidDeclared: undefined,
        },
      };
      const refused = await submit(asso.token, draft.id, partial).expect(422);
      expect(refused.body.details.map((detail: { field: string }) => detail.field)).toEqual([
        'certification.obligationsUpToDate',
        'certification.publicAidDeclared',
      ]);
      const submitted = await submit(asso.token, draft.id).expect(200);
      expect(submitted.body.certification).toMatchObject({
        signatoryName: 'Camille Durand',
        certifiesAccuracy: true,
        obligationsUpToDate: true,
        budgetApproved: true,
        publicAidDeclared: true,
        paymentToOwnAccount: true,
        republicanCommitmentSigned: true,
      });
    });

    it('asks a power of attorney of a signatory who is not the legal representative', async () => {
      const draft = await createReadyDraft(t, asso.token, campaignId);
      const byTreasurer = {
        certification: {
          ...CERTIFICATION.certification,
          signatoryName: 'Louis Perrin',
          signatoryRole: 'Trésorier',
        },
      };
      const refused = await submit(asso.token, draft.id, byTreasurer).expect(422);
      expect(codes(refused.body)).toEqual(['POWER_OF_ATTORNEY_REQUIRED']);
      await upload(t, asso.token, draft.id, 'POWER_OF_ATTORNEY').expect(201);
      await submit(asso.token, draft.id, byTreasurer).expect(200);
    });

    it('asks the contrat d’engagement républicain of associations, not of a social landlord', async () => {
      const withoutCommitment = {
        certification: { ...CERTIFICATION.certification, republicanCommitmentSigned: false },
      };
      const association = await createReadyDraft(t, asso.token, campaignId);
      const refused = await submit(asso.token, association.id, withoutCommitment).expect(422);
      expect(refused.body.details[0]).toMatchObject({
        code: 'CERTIFICATION_REQUIRED',
        field: 'certification.republicanCommitmentSigned',
      });

      const landlord = await rnaOnly('SA d’HLM');
      await t
        .http()
        .patch('/api/v1/organizations/mine')
        .set(auth(landlord.token))
        .send({ siret: makeSiret() })
        .expect(200);
      const draft = await createReadyDraft(t, landlord.token, campaignId);
      const submitted = await submit(landlord.token, draft.id, withoutCommitment).expect(200);
      expect(submitted.body.certification.republicanCommitmentSigned).toBe(false);
    });
  });

  describe('evaluation indicators', () => {
    it('needs at least one to submit, at most ten, and shows them with the application', async () => {
      const draft = await createReadyDraft(t, asso.token, campaignId, { indicators: [] });
      const refused = await submit(asso.token, draft.id).expect(422);
      expect(codes(refused.body)).toEqual(['INDICATORS_REQUIRED']);

      const eleven = Array.from({ length: 11 }, (_, index) => ({
        label: `Indicateur ${index + 1}`,
        unit: 'personnes',
        targetValue: 10,
      }));
      await t
        .http()
        .patch(`/api/v1/applications/${draft.id}`)
        .set(auth(asso.token))
        .send({ indicators: eleven })
        .expect(400);
      const indicators = [{ label: 'Familles accompagnées', unit: 'familles', targetValue: 25 }];
      await t
        .http()
        .patch(`/api/v1/applications/${draft.id}`)
        .set(auth(asso.token))
        .send({ indicators })
        .expect(200);
      const submitted = await submit(asso.token, draft.id).expect(200);
      expect(submitted.body.indicators).toEqual(indicators);
    });
  });
});
