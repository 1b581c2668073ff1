import { createTestApp, loginAdmin, TestApp } from './support/test-app.js';
import { createCampaign } from './factories/campaign.factory.js';
import { createStaffUser, registerAssociation, Account } from './factories/account.factory.js';
import {
  applicationBody,
  CERTIFICATION,
  createReadyDraft,
  stakeOf,
  upload,
} from './factories/application.factory.js';
import { GrantApplicationEntity } from '../src/modules/applications/application.entity.js';
import { CampaignEntity } from '../src/modules/campaigns/campaign.entity.js';

describe('applications', () => {
  let t: TestApp;
  let admin: string;
  let campaignId: string;
  let assoA: Account;
  let assoB: Account;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await createTestApp();
    admin = await loginAdmin(t);
    campaignId = (await createCampaign(t)).id;
    assoA = await registerAssociation(t, 'Centre social Pracomtal');
    assoB = await registerAssociation(t, 'Les Jardins de Nocaze');
  });
  afterAll(async () => {
    await t.close();
  });

  const submit = (token: string, id: string, body: object = CERTIFICATION) =>
    t.http().post(`/api/v1/applications/${id}/submit`).set(auth(token)).send(body);

  it('takes a whole application from draft to submission, storing its checks and history', async () => {
    const ids = await stakeOf(t, assoA.token, 'EMP');
    const created = await t
      .http()
      .post(`/api/v1/campaigns/${campaignId}/applications`)
      .set(auth(assoA.token))
      .send(applicationBody(ids))
      .expect(201);
    expect(created.body).toMatchObject({
      status: 'DRAFT',
      themeCode: 'EMP',
      qpvCodes: ['QN02602M', 'QN02604M'],
      totalChargesCents: 20_000_00,
      totalProductsCents: 20_000_00,
      requests: [
        { partnerCode: 'E', requestedCents: 8_000_00 },
        { partnerCode: 'V', requestedCents: 7_000_00 },
      ],
      holder: { name: 'Centre social Pracomtal', legalRepresentative: 'Camille Durand' },
    });
    expect(created.body.reference).toMatch(/^2027-EMP-\d{4}$/);
    // A draft shows its live checks: the documents are still missing.
    expect(
      created.body.checks.find((check: { rule: string }) => check.rule === 'REQUIRED_DOCUMENTS'),
    ).toMatchObject({ status: 'FAIL', blocking: true });

    for (const kind of ['STATUTES', 'BANK_DETAILS'])
      await upload(t, assoA.token, created.body.id, kind).expect(201);
    const submitted = await submit(assoA.token, created.body.id).expect(200);
    expect(submitted.body).toMatchObject({
      status: 'SUBMITTED',
      certification: {
        signatoryName: 'Camille Durand',
        signatoryRole: 'Présidente',
        certifiesAccuracy: true,
        republicanCommitmentSigned: true,
      },
    });
    expect(submitted.body.submittedAt).toEqual(expect.any(String));
    expect(submitted.body.checks.filter((check: { blocking: boolean }) => check.blocking)).toEqual([]);
    expect(
      submitted.body.history.map((step: { fromStatus: string | null; toStatus: string }) => [
        step.fromStatus,
        step.toStatus,
      ]),
    ).toEqual([
      [null, 'DRAFT'],
      ['DRAFT', 'SUBMITTED'],
    ]);
    const stored = await t.dataSource
      .getRepository(GrantApplicationEntity)
      .findOneByOrFail({ id: created.body.id });
    expect(stored.checks?.length).toBeGreaterThan(10);

    // Frozen once submitted.
    const locked = await t
      .http()
      .patch(`/api/v1/applications/${created.body.id}`)
      .set(auth(assoA.token))
      .send({ title: 'Autre titre' })
      .expect(409);
    expect(locked.body.details[0].code).toBe('APPLICATION_LOCKED');
    await submit(assoA.token, created.body.id).expect(409);
  });

  describe('blocking rules at submission', () => {
    const refused = async (overrides: Record<string, unknown>, withDocuments = true) => {
      const draft = withDocuments
        ? await createReadyDraft(t, assoA.token, campaignId, overrides)
        : (
            await t
              .http()
              .post(`/api/v1/campaigns/${campaignId}/applications`)
              .set(auth(assoA.token))
              .send(applicationBody(await stakeOf(t, assoA.token, 'EMP'), overrides))
              .expect(201)
          ).body;
      const response = await submit(assoA.token, draft.id).expect(422);
      const stored = await t.dataSource
        .getRepository(GrantApplicationEntity)
        .findOneByOrFail({ id: draft.id });
      expect(stored.status).toBe('DRAFT'); // nothing changed
      expect(stored.submittedAt).toBeNull();
      expect(response.body.statusCode).toBe(422);
      return (response.body.details as { code: string; field: string }[]).map((detail) => detail.code);
    };

    it('refuses an unbalanced budget with BUDGET_UNBALANCED', async () => {
      const body = applicationBody({ stakeId: 'x' });
      const budget = body.budget as { products: { amountCents: number }[] };
      budget.products[2].amountCents -= 1;
      expect(await refused({ budget })).toEqual(['BUDGET_UNBALANCED']);
    });

    it('refuses an action with no QPV with QPV_REQUIRED', async () => {
      expect(await refused({ qpvCodes: [] })).toEqual(['QPV_REQUIRED']);
    });

    it('refuses a request to a partner outside the campaign with FINANCER_NOT_IN_CAMPAIGN', async () => {
      const body = applicationBody({ stakeId: 'x' });
      const budget = body.budget as { products: { partnerCode?: string }[] };
      budget.products[1].partnerCode = 'CR'; // the Région puts no envelope in this campaign
      expect(await refused({ budget })).toEqual(['FINANCER_NOT_IN_CAMPAIGN']);
    });

    it('refuses one financer asked for more than 80 % with SINGLE_FINANCER_SHARE_EXCEEDED', async () => {
      const budget = {
        charges: [{ account: '64', label: 'Salaires', amountCents: 10_000_00 }],
        products: [
          { account: '74', label: 'Ville', amountCents: 9_000_00, partnerCode: 'V' },
          { account: '75', label: 'Fonds propres', amountCents: 1_000_00 },
        ],
      };
      expect(await refused({ budget })).toEqual(['SINGLE_FINANCER_SHARE_EXCEEDED']);
    });

    it('refuses missing priority statements', async () => {
      const priorities = {
        genderEquality: { marker: 1, measures: '' },
        youth: { measures: '' },
        antiDiscrimination: { measures: '' },
      };
      // The three transversal priorities block alike (« L'ensemble des actions doivent satisfaire aux priorités transversales »).
      expect(await refused({ priorities })).toEqual([
        'GENDER_EQUALITY_STATEMENT_MISSING',
        'ANTI_DISCRIMINATION_STATEMENT_MISSING',
        'YOUTH_STATEMENT_MISSING',
      ]);
    });

    it('refuses an application without its required documents with DOCUMENTS_MISSING', async () => {
      expect(await refused({}, false)).toEqual(['DOCUMENTS_MISSING']);
    });

    it('lists every blocking failure at once', async () => {
      const body = applicationBody({ stakeId: 'x' });
      const budget = body.budget as { charges: { amountCents: number }[] };
      budget.charges[0].amountCents += 50;
      expect(await refused({ qpvCodes: [], budget }, false)).toEqual([
        'BUDGET_UNBALANCED',
        'QPV_REQUIRED',
        'DOCUMENTS_MISSING',
      ]);
    });

    it('refuses a submission without the attestation with CERTIFICATION_REQUIRED', async () => {
      const draft = await createReadyDraft(t, assoA.token, campaignId);
      for (const body of [
        {},
        { certification: { ...CERTIFICATION.certification, republicanCommitmentSigned: false } },
      ]) {
        const response = await submit(assoA.token, draft.id, body).expect(422);
        expect(response.body.details[0].code).toBe('CERTIFICATION_REQUIRED');
      }
      await submit(assoA.token, draft.id, {
        certification: { ...CERTIFICATION.certification, certifiesAccuracy: 'yes' },
      }).expect(400);
    });

    it('refuses incoherent references with 422 at save', async () => {
      const emp = await stakeOf(t, assoA.token, 'EMP');
      const log = await stakeOf(t, assoA.token, 'LOG');
      const post = (body: Record<string, unknown>) =>
        t.http().post(`/api/v1/campaigns/${campaignId}/applications`).set(auth(assoA.token)).send(body);
      expect((await post(applicationBody({ stakeId: log.stakeId })).expect(422)).body.details[0].code).toBe(
        'STAKE_NOT_IN_THEME',
      );
      expect(
        (await post(applicationBody({ stakeId: emp.stakeId, measureId: log.measureId })).expect(422)).body
          .details[0].code,
      ).toBe('MEASURE_NOT_IN_STAKE');
      expect(
        (await post(applicationBody(emp, { qpvCodes: ['QN02606M'] })).expect(422)).body.details[0].code,
      ).toBe('UNKNOWN_QPV');
      expect(
        (await post(applicationBody(emp, { endDate: '2027-01-01', startDate: '2027-06-01' })).expect(422))
          .body.details[0].code,
      ).toBe('DATES_OUT_OF_ORDER');
      const body = applicationBody(emp);
      (body.budget as { products: { partnerCode?: string }[] }).products[2].partnerCode = 'V';
      expect((await post(body).expect(422)).body.details[0].code).toBe('FINANCER_ON_NON_SUBSIDY_LINE');
    });
  });

  it('refuses a draft without title or theme with 400 REQUIRED (not a server error)', async () => {
    const response = await t
      .http()
      .post(`/api/v1/campaigns/${campaignId}/applications`)
      .set(auth(assoA.token))
      .send({})
      .expect(400);
    expect(
      response.body.details.map((detail: { field: string; code: string }) => [detail.field, detail.code]),
    ).toEqual([
      ['title', 'REQUIRED'],
      ['themeCode', 'REQUIRED'],
    ]);
  });

  it('refuses a first submission after the deadline with 409, and new drafts too', async () => {
    const { id: lateCampaign } = await createCampaign(t);
    const draft = await createReadyDraft(t, assoA.token, lateCampaign);
    await t.dataSource
      .getRepository(CampaignEntity)
      .update({ id: lateCampaign }, { submissionDeadline: new Date(Date.now() - 60_000) });
    const response = await submit(assoA.token, draft.id).expect(409);
    expect(response.body.details[0].code).toBe('SUBMISSION_CLOSED');
    const create = await t
      .http()
      .post(`/api/v1/campaigns/${lateCampaign}/applications`)
      .set(auth(assoA.token))
      .send(applicationBody(await stakeOf(t, assoA.token, 'EMP')))
      .expect(409);
    expect(create.body.details[0].code).toBe('CAMPAIGN_NOT_OPEN');
  });

  it('returns an application as incomplete and takes it back once amended, then rules on eligibility', async () => {
    const draft = await createReadyDraft(t, assoA.token, campaignId);
    await submit(assoA.token, draft.id).expect(200);
    await t
      .http()
      .post(`/api/v1/applications/${draft.id}/return`)
      .set(auth(assoA.token))
      .send({ message: 'x' })
      .expect(403);
    const returned = await t
      .http()
      .post(`/api/v1/applications/${draft.id}/return`)
      .set(auth(admin))
      .send({ message: 'Merci de joindre le bilan de l’an dernier.' })
      .expect(200);
    expect(returned.body.status).toBe('RETURNED');
    await upload(t, assoA.token, draft.id, 'ACTIVITY_REPORT').expect(201);
    await t
      .http()
      .patch(`/api/v1/applications/${draft.id}`)
      .set(auth(assoA.token))
      .send({ summary: 'Résumé complété.' })
      .expect(200);
    const resubmitted = await submit(assoA.token, draft.id).expect(200);
    expect(resubmitted.body.summary).toBe('Résumé complété.');
    expect(resubmitted.body.history.map((step: { toStatus: string }) => step.toStatus)).toEqual([
      'DRAFT',
      'SUBMITTED',
      'RETURNED',
      'SUBMITTED',
    ]);
    expect(resubmitted.body.history[2].message).toBe('Merci de joindre le bilan de l’an dernier.');

    const noReason = await t
      .http()
      .post(`/api/v1/applications/${draft.id}/eligibility`)
      .set(auth(admin))
      .send({ eligible: false })
      .expect(422);
    expect(noReason.body.details[0].code).toBe('REASON_REQUIRED');
    const eligible = await t
      .http()
      .post(`/api/v1/applications/${draft.id}/eligibility`)
      .set(auth(admin))
      .send({ eligible: true })
      .expect(200);
    expect(eligible.body.status).toBe('ELIGIBLE');
    await t
      .http()
      .post(`/api/v1/applications/${draft.id}/return`)
      .set(auth(admin))
      .send({ message: 'trop tard' })
      .expect(409);
  });

  it('refuses an edit based on a stale version (body or If-Match) with 409, and changes nothing', async () => {
    const draft = await createReadyDraft(t, assoA.token, campaignId);
    const read = await t.http().get(`/api/v1/applications/${draft.id}`).set(auth(assoA.token)).expect(200);
    const version = read.body.version as number;
    // Two tabs read version N; the first saves, the second would overwrite it silently.
    const first = await t
      .http()
      .patch(`/api/v1/applications/${draft.id}`)
      .set(auth(assoA.token))
      .send({ summary: 'Résumé du premier onglet', version })
      .expect(200);
    expect(first.body.version).toBe(version + 1);
    expect(first.headers.etag).toBe(`"${version + 1}"`);
    for (const stale of [
      t.http().patch(`/api/v1/applications/${draft.id}`).send({ summary: 'Second onglet', version }),
      t
        .http()
        .patch(`/api/v1/applications/${draft.id}`)
        .set('if-match', `"${version}"`)
        .send({ summary: 'Second onglet' }),
    ]) {
      const response = await stale.set(auth(assoA.token)).expect(409);
      expect(response.body.details[0].code).toBe('APPLICATION_VERSION_CONFLICT');
      expect(response.body.currentVersion).toBe(version + 1);
    }
    const after = await t.http().get(`/api/v1/applications/${draft.id}`).set(auth(assoA.token)).expect(200);
    expect([after.body.summary, after.body.version]).toEqual(['Résumé du premier onglet', version + 1]);
    // Without a version, an edit still goes through (clients written before the check).
    await t
      .http()
      .patch(`/api/v1/applications/${draft.id}`)
      .set(auth(assoA.token))
      .send({ summary: 'x' })
      .expect(200);
  });

  it('lets the holder withdraw, once', async () => {
    const draft = await createReadyDraft(t, assoA.token, campaignId);
    await submit(assoA.token, draft.id).expect(200);
    expect(
      (await t.http().post(`/api/v1/applications/${draft.id}/withdraw`).set(auth(assoA.token)).expect(200))
        .body.status,
    ).toBe('WITHDRAWN');
    await t.http().post(`/api/v1/applications/${draft.id}/withdraw`).set(auth(assoA.token)).expect(409);
  });

  it('keeps applications within their organisation, and shows financers only what asks them once submitted', async () => {
    const draft = await createReadyDraft(t, assoA.token, campaignId);
    const [financerE, financerCaf] = [
      await createStaffUser(t, 'FINANCER', 'E'),
      await createStaffUser(t, 'FINANCER', 'CAF'),
    ];

    // Another organisation: 404 everywhere, nothing in its list.
    await t.http().get(`/api/v1/applications/${draft.id}`).set(auth(assoB.token)).expect(404);
    await t
      .http()
      .patch(`/api/v1/applications/${draft.id}`)
      .set(auth(assoB.token))
      .send({ title: 'Volé' })
      .expect(404);
    await submit(assoB.token, draft.id).expect(404);
    await t.http().get(`/api/v1/applications/${draft.id}/checks`).set(auth(assoB.token)).expect(404);
    await upload(t, assoB.token, draft.id, 'OTHER').expect(404);
    const listB = await t.http().get('/api/v1/applications').set(auth(assoB.token)).expect(200);
    expect(listB.body.items.map((item: { id: string }) => item.id)).not.toContain(draft.id);

    // A financer asked does not see a draft; then sees it once submitted. One not asked never does.
    await t.http().get(`/api/v1/applications/${draft.id}`).set(auth(financerE.token)).expect(404);
    await submit(assoA.token, draft.id).expect(200);
    const seen = await t
      .http()
      .get(`/api/v1/applications/${draft.id}`)
      .set(auth(financerE.token))
      .expect(200);
    expect(seen.body.reference).toBe(draft.reference);
    const attachmentId = seen.body.attachments[0].id;
    await t
      .http()
      .get(`/api/v1/applications/${draft.id}/attachments/${attachmentId}`)
      .set(auth(financerE.token))
      .expect(200);
    await t
      .http()
      .get(`/api/v1/applications/${draft.id}/attachments/${attachmentId}`)
      .set(auth(assoB.token))
      .expect(404);
    await t.http().get(`/api/v1/applications/${draft.id}`).set(auth(financerCaf.token)).expect(404);
    const listCaf = await t.http().get('/api/v1/applications').set(auth(financerCaf.token)).expect(200);
    expect(listCaf.body.items.map((item: { id: string }) => item.id)).not.toContain(draft.id);
    const listE = await t
      .http()
      .get(`/api/v1/applications?partnerCode=E&campaignId=${campaignId}`)
      .set(auth(financerE.token))
      .expect(200);
    expect(listE.body.items.map((item: { id: string }) => item.id)).toContain(draft.id);
    expect(listE.body.items.every((item: { status: string }) => item.status !== 'DRAFT')).toBe(true);

    // The city team sees everything, with the contract's filters.
    const byQpv = await t
      .http()
      .get(`/api/v1/applications?qpvCode=QN02604M&themeCode=EMP&status=SUBMITTED`)
      .set(auth(admin))
      .expect(200);
    expect(byQpv.body.items.map((item: { id: string }) => item.id)).toContain(draft.id);
    const none = await t.http().get(`/api/v1/applications?qpvCode=QN02603M`).set(auth(admin)).expect(200);
    expect(none.body.items.map((item: { id: string }) => item.id)).not.toContain(draft.id);
    await t
      .http()
      .post(`/api/v1/campaigns/${campaignId}/applications`)
      .set(auth(financerE.token))
      .send({})
      .expect(403);
  });

  it('numbers past 9999 without truncating: 2030-EMP-10000', async () => {
    const { id } = await createCampaign(t, { body: { year: 2030 } });
    await t.dataSource.query(
      `INSERT INTO reference_counters (contract_id, year, last_number)
       SELECT contract_id, 2030, 9999 FROM campaigns WHERE id = $1`,
      [id],
    );
    const created = await t
      .http()
      .post(`/api/v1/campaigns/${id}/applications`)
      .set(auth(assoB.token))
      .send(applicationBody(await stakeOf(t, assoB.token, 'EMP')))
      .expect(201);
    expect(created.body.reference).toBe('2030-EMP-10000');
  });

  it('gives 30 concurrent creations 30 distinct, consecutive references', async () => {
    const { id } = await createCampaign(t, { body: { year: 2031 } });
    const ids = await stakeOf(t, assoB.token, 'SOL');
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        t
          .http()
          .post(`/api/v1/campaigns/${id}/applications`)
          .set(auth(assoB.token))
          .send(applicationBody(ids, { themeCode: 'SOL', title: `Action ${index}` })),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(30).fill(201));
    const references = responses.map((response) => response.body.reference as string).sort();
    expect(new Set(references).size).toBe(30);
    expect(references[0]).toBe('2031-SOL-0001');
    expect(references[29]).toBe('2031-SOL-0030');
    // A second campaign of the same year continues the numbering.
    const { id: second } = await createCampaign(t, {
      body: { year: 2031, title: 'Appel complémentaire 2031' },
    });
    const next = await t
      .http()
      .post(`/api/v1/campaigns/${second}/applications`)
      .set(auth(assoB.token))
      .send(applicationBody(ids, { themeCode: 'SOL' }))
      .expect(201);
    expect(next.body.reference).toBe('2031-SOL-0031');
  });

  describe('attachments', () => {
    let draftId: string;
    beforeAll(async () => {
      draftId = (await createReadyDraft(t, assoA.token, campaignId)).id;
    });
    const counts = async () =>
      (
        await t.dataSource.query(
          'SELECT (SELECT count(*) FROM attachments) a, (SELECT count(*) FROM attachment_files) f',
        )
      )[0];

    it('stores a PDF with its size and sha256 and gives it back byte for byte with its type', async () => {
      const bytes = Buffer.concat([
        Buffer.from('%PDF-1.7\n'),
        Buffer.alloc(2048, 7),
        Buffer.from('\n%%EOF\n'),
      ]);
      const response = await upload(t, assoA.token, draftId, 'ACCOUNTS', bytes, 'comptes 2025.pdf').expect(
        201,
      );
      expect(response.body).toMatchObject({
        kind: 'ACCOUNTS',
        filename: 'comptes 2025.pdf',
        sizeBytes: bytes.length,
      });
      expect(response.body.sha256).toMatch(/^[0-9a-f]{64}$/);
      const download = await t
        .http()
        .get(`/api/v1/applications/${draftId}/attachments/${response.body.id}`)
        .set(auth(assoA.token))
        .buffer(true)
        .parse((res, callback) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => callback(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(download.headers['content-type']).toBe('application/pdf');
      expect(download.headers['cache-control']).toBe('no-store');
      expect(Buffer.compare(download.body as Buffer, bytes)).toBe(0);
    });

    it('refuses a PNG named .pdf and a text file named .pdf, on their bytes', async () => {
      const before = await counts();
      const { PNG_BYTES } = await import('./factories/application.factory.js');
      const forged = await upload(t, assoA.token, draftId, 'STATUTES', PNG_BYTES, 'statuts.pdf').expect(422);
      expect(forged.body.details[0].code).toBe('FILE_EXTENSION_MISMATCH');
      const script = await upload(
        t,
        assoA.token,
        draftId,
        'STATUTES',
        Buffer.from('#!/bin/sh\nrm -rf /\n'),
        'statuts.pdf',
      ).expect(422);
      expect(script.body.details[0].code).toBe('UNSUPPORTED_FILE_TYPE');
      const empty = await upload(t, assoA.token, draftId, 'STATUTES', Buffer.alloc(0), 'vide.pdf').expect(
        422,
      );
      expect(empty.body.details[0].code).toMatch(/EMPTY_FILE|FILE_REQUIRED/);
      const kind = await upload(t, assoA.token, draftId, 'PASSPORT').expect(422);
      expect(kind.body.details[0].code).toBe('INVALID_ATTACHMENT_KIND');
      expect(await counts()).toEqual(before);
    });

    it('refuses 11 MB with 413 and stores nothing', async () => {
      const before = await counts();
      const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(11 * 1024 * 1024, 1)]);
      const response = await upload(t, assoA.token, draftId, 'OTHER', big, 'gros.pdf').expect(413);
      expect(response.body).toMatchObject({ statusCode: 413, details: [{ code: 'PAYLOAD_TOO_LARGE' }] });
      expect(await counts()).toEqual(before);
    });

    it('keeps only the last segment of a path-traversal name', async () => {
      const response = await upload(
        t,
        assoA.token,
        draftId,
        'OTHER',
        undefined,
        '../../etc/passwd.pdf',
      ).expect(201);
      expect(response.body.filename).toBe('passwd.pdf');
    });

    it('keeps a French file name whole (UTF-8), composed, without direction-changing characters', async () => {
      const french = await upload(
        t,
        assoA.token,
        draftId,
        'BANK_DETAILS',
        undefined,
        'Relevé d’identité bancaire.pdf',
      ).expect(201);
      expect(french.body.filename).toBe('Relevé d’identité bancaire.pdf');
      const download = await t
        .http()
        .get(`/api/v1/applications/${draftId}/attachments/${french.body.id}`)
        .set(auth(assoA.token))
        .expect(200);
      expect(download.headers['content-disposition']).toBe(
        `attachment; filename*=UTF-8''${encodeURIComponent('Relevé d’identité bancaire.pdf')}`,
      );
      const tricky = await upload(t, assoA.token, draftId, 'OTHER', undefined, 'bilan\u202Efdp.pdf').expect(
        201,
      );
      expect(tricky.body.filename).toBe('bilanfdp.pdf');
    });
  });

  it('renews last year’s application into an open campaign, carrying over what stays valid', async () => {
    const source = await createReadyDraft(t, assoA.token, campaignId, {
      startDate: '2027-02-28',
      endDate: '2027-12-31',
    });
    await upload(t, assoA.token, source.id, 'ACCOUNTS').expect(201);
    await submit(assoA.token, source.id).expect(200);
    const { id: nextYear } = await createCampaign(t, { body: { year: 2028, title: 'Appel à projets 2028' } });

    const renewed = await t
      .http()
      .post(`/api/v1/applications/${source.id}/renew`)
      .set(auth(assoA.token))
      .send({ campaignId: nextYear })
      .expect(201);
    const original = await t
      .http()
      .get(`/api/v1/applications/${source.id}`)
      .set(auth(assoA.token))
      .expect(200);
    expect(renewed.body).toMatchObject({
      status: 'DRAFT',
      campaignId: nextYear,
      renewalOf: source.id,
      title: original.body.title,
      themeCode: 'EMP',
      stakeId: original.body.stakeId,
      qpvCodes: original.body.qpvCodes,
      beneficiaries: original.body.beneficiaries,
      priorities: original.body.priorities,
      budget: original.body.budget,
      indicators: original.body.indicators,
      requests: original.body.requests,
      startDate: '2028-02-28',
      endDate: '2028-12-31',
    });
    expect(renewed.body.reference).toMatch(/^2028-EMP-\d{4}$/);
    expect(renewed.body.attachments.map((attachment: { kind: string }) => attachment.kind).sort()).toEqual([
      'BANK_DETAILS',
      'STATUTES',
    ]);
    expect(renewed.body.attachments[0].sha256).toBe(
      original.body.attachments.find((a: { kind: string }) => a.kind === renewed.body.attachments[0].kind)
        .sha256,
    );
    expect(renewed.body.history[0].message).toContain(source.reference);

    await submit(assoA.token, renewed.body.id).expect(200); // ready to go with carried-over documents
    const twice = await t
      .http()
      .post(`/api/v1/applications/${source.id}/renew`)
      .set(auth(assoA.token))
      .send({ campaignId: nextYear })
      .expect(409);
    expect(twice.body.details[0].code).toBe('ALREADY_RENEWED');
    await t
      .http()
      .post(`/api/v1/applications/${source.id}/renew`)
      .set(auth(assoB.token))
      .send({ campaignId: nextYear })
      .expect(404);
  });
});
