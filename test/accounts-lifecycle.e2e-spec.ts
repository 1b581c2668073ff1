import { createHash } from 'node:crypto';
import { createTestApp, login, loginAdmin, TestApp } from './support/test-app.js';
import { eventually, SmtpSink } from './support/smtp-sink.js';
import { makeSiret, registerAssociation, type Account } from './factories/account.factory.js';
import { CERTIFICATION, createReadyDraft } from './factories/application.factory.js';
import { createCampaign } from './factories/campaign.factory.js';

/** The `token` query parameter of the one link in an email's text. */
const linkToken = (text: string | undefined): string => {
  const link = /https?:\/\/\S+\?token=[\w-]+/.exec(text ?? '')?.[0];
  if (!link) throw new Error(`no link in ${text}`);
  return new URL(link).searchParams.get('token')!;
};

describe('account links through a real worker and SMTP server', () => {
  const sink = new SmtpSink();
  /** Waits for the emails to an address (subject matching), at least one. */
  const mailsTo = (address: string, subject: RegExp) =>
    eventually(() => {
      const found = sink.to(address, subject);
      return found.length > 0 && found;
    });
  let t: TestApp;
  let admin: string;
  let campaignId: string;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const PASSWORD = 'mot-de-passe-solide-42';

  beforeAll(async () => {
    await sink.start();
    t = await createTestApp({
      WORKER_IN_PROCESS: 'true',
      SMTP_URL: sink.url,
      OUTBOX_SWEEP_MS: '500',
      PUBLIC_URL: 'https://aap.montelimar-agglo.fr',
    });
    admin = await loginAdmin(t);
    campaignId = (await createCampaign(t, { adminToken: admin })).id;
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  const register = (email: string, organization: Record<string, unknown> = {}) =>
    t
      .http()
      .post('/api/v1/auth/register')
      .send({
        email,
        password: PASSWORD,
        displayName: 'Nadia Benali',
        organization: {
          name: 'Les Jardins de Nocaze',
          legalForm: 'Association loi 1901',
          siret: makeSiret(),
          address: '4 allée des Tilleuls, 26200 Montélimar',
          legalRepresentative: 'Camille Durand, présidente',
          contactEmail: email,
          ...organization,
        },
      });

  describe('password reset', () => {
    it('emails a single-use link for a known address, nothing for an unknown one, and answers both alike', async () => {
      const asso = await registerAssociation(t);
      const known = await t
        .http()
        .post('/api/v1/auth/password-reset')
        .send({ email: asso.email })
        .expect(202);
      const unknown = await t
        .http()
        .post('/api/v1/auth/password-reset')
        .send({ email: 'personne@nulle-part.fr' })
        .expect(202);
      expect(known.body).toEqual(unknown.body);

      const [mail] = await mailsTo(asso.email, /^Réinitialisation/);
      expect(mail.text).toContain('https://aap.montelimar-agglo.fr/mot-de-passe-oublie/nouveau?token=');
      const token = linkToken(mail.text);
      // Stored as its SHA-256 only: the database never holds the link's token.
      const rows = await t.dataSource.query(
        `SELECT token_hash FROM account_tokens WHERE purpose = 'PASSWORD_RESET'`,
      );
      expect(rows.map((row: { token_hash: string }) => row.token_hash)).toContain(
        createHash('sha256').update(token).digest('hex'),
      );
      expect(JSON.stringify(rows)).not.toContain(token);

      await t.http().get('/api/v1/auth/me').set(auth(asso.token)).expect(200);
      const newPassword = 'La rivière Roubion en été 2027';
      await t.http().post('/api/v1/auth/password-reset/confirm').send({ token, newPassword }).expect(204);
      // Every session closed, the old password refused, the new one accepted.
      await t.http().get('/api/v1/auth/me').set(auth(asso.token)).expect(401);
      await t.http().post('/api/v1/auth/login').send({ email: asso.email, password: PASSWORD }).expect(401);
      await login(t, asso.email, newPassword);

      const again = await t
        .http()
        .post('/api/v1/auth/password-reset/confirm')
        .send({ token, newPassword: 'Encore une autre phrase 2028' })
        .expect(422);
      expect(again.body.details[0]).toMatchObject({ code: 'TOKEN_INVALID', field: 'token' });
      expect(sink.to('personne@nulle-part.fr')).toHaveLength(0);
    });

    it('refuses an expired link, and a link replaced by a newer one', async () => {
      const asso = await registerAssociation(t);
      await t.http().post('/api/v1/auth/password-reset').send({ email: asso.email }).expect(202);
      const [first] = await mailsTo(asso.email, /^Réinitialisation/);
      await t.http().post('/api/v1/auth/password-reset').send({ email: asso.email }).expect(202);
      const mails = await eventually(() => {
        const found = sink.to(asso.email, /^Réinitialisation/);
        return found.length === 2 && found;
      });
      const replaced = await t
        .http()
        .post('/api/v1/auth/password-reset/confirm')
        .send({ token: linkToken(first.text), newPassword: 'Une phrase de passe neuve 2027' })
        .expect(422);
      expect(replaced.body.details[0].code).toBe('TOKEN_INVALID');

      const latest = linkToken(mails[1].text);
      // An hour later: expired.
      await t.dataSource.query(
        `UPDATE account_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1`,
        [createHash('sha256').update(latest).digest('hex')],
      );
      await t
        .http()
        .post('/api/v1/auth/password-reset/confirm')
        .send({ token: latest, newPassword: 'Une phrase de passe neuve 2027' })
        .expect(422);
      await login(t, asso.email, PASSWORD);
    });

    it('lets one of two racing uses of a link win', async () => {
      const asso = await registerAssociation(t);
      await t.http().post('/api/v1/auth/password-reset').send({ email: asso.email }).expect(202);
      const [mail] = await mailsTo(asso.email, /^Réinitialisation/);
      const token = linkToken(mail.text);
      const answers = await Promise.all(
        ['Première phrase de passe 2027', 'Seconde phrase de passe 2027'].map((newPassword) =>
          t.http().post('/api/v1/auth/password-reset/confirm').send({ token, newPassword }),
        ),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([204, 422]);
    });
  });

  describe('confirming addresses', () => {
    it('keeps an unconfirmed account from submitting until it follows the emailed link', async () => {
      const asso = await registerAssociation(t, 'Association sans confirmation', { confirmEmail: false });
      const draft = await createReadyDraft(t, asso.token, campaignId);
      const refused = await t
        .http()
        .post(`/api/v1/applications/${draft.id}/submit`)
        .set(auth(asso.token))
        .send(CERTIFICATION)
        .expect(422);
      expect(refused.body.details[0].code).toBe('EMAIL_NOT_CONFIRMED');
      const status = await t.http().get(`/api/v1/applications/${draft.id}`).set(auth(asso.token)).expect(200);
      expect(status.body.status).toBe('DRAFT');

      const [mail] = await mailsTo(asso.email, /^Confirmez votre adresse/);
      expect(mail.text).toContain('https://aap.montelimar-agglo.fr/compte/confirmer?token=');
      await t
        .http()
        .post('/api/v1/auth/confirm-email')
        .send({ token: linkToken(mail.text) })
        .expect(204);
      await t
        .http()
        .post(`/api/v1/applications/${draft.id}/submit`)
        .set(auth(asso.token))
        .send(CERTIFICATION)
        .expect(200);
      // Single use.
      await t
        .http()
        .post('/api/v1/auth/confirm-email')
        .send({ token: linkToken(mail.text) })
        .expect(422);
    });

    it('sends official emails to the members’ confirmed address until the contact address is confirmed', async () => {
      const email = `tresoriere-${Date.now()}@jardins-nocaze.fr`;
      const contact = `contact-${Date.now()}@jardins-nocaze.fr`;
      await register(email, { contactEmail: contact }).expect(201);
      const [confirmation] = await mailsTo(email, /^Confirmez votre adresse/);
      await t
        .http()
        .post('/api/v1/auth/confirm-email')
        .send({ token: linkToken(confirmation.text) })
        .expect(204);
      const token = await login(t, email, PASSWORD);

      const first = await createReadyDraft(t, token, campaignId);
      await t
        .http()
        .post(`/api/v1/applications/${first.id}/submit`)
        .set(auth(token))
        .send(CERTIFICATION)
        .expect(200);
      await eventually(() => sink.to(email, /^Accusé de réception/).length === 1);
      expect(sink.to(contact, /^Accusé de réception/)).toHaveLength(0);

      const [contactMail] = await mailsTo(contact, /^Confirmez l’adresse de contact/);
      await t
        .http()
        .post('/api/v1/auth/confirm-email')
        .send({ token: linkToken(contactMail.text) })
        .expect(204);
      const second = await createReadyDraft(t, token, campaignId);
      await t
        .http()
        .post(`/api/v1/applications/${second.id}/submit`)
        .set(auth(token))
        .send(CERTIFICATION)
        .expect(200);
      await eventually(() => sink.to(contact, /^Accusé de réception/).length === 1);
      expect(sink.to(email, /^Accusé de réception/)).toHaveLength(1);
    });
  });

  describe('joining an organisation already registered', () => {
    let member: Account;
    let siret: string;

    beforeAll(async () => {
      siret = makeSiret();
      const email = `fondatrice-${Date.now()}@jardins-nocaze.fr`;
      const created = await register(email, { siret }).expect(201);
      const [mail] = await mailsTo(email, /^Confirmez votre adresse/);
      await t
        .http()
        .post('/api/v1/auth/confirm-email')
        .send({ token: linkToken(mail.text) })
        .expect(204);
      member = {
        email,
        userId: created.body.user.id,
        organizationId: created.body.organization.id,
        token: await login(t, email, PASSWORD),
      };
    });

    it('turns a second registration of the SIRET into a request its members answer', async () => {
      const requester = `benevole-${Date.now()}@gmail.com`;
      const response = await register(requester, { siret }).expect(202);
      expect(response.body).toEqual({ joinRequestId: expect.any(String) });
      const [notice] = await mailsTo(member.email, /demande à rejoindre/);
      expect(notice.text).toContain(requester);

      // Until accepted, the account can say who it is and nothing else.
      const requesterToken = await login(t, requester, PASSWORD);
      const me = await t.http().get('/api/v1/auth/me').set(auth(requesterToken)).expect(200);
      expect(me.body.organizationId).toBeUndefined();
      const pending = await t.http().get('/api/v1/applications').set(auth(requesterToken)).expect(403);
      expect(pending.body.details[0].code).toBe('MEMBERSHIP_PENDING');

      const list = await t
        .http()
        .get('/api/v1/organizations/mine/join-requests')
        .set(auth(member.token))
        .expect(200);
      expect(list.body.items).toEqual([
        expect.objectContaining({ id: response.body.joinRequestId, email: requester, status: 'PENDING' }),
      ]);
      // Another organisation's member cannot answer it.
      const stranger = await registerAssociation(t);
      await t
        .http()
        .post(`/api/v1/organizations/mine/join-requests/${response.body.joinRequestId}/accept`)
        .set(auth(stranger.token))
        .expect(404);

      await t
        .http()
        .post(`/api/v1/organizations/mine/join-requests/${response.body.joinRequestId}/accept`)
        .set(auth(member.token))
        .expect(200);
      const twice = await t
        .http()
        .post(`/api/v1/organizations/mine/join-requests/${response.body.joinRequestId}/refuse`)
        .set(auth(member.token))
        .expect(409);
      expect(twice.body.details[0].code).toBe('JOIN_REQUEST_DECIDED');
      await eventually(() => sink.to(requester, /^Votre demande pour rejoindre/).length === 1);

      const joined = await t.http().get('/api/v1/auth/me').set(auth(requesterToken)).expect(200);
      expect(joined.body.organizationId).toBe(member.organizationId);
      await t.http().get('/api/v1/applications').set(auth(requesterToken)).expect(200);
    });

    it('lets the city team refuse a request, and the refused account stays outside', async () => {
      const requester = `usurpateur-${Date.now()}@gmail.com`;
      const response = await register(requester, { siret }).expect(202);
      await t
        .http()
        .post(
          `/api/v1/organizations/${member.organizationId}/join-requests/${response.body.joinRequestId}/refuse`,
        )
        .set(auth(admin))
        .expect(200);
      const token = await login(t, requester, PASSWORD);
      await t.http().get('/api/v1/applications').set(auth(token)).expect(403);
    });

    it('lets a member invite someone, who creates an account in the organisation with the link', async () => {
      const invited = `secretaire-${Date.now()}@jardins-nocaze.fr`;
      const sent = await t
        .http()
        .post('/api/v1/organizations/mine/invitations')
        .set(auth(member.token))
        .send({ email: invited })
        .expect(202);
      expect(sent.body).toEqual({ invitationId: expect.any(String) });
      const [mail] = await mailsTo(invited, /vous invite à rejoindre/);
      const token = linkToken(mail.text);
      const created = await t
        .http()
        .post('/api/v1/auth/accept-invitation')
        .send({ token, displayName: 'Inès Garnier', password: 'Les tilleuls de la place 2027' })
        .expect(201);
      expect(created.body).toMatchObject({
        email: invited,
        organizationId: member.organizationId,
        role: 'ASSOCIATION',
      });
      await t
        .http()
        .post('/api/v1/auth/accept-invitation')
        .send({ token, displayName: 'Inès Garnier', password: 'Les tilleuls de la place 2027' })
        .expect(422);
      // The link reached the address: confirmed, the new member can submit.
      const invitedToken = await login(t, invited, 'Les tilleuls de la place 2027');
      const draft = await createReadyDraft(t, invitedToken, campaignId);
      await t
        .http()
        .post(`/api/v1/applications/${draft.id}/submit`)
        .set(auth(invitedToken))
        .send(CERTIFICATION)
        .expect(200);
    });

    it('lets the city team see new organisations and suspend one: its members can no longer act', async () => {
      const listed = await t.http().get('/api/v1/organizations').set(auth(admin)).expect(200);
      expect(listed.body.items.map((item: { id: string }) => item.id)).toContain(member.organizationId);
      await t
        .http()
        .post(`/api/v1/organizations/${member.organizationId}/suspend`)
        .set(auth(member.token))
        .send({ reason: 'x' })
        .expect(403);
      const suspended = await t
        .http()
        .post(`/api/v1/organizations/${member.organizationId}/suspend`)
        .set(auth(admin))
        .send({ reason: 'Inscrite par une personne qui ne la représente pas.' })
        .expect(200);
      expect(suspended.body).toMatchObject({ suspendedAt: expect.any(String) });
      const blocked = await t.http().get('/api/v1/applications').set(auth(member.token)).expect(403);
      expect(blocked.body.details[0].code).toBe('ORGANIZATION_SUSPENDED');
      await t
        .http()
        .post(`/api/v1/organizations/${member.organizationId}/reinstate`)
        .set(auth(admin))
        .expect(200);
      await t.http().get('/api/v1/applications').set(auth(member.token)).expect(200);
    });
  });
});
