/**
 * Monthly cost estimates of a peering mesh, a transit-gateway hub and VPC endpoints, for a given
 * traffic. Pure functions: no CDK imports, no AWS calls; the rates come from a `Pricing` table.
 *
 * The estimates count what the connectivity adds to the bill (connections, attachments,
 * endpoints, data processing and transfer between the VPCs). They leave out what is the same in
 * every design: the instances, and data transfer to the internet.
 */
import { CostInputError } from './errors';
import { Pricing } from './pricing';
import { requireInteger, requireNonNegative, requireShare } from './validate';

/** The traffic between the VPCs in a month. */
export interface TrafficProfile {
  /**
   * GB per month sent between the VPCs, all flows and both directions added up: each GB is
   * counted once, by the VPC that sends it (a 10 GB request and a 90 GB response are 100 GB).
   */
  readonly gbPerMonth: number;

  /**
   * The share of `gbPerMonth` (0 to 1) whose sender and receiver are in different AZs of one region.
   *
   * @default 0
   */
  readonly crossAzShare?: number;

  /**
   * The share of `gbPerMonth` (0 to 1) whose sender and receiver are in different regions.
   * `crossAzShare + crossRegionShare` must not exceed 1: the rest stays within one AZ.
   *
   * @default 0
   */
  readonly crossRegionShare?: number;
}

/**
 * What a construct's `estimateMonthlyCost` assumes: the same options for a `PeeringMesh`, a
 * `TransitGatewayHub` and `VpcEndpoints`.
 */
export interface CostOptions {
  /**
   * The traffic through the construct in a month. For `VpcEndpoints`, `gbPerMonth` is the traffic
   * through the interface endpoints.
   *
   * @default - no traffic: the hourly charges only
   */
  readonly traffic?: TrafficProfile;

  /**
   * The rates.
   *
   * @default Pricing.US_EAST_1
   */
  readonly pricing?: Pricing;

  /**
   * `VpcEndpoints` only: NAT gateways the endpoints make unnecessary. The estimate then also
   * prices the same traffic through them (`alternative`) and the difference (`monthlySavingsUsd`).
   *
   * @default 0
   */
  readonly natGatewaysAvoided?: number;
}

/** One item of an estimate. */
export interface CostLine {
  /** What is paid for. */
  readonly item: string;
  /** How much of it in a month, in `unit`s. */
  readonly quantity: number;
  /** The unit of `quantity` and `rateUsd` (`GB`, `attachment-hour`). */
  readonly unit: string;
  /** US dollars per unit. */
  readonly rateUsd: number;
  /** `quantity × rateUsd`. */
  readonly monthlyUsd: number;
  /**
   * How the quantity was counted, or why the rate applies.
   *
   * @default - no note: the item speaks for itself
   */
  readonly note?: string;
}

/** A monthly cost and where the money goes. */
export interface CostEstimate {
  /** What was estimated (`Full mesh of 5 VPCs`). */
  readonly title: string;
  /** The name of the pricing table used. */
  readonly pricing: string;
  /** The sum of the lines, in US dollars per month. */
  readonly monthlyUsd: number;
  /** The items, in the order they were counted. */
  readonly lines: CostLine[];
  /**
   * Another design priced for the same traffic, when the estimate was asked to compare (for
   * `VpcEndpoints` with `natGatewaysAvoided`: the NAT gateways the endpoints replace).
   *
   * @default - no alternative was priced
   */
  readonly alternative?: CostEstimate;
  /**
   * What this design saves each month against `alternative`, in US dollars:
   * `alternative.monthlyUsd − monthlyUsd` (negative when this design costs more).
   *
   * @default - no alternative was priced
   */
  readonly monthlySavingsUsd?: number;
}

/** Input of `CostEstimates.mesh`. */
export interface MeshCostOptions {
  /** The number of VPCs (at least 2). */
  readonly vpcs: number;
  /**
   * The number of peering connections.
   *
   * @default - a full mesh: vpcs × (vpcs − 1) / 2
   */
  readonly connections?: number;
  /** The traffic between the VPCs, carried by the peering connections. */
  readonly traffic: TrafficProfile;
  /**
   * The rates.
   *
   * @default Pricing.US_EAST_1
   */
  readonly pricing?: Pricing;
}

/** Input of `CostEstimates.hub`. */
export interface HubCostOptions {
  /** The number of VPCs attached to the transit gateway, shared-services VPCs included (at least 1). */
  readonly spokes: number;
  /**
   * The AZs each attachment has a subnet in. It does not change the price: a VPC attachment is
   * billed once per hour whatever its number of AZs.
   *
   * @default 2
   */
  readonly azsPerSpoke?: number;
  /**
   * Transit gateway peerings (to hubs in other regions) carrying the cross-region traffic; each
   * has an attachment on both transit gateways.
   *
   * @default - 1 when the traffic has a cross-region share, else 0
   */
  readonly transitGatewayPeerings?: number;
  /** The traffic between the VPCs, all of it through the transit gateway. */
  readonly traffic: TrafficProfile;
  /**
   * The rates.
   *
   * @default Pricing.US_EAST_1
   */
  readonly pricing?: Pricing;
}

