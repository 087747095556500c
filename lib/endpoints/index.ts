export { GatewayService } from './gateway-service';
export { EndpointBundle } from './bundles';
export { EndpointPolicy } from './policies';
export type { EndpointPolicyBindOptions, EndpointPolicyConfig, EndpointPolicyOptions } from './policies';
export { VpcEndpoints } from './vpc-endpoints';
export type { GatewayEndpointOptions, InterfaceEndpointOptions, VpcEndpointsProps } from './vpc-endpoints';
