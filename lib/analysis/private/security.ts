/**
 * Security groups, network ACLs and the things that own network interfaces (instances, ECS
 * services, Lambda functions, databases, load balancers, interface endpoints), read once from the
 * templates of a graph, and their pure evaluation for one kind of traffic.
 *
 * AWS behaviours modelled (CloudFormation template reference, AWS::EC2::SecurityGroup,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup.html;
 * Amazon VPC User Guide, "Control subnet traffic with network access control lists" and
 * "Security group rules", https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html):
 * - a security group created without inline egress rules gets egress rules allowing all IPv4 and
 *   IPv6 traffic (separate `AWS::EC2::SecurityGroupEgress` resources add to them); with inline
 *   egress rules it has only those;
 * - security groups are stateful (the reply of an admitted request is admitted); a rule naming a
 *   security group admits the network interfaces that have that group, in the same VPC or in a
 *   VPC peered with it;
 * - a VPC's default security group admits all traffic from its own members and all egress
 *   (aws-cdk-lib's `Custom::VpcRestrictDefaultSG` removes both);
 * - network ACLs are stateless, evaluated by ascending rule number, the first matching entry
 *   decides, and a final implicit entry denies; a subnet without an association has the VPC's
 *   default ACL, which allows everything both ways; replies go to the client's ephemeral port
 *   (1024-65535 covers every client: NAT gateways, Elastic Load Balancing, Linux, Windows).
 */
import { GSubnet, GVpc, Graph, RawResource, describeValue } from './graph';
import { ResourceRef, Unknown, Value } from './templates';
import { Cidr } from '../../cidr';

/** A kind of traffic: an IP protocol number (-1: every protocol) and a port range (for ICMP: the type). */
export interface Traffic {
  readonly protocol: number;
  /** The protocol as the user gave it, for messages. */
  readonly protocolName: string;
  readonly fromPort: number;
  readonly toPort: number;
}

/** The ephemeral ports replies go back to. */
export const EPHEMERAL: readonly [number, number] = [1024, 65535];

const PROTOCOL_NUMBERS: { [name: string]: number } = { 'tcp': 6, 'udp': 17, 'icmp': 1, 'icmpv6': 58, '-1': -1, 'all': -1 };

/** The IP protocol number of a rule's or an option's protocol (`tcp`, `6`, `-1`...); NaN when not known. */
export function protocolNumber(value: Value): number {
  if (typeof value === 'number') { return value; }
  if (typeof value !== 'string') { return NaN; }
  const named = PROTOCOL_NUMBERS[value.toLowerCase()];
  if (named !== undefined) { return named; }
  return /^-?\d+$/.test(value) ? Number(value) : NaN;
}

/** `tcp/443`, `udp/53`, `icmp type 8`, `all traffic`. */
export function describeTraffic(traffic: Traffic): string {
  if (traffic.protocol === -1) { return 'all traffic'; }
  const ports = traffic.fromPort === traffic.toPort ? `${traffic.fromPort}` : `${traffic.fromPort}-${traffic.toPort}`;
  if (isIcmp(traffic.protocol)) { return `${traffic.protocolName} type ${ports}`; }
  return hasPorts(traffic.protocol) ? `${traffic.protocolName}/${ports}` : `protocol ${traffic.protocolName}`;
}

function hasPorts(protocol: number): boolean {
  return protocol === 6 || protocol === 17;
}

function isIcmp(protocol: number): boolean {
  return protocol === 1 || protocol === 58;
}

/** The traffic of the reply (stateless checks): the ephemeral ports, or the ICMP echo reply. */
export function replyTraffic(traffic: Traffic): Traffic {
  if (isIcmp(traffic.protocol)) {
    const type = traffic.fromPort === 8 || traffic.fromPort === 128 ? (traffic.protocol === 1 ? 0 : 129) : traffic.fromPort;
    return { ...traffic, fromPort: type, toPort: type };
  }
  if (hasPorts(traffic.protocol)) { return { ...traffic, fromPort: EPHEMERAL[0], toPort: EPHEMERAL[1] }; }
  return traffic;
}

// ---------------------------------------------------------------------------------------------
// The model

/** Who a rule admits. */
export type Peer =
  | { readonly kind: 'cidr'; readonly cidr: Cidr }
  | { readonly kind: 'group'; readonly key: string }
  | { readonly kind: 'unknown'; readonly text: string };

/** One security group rule (one peer). */
export interface SgRule {
  readonly protocol: number;
  readonly fromPort: number;
  readonly toPort: number;
  readonly peer: Peer;
  /** How it reads in a reason. */
  readonly text: string;
}

/** A security group. */
export interface GGroup {
  readonly key: string;
  readonly name: string;
  readonly vpc?: GVpc;
  readonly ingress: SgRule[];
  readonly egress: SgRule[];
  /** Defined outside the templates (a literal `sg-` id, a deploy-time value): its rules are not known. */
  readonly external: boolean;
}

/** Something with network interfaces: where it is and which groups it has. */
export interface GWorkload {
  readonly key: string;
  readonly name: string;
  readonly type: string;
  readonly subnets: GSubnet[];
  readonly groups: GGroup[];
  /** Why its subnets or groups are not all known. */
  readonly unknown: string[];
}

/** A network ACL entry. */
interface AclEntry {
  readonly ruleNumber: number;
  readonly egress: boolean;
  readonly allow: boolean;
  readonly protocol: number;
  readonly cidr?: Cidr;
  readonly fromPort: number;
  readonly toPort: number;
  readonly text: string;
}

