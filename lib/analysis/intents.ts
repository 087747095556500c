/**
 * Intents: what must and must not reach what, declared once and checked by the model
 * (`NetworkModel.expectIsolated`, `checkIntents`) and by the validation plugin at every synth.
 */
import { IConstruct } from 'constructs';
import { describeEndpoint, describeOptions, formatPath, reachFailure } from './matchers';
import { INetworkModel, ReachOptions } from './types';

/** An intent that traffic reaches (or does not reach) a destination. */
export interface ReachIntent extends ReachOptions {
  /** Where traffic starts: a construct path, a VPC name or an IP address, as for `canReach`. */
  readonly source: string;
  /** Where it goes: a construct path, a VPC name, an address, a CIDR block or a service name (`sns`). */
  readonly destination: string;
  /**
   * Whether the traffic must get there (`true`) or must not (`false`).
   *
   * @default true
   */
  readonly reachable?: boolean;
}

/** An intent that two groups never reach each other, either way. */
export interface IsolationIntent extends ReachOptions {
  /** The first group: construct paths, VPC names or addresses. */
  readonly groupA: string[];
  /** The second group. */
  readonly groupB: string[];
}

/** One intent: set exactly one of `reach` and `isolate`. */
export interface NetworkIntent {
  /**
   * Traffic must (or must not) get from a source to a destination.
   *
   * @default - not a reach intent
   */
  readonly reach?: ReachIntent;
  /**
   * Two groups must not reach each other.
   *
   * @default - not an isolation intent
   */
  readonly isolate?: IsolationIntent;
  /**
   * Why the intent exists, shown with a violation.
   *
   * @default - none
   */
  readonly description?: string;
}

/** The options of a reach or isolation intent: undefined (routes only) when it gives neither port nor protocol. */
export function optionsOf(intent: ReachOptions): ReachOptions | undefined {
  return intent.port === undefined && intent.protocol === undefined ? undefined : { port: intent.port, protocol: intent.protocol };
}


/** Why `reach` does not hold; undefined when it holds. */
export function reachIntentFailure(model: INetworkModel, intent: ReachIntent): string | undefined {
  return reachFailure(model, intent.source, intent.destination, intent.reachable ?? true, optionsOf(intent));
}

/**
 * Why "no member of `groupA` reaches any member of `groupB`, and no member of `groupB` reaches
 * any member of `groupA`" does not hold: one line per pair that reaches, or that the model
 * cannot tell, with the path; undefined when it holds.
 */
export function isolationFailure(
  model: INetworkModel, groupA: Array<string | IConstruct>, groupB: Array<string | IConstruct>, options?: ReachOptions,
): string | undefined {
  const problems: string[] = [];
  for (const [from, to] of [...pairs(groupA, groupB), ...pairs(groupB, groupA)]) {
    const answer = model.canReach(from, to, options);
    const route = `${describeEndpoint(from)} -> ${describeEndpoint(to)}`;
    if (!answer.certain) {
      problems.push(`  ${route}: cannot tell (${(answer.reason ?? 'no reason given').replace(/\.$/, '')}); best guess ${answer.reachable ? 'reachable' : 'unreachable'}`);
    } else if (answer.reachable) {
      problems.push(`  ${route}: reachable`, ...formatPath(answer.path).map((line) => `    ${line}`));
    }
  }
  if (problems.length === 0) { return undefined; }
  return [`Expected the two groups to be isolated ${options ? describeOptions(options) : 'on the routes'}, but:`, ...problems].join('\n');
}

/** Why an intent does not hold (undefined when it holds). */
export function intentFailure(model: INetworkModel, intent: NetworkIntent): string | undefined {
  if ((intent.reach === undefined) === (intent.isolate === undefined)) {
    throw new Error('A network intent sets exactly one of reach and isolate; ' +
      `got ${intent.reach === undefined ? 'neither' : 'both'}${intent.description ? ` (intent '${intent.description}')` : ''}.`);
  }
  const failure = intent.reach
    ? reachIntentFailure(model, intent.reach)
    : isolationFailure(model, intent.isolate!.groupA, intent.isolate!.groupB, optionsOf(intent.isolate!));
  return failure !== undefined && intent.description ? `Intent '${intent.description}' is violated. ${failure}` : failure;
}

function pairs<T>(a: T[], b: T[]): Array<[T, T]> {
  return a.flatMap((x) => b.map((y): [T, T] => [x, y]));
}
