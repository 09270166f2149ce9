// Lint: typescript-eslint strict, plus the boundaries between layers (style.md §10).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Only db/ and analysis/queries/ hold SQL: elsewhere the database's libraries are imported for
// their types alone, and no query is built. Tests, bench/ and reliability/ set up and inspect
// databases directly, and are excepted.
const sqlHomes = ['db/**', 'analysis/queries/**'];
const sqlExcepted = ['**/*.test.ts', 'bench/**', 'reliability/**', 'survey-app/**'];
const databaseLibraries = ['kysely', 'pg', '@electric-sql/pglite', 'pg-copy-streams'].map(
  (name) => ({
    name,
    message: 'SQL lives in db/ (repositories) and analysis/queries/; import types only.',
    allowTypeImports: true,
  }),
);
const queryBuilding = {
  selector:
    'CallExpression > MemberExpression.callee > Identifier.property[name=/^(selectFrom|insertInto|updateTable|deleteFrom|mergeInto|withRecursive|executeQuery)$/]',
  message: 'SQL lives in db/ (repositories) and analysis/queries/: call a repository.',
};
// zod's `z` export, and its `locales` namespace, hold all of zod: each use of either puts all of it,
// every locale too, in the bundles of build/, where `sipas` compiled 0.57 MB more at each start
// (issue 19). Through `import * as z`, and locales by name, esbuild keeps the parts in use.
const wholeZod = [
  {
    selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']",
    message: "import * as z from 'zod': the bundles then hold only the zod in use.",
  },
  {
    selector: "MemberExpression[object.name='z'][property.name='locales']",
    message: "import a locale by name from 'zod/locales': z.locales is every locale.",
  },
];
const noRoutes = {
  group: ['**/routes/*', '**/routes/**'],
  message: 'Routes call services, never the other way.',
};
const noApi = { group: ['**/api/*', '**/api/**'], message: 'analysis/ does not depend on api/.' };

// The browser may import the API's types from api/contract.ts, and nothing else of the API.
const apiTypesOnly = {
  group: ['**/api/contract.ts'],
  allowTypeImports: true,
  message: 'The browser imports only types from the API: `import type`.',
};

export default tseslint.config(
  {
    ignores: ['node_modules/', 'data/', 'survey-app/dist/', 'fixtures/', 'test-results/', 'build/'],
  },
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
  {
    files: ['**/*.{ts,tsx,js}'],
    rules: { 'no-restricted-syntax': ['error', ...wholeZod] },
  },
  {
    files: ['**/*.{ts,tsx,js}'],
    ignores: [...sqlHomes, ...sqlExcepted],
    rules: {
      'no-restricted-imports': ['error', { paths: databaseLibraries }],
      'no-restricted-syntax': ['error', queryBuilding, ...wholeZod],
    },
  },
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
    files: ['api/routes/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: databaseLibraries,
          patterns: [
            { group: ['**/db/repositories/*'], message: 'Routes call services, not repositories.' },
          ],
        },
      ],
    },
  },
  {
    files: ['api/services/**/*.ts'],
    ignores: sqlExcepted,
    rules: {
      'no-restricted-imports': ['error', { paths: databaseLibraries, patterns: [noRoutes] }],
    },
  },
  {
    files: ['api/services/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noRoutes] }] },
  },
  {
    files: ['analysis/**/*.ts'],
    ignores: ['analysis/**/*.test.ts', ...sqlHomes],
    rules: {
      'no-restricted-imports': ['error', { paths: databaseLibraries, patterns: [noApi] }],
    },
  },
  {
    files: ['analysis/queries/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noApi] }] },
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
              group: [
                '**/db/**',
                '**/analysis/**',
                '**/api/**',
                '!**/api/contract.ts',
                'kysely',
                'pg',
              ],
              message: 'The survey app talks to the service over HTTP only.',
            },
            apiTypesOnly,
          ],
        },
      ],
    },
  },
);
