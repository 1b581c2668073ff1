export const TEST_ADMIN = { email: 'admin@test.local', password: 'admin-password-for-tests' };
/** A user of the national agency, created by a test where it needs one (`ensureNationalUser`). */
export const TEST_NATIONAL = {
  email: 'suivi@anct.example.fr',
  password: 'mot-de-passe-national-42',
  displayName: 'ANCT',
};
export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789abcdefghijklmnop';

/** The review form's labels of the default scoring grid's criteria (DEFAULT_SCORING_GRID), as a browser finds them. */
export const CRITERIA_LABELS = [
  'Adéquation aux enjeux et mesures du contrat de ville (poids 3)',
  'Impact pour les habitants des quartiers prioritaires (poids 3)',
  'Partenariat et cofinancements mobilisés (poids 2)',
  'Prise en compte des priorités transversales (égalité, jeunesse, discriminations) (poids 2)',
  'Réalisme du budget et capacité du porteur (poids 2)',
];
