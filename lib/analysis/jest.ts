/**
 * Registers the network matchers with jest and declares them for TypeScript.
 *
 * Import it once from a jest setup file (`setupFilesAfterEnv` in the jest configuration):
 *
 * ```ts
 * // test/setup.ts
 * import 'cdk-vpc-connect/dist/analysis/jest';
 * ```
 *
 * and make sure the setup file (or any `.d.ts` that imports this module) is part of the tsconfig
 * that type-checks the tests, so that `expect(model).toReach(a, b)` type-checks. Programs that do
 * not import this module never see jest: the library's entry point does not load it.
 */
import { FindingMatchOptions, networkMatchers } from './matchers';
import { NetworkEndpoint } from './types';

declare global {
  // jest's own declarations are a global namespace; augmenting it is how matchers are typed.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    // The type parameters must be the same as @types/jest's: `Matchers<R, T = {}>`.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars
    interface Matchers<R, T = {}> {
      /** Traffic from `from` reaches `to` and the reply gets back (fails when the model cannot tell). */
      toReach(from: NetworkEndpoint, to: NetworkEndpoint): R;
      /** The model has a finding of rule `ruleId` (for example `RULES.ONE_WAY_ROUTE`). */
      toHaveFinding(ruleId: string, options?: FindingMatchOptions): R;
    }
  }
}

const jestGlobals = globalThis as { expect?: { extend(matchers: Record<string, unknown>): void } };
if (typeof jestGlobals.expect?.extend !== 'function') {
  throw new Error("cdk-vpc-connect/dist/analysis/jest registers jest matchers: import it from a jest setup file (setupFilesAfterEnv), where jest's global expect exists, or call expect.extend(networkMatchers) yourself.");
}
jestGlobals.expect.extend(networkMatchers);
