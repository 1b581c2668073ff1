import { CAMPAIGN_STATUS_LABELS, type CampaignStatus } from '../modules/campaigns/campaign-status.js';
import nunjucks from 'nunjucks';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../common/project-root.js';
import { formatEuros } from '../common/money.js';
import { frenchDate, frenchDateTime } from '../common/french.js';
import { parisDate } from '../common/paris-time.js';
import { STATUS_LABELS, type ApplicationStatus } from '../modules/applications/application-status.js';

/**
 * The pages' Nunjucks environment: our templates (`templates/web/`) and GOV.UK Frontend's macros, HTML
 * escaped, French filters (`euros` for cents, `frenchDate` for a date or an instant, in Paris), and `asset()`
 * for the hashed name `npm run build` gave a stylesheet. GOV.UK's macros read optional parameters, so an
 * undefined value prints nothing here (the emails and the convention stay strict).
 */
let environment: nunjucks.Environment | undefined;

function manifest(): Record<string, string> {
  try {
    return JSON.parse(readFileSync(join(projectRoot(), 'dist', 'public', 'manifest.json'), 'utf8')) as Record<
      string,
      string
    >;
  } catch {
    throw new Error(
      'dist/public/manifest.json is missing: run `npm run build` (it compiles the pages’ styles)',
    );
  }
}

function web(): nunjucks.Environment {
  if (environment) return environment;
  const root = projectRoot();
  const assets = manifest();
  environment = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([
      join(root, 'templates', 'web'),
      join(root, 'node_modules', 'govuk-frontend', 'dist'),
    ]),
    { autoescape: true, trimBlocks: true, lstripBlocks: true },
  );
  environment.addFilter('euros', (cents: number) => formatEuros(cents));
  // A date, or an instant read as its day in Paris.
  environment.addFilter('frenchDate', (value: string | Date) =>
    frenchDate(typeof value === 'string' && value.length === 10 ? value : parisDate(new Date(value))),
  );
  // A score or a share as written in French: 3,67.
  environment.addFilter('decimal', (value: number) => value.toLocaleString('fr-FR'));
  environment.addFilter('frenchDateTime', (value: string | Date) => frenchDateTime(new Date(value)));
  environment.addFilter(
    'statusLabel',
    (status: string) => STATUS_LABELS[status as ApplicationStatus] ?? status,
  );
  environment.addFilter(
    'campaignStatusLabel',
    (status: string) => CAMPAIGN_STATUS_LABELS[status as CampaignStatus] ?? status,
  );
  // The message of a form's field, if the page refused it (`errors`: { id, message }[]).
  environment.addGlobal(
    'errorFor',
    (errors: { id: string; message: string }[] | undefined, id: string) =>
      errors?.find((error) => error.id === id)?.message,
  );
  environment.addGlobal('asset', (name: string) => {
    const hashed = assets[name];
    if (!hashed) throw new Error(`no built asset named ${name}`);
    return `/assets/${hashed}`;
  });
  environment.addGlobal('serviceName', 'Contrat de ville : appel à projets');
  return environment;
}

/** Renders a page of `templates/web/`. */
export function renderPage(name: string, context: object): string {
  return web().render(name, context);
}
