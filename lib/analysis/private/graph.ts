/**
 * The network graph read from the templates: VPCs, subnets, route tables, routes, peerings,
 * transit gateways and endpoints, with every CIDR parsed once and routes indexed by table.
 */
import { Cidr, IpVersion } from '../../cidr';
import { FindingResource, TargetKind } from '../types';
import { NESTED_STACK_TYPE, ResourceRef, StackTemplate, TemplateResolver, Unknown, Value } from './templates';

/** A VPC of the graph. */
export interface GVpc {
  readonly key: string;
  name: string;
  readonly stack: string;
  /** The blocks known from the templates. */
  readonly blocks: Cidr[];
  /** Blocks not known, with the reason. */
  readonly unknownBlocks: string[];
  /** The IP versions of the unknown blocks. */
  readonly unknownVersions: Set<IpVersion>;
  /** Not defined in the templates (referenced by a literal id or a deploy-time value). */
  readonly external: boolean;
  /** For an external VPC: blocks inferred from the routes that target it (never certain). */
  readonly inferredBlocks: Cidr[];
  readonly subnets: GSubnet[];
  readonly tables: GTable[];
  /** The VPC's main route table: implicit (only the local routes) in CloudFormation. */
  readonly mainTable: GTable;
  /** The internet gateways attached to it. */
  readonly internetGateways: string[];
  readonly resourceKeys: string[];
}

/** A subnet of the graph. */
export interface GSubnet {
  readonly key: string;
  readonly name: string;
  readonly vpc: GVpc;
  readonly cidr?: Cidr;
  readonly ipv6?: Cidr;
  /** Its route table: the explicit association, else the VPC's main table. */
  table: GTable;
  explicitTable: boolean;
  /** When the association names a table that cannot be resolved. */
  unknownTable?: string;
  /** Its availability zone, when the template says it (undefined: chosen at deploy time, or not known). */
  readonly az?: GAz;
}

/**
 * An availability zone as a template gives it: a name (`us-east-1a`), the index of an
 * `Fn::Select` over `Fn::GetAZs` (as aws-cdk-lib writes for an environment-agnostic stack), or
 * an AZ id (`use1-az1`). Only zones of the same kind compare.
 */
export interface GAz {
  readonly kind: 'name' | 'index' | 'id';
  readonly value: string;
  /** In words, for reasons. */
  readonly text: string;
}

/** A route destination. */
export type GDestination =
  | { readonly kind: 'cidr'; readonly cidr: Cidr; readonly text: string }
  | { readonly kind: 'prefix-list'; readonly service: string; readonly text: string }
  | { readonly kind: 'unknown'; readonly reason: string; readonly text: string; readonly version: IpVersion };

/** A route of a VPC route table. */
export interface GRoute {
  readonly name: string;
  readonly table: GTable;
  readonly destination: GDestination;
  readonly target: TargetKind;
  /** The key of the target resource (or the literal id, or `local`). */
  readonly targetKey: string;
  /** How to name the target. */
  readonly via: string;
  /** Made by a custom resource of the library (cross-account accepter routes). */
  readonly custom?: boolean;
  /** Counted against the routes-per-table quota. */
  readonly counted: boolean;
  readonly constructs: string[];
  /** The key of the template resource that makes the route (the route, the custom resource, the endpoint). */
  readonly resourceKey?: string;
}

/** A VPC route table of the graph. */
export interface GTable {
  readonly key: string;
  readonly name: string;
  /** Its VPC; undefined when not known (a table of another account referenced by id). */
  vpc?: GVpc;
  readonly routes: GRoute[];
  /** The VPC's implicit main table. */
  readonly implicitMain: boolean;
  /** Not defined in the templates: other routes it holds are not known. */
  readonly external: boolean;
  /** Routes sorted for longest-prefix match (built lazily). */
  sorted?: GRoute[];
}

/** A peering connection. */
export interface GPeering {
  readonly key: string;
  readonly name: string;
  readonly requester: GVpc;
  readonly accepter: GVpc;
}

/** A transit gateway attachment. */
export interface GAttachment {
  readonly key: string;
  readonly name: string;
  readonly tgw: GTgw;
  readonly vpc: GVpc;
  readonly subnets: GSubnet[];
  /** Whether every subnet of the attachment is a subnet of the templates (else `subnets` holds only those). */
  readonly allSubnetsKnown: boolean;
  /**
   * `Options.Ipv6Support` of the attachment: without it (the default) the attachment neither
   * propagates IPv6 blocks nor carries IPv6 traffic. Undefined when known only at deploy time.
   */
  readonly ipv6Support: boolean | undefined;
}

/** A transit gateway route. */
export interface GTgwRoute {
  readonly name: string;
  readonly destination: Cidr;
  readonly attachment?: GAttachment;
  readonly blackhole: boolean;
  readonly propagated: boolean;
}

