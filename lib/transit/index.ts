// The transit gateway hub. Its spoke bookkeeping and placement logic stay internal.
export { TransitGatewayHub } from './transit-gateway-hub';
export { TransitGatewayPeering } from './transit-gateway-peering';
export type { TransitGatewayPeeringProps } from './transit-gateway-peering';
export { TransitGatewaySpoke } from './transit-gateway-spoke';
export type { TransitGatewaySpokeProps } from './transit-gateway-spoke';
export type { ITransitGatewayHub, SpokeOptions, TransitGatewayHubAttributes, TransitGatewayHubProps, TransitGatewaySharing } from './transit-gateway-hub';
export { SegmentRouteTarget } from './segments';
export type { SegmentOptions, SegmentRoute } from './segments';
export { RouteDestinationStyle } from './prefix-lists';
