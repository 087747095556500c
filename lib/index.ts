// The public API of cdk-vpc-connect: every member is named here, nothing else is exported.
// The jest matchers are TypeScript-only and live in their own entry point, `cdk-vpc-connect/jest`.
export { ConnectivityErrors } from './errors';
export * from './cidr';
export * from './routing';
export * from './peering';
export * from './transit';
export * from './endpoints';
export * from './cost';
export * from './analysis';
