/**
 * Mesh or hub for N VPCs: the monthly cost of each, and where the peering mesh runs into its
 * quotas. Pure (no CDK imports).
 */
import { DEFAULT_QUOTAS, MAXIMUM_QUOTAS } from '../routing/quotas';
import { CostInputError } from './errors';
import { estimateHubCost, estimateMeshCost, resolvePricing, TrafficProfile } from './estimate';
import { Pricing } from './pricing';
import { requireInteger, requireNonNegative, requireShare } from './validate';

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
  /** The share of the traffic (0 to 1) crossing AZs within the region. */
  readonly crossAzShare: number;
  /**
   * The share of the traffic (0 to 1) crossing regions.
   *
   * @default 0
   */
  readonly crossRegionShare?: number;
}

/** The quotas the mesh is compared with. */
export interface MeshQuotas {
  /**
   * Active peering connections per VPC, as the account has it.
   *
   * @default 50
   */
  readonly peeringsPerVpc?: number;
  /**
   * The most `peeringsPerVpc` can be raised to.
   *
   * @default 125
   */
  readonly maxPeeringsPerVpc?: number;
  /**
   * Routes per route table (non-propagated), as the account has it.
   *
   * @default 50
   */
  readonly routesPerRouteTable?: number;
  /**
   * Routes each route table holds besides the peering routes (a default route to a NAT or
   * internet gateway, gateway endpoint routes).
   *
   * @default 0
   */
  readonly otherRoutesPerRouteTable?: number;
}

/**
 * AWS's defaults for the mesh quotas: the figures (with their sources) of lib/routing/quotas,
 * which the synth-time checks use too.
 */
export const DEFAULT_MESH_QUOTAS: Required<MeshQuotas> = {
  peeringsPerVpc: DEFAULT_QUOTAS.peeringsPerVpc,
  maxPeeringsPerVpc: MAXIMUM_QUOTAS.peeringsPerVpc,
  routesPerRouteTable: DEFAULT_QUOTAS.routesPerRouteTable,
  otherRoutesPerRouteTable: 0,
};

/** Input of `compareMeshAndHub`. */
export interface MeshHubComparisonOptions {
  /** The numbers of VPCs to compare (each at least 2), one row each. */
  readonly vpcCounts: number[];
  /** The traffic, per pair of VPCs. */
  readonly traffic: TrafficPerPair;
  /**
   * The account's quotas.
   *
   * @default - AWS's defaults (DEFAULT_MESH_QUOTAS)
   */
  readonly quotas?: MeshQuotas;
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
 * Where a mesh of N VPCs stands with the peering quota: within the default, above the default
 * (needs a quota increase from Service Quotas), or above the most AWS allows.
 */
export type MeshQuotaStatus = 'within-default' | 'needs-increase' | 'impossible';

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
  /** The cheaper design in dollars (`equal` within a cent); whether the mesh is possible at all is `meshQuotaStatus`. */
  readonly cheaper: 'mesh' | 'hub' | 'equal';
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
  /** The quotas used. */
  readonly quotas: Required<MeshQuotas>;
  /** One row per number of VPCs, in the order given. */
  readonly rows: MeshHubComparisonRow[];
  /**
   * The smallest N (from 2 to the largest of `vpcCounts`) at which the hub costs less than the
   * mesh; undefined when it never does in that range (at list prices, a transit gateway charges
   * at least as much per GB as peering does, plus its attachments).
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

/**
 * The traffic of N VPCs, from traffic per pair.
 */
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
    crossAzShare: traffic.crossAzShare,
    ...(traffic.crossRegionShare === undefined ? {} : { crossRegionShare: traffic.crossRegionShare }),
  };
}

/**
 * Compare a full peering mesh with a transit-gateway hub for several numbers of VPCs.
 */
