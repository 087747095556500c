import { IConstruct } from 'constructs';
import { ConnectivityError } from '../errors';

/**
 * The AWS and CloudFormation quotas the library checks at synth time, and the pure logic of
 * those checks (no CDK imports: tested without synthesis).
 *
 * Sources:
 * - Active VPC peering connections per VPC: 50 by default, adjustable up to 125.
 *   https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-connection-quotas.html
 * - Routes per route table (non-propagated): 500 by default since June 2025 (50 before), adjustable
 *   up to 1,000; IPv4 and IPv6 routes are counted separately (../shared/FACTS.md, checked 2026-11).
 *   https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html
 * - Resources per CloudFormation stack: 500.
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 * - Interface and Gateway Load Balancer endpoints per VPC (one combined quota): 50 by default,
 *   adjustable, with no published maximum (../shared/FACTS.md, checked 2026-11).
 *   https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-limits-endpoints.html
 * - VPCs associated with one private hosted zone: 300 by default, adjustable (../shared/FACTS.md;
 *   "Amazon VPCs that you can associate with a private hosted zone", Route 53 quotas on entities,
 *   also readable per zone with GetHostedZoneLimit MAX_VPCS_ASSOCIATED_BY_ZONE).
 *   https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html#limits-api-entities
 * - Transit gateways (AWS Transit Gateway quotas page, ../shared/FACTS.md): 20 route tables per
 *   gateway (adjustable); 10,000 routes, dynamic and static, across all route tables of one
 *   gateway (adjustable); 5,000 attachments per gateway (not adjustable); 50 peering attachments
 *   per gateway (FACTS.md: "check").
 *   https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-quotas.html
 * - Customer-managed prefix lists: at most 1,000 max entries per list; a reference counts as the
 *   list's max entries against the referencing resource's quota (a route table's routes).
 *   https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html (Managed prefix lists)
 */

/**
 * Quotas of the account the network is deployed to. Give the values of your account when you
 * have had them raised, once for the whole app, in the context key `cdk-vpc-connect:quotas`
 * (see {@link Quotas}); each check warns at 80% of its quota and fails synth above it.
 */
export interface ConnectivityQuotas {
  /**
   * Active VPC peering connections per VPC. AWS allows raising it up to 125.
   *
   * @default 50
   */
  readonly peeringsPerVpc?: number;

  /**
   * Routes per route table (non-propagated; IPv4 and IPv6 counted separately). AWS raised the
   * default from 50 to 500 in June 2025; accounts keep any higher value they were granted.
   *
   * @default 500
   */
  readonly routesPerRouteTable?: number;

  /**
   * Resources per CloudFormation stack (checked in the stacks the library adds resources to).
   * CloudFormation does not allow more than 500.
   *
   * @default 500
   */
  readonly resourcesPerStack?: number;

  /**
   * Interface and Gateway Load Balancer endpoints per VPC (one combined quota), counted over
   * every such endpoint of the app in one VPC. Adjustable; AWS publishes no maximum.
   *
   * @default 50
   */
  readonly interfaceEndpointsPerVpc?: number;

  /**
   * VPCs associated with one Route 53 private hosted zone (the zones of `SharedEndpoints` are
   * associated with the shared VPC and every consumer of the same account). Adjustable.
   *
   * @default 300
   */
  readonly vpcsPerPrivateHostedZone?: number;

  /**
   * Transit gateway route tables per transit gateway (one per segment of a `TransitGatewayHub`).
   * Adjustable.
   *
   * @default 20
   */
  readonly routeTablesPerTransitGateway?: number;

  /**
   * Routes (propagated and static) across all the route tables of one transit gateway.
   * Adjustable.
   *
   * @default 10000
   */
  readonly routesPerTransitGateway?: number;

  /**
   * Attachments per transit gateway (VPCs, peerings, VPNs...). Not adjustable.
   *
   * @default 5000
   */
  readonly attachmentsPerTransitGateway?: number;

  /**
   * Peering attachments per transit gateway. Adjustable.
   *
   * @default 50
   */
  readonly peeringAttachmentsPerTransitGateway?: number;

  /**
   * Max entries of one customer-managed prefix list (a route to a prefix list counts as its max
   * entries against the routes of its route table).
   *
   * @default 1000
   */
  readonly entriesPerPrefixList?: number;
}

/** The quotas with every value set. */
export type ResolvedQuotas = Required<ConnectivityQuotas>;

/** AWS's defaults. */
export const DEFAULT_QUOTAS: ResolvedQuotas = Object.freeze({
  peeringsPerVpc: 50,
  routesPerRouteTable: 500,
  resourcesPerStack: 500,
  interfaceEndpointsPerVpc: 50,
  vpcsPerPrivateHostedZone: 300,
  routeTablesPerTransitGateway: 20,
  routesPerTransitGateway: 10000,
  attachmentsPerTransitGateway: 5000,
  peeringAttachmentsPerTransitGateway: 50,
  entriesPerPrefixList: 1000,
});

