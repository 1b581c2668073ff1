import type { TestApp } from '../support/test-app.js';

/** Real file bytes, recognised by their magic numbers. */
export const PDF_BYTES = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
);
export const PNG_BYTES = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

export async function stakeOf(
  t: TestApp,
  token: string,
  themeCode: string,
  stakeIndex = 0,
): Promise<{ stakeId: string; measureId: string }> {
  const themes = await t.http().get('/api/v1/themes').set('authorization', `Bearer ${token}`).expect(200);
  const theme = themes.body.items.find((item: { code: string }) => item.code === themeCode);
  const stake = theme.stakes[stakeIndex];
  return { stakeId: stake.id, measureId: stake.measures[0].id };
}

/** A complete, eligible CERFA 12156 body: 20 000 € of charges, E 8 000 €, V 7 000 €, 5 000 € of own funds. */
export function applicationBody(
  ids: { stakeId: string; measureId?: string },
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    title: 'Chantier éducatif au centre historique',
    summary: 'Un chantier encadré pour remobiliser douze jeunes du quartier.',
    objectives: 'Remobiliser des jeunes sans emploi vers la formation.',
    description: 'Six mois de chantier de rénovation, encadrés par un éducateur technique.',
    themeCode: 'EMP',
    stakeId: ids.stakeId,
    ...(ids.measureId ? { measureId: ids.measureId } : {}),
    qpvCodes: ['QN02604M', 'QN02602M'],
    location: 'Centre historique, Montélimar',
    startDate: '2027-03-01',
    endDate: '2027-12-31',
    beneficiaries: { total: 20, qpvResidents: 15, women: 9, men: 11, byAge: { '16-25': 18, '26-64': 2 } },
    indicators: [
      { label: 'Jeunes accompagnés jusqu’au bout du chantier', unit: 'personnes', targetValue: 10 },
      { label: 'Sorties vers l’emploi ou la formation', unit: '%', targetValue: 40 },
    ],
    priorities: {
      genderEquality: {
        marker: 1,
        measures: 'Recrutement paritaire et horaires compatibles avec la garde d’enfants.',
      },
      youth: { measures: 'Action destinée aux jeunes de 16 à 25 ans.' },
      antiDiscrimination: {
        measures: 'Orientation par la Mission locale sans condition de diplôme ni d’adresse.',
      },
    },
    budget: {
      charges: [
        { account: '64', label: 'Encadrant technique', amountCents: 18_000_00 },
        { account: '60', label: 'Matériaux', amountCents: 2_000_00 },
      ],
      products: [
        { account: '74', label: 'État – politique de la ville', amountCents: 8_000_00, partnerCode: 'E' },
        { account: '74', label: 'Ville de Montélimar', amountCents: 7_000_00, partnerCode: 'V' },
        { account: '75', label: 'Fonds propres', amountCents: 5_000_00 },
      ],
    },
    ...overrides,
  };
}

export const CERTIFICATION = {
  certification: {
    signatoryName: 'Camille Durand',
    signatoryRole: 'Présidente',
    certifiesAccuracy: true,
    obligationsUpToDate: true,
    budgetApproved: true,
    publicAidDeclared: true,
    paymentToOwnAccount: true,
    republicanCommitmentSigned: true,
  },
};

export function upload(
  t: TestApp,
  token: string,
  applicationId: string,
  kind: string,
  bytes = PDF_BYTES,
  filename = `${kind.toLowerCase()}.pdf`,
) {
  return t
    .http()
    .post(`/api/v1/applications/${applicationId}/attachments`)
    .set('authorization', `Bearer ${token}`)
    .field('kind', kind)
    .attach('file', bytes, filename);
}

/** A draft with its required documents, ready to submit. */
export async function createReadyDraft(
  t: TestApp,
  token: string,
  campaignId: string,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; reference: string }> {
  const ids = await stakeOf(t, token, 'EMP');
  const created = await t
    .http()
    .post(`/api/v1/campaigns/${campaignId}/applications`)
    .set('authorization', `Bearer ${token}`)
    .send(applicationBody(ids, overrides))
    .expect(201);
  for (const kind of ['STATUTES', 'BANK_DETAILS']) await upload(t, token, created.body.id, kind).expect(201);
  return { id: created.body.id, reference: created.body.reference };
}

/** A draft with its documents, submitted by its holder and declared eligible by the city team. */
export async function createEligibleApplication(
  t: TestApp,
  holderToken: string,
  adminToken: string,
  campaignId: string,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const draft = await createReadyDraft(t, holderToken, campaignId, overrides);
  await t
    .http()
    .post(`/api/v1/applications/${draft.id}/submit`)
    .set('authorization', `Bearer ${holderToken}`)
    .send(CERTIFICATION)
    .expect(200);
  await t
    .http()
    .post(`/api/v1/applications/${draft.id}/eligibility`)
    .set('authorization', `Bearer ${adminToken}`)
    .send({ eligible: true })
    .expect(200);
  return draft.id;
}

/**
 * What an end-of-action report of an application made by `applicationBody` says besides its budget (CERFA
 * 15059): the public reached, per QPV too, what was done, each indicator achieved, the dates, the attestation.
 */
export const REPORT_FACTS = {
  beneficiaries: {
    total: 18,
    qpvResidents: 14,
    women: 8,
    men: 10,
    byAge: { '16-25': 18 },
    byQpv: { QN02604M: 9, QN02602M: 5 },
  },
  achievements: 'Dix-huit jeunes accompagnés ; sept ont signé un contrat ou une formation.',
  indicators: [
    { label: 'Jeunes accompagnés jusqu’au bout du chantier', targetValue: 10, achievedValue: 12 },
    { label: 'Sorties vers l’emploi ou la formation', targetValue: 40, achievedValue: 35.5 },
  ],
  actualStartDate: '2027-03-01',
  actualEndDate: '2027-12-20',
  certification: { signatoryName: 'Camille Durand', signatoryRole: 'Présidente', certifiesAccuracy: true },
};
