/**
 * `cdk-vpc-connect/jest`: the network matchers for jest, TypeScript only (the package's main
 * entry point never loads this module, so programs and other languages never see jest).
 *
 * Importing it registers `toReach` and `toHaveFinding` on jest's `expect` and declares them for
 * TypeScript. Import it once from a jest setup file (`setupFilesAfterEnv` in the jest
 * configuration), or from a test file:
 *
 * ```ts
 * // test/setup.ts
 * import 'cdk-vpc-connect/jest';
 * ```
 *
 * and make sure that file is part of the tsconfig that type-checks the tests, so that
 * `expect(model).toReach(vpcA, vpcB)` type-checks. To register them yourself:
 * `import { networkMatchers } from 'cdk-vpc-connect/jest'; expect.extend(networkMatchers);`.
 *
 * Each matcher is backed by a method of `NetworkModel` every language can call, with the same
 * message: `expectReach`, `expectNoReach`, `expectFinding`, `expectNoFinding`.
 */
import { IConstruct } from 'constructs';
import { FindingMatcherOptions, networkMatchers } from './matchers';
import { ReachOptions } from './types';

export { networkMatchers };
export type { FindingMatcherOptions, NetworkMatcherContext, NetworkMatcherResult } from './matchers';

declare global {
  // jest's own declarations are a global namespace; augmenting it is how matchers are typed.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    // The type parameters must be the same as @types/jest's: `Matchers<R, T = {}>`.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars
    interface Matchers<R, T = {}> {
      /**
       * Traffic from `source` reaches `destination` and the reply gets back (fails both ways,
       * `.not` included, when the model cannot tell); with `options` (a port, a protocol), the
       * security groups and network ACLs must admit it too.
       */
      toReach(source: string | IConstruct, destination: string | IConstruct, options?: ReachOptions): R;
      /** The model has a finding of rule `ruleId` (for example `FindingRules.ONE_WAY_ROUTE`). */
      toHaveFinding(ruleId: string, options?: FindingMatcherOptions): R;
    }
  }
}

const jestGlobals = globalThis as { expect?: { extend(matchers: { [name: string]: unknown }): void } };
if (typeof jestGlobals.expect?.extend !== 'function') {
  throw new Error("import 'cdk-vpc-connect/jest' registers jest matchers: import it from a jest setup file (setupFilesAfterEnv) or a test, " +
    "where jest's global expect exists. Outside jest, assert with NetworkModel's expectReach, expectNoReach, expectFinding and expectNoFinding.");
}
jestGlobals.expect.extend(networkMatchers);
