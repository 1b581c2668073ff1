export const TEST_ADMIN = { email: 'admin@test.local', password: 'admin-password-for-tests' };
/** A user of the national agency, created by a test where it needs one (`ensureNationalUser`). */
export const TEST_NATIONAL = {
  email: 'suivi@anct.example.fr',
  password: 'mot-de-passe-national-42',
  displayName: 'ANCT',
};
export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789abcdefghijklmnop';
