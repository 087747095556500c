/**
 * Round-trip reachability over the network graph: longest-prefix match in each route table,
 * peering (never transitive, never edge to edge), transit gateway route tables (attachments'
 * IPv6 support and availability zones), NAT (a private NAT gateway never reaches the internet),
 * internet gateways and gateway endpoints; then the same for the reply. Pure functions.
 */
import { Cidr, IpVersion } from '../cidr';
import { GAttachment, GNat, GRoute, GSubnet, GTable, GTgw, GTgwRoute, GTgwTable, GVpc, Graph, serviceShortName } from './private/graph';
import { End, GGroup, Traffic, Verdict, aclAdmits, groupsAdmit, replyTraffic, securityOf } from './private/security';
import { Hop, HopDirection, Reachability, ReachabilityBlockers, ReachabilityCheck, TargetKind } from './types';

/** Where the packet goes: an address range, or an AWS service (reached through its public endpoint or a gateway endpoint). */
export type Destination =
  | { readonly kind: 'ip'; readonly cidr: Cidr }
  | { readonly kind: 'service'; readonly service: string };

/** Where traffic starts. */
export interface Source {
  readonly vpc: GVpc;
  readonly table: GTable;
  /** The subnet, when known. */
  readonly subnet?: GSubnet;
  /** The addresses the reply returns to; undefined when not known. */
  readonly prefix?: Cidr;
  /** What was assumed to choose `prefix`, which makes the answer uncertain. */
  readonly assumption?: string;
  /** Its security groups, when it is something with network interfaces (an instance, a task...). */
  readonly groups?: GGroup[];
  /** How it reads in a reason (the workload's or subnet's name). */
  readonly label?: string;
}

/** Where traffic should end. */
export interface Target {
  readonly destination: Destination;
  /** The VPC the caller means (to detect traffic that lands in another VPC with the same addresses). */
  readonly vpc?: GVpc;
  readonly subnet?: GSubnet;
  /** Its security groups, when it is something with network interfaces (an instance, an interface endpoint...). */
  readonly groups?: GGroup[];
  /** How it reads in a reason. */
  readonly label?: string;
  /** What was assumed to choose it (an endpoint whose private DNS is known only at deploy time), which makes the answer uncertain. */
  readonly assumption?: string;
  /** For an address: the subnet that holds it, for the network ACL checks (routing delivers it wherever the routes say). */
  readonly at?: GSubnet;
}

type Arrival =
  | { readonly ok: true; readonly kind: 'vpc'; readonly vpc: GVpc; readonly subnet?: GSubnet; readonly nat?: GNat }
  | { readonly ok: true; readonly kind: 'outside'; readonly vpc: GVpc; readonly via: string; readonly nat?: GNat }
  | { readonly ok: false; readonly reason: string; readonly code?: string };

/** The state of one walk: hops so far and what made it uncertain. */
interface Walk {
  readonly hops: Hop[];
  readonly uncertain: string[];
}

const MAX_DEPTH = 12;
const PRIVATE_V4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].map((c) => Cidr.parse(c));
const PRIVATE_V6 = [Cidr.parse('fc00::/7')];

/** The local routes of each VPC (one per block), built once. */
const localRoutes = new WeakMap<GVpc, GRoute[]>();

/**
 * Whether traffic from `source` reaches `target` and the reply comes back.
 */
