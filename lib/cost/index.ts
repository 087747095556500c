/**
 * Pricing table and monthly cost estimates of meshes, hubs and endpoints (pure: no CDK imports).
 */
export { CostInputError } from './errors';
export { Pricing } from './pricing';
export type { PricingRates, PricingSource, PricingSources } from './pricing';
export { estimateEndpointsCost, estimateHubCost, estimateMeshCost } from './estimate';
export type {
  CostEstimate, CostLine, EndpointsCostEstimate, EndpointsCostOptions, HubCostOptions, MeshCostOptions, TrafficProfile,
} from './estimate';
export { DEFAULT_MESH_QUOTAS, compareMeshAndHub, trafficForVpcCount } from './comparison';
export type {
  MeshHubComparison, MeshHubComparisonOptions, MeshHubComparisonRow, MeshQuotaStatus, MeshQuotas, TrafficPerPair,
} from './comparison';
export { formatComparison, formatEstimate, formatUsd } from './format';
