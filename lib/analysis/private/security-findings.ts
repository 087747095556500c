/**
 * The findings that need security groups, network ACLs and DNS besides the routes: the
 * two-table reply-routing problem, peers whose groups admit nothing from each other, interface
 * endpoints whose groups do not admit a VPC that resolves to them, network ACLs that drop
 * replies. Pure functions of the graph.
 */
import { Cidr } from '../../cidr';
import { Finding, FindingResource, FindingRules, FindingSeverity, TargetKind } from '../types';
import { GPeering, GRoute, GVpc, Graph } from './graph';
import { EPHEMERAL, GGroup, GInterfaceEndpoint, Security, aclAdmits, securityOf } from './security';

/** Every finding of this file. */
export function securityFindings(graph: Graph): Finding[] {
  const security = securityOf(graph);
  return [
    ...replyRouting(graph),
    ...peersNotAdmitted(graph, security),
    ...endpointsNotAdmitting(graph, security),
    ...aclsDroppingReplies(graph, security),
  ];
}

function resourcesOf(graph: Graph, keys: Array<string | undefined>): FindingResource[] {
  const out: FindingResource[] = [];
  for (const key of new Set(keys)) {
    const resource = key !== undefined ? graph.resources.get(key) : undefined;
    if (resource) { out.push(resource); }
  }
  return out;
}

function peerOf(peering: GPeering, vpc: GVpc): GVpc | undefined {
  return peering.requester === vpc ? peering.accepter : peering.accepter === vpc ? peering.requester : undefined;
}

/**
 * The AWS Peering Guide's reply-routing problem in its two-table form ("Peering configurations
 * with specific routes", https://docs.aws.amazon.com/vpc/latest/peering/peering-configurations-partial-access.html):
 * a central VPC sends the same (overlapping) CIDR to one peer from one subnet's route table and
 * to another peer from another's; when the first peer's route covers a subnet of the second
 * table, that subnet's replies to the first peer leave through the other peering.
 */
function replyRouting(graph: Graph): Finding[] {
  const findings: Finding[] = [];
  for (const central of graph.vpcs) {
    const tables = [...central.tables, central.mainTable];
    const peeringRoutes = tables.flatMap((t) => t.routes.filter((r) => r.target === TargetKind.PEERING && r.destination.kind === 'cidr'));
    for (const [r1, r2] of overlappingPairs(peeringRoutes)) {
      const p1 = graph.peerings.get(r1.targetKey);
      const peer1 = p1 ? peerOf(p1, central) : undefined;
      if (!p1 || !peer1 || peer1.external) { continue; }
      if (r2.table === r1.table || r2.targetKey === r1.targetKey) { continue; }
      const p2 = graph.peerings.get(r2.targetKey);
      if (!p2 || !peerOf(p2, central)) { continue; }
      const d2 = (r2.destination as { cidr: Cidr }).cidr;
      if (!peer1.blocks.some((b) => b.overlaps(d2))) { continue; }
      // The subnets of r2's table that peer1's routes over p1 cover.
      const covered = central.subnets.filter((s) => s.table === r2.table && s.cidr
        && [...peer1.tables, peer1.mainTable].some((t) => t.routes.some((r) => r.targetKey === p1.key && r.destination.kind === 'cidr' && r.destination.cidr.overlaps(s.cidr!))));
      if (covered.length === 0) { continue; }
      findings.push({
        ruleId: FindingRules.REPLY_ROUTING,
        severity: FindingSeverity.ERROR,
        message: `VPC ${peer1.name} routes to ${covered.map((s) => `${s.name} (${s.cidr})`).join(', ')} of VPC ${central.name} over ${p1.name}, ` +
          `but their route table ${r2.table.name} sends ${d2} to ${r2.via} (route ${r2.name}), which overlaps ${peer1.name}: ` +
          `the replies to ${peer1.name} leave through the other peering and are lost (the reply-routing problem of the AWS VPC Peering Guide).`,
        fix: `Narrow the routes of ${peer1.name} over ${p1.name} to the subnets of ${central.name} whose route table is ${r1.table.name}, ` +
          'or route the overlapping peers from one table with specific routes (a /32 or subnet CIDR per peer), as the Peering Guide shows.',
        constructs: [r2.name, r1.name, peer1.name, central.name],
        resources: resourcesOf(graph, [r2.resourceKey, r1.resourceKey, r2.table.key]),
      });
    }
  }
  return findings;
}

