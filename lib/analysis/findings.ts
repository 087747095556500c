/**
 * The routing findings of a network graph: pure functions, one per rule of {@link FindingRules}.
 */
import { Cidr, IpVersion } from '../cidr';
import { broadcastOf, networkOf } from '../cidr/cidr';
import { QUOTA_WARNING_SHARE } from '../routing/quotas';
import { GPeering, GRoute, GSubnet, GTable, GVpc, Graph } from './private/graph';
import { securityFindings } from './private/security-findings';
import { lookup } from './reachability';
import { Finding, FindingResource, FindingRules, FindingSeverity, TargetKind } from './types';

/** Options of the findings. */
export interface FindingOptions {
  /**
   * Routes per route table (not propagated), counted separately for IPv4 and IPv6: the
   * `routesPerRouteTable` of the quotas in force (routing/quotas holds the default and its source).
   */
  readonly routesPerRouteTable: number;
}

/** Every finding of `graph`. */
export function findingsOf(graph: Graph, options: FindingOptions): Finding[] {
  return [
    ...peeringRouteFindings(graph),
    ...ambiguousDestinations(graph),
    ...routeQuota(graph, options.routesPerRouteTable),
    ...unknowns(graph),
    ...routeWriters(graph),
    ...securityFindings(graph),
  ];
}

/** Resources the model does not understand that are given route tables: they may write routes it cannot see. */
function routeWriters(graph: Graph): Finding[] {
  return (graph.routeWriters ?? []).map((w) => ({
    ruleId: FindingRules.UNMODELLED_ROUTES,
    severity: FindingSeverity.INFO,
    message: `${w.name} (${w.type}) is given the route table${w.tables.length === 1 ? '' : 's'} ${w.tables.map((t) => t.name).join(', ')} ` +
      'and may write routes there that the model cannot see: answers through ' + (w.tables.length === 1 ? 'that table' : 'those tables') + ' are not certain.',
    fix: graph.plainTemplates
      ? `Nothing to fix if intended. To have the routes checked, declare them in the template as AWS::EC2::Route resources instead of writing them from ${w.name}.`
      : `Nothing to fix if intended. To have the routes checked, declare them as ec2.CfnRoute (or this library's constructs) instead of writing them from ${w.name}.`,
    constructs: [w.name, ...w.tables.map((t) => t.name)],
    resources: resourcesOf(graph, [w.key, ...w.tables.map((t) => t.key)]),
  }));
}

/** The template resources of `keys` (routes, tables, peerings...), those the templates define, once each. */
function resourcesOf(graph: Graph, keys: Array<string | undefined>): FindingResource[] {
  const seen = new Set<string>();
  const out: FindingResource[] = [];
  for (const key of keys) {
    const resource = key !== undefined ? graph.resources.get(key) : undefined;
    if (resource && !seen.has(key!)) {
      seen.add(key!);
      out.push(resource);
    }
  }
  return out;
}

