import { Finding, FindingSeverity, Hop, INetworkModel, NetworkEndpoint, Reachability, TargetKind } from './types';

/**
 * What a jest matcher returns (jest's `CustomMatcherResult`), declared here so that this module
 * does not need jest at run time or its types at compile time.
 */
export interface NetworkMatcherResult {
  /** Whether the assertion holds (jest inverts it for `.not`). */
  readonly pass: boolean;
  /** What jest prints when the assertion fails. */
  readonly message: () => string;
}

/** The part of jest's matcher context (`this` in a matcher) the network matchers read. */
export interface NetworkMatcherContext {
  /** Whether the matcher was called through `.not`. */
  readonly isNot?: boolean;
}

/** Which findings `toHaveFinding` looks for, besides the rule id. */
export interface FindingMatchOptions {
  /**
   * A construct the finding must be about: a substring of one of its `constructs`, or a pattern.
   *
   * @default - any construct
   */
  readonly construct?: string | RegExp;
  /**
   * The severity the finding must have.
   *
   * @default - any severity
   */
  readonly severity?: FindingSeverity;
}

/**
 * Jest matchers for a network model (`NetworkModel` or any `INetworkModel`).
 *
 * ```ts
 * expect.extend(networkMatchers); // or import 'cdk-vpc-connect/dist/analysis/jest' in a setup file
 * const model = NetworkModel.fromApp(app);
 * expect(model).toReach(vpcA, vpcB);
 * expect(model).not.toReach(vpcB, vpcC);
 * expect(model).not.toHaveFinding(RULES.ONE_WAY_ROUTE);
 * ```
 *
 * `toReach` asserts a round trip (there and back). When the model cannot decide (an imported VPC,
 * a deploy-time CIDR), both `toReach` and `.not.toReach` fail with the model's reason: a test never
 * passes on a guess.
 */
export const networkMatchers = {
  /** Traffic from `from` reaches `to` and the reply gets back. */
  toReach(this: NetworkMatcherContext | undefined, received: unknown, from: NetworkEndpoint, to: NetworkEndpoint): NetworkMatcherResult {
    const model = asModel(received, 'toReach');
    const answer = model.canReach(from, to);
    const route = `${describeEndpoint(from)} to ${describeEndpoint(to)}`;
    if (!answer.certain) {
      // Fail whichever way the assertion was written: jest fails `.not` when pass is true.
      return {
        pass: this?.isNot === true,
        message: () => [
          `The model cannot tell whether ${route} is reachable: ${sentence(answer.reason)}`,
          `Its best guess is ${answer.reachable ? 'reachable' : 'unreachable'}.`,
          ...pathLines(answer),
        ].join('\n'),
      };
    }
    if (answer.reachable) {
      return {
        pass: true,
        message: () => [`Expected ${route} to be unreachable, but it is reachable:`, ...pathLines(answer)].join('\n'),
      };
    }
    return {
      pass: false,
      message: () => [
        `Expected ${route} to be reachable, but it is not: ${sentence(answer.reason)}`,
        ...pathLines(answer),
      ].join('\n'),
    };
  },

  /** The model has a finding of rule `ruleId` (optionally about a construct, or of a severity). */
  toHaveFinding(this: NetworkMatcherContext | undefined, received: unknown, ruleId: string, options: FindingMatchOptions = {}): NetworkMatcherResult {
    const model = asModel(received, 'toHaveFinding');
    const matching = model.findings.filter((f) => findingMatches(f, ruleId, options));
    const wanted = describeFindingQuery(ruleId, options);
    if (matching.length > 0) {
      return {
        pass: true,
        message: () => [`Expected no finding ${wanted}, but found ${matching.length}:`, ...matching.map(formatFinding)].join('\n'),
      };
    }
    return {
      pass: false,
      message: () => [
        `Expected a finding ${wanted}, but there is none.`,
        model.findings.length === 0 ? 'The model has no findings.' : `The model's findings:`,
        ...model.findings.map(formatFinding),
      ].join('\n'),
    };
  },
};

/** The path kind of a round trip: the non-local targets of its hops (`pcx`, `tgw`, `pcx+tgw`), or `local`. */
export function pathKind(answer: Reachability): string {
  const kinds: string[] = [];
  for (const hop of answer.path) {
    if (hop.target !== TargetKind.LOCAL && !kinds.includes(hop.target)) {
      kinds.push(hop.target);
    }
  }
  return kinds.length === 0 ? TargetKind.LOCAL : kinds.join('+');
}

/** One line per hop: `there: App/VpcA App/VpcA/Rtb 10.1.0.0/16 -> pcx App/AtoB`. */
export function formatPath(path: Hop[]): string[] {
  return path.map((hop) =>
    `${hop.direction === 'there' ? 'there' : 'back '}: in ${hop.vpc}, ${hop.routeTable} routes ${hop.destination} -> ${hop.target} ${hop.via}`);
}

/** A finding in one line: `error vpc-connect/one-way-route: message (App/A, App/B)`. */
export function formatFinding(finding: Finding): string {
  const where = finding.constructs.length > 0 ? ` (${finding.constructs.join(', ')})` : '';
  return `  ${finding.severity} ${finding.ruleId}: ${finding.message}${where}`;
}

/** How an endpoint of `canReach` reads in a message. */
export function describeEndpoint(endpoint: NetworkEndpoint): string {
  return typeof endpoint === 'string' ? endpoint : endpoint.node.path;
}

/** The reason as a sentence ending with one period. */
function sentence(reason: string | undefined): string {
  return `${(reason ?? 'no reason given').replace(/\.+$/, '')}.`;
}

function pathLines(answer: Reachability): string[] {
  return answer.path.length === 0 ? ['  (no hop)'] : formatPath(answer.path).map((line) => `  ${line}`);
}

function findingMatches(finding: Finding, ruleId: string, options: FindingMatchOptions): boolean {
  if (finding.ruleId !== ruleId) {
    return false;
  }
  if (options.severity !== undefined && finding.severity !== options.severity) {
    return false;
  }
  const construct = options.construct;
  if (construct === undefined) {
    return true;
  }
  return finding.constructs.some((c) => typeof construct === 'string' ? c.includes(construct) : construct.test(c));
}

function describeFindingQuery(ruleId: string, options: FindingMatchOptions): string {
  const parts = [ruleId];
  if (options.severity !== undefined) {
    parts.push(`of severity ${options.severity}`);
  }
  if (options.construct !== undefined) {
    parts.push(`about ${String(options.construct)}`);
  }
  return parts.join(' ');
}

function asModel(received: unknown, matcher: string): INetworkModel {
  const candidate = received as Partial<INetworkModel> | undefined;
  if (typeof candidate?.canReach !== 'function' || !Array.isArray(candidate.findings)) {
    // Thrown rather than `pass: false`, which `.not` would turn into a passing test.
    throw new Error(`${matcher} expects a network model (NetworkModel.fromApp(app), fromAssembly or fromTemplates), got ${typeof received}.`);
  }
  return candidate as INetworkModel;
}
