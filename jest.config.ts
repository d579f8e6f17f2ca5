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
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/e2e/global-setup.ts',
    },
    {
      ...base,
      displayName: 'performance',
      testMatch: ['<rootDir>/tests/performance/**/*.test.ts'],
    },
  ],
  // Coverage is configured once, here; it is collected only by `pnpm test`
  // (the combined run), so single-tier runs are not held to the global gate.
  collectCoverageFrom: ['<rootDir>/packages/*/src/**/*.ts', '!**/*.d.ts'],
  coverageDirectory: '<rootDir>/coverage',
  coverageReporters: ['text', 'html', 'json-summary'],
  coverageThreshold: {
    global: { lines: 90, statements: 90, functions: 90, branches: 85 },
  },
  reporters: [
    'default',
    '<rootDir>/tests/support/summary-reporter.cjs',
    [
      'jest-html-reporters',
      { publicPath: '<rootDir>/reports', filename: 'test-report.html', pageTitle: 'e6data-ts tests', inlineSource: true },
    ],
  ],
  testTimeout: 30_000,
};

export default config;