/**
 * Every ordered pair of distinct routes whose CIDR destinations overlap, found by sorting on the
 * network address (a 40-VPC mesh has 156 peering routes per VPC, whose destinations overlap
 * only their equals: comparing all pairs was 1M comparisons per model).
 */
function overlappingPairs(routes: GRoute[]): Array<[GRoute, GRoute]> {
  const withCidr = routes.map((route) => ({ route, cidr: (route.destination as { cidr: Cidr }).cidr }))
    .sort((a, b) => (a.cidr._network < b.cidr._network ? -1 : a.cidr._network > b.cidr._network ? 1 : 0));
  const pairs: Array<[GRoute, GRoute]> = [];
  for (let i = 0; i < withCidr.length; i++) {
    const a = withCidr[i];
    // Sorted by network address: later blocks overlap this one while they start inside it.
    for (let j = i + 1; j < withCidr.length && withCidr[j].cidr._network <= a.cidr._broadcast; j++) {
      const b = withCidr[j];
      if (a.cidr.version !== b.cidr.version) { continue; }
      pairs.push([a.route, b.route], [b.route, a.route]);
    }
  }
  return pairs;
}

/** Whether a group may admit anything from a VPC: a CIDR rule overlapping its blocks, a group rule (members may be there), or a rule not known. */
function mayAdmitFrom(group: GGroup, from: GVpc, port?: number): boolean {
  if (group.external) { return true; }
  return group.ingress.some((rule) => {
    if (port !== undefined && rule.protocol !== -1 && !Number.isNaN(rule.protocol) && (rule.protocol !== 6 || rule.fromPort > port || rule.toPort < port)) { return false; }
    switch (rule.peer.kind) {
      case 'cidr': { const cidr = rule.peer.cidr; return from.blocks.some((b) => b.overlaps(cidr)) || from.unknownVersions.has(cidr.version); }
      case 'group': return true;
      case 'unknown': return true;
    }
  });
}

/** Peered VPCs routed both ways whose workloads' groups admit nothing from each other: the peering carries nothing. */
function peersNotAdmitted(graph: Graph, security: Security): Finding[] {
  const findings: Finding[] = [];
  const groupsIn = (vpc: GVpc) => [...new Set([...security.workloads.values()].filter((w) => w.subnets.some((s) => s.vpc === vpc)).flatMap((w) => w.groups))];
  for (const peering of graph.peerings.values()) {
    const { requester: a, accepter: b } = peering;
    if (a.external || b.external || !routesOver(a, peering) || !routesOver(b, peering)) { continue; }
    const groupsA = groupsIn(a);
    const groupsB = groupsIn(b);
    if (groupsA.length === 0 || groupsB.length === 0) { continue; }
    if (groupsA.some((g) => mayAdmitFrom(g, b)) || groupsB.some((g) => mayAdmitFrom(g, a))) { continue; }
    findings.push({
      ruleId: FindingRules.PEER_NOT_ADMITTED,
      severity: FindingSeverity.WARNING,
      message: `VPCs ${a.name} and ${b.name} route to each other over ${peering.name}, but no security group of their network interfaces ` +
        `(${[...groupsA, ...groupsB].map((g) => g.name).join(', ')}) admits anything from the other VPC: no connection can start over the peering.`,
      fix: `Add an ingress rule admitting the peer VPC's CIDR block (or, in the same region, a security group of the peer) on the ports it uses, ` +
        `for example with VpcPeering's allowFromRequester / allowFromAccepter; or remove the peering if it is not needed.`,
      constructs: [peering.name, a.name, b.name],
      resources: resourcesOf(graph, [peering.key]),
    });
  }
  return findings;
}

function routesOver(vpc: GVpc, peering: GPeering): boolean {
  return [...vpc.tables, vpc.mainTable].some((t) => t.routes.some((r) => r.targetKey === peering.key));
}

