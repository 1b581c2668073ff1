export const TEST_ADMIN = { email: 'admin@test.local', password: 'admin-password-for-tests' };
export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789abcdefghijklmnop';