export function roundTrip(graph: Graph, source: Source, target: Target): Reachability {
  const walk: Walk = { hops: [], uncertain: [source.assumption, target.assumption].filter((a): a is string => a !== undefined) };
  const result = (reachable: boolean, reason?: string, code?: string): Reachability => ({
    reachable,
    certain: walk.uncertain.length === 0,
    path: walk.hops,
    reason: reason ?? (walk.uncertain.length > 0 ? `Not certain: ${unique(walk.uncertain).join('; ')}.` : undefined),
    ...(reachable ? {} : { blockedBy: code ?? ReachabilityBlockers.NO_ROUTE }),
  });
  const fail = (reason: string, code?: string): Reachability => result(false,
    walk.uncertain.length > 0 ? `${reason} Not certain: ${unique(walk.uncertain).join('; ')}.` : reason, code);

  const there = forward(graph, source.table, source.vpc, target.destination, HopDirection.THERE, walk, 0, source.subnet);
  if (!there.ok) { return fail(there.reason, there.code); }

  if (source.prefix === undefined) {
    walk.uncertain.push(`the addresses of ${source.subnet?.name ?? `VPC ${source.vpc.name}`} are not known, so the reply could not be followed`);
    return result(false, `The reply could not be followed: the addresses of ${source.subnet?.name ?? `VPC ${source.vpc.name}`} are not known from the templates.`, ReachabilityBlockers.REPLY_LOST);
  }
  const replyTo: Destination = { kind: 'ip', cidr: source.prefix };

  if (there.kind === 'vpc') {
    if (target.vpc && there.vpc !== target.vpc) {
      return fail(`Traffic for ${describeDestination(target.destination)} arrives in VPC ${there.vpc.name}, not in ${target.vpc.name}: ` +
        'both hold these addresses and the route table picks one of them.', ReachabilityBlockers.WRONG_DESTINATION);
    }
    if (target.subnet && there.subnet && there.subnet !== target.subnet) {
      return fail(`Traffic for ${describeDestination(target.destination)} arrives in subnet ${there.subnet.name}, not ${target.subnet.name}.`, ReachabilityBlockers.WRONG_DESTINATION);
    }
    const natPrefix = there.nat?.subnet?.cidr;
    const replyTable = there.subnet?.table ?? replyTableOf(there.vpc, walk);
    const back = forward(graph, replyTable, there.vpc, natPrefix ? { kind: 'ip', cidr: natPrefix } : replyTo, HopDirection.BACK, walk, 0, there.subnet);
    return finishReply(graph, source, back, there.nat, replyTo, walk, result, fail);
  }

  // Outside the VPCs (internet or an AWS service): the reply enters where the request left.
  if (there.nat?.subnet) {
    walk.hops.push({ direction: HopDirection.BACK, vpc: there.vpc.name, routeTable: `${there.via} (inbound)`, destination: there.nat.subnet.cidr?.toString() ?? '?', target: TargetKind.NAT, via: there.nat.name });
    const back = forward(graph, there.nat.subnet.table, there.nat.subnet.vpc, replyTo, HopDirection.BACK, walk, 0, there.nat.subnet);
    return finishReply(graph, source, back, undefined, replyTo, walk, result, fail);
  }
  if (there.vpc !== source.vpc) {
    return fail(`Replies from ${describeDestination(target.destination)} come in through ${there.via} of VPC ${there.vpc.name}, ` +
      `which cannot reach ${source.prefix} of VPC ${source.vpc.name} without NAT.`, ReachabilityBlockers.REPLY_LOST);
  }
  walk.hops.push({ direction: HopDirection.BACK, vpc: there.vpc.name, routeTable: `${there.via} (inbound)`, destination: source.prefix.toString(), target: TargetKind.LOCAL, via: 'local' });
  return result(true);
}

function finishReply(
  graph: Graph, source: Source, back: Arrival, nat: GNat | undefined, replyTo: Destination, walk: Walk,
  result: (ok: boolean, reason?: string) => Reachability, fail: (reason: string, code?: string) => Reachability,
): Reachability {
  if (!back.ok) { return fail(`The reply is lost: ${lowerFirst(back.reason)}`, ReachabilityBlockers.REPLY_LOST); }
  if (nat) {
    if (back.kind !== 'vpc' || back.vpc !== nat.subnet?.vpc) {
      return fail(`The reply to the NAT gateway ${nat.name} goes to ${back.kind === 'vpc' ? `VPC ${back.vpc.name}` : back.via} instead.`, ReachabilityBlockers.REPLY_LOST);
    }
    const onward = forward(graph, nat.subnet.table, nat.subnet.vpc, replyTo, HopDirection.BACK, walk, 0, nat.subnet);
    return finishReply(graph, source, onward, undefined, replyTo, walk, result, fail);
  }
  if (back.kind !== 'vpc' || back.vpc !== source.vpc) {
    return fail(`The reply to ${describeDestination(replyTo)} goes to ${back.kind === 'vpc' ? `VPC ${back.vpc.name}` : back.via} ` +
      `instead of VPC ${source.vpc.name} (the reply-routing problem of overlapping CIDR blocks).`, ReachabilityBlockers.REPLY_LOST);
  }
  return result(true);
}