/** Input of `CostEstimates.endpoints`. */
export interface EndpointsCostOptions {
  /** The number of interface endpoints (one per AWS service, per VPC). */
  readonly interfaceEndpoints: number;
  /** The AZs each interface endpoint has a network interface in (at least 1). */
  readonly azs: number;
  /**
   * The endpoint-AZ pairs in all, when the endpoints do not all span `azs` AZs (for example 3
   * endpoints in 2 AZs and 1 in 3: 9). Each is billed per hour.
   *
   * @default - interfaceEndpoints × azs
   */
  readonly interfaceEndpointAzs?: number;
  /** GB per month through the interface endpoints, both directions. */
  readonly gbPerMonth: number;
  /**
   * The number of gateway endpoints (S3, DynamoDB).
   *
   * @default 0
   */
  readonly gatewayEndpoints?: number;
  /**
   * GB per month through the gateway endpoints.
   *
   * @default 0
   */
  readonly gatewayEndpointGbPerMonth?: number;
  /**
   * NAT gateways the endpoints make unnecessary. When above 0, the estimate also prices the NAT
   * gateways that would carry the same traffic instead (`alternative`) and the difference
   * (`monthlySavingsUsd`).
   *
   * @default 0
   */
  readonly natGatewaysAvoided?: number;
  /**
   * The rates.
   *
   * @default Pricing.US_EAST_1
   */
  readonly pricing?: Pricing;
}

/**
 * The monthly cost of VPCs connected by peering connections.
 *
 * Peering connections themselves are free. Data within one AZ is free; across AZs it is charged
 * out of the sender and into the receiver; across regions, once, out of the source region.
 */
export function estimateMeshCost(options: MeshCostOptions): CostEstimate {
  const pricing = resolvePricing(options.pricing);
  requireInteger('vpcs', options.vpcs, 2);
  const fullMesh = (options.vpcs * (options.vpcs - 1)) / 2;
  const connections = options.connections ?? fullMesh;
  requireInteger('connections', connections, 1);
  if (connections > fullMesh) {
    throw new CostInputError(`connections is ${connections}, but ${options.vpcs} VPCs have at most ${fullMesh} peering connections (one per pair).`);
  }
  const traffic = splitTraffic(options.traffic);
  const r = pricing.rates;
  const lines: CostLine[] = [
    line('VPC peering connections', connections * r.hoursPerMonth, 'connection-hour', r.peeringConnectionPerHour,
      `${connections} connection(s) × ${r.hoursPerMonth} h; a peering connection has no charge of its own`),
    line('Data within one AZ', traffic.sameAzGb, 'GB', r.peeringSameAzPerGb, 'free when sender and receiver are in the same AZ ID'),
    line('Data across AZs, out of the sender', traffic.crossAzGb, 'GB', r.crossAzPerGbEachDirection),
    line('Data across AZs, into the receiver', traffic.crossAzGb, 'GB', r.crossAzPerGbEachDirection),
    line('Data across regions', traffic.crossRegionGb, 'GB', r.interRegionPerGb, 'charged once, out of the source region'),
  ];
  const kind = connections === fullMesh ? 'Full mesh' : 'Partial mesh';
  return estimate(`${kind} of ${options.vpcs} VPCs (${connections} peering connections)`, pricing, lines);
}

/**
 * The monthly cost of VPCs connected through one transit gateway (and, for cross-region traffic,
 * a peering to a transit gateway in the other region).
 *
 * Each VPC attachment is billed per hour; each GB is charged a processing fee once, when it
 * enters the transit gateway from the sending VPC. Data transfer between AZs through a transit
 * gateway is free since April 2022 (the `transitGatewayCrossAzPerGb` rate, 0 by default).
 */