/** A network ACL. */
export interface GAcl {
  readonly key: string;
  readonly name: string;
  readonly entries: AclEntry[];
  /** Entries whose values are not known. */
  readonly unknownEntries: string[];
}

/** An interface endpoint's placement and DNS. */
export interface GInterfaceEndpoint {
  readonly key: string;
  readonly name: string;
  readonly vpc: GVpc;
  /** The service's short name (`sns`). */
  readonly service: string;
  /** Whether the endpoint's private DNS answers the service's public name in its VPC; undefined when known only at deploy time. */
  readonly privateDns: boolean | undefined;
  readonly workload: GWorkload;
}

/** A private hosted zone that answers a service's name with an interface endpoint. */
export interface GServiceZone {
  readonly key: string;
  readonly name: string;
  /** The service's short name the zone's name stands for (`sns` for `sns.us-east-1.amazonaws.com`). */
  readonly service: string;
  readonly vpcs: GVpc[];
  /** The endpoint its records alias, when known. */
  readonly endpoint?: GInterfaceEndpoint;
}

/** The security part of the model. */
export interface Security {
  /** The region of each VPC's stack, when known (security group references work across a peering in one region only). */
  readonly regions: Map<GVpc, string>;
  readonly groups: Map<string, GGroup>;
  readonly workloads: Map<string, GWorkload>;
  /** Workloads by name (construct path) and key. */
  readonly workloadsByName: Map<string, GWorkload>;
  /** Subnet key → its ACL (absent: the default ACL, which allows everything). */
  readonly acls: Map<string, GAcl>;
  readonly interfaceEndpoints: GInterfaceEndpoint[];
  readonly zones: GServiceZone[];
  /** VPCs associated with a Route 53 Profile whose zones are not known (shared from another account): the association's name. */
  readonly unknownProfiles: Map<GVpc, string>;
}

const cache = new WeakMap<Graph, Security>();

/** The security model of `graph`, read once. */
export function securityOf(graph: Graph): Security {
  let security = cache.get(graph);
  if (!security) {
    security = new SecurityReader(graph).read();
    cache.set(graph, security);
  }
  return security;
}

const WORKLOAD_TYPES = [
  'AWS::EC2::Instance', 'AWS::AutoScaling::AutoScalingGroup', 'AWS::ECS::Service', 'AWS::Lambda::Function', 'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::EC2::NetworkInterface',
];

class SecurityReader {
  private readonly groups = new Map<string, GGroup>();
  private readonly defaultGroups = new Map<GVpc, GGroup>();
  private readonly workloads = new Map<string, GWorkload>();
  private readonly workloadsByName = new Map<string, GWorkload>();
  private readonly acls = new Map<string, GAcl>();
  private readonly interfaceEndpoints: GInterfaceEndpoint[] = [];
  private readonly zones: GServiceZone[] = [];
  private readonly unknownProfiles = new Map<GVpc, string>();
  private readonly prefixLists = new Map<string, Cidr[]>();
  private readonly restricted = new Set<string>();

  constructor(private readonly graph: Graph) {}

  public read(): Security {
    this.readPrefixLists();
    for (const res of this.graph.raw.of('Custom::VpcRestrictDefaultSG')) {
      const text = describeValue(res.prop('DefaultSecurityGroupId'));
      const match = /^\$\{(.+)\.DefaultSecurityGroup\}$/.exec(text);
      if (match) { this.restricted.add(`${res.stack}/${match[1]}`); }
    }
    this.readGroups();
    this.readAcls();
    for (const type of WORKLOAD_TYPES) {
      for (const res of this.graph.raw.of(type)) { this.readWorkload(res); }
    }
    this.readEndpoints();
    this.readZones();
    this.readProfiles();
    const regions = new Map<GVpc, string>();
    for (const res of this.graph.raw.of('AWS::EC2::VPC')) {
      const vpc = this.graph.vpcByKey.get(res.key);
      if (vpc && res.region && !res.region.startsWith('${')) { regions.set(vpc, res.region); }
    }
    return {
      regions, groups: this.groups, workloads: this.workloads, workloadsByName: this.workloadsByName, acls: this.acls,
      interfaceEndpoints: this.interfaceEndpoints, zones: this.zones, unknownProfiles: this.unknownProfiles,
    };
  }

  private name(key: string): string {
    return this.graph.names.get(key) ?? key;
  }

  private readPrefixLists(): void {
    for (const res of this.graph.raw.of('AWS::EC2::PrefixList')) {
      const entries = res.prop('Entries');
      if (!Array.isArray(entries)) { continue; }
      const cidrs: Cidr[] = [];
      for (const entry of entries) {
        const cidr = entry !== null && typeof entry === 'object' && !Array.isArray(entry) && !(entry instanceof ResourceRef) && !(entry instanceof Unknown)
          ? (entry as { [k: string]: Value }).Cidr : undefined;
        const parsed = typeof cidr === 'string' ? Cidr.tryParse(cidr) : undefined;
        if (parsed === undefined || typeof parsed === 'string') { cidrs.length = 0; break; }
        cidrs.push(parsed);
      }
      if (cidrs.length > 0) { this.prefixLists.set(res.key, cidrs); }
    }
  }

