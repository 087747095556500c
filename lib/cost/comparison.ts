/**
 * Mesh or hub for N VPCs: the monthly cost of each, and where the peering mesh runs into its
 * quotas (the same `ConnectivityQuotas` the synth-time checks use). Pure (no CDK imports).
 */
import { CostInputError } from './errors';
import { estimateHubCost, estimateMeshCost, resolvePricing, TrafficProfile } from './estimate';
import { Pricing } from './pricing';
import { requireInteger, requireNonNegative, requireShare } from './validate';
import { ConnectivityQuotas, DEFAULT_QUOTAS, invalidQuotas, MAXIMUM_QUOTAS, ResolvedQuotas } from '../routing/quotas';

/**
 * Traffic that grows with the number of VPCs, per pair of VPCs.
 *
 * Without `gbToSharedServicesPerVpcPerMonth`, each of the N × (N − 1) / 2 pairs exchanges
 * `gbPerPairPerMonth`. With it, one of the N VPCs is a shared-services VPC: each of the N − 1
 * others exchanges `gbToSharedServicesPerVpcPerMonth` with it, and each pair of those others
 * exchanges `gbPerPairPerMonth`.
 */
export interface TrafficPerPair {
  /** GB per month exchanged by each pair of (workload) VPCs, both directions added up. */
  readonly gbPerPairPerMonth: number;
  /**
   * GB per month each workload VPC exchanges with the shared-services VPC, both directions added up.
   *
   * @default - no shared-services VPC
   */
  readonly gbToSharedServicesPerVpcPerMonth?: number;
  /**
   * The share of the traffic (0 to 1) crossing AZs within the region.
   *
   * @default 0
   */
  readonly crossAzShare?: number;
  /**
   * The share of the traffic (0 to 1) crossing regions.
   *
   * @default 0
   */
  readonly crossRegionShare?: number;
}

/** Input of `CostComparison.meshAndHub`. */
export interface MeshHubComparisonOptions {
  /** The numbers of VPCs to compare (each at least 2), one row each. */
  readonly vpcCounts: number[];
  /** The traffic, per pair of VPCs. */
  readonly traffic: TrafficPerPair;
  /**
   * The account's quotas the mesh is compared with (`peeringsPerVpc`, `routesPerRouteTable`; the
   * same struct as the context key `cdk-vpc-connect:quotas`). The most peerings per VPC AWS allows
   * (125) is fixed.
   *
   * @default - AWS's defaults (`Quotas.DEFAULTS`: 50 peerings per VPC, 500 routes per route table)
   */
  readonly quotas?: ConnectivityQuotas;
  /**
   * Routes each route table of the mesh holds besides the peering routes (a default route to a
   * NAT or internet gateway, gateway endpoint routes): an assumption about your tables.
   *
   * @default 0
   */
  readonly otherRoutesPerRouteTable?: number;
  /**
   * The AZs of each VPC (for the hub's attachments; it does not change the price).
   *
   * @default 2
   */
  readonly azsPerVpc?: number;
  /**
   * The rates.
   *
   * @default Pricing.US_EAST_1
   */
  readonly pricing?: Pricing;
}

/**
 * Where a mesh of N VPCs stands with the peering quota: within the account's quota, above it
 * (needs a quota increase from Service Quotas), or above the most AWS allows.
 */
export enum MeshQuotaStatus {
  /** Each VPC's peerings stay within the account's peering quota. */
  WITHIN_DEFAULT = 'within-default',
  /** Above the account's peering quota, within the most AWS allows: ask Service Quotas for an increase. */
  NEEDS_INCREASE = 'needs-increase',
  /** Above the most peerings per VPC AWS allows: a full mesh is impossible. */
  IMPOSSIBLE = 'impossible',
}

/** The cheaper of a full mesh and a hub, in dollars. */
export enum CheaperDesign {
  /** The full peering mesh costs less. */
  MESH = 'mesh',
  /** The transit gateway hub costs less. */
  HUB = 'hub',
  /** Both cost the same, within a cent. */
  EQUAL = 'equal',
}

/** Mesh and hub for one number of VPCs. */
export interface MeshHubComparisonRow {
  /** The number of VPCs. */
  readonly vpcs: number;
  /** The traffic of N VPCs. */
  readonly traffic: TrafficProfile;
  /** Peering connections of the full mesh: N × (N − 1) / 2. */
  readonly peeringConnections: number;
  /** Peering connections of each VPC: N − 1. */
  readonly peeringsPerVpc: number;
  /** Routes in each route table of the mesh: one per peer VPC block, plus the other routes. */
  readonly routesPerRouteTable: number;
  /** The full mesh's monthly cost, in US dollars. */
  readonly meshMonthlyUsd: number;
  /** The hub's monthly cost, in US dollars. */
  readonly hubMonthlyUsd: number;
  /** The cheaper design in dollars (`CheaperDesign.EQUAL` within a cent); whether the mesh is possible at all is `meshQuotaStatus`. */
  readonly cheaper: CheaperDesign;
  /** Whether each VPC's peerings stay within the account's peering quota. */
  readonly meshWithinPeeringQuota: boolean;
  /** Whether each VPC's peerings stay within the most the quota can be raised to. */
  readonly meshWithinMaxPeeringQuota: boolean;
  /** Whether each route table stays within the account's route quota. */
  readonly meshWithinRouteQuota: boolean;
  /** Where the mesh stands with the peering quota. */
  readonly meshQuotaStatus: MeshQuotaStatus;
}

