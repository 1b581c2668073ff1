import { frenchDateTime } from '../../common/french.js';
import { formatEuros } from '../../common/money.js';
import { STATUS_LABELS, type ApplicationStatus } from '../../modules/applications/application-status.js';
import type { AuditEventDto } from '../../modules/audit/dto/audit-event.dto.js';

/** A review's opinion as the pages name it. */
export const OPINION_LABELS: Record<string, string> = {
  FAVORABLE: 'Favorable',
  RESERVED: 'Réservé',
  UNFAVORABLE: 'Défavorable',
  DEFERRED: 'Ajourné',
};

/** The tables of the audit trail, as a person names what changed. */
export const AUDIT_TABLE_LABELS: Record<string, string> = {
  grant_applications: 'Dossier',
  campaigns: 'Appel à projets',
  envelopes: 'Enveloppe',
  reviews: 'Avis',
  decisions: 'Décision',
  conventions: 'Convention',
  reports: 'Bilan',
  users: 'Compte',
  partners: 'Partenaire',
};

const OPERATION_LABELS: Record<string, string> = {
  INSERT: 'création',
  UPDATE: 'modification',
  DELETE: 'suppression',
};

/** The columns a person follows, in French; the others are counted, not named. */
const COLUMN_LABELS: Record<string, string> = {
  status: 'statut',
  title: 'intitulé',
  amount_cents: 'montant',
  granted_amount_cents: 'montant accordé',
  proposed_amount_cents: 'montant proposé',
  requested_cents: 'montant demandé',
  opinion: 'avis',
  final: 'avis validé',
  reason: 'motif',
  disabled_at: 'désactivation',
  name: 'nom',
  is_financer: 'financeur',
  siret: 'SIRET',
};

function shown(column: string, value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (column === 'status' && typeof value === 'string')
    return STATUS_LABELS[value as ApplicationStatus] ?? value;
  if (column.endsWith('_cents') && (typeof value === 'number' || typeof value === 'string'))
    return formatEuros(Number(value));
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** Audit events as lines a person reads: when, who, what, and the followed columns before → after. */
export function auditLines(events: AuditEventDto[]) {
  return events.map((event) => {
    const columns = Object.keys({ ...event.before, ...event.after });
    const named = columns.filter((column) => COLUMN_LABELS[column]);
    const others = columns.length - named.length;
    const changes = named.map((column) =>
      event.operation === 'UPDATE'
        ? `${COLUMN_LABELS[column]} : ${shown(column, event.before?.[column])} → ${shown(column, event.after?.[column])}`
        : `${COLUMN_LABELS[column]} : ${shown(column, (event.after ?? event.before)?.[column])}`,
    );
    if (others > 0) changes.push(`${others} autre${others > 1 ? 's' : ''} champ${others > 1 ? 's' : ''}`);
    return {
      at: frenchDateTime(new Date(event.occurredAt)),
      who: event.actor ? event.actor.displayName : 'le système',
      what: `${AUDIT_TABLE_LABELS[event.tableName] ?? event.tableName} : ${OPERATION_LABELS[event.operation] ?? event.operation}`,
      changes,
      tableName: event.tableName,
      rowId: event.rowId,
    };
  });
}

export const PAYMENT_KIND_LABELS: Record<string, string> = {
  ADVANCE: 'Avance',
  BALANCE: 'Solde',
  RECOVERY: 'Reversement',
};
