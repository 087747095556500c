export * from './errors';
export * from './cidr';
export * from './peering/vpc-peering';
export * from './endpoints';
