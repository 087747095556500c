export * from './types';
export * from './network-model';
export { DEFAULT_ROUTES_PER_ROUTE_TABLE } from './findings';