/** Peering routes: not attached, transitive or edge-to-edge destinations, one-way routes. */
function peeringRouteFindings(graph: Graph): Finding[] {
  const findings: Finding[] = [];
  const oneWayChecked = new Set<string>();
  for (const route of graph.routes) {
    if (route.target !== TargetKind.PEERING) { continue; }
    const table = route.table;
    const vpc = table.vpc;
    const peering = graph.peerings.get(route.targetKey);
    if (!vpc || !peering) { continue; }
    const peer = peering.requester === vpc ? peering.accepter : peering.accepter === vpc ? peering.requester : undefined;
    if (!peer) {
      if (vpc.external || (peering.requester.external && peering.accepter.external)) { continue; }
      findings.push({
        ruleId: FindingRules.PEERING_NOT_ATTACHED,
        severity: FindingSeverity.ERROR,
        message: `Route ${route.name} in route table ${table.name} (VPC ${vpc.name}) targets the peering ${peering.name}, ` +
          `which connects ${peering.requester.name} and ${peering.accepter.name}, not ${vpc.name}: traffic for ${route.destination.text} is dropped.`,
        fix: `Target a peering connection of VPC ${vpc.name}, or peer ${vpc.name} with the VPC that holds ${route.destination.text}.`,
        constructs: [route.name, table.name, peering.name],
        resources: resourcesOf(graph, [route.resourceKey, table.key, peering.key]),
      });
      continue;
    }
    if (route.destination.kind === 'unknown' || peer.external) { continue; }
    if (route.destination.kind === 'prefix-list') {
      findings.push({ ...edgeToEdge(route, vpc, peer, peering, [route.destination.text]), resources: resourcesOf(graph, [route.resourceKey, table.key, peering.key]) });
      continue;
    }
    const destination = route.destination.cidr;
    const blocks = peer.blocks.filter((b) => b.version === destination.version);
    if (!blocks.some((b) => b.contains(destination))) {
      if (peer.unknownVersions.has(destination.version)) { continue; }
      const edges = edgeTargets(peer, destination);
      if (edges.length > 0) {
        findings.push({ ...edgeToEdge(route, vpc, peer, peering, edges), resources: resourcesOf(graph, [route.resourceKey, table.key, peering.key]) });
      } else {
        const owners = graph.vpcs.filter((v) => v !== peer && v !== vpc && v.blocks.some((b) => b.overlaps(destination)));
        const partly = blocks.some((b) => b.overlaps(destination));
        findings.push({
          ruleId: FindingRules.TRANSITIVE_DESTINATION,
          severity: FindingSeverity.ERROR,
          message: `Route ${route.name} in route table ${table.name} (VPC ${vpc.name}) sends ${destination} over the peering ${peering.name}, ` +
            `but ${destination} is ${partly ? 'partly ' : ''}outside the peer VPC ${peer.name} (${peer.blocks.join(', ')})` +
            `${owners.length > 0 ? `; it is ${owners.map((o) => `VPC ${o.name}'s`).join(' and ')}` : ''}. ` +
            'Peering is not transitive: traffic for addresses outside the peer VPC is dropped.',
          fix: `Route only blocks of ${peer.name} over ${peering.name}; to reach ${owners.length > 0 ? owners.map((o) => o.name).join(' and ') : 'other networks'}, ` +
            'peer with them directly or connect the VPCs through a transit gateway.',
          constructs: [route.name, table.name, peering.name],
          resources: resourcesOf(graph, [route.resourceKey, table.key, peering.key]),
        });
      }
      continue;
    }
    const key = `${table.key}|${peering.key}|${destination.version}`;
    if (oneWayChecked.has(key)) { continue; }
    oneWayChecked.add(key);
    const oneWay = oneWayRoute(route, vpc, peer, peering);
    if (oneWay) {
      const fix = graph.plainTemplates ? oneWay.fix.replace('(leave VpcPeering\'s requesterRoutes / accepterRoutes enabled)',
        `(the template's AWS::EC2::Route resources with VpcPeeringConnectionId ${peering.name})`) : oneWay.fix;
      findings.push({ ...oneWay, fix, resources: resourcesOf(graph, [route.resourceKey, table.key, peering.key]) });
    }
  }
  return findings;
}

function edgeToEdge(route: GRoute, vpc: GVpc, peer: GVpc, peering: GPeering, edges: string[]): Finding {
  return {
    ruleId: FindingRules.EDGE_TO_EDGE,
    severity: FindingSeverity.ERROR,
    message: `Route ${route.name} in route table ${route.table.name} (VPC ${vpc.name}) sends ${route.destination.text} over the peering ${peering.name} ` +
      `to VPC ${peer.name}, whose route tables send it on to ${edges.join(', ')}. AWS does not forward traffic arriving over a peering ` +
      'to the peer\'s internet gateway, NAT device, VPN connection or gateway endpoint (edge-to-edge routing): it is dropped.',
    fix: `Give VPC ${vpc.name} its own internet gateway, NAT gateway or gateway endpoint, or route through a transit gateway to a shared egress VPC; ` +
      `route only ${peer.name}'s blocks over ${peering.name}.`,
    constructs: [route.name, route.table.name, peering.name],
  };
}

