// The pages' only script, an enhancement: every page works without it. `npm run build` writes it to
// dist/public with the hashed name of GOV.UK Frontend's module in its import.
import { initAll } from './__GOVUK_FRONTEND__';

initAll();

/** Amounts as people type them (« 4 270,50 », « 4270.50 »), in cents; NaN when unreadable. */
function cents(typed) {
  const compact = typed
    .trim()
    .replace(/\s*€$/u, '')
    .replace(/[\s\u00a0\u202f]/g, '');
  if (compact === '') return 0;
  const match = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(compact);
  if (!match) return Number.NaN;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}
const euros = (value) =>
  new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(value / 100);

/** The budget grid: totals and balance follow what is typed. */
const grid = document.querySelector('[data-budget]');
if (grid) {
  const sum = (selector) =>
    [...grid.querySelectorAll(selector)].reduce((total, input) => {
      const value = cents(input.value);
      return Number.isNaN(value) ? total : total + value;
    }, 0);
  const update = () => {
    const charges = sum('input[name="chargeAmount"]');
    const products = sum('input[name^="financer-"], input[name="productAmount"]');
    grid.querySelectorAll('[data-total="charges"]').forEach((cell) => (cell.textContent = euros(charges)));
    grid.querySelectorAll('[data-total="products"]').forEach((cell) => (cell.textContent = euros(products)));
    const gap = charges - products;
    grid.querySelector('[data-total="balance"]').textContent =
      gap === 0
        ? 'Équilibré'
        : `${euros(Math.abs(gap))} ${gap > 0 ? 'de produits manquants' : 'de produits en trop'}`;
  };
  grid.addEventListener('input', update);
}

/**
 * A section's draft saves itself a few seconds after typing stops, and says so; if the session expired it
 * says that plainly (what was typed stays on the page) instead of failing silently.
 */
const form = document.querySelector('form[data-autosave="on"]');
if (form) {
  const status = form.querySelector('[data-autosave-status]');
  let timer;
  let saving = false;
  const say = (text) => {
    if (status) status.textContent = text;
  };
  const save = async () => {
    if (saving) return;
    saving = true;
    const body = new URLSearchParams(new FormData(form));
    body.set('autosave', '1');
    body.delete('action');
    try {
      const response = await fetch(form.action, {
        method: 'POST',
        body,
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
      });
      const answer = await response.json().catch(() => ({}));
      if (response.ok && answer.saved) {
        form.querySelector('input[name="version"]').value = String(answer.version);
        say(
          `Brouillon enregistré à ${new Date().toLocaleTimeString('fr-FR', { hour: '2-digit', minute: '2-digit' })}.`,
        );
      } else if (response.status === 401) {
        say(
          'Votre session a expiré : ce que vous venez de saisir n’est pas enregistré. Copiez-le, reconnectez-vous dans un autre onglet, puis cliquez sur « Enregistrer et continuer ».',
        );
        status?.classList.add('cdv-autosave--error');
      } else if (response.status === 422) {
        say(
          'Brouillon non enregistré : certaines réponses sont à corriger (elles seront signalées en cliquant sur « Enregistrer et continuer »).',
        );
      } else {
        say('Brouillon non enregistré pour le moment : nouvel essai à la prochaine saisie.');
      }
    } catch {
      say('Brouillon non enregistré : la connexion semble coupée. Nouvel essai à la prochaine saisie.');
    } finally {
      saving = false;
    }
  };
  form.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(save, 2000);
  });
}

/** The review form: the weighted score, as it will count, follows the criteria's scores. */
const total = document.querySelector('[data-weighted-total]');
if (total) {
  const selects = [...document.querySelectorAll('select[data-weight]')];
  const update = () => {
    let weighted = 0;
    let weights = 0;
    for (const select of selects) {
      if (select.value === '') continue;
      const weight = Number(select.dataset.weight);
      weighted += Number(select.value) * weight;
      weights += weight;
    }
    // Hundredths rounded half up, as the service computes it (reviews/scoring.ts).
    total.textContent =
      weights === 0
        ? 'pas encore de note'
        : `${(Math.floor((weighted * 100 * 2 + weights) / (weights * 2)) / 100).toLocaleString('fr-FR')} / 5`;
  };
  for (const select of selects) select.addEventListener('change', update);
}
