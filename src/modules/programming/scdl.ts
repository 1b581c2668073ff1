/**
 * Mapping of granted subsidies to the national open-data format SCDL "Subventions" 2.1.1
 * (shared/reference/data/scdl_subventions_schema_2.1.1.json): one row per grant of one attributor.
 */
import { dotDecimal } from '../../common/money.js';

export const SCDL_FIELDS = [
  'idSubvention',
  'nomAttribuant',
  'idAttribuant',
  'nomServiceInstructeur',
  'idServiceInstructeur',
  'nomBeneficiaire',
  'idBeneficiaire',
  'rnaBeneficiaire',
  'exerciceBudgetaire',
  'pluriannualite',
  'anneesPluriannualite',
  'dateDecision',
  'dateConvention',
  'referenceDecision',
  'dateCreation',
  'dateDebut',
  'dateFin',
  'dispositif',
  'sousDispositif',
  'statutLabel',
  'objet',
  'nature',
  'montantDemande',
  'montant',
  'nomOutilInstruction',
  'nomOutilVersement',
  'ej',
  'cléVersement',
  'conditionsVersement',
  'descriptionConditionsVersement',
  'datesPeriodeVersement',
  'cofinancement',
  'attribuantsCofinanceurs',
  'idCofinancement',
  'idRAE',
  'notificationUE',
  'pourcentageSubvention',
  'evaluationCout',
  'evaluation',
  'dateMiseAJour',
] as const;

export interface GrantForOpenData {
  reference: string;
  partnerCode: string;
  partnerName: string;
  partnerSiret: string;
  holderName: string;
  holderSiret: string | null;
  holderRna: string | null;
  year: number;
  copilDate: string;
  conventionDate: string;
  startDate: string | null;
  endDate: string | null;
  title: string;
  requestedCents: number;
  grantedCents: number;
  totalCostCents: number;
  advancePercent: number;
  paymentPeriod: { from: string; to: string };
  coFinancers: string[];
  updatedOn: string;
}

/** The share of the action's cost a grant covers, as SCDL wants it: a decimal from 0.01 to 1. */
export function subsidyShare(grantedCents: number, totalCostCents: number): string {
  if (totalCostCents <= 0) return '1';
  const tenThousandths = Math.floor((grantedCents * 20000 + totalCostCents) / (totalCostCents * 2));
  const bounded = Math.min(10000, Math.max(100, tenThousandths)); // SCDL floor: 0.01
  return (bounded / 10000).toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
}

export function toScdlRow(grant: GrantForOpenData): Record<(typeof SCDL_FIELDS)[number], string> {
  const staged = grant.advancePercent > 0 && grant.advancePercent < 100;
  return {
    idSubvention: `${grant.reference}-${grant.partnerCode}`,
    nomAttribuant: grant.partnerName,
    idAttribuant: grant.partnerSiret,
    nomServiceInstructeur: grant.partnerName,
    idServiceInstructeur: grant.partnerSiret,
    nomBeneficiaire: grant.holderName,
    idBeneficiaire: grant.holderSiret ?? '',
    // SCDL's pattern takes digits only after the W: a Corsican RNA (W2A…) is left out rather than made invalid.
    rnaBeneficiaire: grant.holderRna && /^W\d{9}$/.test(grant.holderRna) ? grant.holderRna : '',
    exerciceBudgetaire: String(grant.year),
    pluriannualite: 'non',
    anneesPluriannualite: '',
    dateDecision: grant.copilDate,
    dateConvention: grant.conventionDate,
    referenceDecision: grant.reference,
    dateCreation: '',
    dateDebut: grant.startDate ?? '',
    dateFin: grant.endDate ?? '',
    dispositif: 'Politique de la ville – appel à projets du contrat de ville',
    sousDispositif: '',
    statutLabel: 'attribuée',
    objet: grant.title.slice(0, 256),
    nature: 'aide en numéraire',
    montantDemande: dotDecimal(grant.requestedCents),
    montant: dotDecimal(grant.grantedCents),
    nomOutilInstruction: '',
    nomOutilVersement: '',
    ej: '',
    cléVersement: '',
    conditionsVersement: staged ? 'échelonné' : 'unique',
    descriptionConditionsVersement: staged
      ? `Avance de ${grant.advancePercent} % à la signature de la convention, solde après le compte rendu financier.`
      : 'Versement unique à la signature de la convention.',
    datesPeriodeVersement: `${grant.paymentPeriod.from}/${grant.paymentPeriod.to}`,
    cofinancement: grant.coFinancers.length > 0 ? 'oui' : 'non',
    attribuantsCofinanceurs: grant.coFinancers.join(';'),
    idCofinancement: '',
    idRAE: '',
    notificationUE: 'non',
    pourcentageSubvention: subsidyShare(grant.grantedCents, grant.totalCostCents),
    evaluationCout: '',
    evaluation: '',
    dateMiseAJour: grant.updatedOn,
  };
}
