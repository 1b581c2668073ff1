import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** What reads as a hand-written SQL statement in a string (docs/architecture.md, "SQL has a home"). */
const SQL = String.raw`/\b(SELECT\s[\s\S]*\bFROM|INSERT\s+INTO|DELETE\s+FROM|UPDATE\s+\S+\s+SET|WITH\s+\w+\s+AS\s*\()\b/`;

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    // SQL has a home: every hand-written statement lives in a repository (`*.repository.ts`, the data layer's
    // own in `src/database/database.repository.ts`); migrations are outside `src/`. A string that reads as SQL
    // elsewhere fails.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.repository.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...['Literal', 'TemplateElement'].map((node) => ({
          selector: `${node}[${node === 'Literal' ? 'value' : 'value.raw'}=${SQL}]`,
          message:
            'SQL belongs in the module’s repository (*.repository.ts): name a method there and call it.',
        })),
      ],
    },
  },
  {
    // The pages' script runs in the browser.
    files: ['src/web/scripts/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: {
        document: 'readonly',
        window: 'readonly',
        URLSearchParams: 'readonly',
        FormData: 'readonly',
        fetch: 'readonly',
        Intl: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'seeds/**/*.ts', 'src/**/*.spec.ts', 'src/database/cli.ts'],
    rules: { 'no-console': 'off' },
  },
);