/** The internet gateways, NAT devices, VPNs and gateway endpoints that the peer's tables send `destination` to. */
function edgeTargets(peer: GVpc, destination: Cidr): string[] {
  const edges: string[] = [];
  for (const table of [...peer.tables, peer.mainTable]) {
    const found = lookup(table, peer, { kind: 'ip', cidr: destination }, { hops: [], uncertain: [] });
    if (found && [TargetKind.INTERNET_GATEWAY, TargetKind.NAT, TargetKind.FIREWALL, TargetKind.OTHER, TargetKind.GATEWAY_ENDPOINT].includes(found.target)) {
      const text = `${found.via} (${found.target === TargetKind.OTHER ? 'VPN or other gateway' : found.target})`;
      if (!edges.includes(text)) { edges.push(text); }
    }
  }
  if (destination.prefixLength === 0) {
    // A default route covers the public addresses of AWS services: the peer's gateway endpoints too.
    for (const table of peer.tables) {
      for (const route of table.routes) {
        const text = `${route.via} (${TargetKind.GATEWAY_ENDPOINT})`;
        if (route.target === TargetKind.GATEWAY_ENDPOINT && !edges.includes(text)) { edges.push(text); }
      }
    }
  }
  return edges;
}

/**
 * A route from `vpc` over `peering` to `peer` whose reply has no way back: no route table of
 * the peer's subnets in the destination sends the addresses of the route's subnets over the
 * same peering.
 */
function oneWayRoute(route: GRoute, vpc: GVpc, peer: GVpc, peering: GPeering): Finding | undefined {
  const destination = (route.destination as { cidr: Cidr }).cidr;
  const sources = subnetsUsing(vpc, route.table).map((s) => (destination.version === IpVersion.IPV4 ? s.cidr : s.ipv6)).filter((c): c is Cidr => !!c);
  if (sources.length === 0) {
    // A table without subnets: its routes carry no traffic from here; check the VPC's blocks.
    sources.push(...vpc.blocks.filter((b) => b.version === destination.version));
  }
  if (sources.length === 0) { return undefined; }
  const peerTables = peerTablesFor(peer, destination);
  if (peerTables.some((t) => t.external)) { return undefined; }
  // A resource the model does not understand may write the route back (vpc-connect/unmodelled-routes says so).
  if (peerTables.some((t) => t.routes.some((r) => r.destination.kind === 'unknown' && r.target === TargetKind.OTHER && r.name.startsWith('routes that ')))) { return undefined; }
  const returning = peerTables.filter((t) => sources.some((source) => {
    const back = lookup(t, peer, { kind: 'ip', cidr: source }, { hops: [], uncertain: [] });
    // Routes back to part of the source (single hosts, as in the Peering Guide's instance-specific routes) count too.
    return (back !== undefined && back.targetKey === peering.key)
      || t.routes.some((r) => r.targetKey === peering.key && r.destination.kind === 'cidr' && source.contains(r.destination.cidr));
  }));
  if (returning.length > 0) { return undefined; }
  return {
    ruleId: FindingRules.ONE_WAY_ROUTE,
    severity: FindingSeverity.ERROR,
    message: `Route table ${route.table.name} (VPC ${vpc.name}) sends ${destination} over the peering ${peering.name} to VPC ${peer.name}, ` +
      `but no route table of ${peer.name}'s subnets in ${destination} (${peerTables.map((t) => t.name).join(', ')}) routes ` +
      `${sources.join(', ')} back over ${peering.name}: replies are dropped.`,
    fix: `Add routes toward ${sources.join(', ')} over ${peering.name} in the route tables of ${peer.name} ` +
      '(leave VpcPeering\'s requesterRoutes / accepterRoutes enabled), or remove the route.',
    constructs: [route.name, route.table.name, peering.name],
  };
}

