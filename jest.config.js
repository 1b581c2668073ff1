/**
 * Jest runs in native ESM mode (NestJS 12 ships ESM only): see package.json's NODE_OPTIONS.
 * Two tiers: `unit` (pure code beside the sources, no PostgreSQL or Redis, no global set-up) and `e2e`
 * (the real app on a migrated database, Redis and an SMTP catcher; the global set-up prepares them).
 */
const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        useESM: true,
        tsconfig: 'tsconfig.json',
        diagnostics: { ignoreCodes: [151002] },
        astTransformers: { before: ['<rootDir>/test/support/swagger-plugin.cjs'] },
      },
    ],
  },
};

export default {
  testTimeout: 30000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.js',
      globalTeardown: '<rootDir>/test/support/global-teardown.js',
    },
  ],
};