/** A transit gateway route table. */
export interface GTgwTable {
  readonly key: string;
  readonly name: string;
  readonly tgw: GTgw;
  readonly staticRoutes: GTgwRoute[];
  readonly propagations: GAttachment[];
  /** Static routes whose destination or attachment is not known. */
  readonly unknownRoutes: string[];
  /** All routes, sorted for longest-prefix match (built lazily). */
  sorted?: GTgwRoute[];
}

/** A transit gateway. */
export interface GTgw {
  readonly key: string;
  readonly name: string;
  readonly external: boolean;
  readonly defaultAssociation: boolean;
  readonly defaultPropagation: boolean;
  readonly attachments: GAttachment[];
  readonly tables: GTgwTable[];
  defaultTable?: GTgwTable;
  readonly associations: Map<GAttachment, GTgwTable>;
}

/** A VPC endpoint. */
export interface GEndpoint {
  readonly key: string;
  readonly name: string;
  readonly vpc: GVpc;
  readonly service: string;
  readonly type: 'Gateway' | 'Interface';
}

/** A NAT gateway or NAT instance. */
export interface GNat {
  readonly key: string;
  readonly name: string;
  readonly subnet?: GSubnet;
  readonly private: boolean;
}

/** Something the templates do not reveal. */
export interface GUnknown {
  readonly message: string;
  readonly constructs: string[];
  /** The keys of the template resources involved. */
  readonly resourceKeys: string[];
  /** How to have it modelled, when there is a way. */
  readonly fix?: string;
}

/** The whole graph. */
export interface Graph {
  readonly vpcs: GVpc[];
  readonly vpcByKey: Map<string, GVpc>;
  readonly subnets: Map<string, GSubnet>;
  readonly tables: Map<string, GTable>;
  readonly peerings: Map<string, GPeering>;
  readonly tgws: Map<string, GTgw>;
  readonly endpoints: GEndpoint[];
  readonly nats: Map<string, GNat>;
  readonly unknowns: GUnknown[];
  /** Resource key → name. */
  readonly names: Map<string, string>;
  /** Every route, in template order. */
  readonly routes: GRoute[];
  /** Resource key → the template resource (stack and logical id). */
  readonly resources: Map<string, FindingResource>;
}

const RT = {
  VPC: 'AWS::EC2::VPC',
  CIDR: 'AWS::EC2::VPCCidrBlock',
  SUBNET: 'AWS::EC2::Subnet',
  TABLE: 'AWS::EC2::RouteTable',
  ASSOC: 'AWS::EC2::SubnetRouteTableAssociation',
  ROUTE: 'AWS::EC2::Route',
  PCX: 'AWS::EC2::VPCPeeringConnection',
  IGW_ATTACH: 'AWS::EC2::VPCGatewayAttachment',
  IGW: 'AWS::EC2::InternetGateway',
  EIGW: 'AWS::EC2::EgressOnlyInternetGateway',
  NAT: 'AWS::EC2::NatGateway',
  INSTANCE: 'AWS::EC2::Instance',
  ENDPOINT: 'AWS::EC2::VPCEndpoint',
  TGW: 'AWS::EC2::TransitGateway',
  TGW_ATTACH: 'AWS::EC2::TransitGatewayAttachment',
  TGW_VPC_ATTACH: 'AWS::EC2::TransitGatewayVpcAttachment',
  TGW_RT: 'AWS::EC2::TransitGatewayRouteTable',
  TGW_ASSOC: 'AWS::EC2::TransitGatewayRouteTableAssociation',
  TGW_PROP: 'AWS::EC2::TransitGatewayRouteTablePropagation',
  TGW_ROUTE: 'AWS::EC2::TransitGatewayRoute',
  PEERING_ROUTES: 'Custom::VpcConnectPeeringRoutes',
};

interface Res { readonly stack: StackTemplate; readonly logicalId: string; readonly type: string; readonly props: Record<string, unknown>; readonly key: string }

/** Build the graph of `stacks`. */
export function buildGraph(resolver: TemplateResolver): Graph {
  return new GraphBuilder(resolver).build();
}

class GraphBuilder {
  private readonly byType = new Map<string, Res[]>();
  private readonly names = new Map<string, string>();
  private readonly vpcByKey = new Map<string, GVpc>();
  private readonly subnets = new Map<string, GSubnet>();
  private readonly tables = new Map<string, GTable>();
  private readonly peerings = new Map<string, GPeering>();
  private readonly tgws = new Map<string, GTgw>();
  private readonly attachments = new Map<string, GAttachment>();
  private readonly tgwTables = new Map<string, GTgwTable>();
  private readonly nats = new Map<string, GNat>();
  private readonly endpoints: GEndpoint[] = [];
  private readonly unknowns: GUnknown[] = [];
  private readonly routes: GRoute[] = [];
  private readonly typeOfKey = new Map<string, string>();
  private readonly resources = new Map<string, FindingResource>();

