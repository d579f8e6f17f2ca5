import type { Config } from 'jest';

// Options shared by every tier. jest does not inherit root options into
// `projects`, so each project spreads this object.
const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    // Transpile-only (tsconfig has isolatedModules); `pnpm typecheck` keeps type errors fatal.
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  moduleNameMapper: {
    // Tests import packages by name; map the name to the package's source.
    '^@e6data-ts/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts',
    // A package's internal entry (parts it does not make public), for the project's own tests.
    '^@e6data-ts/([a-z-]+)/internal$': '<rootDir>/packages/$1/src/internal.ts',
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
} satisfies Config;

const config: Config = {
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['<rootDir>/tests/unit/**/*.test.ts'],
      // Unit tests open no sockets: any attempt fails the test that made it.
      setupFilesAfterEnv: ['<rootDir>/tests/support/no-sockets.ts'],
    },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
      // Real sockets, even after a unit file whose socket guard could not undo itself in this worker.
      setupFiles: ['<rootDir>/tests/support/real-sockets.ts'],
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/e2e/global-setup.ts',
      setupFiles: ['<rootDir>/tests/support/real-sockets.ts'],
    },
    {
      ...base,
      displayName: 'performance',
      testMatch: ['<rootDir>/tests/performance/**/*.test.ts'],
      setupFiles: ['<rootDir>/tests/support/real-sockets.ts'],
    },
  ],
  // Coverage is configured once, here. `pnpm test` collects it over every tier
  // and enforces this threshold; `pnpm coverage:merge` reads the same object to
  // gate the pull-request pipeline's merged per-tier coverage. A single tier
  // writes its own coverage without the global gate with
  // `pnpm test:<tier> --coverage --coverageThreshold='{}' --coverageDirectory=coverage/<tier>`.
  collectCoverageFrom: ['<rootDir>/packages/*/src/**/*.ts', '!**/*.d.ts'],
  coverageDirectory: '<rootDir>/coverage',
  coverageReporters: ['text', 'html', 'json-summary', 'json'],
  coverageThreshold: {
    global: { lines: 90, statements: 90, functions: 90, branches: 85 },
  },
  reporters: [
    'default',
    // One HTML page grouped by tier: reports/test-report.html, or reports/<tier>.html for a one-tier run.
    ['<rootDir>/tests/support/html-report-reporter.cjs', { title: 'e6data-ts tests' }],
    // Prints the closing lines after everything else, coverage table included.
    '<rootDir>/tests/support/summary-reporter.cjs',
  ],
  testTimeout: 30_000,
};

export default config;
