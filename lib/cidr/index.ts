// Pure IPv4 / IPv6 CIDR arithmetic. The bigint helpers of ./cidr (networkOf, broadcastOf) stay internal.
export { Cidr, IpVersion } from './cidr';