/** The comparison and its turning points. */
export interface MeshHubComparison {
  /** The name of the pricing table used. */
  readonly pricing: string;
  /** The account's quotas used, every value set (the given ones over AWS's defaults). */
  readonly quotas: ConnectivityQuotas;
  /** The routes per route table assumed besides the peering routes. */
  readonly otherRoutesPerRouteTable: number;
  /** One row per number of VPCs, in the order given. */
  readonly rows: MeshHubComparisonRow[];
  /**
   * The smallest N (from 2 to the largest of `vpcCounts`) at which the hub costs less than the
   * mesh; undefined when it never does in that range (at list prices, a transit gateway charges
   * at least as much per GB as peering does, plus its attachments).
   *
   * @default - the hub is never cheaper in the range compared
   */
  readonly hubCheaperFrom?: number;
  /** The N at which each VPC of a mesh has exactly the account's peering quota (N − 1 = quota). */
  readonly meshReachesPeeringQuotaAt: number;
  /** The smallest N whose mesh needs more peerings per VPC than the account's quota. */
  readonly meshExceedsPeeringQuotaFrom: number;
  /** The N at which each VPC of a mesh has the most peerings AWS allows. */
  readonly meshReachesMaxPeeringQuotaAt: number;
  /** The smallest N for which a full mesh is impossible: the hub is necessary. */
  readonly meshImpossibleFrom: number;
  /** The smallest N whose mesh needs more routes per route table than the account's quota. */
  readonly meshExceedsRouteQuotaFrom: number;
}

/** The traffic of N VPCs, from traffic per pair (not exported from the package: see `CostComparison`). */
export function trafficForVpcCount(vpcs: number, traffic: TrafficPerPair): TrafficProfile {
  requireInteger('vpcs', vpcs, 2);
  requireNonNegative('traffic.gbPerPairPerMonth', traffic.gbPerPairPerMonth);
  const shared = traffic.gbToSharedServicesPerVpcPerMonth;
  let gbPerMonth: number;
  if (shared === undefined) {
    gbPerMonth = pairs(vpcs) * traffic.gbPerPairPerMonth;
  } else {
    requireNonNegative('traffic.gbToSharedServicesPerVpcPerMonth', shared);
    const workloads = vpcs - 1;
    gbPerMonth = workloads * shared + pairs(workloads) * traffic.gbPerPairPerMonth;
  }
  return {
    gbPerMonth,
    ...(traffic.crossAzShare === undefined ? {} : { crossAzShare: traffic.crossAzShare }),
    ...(traffic.crossRegionShare === undefined ? {} : { crossRegionShare: traffic.crossRegionShare }),
  };
}