  constructor(private readonly resolver: TemplateResolver) {
    for (const stack of resolver.all) {
      for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
        if (!resource || typeof resource.Type !== 'string') {
          throw new Error(`Stack ${stack.name}, resource ${logicalId}: no Type; is this a CloudFormation template?`);
        }
        const key = `${stack.name}/${logicalId}`;
        const res: Res = { stack, logicalId, type: resource.Type, props: resource.Properties ?? {}, key };
        this.typeOfKey.set(key, resource.Type);
        this.resources.set(key, { stack: stack.name, logicalId });
        this.names.set(key, nameOf(stack, logicalId, resource.Metadata, resource.Type));
        const list = this.byType.get(resource.Type) ?? [];
        list.push(res);
        this.byType.set(resource.Type, list);
        if (resource.Type === NESTED_STACK_TYPE && !resolver.nestedStack(new ResourceRef(stack.name, logicalId))) {
          const name = this.names.get(key)!.replace(/\.NestedStack\/[^/]+\.NestedStackResource$/, '');
          this.unknowns.push({
            message: `Nested stack ${name}${name === key ? '' : ` (${key})`} is not modelled: its template is not among the templates read, ` +
              'so the VPCs, subnets, routes and peerings it defines are missing from the model and from its findings.',
            constructs: [name], resourceKeys: [key],
            fix: 'Model the cloud assembly with NetworkModel.fromApp or NetworkModel.fromAssembly (cdk.out): they read the templates ' +
              'of nested stacks from the assembly directory.',
          });
        }
      }
    }
  }

  public build(): Graph {
    this.readVpcs();
    this.readSubnetsAndTables();
    this.readPeerings();
    this.readTransitGateways();
    this.readNatsAndGateways();
    this.readRoutes();
    this.readEndpoints();
    this.readTgwRouting();
    this.inferExternalBlocks();
    return {
      vpcs: [...this.vpcByKey.values()],
      vpcByKey: this.vpcByKey,
      subnets: this.subnets,
      tables: this.tables,
      peerings: this.peerings,
      tgws: this.tgws,
      endpoints: this.endpoints,
      nats: this.nats,
      unknowns: this.unknowns,
      names: this.names,
      routes: this.routes,
      resources: this.resources,
    };
  }

  private of(type: string): Res[] {
    return this.byType.get(type) ?? [];
  }

  private prop(res: Res, name: string): Value {
    return this.resolver.resolve(res.stack, res.logicalId, name, res.props[name]);
  }

  private name(key: string): string {
    return this.names.get(key) ?? key;
  }

  private readVpcs(): void {
    for (const res of this.of(RT.VPC)) {
      const vpc = this.newVpc(res.key, this.name(res.key), res.stack.name, false);
      vpc.resourceKeys.push(res.key);
      const cidr = this.prop(res, 'CidrBlock');
      this.addBlock(vpc, cidr, res.props.Ipv4IpamPoolId !== undefined ? 'it is allocated from an IPAM pool' : 'the VPC has no CidrBlock', IpVersion.IPV4);
    }
    for (const res of this.of(RT.CIDR)) {
      const vpc = this.vpcOf(this.prop(res, 'VpcId'), res);
      if (!vpc) { continue; }
      vpc.resourceKeys.push(res.key);
      if (res.props.CidrBlock !== undefined) {
        this.addBlock(vpc, this.prop(res, 'CidrBlock'), 'deploy-time', IpVersion.IPV4);
      } else if (res.props.Ipv6CidrBlock !== undefined) {
        this.addBlock(vpc, this.prop(res, 'Ipv6CidrBlock'), 'deploy-time', IpVersion.IPV6);
      } else if (res.props.AmazonProvidedIpv6CidrBlock) {
        vpc.unknownBlocks.push(`an Amazon-provided IPv6 block (${this.name(res.key)}), assigned at deploy time`);
        vpc.unknownVersions.add(IpVersion.IPV6);
      } else {
        vpc.unknownBlocks.push(`a block of ${this.name(res.key)} allocated from an IPAM pool at deploy time`);
        vpc.unknownVersions.add(res.props.Ipv6IpamPoolId !== undefined ? IpVersion.IPV6 : IpVersion.IPV4);
      }
    }
  }

  private addBlock(vpc: GVpc, value: Value, missing: string, version: IpVersion): void {
    if (typeof value !== 'string') { vpc.unknownVersions.add(version); }
    if (typeof value === 'string') {
      const parsed = Cidr.tryParse(value);
      if (typeof parsed === 'string') {
        throw new Error(`VPC ${vpc.name}: ${parsed}.`);
      }
      vpc.blocks.push(parsed);
    } else if (value instanceof Unknown) {
      vpc.unknownBlocks.push(`a CIDR block (${value.text}): ${value.reason}`);
    } else if (value === undefined) {
      vpc.unknownBlocks.push(`a CIDR block: ${missing}`);
    } else {
      vpc.unknownBlocks.push('a CIDR block known only at deploy time');
    }
  }

  private newVpc(key: string, name: string, stack: string, external: boolean): GVpc {
    const vpc: GVpc = {
      key, name, stack, blocks: [], unknownBlocks: [], unknownVersions: new Set(), external, inferredBlocks: [], subnets: [], tables: [],
      internetGateways: [], resourceKeys: [],
      mainTable: undefined as unknown as GTable,
    };
    (vpc as { mainTable: GTable }).mainTable = {
      key: `${key}#main`, name: `${name} (main route table)`, vpc, routes: [], implicitMain: true, external,
    };
    this.vpcByKey.set(key, vpc);
    return vpc;
  }

  /** The VPC a VpcId value designates: one of the templates, or an external one named by its id. */
  private vpcOf(value: Value, res: Res, what = 'VpcId'): GVpc | undefined {
    if (value instanceof ResourceRef) {
      const vpc = this.vpcByKey.get(value.key);
      if (vpc) { return vpc; }
      throw new Error(`Stack ${res.stack.name}, resource ${res.logicalId} (${res.type}): ${what} refers to ${value.logicalId}, which is not a VPC (${this.typeOfKey.get(value.key)}).`);
    }
    if (typeof value === 'string') {
      const existing = this.vpcByKey.get(value);
      if (existing) { return existing; }
      const vpc = this.newVpc(value, value, res.stack.name, true);
      vpc.unknownBlocks.push(`VPC ${value} is not defined in the templates: its CIDR blocks, subnets and route tables are not known`);
      vpc.unknownVersions.add(IpVersion.IPV4).add(IpVersion.IPV6);
      this.unknowns.push({
        message: `VPC ${value} (referenced by ${this.name(res.key)}) is not defined in the templates: its CIDR blocks, subnets and route tables are not known.`,
        constructs: [this.name(res.key)], resourceKeys: [res.key],
      });
      return vpc;
    }
    if (value instanceof Unknown) {
      const key = `unknown:${value.text}`;
      const existing = this.vpcByKey.get(key);
      if (existing) { return existing; }
      const vpc = this.newVpc(key, `(VPC ${value.text})`, res.stack.name, true);
      vpc.unknownBlocks.push(`the VPC id is not known from the templates: ${value.reason}`);
      vpc.unknownVersions.add(IpVersion.IPV4).add(IpVersion.IPV6);
      this.unknowns.push({
        message: `${this.name(res.key)} refers to a VPC whose id is not known from the templates (${value.text}): ${value.reason}.`,
        constructs: [this.name(res.key)], resourceKeys: [res.key],
      });
      return vpc;
    }
    return undefined;
  }

  private readSubnetsAndTables(): void {
    for (const res of this.of(RT.TABLE)) {
      const vpc = this.vpcOf(this.prop(res, 'VpcId'), res);
      if (!vpc) { continue; }
      const table: GTable = { key: res.key, name: this.name(res.key), vpc, routes: [], implicitMain: false, external: false };
      vpc.tables.push(table);
      this.tables.set(res.key, table);
    }
    for (const res of this.of(RT.SUBNET)) {
      const vpc = this.vpcOf(this.prop(res, 'VpcId'), res);
      if (!vpc) { continue; }
      const cidr = this.prop(res, 'CidrBlock');
      const ipv6 = this.prop(res, 'Ipv6CidrBlock');
      const subnet: GSubnet = {
        key: res.key, name: this.name(res.key), vpc,
        cidr: typeof cidr === 'string' ? parseOrThrow(cidr, this.name(res.key)) : undefined,
        ipv6: typeof ipv6 === 'string' ? parseOrThrow(ipv6, this.name(res.key)) : undefined,
        table: vpc.mainTable, explicitTable: false, az: this.azOf(res),
      };
      if (typeof cidr !== 'string' && res.props.CidrBlock !== undefined) {
        this.unknowns.push({ message: `The CIDR block of subnet ${subnet.name} is not known from the templates${cidr instanceof Unknown ? `: ${cidr.reason}` : ''}.`, constructs: [subnet.name], resourceKeys: [res.key] });
      }
      vpc.subnets.push(subnet);
      this.subnets.set(res.key, subnet);
    }
    for (const res of this.of(RT.ASSOC)) {
      const subnetRef = this.prop(res, 'SubnetId');
      const tableRef = this.prop(res, 'RouteTableId');
      const subnet = subnetRef instanceof ResourceRef ? this.subnets.get(subnetRef.key) : undefined;
      if (!subnet) { continue; }
      const table = tableRef instanceof ResourceRef ? this.tables.get(tableRef.key) : undefined;
      subnet.explicitTable = true;
      if (table) {
        subnet.table = table;
      } else {
        // A table the templates do not define: its routes other than the local ones are not known.
        subnet.unknownTable = describeValue(tableRef);
        const external = this.tableOf(tableRef, res);
        external.vpc ??= subnet.vpc;
        subnet.table = external;
      }
    }
  }

  /** The availability zone of a subnet, as its template gives it. */
  private azOf(res: Res): GAz | undefined {
    const raw = res.props.AvailabilityZone;
    if (raw === undefined) {
      const id = res.props.AvailabilityZoneId !== undefined ? this.prop(res, 'AvailabilityZoneId') : undefined;
      return typeof id === 'string' ? { kind: 'id', value: id, text: `the availability zone ${id}` } : undefined;
    }
    // Fn::Select [i, Fn::GetAZs '']: the i-th AZ of the stack's region, the same for every subnet that names it.
    const select = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>)['Fn::Select'] : undefined;
    if (Array.isArray(select) && select.length === 2 && select[1] !== null && typeof select[1] === 'object'
      && Object.keys(select[1] as object).length === 1 && 'Fn::GetAZs' in (select[1] as object) && /^\d+$/.test(String(select[0]))) {
      const region = res.stack.region ? ` of ${res.stack.region}` : '';
      return { kind: 'index', value: String(select[0]), text: `the availability zone at index ${select[0]}${region} (Fn::GetAZs)` };
    }
    const name = this.prop(res, 'AvailabilityZone');
    return typeof name === 'string' ? { kind: 'name', value: name, text: `the availability zone ${name}` } : undefined;
  }

  private readPeerings(): void {
    for (const res of this.of(RT.PCX)) {
      const requester = this.vpcOf(this.prop(res, 'VpcId'), res);
      const accepter = this.vpcOf(this.prop(res, 'PeerVpcId'), res, 'PeerVpcId');
      if (!requester || !accepter) { continue; }
      this.peerings.set(res.key, { key: res.key, name: this.name(res.key), requester, accepter });
    }
  }

  private readTransitGateways(): void {
    for (const res of this.of(RT.TGW)) {
      this.tgws.set(res.key, {
        key: res.key, name: this.name(res.key), external: false,
        defaultAssociation: this.prop(res, 'DefaultRouteTableAssociation') !== 'disable',
        defaultPropagation: this.prop(res, 'DefaultRouteTablePropagation') !== 'disable',
        attachments: [], tables: [], associations: new Map(),
      });
    }
    for (const res of [...this.of(RT.TGW_ATTACH), ...this.of(RT.TGW_VPC_ATTACH)]) {
      const tgw = this.tgwOf(this.prop(res, 'TransitGatewayId'), res);
      const vpc = this.vpcOf(this.prop(res, 'VpcId'), res);
      if (!tgw || !vpc) { continue; }
      const subnetIds = this.prop(res, 'SubnetIds');
      const found = Array.isArray(subnetIds) ? subnetIds.map((s) => (s instanceof ResourceRef ? this.subnets.get(s.key) : undefined)) : [];
      const subnets = found.filter((s): s is GSubnet => !!s);
      const allSubnetsKnown = Array.isArray(subnetIds) && subnets.length === found.length;
      const options = this.prop(res, 'Options');
      const ipv6 = options instanceof Unknown ? options
        : options !== null && typeof options === 'object' && !Array.isArray(options) && !(options instanceof ResourceRef)
          ? (options as Record<string, Value>).Ipv6Support : undefined;
      const ipv6Support = ipv6 instanceof Unknown ? undefined : typeof ipv6 === 'string' && ipv6.toLowerCase() === 'enable';
      const attachment: GAttachment = { key: res.key, name: this.name(res.key), tgw, vpc, subnets, allSubnetsKnown, ipv6Support };
      tgw.attachments.push(attachment);
      this.attachments.set(res.key, attachment);
    }
    for (const res of this.of(RT.TGW_RT)) {
      const tgw = this.tgwOf(this.prop(res, 'TransitGatewayId'), res);
      if (!tgw) { continue; }
      const table: GTgwTable = { key: res.key, name: this.name(res.key), tgw, staticRoutes: [], propagations: [], unknownRoutes: [] };
      tgw.tables.push(table);
      this.tgwTables.set(res.key, table);
    }
    for (const tgw of this.tgws.values()) {
      if (tgw.defaultAssociation || tgw.defaultPropagation) {
        tgw.defaultTable = { key: `${tgw.key}#default`, name: `${tgw.name} (default route table)`, tgw, staticRoutes: [], propagations: [], unknownRoutes: [] };
        tgw.tables.push(tgw.defaultTable);
      }
    }
  }

  private tgwOf(value: Value, res: Res): GTgw | undefined {
    const key = value instanceof ResourceRef ? value.key : typeof value === 'string' ? value : value instanceof Unknown ? `unknown:${value.text}` : undefined;
    if (key === undefined) { return undefined; }
    const existing = this.tgws.get(key);
    if (existing) { return existing; }
    const name = value instanceof Unknown ? `(transit gateway ${value.text})` : key;
    const tgw: GTgw = {
      key, name, external: true, defaultAssociation: false, defaultPropagation: false, attachments: [], tables: [], associations: new Map(),
    };
    this.tgws.set(key, tgw);
    this.unknowns.push({
      message: `Transit gateway ${name} (used by ${this.name(res.key)}) is not defined in the templates: its route tables are not known.`,
      constructs: [this.name(res.key)], resourceKeys: [res.key],
    });
    return tgw;
  }

  private readTgwRouting(): void {
    for (const res of this.of(RT.TGW_ASSOC)) {
      const attachment = this.attachmentOf(this.prop(res, 'TransitGatewayAttachmentId'));
      const table = this.tgwTableOf(this.prop(res, 'TransitGatewayRouteTableId'), res);
      if (attachment && table) { attachment.tgw.associations.set(attachment, table); }
    }
    for (const res of this.of(RT.TGW_PROP)) {
      const attachment = this.attachmentOf(this.prop(res, 'TransitGatewayAttachmentId'));
      const table = this.tgwTableOf(this.prop(res, 'TransitGatewayRouteTableId'), res);
      if (attachment && table) { table.propagations.push(attachment); }
    }
    for (const tgw of this.tgws.values()) {
      for (const attachment of tgw.attachments) {
        if (tgw.defaultTable && tgw.defaultAssociation && !tgw.associations.has(attachment)) {
          tgw.associations.set(attachment, tgw.defaultTable);
        }
        if (tgw.defaultTable && tgw.defaultPropagation && !tgw.defaultTable.propagations.includes(attachment)) {
          tgw.defaultTable.propagations.push(attachment);
        }
      }
    }
    for (const res of this.of(RT.TGW_ROUTE)) {
      const table = this.tgwTableOf(this.prop(res, 'TransitGatewayRouteTableId'), res);
      if (!table) { continue; }
      const destination = this.prop(res, 'DestinationCidrBlock');
      const blackhole = this.prop(res, 'Blackhole') === true || this.prop(res, 'Blackhole') === 'true';
      const attachmentRef = this.prop(res, 'TransitGatewayAttachmentId');
      const attachment = this.attachmentOf(attachmentRef);
      if (typeof destination !== 'string' || (!blackhole && !attachment)) {
        table.unknownRoutes.push(`${this.name(res.key)} (${typeof destination === 'string' ? destination : describeValue(destination)} to ${describeValue(attachmentRef)})`);
        continue;
      }
      table.staticRoutes.push({
        name: this.name(res.key), destination: parseOrThrow(destination, this.name(res.key)), attachment, blackhole, propagated: false,
      });
    }
  }

  private attachmentOf(value: Value): GAttachment | undefined {
    return value instanceof ResourceRef ? this.attachments.get(value.key) : undefined;
  }

  private tgwTableOf(value: Value, res?: Res): GTgwTable | undefined {
    const table = value instanceof ResourceRef ? this.tgwTables.get(value.key) : undefined;
    if (!table && res) {
      this.unknowns.push({
        message: `${this.name(res.key)} refers to the transit gateway route table ${describeValue(value)}, which is not defined in the templates: the model leaves it out.`,
        constructs: [this.name(res.key)], resourceKeys: [res.key],
      });
    }
    return table;
  }

  private readNatsAndGateways(): void {
    for (const res of this.of(RT.NAT)) {
      const subnetRef = this.prop(res, 'SubnetId');
      this.nats.set(res.key, {
        key: res.key, name: this.name(res.key),
        subnet: subnetRef instanceof ResourceRef ? this.subnets.get(subnetRef.key) : undefined,
        private: this.prop(res, 'ConnectivityType') === 'private',
      });
    }
    for (const res of this.of(RT.IGW_ATTACH)) {
      const igw = this.prop(res, 'InternetGatewayId');
      const vpc = this.vpcOf(this.prop(res, 'VpcId'), res);
      if (vpc && igw instanceof ResourceRef) { vpc.internetGateways.push(this.name(igw.key)); }
    }
  }

  private readRoutes(): void {
    for (const res of this.of(RT.ROUTE)) {
      const table = this.tableOf(this.prop(res, 'RouteTableId'), res);
      const destination = this.destinationOf(res);
      const { target, targetKey } = this.targetOf(res);
      this.addRoute(table, {
        name: this.name(res.key), table, destination, target, targetKey, via: this.name(targetKey), counted: true,
        constructs: [this.name(res.key)], resourceKey: res.key,
      });
    }
    for (const res of this.of(RT.PEERING_ROUTES)) {
      const pcx = this.prop(res, 'PeeringConnectionId');
      const targetKey = pcx instanceof ResourceRef ? pcx.key : describeValue(pcx);
      const tableIds = this.prop(res, 'RouteTableIds');
      const destinations = [
        ...asList(this.prop(res, 'DestinationCidrBlocks')).map((d) => [d, IpVersion.IPV4] as const),
        ...asList(this.prop(res, 'DestinationIpv6CidrBlocks')).map((d) => [d, IpVersion.IPV6] as const),
      ];
      for (const tableId of asList(tableIds)) {
        const table = this.tableOf(tableId, res);
        for (const [d, version] of destinations) {
          const destination: GDestination = typeof d === 'string'
            ? { kind: 'cidr', cidr: parseOrThrow(d, this.name(res.key)), text: d }
            : { kind: 'unknown', reason: d instanceof Unknown ? d.reason : 'known only at deploy time', text: describeValue(d), version };
          this.addRoute(table, {
            name: `${this.name(res.key)} [${table.name} ${destination.text}]`, table, destination,
            target: TargetKind.PEERING, targetKey, via: this.name(targetKey), custom: true, counted: true,
            constructs: [this.name(res.key)], resourceKey: res.key,
          });
        }
      }
    }
  }

  private addRoute(table: GTable, route: GRoute): void {
    table.routes.push(route);
    this.routes.push(route);
  }

  /** The table a RouteTableId designates; an external table is created for one not in the templates. */
  private tableOf(value: Value, res: Res): GTable {
    if (value instanceof ResourceRef) {
      const table = this.tables.get(value.key);
      if (table) { return table; }
      throw new Error(`Stack ${res.stack.name}, resource ${res.logicalId} (${res.type}): RouteTableId refers to ${value.logicalId}, which is not a route table (${this.typeOfKey.get(value.key)}).`);
    }
    const key = typeof value === 'string' ? value : `unknown:${describeValue(value)}`;
    const existing = this.tables.get(key);
    if (existing) { return existing; }
    const table: GTable = { key, name: typeof value === 'string' ? value : `(route table ${describeValue(value)})`, routes: [], implicitMain: false, external: true };
    this.tables.set(key, table);
    if (res.type !== RT.PEERING_ROUTES) {
      this.unknowns.push({
        message: `Route table ${table.name} (of ${this.name(res.key)}) is not defined in the templates${value instanceof Unknown ? ` (${value.reason})` : ''}: its VPC and other routes are not known.`,
        constructs: [this.name(res.key)], resourceKeys: [res.key],
      });
    }
    return table;
  }

  private destinationOf(res: Res): GDestination {
    for (const prop of ['DestinationCidrBlock', 'DestinationIpv6CidrBlock']) {
      if (res.props[prop] === undefined) { continue; }
      const value = this.prop(res, prop);
      if (typeof value === 'string') { return { kind: 'cidr', cidr: parseOrThrow(value, this.name(res.key)), text: value }; }
      return {
        kind: 'unknown', reason: value instanceof Unknown ? value.reason : 'known only at deploy time', text: describeValue(value),
        version: prop === 'DestinationIpv6CidrBlock' ? IpVersion.IPV6 : IpVersion.IPV4,
      };
    }
    if (res.props.DestinationPrefixListId !== undefined) {
      const value = this.prop(res, 'DestinationPrefixListId');
      return { kind: 'prefix-list', service: `prefix list ${describeValue(value)}`, text: describeValue(value) };
    }
    throw new Error(`Stack ${res.stack.name}, resource ${res.logicalId} (AWS::EC2::Route): no destination (DestinationCidrBlock, DestinationIpv6CidrBlock or DestinationPrefixListId).`);
  }

  private targetOf(res: Res): { target: TargetKind; targetKey: string } {
    const keyOf = (prop: string) => {
      const value = this.prop(res, prop);
      return value instanceof ResourceRef ? value.key : describeValue(value);
    };
    const p = res.props;
    if (p.VpcPeeringConnectionId !== undefined) { return { target: TargetKind.PEERING, targetKey: keyOf('VpcPeeringConnectionId') }; }
    if (p.TransitGatewayId !== undefined) { return { target: TargetKind.TRANSIT_GATEWAY, targetKey: keyOf('TransitGatewayId') }; }
    if (p.NatGatewayId !== undefined) { return { target: TargetKind.NAT, targetKey: keyOf('NatGatewayId') }; }
    if (p.EgressOnlyInternetGatewayId !== undefined) { return { target: TargetKind.INTERNET_GATEWAY, targetKey: keyOf('EgressOnlyInternetGatewayId') }; }
    if (p.GatewayId !== undefined) {
      const value = this.prop(res, 'GatewayId');
      const key = value instanceof ResourceRef ? value.key : describeValue(value);
      const type = this.typeOfKey.get(key);
      const isIgw = type === RT.IGW || (typeof value === 'string' && value.startsWith('igw-'));
      if (value === 'local') { return { target: TargetKind.LOCAL, targetKey: 'local' }; }
      return { target: isIgw ? TargetKind.INTERNET_GATEWAY : TargetKind.OTHER, targetKey: key };
    }
    if (p.InstanceId !== undefined) {
      // An instance as a route target is a NAT instance (or an appliance): treated as NAT.
      return { target: TargetKind.NAT, targetKey: keyOf('InstanceId') };
    }
    for (const prop of ['NetworkInterfaceId', 'VpcEndpointId', 'CarrierGatewayId', 'LocalGatewayId', 'CoreNetworkArn']) {
      if (p[prop] !== undefined) { return { target: TargetKind.OTHER, targetKey: keyOf(prop) }; }
    }
    throw new Error(`Stack ${res.stack.name}, resource ${res.logicalId} (AWS::EC2::Route): no target.`);
  }

  private readEndpoints(): void {
    for (const res of this.of(RT.ENDPOINT)) {
      const vpc = this.vpcOf(this.prop(res, 'VpcId'), res);
      if (!vpc) { continue; }
      const typeValue = this.prop(res, 'VpcEndpointType');
      const type = typeValue === undefined || typeValue === 'Gateway' ? 'Gateway' : typeValue === 'Interface' ? 'Interface' : undefined;
      const serviceValue = this.prop(res, 'ServiceName');
      const service = typeof serviceValue === 'string' ? serviceValue : serviceValue instanceof Unknown ? serviceValue.text : 'unknown';
      if (type === undefined) { continue; } // GatewayLoadBalancer and other kinds: not modelled
      const endpoint: GEndpoint = { key: res.key, name: this.name(res.key), vpc, service, type };
      this.endpoints.push(endpoint);
      if (type !== 'Gateway') { continue; }
      for (const tableId of asList(this.prop(res, 'RouteTableIds'))) {
        const table = this.tableOf(tableId, res);
        this.addRoute(table, {
          name: `${endpoint.name} [${table.name}]`, table,
          destination: { kind: 'prefix-list', service: serviceShortName(service), text: `pl-${serviceShortName(service)}` },
          target: TargetKind.GATEWAY_ENDPOINT, targetKey: res.key, via: endpoint.name, counted: false,
          constructs: [endpoint.name], resourceKey: res.key,
        });
      }
    }
  }

  /** An external VPC's blocks, as the routes toward it over its peerings suggest. */
  private inferExternalBlocks(): void {
    for (const peering of this.peerings.values()) {
      for (const [self, peer] of [[peering.requester, peering.accepter], [peering.accepter, peering.requester]]) {
        if (!peer.external) { continue; }
        for (const table of [...self.tables, self.mainTable]) {
          for (const route of table.routes) {
            if (route.targetKey !== peering.key || route.destination.kind !== 'cidr') { continue; }
            const cidr = route.destination.cidr;
            if (!peer.inferredBlocks.some((b) => b.isSameBlock(cidr))) { peer.inferredBlocks.push(cidr); }
          }
        }
      }
      // Tables of another account named only in the library's custom resource belong to the external side.
      for (const route of this.routes) {
        if (route.custom && route.targetKey === peering.key && route.table.vpc === undefined) {
          const external = peering.accepter.external ? peering.accepter : peering.requester.external ? peering.requester : undefined;
          if (external) {
            route.table.vpc = external;
            if (!external.tables.includes(route.table)) { external.tables.push(route.table); }
          }
        }
      }
    }
  }
}

