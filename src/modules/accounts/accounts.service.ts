import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { ApplicationError, conflict, notFound, unprocessable } from '../../common/application-error.js';
import type { AuthUser } from '../../common/auth.js';
import { OrganizationEntity } from './organization.entity.js';
import { UserEntity } from './user.entity.js';
import {
  closeSession,
  closeSessions,
  findActiveUser,
  findSessionUser,
  openSession,
} from './accounts.repository.js';
import { assertPasswordAcceptable } from './password-policy.js';
import type { Role } from '../../common/auth.js';
import { auditedTransaction } from '../../database/audit-actor.js';
import { PartnerEntity } from '../referential/partner.entity.js';
import { HASH_PRIORITY, hashPassword, verifyPassword, waitAsVerification } from './password.js';
import { failedSignInsKey } from './throttles.js';
import { RedisClient } from '../../common/redis.js';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';

/** Failed sign-ins this hour from which an account counts as under attack (a few typing mistakes do not). */
const SUSPECT_FAILURES = 5;
import type { CreateUserDto, LoginResultDto, UserDto } from './dto/auth.dto.js';
import type { OrganizationDto } from './dto/organization.dto.js';
import './accounts.errors.js'; // registers the codes thrown here

const UNIQUE_VIOLATION = '23505';

export function toUserDto(
  user: Pick<AuthUser, 'id' | 'email' | 'displayName' | 'role' | 'organizationId' | 'partnerCode'>,
): UserDto {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    ...(user.organizationId ? { organizationId: user.organizationId } : {}),
    ...(user.partnerCode ? { partnerCode: user.partnerCode } : {}),
  };
}

export function toOrganizationDto(organization: OrganizationEntity): OrganizationDto {
  const { id, name, legalForm, siret, rna, address, legalRepresentative, contactEmail } = organization;
  return { id, name, legalForm, siret, rna, address, legalRepresentative, contactEmail };
}

/** Maps a unique-index violation on users or organizations to the 409 a person can act on. */
export function uniqueViolation(error: unknown): ApplicationError | undefined {
  const driverError = error as {
    code?: string;
    constraint?: string;
    driverError?: { code?: string; constraint?: string };
  };
  const code = driverError.driverError?.code ?? driverError.code;
  const constraint = driverError.driverError?.constraint ?? driverError.constraint;
  if (code !== UNIQUE_VIOLATION) return undefined;
  if (constraint === 'ux_users_email')
    return conflict('EMAIL_TAKEN', 'Un compte existe déjà avec cette adresse e-mail.');
  if (constraint === 'ux_organizations_siret' || constraint === 'ux_organizations_rna') {
    return conflict(
      'ORGANIZATION_ALREADY_REGISTERED',
      'Cette structure est déjà inscrite : demandez à un de ses membres de vous ajouter.',
    );
  }
  return undefined;
}

/** 400: an organisation needs its SIRET or its RNA number (at registration, and whenever its record changes). */
export function siretOrRnaRequired(field: string): ApplicationError {
  const message = 'Indiquez le SIRET ou le numéro RNA de la structure.';
  return new ApplicationError('BAD_REQUEST', 'SIRET_OR_RNA_REQUIRED', message, [
    { field, code: 'SIRET_OR_RNA_REQUIRED', message },
  ]);
}

/**
 * 409 when the address has an account: checked before a password is hashed, so that a flood of taken
 * addresses costs no hash (the unique index still decides a race).
 */
export async function assertEmailFree(em: EntityManager, email: string): Promise<void> {
  if (await em.getRepository(UserEntity).exists({ where: { email } }))
    throw conflict('EMAIL_TAKEN', 'Un compte existe déjà avec cette adresse e-mail.');
}

const invalidCredentials = (): ApplicationError =>
  new ApplicationError('UNAUTHENTICATED', 'INVALID_CREDENTIALS', 'Adresse e-mail ou mot de passe incorrect.');