/** Compare a full peering mesh with a hub (not exported from the package: see `CostComparison`). */
export function compareMeshAndHub(options: MeshHubComparisonOptions): MeshHubComparison {
  const pricing = resolvePricing(options.pricing);
  if (!Array.isArray(options.vpcCounts) || options.vpcCounts.length === 0) {
    throw new CostInputError('vpcCounts must list at least one number of VPCs, for example [5, 10, 50].');
  }
  options.vpcCounts.forEach((n, i) => requireInteger(`vpcCounts[${i}]`, n, 2));
  if (options.traffic === undefined || options.traffic === null) {
    throw new CostInputError('traffic is required: { gbPerPairPerMonth, crossAzShare?, ... }.');
  }
  requireShare('traffic.crossAzShare', options.traffic.crossAzShare ?? 0);
  const azs = options.azsPerVpc ?? 2;
  requireInteger('azsPerVpc', azs, 1);
  const quotas = resolveQuotas(options.quotas ?? {});
  const otherRoutes = options.otherRoutesPerRouteTable ?? 0;
  requireInteger('otherRoutesPerRouteTable', otherRoutes, 0);
  if (otherRoutes >= quotas.routesPerRouteTable) {
    throw new CostInputError(`otherRoutesPerRouteTable (${otherRoutes}) leaves no room for peering routes under quotas.routesPerRouteTable (${quotas.routesPerRouteTable}).`);
  }
  const maxPeerings = MAXIMUM_QUOTAS.peeringsPerVpc;

  const costs = (vpcs: number) => {
    const traffic = trafficForVpcCount(vpcs, options.traffic);
    return {
      traffic,
      mesh: estimateMeshCost({ vpcs, traffic, pricing }).monthlyUsd,
      hub: estimateHubCost({ spokes: vpcs, azsPerSpoke: azs, traffic, pricing }).monthlyUsd,
    };
  };

  const rows = options.vpcCounts.map((vpcs): MeshHubComparisonRow => {
    const { traffic, mesh, hub } = costs(vpcs);
    const peeringsPerVpc = vpcs - 1;
    const routes = peeringsPerVpc + otherRoutes;
    return {
      vpcs,
      traffic,
      peeringConnections: pairs(vpcs),
      peeringsPerVpc,
      routesPerRouteTable: routes,
      meshMonthlyUsd: mesh,
      hubMonthlyUsd: hub,
      cheaper: Math.abs(mesh - hub) < 0.005 ? CheaperDesign.EQUAL : (mesh < hub ? CheaperDesign.MESH : CheaperDesign.HUB),
      meshWithinPeeringQuota: peeringsPerVpc <= quotas.peeringsPerVpc,
      meshWithinMaxPeeringQuota: peeringsPerVpc <= maxPeerings,
      meshWithinRouteQuota: routes <= quotas.routesPerRouteTable,
      meshQuotaStatus: peeringsPerVpc <= quotas.peeringsPerVpc ? MeshQuotaStatus.WITHIN_DEFAULT
        : (peeringsPerVpc <= maxPeerings ? MeshQuotaStatus.NEEDS_INCREASE : MeshQuotaStatus.IMPOSSIBLE),
    };
  });

  let hubCheaperFrom: number | undefined;
  const largest = Math.max(...options.vpcCounts);
  for (let vpcs = 2; vpcs <= largest; vpcs++) {
    const { mesh, hub } = costs(vpcs);
    if (mesh - hub >= 0.005) { hubCheaperFrom = vpcs; break; }
  }

  return {
    pricing: pricing.name,
    quotas,
    otherRoutesPerRouteTable: otherRoutes,
    rows,
    ...(hubCheaperFrom === undefined ? {} : { hubCheaperFrom }),
    meshReachesPeeringQuotaAt: quotas.peeringsPerVpc + 1,
    meshExceedsPeeringQuotaFrom: quotas.peeringsPerVpc + 2,
    meshReachesMaxPeeringQuotaAt: maxPeerings + 1,
    meshImpossibleFrom: maxPeerings + 2,
    meshExceedsRouteQuotaFrom: Math.max(2, quotas.routesPerRouteTable - otherRoutes + 2),
  };
}

/** What a 0.1 quota of the comparison became, for the unknown-quota message. */
const MOVED_QUOTAS: { [key: string]: string } = {
  otherRoutesPerRouteTable: 'otherRoutesPerRouteTable is now an option of the comparison, next to quotas',
  maxPeeringsPerVpc: 'the most peerings per VPC AWS allows (125) is fixed',
};

/** The given quotas over AWS's defaults, checked as the context key's values are. */
function resolveQuotas(given: ConnectivityQuotas): ResolvedQuotas {
  if (given === null || typeof given !== 'object') {
    throw new CostInputError(`quotas must be an object such as { peeringsPerVpc: 125 }, got ${String(given)}.`);
  }
  const known = Object.keys(DEFAULT_QUOTAS);
  const quotas: { [key: string]: number } = { ...DEFAULT_QUOTAS };
  for (const key of Object.keys(given)) {
    const value = (given as { [key: string]: number | undefined })[key];
    if (value === undefined) { continue; }
    if (!known.includes(key)) {
      const moved = MOVED_QUOTAS[key] === undefined ? '' : ` (${MOVED_QUOTAS[key]})`;
      throw new CostInputError(`Unknown quota ${key}${moved}; the quotas are: ${known.join(', ')}.`);
    }
    requireInteger(`quotas.${key}`, value, 1);
    quotas[key] = value;
  }
  // the same limits as the context key cdk-vpc-connect:quotas (lib/routing/quotas)
  const problems = invalidQuotas(given);
  if (problems.length > 0) {
    throw new CostInputError(problems.join(' '));
  }
  return quotas as unknown as ResolvedQuotas;
}

/**
 * Mesh or hub for N VPCs: what each costs, and where a full peering mesh runs into its quotas.
 *
 * @example
 * const comparison = CostComparison.meshAndHub({
 *   vpcCounts: [5, 50, 130],
 *   traffic: { gbPerPairPerMonth: 100, crossAzShare: 0.5 },
 * });
 */
export class CostComparison {
  /**
   * Compare a full peering mesh with a transit-gateway hub for several numbers of VPCs.
   *
   * @throws CostInputError naming the input that is invalid
   */
  public static meshAndHub(options: MeshHubComparisonOptions): MeshHubComparison {
    return compareMeshAndHub(options);
  }

  /**
   * The traffic of N VPCs, from traffic per pair.
   *
   * @param vpcs the number of VPCs (at least 2)
   * @param traffic the traffic per pair of VPCs
   * @throws CostInputError naming the input that is invalid
   */
  public static trafficForVpcCount(vpcs: number, traffic: TrafficPerPair): TrafficProfile {
    return trafficForVpcCount(vpcs, traffic);
  }

  private constructor() {}
}

function pairs(n: number): number {
  return (n * (n - 1)) / 2;
}
