// The lint rules (`npm run lint`, a step of `npm test`). Why these and not more: see
// docs/decisions/016-lint-and-estate-accessibility.md.
//
// NOTE: in a flat config the last block that sets a rule for a file wins outright (options are
// not merged), so the layer rules below are given to disjoint sets of files, each block with
// every restriction that applies to its files.
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/** The database: Prisma's client and types, and the one place that opens it. */
const DATABASE = {
  regex: String.raw`(^|/)db\.server(\.ts)?$|(^|/)generated/prisma(/|$)|^@prisma/(client|adapter-pg)(/|$)`,
  message: 'Only app/models (and jobs, seeds, scripts) reach the database: call a model function (docs/decisions/001-routes-and-layers.md).',
}
/** Server-only modules: the classic compiler empties them in the browser bundle, silently. */
const SERVER_ONLY = {
  regex: String.raw`\.server(\.tsx?)?$|^node:|^@remix-run/node$`,
  message: 'Browser code (components, app/utils without .server) must not import server-only modules: move the code into a .server file or pass the data in.',
  allowTypeImports: true,
}
const TESTS = {
  regex: String.raw`^#tests/|(^|/)tests/`,
  message: 'App code never imports tests: move what both need into app/.',
}
const restrict = (...patterns) => ['error', { patterns }]

const TEST_FILES = ['**/*.test.ts', '**/*.test.tsx']
const SERVER_FILES = ['app/**/*.server.{ts,tsx}']
/** Route modules, the root and the entries: the compiler splits them, so they may import server code. */
const SERVER_ENTRIES = ['app/routes/**/*.{ts,tsx}', 'app/root.tsx', 'app/entry.server.tsx', 'app/server.ts']
/**
 * Besides app/models, the few server modules that own a database concern: the client itself,
 * the helpers models build SQL with, lucia's session store, the membership check every request
 * makes before it has a scope, and the server's shutdown (which closes the pool).
 */
const DATABASE_OWNERS = [
  // The domain layer's server files; its browser-safe files (vocabulary, schemas, pure logic) are browser code.
  'app/models/**/*.server.{ts,tsx}',
  'app/utils/db.server.ts',
  'app/utils/bulk-sql.server.ts',
  'app/utils/session.server.ts',
  'app/utils/tenant.server.ts',
  'app/server.ts',
]

export default tseslint.config(
  { ignores: ['build/**', 'public/build/**', 'app/generated/**', 'node_modules/**', 'coverage/**', '.tmp/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_`-prefixed names are deliberately unused (a destructured-away field, a required parameter).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['app/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },

  // ─── Layers ────────────────────────────────────────────────────────────────
  {
    // Browser code: every app module without the .server suffix but the route modules and entries.
    files: ['app/**/*.{ts,tsx}'],
    ignores: [...SERVER_FILES, ...SERVER_ENTRIES, ...TEST_FILES],
    rules: { '@typescript-eslint/no-restricted-imports': restrict(DATABASE, SERVER_ONLY, TESTS) },
  },
  {
    files: [...SERVER_FILES, ...SERVER_ENTRIES],
    ignores: [...DATABASE_OWNERS, ...TEST_FILES],
    rules: { '@typescript-eslint/no-restricted-imports': restrict(DATABASE, TESTS) },
  },
  {
    files: DATABASE_OWNERS,
    ignores: TEST_FILES,
    rules: { '@typescript-eslint/no-restricted-imports': restrict(TESTS) },
  },
)
