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
  advancePercent: number;
  /** When the holder submitted the application (Paris date): SCDL's « dateCreation », the request's filing. */
  submittedOn: string;
  /** Funders outside the contract the budget counts on: the project is co-financed by them too. */
  outsideFunders: string[];
  paymentPeriod: { from: string; to: string };
  coFinancers: string[];
  updatedOn: string;
}

/**
 * SCDL's « pourcentageSubvention » is the share of the subsidy paid to this beneficiary when several share
 * one subsidy (not the share of the action's cost): every grant here goes to its one holder, so 1.00.
 */
export const SINGLE_BENEFICIARY_SHARE = '1.00';

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
    dateCreation: grant.submittedOn,
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
    cofinancement: grant.coFinancers.length + grant.outsideFunders.length > 0 ? 'oui' : 'non',
    // « Si plusieurs attribuants, les séparer par des virgules »: the other financers granting this action.
    attribuantsCofinanceurs: grant.coFinancers.join(', '),
    // « Identification unique pour un projet donné, commun à tous les cofinanceurs »: the application.
    idCofinancement: grant.reference,
    idRAE: '',
    notificationUE: 'non',
    pourcentageSubvention: SINGLE_BENEFICIARY_SHARE,
    evaluationCout: '',
    evaluation: '',
    dateMiseAJour: grant.updatedOn,
  };
}
