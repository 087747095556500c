import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Cidr } from '../cidr';

/**
 * The segments (routing domains) of a transit gateway hub: the public structs users declare
 * them with, and the pure logic of who reaches whom (no construct is created here: tested
 * without synthesis, test/transit/segments.test.ts).
 *
 * A segment is one transit gateway route table. A spoke is associated with its segment's table
 * and propagates its blocks into the table of every segment whose members reach it. Reachability
 * is symmetric: `reaches: ['shared']` on `prod` means prod reaches shared and shared reaches prod;
 * a segment's members reach each other unless it is `isolated`.
 */

/**
 * Where a static route of a segment sends its traffic: nowhere (a blackhole), a spoke's
 * attachment, or any attachment of the gateway by id (a peering, a VPN, an inspection VPC
 * attached elsewhere).
 */
export class SegmentRouteTarget {
  /**
   * Drop the traffic (a blackhole route): for example to keep a segment from reaching a block
   * that a broader route would otherwise send somewhere.
   */
  public static blackhole(): SegmentRouteTarget {
    return new SegmentRouteTarget(true, undefined, undefined);
  }

  /**
   * The attachment of a spoke of the hub (added with `addSpoke` or `spokes`), for example an
   * egress or inspection VPC. The route is created in the spoke's stack, beside its attachment.
   *
   * @param vpc a spoke of the same hub, attached by the hub (not a spoke of another account)
   */
  public static spoke(vpc: ec2.IVpc): SegmentRouteTarget {
    return new SegmentRouteTarget(false, vpc, undefined);
  }

  /**
   * Any attachment of the hub's transit gateway, by id (`tgw-attach-...`), for example a peering
   * attachment or a VPN. A token that references a resource of another stack places the route
   * in that stack (of the hub's environment), so the hub's stack never depends on it.
   *
   * @param attachmentId the attachment's id
   */
  public static attachment(attachmentId: string): SegmentRouteTarget {
    return new SegmentRouteTarget(false, undefined, attachmentId);
  }

  /**
   * Whether the route is a blackhole (`SegmentRouteTarget.blackhole()`).
   */
  public readonly isBlackhole: boolean;

  /**
   * The spoke whose attachment the route sends to, for a route to a spoke.
   */
  public readonly vpc?: ec2.IVpc;

  /**
   * The attachment id the route sends to, for a route to an attachment given by id.
   */
  public readonly attachmentId?: string;

  private constructor(isBlackhole: boolean, vpc: ec2.IVpc | undefined, attachmentId: string | undefined) {
    this.isBlackhole = isBlackhole;
    this.vpc = vpc;
    this.attachmentId = attachmentId;
  }
}

/**
 * A static route in the transit gateway route table of a segment.
 */
export interface SegmentRoute {
  /**
   * The destination: an IPv4 or IPv6 CIDR block (`10.20.0.0/16`, `0.0.0.0/0`).
   */
  readonly destination: string;

  /**
   * Where the traffic goes: `SegmentRouteTarget.blackhole()`, `SegmentRouteTarget.spoke(vpc)`
   * or `SegmentRouteTarget.attachment(id)`.
   */
  readonly to: SegmentRouteTarget;
}

/**
 * A segment (routing domain) of a transit gateway hub: one transit gateway route table, the
 * spokes associated with it, and whom they reach.
 */
export interface SegmentOptions {
  /**
   * The segment's name: a letter, then letters, digits, `-` or `_` (at most 64 characters). It
   * names the route table (tag `Name`: the hub's path and the name) and its construct id (the
   * name in PascalCase and `RouteTable`: `prod-eu` gives `ProdEuRouteTable`), so two names that
   * differ only in case or separators are rejected. Spokes join it with
   * `addSpoke(vpc, { segment: name })`.
   */
  readonly name: string;

  /**
   * The other segments this segment's members reach. Reachability is symmetric: the members of
   * the segments listed reach this segment's members too (no need to list it both ways).
   *
   * @default - none: the members reach only each other (nothing at all when `isolated`)
   */
  readonly reaches?: string[];

  /**
   * Whether the segment's members do not reach each other (each reaches only the segments of
   * `reaches`, and those that reach this one), for example workloads that use shared services
   * but must stay apart. An isolated segment must reach at least one other segment.
   *
   * @default false
   */
  readonly isolated?: boolean;

  /**
   * Static routes in the segment's transit gateway route table, for example a blackhole, or a
   * block routed to an inspection VPC. At most one route per destination in a table; a static
   * route takes precedence over a propagated route to the same block.
   *
   * @default - none: only the propagated routes of the spokes the segment reaches
   */
  readonly routes?: SegmentRoute[];

  /**
   * A default route (`0.0.0.0/0`) in the segment's transit gateway route table, to an egress or
   * inspection VPC (`SegmentRouteTarget.spoke(vpc)`) or another attachment. The spokes' own VPC
   * route tables keep their default routes unless `defaultRouteInVpcs` is set.
   *
   * @default - no default route
   */
  readonly defaultRoute?: SegmentRouteTarget;