/** A table to start the reply from in a VPC whose subnet is not known. */
function replyTableOf(vpc: GVpc, walk: Walk): GTable {
  if (vpc.external) {
    walk.uncertain.push(`the subnets of VPC ${vpc.name} are not known: its route table${vpc.tables.length === 1 ? '' : 's'} ${vpc.tables.map((t) => t.name).join(', ') || '(none known)'} ${vpc.tables.length === 1 ? 'is' : 'are'} assumed to serve the destination`);
    // The table with a route back, if any: the others' subnets are not known either.
    return vpc.tables.find((t) => t.routes.length > 0) ?? vpc.tables[0] ?? vpc.mainTable;
  }
  walk.uncertain.push(`no subnet of VPC ${vpc.name} is known to hold the destination; its main route table is assumed`);
  return vpc.mainTable;
}

/** Follow `destination` from route table `table` of `vpc`; `subnet`, when known, is where the packet is (for the AZ of a transit gateway attachment). */
function forward(
  graph: Graph, table: GTable, vpc: GVpc, destination: Destination, direction: HopDirection, walk: Walk, depth: number, subnet?: GSubnet,
): Arrival {
  if (depth > MAX_DEPTH) {
    return { ok: false, reason: `Traffic for ${describeDestination(destination)} loops (more than ${MAX_DEPTH} route tables).` };
  }
  const route = lookup(table, vpc, destination, walk);
  if (!route) {
    if (table.external) {
      walk.uncertain.push(`route table ${table.name} is not defined in the templates: other routes it holds are not known`);
    }
    return { ok: false, reason: `Route table ${table.name}${table.vpc ? ` of VPC ${vpc.name}` : ''} has no route to ${describeDestination(destination)}.` };
  }
  walk.hops.push({ direction, vpc: vpc.name, routeTable: table.name, destination: route.destination.text, target: route.target, via: route.via });

  switch (route.target) {
    case TargetKind.LOCAL:
      return deliverLocally(vpc, destination, walk);
    case TargetKind.PEERING:
      return overPeering(graph, route, vpc, destination, walk);
    case TargetKind.TRANSIT_GATEWAY:
      return overTransitGateway(graph, route, vpc, destination, direction, walk, depth, subnet);
    case TargetKind.INTERNET_GATEWAY: {
      if (destination.kind === 'ip' && isPrivate(graph, destination.cidr)) {
        return { ok: false, reason: `Route table ${table.name} sends ${destination.cidr} to the internet gateway ${route.via}, which drops private addresses.` };
      }
      return { ok: true, kind: 'outside', vpc, via: route.via };
    }
    case TargetKind.NAT: {
      const nat = graph.nats.get(route.targetKey);
      if (!nat || !nat.subnet) {
        walk.uncertain.push(`${route.via} is a NAT instance or a NAT gateway in a subnet not known from the templates: the model does not follow traffic through it`);
        return { ok: false, reason: `Traffic goes to ${route.via}, which the model does not follow.` };
      }
      if (nat.private) {
        // A private NAT gateway translates only toward other VPCs and on-premises networks (over its
        // subnet's transit gateway or VPN routes): what its subnet sends to an internet gateway is dropped.
        const next = lookup(nat.subnet.table, nat.subnet.vpc, destination, walk);
        if (next?.target === TargetKind.INTERNET_GATEWAY) {
          walk.hops.push({ direction, vpc: nat.subnet.vpc.name, routeTable: nat.subnet.table.name, destination: next.destination.text, target: next.target, via: next.via });
          return {
            ok: false,
            reason: `${nat.name} is a private NAT gateway (ConnectivityType private), which cannot reach the internet: ` +
              `route table ${nat.subnet.table.name} of its subnet sends ${describeDestination(destination)} to the internet gateway ${next.via}, ` +
              'and a private NAT gateway only reaches other VPCs or on-premises networks (through a transit gateway or virtual private gateway).',
          };
        }
      }
      const onward = forward(graph, nat.subnet.table, nat.subnet.vpc, destination, direction, walk, depth + 1, nat.subnet);
      if (!onward.ok) { return onward; }
      return onward.nat ? onward : { ...onward, nat };
    }
    case TargetKind.FIREWALL: {
      // A Network Firewall or Gateway Load Balancer endpoint: traffic passes through, untranslated,
      // and continues by the route table of the endpoint's subnet.
      const endpoint = graph.nats.get(route.targetKey);
      if (!endpoint?.subnet) {
        walk.uncertain.push(`${route.via} is an endpoint in a subnet not known from the templates: the model does not follow traffic through it`);
        return { ok: false, reason: `Traffic goes to ${route.via}, which the model does not follow.` };
      }
      return forward(graph, endpoint.subnet.table, endpoint.subnet.vpc, destination, direction, walk, depth + 1, endpoint.subnet);
    }
    case TargetKind.GATEWAY_ENDPOINT:
      return { ok: true, kind: 'outside', vpc, via: route.via };
    default:
      walk.uncertain.push(`traffic goes to ${route.via} (a VPN gateway, network interface or another target): the model does not follow traffic beyond it`);
      return { ok: false, reason: `Traffic for ${describeDestination(destination)} goes to ${route.via}, which the model does not follow.` };
  }
}

