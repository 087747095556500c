// The public API of cdk-vpc-connect, every member by name (API.md documents each). Internals stay in
// their modules; the jest matchers are TypeScript-only and live in their own entry point, `cdk-vpc-connect/jest`.
export { ConnectivityErrors } from './errors';
export { Cidr, IpVersion } from './cidr';
export { Quotas } from './routing';
export type { ConnectivityQuotas, RouteOptions } from './routing';
export { MeshRoutesPlacement, PeeringAccepterRole, PeeringMesh, RemoteVpc, VpcPeering } from './peering';
export type { IRemoteVpc, IVpcPeering, MeshConnection, PeeringAccepterRoleProps, PeeringMeshProps, RemoteVpcAttributes, VpcPeeringAttributes, VpcPeeringProps } from './peering';
export { TransitGatewayHub } from './transit';
export type { ITransitGatewayHub, SpokeOptions, TransitGatewayHubAttributes, TransitGatewayHubProps } from './transit';
export { RouteDestinationStyle, SegmentRouteTarget } from './transit';
export { TransitGatewayPeering, TransitGatewaySpoke } from './transit';
export type { TransitGatewayPeeringProps, TransitGatewaySpokeProps } from './transit';
export type { SegmentOptions, SegmentRoute, TransitGatewaySharing } from './transit';
export { EndpointBundle, EndpointPolicy, GatewayService, SharedEndpoints, VpcEndpoints } from './endpoints';
export type { EndpointPolicyBindOptions, EndpointPolicyConfig, EndpointPolicyOptions, GatewayEndpointOptions, InterfaceEndpointOptions, SharedEndpointsBreakEvenOptions, SharedEndpointsConsumerOptions, SharedEndpointsProps, VpcEndpointsProps } from './endpoints';
export { CheaperDesign, CostComparison, CostEstimates, CostReport, MeshQuotaStatus, Pricing } from './cost';
export type { CostEstimate, CostLine, CostOptions, CustomPricingOptions, EndpointsCostOptions, HubCostOptions, MeshCostOptions, MeshHubComparison, MeshHubComparisonOptions, MeshHubComparisonRow, PricingOverrides, PricingRates, PricingSource, TrafficPerPair, TrafficProfile } from './cost';
export { FindingRules, FindingSeverity, HopDirection, NetworkModel, NetworkValidationPlugin, ReachabilityBlockers, ReachabilityCheck, TargetKind } from './analysis';
export type { Finding, FindingMatchOptions, FindingResource, Hop, INetworkModel, ModelEndpoint, ModelPeering, ModelTransitGateway, ModelVpc, NetworkModelOptions, NetworkValidationPluginProps, Reachability } from './analysis';
export type { IsolationIntent, NetworkIntent, ReachIntent, ReachOptions } from './analysis';
