// The transit gateway hub. Its spoke bookkeeping and placement logic stay internal.
export { TransitGatewayHub } from './transit-gateway-hub';
export type { ITransitGatewayHub, SpokeOptions, TransitGatewayHubAttributes, TransitGatewayHubProps } from './transit-gateway-hub';