function deliverLocally(vpc: GVpc, destination: Destination, walk: Walk): Arrival {
  if (destination.kind !== 'ip') {
    return { ok: false, reason: `${destination.service} is not inside VPC ${vpc.name}.` };
  }
  const subnet = subnetHolding(vpc, destination.cidr);
  if (subnet) { return { ok: true, kind: 'vpc', vpc, subnet }; }
  if (vpc.external || vpc.subnets.some((s) => s.cidr === undefined)) {
    if (!vpc.external) { walk.uncertain.push(`a subnet of VPC ${vpc.name} has a CIDR block not known from the templates`); }
    return { ok: true, kind: 'vpc', vpc };
  }
  return { ok: false, reason: `No subnet of VPC ${vpc.name} holds ${destination.cidr}.` };
}

function overPeering(graph: Graph, route: GRoute, vpc: GVpc, destination: Destination, walk: Walk): Arrival {
  const peering = graph.peerings.get(route.targetKey);
  if (!peering) {
    walk.uncertain.push(`peering connection ${route.via} is not defined in the templates`);
    return { ok: false, reason: `Route ${route.name} targets the peering connection ${route.via}, which is not defined in the templates.` };
  }
  const peer = peering.requester === vpc ? peering.accepter : peering.accepter === vpc ? peering.requester : undefined;
  if (!peer) {
    return {
      ok: false,
      reason: `Route ${route.name} in route table ${route.table.name} sends ${describeDestination(destination)} to the peering ${peering.name}, ` +
        `which connects ${peering.requester.name} and ${peering.accepter.name}, not VPC ${vpc.name}: the route is a black hole.`,
    };
  }
  if (destination.kind === 'service') {
    return { ok: false, reason: edgeToEdgeReason(graph, peer, destination, peering.name), code: ReachabilityBlockers.EDGE_TO_EDGE };
  }
  const blocks = peer.external ? peer.inferredBlocks : peer.blocks;
  const inside = blocks.some((b) => b.contains(destination.cidr));
  if (peer.external) {
    walk.uncertain.push(`VPC ${peer.name} is not defined in the templates: its CIDR blocks and subnets are assumed from the routes toward it`);
  } else if (!inside && peer.unknownVersions.has(destination.cidr.version)) {
    walk.uncertain.push(`VPC ${peer.name} has CIDR blocks not known from the templates (${peer.unknownBlocks.join('; ')})`);
  }
  if (!inside) {
    return { ok: false, reason: edgeToEdgeReason(graph, peer, destination, peering.name), code: ReachabilityBlockers.EDGE_TO_EDGE };
  }
  return deliverLocally(peer, destination, walk);
}

/** Why traffic for a destination outside the peer VPC is dropped at the peer: transitive or edge to edge. */
function edgeToEdgeReason(graph: Graph, peer: GVpc, destination: Destination, peeringName: string): string {
  const onward: string[] = [];
  for (const table of [...peer.tables, peer.mainTable]) {
    const route = lookup(table, peer, destination, { hops: [], uncertain: [] });
    if (route && route.target !== TargetKind.LOCAL && !onward.includes(`${route.via} (${route.target})`)) {
      onward.push(`${route.via} (${route.target})`);
    }
  }
  const edge = onward.filter((o) => /\((igw|nat|firewall|endpoint|other)\)$/.test(o));
  const what = describeDestination(destination);
  if (edge.length > 0) {
    return `${what} is outside VPC ${peer.name}: its route tables would send it on to ${edge.join(', ')}, but AWS does not forward ` +
      `traffic that arrives over the peering ${peeringName} to a peer's internet gateway, NAT device, VPN or gateway endpoint (edge-to-edge routing).`;
  }
  const beyond = onward.length > 0 ? ` (its route tables send it on to ${onward.join(', ')})` : '';
  const owner = destination.kind === 'ip' ? graph.vpcs.find((v) => v !== peer && v.blocks.some((b) => b.contains(destination.cidr))) : undefined;
  return `${what} is outside VPC ${peer.name}${owner ? `; it belongs to VPC ${owner.name}` : ''}${beyond}: peering is not transitive, ` +
    `traffic arriving over ${peeringName} is delivered only inside VPC ${peer.name}.`;
}

