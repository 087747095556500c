/**
 * The cost comparison of the mesh/hub example: the same five VPCs connected as a full peering
 * mesh and as a transit-gateway hub, for the traffic profile below, then mesh and hub for more
 * VPCs with the same traffic per pair.
 *
 * Run it:  npx ts-node --transpile-only examples/cost-comparison.ts
 *
 * Traffic profile (an assumption, change it to yours):
 * - five VPCs in one region, two AZs each: a shared-services VPC (10.0.0.0/16) and four workload
 *   VPCs (10.1.0.0/16 to 10.4.0.0/16);
 * - each workload VPC exchanges 500 GB per month with the shared-services VPC, and 50 GB per month
 *   with each other workload VPC (both directions added up);
 * - half of the traffic crosses AZs (a client in one AZ calling a server in the other), none
 *   crosses regions.
 * For N VPCs the same per-pair figures apply: N − 1 workload VPCs, one shared-services VPC.
 *
 * Rates: us-east-1 list prices (lib/cost/pricing.ts, each with its source). Quotas: AWS's defaults
 * (50 peerings per VPC, adjustable to 125; 500 routes per route table since June 2025).
 */
import {
  CostComparison, CostEstimate, CostEstimates, CostReport, MeshHubComparison, Pricing, TrafficPerPair,
} from '../lib';

/** The traffic of the example, per pair of VPCs. */
export const EXAMPLE_TRAFFIC: TrafficPerPair = {
  gbToSharedServicesPerVpcPerMonth: 500,
  gbPerPairPerMonth: 50,
  crossAzShare: 0.5,
  crossRegionShare: 0,
};

/** The VPCs of the example: the shared-services VPC first. */
export const EXAMPLE_VPCS = ['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16', '10.4.0.0/16'];

/** AZs per VPC. */
export const EXAMPLE_AZS = 2;

/** The numbers of VPCs compared: around the default peering quota (50 per VPC) and its maximum (125). */
export const COMPARISON_POINTS = [2, 5, 10, 20, 40, 50, 51, 52, 100, 125, 126, 127, 130];

/** Everything the script prints, as data. */
export interface CostComparisonResult {
  readonly mesh: CostEstimate;
  readonly hub: CostEstimate;
  readonly comparison: MeshHubComparison;
  /**
   * The shared-services VPC's Session Manager endpoints and S3 gateway endpoint; its `alternative`
   * is the NAT gateways they replace.
   */
  readonly endpoints: CostEstimate;
}

/** Compute the example's estimates. */
export function costComparison(pricing: Pricing = Pricing.US_EAST_1): CostComparisonResult {
  const traffic = CostComparison.trafficForVpcCount(EXAMPLE_VPCS.length, EXAMPLE_TRAFFIC);
  return {
    mesh: CostEstimates.mesh({ vpcs: EXAMPLE_VPCS.length, traffic, pricing }),
    hub: CostEstimates.hub({ spokes: EXAMPLE_VPCS.length, azsPerSpoke: EXAMPLE_AZS, traffic, pricing }),
    comparison: CostComparison.meshAndHub({ vpcCounts: COMPARISON_POINTS, traffic: EXAMPLE_TRAFFIC, azsPerVpc: EXAMPLE_AZS, pricing }),
    // ssm, ssmmessages and ec2messages in both AZs, 20 GB a month through them; S3 through a
    // gateway endpoint, 200 GB a month; instead of one NAT gateway per AZ.
    endpoints: CostEstimates.endpoints({
      interfaceEndpoints: 3, azs: EXAMPLE_AZS, gbPerMonth: 20,
      gatewayEndpoints: 1, gatewayEndpointGbPerMonth: 200,
      natGatewaysAvoided: EXAMPLE_AZS, pricing,
    }),
  };
}

/** The script's output. */
export function renderCostComparison(result: CostComparisonResult = costComparison()): string {
  const { mesh, hub, comparison, endpoints } = result;
  const sections = [
    `Five VPCs (${EXAMPLE_VPCS.join(', ')}), ${EXAMPLE_AZS} AZs each: ${EXAMPLE_TRAFFIC.gbToSharedServicesPerVpcPerMonth} GB/month between each workload VPC and shared services, ${EXAMPLE_TRAFFIC.gbPerPairPerMonth} GB/month per workload pair, ${(EXAMPLE_TRAFFIC.crossAzShare ?? 0) * 100}% across AZs.`,
    CostReport.formatEstimate(mesh),
    CostReport.formatEstimate(hub),
    `For these five VPCs the mesh costs ${CostReport.formatUsd(mesh.monthlyUsd)} and the hub ${CostReport.formatUsd(hub.monthlyUsd)} a month (${CostReport.formatUsd(hub.monthlyUsd - mesh.monthlyUsd)} more for the hub).`,
    CostReport.formatComparison(comparison),
    CostReport.formatEstimate(endpoints),
  ];
  if (endpoints.alternative !== undefined && endpoints.monthlySavingsUsd !== undefined) {
    sections.push(CostReport.formatEstimate(endpoints.alternative),
      `The endpoints save ${CostReport.formatUsd(endpoints.monthlySavingsUsd)} a month against the NAT gateways.`);
  }
  return sections.join('\n\n');
}

if (require.main === module) {
  console.log(renderCostComparison());
}
