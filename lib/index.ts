export * from './errors';
export * from './cidr';
export * from './peering/vpc-peering';
export * from './peering/remote-vpc';
export * from './peering/peering-accepter-role';
export * from './endpoints';
export * from './peering/peering-mesh';
export * from './routing/quotas';
export { QUOTAS_CONTEXT_KEY } from './routing/route-registry';