function subnetsUsing(vpc: GVpc, table: GTable): GSubnet[] {
  return vpc.subnets.filter((s) => s.table === table);
}

/** The route tables of the peer's subnets that overlap `destination` (all its tables when it has no known subnets). */
function peerTablesFor(peer: GVpc, destination: Cidr): GTable[] {
  const subnets = peer.subnets.filter((s) => {
    const c = destination.version === IpVersion.IPV4 ? s.cidr : s.ipv6;
    return c !== undefined && c.overlaps(destination);
  });
  if (subnets.length === 0) {
    return peer.tables.length > 0 ? peer.tables : [peer.mainTable];
  }
  return [...new Set(subnets.map((s) => s.table))];
}

/**
 * Two peering routes in one table whose destinations overlap but lead to different VPCs:
 * traffic and replies for the overlap go to one VPC only (the reply-routing problem of peers
 * with overlapping CIDR blocks).
 */
function ambiguousDestinations(graph: Graph): Finding[] {
  const findings: Finding[] = [];
  for (const table of graph.tables.values()) {
    const vpc = table.vpc;
    if (!vpc) { continue; }
    const peeringRoutes: Array<{ route: GRoute; cidr: Cidr; peer: GVpc; peering: GPeering }> = [];
    for (const route of table.routes) {
      if (route.target !== TargetKind.PEERING || route.destination.kind !== 'cidr') { continue; }
      const peering = graph.peerings.get(route.targetKey);
      const peer = peering && (peering.requester === vpc ? peering.accepter : peering.accepter === vpc ? peering.requester : undefined);
      if (peering && peer) { peeringRoutes.push({ route, cidr: route.destination.cidr, peer, peering }); }
    }
    // Sorting by network lets each route be compared only with the ones it can overlap.
    peeringRoutes.sort((a, b) => (networkOf(a.cidr) < networkOf(b.cidr) ? -1 : networkOf(a.cidr) > networkOf(b.cidr) ? 1 : a.cidr.prefixLength - b.cidr.prefixLength));
    for (let i = 0; i < peeringRoutes.length; i++) {
      const a = peeringRoutes[i];
      for (let j = i + 1; j < peeringRoutes.length; j++) {
        const b = peeringRoutes[j];
        if (b.cidr.version !== a.cidr.version) { continue; }
        if (networkOf(b.cidr) > broadcastOf(a.cidr)) { break; }
        if (a.peer === b.peer || !a.cidr.overlaps(b.cidr)) { continue; }
        const [wide, narrow] = a.cidr.prefixLength <= b.cidr.prefixLength ? [a, b] : [b, a];
        findings.push({
          ruleId: FindingRules.AMBIGUOUS_DESTINATION,
          severity: FindingSeverity.WARNING,
          message: `Route table ${table.name} (VPC ${vpc.name}) routes ${wide.cidr} to VPC ${wide.peer.name} over ${wide.peering.name} ` +
            `and ${narrow.cidr} to VPC ${narrow.peer.name} over ${narrow.peering.name}: both VPCs hold ${narrow.cidr}, ` +
            `and traffic (replies included) for it from the subnets of this table goes to ${narrow.peer.name} only.`,
          fix: 'Give the subnets that talk to each peer their own route table (one route per table), ' +
            'or route only specific, non-overlapping addresses (single-host /32 routes or the peers\' distinct subnets) to each peer.',
          constructs: [wide.route.name, narrow.route.name, table.name],
          resources: resourcesOf(graph, [wide.route.resourceKey, narrow.route.resourceKey, table.key]),
        });
      }
    }
  }
  return findings;
}

