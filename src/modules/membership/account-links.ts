import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type ApplicationError, unprocessable } from '../../common/application-error.js';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { AccountTokenEntity, type TokenPurpose } from '../accounts/account-token.entity.js';
import { useToken } from '../accounts/accounts.repository.js';
import type { NewNotification } from '../notifications/outbox.repository.js';
import './membership.errors.js'; // registers the codes thrown here

const HOUR = 3600_000;
/** How long each kind of link stays valid. */
const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
  PASSWORD_RESET: HOUR,
  EMAIL_CONFIRMATION: 7 * 24 * HOUR,
  CONTACT_CONFIRMATION: 7 * 24 * HOUR,
  INVITATION: 7 * 24 * HOUR,
};

/** Where each link leads (the pages of web.md); the token travels as the `token` query parameter. */
const LINK_PATH: Record<TokenPurpose, string> = {
  PASSWORD_RESET: '/mot-de-passe-oublie/nouveau',
  EMAIL_CONFIRMATION: '/compte/confirmer',
  CONTACT_CONFIRMATION: '/compte/confirmer',
  INVITATION: '/invitation',
};

const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export const tokenInvalid = (field = 'token'): ApplicationError =>
  unprocessable(
    'TOKEN_INVALID',
    'Ce lien n’est plus valable (déjà utilisé ou expiré) : demandez-en un nouveau.',
    field,
  );

/**
 * The single-use links sent by e-mail: a token stored as its SHA-256 only, issued with the email that carries
 * it, checked without being spent (so that a dead link costs no password hash), and used by one conditional
 * UPDATE (two uses racing: one wins).
 */
@Injectable()
export class AccountLinks {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Issues a token in the caller's transaction and returns the email carrying its link. */
  async issue(
    em: EntityManager,
    purpose: TokenPurpose,
    to: string,
    subject: { userId?: string | null; organizationId?: string | null; createdBy?: string | null },
    email: (link: string) => Pick<NewNotification, 'type' | 'payload'>,
  ): Promise<NewNotification> {
    const token = randomBytes(32).toString('base64url');
    const row = await em.save(
      em.create(AccountTokenEntity, {
        purpose,
        tokenHash: hashToken(token),
        userId: subject.userId ?? null,
        organizationId: subject.organizationId ?? null,
        createdBy: subject.createdBy ?? null,
        email: to,
        expiresAt: new Date(Date.now() + TOKEN_LIFETIME_MS[purpose]),
      }),
    );
    const link = `${this.config.publicUrl}${LINK_PATH[purpose]}?token=${token}`;
    return {
      ...email(link),
      to,
      dedupeKey: `${purpose.toLowerCase()}:${row.id}`,
      contractId: null,
    } as NewNotification;
  }

  /** The token's row if it could still be used (unused, unexpired), without spending it; else 422. */
  async usable(em: EntityManager, purpose: TokenPurpose, token: string): Promise<AccountTokenEntity> {
    const known = await em
      .getRepository(AccountTokenEntity)
      .findOne({ where: { tokenHash: hashToken(token), purpose } });
    if (!known || known.usedAt || known.expiresAt.getTime() <= Date.now()) throw tokenInvalid();
    return known;
  }

  /** Spends the token, once; 422 if it has another purpose, was used or expired. */
  async use(
    em: EntityManager,
    purposes: readonly TokenPurpose[],
    token: string,
  ): Promise<NonNullable<Awaited<ReturnType<typeof useToken>>>> {
    const used = await useToken(em, purposes, hashToken(token));
    if (!used) throw tokenInvalid();
    return used;
  }
}
