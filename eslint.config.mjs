// ESLint (flat config) for cdk-vpc-connect: `npm run lint`.
//
// - ESLint's and typescript-eslint's recommended rules, eqeqeq, no-console in lib/ (except the
//   `analyze` command line).
// - The type-aware `no-floating-promises`, `no-misused-promises` and `await-thenable` (a forgotten
//   `await` passes silently otherwise) run only where the asynchronous code is: the Lambda handler
//   and its test, through tsconfig.handler.json. On every file they would build the whole
//   program a second time (tsc already does). Measured CPU time of `eslint .`: 5.5 s without
//   type-aware rules, 11 s as configured, 20.5 s with them on every file.
// - eslint-plugin-import: import order (fixable with --fix) and dependencies: lib/ may import only
//   its peer dependencies (aws-cdk-lib, constructs) and Node built-ins (the Lambda handler also
//   the AWS SDK v3, which its runtime ships); tests, examples, bench and bin may also import
//   devDependencies.
// - Layering: examples/ import the library through its entry point only, as users do; lib/ never
//   imports from test/, examples/ or bench/.
//
// The CDK community plugin (@cdklabs/eslint-plugin) is not used: its peer dependencies are
// eslint < 9 and @typescript-eslint/parser 7, which do not fit eslint 9 with typescript-eslint 8.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import importPlugin from 'eslint-plugin-import';
import tseslint from 'typescript-eslint';

/** Node's CommonJS globals, for the plain JavaScript files (no dependency on the `globals` package). */
const NODE_COMMONJS_GLOBALS = {
  require: 'readonly',
  module: 'writable',
  exports: 'writable',
  __dirname: 'readonly',
  __filename: 'readonly',
  process: 'readonly',
  console: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
  Buffer: 'readonly',
};

/** The files of the type-aware rules: every asynchronous call of the project is in them (keep tsconfig.handler.json in step). */
const ASYNC_FILES = ['lib/**/handler/**/*.js', 'test/peering/handler.test.ts', 'test/peering/entrypoint.test.ts', 'test/peering/stack-values-handler.test.ts',
  'test/transit/transit-handler-faults.test.ts'];

export default defineConfig(
  globalIgnores([
    'node_modules/',
    'dist/',
    'dist-packages/',
    'cdk.out/',
    '.bench-out/',
    'coverage/',
    '.cdk.staging/',
    'scratch/',
    '**/*.d.ts',
    '.jsii',
    'API.md',
  ]),
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  js.configs.recommended,
  tseslint.configs.recommended,

  // Plain JavaScript: CommonJS modules run by Node (the Lambda handler, jest's config and serializer).
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: NODE_COMMONJS_GLOBALS,
    },
    rules: {
      // CommonJS: `require` is how these files load modules (the handler loads the SDK lazily).
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: { console: 'readonly', process: 'readonly' } },
  },

  // Every file
  {
    plugins: { import: importPlugin },
    settings: {
      // Tests import the library by its package names (see jest.config.js and tsconfig.json paths).
      'import/internal-regex': '^cdk-vpc-connect(/|$)',
      'import/resolver': { node: { extensions: ['.ts', '.js', '.json'] } },
      'import/extensions': ['.ts', '.js', '.mjs'],
    },
    rules: {
      eqeqeq: ['error', 'always'],
      'import/order': ['error', {
        groups: ['builtin', 'external', 'internal'],
        alphabetize: { order: 'asc', caseInsensitive: true },
      }],
      'import/no-duplicates': 'error',
      'import/no-extraneous-dependencies': ['error', {
        devDependencies: true,
        optionalDependencies: false,
        peerDependencies: true,
      }],
      '@typescript-eslint/no-unused-vars': ['error', {
        argsIgnorePattern: '^_',
        varsIgnorePattern: '^_',
        caughtErrors: 'none',
      }],
      // The brand checks take `any` by design (`static isVpcPeering(x: any): x is VpcPeering`, as
      // aws-cdk-lib does), and tests read CloudFormation templates as `Record<string, any>`;
      // `noImplicitAny` (tsconfig strict) still catches every implicit one.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },

  // Type-aware rules where the asynchronous code is (see ASYNC_FILES).
  {
    files: ASYNC_FILES,
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.handler.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },

  // The library: peer dependencies and Node built-ins only, no console output, no reach into
  // the tests, examples or benchmarks.
  {
    files: ['lib/**'],
    rules: {
      'no-console': 'error',
      'import/no-extraneous-dependencies': ['error', {
        devDependencies: false,
        optionalDependencies: false,
        peerDependencies: true,
      }],
      'no-restricted-imports': ['error', {
        patterns: [{
          group: ['**/test', '**/test/**', '**/examples', '**/examples/**', '**/bench', '**/bench/**'],
          message: 'The library must not depend on the tests, examples or benchmarks.',
        }],
      }],
    },
  },
  // The `analyze` command line writes its report to the console.
  {
    files: ['lib/analysis/cli*.ts'],
    rules: { 'no-console': 'off' },
  },

  // Examples read as user code: the library through its entry point only.
  {
    files: ['examples/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          group: ['**/lib/*', '!**/lib/index', '**/test', '**/test/**', '**/bench', '**/bench/**'],
          message: 'Examples import the library through its entry point (\'../lib\'), as users import \'cdk-vpc-connect\', and nothing from the tests or benchmarks.',
        }],
      }],
    },
  },
);
