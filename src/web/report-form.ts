/**
 * The CERFA 15059 parts of the end-of-action report as people fill them on the report page (the values
 * achieved of the application's indicators, the actual dates, the QPV residents per quarter, the
 * signatory's attestation), turned into the API's report fields and back. Pure.
 */
import type { ApplicationDto } from '../modules/applications/dto/application.dto.js';
import type { ReportDto } from '../modules/reports/dto/report.dto.js';
import { many, one, type Form } from './dossier-forms.js';
import type { FieldError } from './pages.js';

/** What the report accounts for: the application's indicators and quarters. */
export type Planned = Pick<ApplicationDto, 'indicators' | 'qpvCodes'> & {
  certification: Record<string, unknown> | null;
};

/** The form's values of these parts, as typed (shown again with the errors) or as stored. */
export interface ReportFactsValues {
  achieved: string[];
  comments: string[];
  byQpv: Record<string, string>;
  actualStartDate: string;
  actualEndDate: string;
  signatoryName: string;
  signatoryRole: string;
  certifies: boolean;
}

/** The API's report fields these parts fill. */
export interface ReportFacts {
  indicators: { label: string; targetValue: number; achievedValue: number; comment?: string }[];
  byQpv: Record<string, number>;
  actualStartDate?: string;
  actualEndDate?: string;
  certification?: { signatoryName: string; signatoryRole: string; certifiesAccuracy: boolean };
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const decimal = (typed: string): number | undefined => {
  const compact = typed.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (compact === '') return undefined;
  return /^\d{1,10}(\.\d{1,2})?$/.test(compact) ? Number(compact) : Number.NaN;
};
const frenchNumber = (value: number): string => String(value).replace('.', ',');

export function readReportFacts(form: Form): ReportFactsValues {
  const byQpv: Record<string, string> = {};
  for (const [name, value] of Object.entries(form))
    if (name.startsWith('byQpv_')) byQpv[name.slice('byQpv_'.length)] = one({ value }, 'value');
  return {
    achieved: many(form, 'indicatorAchieved'),
    comments: many(form, 'indicatorComment'),
    byQpv,
    actualStartDate: one(form, 'actualStartDate'),
    actualEndDate: one(form, 'actualEndDate'),
    signatoryName: one(form, 'signatoryName'),
    signatoryRole: one(form, 'signatoryRole'),
    certifies: one(form, 'certifiesAccuracy') === '1',
  };
}

/**
 * The typed values as the API's fields: an indicator left blank is left out (submitting then names it),
 * a quarter left blank too; the attestation is given once its box is ticked.
 */
export function parseReportFacts(
  values: ReportFactsValues,
  planned: Planned,
): { facts: ReportFacts; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const indicators = planned.indicators.flatMap((indicator, index) => {
    const achieved = decimal(values.achieved[index] ?? '');
    if (achieved === undefined) return [];
    if (Number.isNaN(achieved)) {
      errors.push({
        id: `indicatorAchieved-${index}`,
        message: `Indiquez la valeur atteinte de « ${indicator.label} » en nombre, par exemple 12 ou 35,5.`,
      });
      return [];
    }
    const comment = (values.comments[index] ?? '').trim();
    return [
      {
        label: indicator.label,
        targetValue: indicator.targetValue,
        achievedValue: achieved,
        ...(comment ? { comment } : {}),
      },
    ];
  });
  const byQpv: Record<string, number> = {};
  for (const code of planned.qpvCodes) {
    const typed = (values.byQpv[code] ?? '').replace(/[\s\u00a0\u202f]/g, '');
    if (typed === '') continue;
    if (/^\d{1,9}$/.test(typed)) byQpv[code] = Number(typed);
    else
      errors.push({
        id: `byQpv_${code}`,
        message: 'Indiquez le nombre d’habitants du quartier touchés, par exemple 12.',
      });
  }
  const name = values.signatoryName.trim();
  const role = values.signatoryRole.trim();
  return {
    facts: {
      indicators,
      byQpv,
      actualStartDate: values.actualStartDate.trim() || undefined,
      actualEndDate: values.actualEndDate.trim() || undefined,
      certification: values.certifies
        ? { signatoryName: name, signatoryRole: role, certifiesAccuracy: true }
        : undefined,
    },
    errors,
  };
}

/**
 * The stored report's values, or for a first report the application's: its signatory signs the report
 * too, unless someone else is named.
 */
export function reportFactsValues(report: ReportDto | undefined, planned: Planned): ReportFactsValues {
  const given = new Map((report?.indicators ?? []).map((indicator) => [indicator.label, indicator]));
  const byQpv = report?.beneficiaries.byQpv ?? {};
  const signatory = report?.certification ?? planned.certification;
  return {
    achieved: planned.indicators.map((indicator) => {
      const value = given.get(indicator.label)?.achievedValue;
      return value === undefined ? '' : frenchNumber(value);
    }),
    comments: planned.indicators.map((indicator) => given.get(indicator.label)?.comment ?? ''),
    byQpv: Object.fromEntries(planned.qpvCodes.map((code) => [code, byQpv[code]?.toString() ?? ''])),
    actualStartDate: report?.actualStartDate ?? '',
    actualEndDate: report?.actualEndDate ?? '',
    signatoryName: text(signatory?.signatoryName),
    signatoryRole: text(signatory?.signatoryRole),
    certifies: report?.certification?.certifiesAccuracy === true,
  };
}
