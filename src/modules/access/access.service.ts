import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ApplicationError, forbidden, notFound } from '../../common/application-error.js';
import type { AuthUser } from '../../common/auth.js';
import { AccessRepository, accessConditionSql } from './access.repository.js';
import {
  authorize,
  listConditions,
  objectOf,
  type Action,
  type CallerFacts,
  type Relations,
  type Verdict,
} from './access-policy.js';
import './access.errors.js'; // registers the codes thrown here

/** The identifiers of the object an action is about, and what the path says about the caller. */
export interface AccessTarget {
  applicationId?: string;
  campaignId?: string;
  /** The partner named in the path (a review): compared with the user's own. */
  partnerCode?: string;
}

const OBJECT_NAMES = { application: 'Dossier', campaign: 'Appel à projets' } as const;

/** Throws the coded error of a refusal: 404 for what the user may not know exists, 403 for the rest. */
export function assertVerdict(verdict: Verdict, object: 'application' | 'campaign'): void {
  if (verdict.allowed) return;
  switch (verdict.error) {
    case 'NOT_FOUND':
      throw notFound(OBJECT_NAMES[object]);
    case 'CONFLICT_OF_INTEREST':
      throw new ApplicationError(
        'FORBIDDEN',
        'CONFLICT_OF_INTEREST',
        'Vous avez déclaré un conflit d’intérêts sur ce dossier.',
      );
    case 'OTHER_PARTNER':
      throw forbidden('Vous instruisez pour un autre partenaire.');
    default:
      throw forbidden();
  }
}

/** Asks the policy (`access-policy.ts`) with the relations it needs, loaded in one query. */
@Injectable()
export class AccessService {
  constructor(private readonly repository: AccessRepository) {}

  /** Allows the action or throws 404/403; `em` reads inside the caller's transaction. */
  async require(user: AuthUser, action: Action, target: AccessTarget, em?: EntityManager): Promise<void> {
    const object = objectOf(action);
    let relations: Relations | undefined;
    if (object === 'application') {
      if (!target.applicationId) throw new Error(`${action} needs an applicationId`);
      relations = await this.repository.applicationRelations(user, target.applicationId, em);
    } else {
      if (!target.campaignId) throw new Error(`${action} needs a campaignId`);
      relations = await this.repository.campaignRelations(user, target.campaignId, em);
    }
    const caller =
      target.partnerCode === undefined ? {} : { ownPartner: user.partnerCode === target.partnerCode };
    this.check(user, action, relations, caller);
  }

  /** The policy on relations the caller read itself (a hot statement that reads them with its data). */
  check(user: AuthUser, action: Action, relations: Relations | undefined, caller: CallerFacts = {}): void {
    assertVerdict(authorize(user.role, action, relations, caller), objectOf(action));
  }

  /**
   * SQL: the filter of a list or an export of applications (alias `a`) or campaigns (alias `c`) for the user:
   * exactly what `authorize` lets the user see for `action`; values pushed on `parameters`.
   */
  listFilter(user: AuthUser, action: Action, alias: string, parameters: unknown[]): string {
    return accessConditionSql(objectOf(action), listConditions(user.role, action), alias, user, parameters);
  }
}
