import { isValidSiret } from '../../src/modules/referential/identifiers.js';
import type { TestApp } from '../support/test-app.js';
import { login, loginAdmin } from '../support/test-app.js';

let sequence = 0;

/** A valid SIRET built from a counter: 8 varying digits, then the Luhn keys of the SIREN and the SIRET. */
export function makeSiret(seed = ++sequence + Math.floor(Math.random() * 1e6)): string {
  const body = String(seed % 1e8).padStart(8, '0');
  for (let sirenKey = 0; sirenKey < 10; sirenKey += 1) {
    const siren = `${body}${sirenKey}`;
    for (let nic = 10; nic < 100; nic += 1) {
      const candidate = `${siren}000${String(nic).padStart(2, '0')}`;
      if (isValidSiret(candidate) && !candidate.startsWith('356000000')) return candidate;
    }
  }
  throw new Error('no SIRET found');
}

export interface Account {
  token: string;
  userId: string;
  email: string;
  organizationId?: string;
}

/** Registers an association and its first member, who confirms its address by the emailed link (unless told not to). */
export async function registerAssociation(
  testApp: TestApp,
  name = `Association ${++sequence}`,
  options: { confirmEmail?: boolean } = {},
): Promise<Account> {
  const email = `asso-${Date.now().toString(36)}-${++sequence}@example.org`;
  const password = 'mot-de-passe-solide-42';
  const response = await testApp
    .http()
    .post('/api/v1/auth/register')
    .send({
      email,
      password,
      displayName: `Présidente de ${name}`,
      organization: {
        name,
        legalForm: 'Association loi 1901',
        siret: makeSiret(),
        address: '1 place du Marché, 26200 Montélimar',
        legalRepresentative: 'Camille Durand',
        contactEmail: email,
      },
    })
    .expect(201);
  const body = response.body as { user: { id: string }; organization: { id: string } };
  if (options.confirmEmail ?? true) {
    const token = await emailedToken(testApp, 'EMAIL_CONFIRMATION', email);
    await testApp.http().post('/api/v1/auth/confirm-email').send({ token }).expect(204);
  }
  return {
    token: await login(testApp, email, password),
    userId: body.user.id,
    email,
    organizationId: body.organization.id,
  };
}

export async function createStaffUser(
  testApp: TestApp,
  role: 'FINANCER' | 'CITY_TEAM',
  partnerCode?: string,
): Promise<Account> {
  const adminToken = await loginAdmin(testApp);
  const email = `${role.toLowerCase()}-${partnerCode ?? 'x'}-${Date.now().toString(36)}-${++sequence}@example.gouv.fr`;
  const password = 'mot-de-passe-financeur-42';
  const response = await testApp
    .http()
    .post('/api/v1/users')
    .set('authorization', `Bearer ${adminToken}`)
    .send({ email, password, displayName: `Agent ${role}`, role, ...(partnerCode ? { partnerCode } : {}) })
    .expect(201);
  return {
    token: await login(testApp, email, password),
    userId: (response.body as { id: string }).id,
    email,
  };
}

/**
 * The token of the last link of this kind emailed to `to`, read from the outbox row the service wrote (the
 * email itself carries the same link): what a person would click.
 */
export async function emailedToken(
  testApp: TestApp,
  type: 'EMAIL_CONFIRMATION' | 'CONTACT_CONFIRMATION' | 'PASSWORD_RESET' | 'INVITATION',
  to: string,
): Promise<string> {
  const [row] = await testApp.dataSource.query<{ link: string }[]>(
    `SELECT payload->>'link' AS link FROM notifications WHERE type = $1 AND to_address = $2 ORDER BY created_at DESC LIMIT 1`,
    [type, to],
  );
  if (!row) throw new Error(`no ${type} email to ${to}`);
  return new URL(row.link).searchParams.get('token')!;
}