  private readGroups(): void {
    const defined = this.graph.raw.of('AWS::EC2::SecurityGroup');
    for (const res of defined) {
      const vpcValue = res.prop('VpcId');
      const vpc = vpcValue instanceof ResourceRef ? this.graph.vpcByKey.get(vpcValue.key) : typeof vpcValue === 'string' ? this.graph.vpcByKey.get(vpcValue) : undefined;
      this.groups.set(res.key, { key: res.key, name: this.name(res.key), vpc, ingress: [], egress: [], external: false });
    }
    for (const res of defined) {
      const group = this.groups.get(res.key)!;
      for (const rule of asList(res.prop('SecurityGroupIngress'))) { group.ingress.push(...this.rules(rule, 'in', res)); }
      const egress = asList(res.prop('SecurityGroupEgress'));
      for (const rule of egress) { group.egress.push(...this.rules(rule, 'out', res)); }
      if (egress.length === 0) {
        // No inline egress rule: AWS adds egress rules for all IPv4 and IPv6 traffic.
        group.egress.push(
          { protocol: -1, fromPort: 0, toPort: 65535, peer: { kind: 'cidr', cidr: Cidr.parse('0.0.0.0/0') }, text: `the default egress rule of ${group.name} (all traffic to 0.0.0.0/0)` },
          { protocol: -1, fromPort: 0, toPort: 65535, peer: { kind: 'cidr', cidr: Cidr.parse('::/0') }, text: `the default egress rule of ${group.name} (all traffic to ::/0)` },
        );
      }
    }
    for (const [type, direction] of [['AWS::EC2::SecurityGroupIngress', 'in'], ['AWS::EC2::SecurityGroupEgress', 'out']] as const) {
      for (const res of this.graph.raw.of(type)) {
        const group = this.groupOf(res.prop('GroupId'));
        if (!group || group.external) { continue; }
        const props: { [k: string]: Value } = {};
        for (const k of Object.keys(res.props)) { props[k] = res.prop(k); }
        (direction === 'in' ? group.ingress : group.egress).push(...this.rules(props, direction, res));
      }
    }
  }