export function estimateHubCost(options: HubCostOptions): CostEstimate {
  const pricing = resolvePricing(options.pricing);
  requireInteger('spokes', options.spokes, 1);
  const azs = options.azsPerSpoke ?? 2;
  requireInteger('azsPerSpoke', azs, 1);
  const traffic = splitTraffic(options.traffic);
  const peerings = options.transitGatewayPeerings ?? (traffic.crossRegionGb > 0 ? 1 : 0);
  requireInteger('transitGatewayPeerings', peerings, 0);
  if (traffic.crossRegionGb > 0 && peerings === 0) {
    throw new CostInputError('The traffic has a cross-region share, but transitGatewayPeerings is 0: a transit gateway only attaches VPCs of its region, so cross-region traffic needs a peering to a transit gateway in the other region.');
  }
  const r = pricing.rates;
  const lines: CostLine[] = [
    line('Transit gateway VPC attachments', options.spokes * r.hoursPerMonth, 'attachment-hour', r.transitGatewayAttachmentPerHour,
      `${options.spokes} attachment(s) × ${r.hoursPerMonth} h; one attachment per VPC, whatever its AZs (${azs} here)`),
  ];
  if (peerings > 0) {
    lines.push(line('Transit gateway peering attachments', peerings * 2 * r.hoursPerMonth, 'attachment-hour', r.transitGatewayAttachmentPerHour,
      `${peerings} peering(s) × 2 transit gateways × ${r.hoursPerMonth} h`));
  }
  lines.push(
    line('Transit gateway data processing', traffic.totalGb, 'GB', r.transitGatewayPerGb,
      'charged once per GB, when it enters the transit gateway from the sending VPC'),
    line('Data across AZs through the transit gateway', traffic.crossAzGb, 'GB', r.transitGatewayCrossAzPerGb,
      'free since April 2022 (check)'),
    line('Data across regions (transit gateway peering)', traffic.crossRegionGb, 'GB', r.interRegionPerGb,
      'charged once, out of the source region'),
  );
  return estimate(`Transit gateway hub with ${options.spokes} VPC attachments`, pricing, lines);
}

/**
 * The monthly cost of VPC endpoints, and optionally of the NAT gateways they make unnecessary.
 */
export function estimateEndpointsCost(options: EndpointsCostOptions): CostEstimate {
  const pricing = resolvePricing(options.pricing);
  requireInteger('interfaceEndpoints', options.interfaceEndpoints, 0);
  requireInteger('azs', options.azs, 1);
  const endpointAzs = options.interfaceEndpointAzs ?? options.interfaceEndpoints * options.azs;
  requireInteger('interfaceEndpointAzs', endpointAzs, options.interfaceEndpoints);
  requireNonNegative('gbPerMonth', options.gbPerMonth);
  const gatewayEndpoints = options.gatewayEndpoints ?? 0;
  requireInteger('gatewayEndpoints', gatewayEndpoints, 0);
  const gatewayGb = options.gatewayEndpointGbPerMonth ?? 0;
  requireNonNegative('gatewayEndpointGbPerMonth', gatewayGb);
  const natGateways = options.natGatewaysAvoided ?? 0;
  requireInteger('natGatewaysAvoided', natGateways, 0);
  if (options.interfaceEndpoints === 0 && options.gbPerMonth > 0) {
    throw new CostInputError(`gbPerMonth is ${options.gbPerMonth}, but there are no interface endpoints to carry it; put gateway endpoint traffic in gatewayEndpointGbPerMonth.`);
  }
  if (gatewayEndpoints === 0 && gatewayGb > 0) {
    throw new CostInputError(`gatewayEndpointGbPerMonth is ${gatewayGb}, but gatewayEndpoints is 0.`);
  }

  const r = pricing.rates;
  const lines: CostLine[] = [
    line('Interface endpoint AZ-hours', endpointAzs * r.hoursPerMonth, 'endpoint-AZ-hour', r.interfaceEndpointPerAzHour,
      options.interfaceEndpointAzs === undefined
        ? `${options.interfaceEndpoints} endpoint(s) × ${options.azs} AZ(s) × ${r.hoursPerMonth} h`
        : `${endpointAzs} endpoint-AZ(s) of ${options.interfaceEndpoints} endpoint(s) × ${r.hoursPerMonth} h`),
    line('Interface endpoint data processing', options.gbPerMonth, 'GB', r.interfaceEndpointPerGb, 'first-PB tier'),
    line('Gateway endpoint hours', gatewayEndpoints * r.hoursPerMonth, 'endpoint-hour', r.gatewayEndpointPerHour,
      `${gatewayEndpoints} endpoint(s) × ${r.hoursPerMonth} h; gateway endpoints are free`),
    line('Gateway endpoint data', gatewayGb, 'GB', r.gatewayEndpointPerGb),
  ];
  const spread = options.interfaceEndpointAzs === undefined ? `in ${options.azs} AZ(s)` : `in ${endpointAzs} endpoint-AZ(s)`;
  const endpoints = estimate(`VPC endpoints: ${options.interfaceEndpoints} interface ${spread}, ${gatewayEndpoints} gateway`, pricing, lines);
  if (natGateways === 0) {
    return endpoints;
  }
  const nat = estimate(`${natGateways} NAT gateway(s) carrying the same traffic`, pricing, [
    line('NAT gateway hours', natGateways * r.hoursPerMonth, 'gateway-hour', r.natGatewayPerHour, `${natGateways} gateway(s) × ${r.hoursPerMonth} h`),
    line('NAT gateway data processing', options.gbPerMonth + gatewayGb, 'GB', r.natGatewayPerGb,
      'the interface and gateway endpoint traffic; AWS services of the same region add no data transfer'),
  ]);
  return { ...endpoints, alternative: nat, monthlySavingsUsd: nat.monthlyUsd - endpoints.monthlyUsd };
}

