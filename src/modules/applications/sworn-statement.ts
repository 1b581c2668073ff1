import type { CodedDetail } from '../../common/application-error.js';
import './applications.errors.js'; // registers the codes used here

/** The commitments of CERFA 12156 §7 a submission certifies on its honour (`republicanCommitmentSigned` aside). */
export const COMMITMENTS = {
  certifiesAccuracy: 'les informations du dossier sont exactes et complètes',
  obligationsUpToDate:
    'la structure est à jour de ses obligations sociales et fiscales (déclarations et paiements)',
  budgetApproved: 'le budget de l’action a été approuvé par les instances statutaires',
  publicAidDeclared: 'les aides publiques reçues ces trois dernières années sont déclarées',
  paymentToOwnAccount: 'la subvention sera versée sur le compte bancaire de la structure',
} as const;
export type Commitment = keyof typeof COMMITMENTS;

export const REPUBLICAN_COMMITMENT =
  'la structure a souscrit le contrat d’engagement républicain (loi n° 2021-1109 du 24 août 2021)';

export interface SwornStatement extends Partial<Record<Commitment, boolean>> {
  signatoryName: string;
  signatoryRole: string;
  republicanCommitmentSigned?: boolean;
}

export interface HolderFacts {
  siret: string | null;
  legalForm: string;
  legalRepresentative: string;
}

const plain = (text: string): string =>
  text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * The contrat d'engagement républicain binds associations and foundations asking a public subsidy (loi
 * 2021-1109, art. 12), not a social landlord or a public body.
 */
export function needsRepublicanCommitment(legalForm: string): boolean {
  return /association|fondation|fonds de dotation/.test(plain(legalForm));
}

/** Whether the signatory is the legal representative the organisation declared (« Jeanne Roux, présidente »). */
export function signsAsLegalRepresentative(signatoryName: string, legalRepresentative: string): boolean {
  const name = plain(signatoryName);
  return name.length > 0 && plain(legalRepresentative).includes(name);
}

/**
 * What stops a submission on the holder's side, every problem at once: no SIRET (a subsidy cannot be paid
 * without one), a commitment of the sworn statement not given, a signatory other than the legal
 * representative without a power of attorney attached.
 */
export function swornStatementProblems(
  statement: SwornStatement | undefined,
  holder: HolderFacts,
  attachmentKinds: readonly string[],
): CodedDetail[] {
  const problems: CodedDetail[] = [];
  if (!holder.siret) {
    problems.push({
      field: 'organization.siret',
      code: 'SIRET_REQUIRED',
      message:
        'Le numéro SIRET de la structure est nécessaire pour déposer : une subvention ne peut être versée sans lui. ' +
        'Une association l’obtient gratuitement en demandant son inscription au répertoire Sirene de l’INSEE ' +
        '(démarche en ligne sur insee.fr ou service-public.fr, avec ses statuts et le récépissé de déclaration en préfecture), ' +
        'puis l’ajoute à sa structure dans son espace.',
    });
  }
  const missing = (Object.keys(COMMITMENTS) as Commitment[]).filter((key) => statement?.[key] !== true);
  if (needsRepublicanCommitment(holder.legalForm) && statement?.republicanCommitmentSigned !== true)
    missing.push('republicanCommitmentSigned' as Commitment);
  for (const key of missing) {
    problems.push({
      field: `certification.${key}`,
      code: 'CERTIFICATION_REQUIRED',
      message: `Le signataire doit attester sur l’honneur que ${
        key === ('republicanCommitmentSigned' as Commitment) ? REPUBLICAN_COMMITMENT : COMMITMENTS[key]
      }.`,
    });
  }
  if (
    statement &&
    !signsAsLegalRepresentative(statement.signatoryName, holder.legalRepresentative) &&
    !attachmentKinds.includes('POWER_OF_ATTORNEY')
  ) {
    problems.push({
      field: 'attachments',
      code: 'POWER_OF_ATTORNEY_REQUIRED',
      message: `${statement.signatoryName} n’est pas le représentant légal déclaré (${holder.legalRepresentative}) : joignez le pouvoir qu’il ou elle lui a donné de signer (pièce « POWER_OF_ATTORNEY »).`,
    });
  }
  return problems;
}

/** The commitments attested, in French, for the acknowledgement of receipt. */
export function attestedCommitments(republicanCommitment: boolean): string[] {
  return [...Object.values(COMMITMENTS), ...(republicanCommitment ? [REPUBLICAN_COMMITMENT] : [])];
}