  /** The rules of one rule object (`IpProtocol`, ports, one peer). */
  private rules(value: Value, direction: 'in' | 'out', res: RawResource): SgRule[] {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof ResourceRef || value instanceof Unknown) {
      return [{ protocol: NaN, fromPort: 0, toPort: 65535, peer: { kind: 'unknown', text: describeValue(value) }, text: `a rule of ${this.name(res.key)} known only at deploy time` }];
    }
    const rule = value as { [k: string]: Value };
    const protocol = protocolNumber(rule.IpProtocol);
    let fromPort = numberOf(rule.FromPort);
    let toPort = numberOf(rule.ToPort);
    if (protocol === -1 || (!hasPorts(protocol) && !isIcmp(protocol))) {
      fromPort = 0; toPort = 65535;
    } else if (isIcmp(protocol)) {
      // FromPort is the ICMP type, -1 for every type.
      if (fromPort === -1 || fromPort === undefined) { fromPort = 0; toPort = 255; } else { toPort = fromPort; }
    } else if (fromPort === -1 || fromPort === undefined) {
      fromPort = 0; toPort = 65535;
    }
    const peers: Peer[] = [];
    const texts: string[] = [];
    const side = direction === 'in' ? 'Source' : 'Destination';
    for (const prop of ['CidrIp', 'CidrIpv6']) {
      if (rule[prop] === undefined) { continue; }
      const text = rule[prop];
      const parsed = typeof text === 'string' ? Cidr.tryParse(text) : undefined;
      peers.push(parsed !== undefined && typeof parsed !== 'string' ? { kind: 'cidr', cidr: parsed } : { kind: 'unknown', text: `${prop} ${describeValue(text)}` });
      texts.push(describeValue(text));
    }
    const groupRef = rule[`${side}SecurityGroupId`] ?? (direction === 'in' ? rule.SourceSecurityGroupName : undefined);
    if (groupRef !== undefined) {
      const group = this.groupOf(groupRef);
      peers.push(group && !group.external ? { kind: 'group', key: group.key } : { kind: 'unknown', text: `security group ${describeValue(groupRef)}` });
      texts.push(group?.name ?? describeValue(groupRef));
    }
    const prefixList = rule[`${side}PrefixListId`];
    if (prefixList !== undefined) {
      const cidrs = prefixList instanceof ResourceRef ? this.prefixLists.get(prefixList.key) : undefined;
      if (cidrs) { peers.push(...cidrs.map((cidr): Peer => ({ kind: 'cidr', cidr }))); } else {
        peers.push({ kind: 'unknown', text: `prefix list ${describeValue(prefixList)}` });
      }
      texts.push(`prefix list ${prefixList instanceof ResourceRef ? this.name(prefixList.key) : describeValue(prefixList)}`);
    }
    const traffic: Traffic = { protocol, protocolName: String(rule.IpProtocol), fromPort: fromPort ?? 0, toPort: toPort ?? 65535 };
    const what = Number.isNaN(protocol) ? `protocol ${describeValue(rule.IpProtocol)}` : describeTraffic(traffic);
    return peers.map((peer) => ({
      protocol, fromPort: traffic.fromPort, toPort: traffic.toPort, peer,
      text: `${direction === 'in' ? 'ingress' : 'egress'} rule of ${this.name(res.key)} (${what} ${direction === 'in' ? 'from' : 'to'} ${texts.join(', ')})`,
    }));
  }

  /** The group a `GroupId` / `SecurityGroupIds` item designates. */
  private groupOf(value: Value): GGroup | undefined {
    if (value instanceof ResourceRef) {
      const group = this.groups.get(value.key);
      if (group) { return group; }
      const vpc = this.graph.vpcByKey.get(value.key);
      return vpc ? this.defaultGroup(vpc) : undefined;
    }
    if (value instanceof Unknown) {
      const match = /^\$\{(.+)\.DefaultSecurityGroup\}$/.exec(value.text);
      if (match) {
        for (const vpc of this.graph.vpcs) {
          if (vpc.resourceKeys.some((k) => k.endsWith(`/${match[1]}`))) { return this.defaultGroup(vpc); }
        }
      }
    }
    if (value === undefined || value === null) { return undefined; }
    const text = describeValue(value);
    const existing = this.groups.get(text);
    if (existing) { return existing; }
    const group: GGroup = { key: text, name: typeof value === 'string' ? value : `(security group ${text})`, ingress: [], egress: [], external: true };
    this.groups.set(text, group);
    return group;
  }

  /** A VPC's default security group: all from its members, all egress (none at all when aws-cdk-lib restricts it). */
  private defaultGroup(vpc: GVpc): GGroup {
    let group = this.defaultGroups.get(vpc);
    if (!group) {
      const key = `${vpc.key}#default-sg`;
      const restricted = vpc.resourceKeys.some((k) => this.restricted.has(k));
      const name = `${vpc.name} (default security group)`;
      group = { key, name, vpc, ingress: [], egress: [], external: vpc.external };
      if (!restricted && !vpc.external) {
        group.ingress.push({ protocol: -1, fromPort: 0, toPort: 65535, peer: { kind: 'group', key }, text: `ingress rule of ${name} (all traffic from its members)` });
        group.egress.push({ protocol: -1, fromPort: 0, toPort: 65535, peer: { kind: 'cidr', cidr: Cidr.parse('0.0.0.0/0') }, text: `egress rule of ${name} (all traffic to 0.0.0.0/0)` });
      }
      this.groups.set(key, group);
      this.defaultGroups.set(vpc, group);
    }
    return group;
  }

  private readAcls(): void {
    const byKey = new Map<string, GAcl>();
    for (const res of this.graph.raw.of('AWS::EC2::NetworkAcl')) {
      byKey.set(res.key, { key: res.key, name: this.name(res.key), entries: [], unknownEntries: [] });
    }
    for (const res of this.graph.raw.of('AWS::EC2::NetworkAclEntry')) {
      const aclRef = res.prop('NetworkAclId');
      const acl = aclRef instanceof ResourceRef ? byKey.get(aclRef.key) : undefined;
      if (!acl) { continue; }
      const ruleNumber = numberOf(res.prop('RuleNumber'));
      const protocol = protocolNumber(res.prop('Protocol'));
      const action = res.prop('RuleAction');
      const egressValue = res.prop('Egress');
      const cidrText = res.prop('CidrBlock') ?? res.prop('Ipv6CidrBlock');
      const cidr = typeof cidrText === 'string' ? Cidr.tryParse(cidrText) : undefined;
      const name = this.name(res.key);
      if (ruleNumber === undefined || Number.isNaN(protocol) || typeof action !== 'string' || cidr === undefined || typeof cidr === 'string') {
        acl.unknownEntries.push(name);
        continue;
      }
      let fromPort = 0;
      let toPort = 65535;
      if (hasPorts(protocol)) {
        const range = res.prop('PortRange') as { [k: string]: Value } | undefined;
        const from = numberOf(range?.From);
        const to = numberOf(range?.To);
        if (from !== undefined && to !== undefined) { fromPort = from; toPort = to; }
      } else if (isIcmp(protocol)) {
        const icmp = res.prop('Icmp') as { [k: string]: Value } | undefined;
        const type = numberOf(icmp?.Type);
        if (type !== undefined && type !== -1) { fromPort = type; toPort = type; } else { fromPort = 0; toPort = 255; }
      }
      const egress = egressValue === true || egressValue === 'true';
      const allow = action.toLowerCase() === 'allow';
      const traffic: Traffic = { protocol, protocolName: protocolNameOf(protocol), fromPort, toPort };
      acl.entries.push({
        ruleNumber, egress, allow, protocol, cidr, fromPort, toPort,
        text: `${egress ? 'outbound' : 'inbound'} rule ${ruleNumber} of ${acl.name} (${allow ? 'allow' : 'deny'} ${describeTraffic(traffic)} ${egress ? 'to' : 'from'} ${cidr})`,
      });
    }
    for (const acl of byKey.values()) { acl.entries.sort((a, b) => a.ruleNumber - b.ruleNumber); }
    for (const res of this.graph.raw.of('AWS::EC2::SubnetNetworkAclAssociation')) {
      const subnet = res.prop('SubnetId');
      const aclRef = res.prop('NetworkAclId');
      const acl = aclRef instanceof ResourceRef ? byKey.get(aclRef.key) : undefined;
      if (subnet instanceof ResourceRef && acl) { this.acls.set(subnet.key, acl); }
    }
  }

  private subnetsOf(values: Value[], unknown: string[], what: string): GSubnet[] {
    const subnets: GSubnet[] = [];
    for (const value of values) {
      const subnet = value instanceof ResourceRef ? this.graph.subnets.get(value.key) : typeof value === 'string' ? this.graph.subnets.get(value) : undefined;
      if (subnet) { subnets.push(subnet); } else { unknown.push(`subnet ${describeValue(value)} of ${what} is not defined in the templates`); }
    }
    return subnets;
  }

  private groupsOf(values: Value[], unknown: string[], what: string): GGroup[] {
    const groups: GGroup[] = [];
    for (const value of values) {
      const group = this.groupOf(value);
      if (!group) { continue; }
      if (group.external) { unknown.push(`security group ${group.name} of ${what} is not defined in the templates: its rules are not known`); }
      groups.push(group);
    }
    return groups;
  }

  private readWorkload(res: RawResource): void {
    const name = this.name(res.key);
    const unknown: string[] = [];
    let subnetValues: Value[] = [];
    let groupValues: Value[] = [];
    const field = (value: Value, prop: string): Value => (isRecord(value) ? value[prop] : undefined);
    switch (res.type) {
      case 'AWS::EC2::Instance': {
        const interfaces = asList(res.prop('NetworkInterfaces'));
        subnetValues = res.props.SubnetId !== undefined ? [res.prop('SubnetId')] : interfaces.map((i) => field(i, 'SubnetId')).filter((v) => v !== undefined);
        groupValues = [...asList(res.prop('SecurityGroupIds')), ...asList(res.prop('SecurityGroups')), ...interfaces.flatMap((i) => asList(field(i, 'GroupSet')))];
        if (groupValues.length === 0) { groupValues = this.launchTemplateGroups(res.prop('LaunchTemplate')); }
        break;
      }
      case 'AWS::AutoScaling::AutoScalingGroup':
        subnetValues = asList(res.prop('VPCZoneIdentifier'));
        groupValues = this.launchTemplateGroups(res.prop('LaunchTemplate'));
        break;
      case 'AWS::ECS::Service': {
        const config = field(res.prop('NetworkConfiguration'), 'AwsvpcConfiguration');
        if (!isRecord(config)) { return; }
        subnetValues = asList(field(config, 'Subnets'));
        groupValues = asList(field(config, 'SecurityGroups'));
        break;
      }
      case 'AWS::Lambda::Function': {
        const config = res.prop('VpcConfig');
        if (!isRecord(config)) { return; }
        subnetValues = asList(config.SubnetIds);
        groupValues = asList(config.SecurityGroupIds);
        break;
      }
      case 'AWS::RDS::DBInstance':
      case 'AWS::RDS::DBCluster': {
        if (res.type === 'AWS::RDS::DBInstance' && res.props.DBClusterIdentifier !== undefined) { return; }
        groupValues = asList(res.prop(res.type === 'AWS::RDS::DBInstance' ? 'VPCSecurityGroups' : 'VpcSecurityGroupIds'));
        const subnetGroup = res.prop('DBSubnetGroupName');
        const group = subnetGroup instanceof ResourceRef ? this.graph.raw.of('AWS::RDS::DBSubnetGroup').find((g) => g.key === subnetGroup.key) : undefined;
        if (!group) {
          unknown.push(`the subnets of ${name} (DB subnet group ${describeValue(subnetGroup)}) are not known from the templates`);
        } else {
          subnetValues = asList(group.prop('SubnetIds'));
        }
        break;
      }
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
        subnetValues = [...asList(res.prop('Subnets')), ...asList(res.prop('SubnetMappings')).map((m) => field(m, 'SubnetId'))];
        groupValues = asList(res.prop('SecurityGroups'));
        break;
      case 'AWS::EC2::NetworkInterface':
        subnetValues = [res.prop('SubnetId')];
        groupValues = asList(res.prop('GroupSet'));
        break;
    }
    const subnets = this.subnetsOf(subnetValues, unknown, name);
    let groups = this.groupsOf(groupValues, unknown, name);
    if (groups.length === 0 && groupValues.length === 0 && subnets.length > 0 && res.type !== 'AWS::ElasticLoadBalancingV2::LoadBalancer') {
      // No group given: the VPC's default security group.
      groups = [this.defaultGroup(subnets[0].vpc)];
    }
    this.addWorkload({ key: res.key, name, type: res.type, subnets, groups, unknown });
  }

  private launchTemplateGroups(value: Value): Value[] {
    const id = isRecord(value) ? value.LaunchTemplateId ?? value.LaunchTemplateName : undefined;
    const template = id instanceof ResourceRef ? this.graph.raw.of('AWS::EC2::LaunchTemplate').find((t) => t.key === id.key) : undefined;
    if (!template) { return []; }
    const data = template.prop('LaunchTemplateData');
    if (!isRecord(data)) { return []; }
    return [...asList(data.SecurityGroupIds), ...asList(data.SecurityGroups), ...asList(data.NetworkInterfaces).flatMap((i) => asList(isRecord(i) ? i.Groups : undefined))];
  }

  private addWorkload(workload: GWorkload): void {
    this.workloads.set(workload.key, workload);
    this.workloadsByName.set(workload.key, workload);
    this.workloadsByName.set(workload.name, workload);
  }

  private readEndpoints(): void {
    for (const endpoint of this.graph.endpoints) {
      if (endpoint.type !== 'Interface') { continue; }
      const res = this.graph.raw.of('AWS::EC2::VPCEndpoint').find((r) => r.key === endpoint.key);
      if (!res) { continue; }
      const unknown: string[] = [];
      const subnets = this.subnetsOf(asList(res.prop('SubnetIds')), unknown, endpoint.name);
      const groupValues = asList(res.prop('SecurityGroupIds'));
      let groups = this.groupsOf(groupValues, unknown, endpoint.name);
      if (groupValues.length === 0) { groups = [this.defaultGroup(endpoint.vpc)]; }
      const workload: GWorkload = { key: res.key, name: endpoint.name, type: res.type, subnets, groups, unknown };
      this.addWorkload(workload);
      const dns = res.prop('PrivateDnsEnabled');
      // CloudFormation's default for PrivateDnsEnabled is false (AWS::EC2::VPCEndpoint); aws-cdk-lib always writes it.
      const privateDns = dns === undefined ? false : dns === true || dns === 'true' ? true : dns === false || dns === 'false' ? false : undefined;
      this.interfaceEndpoints.push({ key: res.key, name: endpoint.name, vpc: endpoint.vpc, service: serviceOf(endpoint.service), privateDns, workload });
    }
  }

  /** Private hosted zones named after a service (`sns.us-east-1.amazonaws.com`) with records that alias an interface endpoint. */
  /**
   * Route 53 Profiles: the zones of a profile of the templates (`ProfileResourceAssociation`)
   * answer in the VPCs associated with it; a VPC associated with a profile not in the templates
   * (shared from another account) may resolve names the model does not know.
   */
  private readProfiles(): void {
    const zonesOfProfile = new Map<string, GServiceZone[]>();
    for (const res of this.graph.raw.of('AWS::Route53Profiles::ProfileResourceAssociation')) {
      const profile = res.prop('ProfileId');
      const zoneKey = resourceReferenced(res.props.ResourceArn, res.stack);
      const zone = this.zones.find((z) => z.key === zoneKey);
      if (profile instanceof ResourceRef && zone) { zonesOfProfile.set(profile.key, [...zonesOfProfile.get(profile.key) ?? [], zone]); }
    }
    for (const res of this.graph.raw.of('AWS::Route53Profiles::ProfileAssociation')) {
      const id = res.prop('ResourceId');
      const vpc = id instanceof ResourceRef ? this.graph.vpcByKey.get(id.key) : typeof id === 'string' ? this.graph.vpcByKey.get(id) : undefined;
      if (!vpc) { continue; }
      const profile = res.prop('ProfileId');
      const known = profile instanceof ResourceRef && this.graph.raw.typeOf(profile.key) === 'AWS::Route53Profiles::Profile';
      if (!known) {
        this.unknownProfiles.set(vpc, this.name(res.key));
        continue;
      }
      for (const zone of zonesOfProfile.get((profile as ResourceRef).key) ?? []) {
        if (!zone.vpcs.includes(vpc)) { zone.vpcs.push(vpc); }
      }
    }
  }

  private readZones(): void {
    const records = this.graph.raw.of('AWS::Route53::RecordSet');
    for (const res of this.graph.raw.of('AWS::Route53::HostedZone')) {
      const nameValue = res.prop('Name');
      // The name may hold the stack's region as a deploy-time value: `sns.${AWS::Region}.amazonaws.com`.
      const nameText = typeof nameValue === 'string' ? nameValue : nameValue instanceof Unknown ? nameValue.text : undefined;
      if (nameText === undefined) { continue; }
      const zoneName = nameText.replace(/\.$/, '').toLowerCase();
      const match = /^([a-z0-9.-]+?)\.([a-z0-9-]+|\$\{[^}]*\})\.(amazonaws\.com|\$\{aws::urlsuffix\})$/.exec(zoneName);
      if (!match) { continue; }
      const vpcs: GVpc[] = [];
      for (const item of asList(res.prop('VPCs'))) {
        const id = isRecord(item) ? item.VPCId : undefined;
        const vpc = id instanceof ResourceRef ? this.graph.vpcByKey.get(id.key) : typeof id === 'string' ? this.graph.vpcByKey.get(id) : undefined;
        if (vpc) { vpcs.push(vpc); }
      }
      if (vpcs.length === 0) { continue; }
      let endpoint: GInterfaceEndpoint | undefined;
      for (const record of records) {
        const zone = record.prop('HostedZoneId');
        if (!(zone instanceof ResourceRef) || zone.key !== res.key) { continue; }
        const target = endpointReferenced(record.props.AliasTarget, record.stack);
        endpoint = this.interfaceEndpoints.find((e) => e.key === target) ?? endpoint;
      }
      // A service's DNS name reads its name's parts backwards when it has several (`api.ecr` for `ecr.api`).
      this.zones.push({ key: res.key, name: `${this.name(res.key)} (${nameText.replace(/\.$/, '')})`, service: match[1].split('.').reverse().join('.'), vpcs, endpoint });
    }
  }
}

