import { PDFParse } from 'pdf-parse';
import { createTestApp, loginAdmin, TestApp } from './support/test-app.js';
import { eventually, SmtpSink } from './support/smtp-sink.js';
import { createCampaign } from './factories/campaign.factory.js';
import { Account, registerAssociation } from './factories/account.factory.js';
import { CERTIFICATION, createReadyDraft } from './factories/application.factory.js';
import { CampaignEntity } from '../src/modules/campaigns/campaign.entity.js';

const binary = (
  res: import('superagent').Response,
  callback: (error: Error | null, body: Buffer) => void,
) => {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
};

describe('background jobs with a real worker, Redis and SMTP server', () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let admin: string;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const RECEIPT = /^Accusé de réception/;
  const RETURNED = /à compléter$/;
  const READY = /^Votre convention/;
  const notifications = async (query = '') =>
    (await t.http().get(`/api/v1/notifications${query}`).set(auth(admin)).expect(200)).body.items;

  beforeAll(async () => {
    await sink.start();
    t = await createTestApp({
      WORKER_IN_PROCESS: 'true',
      SMTP_URL: sink.url,
      MAIL_RETRY_BASE_MS: '200',
      MAIL_ATTEMPTS: '4',
      OUTBOX_SWEEP_MS: '500',
    });
    admin = await loginAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  async function submitted(asso: Account, campaignId: string, overrides: Record<string, unknown> = {}) {
    const draft = await createReadyDraft(t, asso.token, campaignId, overrides);
    await t
      .http()
      .post(`/api/v1/applications/${draft.id}/submit`)
      .set(auth(asso.token))
      .send(CERTIFICATION)
      .expect(200);
    // The acknowledgement of receipt goes out first; the tests below look at the emails that follow it.
    await eventually(() => sink.to(asso.email, RECEIPT).length === 1);
    return draft.id;
  }

  /** A submitted application returned to its holder while the SMTP server is stopped. */
  async function returnedWhileSmtpDown(year: number, name: string, message: string) {
    const { id } = await createCampaign(t, { body: { year } });
    const asso = await registerAssociation(t, name);
    const appId = await submitted(asso, id);
    await sink.stop();
    await t
      .http()
      .post(`/api/v1/applications/${appId}/return`)
      .set(auth(admin))
      .send({ message })
      .expect(200);
    return { asso, appId };
  }

  it('emails the holder once when its application is returned', async () => {
    const { id } = await createCampaign(t);
    const asso = await registerAssociation(t, 'Amicale du Quartier Ouest');
    const appId = await submitted(asso, id);
    await t
      .http()
      .post(`/api/v1/applications/${appId}/return`)
      .set(auth(admin))
      .send({ message: 'Joignez le budget détaillé, s’il vous plaît.' })
      .expect(200);
    const [mail] = await eventually(() =>
      sink.to(asso.email, RETURNED).length ? sink.to(asso.email, RETURNED) : undefined,
    );
    expect(mail.subject).toMatch(/^Dossier 2027-EMP-\d{4} à compléter$/);
    expect(mail.text).toContain('Joignez le budget détaillé, s’il vous plaît.');
    expect(mail.html).toContain('Amicale du Quartier Ouest');
    const [row] = await eventually(async () => {
      const rows = await notifications(`?applicationId=${appId}&type=APPLICATION_RETURNED&status=SENT`);
      return rows.length ? rows : undefined;
    });
    expect(row).toMatchObject({
      type: 'APPLICATION_RETURNED',
      to: asso.email,
      status: 'SENT',
      dedupeKey: expect.stringMatching(/^returned:/),
    });
    await new Promise((resolve) => setTimeout(resolve, 1000)); // sweeps run meanwhile
    expect(sink.to(asso.email, RETURNED)).toHaveLength(1);
  });

  describe('closing a programming', () => {
    let campaignId: string;
    let holders: Account[];
    let appIds: string[];

    beforeAll(async () => {
      campaignId = (await createCampaign(t, { body: { year: 2029 } })).id;
      holders = [
        await registerAssociation(t, 'Maison des Services Nocaze'),
        await registerAssociation(t, 'Théâtre de l’Échelle'),
      ];
      appIds = [await submitted(holders[0], campaignId), await submitted(holders[1], campaignId)];
      for (const appId of appIds)
        await t
          .http()
          .post(`/api/v1/applications/${appId}/eligibility`)
          .set(auth(admin))
          .send({ eligible: true })
          .expect(200);
      await t.http().post(`/api/v1/campaigns/${campaignId}/close-submissions`).set(auth(admin)).expect(200);
      await t
        .http()
        .put(`/api/v1/applications/${appIds[0]}/decisions`)
        .set(auth(admin))
        .send({
          decisions: [
            { partnerCode: 'E', grantedAmountCents: 8_000_00 },
            { partnerCode: 'V', grantedAmountCents: 6_500_50, reason: 'Enveloppe contrainte.' },
          ],
        })
        .expect(200);
      await t
        .http()
        .put(`/api/v1/applications/${appIds[1]}/decisions`)
        .set(auth(admin))
        .send({
          decisions: [
            { partnerCode: 'E', grantedAmountCents: 4_000_00, reason: 'Partiel.' },
            { partnerCode: 'V', grantedAmountCents: 7_000_00 },
          ],
        })
        .expect(200);
      await t.http().post(`/api/v1/campaigns/${campaignId}/close-programming`).set(auth(admin)).expect(200);
    });

    it('generates every convention in the worker and emails each holder that it is ready', async () => {
      for (const [index, appId] of appIds.entries()) {
        const convention = await eventually(async () => {
          const response = await t
            .http()
            .get(`/api/v1/applications/${appId}/convention`)
            .set(auth(holders[index].token))
            .expect(200);
          return response.body.status === 'READY' ? response.body : undefined;
        });
        expect(convention).toMatchObject({
          number: expect.stringMatching(/^CONV-2029-EMP-\d{4}$/),
          sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        });
        const [mail] = await eventually(() =>
          sink.to(holders[index].email, READY).length ? sink.to(holders[index].email, READY) : undefined,
        );
        expect(mail.subject).toBe(`Votre convention ${convention.number} est prête`);
      }
      // French amounts: narrow no-break space between thousands, no-break space before the euro sign.
      expect(sink.to(holders[0].email, READY)[0].text).toContain('14\u202f500,50\u00a0€');
    });

    it('renders a PDF that reads back with the holder, the amounts in French and the accents', async () => {
      const response = await t
        .http()
        .get(`/api/v1/applications/${appIds[0]}/convention.pdf`)
        .set(auth(holders[0].token))
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(response.headers['content-type']).toBe('application/pdf');
      expect(response.headers['cache-control']).toBe('no-store');
      const text = (await new PDFParse({ data: response.body as Buffer }).getText()).text.replace(
        /\s+/g,
        ' ',
      );
      expect(text).toContain('Convention d’objectifs et de financement');
      expect(text).toContain('Maison des Services Nocaze');
      expect(text).toMatch(/• État \(Déléguée du préfet\) : 8\s000,00\s€/);
      expect(text).not.toContain('##'); // every heading marker became a heading
      expect(text).toMatch(/Ville de Montélimar : 6\s500,50\s€/);
      expect(text).toMatch(/Total accordé : 14\s500,50\s€/);
      expect(text).toMatch(/avance de 3\s250,25\s€, solde de 3\s250,25\s€/);
      expect(text).toContain('égalité entre les femmes et les hommes');
      expect(text).toContain('Centre Historique (QN02604M)');
      expect(text).toContain('Fait à Montélimar, le'); // the contract's place of signature
    });

    it('regenerates byte-identical output for the same inputs, without a second email', async () => {
      const before = (
        await t.http().get(`/api/v1/applications/${appIds[1]}/convention`).set(auth(admin)).expect(200)
      ).body;
      const queued = await t
        .http()
        .post(`/api/v1/applications/${appIds[1]}/convention`)
        .set(auth(admin))
        .expect(202);
      expect(queued.body.jobId).toEqual(expect.any(String));
      const after = await eventually(async () => {
        const response = (await t.http().get(`/api/v1/applications/${appIds[1]}/convention`).set(auth(admin)))
          .body;
        return response.status === 'READY' && response.generatedAt !== before.generatedAt
          ? response
          : undefined;
      });
      expect(after.sha256).toBe(before.sha256);
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(sink.to(holders[1].email, READY)).toHaveLength(1);
    });

    it('writes the place of signature the contract gives', async () => {
      await t.dataSource.query(
        `UPDATE contracts SET signature_place = 'Valence' WHERE id = (SELECT contract_id FROM grant_applications WHERE id = $1)`,
        [appIds[0]],
      );
      const before = (
        await t.http().get(`/api/v1/applications/${appIds[0]}/convention`).set(auth(admin)).expect(200)
      ).body;
      await t.http().post(`/api/v1/applications/${appIds[0]}/convention`).set(auth(admin)).expect(202);
      await eventually(async () => {
        const response = (await t.http().get(`/api/v1/applications/${appIds[0]}/convention`).set(auth(admin)))
          .body;
        return response.status === 'READY' && response.generatedAt !== before.generatedAt
          ? response
          : undefined;
      });
      const pdf = await t
        .http()
        .get(`/api/v1/applications/${appIds[0]}/convention.pdf`)
        .set(auth(admin))
        .buffer(true)
        .parse(binary)
        .expect(200);
      const text = (await new PDFParse({ data: pdf.body as Buffer }).getText()).text.replace(/\s+/g, ' ');
      expect(text).toContain('Fait à Valence, le');
      expect(text).not.toContain('Fait à Montélimar');
    });

    it('keeps conventions to the holder, the city team and the financers that grant', async () => {
      const other = await registerAssociation(t);
      await t.http().get(`/api/v1/applications/${appIds[0]}/convention`).set(auth(other.token)).expect(404);
      await t
        .http()
        .get(`/api/v1/applications/${appIds[0]}/convention.pdf`)
        .set(auth(other.token))
        .expect(404);
      await t
        .http()
        .post(`/api/v1/applications/${appIds[0]}/convention`)
        .set(auth(holders[0].token))
        .expect(403);
    });
  });

  it('sends each reminder once, however many times the scan runs', async () => {
    const { id } = await createCampaign(t, { body: { year: 2030 } });
    const asso = await registerAssociation(t, 'Collectif Pracomtal');
    await createReadyDraft(t, asso.token, id);
    // Five days before the deadline: the J-7 window is open.
    await t.dataSource
      .getRepository(CampaignEntity)
      .update({ id }, { submissionDeadline: new Date(Date.now() + 5 * 24 * 3600 * 1000) });
    for (let run = 0; run < 2; run += 1) {
      await t.http().post(`/api/v1/campaigns/${id}/reminders/run`).set(auth(admin)).expect(202);
      await eventually(async () =>
        (await notifications('?type=REMINDER_DRAFT')).some(
          (row: { to: string; status: string }) => row.to === asso.email && row.status === 'SENT',
        ),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const mails = sink.to(asso.email).filter((mail) => mail.subject?.startsWith('Plus que'));
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toMatch(/^Plus que 5 jours pour déposer le dossier 2030-EMP-\d{4}$/);
    const rows = (await notifications('?type=REMINDER_DRAFT')).filter(
      (row: { to: string }) => row.to === asso.email,
    );
    expect(rows).toEqual([
      expect.objectContaining({ status: 'SENT', dedupeKey: expect.stringMatching(/^reminder:draft:J-7:/) }),
    ]);
  });

  it('keeps an email while SMTP is down and delivers it once when SMTP is back', async () => {
    const { asso, appId } = await returnedWhileSmtpDown(2032, 'Jardins partagés', 'Précisez le calendrier.');
    const pending = await eventually(async () => {
      const [row] = await notifications(`?applicationId=${appId}&type=APPLICATION_RETURNED`);
      return row && row.attempts >= 1 ? row : undefined;
    });
    expect(pending).toMatchObject({ status: 'PENDING', lastError: expect.any(String) });
    await sink.start();
    await eventually(() => sink.to(asso.email, RETURNED).length === 1, 20_000);
    const [row] = await eventually(async () => {
      const rows = await notifications(`?applicationId=${appId}&type=APPLICATION_RETURNED&status=SENT`);
      return rows.length ? rows : undefined;
    });
    expect(row.attempts).toBeGreaterThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(sink.to(asso.email, RETURNED)).toHaveLength(1);
  });

  it('fails an email at once, without retrying, when the SMTP server refuses it for good (5xx)', async () => {
    const { id: campaignId } = await createCampaign(t, { body: { year: 2036 } });
    const asso = await registerAssociation(t, 'Adresse inexistante');
    sink.rejecting.add(asso.email);
    const draft = await createReadyDraft(t, asso.token, campaignId);
    await t
      .http()
      .post(`/api/v1/applications/${draft.id}/submit`)
      .set(auth(asso.token))
      .send(CERTIFICATION)
      .expect(200);
    const [failed] = await eventually(async () => {
      const rows = await notifications(`?applicationId=${draft.id}&type=APPLICATION_SUBMITTED&status=FAILED`);
      return rows.length ? rows : undefined;
    });
    // One attempt, well before the four a transient failure gets (retries start 200 ms apart here).
    expect(failed).toMatchObject({ attempts: 1, lastError: expect.stringContaining('Mailbox unavailable') });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const [still] = await notifications(`?applicationId=${draft.id}&type=APPLICATION_SUBMITTED`);
    expect([still.status, still.attempts]).toEqual(['FAILED', 1]);
    expect(sink.to(asso.email, RECEIPT)).toHaveLength(0);
  });

  it('marks an email FAILED after its last attempt, lists it, and sends it when resent', async () => {
    const { asso, appId } = await returnedWhileSmtpDown(2033, 'Atelier vélo', 'Ajoutez le RIB.');
    const [failed] = await eventually(async () => {
      const rows = await notifications(`?applicationId=${appId}&type=APPLICATION_RETURNED&status=FAILED`);
      return rows.length ? rows : undefined;
    }, 20_000);
    expect(failed.attempts).toBe(4);
    const failedJobs = await t.http().get('/api/v1/jobs/failed').set(auth(admin)).expect(200);
    expect(failedJobs.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          queue: 'mail',
          name: 'send-mail',
          attemptsMade: 4,
          failedReason: expect.stringContaining('ECONNREFUSED'),
        }),
      ]),
    );
    await sink.start();
    await t.http().post(`/api/v1/notifications/${failed.id}/resend`).set(auth(admin)).expect(202);
    await eventually(() => sink.to(asso.email, RETURNED).length === 1);
    await eventually(
      async () =>
        (await notifications(`?applicationId=${appId}&type=APPLICATION_RETURNED&status=SENT`)).length === 1,
    );
  });
});
