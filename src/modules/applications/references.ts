import { unprocessable } from '../../common/application-error.js';
import { assertBudgetShape } from './budget.js';
import type { GrantApplicationEntity } from './application.entity.js';
import type { UpdateApplicationDto } from './dto/application.dto.js';
import type { CampaignEntity } from '../campaigns/campaign.entity.js';
import './applications.errors.js'; // registers the codes thrown here

/** What deciding whether a campaign takes new drafts reads. */
export interface CampaignFacts {
  status: CampaignEntity['status'];
  submissionDeadline: Date;
}

/** The fields a draft is written from (creation, edit, renewal). */
export type DraftFields = Omit<UpdateApplicationDto, 'renewalOf' | 'version'> & { renewalOf?: string | null };

/** What a write needs of a draft's references once judged. */
export interface ResolvedReferences {
  contractId: string;
  themeId: string;
  themeCode: string;
  qpvCodes: string[] | undefined;
  partnerIds: Map<string, string>;
}

/** What a draft's references point to (`ApplicationsRepository.findReferences`); the campaign's facts when read through it. */
export type FoundReferences = Partial<CampaignFacts> & {
  contractId: string;
  id: string | null;
  code: string;
  label: string;
  stakeOk: boolean;
  measureOk: boolean;
  qpvCodes: string[];
  partnerIds: Record<string, string>;
};

/** The stake and measure a draft refers to once the fields are applied, and the financers its budget asks. */
export const referencedStake = (fields: DraftFields, current?: GrantApplicationEntity): string | null =>
  fields.stakeId !== undefined ? fields.stakeId : (current?.stakeId ?? null);
export const referencedMeasure = (fields: DraftFields, current?: GrantApplicationEntity): string | null =>
  fields.measureId !== undefined ? fields.measureId : (current?.measureId ?? null);
export const requestedPartnerCodes = (fields: DraftFields): string[] =>
  (fields.budget?.products ?? []).flatMap((line) => (line.partnerCode ? [line.partnerCode] : []));

/** Judges the references found for a draft's fields (422 on the first that is wrong); what a write needs of them. */
export function judgeReferences(
  found: FoundReferences | undefined,
  fields: DraftFields,
  current?: Pick<GrantApplicationEntity, 'stakeId' | 'measureId' | 'startDate' | 'endDate'>,
): ResolvedReferences {
  const stakeId = referencedStake(fields, current as GrantApplicationEntity);
  const measureId = referencedMeasure(fields, current as GrantApplicationEntity);
  const partnerCodes = requestedPartnerCodes(fields);
  if (!found?.id)
    throw unprocessable('UNKNOWN_THEME', `Thématique inconnue : ${fields.themeCode}.`, 'themeCode');
  if (stakeId && !found.stakeOk) {
    throw unprocessable(
      'STAKE_NOT_IN_THEME',
      `Cet enjeu n’appartient pas à la thématique ${found.label}.`,
      'stakeId',
    );
  }
  if (measureId && (!stakeId || !found.measureOk)) {
    throw unprocessable(
      'MEASURE_NOT_IN_STAKE',
      'Cette mesure n’appartient pas à l’enjeu choisi.',
      'measureId',
    );
  }
  const unknownQpvs = (fields.qpvCodes ?? []).filter((code) => !found.qpvCodes.includes(code));
  if (unknownQpvs.length)
    throw unprocessable(
      'UNKNOWN_QPV',
      `Quartier(s) hors du contrat de ville : ${unknownQpvs.join(', ')}.`,
      'qpvCodes',
    );
  if (fields.budget) assertBudgetShape(fields.budget);
  const partnerIds = new Map(Object.entries(found.partnerIds));
  const unknownPartners = partnerCodes.filter((code) => !partnerIds.has(code));
  if (unknownPartners.length)
    throw unprocessable(
      'UNKNOWN_PARTNER',
      `Financeur(s) inconnu(s) : ${unknownPartners.join(', ')}.`,
      'budget.products',
    );
  const startDate = fields.startDate ?? current?.startDate;
  const endDate = fields.endDate ?? current?.endDate;
  if (startDate && endDate && startDate > endDate) {
    throw unprocessable(
      'DATES_OUT_OF_ORDER',
      'La date de fin de l’action précède sa date de début.',
      'endDate',
    );
  }
  return {
    themeId: found.id,
    themeCode: found.code,
    qpvCodes: fields.qpvCodes,
    partnerIds,
    contractId: found.contractId,
  };
}