/** The key of the endpoint whose attribute (`DnsEntries`) a record's raw alias target reads. */
function endpointReferenced(raw: unknown, stack: string): string | undefined {
  return resourceReferenced(raw, stack);
}

/** The key of the first resource a raw value references (`Ref` or `Fn::GetAtt`), in its stack. */
function resourceReferenced(raw: unknown, stack: string): string | undefined {
  if (raw === null || typeof raw !== 'object') { return undefined; }
  if (Array.isArray(raw)) {
    for (const item of raw) { const found = resourceReferenced(item, stack); if (found) { return found; } }
    return undefined;
  }
  const record = raw as { [k: string]: unknown };
  const getAtt = record['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') { return `${stack}/${getAtt[0]}`; }
  if (typeof getAtt === 'string') { return `${stack}/${getAtt.split('.')[0]}`; }
  if (typeof record.Ref === 'string' && !record.Ref.startsWith('AWS::')) { return `${stack}/${record.Ref}`; }
  for (const value of Object.values(record)) { const found = resourceReferenced(value, stack); if (found) { return found; } }
  return undefined;
}

/** `sns` for `com.amazonaws.us-east-1.sns`, `com.amazonaws.${AWS::Region}.sns` or `sns`. */
export function serviceOf(service: string): string {
  const parts = service.split('.');
  if (parts.length >= 4 && parts[0] === 'com' && parts[1] === 'amazonaws') { return parts.slice(3).join('.'); }
  return service;
}

