/**
 * The lines of the CERFA 12156 "budget du projet" as DAUPHIN lists them (`seeds/data/cerfa_budget_lignes_dauphin.csv`,
 * copied from the reference; `budget-lines.spec.ts` checks they agree): each a heading (`code` = its `poste`)
 * or a detail line (`code` = the CSV's `ligne_ref`). A budget line's `account` is one of these codes; what
 * counts is its `poste`: 74 (operating grants), 86 and 87 (contributions in kind), CHARGINDIRECT (indirect
 * charges), RESSPROPRES (own resources).
 */
export interface BudgetLineKind {
  side: 'charge' | 'product';
  poste: string;
  code: string;
  label: string;
}

export const BUDGET_LINES: readonly BudgetLineKind[] = [
  { side: 'charge', poste: '60', code: '60', label: '60 - Achats' },
  { side: 'charge', poste: '60', code: '604', label: 'Prestations de services' },
  { side: 'charge', poste: '60', code: '601', label: 'Achats matières et fournitures' },
  { side: 'charge', poste: '60', code: '60x', label: 'Autres fournitures' },
  { side: 'charge', poste: '61', code: '61', label: '61 - Services extérieurs' },
  { side: 'charge', poste: '61', code: '613', label: 'Locations' },
  { side: 'charge', poste: '61', code: '615', label: 'Entretien et réparation' },
  { side: 'charge', poste: '61', code: '616', label: 'Assurance' },
  { side: 'charge', poste: '61', code: '618', label: 'Documentation' },
  { side: 'charge', poste: '62', code: '62', label: '62 - Autres services extérieurs' },
  { side: 'charge', poste: '62', code: '622', label: 'Rémunérations intermédiaires et honoraires' },
  { side: 'charge', poste: '62', code: '623', label: 'Publicité, publication' },
  { side: 'charge', poste: '62', code: '625', label: 'Déplacements, Missions' },
  { side: 'charge', poste: '62', code: '62x', label: 'Services bancaires, autres' },
  { side: 'charge', poste: '63', code: '63', label: '63 - Impôts et taxes' },
  { side: 'charge', poste: '63', code: '631', label: 'Impôts et taxes sur rémunération' },
  { side: 'charge', poste: '63', code: '635', label: 'Autres impôts et taxes' },
  { side: 'charge', poste: '64', code: '64', label: '64 - Charges de personnel' },
  { side: 'charge', poste: '64', code: '641', label: 'Rémunération des personnels' },
  { side: 'charge', poste: '64', code: '645', label: 'Charges sociales' },
  { side: 'charge', poste: '64', code: '647', label: 'Autres charges de personnel' },
  { side: 'charge', poste: '65', code: '65', label: '65 - Autres charges de gestion courante' },
  { side: 'charge', poste: '66', code: '66', label: '66 - Charges financières' },
  { side: 'charge', poste: '67', code: '67', label: '67 - Charges exceptionnelles' },
  { side: 'charge', poste: '68', code: '68', label: '68 - Dotation aux amortissements' },
  {
    side: 'charge',
    poste: '69',
    code: '69',
    label: '69 - Impôt sur les bénéfices (IS) ; Participation des salariés',
  },
  { side: 'charge', poste: 'CHARGINDIRECT', code: 'CHARGINDIRECT', label: 'Charges indirectes' },
  { side: 'charge', poste: 'CHARGINDIRECT', code: 'chgfixe', label: 'Charges fixes de fonctionnement' },
  { side: 'charge', poste: 'CHARGINDIRECT', code: 'fraisfin', label: 'Frais financiers' },
  { side: 'charge', poste: 'CHARGINDIRECT', code: 'autchgindirect', label: 'Autres charges indirectes' },
  { side: 'charge', poste: 'CHARGINDIRECT', code: 'excprev', label: 'Excédent prévisionnel (bénéfice)' },
  { side: 'charge', poste: '86', code: '86', label: '86 - Emplois des contributions volontaires en nature' },
  { side: 'charge', poste: '86', code: '860', label: '860 - Secours en nature' },
  {
    side: 'charge',
    poste: '86',
    code: '861',
    label: '861 - Mise à disposition gratuite de biens et services',
  },
  { side: 'charge', poste: '86', code: '862', label: '862 - Prestations' },
  { side: 'charge', poste: '86', code: '864', label: '864 - Personnel bénévole' },
  {
    side: 'product',
    poste: '70',
    code: '70',
    label: '70 - Vente de produits finis, de marchandises, prestations de services',
  },
  { side: 'product', poste: '73', code: '73', label: '73 - Dotations et produits de tarification' },
  { side: 'product', poste: '74', code: '74', label: "74 - Subventions d'exploitation" },
  {
    side: 'product',
    poste: '74',
    code: '74etat',
    label: 'Etat : préciser le(s) ministère(s) sollicité(s), directions ou services déconcentrés sollicités',
  },
  { side: 'product', poste: '74', code: '74region', label: 'Conseil-s Régional(aux)' },
  { side: 'product', poste: '74', code: '74dep', label: 'Conseil-s Départemental (aux)' },
  { side: 'product', poste: '74', code: '74epci', label: "Communautés de communes ou d'agglomérations" },
  { side: 'product', poste: '74', code: '74com', label: 'Commune(s)' },
  { side: 'product', poste: '74', code: '74orgasoc', label: 'Organismes sociaux (CAF, etc. détailler)' },
  { side: 'product', poste: '74', code: '74fe', label: 'Fonds européens (FSE, FEDER, etc.)' },
  {
    side: 'product',
    poste: '74',
    code: '74agenceserv',
    label: "L'agence de services et de paiement (emplois aidés)",
  },
  { side: 'product', poste: '74', code: '74aidespriv', label: 'Aides privées' },
  { side: 'product', poste: '74', code: '74x', label: 'Autres établissements publics' },
  { side: 'product', poste: '75', code: '75', label: '75 - Autres produits de gestion courante' },
  { side: 'product', poste: '75', code: '756', label: '756.Cotisations' },
  { side: 'product', poste: '75', code: '758', label: '758.Dons manuels - Mécénat' },
  { side: 'product', poste: '75', code: '750', label: '750.Autres produits de gestion courante' },
  { side: 'product', poste: '76', code: '76', label: '76 - Produits financiers' },
  { side: 'product', poste: '77', code: '77', label: '77 - Produits exceptionnels' },
  { side: 'product', poste: '78', code: '78', label: '78 - Reprises sur amortissements et provisions' },
  {
    side: 'product',
    poste: '78',
    code: '78x',
    label: '789 - Report de ressources affectées et non utilisées sur des exercices antérieurs',
  },
  { side: 'product', poste: '79', code: '79', label: '79 - Transfert de charges' },
  {
    side: 'product',
    poste: 'RESSPROPRES',
    code: 'RESSPROPRES',
    label: 'Ressources propres affectées au projet',
  },
  {
    side: 'product',
    poste: 'RESSPROPRES',
    code: 'insufprevisionnel',
    label: 'Autofinancement (insuffisance prévisionnelle)',
  },
  { side: 'product', poste: '87', code: '87', label: '87 - Contributions volontaires en nature' },
  { side: 'product', poste: '87', code: '870', label: '870 - Bénévolat' },
  { side: 'product', poste: '87', code: '871', label: '871 - Prestations en nature' },
  { side: 'product', poste: '87', code: '875', label: '875 - Dons en nature' },
];

export const CHARGE_CODES = BUDGET_LINES.filter((line) => line.side === 'charge').map((line) => line.code);
export const PRODUCT_CODES = BUDGET_LINES.filter((line) => line.side === 'product').map((line) => line.code);

const POSTE_OF = new Map(BUDGET_LINES.map((line) => [`${line.side}:${line.code}`, line.poste]));

/** The heading a line's account belongs to ('74' for '74fe'), or undefined for an account the CERFA lacks. */
export function posteOf(side: 'charge' | 'product', account: string): string | undefined {
  return POSTE_OF.get(`${side}:${account}`);
}

/** Operating grants: one line per financer asked, or per funder outside the contract. */
export const SUBSIDY_POSTE = '74';
/** Contributions in kind: their use (charges 86) and their source (products 87), equal, outside every share. */
export const IN_KIND_CHARGE_POSTE = '86';
export const IN_KIND_PRODUCT_POSTE = '87';
