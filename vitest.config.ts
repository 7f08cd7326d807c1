import { defineConfig } from 'vitest/config'

/**
 * Test files that need no database: pure functions (the Vietnamese text code, markdown,
 * uploads, word diffs, policies). They form the `unit` tier, which starts no PostgreSQL.
 * A new test file lands in `db` until it is listed here; one listed here that asks for a
 * database fails (`inject('pgServerUrl')` is empty), so a mistake shows.
 */
const UNIT = [
  'src/text/{check,checks-cli,clickbait,masked-copy,match,match-cli,match-longpost,normalize,pii,wording,wording-eval}.test.ts',
  'src/platform/{cache/index,html/card,html/commune-picker,i18n/i18n,markdown/markdown,uploads/uploads}.test.{ts,tsx}',
  'src/modules/{accounts/accounts,cases/cases,releases/releases,factcheck/factcheck}.policy.test.ts',
  'src/modules/factcheck/ticket-code.test.ts',
  'src/modules/partners/{partners.normalize,partners.policy}.test.ts',
  'src/modules/newsroom/word-diff.test.ts',
  'src/modules/reference/communes.test.ts',
  'src/modules/releases/console/word-diff.test.ts',
  'src/node-version.test.ts',
  'src/platform/time.test.ts',
  'src/modules/module-imports.test.ts',
  'src/text/ocr/{ocr,engine}.test.ts',
  'src/modules/warnings/cap/{cap,feed}.test.ts',
  'src/modules/warnings/subscriptions/quiet-hours.test.ts',
]
const BROWSER = ['test/e2e/**/*.test.ts']

// Three tiers as vitest projects: `npm test` runs all three, `npm run test:unit|test:db|test:browser` one.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: { NODE_ENV: 'test' },
    setupFiles: ['test/support/modules.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT } },
      {
        extends: true,
        test: {
          name: 'db',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
          exclude: [...UNIT, ...BROWSER, '**/node_modules/**'],
          // One PostgreSQL per run, a migrated template cloned per file.
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
      {
        extends: true,
        // The flows start their own `donghanh serve` (embedded PostgreSQL in a temp folder);
        // the globalSetup finds the browser once.
        test: { name: 'browser', include: BROWSER, globalSetup: ['test/e2e/global-setup.ts'] },
      },
    ],
  },
})
