import { parseFrenchAmount } from '../../common/money.js';
import { parisDate } from '../../common/paris-time.js';
import type { CampaignDto, EnvelopeDto } from '../../modules/campaigns/dto/campaign.dto.js';
import { DEFAULT_CAMPAIGN_RULES, DEFAULT_SCORING_GRID } from '../../modules/campaigns/campaign-rules.js';
import { one, type Form } from '../dossier-forms.js';
import type { FormFields } from '../form-validation.js';

/** The calendar's fields, in the order of the year, as the form and the errors name them. */
export const CALENDAR_FIELDS = [
  { name: 'opensAt', label: 'Ouverture des dépôts' },
  { name: 'submissionDeadline', label: 'Date limite de dépôt' },
  { name: 'reviewDeadline', label: 'Date limite des avis des financeurs' },
  { name: 'cotechDate', label: 'Comité technique (COTECH)' },
  { name: 'copilDate', label: 'Comité de pilotage (COPIL)' },
  { name: 'reportDeadline', label: 'Date limite des bilans' },
] as const;

export const RULE_FIELDS = [
  { name: 'minQpvSharePercent', label: 'Part minimale d’habitants des QPV (%)' },
  { name: 'maxSingleFinancerSharePercent', label: 'Part maximale demandée à un seul financeur (%)' },
  { name: 'minWomenSharePercent', label: 'Part minimale de femmes parmi les bénéficiaires (%)' },
  { name: 'advancePercent', label: 'Avance versée à la signature (%)' },
] as const;

export const GRID_ROWS = 8;

export const CAMPAIGN_FIELDS: FormFields = {
  year: { id: 'year', label: 'Année' },
  title: { id: 'title', label: 'Intitulé' },
  ...Object.fromEntries(CALENDAR_FIELDS.map(({ name, label }) => [name, { id: name, label }])),
  ...Object.fromEntries(
    RULE_FIELDS.map(({ name, label }) => [`rules.${name}`, { id: `rules-${name}`, label }]),
  ),
  rules: { id: 'rules-minQpvSharePercent', label: 'Règles' },
  scoringGrid: { id: 'grid-0-label', label: 'Grille de notation' },
};

/** The form as first shown: next year, the protocol's rules and grid. */
export function blankCampaignForm(today: Date): Form {
  const year = today.getFullYear() + 1;
  const form: Form = { year: String(year), title: `Appel à projets ${year} du contrat de ville` };
  for (const { name } of RULE_FIELDS) form[`rules-${name}`] = String(DEFAULT_CAMPAIGN_RULES[name]);
  DEFAULT_SCORING_GRID.forEach((criterion, index) => {
    form[`grid-${index}-code`] = criterion.code;
    form[`grid-${index}-label`] = criterion.label;
    form[`grid-${index}-weight`] = String(criterion.weight);
  });
  return form;
}

const integer = (typed: string) => (/^\s*\d+\s*$/.test(typed) ? Number(typed) : typed);

/** The create-campaign DTO's plain object from the form (types left to the DTO's validation). */
export function parseCampaignForm(form: Form) {
  const grid = Array.from({ length: GRID_ROWS }, (_, index) => ({
    code: one(form, `grid-${index}-code`).toUpperCase(),
    label: one(form, `grid-${index}-label`),
    weight: integer(one(form, `grid-${index}-weight`)),
  })).filter((row) => row.code || row.label || row.weight !== '');
  return {
    year: integer(one(form, 'year')),
    title: one(form, 'title'),
    ...Object.fromEntries(CALENDAR_FIELDS.map(({ name }) => [name, one(form, name)])),
    rules: Object.fromEntries(RULE_FIELDS.map(({ name }) => [name, integer(one(form, `rules-${name}`))])),
    scoringGrid: grid,
  };
}

/** The envelope form's field for a financer and a theme (`ALL`: every theme). */
export const envelopeField = (partnerCode: string, themeCode: string | null) =>
  `e-${partnerCode}-${themeCode ?? 'ALL'}`;

/** The envelopes typed on the form: each field filled is an envelope; the refused ones are named. */
export function parseEnvelopeForm(
  form: Form,
  financers: { code: string }[],
  themes: { code: string }[],
): { envelopes: { partnerCode: string; themeCode?: string; amountCents: number }[]; refused: string[] } {
  const envelopes: { partnerCode: string; themeCode?: string; amountCents: number }[] = [];
  const refused: string[] = [];
  for (const financer of financers) {
    for (const theme of [null, ...themes.map((candidate) => candidate.code)]) {
      const field = envelopeField(financer.code, theme);
      const typed = one(form, field).trim();
      if (!typed) continue;
      const cents = parseFrenchAmount(typed);
      if (cents === undefined) refused.push(field);
      else
        envelopes.push({
          partnerCode: financer.code,
          ...(theme ? { themeCode: theme } : {}),
          amountCents: cents,
        });
    }
  }
  return { envelopes, refused };
}

/** A campaign's date or instant as its day in Paris (an opening at midnight is the day before in UTC). */
export const dateOf = (value: string): string => (value.length === 10 ? value : parisDate(new Date(value)));

/** The dates of the campaign still to come, the nearest first. */
export function nextDeadlines(campaign: CampaignDto, today: string) {
  return CALENDAR_FIELDS.map(({ name, label }) => ({ label, date: dateOf(campaign[name]) }))
    .filter((deadline) => deadline.date >= today)
    .sort((a, b) => a.date.localeCompare(b.date));
}

/** An envelope's label: the financer's name and its theme, or « tous thèmes ». */
export function envelopeLabel(
  envelope: Pick<EnvelopeDto, 'partnerCode' | 'themeCode'>,
  partners: { code: string; name: string }[],
  themes: { code: string; label: string }[],
): string {
  const partner =
    partners.find((candidate) => candidate.code === envelope.partnerCode)?.name ?? envelope.partnerCode;
  const theme = envelope.themeCode
    ? (themes.find((candidate) => candidate.code === envelope.themeCode)?.label ?? envelope.themeCode)
    : 'tous thèmes';
  return `${partner} · ${theme}`;
}