function protocolNameOf(protocol: number): string {
  return ({ 6: 'tcp', 17: 'udp', 1: 'icmp', 58: 'icmpv6', [-1]: 'all' } as { [n: number]: string })[protocol] ?? String(protocol);
}

function numberOf(value: Value): number | undefined {
  if (typeof value === 'number') { return value; }
  if (typeof value === 'string' && /^-?\d+$/.test(value)) { return Number(value); }
  return undefined;
}

function asList(value: Value): Value[] {
  if (Array.isArray(value)) { return value; }
  if (value === undefined || value === null) { return []; }
  return [value];
}

function isRecord(value: Value): value is { [k: string]: Value } {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof ResourceRef) && !(value instanceof Unknown);
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** A verdict: admitted, refused (with the reason), or not known (with what is unknown). */
export type Verdict =
  | { readonly kind: 'yes'; readonly by: string }
  | { readonly kind: 'no'; readonly reason: string }
  | { readonly kind: 'maybe'; readonly reason: string };

/** One end of the traffic, as the filters see it. */
export interface End {
  /** Its addresses (a subnet's block, an address), undefined when not known. */
  readonly prefix?: Cidr;
  readonly vpc?: GVpc;
  readonly subnet?: GSubnet;
  /** Its security groups; undefined when it has none the model knows of (a subnet, a VPC, an address). */
  readonly groups?: GGroup[];
  /** How it reads in a reason. */
  readonly label: string;
}

