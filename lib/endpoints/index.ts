// VPC endpoints: the construct, its services, bundles and policies. Internals (the endpoint
// registry, classifyGatewayService, statementsWithoutPrincipal) are not exported. The types of
// RouteOptions and CostOptions/CostEstimate in the signatures come from lib/routing and lib/cost.
export { GatewayService } from './gateway-service';
export { EndpointBundle } from './bundles';
export { EndpointPolicy } from './policies';
export type { EndpointPolicyBindOptions, EndpointPolicyConfig, EndpointPolicyOptions } from './policies';
export { VpcEndpoints } from './vpc-endpoints';
export type { GatewayEndpointOptions, InterfaceEndpointOptions, VpcEndpointsProps } from './vpc-endpoints';
export { SharedEndpoints } from './shared-endpoints';
export type { SharedEndpointsBreakEvenOptions, SharedEndpointsConsumerOptions, SharedEndpointsProps } from './shared-endpoints';
