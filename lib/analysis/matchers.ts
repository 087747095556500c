/**
 * The assertions on a network model, shared by `NetworkModel.expectReach` / `expectNoReach` /
 * `expectFinding` / `expectNoFinding` (every language) and the jest matchers of
 * `cdk-vpc-connect/jest` (TypeScript): one logic, one message. Internal: nothing here is part of
 * the package's main entry point, and nothing here needs jest.
 */
import { IConstruct } from 'constructs';
import { describeTraffic, trafficOf } from './private/security';
import { Finding, FindingSeverity, Hop, HopDirection, INetworkModel, Reachability, ReachOptions, TargetKind } from './types';

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

/**
 * Which findings `toHaveFinding` looks for, besides the rule id: {@link FindingMatchOptions},
 * where TypeScript may also give a pattern.
 */
export interface FindingMatcherOptions {
  /**
   * A construct the finding must be about: the path of one of its `constructs` or a path above
   * it (as `FindingMatchOptions.constructPath`), or a pattern one of them matches.
   *
   * @default - any construct
   */
  readonly constructPath?: string | RegExp;
  /**
   * The severity the finding must have.
   *
   * @default - any severity
   */
  readonly severity?: FindingSeverity;
}

/**
 * Why "traffic from `source` reaches `destination` and the reply gets back" (`expectReachable`)
 * or its negation does not hold, with the path and the reason; undefined when it holds.
 * An answer the model is not certain of fails both ways: an assertion never passes on a guess.
 */
export function reachFailure(
  model: INetworkModel, source: string | IConstruct, destination: string | IConstruct, expectReachable: boolean, options?: ReachOptions,
): string | undefined {
  const answer = options ? model.canReach(source, destination, options) : model.canReach(source, destination);
  const route = `${describeEndpoint(source)} to ${describeEndpoint(destination)}${options ? ` ${describeOptions(options)}` : ''}`;
  if (!answer.certain) {
    return [
      `The model cannot tell whether ${route} is reachable: ${sentence(answer.reason)}`,
      `Its best guess is ${answer.reachable ? 'reachable' : 'unreachable'}.`,
      ...pathLines(answer),
    ].join('\n');
  }
  if (answer.reachable === expectReachable) {
    return undefined;
  }
  if (answer.reachable) {
    return [`Expected ${route} to be unreachable, but it is reachable:`, ...pathLines(answer)].join('\n');
  }
  return [
    `Expected ${route} to be reachable, but it is not${answer.blockedBy ? ` (${answer.blockedBy})` : ''}: ${sentence(answer.reason)}`,
    ...pathLines(answer),
  ].join('\n');
}

/**
 * Why "the model has a finding of rule `ruleId` matching `options`" (`expectPresent`) or its
 * negation does not hold, listing the findings (with their fix when one is unwanted);
 * undefined when it holds.
 */
export function findingFailure(model: INetworkModel, ruleId: string, options: FindingMatcherOptions, expectPresent: boolean): string | undefined {
  const matching = model.findings.filter((f) => findingMatches(f, ruleId, options));
  const wanted = describeFindingQuery(ruleId, options);
  if ((matching.length > 0) === expectPresent) {
    return undefined;
  }
  if (matching.length > 0) {
    return [
      `Expected no finding ${wanted}, but found ${matching.length}:`,
      ...matching.flatMap((f) => [formatFinding(f), `    Fix: ${f.fix}`]),
    ].join('\n');
  }
  return [
    `Expected a finding ${wanted}, but there is none.`,
    model.findings.length === 0 ? 'The model has no findings.' : `The model's findings:`,
    ...model.findings.map(formatFinding),
  ].join('\n');
}

/**
 * Jest matchers for a network model (`NetworkModel` or any `INetworkModel`), exported by
 * `cdk-vpc-connect/jest`, which also registers them:
 *
 * ```ts
 * import 'cdk-vpc-connect/jest'; // or expect.extend(networkMatchers)
 * const model = NetworkModel.fromApp(app);
 * expect(model).toReach(vpcA, vpcB);
 * expect(model).not.toReach(vpcB, vpcC);
 * expect(model).not.toHaveFinding(FindingRules.ONE_WAY_ROUTE);
 * ```
 *
 * `toReach` asserts a round trip (there and back). When the model cannot decide (an imported VPC,
 * a deploy-time CIDR), both `toReach` and `.not.toReach` fail with the model's reason: a test never
 * passes on a guess. The same assertions, in every language: `NetworkModel.expectReach`,
 * `expectNoReach`, `expectFinding`, `expectNoFinding`.
 */