/** The VPCs that resolve an endpoint's service to it: its own (private DNS), and those of the private hosted zones aliasing it. */
function vpcsResolving(security: Security, endpoint: GInterfaceEndpoint): GVpc[] {
  const vpcs = endpoint.privateDns === true ? [endpoint.vpc] : [];
  for (const zone of security.zones) {
    if (zone.endpoint === endpoint) { vpcs.push(...zone.vpcs.filter((v) => !vpcs.includes(v))); }
  }
  return vpcs;
}

/** Interface endpoints whose groups admit nothing on 443 from a VPC that resolves the service to them. */
function endpointsNotAdmitting(graph: Graph, security: Security): Finding[] {
  const findings: Finding[] = [];
  for (const endpoint of security.interfaceEndpoints) {
    const groups = endpoint.workload.groups;
    if (groups.length === 0) { continue; }
    for (const vpc of vpcsResolving(security, endpoint)) {
      if (vpc.external || vpc.blocks.length === 0 || groups.some((g) => mayAdmitFrom(g, vpc, 443))) { continue; }
      findings.push({
        ruleId: FindingRules.ENDPOINT_NOT_ADMITTED,
        severity: FindingSeverity.WARNING,
        message: `VPC ${vpc.name} resolves ${endpoint.service} to the interface endpoint ${endpoint.name}, but its security group${groups.length === 1 ? '' : 's'} ` +
          `${groups.map((g) => g.name).join(', ')} admit${groups.length === 1 ? 's' : ''} nothing on TCP 443 from ${vpc.blocks.map((b) => b.toString()).join(', ')}: ` +
          `calls to ${endpoint.service} from ${vpc.name} time out.`,
        fix: `Admit TCP 443 from ${vpc.blocks.map((b) => b.toString()).join(', ')} (or the callers' security groups) in the endpoint's security group, ` +
          'for example with VpcEndpoints.allowFromVpc.',
        constructs: [endpoint.name, ...groups.map((g) => g.name), vpc.name],
        resources: resourcesOf(graph, [endpoint.key, ...groups.map((g) => g.key)]),
      });
    }
  }
  return findings;
}

/**
 * Network ACLs that admit requests but drop their replies: an inbound allow entry (TCP, UDP or
 * all) for a range whose replies on the ephemeral ports the outbound entries deny, or an
 * outbound allow whose replies the inbound entries deny.
 */
function aclsDroppingReplies(graph: Graph, security: Security): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const [subnetKey, acl] of security.acls) {
    if (seen.has(acl.key)) { continue; }
    seen.add(acl.key);
    const subnet = graph.subnets.get(subnetKey);
    if (!subnet) { continue; }
    for (const entry of acl.entries) {
      if (!entry.allow || !entry.cidr || ![6, 17, -1].includes(entry.protocol)) { continue; }
      // An entry for a wide range of ephemeral ports admits replies, not requests.
      if (entry.protocol !== -1 && entry.fromPort >= EPHEMERAL[0] && entry.toPort - entry.fromPort >= 1000) { continue; }
      const protocol = entry.protocol === -1 ? 6 : entry.protocol;
      const reply = { protocol, protocolName: protocol === 6 ? 'tcp' : 'udp', fromPort: EPHEMERAL[0], toPort: EPHEMERAL[1] };
      const verdict = aclAdmits(security, subnet, !entry.egress, reply, entry.cidr, entry.cidr.toString());
      if (verdict.kind !== 'no') { continue; }
      findings.push({
        ruleId: FindingRules.NACL_DROPS_REPLIES,
        severity: FindingSeverity.WARNING,
        message: `${entry.text} admits ${entry.egress ? 'requests out to' : 'requests from'} ${entry.cidr}, but the network ACL drops their replies: ${verdict.reason}`,
        fix: `Add an ${entry.egress ? 'inbound' : 'outbound'} entry to ${acl.name} allowing ${reply.protocolName} ${EPHEMERAL[0]}-${EPHEMERAL[1]} ` +
          `${entry.egress ? 'from' : 'to'} ${entry.cidr} (network ACLs are stateless: replies go to the client's ephemeral port).`,
        constructs: [acl.name],
        resources: resourcesOf(graph, [acl.key]),
      });
    }
  }
  return findings;
}