  /**
   * Whether each member spoke also gets a `0.0.0.0/0` route toward the transit gateway in the
   * route tables it routes (`routes.subnets`), so that its internet-bound traffic takes the
   * segment's `defaultRoute`. Only with `defaultRoute`. The tables must not have a default route
   * already (a NAT gateway's, for example): that is a duplicate route, an error at synth.
   *
   * @default false
   */
  readonly defaultRouteInVpcs?: boolean;
}

/** The longest segment name. */
export const MAX_SEGMENT_NAME_LENGTH = 64;

/** The segments of a hub without `segments`: its two historical route tables. */
export const SHARED_SEGMENT = 'shared';
export const ISOLATED_SEGMENT = 'isolated';
export const IMPLICIT_SEGMENTS: SegmentOptions[] = [
  { name: SHARED_SEGMENT },
  { name: ISOLATED_SEGMENT, isolated: true, reaches: [SHARED_SEGMENT] },
];

/** The construct-id form of a segment name: PascalCase, separators dropped (`prod-eu` gives `ProdEu`). */
export function segmentId(name: string): string {
  return name.split(/[-_]+/).filter((p) => p.length > 0).map((p) => p[0].toUpperCase() + p.slice(1)).join('');
}

/** The problem with a segment name, if any. */
export function checkSegmentName(name: unknown): string | undefined {
  if (typeof name !== 'string' || Token.isUnresolved(name)) {
    return `segment name ${typeof name === 'string' ? '(a deploy-time value)' : String(name)} is not a literal string: segment names are construct ids and tags, known at synth`;
  }
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name) || name.length > MAX_SEGMENT_NAME_LENGTH) {
    return `segment name '${name}' is not valid: use a letter, then letters, digits, '-' or '_', at most ${MAX_SEGMENT_NAME_LENGTH} characters ` +
      '(it becomes part of construct ids and of the route table\'s Name tag)';
  }
  return undefined;
}

/** A static route of a segment, as the pure logic sees it. */
export interface PlannedSegmentRoute {
  readonly segment: string;
  readonly destination: string;
  /** The parsed destination, when literal. */
  readonly cidr?: Cidr;
  readonly to: SegmentRouteTarget;
}

/**
 * The segments of a hub, validated: who reaches whom, and into which tables a member propagates.
 */
export class SegmentPlan {
  /**
   * Validate segment declarations.
   *
   * @returns the problems (each a sentence with the values and the fix), empty when fine
   */
  public static problems(segments: SegmentOptions[]): string[] {
    const problems: string[] = [];
    if (segments.length === 0) {
      return ['segments is empty: declare at least one segment ({ name: \'shared\' }), or leave segments out for the shared/isolated design.'];
    }
    const byId = new Map<string, string>();
    const names = new Set<string>();
    for (const segment of segments) {
      const nameProblem = checkSegmentName(segment.name);
      if (nameProblem) { problems.push(`${nameProblem}.`); continue; }
      if (names.has(segment.name)) {
        problems.push(`segment '${segment.name}' is declared twice: each segment is one transit gateway route table, give each a name of its own.`);
        continue;
      }
      const id = segmentId(segment.name);
      const clash = byId.get(id);
      if (clash !== undefined) {
        problems.push(`segments '${clash}' and '${segment.name}' both give the construct id ${id}RouteTable: ` +
          'names that differ only in case or separators would share resources; rename one.');
        continue;
      }
      byId.set(id, segment.name);
      names.add(segment.name);
    }
    for (const segment of segments) {
      if (!names.has(segment.name)) { continue; }
      for (const target of segment.reaches ?? []) {
        if (!names.has(target)) {
          problems.push(`segment '${segment.name}' reaches '${target}', which is not a segment (segments: ${[...names].join(', ')}). ` +
            'Declare it in segments, or fix the name.');
        } else if (target === segment.name && segment.isolated) {
          problems.push(`segment '${segment.name}' is isolated but lists itself in reaches: an isolated segment's members do not reach each other. ` +
            'Drop isolated, or take it out of reaches.');
        }
      }
    }
    if (problems.length > 0) { return problems; }
    const plan = new SegmentPlan(segments);
    for (const segment of segments) {
      if (segment.isolated && plan.reachedSegments(segment.name).length === 0) {
        problems.push(`segment '${segment.name}' is isolated and reaches no other segment (and none reaches it), so its members would reach nothing. ` +
          'List the segments it reaches in reaches (for example shared services), or drop isolated.');
      }
      if (segment.defaultRouteInVpcs && segment.defaultRoute === undefined) {
        problems.push(`segment '${segment.name}' sets defaultRouteInVpcs without a defaultRoute: the VPC default routes would lead nowhere in the ` +
          'transit gateway. Give defaultRoute (SegmentRouteTarget.spoke(egressVpc)), or drop defaultRouteInVpcs.');
      }
    }
    problems.push(...routeProblems(plan.routes()));
    return problems;
  }

