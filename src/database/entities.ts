import { ContractEntity } from '../modules/referential/contract.entity.js';
import { PartnerEntity } from '../modules/referential/partner.entity.js';
import { ThemeEntity } from '../modules/referential/theme.entity.js';
import { StakeEntity } from '../modules/referential/stake.entity.js';
import { MeasureEntity } from '../modules/referential/measure.entity.js';
import { MeasurePartnerEntity } from '../modules/referential/measure-partner.entity.js';
import { TransversalPriorityEntity } from '../modules/referential/transversal-priority.entity.js';
import { QpvEntity } from '../modules/referential/qpv.entity.js';
import { OrganizationEntity } from '../modules/accounts/organization.entity.js';
import { UserEntity } from '../modules/accounts/user.entity.js';

/** Every entity, listed once: the app, the migration CLI and the tests load the same set. */
export const ENTITIES = [
  ContractEntity,
  PartnerEntity,
  ThemeEntity,
  StakeEntity,
  MeasureEntity,
  MeasurePartnerEntity,
  TransversalPriorityEntity,
  QpvEntity,
  OrganizationEntity,
  UserEntity,
];