@Injectable()
export class AccountsService {
  private readonly logger = new Logger(AccountsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Whether the address is under attack: several failed sign-ins this hour, whatever the client address
   * (the throttle's count in Redis). Its verifications then wait behind everyone else's. Redis away: no.
   */
  private async underAttack(email: string): Promise<boolean> {
    const failures = await this.redis.connection
      .get(failedSignInsKey(this.config.queuePrefix, email))
      .catch(() => null);
    return Number(failures ?? 0) >= SUSPECT_FAILURES;
  }

  /** The user behind a token, if enabled and its session open: read on every authenticated request. */
  findSessionUser(id: string, sessionId: string): Promise<AuthUser | null> {
    return findSessionUser(this.dataSource.manager, id, sessionId);
  }

  /** An enabled user, to act for it outside a request (the demo seed). */
  findActiveUser(id: string): Promise<Omit<AuthUser, 'sessionId'> | null> {
    return findActiveUser(this.dataSource.manager, id);
  }

  async login(email: string, password: string): Promise<LoginResultDto> {
    const user = await this.signIn(email, password);
    const accessToken = await this.jwt.signAsync({ sub: user.id, sid: user.sessionId, role: user.role });
    return { accessToken, user: toUserDto(user) };
  }

  /**
   * Checks the credentials and opens a session (the API's token and the pages' cookie both name one): the
   * same check, the same timing and the same throttles for both doors.
   */
  async signIn(email: string, password: string): Promise<AuthUser> {
    const user = await this.dataSource.getRepository(UserEntity).findOne({ where: { email } });
    // An unknown or disabled address computes no hash: it waits as long as a verification takes now, so
    // that neither the timing nor a flood of unknown addresses tells or costs anything (password.ts).
    const valid =
      user && !user.disabledAt
        ? await verifyPassword(
            user.passwordHash,
            password,
            (await this.underAttack(email)) ? HASH_PRIORITY.suspect : HASH_PRIORITY.normal,
          )
        : false;
    if (!user || user.disabledAt) await waitAsVerification(password);
    if (!user || !valid) throw invalidCredentials();
    const session = await this.openSessionFor(user.id);
    if (!session) throw invalidCredentials();
    return session;
  }

  /** Opens a session for an enabled user whose identity is already proven (just registered, invited). */
  async openSessionFor(userId: string): Promise<AuthUser | null> {
    const authUser = await this.findActiveUser(userId);
    if (!authUser) return null;
    const sessionId = await openSession(this.dataSource.manager, userId);
    return { ...authUser, sessionId };
  }

  /** Signs out: the token's session is closed, the token answers 401 from now on. */
  async logout(user: AuthUser): Promise<void> {
    await closeSession(this.dataSource.manager, user.sessionId);
  }

  /**
   * Changes the user's password (the current one required): every other session is closed, this one stays
   * open; the first city-team user's obligation to change it is met.
   */
  async changePassword(user: AuthUser, currentPassword: string, newPassword: string): Promise<void> {
    const row = await this.dataSource.getRepository(UserEntity).findOneByOrFail({ id: user.id });
    if (!(await verifyPassword(row.passwordHash, currentPassword)))
      throw unprocessable(
        'CURRENT_PASSWORD_INVALID',
        'Le mot de passe actuel est incorrect.',
        'currentPassword',
      );
    assertPasswordAcceptable(newPassword, 'newPassword');
    if (newPassword === currentPassword)
      throw unprocessable(
        'PASSWORD_TOO_COMMON',
        'Choisissez un mot de passe différent de l’actuel.',
        'newPassword',
      );
    const passwordHash = await hashPassword(newPassword);
    const closed = await auditedTransaction(this.dataSource, user, async (em) => {
      await em.getRepository(UserEntity).update({ id: user.id }, { passwordHash, mustChangePassword: false });
      return closeSessions(em, user.id, user.sessionId);
    });
    this.logger.log(`Password of ${user.id} changed; ${closed} other session(s) closed`);
  }

  /** The city team disables a user of its contract: every session closes, every token answers 401 at once. */
  async disableUser(cityTeam: AuthUser, id: string): Promise<UserDto> {
    const target = await findActiveUser(this.dataSource.manager, id);
    if (!target || !target.contractId || target.contractId !== cityTeam.contractId)
      throw notFound('Utilisateur');
    if (target.id === cityTeam.id)
      throw unprocessable('CANNOT_DISABLE_ONESELF', 'Vous ne pouvez pas désactiver votre propre compte.');
    await auditedTransaction(this.dataSource, cityTeam, async (em) => {
      await em.getRepository(UserEntity).update({ id }, { disabledAt: new Date() });
      await closeSessions(em, id);
    });
    this.logger.log(`User ${id} disabled by ${cityTeam.id}`);
    return toUserDto(target);
  }

  /** The contract's financers' agents and city team (associations manage their own members). */
  async listStaff(
    cityTeam: AuthUser,
    page: { limit: number; offset: number },
  ): Promise<{ items: (UserDto & { disabled: boolean; createdAt: string })[]; total: number }> {
    const [users, total] = await this.dataSource.getRepository(UserEntity).findAndCount({
      where: { contractId: cityTeam.contractId ?? undefined, role: In(['FINANCER', 'CITY_TEAM']) },
      relations: { partner: true },
      order: { role: 'ASC', displayName: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
    return {
      total,
      items: users.map((user) => ({
        ...toUserDto({ ...user, partnerCode: user.partner?.code ?? null }),
        disabled: user.disabledAt !== null,
        createdAt: user.createdAt.toISOString(),
      })),
    };
  }

  /**
   * A financer's agent or a city-team member of the creator's contract. `provisional`: the password was
   * typed by the city team on a page, so its owner changes it at first sign-in.
   */
  async createUser(creator: AuthUser, input: CreateUserDto, provisional = false): Promise<UserDto> {
    let partner: PartnerEntity | null = null;
    if (input.role === 'FINANCER') {
      if (!input.partnerCode) {
        throw unprocessable(
          'PARTNER_REQUIRED',
          'Un utilisateur financeur doit être rattaché à un partenaire.',
          'partnerCode',
        );
      }
      partner = await this.dataSource
        .getRepository(PartnerEntity)
        .findOne({ where: { code: input.partnerCode, contractId: creator.contractId ?? undefined } });
      if (!partner)
        throw unprocessable('UNKNOWN_PARTNER', `Partenaire inconnu : ${input.partnerCode}.`, 'partnerCode');
    } else if (input.partnerCode) {
      throw unprocessable(
        'PARTNER_NOT_ALLOWED',
        'Seul un utilisateur financeur est rattaché à un partenaire.',
        'partnerCode',
      );
    }
    assertPasswordAcceptable(input.password);
    await assertEmailFree(this.dataSource.manager, input.email);
    const passwordHash = await hashPassword(input.password);
    try {
      const user = await auditedTransaction(this.dataSource, creator, (em) =>
        em.getRepository(UserEntity).save({
          email: input.email,
          passwordHash,
          displayName: input.displayName,
          role: input.role,
          partnerId: partner?.id ?? null,
          contractId: creator.contractId,
          emailConfirmedAt: new Date(),
          mustChangePassword: provisional,
        }),
      );
      this.logger.log(`User ${user.id} (${input.role}) created by ${creator.id}`);
      return toUserDto({ ...user, organizationId: null, partnerCode: partner?.code ?? null });
    } catch (error) {
      throw uniqueViolation(error) ?? error;
    }
  }
}

/** Creates the first CITY_TEAM user when its address is free; never resets an existing password. */
export function ensureAdmin(
  dataSource: DataSource,
  admin: { email: string; password: string; contractId: string; mustChangePassword?: boolean },
): Promise<boolean> {
  // Its password is in the deployment's configuration: the user changes it at first sign-in.
  return ensureUser(dataSource, {
    email: admin.email,
    password: admin.password,
    displayName: 'Équipe politique de la ville',
    role: 'CITY_TEAM',
    contractId: admin.contractId,
    mustChangePassword: admin.mustChangePassword ?? true,
  });
}

/**
 * A user of the national agency (NATIONAL: the year's sums across every contract hosted, nothing else).
 * No contract's city team may create one; the operator does, with `cli.js national-user`.
 */
export function ensureNationalUser(
  dataSource: DataSource,
  user: { email: string; password: string; displayName: string },
): Promise<boolean> {
  return ensureUser(dataSource, { ...user, role: 'NATIONAL', contractId: null });
}

/** Creates the user unless one has that e-mail already; tells whether it did. */
async function ensureUser(
  dataSource: DataSource,
  user: {
    email: string;
    password: string;
    displayName: string;
    role: Role;
    contractId: string | null;
    mustChangePassword?: boolean;
  },
): Promise<boolean> {
  const users = dataSource.getRepository(UserEntity);
  const email = user.email.trim().toLowerCase();
  if (await users.exists({ where: { email } })) return false;
  await users
    .createQueryBuilder()
    .insert()
    .values({
      email,
      passwordHash: await hashPassword(user.password),
      displayName: user.displayName,
      role: user.role,
      contractId: user.contractId,
      mustChangePassword: user.mustChangePassword ?? false,
      emailConfirmedAt: new Date(),
    })
    .orIgnore()
    .execute();
  return true;
}