/** The quotas AWS publishes a maximum for. */
type BoundedQuota = 'peeringsPerVpc' | 'routesPerRouteTable' | 'resourcesPerStack' | 'attachmentsPerTransitGateway' | 'entriesPerPrefixList';

/** The most each quota can be raised to (absent: AWS publishes no maximum). */
export const MAXIMUM_QUOTAS: Readonly<Pick<ResolvedQuotas, BoundedQuota>> = Object.freeze({
  peeringsPerVpc: 125,
  routesPerRouteTable: 1000,
  resourcesPerStack: 500,
  attachmentsPerTransitGateway: 5000,
  entriesPerPrefixList: 1000,
});

/** What each quota counts, for messages. */
const NOUNS: Record<keyof ConnectivityQuotas, string> = {
  peeringsPerVpc: 'peering connections',
  routesPerRouteTable: 'routes',
  resourcesPerStack: 'resources',
  interfaceEndpointsPerVpc: 'interface and Gateway Load Balancer endpoints',
  vpcsPerPrivateHostedZone: 'VPC associations',
  routeTablesPerTransitGateway: 'transit gateway route tables',
  routesPerTransitGateway: 'transit gateway routes',
  attachmentsPerTransitGateway: 'attachments',
  peeringAttachmentsPerTransitGateway: 'peering attachments',
  entriesPerPrefixList: 'max entries',
};

/** The share of a quota at which a check warns. */
export const QUOTA_WARNING_SHARE = 0.8;

const NAMES: Record<keyof ConnectivityQuotas, string> = {
  peeringsPerVpc: 'peering connections per VPC',
  routesPerRouteTable: 'routes per route table',
  resourcesPerStack: 'resources per stack',
  interfaceEndpointsPerVpc: 'interface and Gateway Load Balancer endpoints per VPC',
  vpcsPerPrivateHostedZone: 'VPCs per private hosted zone',
  routeTablesPerTransitGateway: 'route tables per transit gateway',
  routesPerTransitGateway: 'routes across the route tables of a transit gateway',
  attachmentsPerTransitGateway: 'attachments per transit gateway',
  peeringAttachmentsPerTransitGateway: 'peering attachments per transit gateway',
  entriesPerPrefixList: 'entries per prefix list',
};

/** The most `quota` can be raised to, when AWS publishes a maximum. */
function maximumOf(quota: keyof ConnectivityQuotas): number | undefined {
  return (MAXIMUM_QUOTAS as ConnectivityQuotas)[quota];
}

/**
 * Check quota values given by a user.
 *
 * @returns a message per value that is not a positive integer or exceeds what AWS allows
 */
export function invalidQuotas(quotas: ConnectivityQuotas): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(NAMES) as Array<keyof ConnectivityQuotas>) {
    const value = quotas[key];
    if (value === undefined) { continue; }
    if (!Number.isInteger(value) || value < 1) {
      problems.push(`quotas.${key} must be a positive integer, got ${value}.`);
    } else if (value > (maximumOf(key) ?? Infinity)) {
      problems.push(`quotas.${key} is ${value}, but AWS allows at most ${maximumOf(key)} ${NAMES[key]}.`);
    }
  }
  return problems;
}

/**
 * Read quota values given as context: an object, or the JSON text `cdk synth -c` passes.
 *
 * @returns the quotas, or the problems (unparsable JSON, an unknown key, a bad value)
 */
export function parseQuotas(value: unknown): ConnectivityQuotas | string[] {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return [`the value is not JSON (got ${JSON.stringify(value)}); write it as {"routesPerRouteTable": 1000}.`];
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return [`the value must be an object such as {"routesPerRouteTable": 1000}, got ${JSON.stringify(parsed)}.`];
  }
  const problems: string[] = [];
  const known = Object.keys(NAMES);
  for (const key of Object.keys(parsed)) {
    if (!known.includes(key)) {
      problems.push(`unknown quota "${key}"; the quotas are ${known.join(', ')}.`);
    }
  }
  problems.push(...invalidQuotas(parsed as ConnectivityQuotas));
  return problems.length > 0 ? problems : parsed as ConnectivityQuotas;
}