export const networkMatchers = {
  /** Traffic from `source` reaches `destination` and the reply gets back. */
  toReach(
    this: NetworkMatcherContext | undefined, received: unknown, source: string | IConstruct, destination: string | IConstruct, options?: ReachOptions,
  ): NetworkMatcherResult {
    const model = asModel(received, 'toReach');
    const isNot = this?.isNot === true;
    return matcherResult(isNot, reachFailure(model, source, destination, !isNot, options),
      () => `Expected ${describeEndpoint(source)} to ${describeEndpoint(destination)}${options ? ` ${describeOptions(options)}` : ''} ${isNot ? 'not ' : ''}to be reachable.`);
  },

  /** The model has a finding of rule `ruleId` (optionally about a construct, or of a severity). */
  toHaveFinding(this: NetworkMatcherContext | undefined, received: unknown, ruleId: string, options: FindingMatcherOptions = {}): NetworkMatcherResult {
    const model = asModel(received, 'toHaveFinding');
    const isNot = this?.isNot === true;
    return matcherResult(isNot, findingFailure(model, ruleId, options, !isNot),
      () => `Expected ${isNot ? 'no finding' : 'a finding'} ${describeFindingQuery(ruleId, options)}.`);
  },
};

/**
 * A jest result from the failure of the assertion as written (`.not` included): jest fails a
 * matcher when `pass` differs from what the assertion wants (`pass: true` fails `.not`).
 */
function matcherResult(isNot: boolean, failure: string | undefined, holds: () => string): NetworkMatcherResult {
  return failure !== undefined
    ? { pass: isNot, message: () => failure }
    : { pass: !isNot, message: holds };
}

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
    `${hop.direction === HopDirection.THERE ? 'there' : 'back '}: in ${hop.vpc}, ${hop.routeTable} routes ${hop.destination} -> ${hop.target} ${hop.via}`);
}

/** A finding in one line: `error vpc-connect/one-way-route: message (App/A, App/B)`. */
export function formatFinding(finding: Finding): string {
  const where = finding.constructs.length > 0 ? ` (${finding.constructs.join(', ')})` : '';
  return `  ${finding.severity} ${finding.ruleId}: ${finding.message}${where}`;
}

/** How an endpoint of `canReach` reads in a message. */
export function describeEndpoint(endpoint: string | IConstruct): string {
  return typeof endpoint === 'string' ? endpoint : endpoint.node.path;
}

/**
 * Whether a finding's construct name is about `constructPath`: the same path, a path below it
 * (`App/Net` covers `App/Net/VpcA`), or the same path with a remark (`App/Vpc (main route table)`).
 */
export function isAbout(name: string, constructPath: string | RegExp): boolean {
  if (typeof constructPath !== 'string') {
    return constructPath.test(name);
  }
  const wanted = constructPath.replace(/^\/+|\/+$/g, '');
  return name === wanted || name.startsWith(`${wanted}/`) || name.startsWith(`${wanted} (`);
}

/** `on tcp/443`: the traffic of the options, in words. */
export function describeOptions(options: ReachOptions): string {
  try {
    return `on ${describeTraffic(trafficOf(options, false))}`;
  } catch {
    return `on port ${String(options.port)} (${String(options.protocol)})`;
  }
}

/** The reason as a sentence ending with one period. */
function sentence(reason: string | undefined): string {
  return `${(reason ?? 'no reason given').replace(/\.+$/, '')}.`;
}

function pathLines(answer: Reachability): string[] {
  return answer.path.length === 0 ? ['  (no hop)'] : formatPath(answer.path).map((line) => `  ${line}`);
}

function findingMatches(finding: Finding, ruleId: string, options: FindingMatcherOptions): boolean {
  if (finding.ruleId !== ruleId) {
    return false;
  }
  if (options.severity !== undefined && finding.severity !== options.severity) {
    return false;
  }
  const constructPath = options.constructPath;
  return constructPath === undefined || finding.constructs.some((c) => isAbout(c, constructPath));
}

function describeFindingQuery(ruleId: string, options: FindingMatcherOptions): string {
  const parts = [ruleId];
  if (options.severity !== undefined) {
    parts.push(`of severity ${options.severity}`);
  }
  if (options.constructPath !== undefined) {
    parts.push(`about ${String(options.constructPath)}`);
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