/**
 * Monthly cost estimates of a design described by its counts (VPCs, attachments, endpoints),
 * before or without building it. Each construct's `estimateMonthlyCost(options)` gives the same
 * estimate from what it actually created.
 *
 * @example
 * const mesh = CostEstimates.mesh({ vpcs: 5, traffic: { gbPerMonth: 2300, crossAzShare: 0.5 } });
 */
export class CostEstimates {
  /**
   * The monthly cost of VPCs connected by peering connections.
   *
   * Peering connections themselves are free. Data within one AZ is free; across AZs it is charged
   * out of the sender and into the receiver; across regions, once, out of the source region.
   *
   * @throws CostInputError naming the input that is invalid
   */
  public static mesh(options: MeshCostOptions): CostEstimate {
    return estimateMeshCost(options);
  }

  /**
   * The monthly cost of VPCs connected through one transit gateway (and, for cross-region
   * traffic, a peering to a transit gateway in the other region).
   *
   * Each VPC attachment is billed per hour; each GB is charged a processing fee once, when it
   * enters the transit gateway from the sending VPC.
   *
   * @throws CostInputError naming the input that is invalid
   */
  public static hub(options: HubCostOptions): CostEstimate {
    return estimateHubCost(options);
  }

  /**
   * The monthly cost of VPC endpoints; with `natGatewaysAvoided`, also the NAT gateways that
   * would carry the same traffic (`alternative`) and the difference (`monthlySavingsUsd`).
   *
   * @throws CostInputError naming the input that is invalid
   */
  public static endpoints(options: EndpointsCostOptions): CostEstimate {
    return estimateEndpointsCost(options);
  }

  private constructor() {}
}

/** The traffic split by where it goes, in GB per month. */
interface SplitTraffic {
  readonly totalGb: number;
  readonly sameAzGb: number;
  readonly crossAzGb: number;
  readonly crossRegionGb: number;
}

/** Not exported from the package. */
export function splitTraffic(traffic: TrafficProfile): SplitTraffic {
  if (traffic === undefined || traffic === null || typeof traffic !== 'object') {
    throw new CostInputError('traffic is required: { gbPerMonth, crossAzShare?, crossRegionShare? }.');
  }
  requireNonNegative('traffic.gbPerMonth', traffic.gbPerMonth);
  const crossAzShare = traffic.crossAzShare ?? 0;
  requireShare('traffic.crossAzShare', crossAzShare);
  const crossRegionShare = traffic.crossRegionShare ?? 0;
  requireShare('traffic.crossRegionShare', crossRegionShare);
  if (crossAzShare + crossRegionShare > 1 + 1e-9) {
    throw new CostInputError(`traffic.crossAzShare (${crossAzShare}) + traffic.crossRegionShare (${crossRegionShare}) is above 1; they are shares of the same traffic, the rest staying within one AZ.`);
  }
  const crossAzGb = traffic.gbPerMonth * crossAzShare;
  const crossRegionGb = traffic.gbPerMonth * crossRegionShare;
  return {
    totalGb: traffic.gbPerMonth,
    crossAzGb,
    crossRegionGb,
    sameAzGb: Math.max(0, traffic.gbPerMonth - crossAzGb - crossRegionGb),
  };
}

/** Not exported from the package. */
export function resolvePricing(pricing: Pricing | undefined): Pricing {
  if (pricing === undefined) { return Pricing.US_EAST_1; }
  if (!Pricing.isPricing(pricing)) {
    throw new CostInputError('pricing must be a Pricing table: Pricing.US_EAST_1, Pricing.US_EAST_1.withRates({...}) or Pricing.custom({...}).');
  }
  return pricing;
}

function line(item: string, quantity: number, unit: string, rateUsd: number, note?: string): CostLine {
  return { item, quantity, unit, rateUsd, monthlyUsd: quantity * rateUsd, ...(note === undefined ? {} : { note }) };
}

function estimate(title: string, pricing: Pricing, lines: CostLine[]): CostEstimate {
  return { title, pricing: pricing.name, monthlyUsd: lines.reduce((sum, l) => sum + l.monthlyUsd, 0), lines };
}