/** Each quota given, else AWS's default. */
export function withDefaults(given: ConnectivityQuotas | undefined): ResolvedQuotas {
  return {
    peeringsPerVpc: given?.peeringsPerVpc ?? DEFAULT_QUOTAS.peeringsPerVpc,
    routesPerRouteTable: given?.routesPerRouteTable ?? DEFAULT_QUOTAS.routesPerRouteTable,
    resourcesPerStack: given?.resourcesPerStack ?? DEFAULT_QUOTAS.resourcesPerStack,
    interfaceEndpointsPerVpc: given?.interfaceEndpointsPerVpc ?? DEFAULT_QUOTAS.interfaceEndpointsPerVpc,
    vpcsPerPrivateHostedZone: given?.vpcsPerPrivateHostedZone ?? DEFAULT_QUOTAS.vpcsPerPrivateHostedZone,
    routeTablesPerTransitGateway: given?.routeTablesPerTransitGateway ?? DEFAULT_QUOTAS.routeTablesPerTransitGateway,
    routesPerTransitGateway: given?.routesPerTransitGateway ?? DEFAULT_QUOTAS.routesPerTransitGateway,
    attachmentsPerTransitGateway: given?.attachmentsPerTransitGateway ?? DEFAULT_QUOTAS.attachmentsPerTransitGateway,
    peeringAttachmentsPerTransitGateway: given?.peeringAttachmentsPerTransitGateway ?? DEFAULT_QUOTAS.peeringAttachmentsPerTransitGateway,
    entriesPerPrefixList: given?.entriesPerPrefixList ?? DEFAULT_QUOTAS.entriesPerPrefixList,
  };
}

/** The context key that holds the account's raised quotas. */
const CONTEXT_KEY = 'cdk-vpc-connect:quotas';

/**
 * The quotas in force for the app of `scope`: the context key's values over AWS's defaults.
 *
 * @throws ConnectivityError naming the context key when its value is malformed
 */
export function quotasOf(scope: IConstruct): ResolvedQuotas {
  const root = scope.node.root;
  const value = root.node.tryGetContext(CONTEXT_KEY);
  if (value === undefined) { return DEFAULT_QUOTAS; }
  const parsed = parseQuotas(value);
  if (Array.isArray(parsed)) {
    throw new ConnectivityError(root, `Context ${CONTEXT_KEY}: ${parsed.join(' ')} Set it in cdk.json ("context": {"${CONTEXT_KEY}": {"routesPerRouteTable": 1000}}) ` +
      `or with cdk synth -c '${CONTEXT_KEY}={"routesPerRouteTable":1000}'.`);
  }
  return withDefaults(parsed);
}

/**
 * The account quotas the library checks, set once for the whole app.
 *
 * The values live in the context key `cdk-vpc-connect:quotas` (in `cdk.json`, in
 * `new App({ context })`, or as JSON with `cdk synth -c`), never in a construct's props, so that no
 * construct changes the quotas of the others:
 *
 * ```json
 * { "context": { "cdk-vpc-connect:quotas": { "routesPerRouteTable": 1000, "peeringsPerVpc": 125 } } }
 * ```
 */
export class Quotas {
  /** The context key that holds the account's quotas (a {@link ConnectivityQuotas} object or its JSON text). */
  public static readonly CONTEXT_KEY = CONTEXT_KEY;

  /** AWS's default quotas. */
  public static readonly DEFAULTS: ConnectivityQuotas = DEFAULT_QUOTAS;

  /** The most each quota can be raised to (a quota AWS publishes no maximum for is absent). */
  public static readonly MAXIMUMS: ConnectivityQuotas = MAXIMUM_QUOTAS;

  /**
   * The quotas in force for the app that `scope` belongs to, every value set.
   *
   * @throws when the context value is malformed (not JSON, an unknown key, a value out of range)
   */
  public static of(scope: IConstruct): ConnectivityQuotas {
    return quotasOf(scope);
  }

  private constructor() {}
}

/** The outcome of one quota check. */
export interface QuotaCheck {
  /** `error` above the quota, `warning` at 80% of it or more. */
  readonly level: 'error' | 'warning';
  /** What is counted, where, and what to do. */
  readonly message: string;
}

/**
 * Compare a count with its quota.
 *
 * @param quota which quota
 * @param subject what is counted, for the message (for example `VPC App/VpcA`)
 * @param count the count
 * @param limit the quota's value
 * @param hint what to do when the count is too high
 */
export function checkQuota(quota: keyof ConnectivityQuotas, subject: string, count: number, limit: number, hint: string): QuotaCheck | undefined {
  const raise = quota === 'resourcesPerStack'
    ? 'CloudFormation does not allow more than 500'
    : `once Service Quotas has raised it for the account${maximumOf(quota) === undefined ? '' : `, up to ${maximumOf(quota)}`}, ` +
      `set it in the context key ${CONTEXT_KEY} ({"${quota}": N})`;
  if (count > limit) {
    return { level: 'error', message: `${subject} has ${count} ${NOUNS[quota]}, above the quota of ${limit} ${NAMES[quota]} (${raise}). ${hint}` };
  }
  if (count >= Math.ceil(limit * QUOTA_WARNING_SHARE)) {
    return { level: 'warning', message: `${subject} has ${count} ${NOUNS[quota]}, ${Math.round((count / limit) * 100)}% of the quota of ${limit} ${NAMES[quota]}. ${hint}` };
  }
  return undefined;
}
