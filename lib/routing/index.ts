// Route options and quotas shared by every construct; route-table discovery, route creation and
// the app-wide registry stay internal.
export { Quotas } from './quotas';
export type { ConnectivityQuotas } from './quotas';
export type { RouteOptions } from './route-options';
