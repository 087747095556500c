/**
 * Pricing table and monthly cost estimates of meshes, hubs and endpoints (pure: no CDK imports).
 * The free functions behind the static methods stay internal: the constructs call them.
 */
export { Pricing } from './pricing';
export type { CustomPricingOptions, PricingOverrides, PricingRates, PricingSource } from './pricing';
export { CostEstimates } from './estimate';
export type {
  CostEstimate, CostLine, CostOptions, EndpointsCostOptions, HubCostOptions, MeshCostOptions, TrafficProfile,
} from './estimate';
export { CheaperDesign, CostComparison, MeshQuotaStatus } from './comparison';
export type { MeshHubComparison, MeshHubComparisonOptions, MeshHubComparisonRow, TrafficPerPair } from './comparison';
export { CostReport } from './format';