export function compareMeshAndHub(options: MeshHubComparisonOptions): MeshHubComparison {
  const pricing = resolvePricing(options.pricing);
  if (!Array.isArray(options.vpcCounts) || options.vpcCounts.length === 0) {
    throw new CostInputError('vpcCounts must list at least one number of VPCs, for example [5, 10, 50].');
  }
  options.vpcCounts.forEach((n, i) => requireInteger(`vpcCounts[${i}]`, n, 2));
  if (options.traffic === undefined || options.traffic === null) {
    throw new CostInputError('traffic is required: { gbPerPairPerMonth, crossAzShare, ... }.');
  }
  requireShare('traffic.crossAzShare', options.traffic.crossAzShare);
  const azs = options.azsPerVpc ?? 2;
  requireInteger('azsPerVpc', azs, 1);
  const quotas = resolveQuotas(options.quotas ?? {});

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
    const routes = peeringsPerVpc + quotas.otherRoutesPerRouteTable;
    return {
      vpcs,
      traffic,
      peeringConnections: pairs(vpcs),
      peeringsPerVpc,
      routesPerRouteTable: routes,
      meshMonthlyUsd: mesh,
      hubMonthlyUsd: hub,
      cheaper: Math.abs(mesh - hub) < 0.005 ? 'equal' : (mesh < hub ? 'mesh' : 'hub'),
      meshWithinPeeringQuota: peeringsPerVpc <= quotas.peeringsPerVpc,
      meshWithinMaxPeeringQuota: peeringsPerVpc <= quotas.maxPeeringsPerVpc,
      meshWithinRouteQuota: routes <= quotas.routesPerRouteTable,
      meshQuotaStatus: peeringsPerVpc <= quotas.peeringsPerVpc ? 'within-default'
        : (peeringsPerVpc <= quotas.maxPeeringsPerVpc ? 'needs-increase' : 'impossible'),
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
    rows,
    ...(hubCheaperFrom === undefined ? {} : { hubCheaperFrom }),
    meshReachesPeeringQuotaAt: quotas.peeringsPerVpc + 1,
    meshExceedsPeeringQuotaFrom: quotas.peeringsPerVpc + 2,
    meshReachesMaxPeeringQuotaAt: quotas.maxPeeringsPerVpc + 1,
    meshImpossibleFrom: quotas.maxPeeringsPerVpc + 2,
    meshExceedsRouteQuotaFrom: Math.max(2, quotas.routesPerRouteTable - quotas.otherRoutesPerRouteTable + 2),
  };
}

function resolveQuotas(given: MeshQuotas): Required<MeshQuotas> {
  const quotas: { -readonly [K in keyof MeshQuotas]-?: number } = { ...DEFAULT_MESH_QUOTAS };
  for (const key of Object.keys(given) as Array<keyof MeshQuotas>) {
    const value = given[key];
    if (value === undefined) { continue; }
    if (!(key in DEFAULT_MESH_QUOTAS)) {
      throw new CostInputError(`Unknown quota ${String(key)}; the quotas are: ${Object.keys(DEFAULT_MESH_QUOTAS).join(', ')}.`);
    }
    requireInteger(`quotas.${key}`, value, key === 'otherRoutesPerRouteTable' ? 0 : 1);
    quotas[key] = value;
  }
  if (quotas.peeringsPerVpc > quotas.maxPeeringsPerVpc) {
    throw new CostInputError(`quotas.peeringsPerVpc (${quotas.peeringsPerVpc}) is above quotas.maxPeeringsPerVpc (${quotas.maxPeeringsPerVpc}); AWS allows at most 125 active peering connections per VPC.`);
  }
  if (quotas.otherRoutesPerRouteTable >= quotas.routesPerRouteTable) {
    throw new CostInputError(`quotas.otherRoutesPerRouteTable (${quotas.otherRoutesPerRouteTable}) leaves no room for peering routes under quotas.routesPerRouteTable (${quotas.routesPerRouteTable}).`);
  }
  return quotas;
}

function pairs(n: number): number {
  return (n * (n - 1)) / 2;
}