function covers(rule: { protocol: number; fromPort: number; toPort: number }, traffic: Traffic): boolean | undefined {
  if (Number.isNaN(rule.protocol)) { return undefined; }
  if (rule.protocol !== -1 && rule.protocol !== traffic.protocol) { return false; }
  if (rule.protocol === -1 || (!hasPorts(traffic.protocol) && !isIcmp(traffic.protocol))) { return true; }
  return rule.fromPort <= traffic.fromPort && traffic.toPort <= rule.toPort;
}

/** Whether the peer of a rule is the other end: its addresses, or one of its groups (same VPC, or peered VPCs). */
function peerMatches(graph: Graph, peer: Peer, self: End, other: End): boolean | string {
  switch (peer.kind) {
    case 'cidr': {
      if (!other.prefix) { return `the addresses of ${other.label} are not known`; }
      if (peer.cidr.version !== other.prefix.version) { return false; }
      if (peer.cidr.contains(other.prefix)) { return true; }
      return peer.cidr.overlaps(other.prefix) ? `${peer.cidr} holds only part of ${other.prefix} (${other.label})` : false;
    }
    case 'group': {
      if (!other.groups?.some((g) => g.key === peer.key)) { return false; }
      if (!self.vpc || !other.vpc || self.vpc === other.vpc) { return true; }
      // A rule naming a group of a peered VPC admits its members in the same region only; across a
      // transit gateway it does not (Amazon VPC Peering Guide, "Update your security groups to
      // reference peer security groups").
      const regions = securityOf(graph).regions;
      const a = regions.get(self.vpc);
      const b = regions.get(other.vpc);
      if (a !== undefined && b !== undefined && a !== b) { return false; }
      return [...graph.peerings.values()].some((p) => (p.requester === self.vpc && p.accepter === other.vpc) || (p.accepter === self.vpc && p.requester === other.vpc));
    }
    case 'unknown':
      return `${peer.text} is known only at deploy time`;
  }
}

/** Whether the groups of `self` admit `traffic` in (from `other`) or out (to `other`). */
export function groupsAdmit(graph: Graph, self: End, other: End, traffic: Traffic, direction: 'in' | 'out'): Verdict {
  const groups = self.groups ?? [];
  const unknowns: string[] = [];
  for (const group of groups) {
    if (group.external) { unknowns.push(`the rules of security group ${group.name} are not known from the templates`); continue; }
    for (const rule of direction === 'in' ? group.ingress : group.egress) {
      const protocolOk = covers(rule, traffic);
      if (protocolOk === false) { continue; }
      const peerOk = peerMatches(graph, rule.peer, self, other);
      if (peerOk === false) { continue; }
      if (protocolOk === true && peerOk === true) { return { kind: 'yes', by: rule.text }; }
      unknowns.push(typeof peerOk === 'string' ? `${rule.text}: ${peerOk}` : `${rule.text}: its protocol is not known`);
    }
  }
  if (unknowns.length > 0) { return { kind: 'maybe', reason: unique(unknowns).join('; ') }; }
  const names = groups.map((g) => g.name).join(', ');
  return {
    kind: 'no',
    reason: direction === 'in'
      ? `No ingress rule of the security group${groups.length === 1 ? '' : 's'} ${names} of ${self.label} admits ${describeTraffic(traffic)} from ${other.label}${other.prefix ? ` (${other.prefix})` : ''}.`
      : `No egress rule of the security group${groups.length === 1 ? '' : 's'} ${names} of ${self.label} admits ${describeTraffic(traffic)} to ${other.label}${other.prefix ? ` (${other.prefix})` : ''}.`,
  };
}