function overTransitGateway(
  graph: Graph, route: GRoute, vpc: GVpc, destination: Destination, direction: HopDirection, walk: Walk, depth: number, subnet?: GSubnet,
): Arrival {
  const tgw = graph.tgws.get(route.targetKey);
  if (!tgw || tgw.external) {
    walk.uncertain.push(`transit gateway ${route.via} is not defined in the templates: its route tables are not known`);
    return { ok: false, reason: `Traffic goes to the transit gateway ${route.via}, whose route tables are not known.` };
  }
  const attachment = tgw.attachments.find((a) => a.vpc === vpc);
  if (!attachment) {
    return { ok: false, reason: `Route table ${route.table.name} sends ${describeDestination(destination)} to the transit gateway ${tgw.name}, but VPC ${vpc.name} has no attachment to it.` };
  }
  const uncovered = azNotCovered(attachment, subnet, destination, walk);
  if (uncovered) { return uncovered; }
  const refused = ipv6Refused(attachment, destination, walk, 'from');
  if (refused) { return refused; }
  const table = tgw.associations.get(attachment);
  if (!table) {
    return { ok: false, reason: `The attachment ${attachment.name} of VPC ${vpc.name} is associated with no route table of the transit gateway ${tgw.name}.` };
  }
  return throughTgwTable(graph, tgw, table, attachment.name, destination, direction, walk, depth);
}

/**
 * Route `destination` by transit gateway route table `table` of `tgw`, which the packet entered
 * through `enteredBy` (an attachment or a peering): to a VPC attachment (delivered, or on by the
 * attachment subnets' route table), or over a gateway peering into the other gateway, by the
 * route table the peering is associated with there.
 */
function throughTgwTable(
  graph: Graph, tgw: GTgw, table: GTgwTable, enteredBy: string, destination: Destination, direction: HopDirection, walk: Walk, depth: number,
): Arrival {
  if (depth > MAX_DEPTH) {
    return { ok: false, reason: `Traffic for ${describeDestination(destination)} loops (more than ${MAX_DEPTH} route tables).` };
  }
  const tgwRoute = lookupTgw(table, destination, walk);
  if (!tgwRoute) {
    if (table.unknownRoutes.length > 0) { walk.uncertain.push(`routes of ${table.name} are not known: ${table.unknownRoutes.join(', ')}`); }
    return { ok: false, reason: `The transit gateway route table ${table.name} (associated with ${enteredBy}) has no route to ${describeDestination(destination)}.` };
  }
  const target = tgwRoute.attachment;
  const peering = tgwRoute.blackhole ? undefined : tgwRoute.peering;
  walk.hops.push({
    direction, vpc: tgw.name, routeTable: table.name, destination: tgwRoute.destination.toString(), target: TargetKind.TRANSIT_GATEWAY,
    via: peering ? peering.name : tgwRoute.blackhole || !target ? 'blackhole' : target.name,
  });
  if (peering) {
    const other = peering.requester === tgw ? peering.accepter : peering.requester;
    if (other.external) {
      walk.uncertain.push(`transit gateway ${other.name}, peered through ${peering.name}, is not defined in the templates: its route tables are not known`);
      return { ok: false, reason: `Traffic goes over the transit gateway peering ${peering.name} to ${other.name}, whose route tables are not known.` };
    }
    const next = other.peeringAssociations.get(peering);
    if (!next) {
      if (other === peering.accepter && !peering.accepterRead) {
        walk.uncertain.push(`the acceptance of the transit gateway peering ${peering.name} on the side of ${other.name} (its association and static routes) is not in the templates`);
      }
      return { ok: false, reason: `The transit gateway peering ${peering.name} is associated with no route table of the transit gateway ${other.name}, so traffic arriving over it is dropped.` };
    }
    return throughTgwTable(graph, other, next, peering.name, destination, direction, walk, depth + 1);
  }
  if (tgwRoute.blackhole || !target) {
    return { ok: false, reason: `The transit gateway route table ${table.name} drops ${describeDestination(destination)} (blackhole route ${tgwRoute.name}).` };
  }
  const dropped = ipv6Refused(target, destination, walk, 'to');
  if (dropped) { return dropped; }
  const into = target.vpc;
  if (destination.kind === 'ip' && into.blocks.some((b) => b.contains(destination.cidr))) {
    return deliverLocally(into, destination, walk);
  }
  // Traffic for elsewhere follows the route table of the attachment's subnets (an egress or inspection VPC).
  const nextTable = attachmentTable(target);
  return forward(graph, nextTable, into, destination, direction, walk, depth + 1);
}

