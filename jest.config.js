/** Jest 30 over native ESM: ts-jest compiles, `.js` import suffixes map back to the `.ts` sources. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  // Generous: each e2e file boots PGlite (initdb) and real servers, on a shared 2-core machine.
  testTimeout: 60000,
  // One file at a time: several e2e specs assert latency bounds (reads under 100 ms through a Redis
  // SIGKILL, probes within 1 s, /health/live p99 under 50 ms while a PDF renders) that a second suite
  // sharing the 2 cores would turn into noise. Each file still starts its own redis-server.
  maxWorkers: 1,
  // Every answer an e2e app sends is checked against the OpenAPI document (test/support/contract/).
  setupFilesAfterEnv: ['<rootDir>/test/support/contract/contract.setup.ts'],
  globalSetup: '<rootDir>/test/support/contract/contract-global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/contract/contract-global-teardown.mjs',
};