/**
 * Whether the ACL of `subnet` lets `traffic` cross it (`egress`: out of the subnet toward
 * `peer`, else in from `peer`), over every port of the traffic's range.
 */
export function aclAdmits(security: Security, subnet: GSubnet | undefined, egress: boolean, traffic: Traffic, peer: Cidr | undefined, peerLabel: string): Verdict {
  const acl = subnet ? security.acls.get(subnet.key) : undefined;
  if (!acl) { return { kind: 'yes', by: 'the default network ACL' }; }
  const way = egress ? 'outbound' : 'inbound';
  let undecided: Array<[number, number]> = [[traffic.fromPort, traffic.toPort]];
  const allowed: Array<[number, number]> = [];
  let denier: AclEntry | undefined;
  const unsure: string[] = acl.unknownEntries.length > 0 ? [`entries of ${acl.name} are not known from the templates (${acl.unknownEntries.join(', ')})`] : [];
  for (const entry of acl.entries) {
    if (entry.egress !== egress || undecided.length === 0) { continue; }
    if (entry.protocol !== -1 && entry.protocol !== traffic.protocol) { continue; }
    if (!peer) { unsure.push(`the addresses of ${peerLabel} are not known`); break; }
    if (!entry.cidr || entry.cidr.version !== peer.version || !entry.cidr.overlaps(peer)) { continue; }
    if (!entry.cidr.contains(peer)) { unsure.push(`${entry.text} applies to part of ${peer} only`); continue; }
    const range: [number, number] = entry.protocol === -1 || (!hasPorts(traffic.protocol) && !isIcmp(traffic.protocol)) ? [0, 65535] : [entry.fromPort, entry.toPort];
    const next: Array<[number, number]> = [];
    for (const [from, to] of undecided) {
      const lo = Math.max(from, range[0]);
      const hi = Math.min(to, range[1]);
      if (lo > hi) { next.push([from, to]); continue; }
      if (entry.allow) { allowed.push([lo, hi]); } else { denier ??= entry; }
      if (from < lo) { next.push([from, lo - 1]); }
      if (hi < to) { next.push([hi + 1, to]); }
    }
    undecided = next;
  }
  const total = traffic.toPort - traffic.fromPort + 1;
  const allowedCount = allowed.reduce((n, [a, b]) => n + b - a + 1, 0);
  if (unsure.length > 0 && allowedCount < total) { return { kind: 'maybe', reason: unique(unsure).join('; ') }; }
  if (allowedCount === total) { return { kind: 'yes', by: `${way} rules of ${acl.name}` }; }
  const by = denier ? denier.text : `the final deny-all ${way} rule (*) of ${acl.name}`;
  if (allowedCount === 0) {
    const whom = peer && peerLabel !== peer.toString() ? `${peerLabel} (${peer})` : peerLabel;
    return { kind: 'no', reason: `The network ACL ${acl.name} of subnet ${subnet!.name} denies ${describeTraffic(traffic)} ${egress ? 'to' : 'from'} ${whom}: ${by}.` };
  }
  const ranges = allowed.sort((a, b) => a[0] - b[0]).map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(', ');
  return {
    kind: 'maybe',
    reason: `the network ACL ${acl.name} of subnet ${subnet!.name} allows ${describeTraffic(traffic)} ${egress ? 'to' : 'from'} ${peerLabel} only on ${ranges} (${by} denies the rest): it depends on the port the client picks`,
  };
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

/**
 * The traffic of `ReachOptions`: TCP unless a protocol is given; the port given, else 443 toward
 * a service, else every port (for ICMP: type 8, echo request).
 *
 * @throws when the port is not an integer from 0 to 65535
 */
export function trafficOf(options: { readonly port?: number; readonly protocol?: string }, service: boolean): Traffic {
  const name = options.protocol ?? 'tcp';
  const protocol = protocolNumber(name);
  if (Number.isNaN(protocol)) {
    throw new Error(`canReach: protocol '${name}' is not an IP protocol; use ec2.Protocol (for example Protocol.TCP, Protocol.ICMP).`);
  }
  const port = options.port;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new Error(`canReach: port ${port} is not a port number; give an integer from 0 to 65535 (for ICMP: the ICMP type, for example 8 for ping).`);
  }
  const protocolName = protocolNameOf(protocol);
  if (isIcmp(protocol)) {
    const type = port ?? (protocol === 1 ? 8 : 128);
    return { protocol, protocolName, fromPort: type, toPort: type };
  }
  if (!hasPorts(protocol)) { return { protocol, protocolName, fromPort: 0, toPort: 65535 }; }
  const chosen = port ?? (service ? 443 : undefined);
  return chosen === undefined ? { protocol, protocolName, fromPort: 0, toPort: 65535 } : { protocol, protocolName, fromPort: chosen, toPort: chosen };
}