/**
 * Route tables over their quota of routes (an error), or at 80% of it or more (a warning);
 * IPv4 and IPv6 counted separately, as AWS does.
 */
function routeQuota(graph: Graph, quota: number): Finding[] {
  const findings: Finding[] = [];
  const warnAt = Math.ceil(quota * QUOTA_WARNING_SHARE);
  for (const table of graph.tables.values()) {
    for (const version of [IpVersion.IPV4, IpVersion.IPV6]) {
      const routes = table.routes.filter((r) => r.counted && (r.destination.kind !== 'cidr' ? version === IpVersion.IPV4 : r.destination.cidr.version === version));
      // A route to a managed prefix list counts as the list's max entries (its weight).
      const count = routes.reduce((sum, r) => sum + (r.weight ?? 1), 0);
      if (count < warnAt) { continue; }
      const over = count > quota;
      findings.push({
        ruleId: FindingRules.ROUTE_QUOTA,
        severity: over ? FindingSeverity.ERROR : FindingSeverity.WARNING,
        message: `Route table ${table.name}${table.vpc ? ` (VPC ${table.vpc.name})` : ''} holds ${count} IPv${version} routes` +
          `${count !== routes.length ? ' (a route to a managed prefix list counts as its maximum entries)' : ''}; ` +
          (over
            ? `the quota is ${quota} per route table: the deploy fails once it is exceeded.`
            : `that is ${Math.round((count / quota) * 100)}% of the quota of ${quota} per route table.`),
        fix: 'Summarize destinations into fewer, larger blocks (or a managed prefix list), connect the VPCs through a transit gateway, ' +
          'or raise the "Routes per route table" quota in Service Quotas and ' + (graph.plainTemplates
          ? 'give the new value to the CLI with --routes-per-route-table (NetworkModelOptions.quotas in code).'
          : 'set the new value as routesPerRouteTable in the context key ' +
            'cdk-vpc-connect:quotas (the quotas of NetworkModel and NetworkValidationPlugin, the --routes-per-route-table option of the CLI).'),
        constructs: [table.name],
        resources: resourcesOf(graph, [table.key, ...routes.map((r) => r.resourceKey)]),
      });
    }
  }
  return findings;
}

function unknowns(graph: Graph): Finding[] {
  const findings: Finding[] = graph.unknowns.map((u) => ({
    ruleId: FindingRules.UNKNOWN,
    severity: FindingSeverity.INFO,
    message: u.message,
    fix: u.fix ?? (graph.plainTemplates
      ? 'Nothing to fix if intended: the model cannot check this part. Give the parameters it reads values with --parameters Stack:Key=Value ' +
        '(NetworkModelOptions.parameters in code) or Defaults, or write literal values (CIDR blocks, ids) in the template, to have it checked.'
      : 'Nothing to fix if intended: the model cannot check this part. Use literal values (CIDR blocks, ids) where you can to have it checked.'),
    constructs: u.constructs,
    resources: resourcesOf(graph, u.resourceKeys),
  }));
  for (const vpc of graph.vpcs) {
    if (vpc.external || vpc.unknownBlocks.length === 0) { continue; }
    findings.push({
      ruleId: FindingRules.UNKNOWN,
      severity: FindingSeverity.INFO,
      message: `VPC ${vpc.name} has CIDR blocks not known from the templates: ${vpc.unknownBlocks.join('; ')}. Reachability to and from them is not certain.`,
      fix: graph.plainTemplates
        ? 'Give the template\'s AWS::EC2::VPC a literal CidrBlock, or the parameter it reads a value with --parameters Stack:Key=Value ' +
          '(NetworkModelOptions.parameters in code) or a Default, to have it checked.'
        : 'Give the VPC literal CIDR blocks (ec2.IpAddresses.cidr) to have it checked.',
      constructs: [vpc.name],
      resources: resourcesOf(graph, vpc.resourceKeys),
    });
  }
  return findings;
}
