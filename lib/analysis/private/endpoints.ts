/**
 * Where a service name leads from a VPC: the network interfaces of an interface endpoint, when
 * the VPC resolves the service's public name to it, else the service's public endpoint (through
 * a gateway endpoint or the internet).
 *
 * Name resolution (AWS PrivateLink guide, "Manage DNS names for VPC endpoint services" and
 * "Access an AWS service using an interface VPC endpoint",
 * https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html): with private
 * DNS on, the endpoint's private hosted zone answers the service's default name
 * (`sns.us-east-1.amazonaws.com`) with the endpoint's private addresses, in the endpoint's own VPC
 * only. Other VPCs (a shared-endpoints design) resolve it through a private hosted zone of that
 * name associated with them, whose alias record points at the endpoint; they then reach the
 * endpoint's addresses over their peering or transit gateway.
 */
import { Target } from '../reachability';
import { GVpc, Graph } from './graph';
import { GInterfaceEndpoint, GWorkload, securityOf, serviceOf } from './security';

/** The targets of a service name for traffic from `vpc`, and how the name was resolved. */
export interface ServiceTargets {
  readonly targets: Target[];
  /** The interface endpoint the name resolves to, if any. */
  readonly endpoint?: GInterfaceEndpoint;
  /** Why no interface endpoint was used, for the reason of a "no". */
  readonly noEndpoint?: string;
}

/** Where `service` leads from `vpc`. */
export function serviceTargets(graph: Graph, service: string, vpc: GVpc): ServiceTargets {
  const security = securityOf(graph);
  const short = serviceOf(service);
  const own = security.interfaceEndpoints.filter((e) => e.vpc === vpc && e.service === short);
  const withDns = own.find((e) => e.privateDns === true) ?? own.find((e) => e.privateDns === undefined);
  if (withDns) {
    const assumption = withDns.privateDns === undefined ? `whether the private DNS of ${withDns.name} is on is known only at deploy time` : undefined;
    return { targets: targetsOf(withDns, short, assumption, 'its private DNS'), endpoint: withDns };
  }
  const zone = security.zones.find((z) => z.service === short && z.vpcs.includes(vpc) && z.endpoint);
  if (zone?.endpoint) {
    return { targets: targetsOf(zone.endpoint, short, undefined, `the private hosted zone ${zone.name}`), endpoint: zone.endpoint };
  }
  const hints: string[] = [];
  if (own.length > 0) {
    hints.push(`the interface endpoint ${own.map((e) => e.name).join(', ')} of VPC ${vpc.name} has private DNS off, so the service's public name does not resolve to it ` +
      '(turn PrivateDnsEnabled on, or address the endpoint by its own DNS name: the endpoint as destination)');
  }
  const elsewhere = security.interfaceEndpoints.filter((e) => e.vpc !== vpc && e.service === short);
  if (elsewhere.length > 0 && !zone) {
    hints.push(`the interface endpoint ${elsewhere.map((e) => `${e.name} (VPC ${e.vpc.name})`).join(', ')} ${elsewhere.length === 1 ? 'serves other VPCs: its private DNS answers only in its' : 'serve other VPCs: their private DNS answers only in their'} own VPC, ` +
      `and no private hosted zone for ${short} is associated with VPC ${vpc.name}`);
  }
  const profile = security.unknownProfiles.get(vpc);
  if (profile) {
    // A profile shared from another account may carry a zone for the service: where the name resolves is not known.
    const assumption = `VPC ${vpc.name} is associated with a Route 53 Profile (${profile}) whose hosted zones are not in the templates: ` +
      `it may resolve ${short} to an interface endpoint of another VPC`;
    return { targets: [{ destination: { kind: 'service', service }, assumption }], noEndpoint: hints.length > 0 ? hints.join('; ') : `VPC ${vpc.name} has no interface endpoint for ${short}` };
  }
  return {
    targets: [{ destination: { kind: 'service', service } }],
    noEndpoint: hints.length > 0 ? hints.join('; ') : `VPC ${vpc.name} has no interface endpoint for ${short}`,
  };
}

function targetsOf(endpoint: GInterfaceEndpoint, service: string, assumption: string | undefined, how: string): Target[] {
  const workload: GWorkload = endpoint.workload;
  return workload.subnets.filter((s) => s.cidr).map((subnet) => ({
    destination: { kind: 'ip', cidr: subnet.cidr! },
    vpc: subnet.vpc,
    subnet,
    groups: workload.groups.length > 0 ? workload.groups : undefined,
    label: `${service} (the interface endpoint ${endpoint.name}, found through ${how})`,
    assumption,
  }));
}
