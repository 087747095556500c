/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Scale cases (dozens of stacks, 100 spokes) run in `npm run test:scale` and are measured by `npm run bench`.
  testPathIgnorePatterns: ['/node_modules/', '/test/scale/'],
  transform: {
    // Type-checking is the `tsc` step of `npm test`; jest only transpiles.
    '^.+\\.tsx?$': 'ts-jest',
  },
  // Tests import the library by its package names, as users do.
  moduleNameMapper: {
    '^cdk-vpc-connect$': '<rootDir>/lib/index.ts',
    '^cdk-vpc-connect/jest$': '<rootDir>/lib/analysis/jest.ts',
  },
  // aws-cdk-lib's built-in CloudFormation validator off, except in the apps of newApp() (see the file).
  setupFiles: ['<rootDir>/test/support/setup-env.ts'],
  // The example apps are synthesized once per run (test/support/example-apps.ts), not once per test file.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  snapshotSerializers: ['<rootDir>/test/support/mask-hashes.js'],
  testTimeout: 120000,
  // One worker per core. jest's default, cores - 1, is a single worker on the 2-core machines this
  // runs on, which runs the files one after the other in the main process and leaves a core idle:
  // the whole suite took 59 s that way and 39 s with 2 workers (measured on 2 cores).
  maxWorkers: '100%',
};