/**
 * Traffic reaches a transit gateway only from the availability zones where the VPC's attachment
 * has a subnet: from a subnet in another AZ it is dropped. AZs of different kinds (a name, an
 * index of Fn::GetAZs, an AZ id) or not known make the answer uncertain instead.
 */
function azNotCovered(attachment: GAttachment, subnet: GSubnet | undefined, destination: Destination, walk: Walk): Arrival | undefined {
  if (!subnet || attachment.subnets.length === 0 || attachment.subnets.includes(subnet)) { return undefined; }
  const az = subnet.az;
  const zones = attachment.subnets.map((s) => s.az);
  if (az && zones.some((z) => z?.kind === az.kind && z.value === az.value)) { return undefined; }
  if (!az || !attachment.allSubnetsKnown || zones.some((z) => z?.kind !== az.kind)) {
    walk.uncertain.push(`whether the transit gateway attachment ${attachment.name} has a subnet in the availability zone of subnet ${subnet.name} ` +
      `(${az?.text ?? 'not known from the templates'}) is not known`);
    return undefined;
  }
  const covered = unique(zones.map((z) => z!.text));
  return {
    ok: false,
    reason: `Subnet ${subnet.name} is in ${az.text}, where the transit gateway attachment ${attachment.name} of VPC ${attachment.vpc.name} ` +
      `has no subnet (its subnets are in ${covered.join(', ')}): resources in an availability zone without an attachment subnet ` +
      `cannot reach the transit gateway ${attachment.tgw.name}, so ${describeDestination(destination)} is dropped. ` +
      `Add a subnet in ${az.text} to the attachment.`,
  };
}

/** An attachment without `Options.Ipv6Support` carries no IPv6 traffic, into the transit gateway or out of it. */
function ipv6Refused(attachment: GAttachment, destination: Destination, walk: Walk, way: 'from' | 'to'): Arrival | undefined {
  if (destination.kind !== 'ip' || destination.cidr.version !== IpVersion.IPV6) { return undefined; }
  if (attachment.ipv6Support === undefined) {
    walk.uncertain.push(`Ipv6Support of the transit gateway attachment ${attachment.name} is known only at deploy time`);
    return undefined;
  }
  if (attachment.ipv6Support) { return undefined; }
  return {
    ok: false,
    reason: `The transit gateway attachment ${attachment.name} of VPC ${attachment.vpc.name} has Ipv6Support off ` +
      `(Options.Ipv6Support is not 'enable'): it carries no IPv6 traffic ${way === 'from' ? 'into' : 'out of'} the transit gateway ` +
      `${attachment.tgw.name}, so ${destination.cidr} is dropped. Set Options.Ipv6Support to 'enable' on the attachment.`,
  };
}

function attachmentTable(attachment: GAttachment): GTable {
  return attachment.subnets[0]?.table ?? attachment.vpc.mainTable;
}

/** The route a VPC route table picks for `destination` (longest prefix; the local route wins ties). */
export function lookup(table: GTable, vpc: GVpc, destination: Destination, walk: Walk): GRoute | undefined {
  const sorted = sortedRoutes(table, vpc);
  if (destination.kind === 'service') {
    const short = serviceShortName(destination.service);
    const endpoint = sorted.find((r) => r.destination.kind === 'prefix-list' && r.destination.service === short);
    if (endpoint) { return endpoint; }
    return sorted.find((r) => r.destination.kind === 'cidr' && r.destination.cidr.prefixLength === 0 && r.destination.cidr.version === IpVersion.IPV4);
  }
  // A route whose destination is known only at deploy time might match, more specifically.
  const unknown = table.routes.filter((r) => r.destination.kind === 'unknown' && r.destination.version === destination.cidr.version);
  if (unknown.length > 0) {
    walk.uncertain.push(`route table ${table.name} has routes whose destination is known only at deploy time (${unknown.map((r) => r.name).join(', ')})`);
  }
  // A prefix list not defined in the templates may hold the address.
  const lists = table.routes.filter((r) => r.destination.kind === 'prefix-list' && r.destination.entriesUnknown);
  if (lists.length > 0) {
    walk.uncertain.push(`route table ${table.name} routes to prefix lists not defined in the templates, whose entries are not known ` +
      `(${lists.map((r) => `${r.name}: ${r.destination.text}`).join(', ')})`);
  }
  for (const route of sorted) {
    if (route.destination.kind === 'cidr' && route.destination.cidr.contains(destination.cidr)) {
      return route;
    }
  }
  return undefined;
}

