/**
 * The AWS and CloudFormation quotas the library checks at synth time, and the pure logic of
 * those checks (no CDK imports: tested without synthesis).
 *
 * Sources:
 * - Active VPC peering connections per VPC: 50 by default, adjustable up to 125.
 *   https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-connection-quotas.html
 * - Routes per route table (non-propagated): 50 by default, adjustable (up to 1,000); IPv4 and
 *   IPv6 routes are counted separately. https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html
 * - Resources per CloudFormation stack: 500.
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 */

/**
 * Quotas of the account the network is deployed to. Give the values of your account when you
 * have had them raised; each check warns at 80% of its quota and fails synth above it.
 */
export interface ConnectivityQuotas {
  /**
   * Active VPC peering connections per VPC. AWS allows raising it up to 125.
   *
   * @default 50
   */
  readonly peeringsPerVpc?: number;

  /**
   * Routes per route table (non-propagated; IPv4 and IPv6 counted separately).
   *
   * @default 50
   */
  readonly routesPerRouteTable?: number;

  /**
   * Resources per CloudFormation stack (checked in the stacks the library adds resources to).
   * CloudFormation does not allow more than 500.
   *
   * @default 500
   */
  readonly resourcesPerStack?: number;
}

/** The quotas with every value set. */
export type ResolvedQuotas = Required<ConnectivityQuotas>;

/** AWS's defaults. */
export const DEFAULT_QUOTAS: ResolvedQuotas = {
  peeringsPerVpc: 50,
  routesPerRouteTable: 50,
  resourcesPerStack: 500,
};

/** The most each quota can be raised to. */
export const MAXIMUM_QUOTAS: ResolvedQuotas = {
  peeringsPerVpc: 125,
  routesPerRouteTable: 1000,
  resourcesPerStack: 500,
};

/** What each quota counts, for messages. */
const NOUNS: Record<keyof ConnectivityQuotas, string> = {
  peeringsPerVpc: 'peering connections',
  routesPerRouteTable: 'routes',
  resourcesPerStack: 'resources',
};

/** The share of a quota at which a check warns. */
export const QUOTA_WARNING_SHARE = 0.8;

const NAMES: Record<keyof ConnectivityQuotas, string> = {
  peeringsPerVpc: 'peering connections per VPC',
  routesPerRouteTable: 'routes per route table',
  resourcesPerStack: 'resources per stack',
};

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
    } else if (value > MAXIMUM_QUOTAS[key]) {
      problems.push(`quotas.${key} is ${value}, but AWS allows at most ${MAXIMUM_QUOTAS[key]} ${NAMES[key]}.`);
    }
  }
  return problems;
}

/** Combine quota values: for each quota, the highest value given (the account's raised quota), else AWS's default. */
export function combineQuotas(given: ConnectivityQuotas[]): ResolvedQuotas {
  const result: Record<string, number> = { ...DEFAULT_QUOTAS };
  for (const key of Object.keys(DEFAULT_QUOTAS) as Array<keyof ConnectivityQuotas>) {
    const values = given.map((q) => q[key]).filter((v): v is number => v !== undefined);
    if (values.length > 0) { result[key] = Math.max(...values); }
  }
  return result as ResolvedQuotas;
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
    : `raise it with quotas.${quota} (or the context key cdk-vpc-connect:quotas) once Service Quotas has raised it for the account, up to ${MAXIMUM_QUOTAS[quota]}`;
  if (count > limit) {
    return { level: 'error', message: `${subject} has ${count} ${NOUNS[quota]}, above the quota of ${limit} ${NAMES[quota]} (${raise}). ${hint}` };
  }
  if (count >= Math.ceil(limit * QUOTA_WARNING_SHARE)) {
    return { level: 'warning', message: `${subject} has ${count} ${NOUNS[quota]}, ${Math.round((count / limit) * 100)}% of the quota of ${limit} ${NAMES[quota]}. ${hint}` };
  }
  return undefined;
}
