import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth.js';
import { queryPrepared } from '../../database/prepared.js';
import type { ApplicationRelations, CampaignRelations, Condition } from './access-policy.js';

/**
 * SQL: the user's relations to application `a` ($n placeholders given by `p`: organisation, contract,
 * partner, user), as boolean columns named as `ApplicationRelations`.
 */
export const applicationRelationsSql = (
  a: string,
  p: { organization: string; contract: string; partner: string; user: string },
): string => `coalesce(${a}.organization_id = ${p.organization}, false) AS owner,
       coalesce(${a}.contract_id = ${p.contract}, false) AS "sameContract",
       ${a}.submitted_at IS NOT NULL AS submitted,
       EXISTS (SELECT 1 FROM application_requests r WHERE r.application_id = ${a}.id AND r.partner_id = ${p.partner}) AS asked,
       EXISTS (SELECT 1 FROM decisions d WHERE d.application_id = ${a}.id AND d.partner_id = ${p.partner}
                  AND d.granted_cents > 0) AS granting,
       EXISTS (SELECT 1 FROM conflict_declarations x WHERE x.application_id = ${a}.id AND x.user_id = ${p.user}) AS conflicted`;

const APPLICATION_RELATIONS = `SELECT ${applicationRelationsSql('a', {
  organization: '$2::uuid',
  contract: '$3::uuid',
  partner: '$4::uuid',
  user: '$5::uuid',
})} FROM grant_applications a WHERE a.id = $1`;

const CAMPAIGN_RELATIONS = `SELECT coalesce(c.contract_id = $2::uuid, false) AS "sameContract", c.status = 'DRAFT' AS draft
  FROM campaigns c WHERE c.id = $1`;

/** The user's identifiers in the order the relation statements take them after the object's id. */
const userParameters = (user: AuthUser): unknown[] => [
  user.organizationId,
  user.contractId,
  user.partnerId,
  user.id,
];

/**
 * SQL: one condition of the policy on application `a`, with its values pushed on `parameters`: what a list
 * or an export filters on, so that it shows exactly the objects `authorize` lets the user see.
 */
function applicationConditionSql(
  condition: Condition,
  a: string,
  user: AuthUser,
  parameters: unknown[],
): string {
  const parameter = (value: unknown) => `$${parameters.push(value)}`;
  switch (condition) {
    case 'owner':
      return `${a}.organization_id = ${parameter(user.organizationId)}::uuid`;
    case 'sameContract':
      return `${a}.contract_id = ${parameter(user.contractId)}::uuid`;
    case 'submitted':
      return `${a}.submitted_at IS NOT NULL`;
    case 'asked':
      return `EXISTS (SELECT 1 FROM application_requests own WHERE own.application_id = ${a}.id AND own.partner_id = ${parameter(user.partnerId)}::uuid)`;
    case 'granting':
      return `EXISTS (SELECT 1 FROM decisions own WHERE own.application_id = ${a}.id AND own.partner_id = ${parameter(user.partnerId)}::uuid AND own.granted_cents > 0)`;
    case 'notConflicted':
      return `NOT EXISTS (SELECT 1 FROM conflict_declarations own WHERE own.application_id = ${a}.id AND own.user_id = ${parameter(user.id)}::uuid)`;
    default:
      throw new Error(`No SQL for the condition ${condition} on an application`);
  }
}

/** SQL: the policy's conditions on campaign `c`. */
function campaignConditionSql(
  condition: Condition,
  c: string,
  user: AuthUser,
  parameters: unknown[],
): string {
  switch (condition) {
    case 'sameContract':
      return `${c}.contract_id = $${parameters.push(user.contractId)}::uuid`;
    case 'notDraft':
      return `${c}.status <> 'DRAFT'`;
    default:
      throw new Error(`No SQL for the condition ${condition} on a campaign`);
  }
}

/**
 * SQL: the conditions joined with AND (`false` when the role has none: it sees nothing), for alias `alias` of
 * an application or a campaign.
 */
export function accessConditionSql(
  object: 'application' | 'campaign',
  conditions: Condition[] | null,
  alias: string,
  user: AuthUser,
  parameters: unknown[],
): string {
  if (!conditions) return 'false';
  if (conditions.length === 0) return 'true';
  const one = object === 'application' ? applicationConditionSql : campaignConditionSql;
  return conditions.map((condition) => one(condition, alias, user, parameters)).join(' AND ');
}

@Injectable()
export class AccessRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async applicationRelations(
    user: AuthUser,
    applicationId: string,
    em: EntityManager = this.dataSource.manager,
  ): Promise<ApplicationRelations | undefined> {
    const [row] = await queryPrepared<ApplicationRelations>(em, APPLICATION_RELATIONS, [
      applicationId,
      ...userParameters(user),
    ]);
    return row;
  }

  async campaignRelations(
    user: AuthUser,
    campaignId: string,
    em: EntityManager = this.dataSource.manager,
  ): Promise<CampaignRelations | undefined> {
    const [row] = await queryPrepared<CampaignRelations>(em, CAMPAIGN_RELATIONS, [
      campaignId,
      user.contractId,
    ]);
    return row;
  }
}