  private readonly segments: SegmentOptions[];
  private readonly reached = new Map<string, string[]>();

  /** @param segments declarations that `SegmentPlan.problems` accepts */
  constructor(segments: SegmentOptions[]) {
    this.segments = segments;
    const links = new Map<string, Set<string>>(segments.map((s) => [s.name, new Set<string>()]));
    for (const segment of segments) {
      if (!segment.isolated) { links.get(segment.name)?.add(segment.name); }
      for (const target of segment.reaches ?? []) {
        if (target === segment.name) { continue; }
        links.get(segment.name)?.add(target);
        links.get(target)?.add(segment.name);
      }
    }
    // Declaration order, so that ids and messages never depend on the order of `reaches`.
    for (const segment of segments) {
      const set = links.get(segment.name)!;
      this.reached.set(segment.name, segments.map((s) => s.name).filter((n) => set.has(n)));
    }
  }

  /** The segment names, in declaration order. */
  public get names(): string[] {
    return this.segments.map((s) => s.name);
  }

  /** Whether `name` is a segment. */
  public has(name: string): boolean {
    return this.reached.has(name);
  }

  /** The declaration of a segment. */
  public segment(name: string): SegmentOptions | undefined {
    return this.segments.find((s) => s.name === name);
  }

  /** The segments whose members a member of `segment` reaches (its own unless isolated), in declaration order. */
  public reachedSegments(segment: string): string[] {
    return [...(this.reached.get(segment) ?? [])];
  }

  /**
   * The segments whose tables a member of `segment` propagates into: the segments whose members
   * reach it, which by symmetry are the segments it reaches.
   */
  public propagationSegments(segment: string): string[] {
    return this.reachedSegments(segment);
  }

  /** Whether a member of `a` reaches a member of `b` (symmetric). */
  public reaches(a: string, b: string): boolean {
    return this.reached.get(a)?.includes(b) ?? false;
  }

  /** Whether members of `a` and `b` propagate into a common table (their blocks must then be disjoint). */
  public shareATable(a: string, b: string): boolean {
    const tablesOfB = new Set(this.propagationSegments(b));
    return this.propagationSegments(a).some((s) => tablesOfB.has(s));
  }

  /** The common tables of members of `a` and `b`. */
  public commonTables(a: string, b: string): string[] {
    const tablesOfB = new Set(this.propagationSegments(b));
    return this.propagationSegments(a).filter((s) => tablesOfB.has(s));
  }

  /** Every static route of every segment (`defaultRoute` as a route to `0.0.0.0/0`), destinations parsed when literal. */
  public routes(): PlannedSegmentRoute[] {
    const routes: PlannedSegmentRoute[] = [];
    for (const segment of this.segments) {
      const given = [...(segment.routes ?? [])];
      if (segment.defaultRoute) { given.push({ destination: '0.0.0.0/0', to: segment.defaultRoute }); }
      for (const route of given) {
        const parsed = typeof route.destination === 'string' && !Token.isUnresolved(route.destination) ? Cidr.tryParse(route.destination) : undefined;
        routes.push({ segment: segment.name, destination: route.destination, to: route.to, cidr: parsed === undefined || typeof parsed === 'string' ? undefined : parsed });
      }
    }
    return routes;
  }
}

/**
 * The problems of segments' static routes that need no construct: malformed destinations, a
 * route without a target, two routes to one destination in one table.
 */
export function routeProblems(routes: PlannedSegmentRoute[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, PlannedSegmentRoute>();
  for (const route of routes) {
    const where = `segment '${route.segment}'`;
    if (route.to === undefined || route.to === null) {
      problems.push(`${where}: the route to ${String(route.destination)} has no target: give to: SegmentRouteTarget.blackhole(), .spoke(vpc) or .attachment(id).`);
      continue;
    }
    if (typeof route.destination !== 'string' || Token.isUnresolved(route.destination)) { continue; }
    const parsed = Cidr.tryParse(route.destination);
    if (typeof parsed === 'string') {
      problems.push(`${where}: route destination ${parsed}. Give a CIDR block such as 10.20.0.0/16.`);
      continue;
    }
    const key = `${route.segment}|${parsed.toString()}`;
    const first = seen.get(key);
    if (first) {
      problems.push(`${where} routes ${parsed} twice (${first.destination === '0.0.0.0/0' && route.destination === '0.0.0.0/0' ? 'defaultRoute is a route to 0.0.0.0/0' : 'in routes'}): ` +
        'a transit gateway route table holds one static route per destination. Keep one.');
      continue;
    }
    seen.set(key, route);
  }
  return problems;
}
