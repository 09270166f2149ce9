// Lint: typescript-eslint strict, plus the boundaries between layers (style.md §10).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noDatabase = {
  paths: ['kysely', 'pg', '@electric-sql/pglite'].map((name) => ({
    name,
    message: 'Routes call services; SQL lives in db/ and analysis/queries/.',
    allowTypeImports: true,
  })),
  patterns: [
    { group: ['**/db/repositories/*'], message: 'Routes call services, not repositories.' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'survey-app/dist/', 'fixtures/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Migrations are frozen in time: they see any database shape, never application code.
    files: ['db/migrations/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../*', '!./*'], message: 'A migration imports no application code.' },
          ],
        },
      ],
    },
  },
  { files: ['api/routes/**/*.ts'], rules: { 'no-restricted-imports': ['error', noDatabase] } },
  {
    // The rules that the browser and the server share are pure: the survey page loads them too.
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'ImportDeclaration, ImportExpression, ExportAllDeclaration, ExportNamedDeclaration[source]',
          message: 'shared/ imports nothing.',
        },
      ],
    },
  },
  {
    files: ['analysis/**/*.ts'],
    ignores: ['analysis/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/api/*', '**/api/**'], message: 'analysis/ does not depend on api/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['survey-app/**/*.{ts,tsx}'],
    ignores: ['survey-app/**/*.test.ts', 'survey-app/vite.config.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'The survey app runs in a browser.' },
            {
              group: ['**/db/**', '**/analysis/**', '**/api/**', 'kysely', 'pg'],
              message: 'The survey app talks to the service over HTTP only.',
            },
          ],
        },
      ],
    },
  },
);