function sortedRoutes(table: GTable, vpc: GVpc): GRoute[] {
  if (!table.sorted) {
    const locals = localRoutesOf(vpc, table);
    const cidrRoutes = table.routes.filter((r) => r.destination.kind !== 'unknown');
    // Stable sort: longest prefix first, local routes before others of the same length.
    table.sorted = [...locals, ...cidrRoutes].sort((a, b) => prefixOf(b) - prefixOf(a));
  }
  return table.sorted;
}

function prefixOf(route: GRoute): number {
  return route.destination.kind === 'cidr' ? route.destination.cidr.prefixLength : -1;
}

function localRoutesOf(vpc: GVpc, table: GTable): GRoute[] {
  let routes = localRoutes.get(vpc);
  if (!routes) {
    routes = [...vpc.blocks, ...(vpc.external ? vpc.inferredBlocks : [])].map((cidr) => ({
      name: `local route ${cidr}`, table, destination: { kind: 'cidr' as const, cidr, text: cidr.toString() },
      target: TargetKind.LOCAL, targetKey: 'local', via: 'local', counted: false, constructs: [],
    }));
    localRoutes.set(vpc, routes);
  }
  return routes;
}

function lookupTgw(table: GTgwTable, destination: Destination, walk: Walk): GTgwRoute | undefined {
  if (!table.sorted) {
    const propagated: GTgwRoute[] = [];
    for (const attachment of table.propagations) {
      // An attachment without Ipv6Support propagates only its IPv4 blocks.
      for (const cidr of attachment.vpc.blocks.filter((b) => b.version === IpVersion.IPV4 || attachment.ipv6Support !== false)) {
        propagated.push({ name: `propagated from ${attachment.name}`, destination: cidr, attachment, blackhole: false, propagated: true });
      }
    }
    // Static routes win over propagated ones of the same length.
    table.sorted = [...table.staticRoutes, ...propagated].sort((a, b) => b.destination.prefixLength - a.destination.prefixLength);
  }
  const version = destination.kind === 'ip' ? destination.cidr.version : IpVersion.IPV4;
  for (const attachment of table.propagations) {
    if (attachment.vpc.unknownVersions.has(version) && (version === IpVersion.IPV4 || attachment.ipv6Support !== false)) {
      walk.uncertain.push(`VPC ${attachment.vpc.name}, which propagates into ${table.name}, has CIDR blocks not known from the templates`);
    }
  }
  if (destination.kind === 'service') {
    return table.sorted.find((r) => r.destination.prefixLength === 0 && r.destination.version === IpVersion.IPV4);
  }
  return table.sorted.find((r) => r.destination.contains(destination.cidr));
}

function subnetHolding(vpc: GVpc, cidr: Cidr): GSubnet | undefined {
  return vpc.subnets.find((s) => (cidr.version === IpVersion.IPV4 ? s.cidr : s.ipv6)?.contains(cidr));
}

function isPrivate(graph: Graph, cidr: Cidr): boolean {
  return (cidr.version === IpVersion.IPV4 ? PRIVATE_V4 : PRIVATE_V6).some((p) => p.contains(cidr))
    || graph.vpcs.some((v) => v.blocks.some((b) => b.contains(cidr) && cidr.version === IpVersion.IPV4));
}