/** The construct path of a resource (without the L1's `/Resource`), or `<stack>/<logicalId>`. */
function nameOf(stack: StackTemplate, logicalId: string, metadata: Record<string, unknown> | undefined, type: string): string {
  const path = stack.paths.get(logicalId) ?? (typeof metadata?.['aws:cdk:path'] === 'string' ? metadata['aws:cdk:path'] as string : undefined);
  if (path === undefined) { return `${stack.name}/${logicalId}`; }
  let name = path.replace(/^\//, '');
  if (name.endsWith('/Resource')) { name = name.slice(0, -'/Resource'.length); }
  if (type === RT.SUBNET && name.endsWith('/Subnet')) { name = name.slice(0, -'/Subnet'.length); }
  return name;
}

function parseOrThrow(text: string, where: string): Cidr {
  const parsed = Cidr.tryParse(text);
  if (typeof parsed === 'string') { throw new Error(`${where}: ${parsed}.`); }
  return parsed;
}

function asList(value: Value): Value[] {
  if (Array.isArray(value)) { return value; }
  if (value === undefined || value === null) { return []; }
  return [value];
}

/** A readable rendering of a value. */
export function describeValue(value: Value): string {
  if (typeof value === 'string') { return value; }
  if (value instanceof Unknown) { return value.text; }
  if (value instanceof ResourceRef) { return value.key; }
  return JSON.stringify(value) ?? 'undefined';
}

/** `s3` for `com.amazonaws.us-east-1.s3`; the name itself when it has another form. */
export function serviceShortName(service: string): string {
  const parts = service.split('.');
  if (parts.length >= 4 && parts[0] === 'com' && parts[1] === 'amazonaws') { return parts.slice(3).join('.'); }
  return service;
}

/** Whether the CIDR is IPv6. */
export function isIpv6(cidr: Cidr): boolean {
  return cidr.version === IpVersion.IPV6;
}