/** A destination in words. */
export function describeDestination(destination: Destination): string {
  return destination.kind === 'ip' ? destination.cidr.toString() : `the service ${destination.service}`;
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

function lowerFirst(text: string): string {
  return text.length > 0 ? text[0].toLowerCase() + text.slice(1) : text;
}

/**
 * The round trip, then, for `traffic`, the filters along it in the order a packet meets them:
 * the source's security groups (egress) and its subnet's network ACL (outbound), the
 * destination subnet's ACL (inbound) and the destination's security groups (ingress), then the
 * reply through both ACLs on the ephemeral ports (security groups are stateful). Without
 * `traffic`: the round trip only.
 */
export function reach(graph: Graph, source: Source, target: Target, traffic?: Traffic): Reachability {
  const routed = roundTrip(graph, source, target);
  if (!traffic) { return { ...routed, coverage: ReachabilityCheck.ROUTES }; }
  if (!routed.reachable) { return { ...routed, coverage: ReachabilityCheck.TRAFFIC }; }
  const security = securityOf(graph);
  const destinationPrefix = target.destination.kind === 'ip' ? target.destination.cidr : undefined;
  const src: End = { prefix: source.prefix, vpc: source.vpc, subnet: source.subnet, groups: source.groups, label: source.label ?? source.subnet?.name ?? `VPC ${source.vpc.name}` };
  const dst: End = target.destination.kind === 'service'
    ? { prefix: ANYWHERE, label: `the public endpoint of ${target.destination.service}` }
    : { prefix: destinationPrefix, vpc: target.vpc ?? target.at?.vpc, subnet: target.subnet ?? target.at, groups: target.groups, label: target.label ?? target.subnet?.name ?? (target.vpc ? `VPC ${target.vpc.name}` : describeDestination(target.destination)) };
  const assumptions: string[] = [];
  if (!src.groups) { assumptions.push(`${src.label} has no security group (a subnet, a VPC or an address is not a network interface): only the destination's security groups were checked`); }
  if (!dst.groups && target.destination.kind === 'ip') { assumptions.push(`${dst.label} has no security group: only the source's security groups were checked`); }
  const sameSubnet = !!src.subnet && src.subnet === dst.subnet;
  const reply = replyTraffic(traffic);
  const checks: Array<[string, () => Verdict]> = [
    [ReachabilityBlockers.SECURITY_GROUP_EGRESS, () => (src.groups ? groupsAdmit(graph, src, dst, traffic, 'out') : PASS)],
    [ReachabilityBlockers.NACL_OUTBOUND, () => (sameSubnet ? PASS : aclAdmits(security, src.subnet, true, traffic, dst.prefix, dst.label))],
    [ReachabilityBlockers.NACL_INBOUND, () => (sameSubnet ? PASS : aclAdmits(security, dst.subnet, false, traffic, src.prefix, src.label))],
    [ReachabilityBlockers.SECURITY_GROUP_INGRESS, () => (dst.groups ? groupsAdmit(graph, dst, src, traffic, 'in') : PASS)],
    [ReachabilityBlockers.NACL_REPLY, () => (sameSubnet ? PASS : aclAdmits(security, dst.subnet, true, reply, src.prefix, src.label))],
    [ReachabilityBlockers.NACL_REPLY, () => (sameSubnet ? PASS : aclAdmits(security, src.subnet, false, reply, dst.prefix, dst.label))],
  ];
  const unsure: string[] = [];
  const routeDoubts = routed.certain ? [] : [routed.reason ?? ''];
  for (const [code, check] of checks) {
    const verdict = check();
    if (verdict.kind === 'maybe') { unsure.push(verdict.reason); }
    if (verdict.kind === 'no') {
      const doubts = [...routeDoubts, ...unsure].filter((d) => d.length > 0);
      return {
        ...routed, reachable: false, certain: doubts.length === 0, coverage: ReachabilityCheck.TRAFFIC, blockedBy: code,
        reason: doubts.length > 0 ? `${verdict.reason} Not certain: ${doubts.map((d) => d.replace(/\.$/, '')).join('; ')}.` : verdict.reason,
        ...(assumptions.length > 0 ? { assumptions } : {}),
      };
    }
  }
  const doubts = [...routeDoubts, ...unsure].filter((d) => d.length > 0);
  return {
    ...routed, certain: doubts.length === 0, coverage: ReachabilityCheck.TRAFFIC,
    reason: doubts.length > 0 ? `Not certain: ${doubts.map((d) => d.replace(/\.$/, '').replace(/^Not certain: /, '')).join('; ')}.` : undefined,
    ...(assumptions.length > 0 ? { assumptions } : {}),
  };
}

const PASS: Verdict = { kind: 'yes', by: 'nothing to check' };
const ANYWHERE = Cidr.parse('0.0.0.0/0');
