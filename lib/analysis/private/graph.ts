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
  /**
   * `name`, `index`, `id`, or `unknown:<identity>` for a zone known only at deploy time (a
   * parameter without a value): zones of one unknown compare equal, others do not compare.
   */
  readonly kind: string;
  readonly value: string;
  /** In words, for reasons. */
  readonly text: string;
}

/** A route destination. */
export type GDestination =
  | { readonly kind: 'cidr'; readonly cidr: Cidr; readonly text: string }
  /**
   * An AWS service's prefix list (a gateway endpoint's), or, with `entriesUnknown`, a prefix list
   * not defined in the templates (referenced by id): whether it holds an address is not known.
   */
  | { readonly kind: 'prefix-list'; readonly service: string; readonly text: string; readonly entriesUnknown?: boolean }
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
  /**
   * How many routes it counts for against the routes-per-table quota when `counted`: a route to
   * a managed prefix list counts as the list's maximum entries (its first entry's route carries
   * them, the others are not counted).
   *
   * @default 1
   */
  readonly weight?: number;
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
  /** A static route to a transit gateway peering attachment: traffic continues in the other gateway. */
  readonly peering?: GTgwPeering;
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
  /** The route table each peering attachment is associated with on this gateway's side. */
  readonly peeringAssociations: Map<GTgwPeering, GTgwTable>;
}

/**
 * A transit gateway peering attachment (`AWS::EC2::TransitGatewayPeeringAttachment`) between two
 * gateways, usually of two regions. It does not propagate: each side routes to it with static
 * routes (`AWS::EC2::TransitGatewayRoute`, or the `StaticRoutes` of cdk-vpc-connect's accepter on
 * the peer side), and traffic arriving over it follows the route table it is associated with on
 * the arriving side.
 */
export interface GTgwPeering {
  readonly key: string;
  readonly name: string;
  /** The requester's gateway (`TransitGatewayId`). */
  readonly requester: GTgw;
  /** The accepter's gateway (`PeerTransitGatewayId`). */
  readonly accepter: GTgw;
  /** Whether an association or routes on the accepter's side are read (cdk-vpc-connect's accepter, or L1s of the templates). */
  accepterRead: boolean;
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
  /**
   * A Network Firewall or Gateway Load Balancer endpoint (see `passThroughTarget`): traffic
   * continues by its subnet's route table, without address translation.
   */
  readonly passThrough?: boolean;
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

/** A resource the model does not understand that is given route tables (a custom resource, a VPN route propagation...). */
export interface GRouteWriter {
  readonly key: string;
  readonly name: string;
  readonly type: string;
  readonly tables: GTable[];
}

/** The whole graph. */
export interface Graph {
  readonly vpcs: GVpc[];
  readonly vpcByKey: Map<string, GVpc>;
  readonly subnets: Map<string, GSubnet>;
  readonly tables: Map<string, GTable>;
  readonly peerings: Map<string, GPeering>;
  readonly tgws: Map<string, GTgw>;
  /** Transit gateway peering attachments, by key. */
  readonly tgwPeerings: Map<string, GTgwPeering>;
  readonly endpoints: GEndpoint[];
  readonly nats: Map<string, GNat>;
  readonly unknowns: GUnknown[];
  /** Resource key → name. */
  readonly names: Map<string, string>;
  /** Every route, in template order. */
  readonly routes: GRoute[];
  /** Resource key → the template resource (stack and logical id). */
  readonly resources: Map<string, FindingResource>;
  /** Whether the templates are plain CloudFormation (no CDK construct paths): hints then speak CloudFormation. */
  readonly plainTemplates?: boolean;
  /** Resources the model does not understand that are given route tables: they may write routes it cannot see. */
  readonly routeWriters?: GRouteWriter[];
  /** Every template resource by type, with its properties resolved on demand (for security groups, ACLs, workloads). */
  readonly raw: RawResources;
}

/** A template resource as read, for the parts of the model built outside this file (private/security.ts). */
export interface RawResource {
  readonly key: string;
  readonly type: string;
  readonly stack: string;
  readonly logicalId: string;
  /** The stack's region, when known. */
  readonly region?: string;
  /** The raw properties. */
  readonly props: Record<string, unknown>;
  /** A property, its intrinsic functions resolved. */
  prop(name: string): Value;
}

/** The template resources of a graph, by type. */
export interface RawResources {
  of(type: string): RawResource[];
  /** The type of the resource of `key`. */
  typeOf(key: string): string | undefined;
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
  TGW_PEERING: 'AWS::EC2::TransitGatewayPeeringAttachment',
  PEERING_ROUTES: 'Custom::VpcConnectPeeringRoutes',
  PREFIX_LIST: 'AWS::EC2::PrefixList',
  /**
   * cdk-vpc-connect's custom resources of the transit network (lib/transit/private): the
   * association and propagations of a spoke (`TransitGatewayAttachmentId`,
   * `AssociationRouteTableId`, `PropagationRouteTableIds`), and the acceptance of a gateway
   * peering with the peer side's association and static routes (`AssociationRouteTableId`,
   * `StaticRoutes` as `<route table id>|<cidr>`).
   */
  SPOKE_ASSOCIATION: 'Custom::TransitGatewaySpokeAssociation',
  PEERING_ACCEPTER: 'Custom::TransitGatewayPeeringAccepter',
  TRANSIT_LOOKUP: 'Custom::TransitGatewayLookup',
};

interface Res { readonly stack: StackTemplate; readonly logicalId: string; readonly type: string; readonly props: Record<string, unknown>; readonly key: string }

/** Build the graph of `stacks`. */
export function buildGraph(resolver: TemplateResolver): Graph {
  return new GraphBuilder(resolver).build();
}

class GraphBuilder {
  private readonly routeWriters: GRouteWriter[] = [];
  private readonly byType = new Map<string, Res[]>();
  private readonly names = new Map<string, string>();
  private readonly vpcByKey = new Map<string, GVpc>();
  private readonly subnets = new Map<string, GSubnet>();
  private readonly tables = new Map<string, GTable>();
  private readonly peerings = new Map<string, GPeering>();
  private readonly tgws = new Map<string, GTgw>();
  private readonly attachments = new Map<string, GAttachment>();
  private readonly tgwTables = new Map<string, GTgwTable>();
  private readonly tgwPeerings = new Map<string, GTgwPeering>();
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
            fix: resolver.plainTemplates
              ? 'Give the nested stack\'s TemplateURL as a path to its template file, relative to the parent template (as `aws cloudformation package` takes it), ' +
                'and read the parent with NetworkModel.fromTemplateFiles or the CLI.'
              : 'Model the cloud assembly with NetworkModel.fromApp or NetworkModel.fromAssembly (cdk.out): they read the templates ' +
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
    this.readUnmodelledRouteWriters();
    this.readUncertainConditions();
    return {
      plainTemplates: this.resolver.plainTemplates,
      routeWriters: this.routeWriters,
      vpcs: [...this.vpcByKey.values()],
      vpcByKey: this.vpcByKey,
      subnets: this.subnets,
      tables: this.tables,
      peerings: this.peerings,
      tgws: this.tgws,
      tgwPeerings: this.tgwPeerings,
      endpoints: this.endpoints,
      nats: this.nats,
      unknowns: this.unknowns,
      names: this.names,
      routes: this.routes,
      resources: this.resources,
      raw: {
        of: (type: string) => this.of(type).map((res) => ({
          key: res.key, type: res.type, stack: res.stack.name, logicalId: res.logicalId, region: res.stack.region, props: res.props,
          prop: (name: string) => this.prop(res, name),
        })),
        typeOf: (key: string) => this.typeOfKey.get(key),
      },
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
    if (name instanceof Unknown && name.id !== undefined) {
      // The same parameter (or the same item of one list) is the same zone, whatever its value.
      return { kind: `unknown:${name.id}`, value: name.id, text: `the availability zone ${name.text} (${name.reason})` };
    }
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
        attachments: [], tables: [], associations: new Map(), peeringAssociations: new Map(),
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
    for (const res of this.of(RT.TGW_PEERING)) {
      const requester = this.tgwOf(this.prop(res, 'TransitGatewayId'), res);
      const accepter = this.tgwOf(this.prop(res, 'PeerTransitGatewayId'), res);
      if (!requester || !accepter) { continue; }
      this.tgwPeerings.set(res.key, { key: res.key, name: this.name(res.key), requester, accepter, accepterRead: false });
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
      peeringAssociations: new Map(),
    };
    this.tgws.set(key, tgw);
    this.unknowns.push({
      message: `Transit gateway ${name} (used by ${this.name(res.key)}) is not defined in the templates${value instanceof Unknown ? ` (${value.reason})` : ''}: ` +
        'its route tables are not known.',
      constructs: [this.name(res.key)], resourceKeys: [res.key],
    });
    return tgw;
  }

  private readTgwRouting(): void {
    for (const res of this.of(RT.TGW_ASSOC)) {
      const attachmentRef = this.prop(res, 'TransitGatewayAttachmentId');
      const table = this.tgwTableOf(this.prop(res, 'TransitGatewayRouteTableId'), res);
      this.associate(attachmentRef, table);
    }
    for (const res of this.of(RT.TGW_PROP)) {
      const attachment = this.attachmentOf(this.prop(res, 'TransitGatewayAttachmentId'));
      const table = this.tgwTableOf(this.prop(res, 'TransitGatewayRouteTableId'), res);
      if (attachment && table) { table.propagations.push(attachment); }
    }
    // cdk-vpc-connect's association of a spoke (of another account, or of a hub with segments).
    for (const res of this.of(RT.SPOKE_ASSOCIATION)) {
      const attachmentRef = this.prop(res, 'TransitGatewayAttachmentId');
      this.associate(attachmentRef, this.tgwTableOf(this.prop(res, 'AssociationRouteTableId'), res));
      const attachment = this.attachmentOf(attachmentRef);
      for (const tableId of asList(this.prop(res, 'PropagationRouteTableIds'))) {
        const table = this.tgwTableOf(tableId, res);
        if (attachment && table && !table.propagations.includes(attachment)) { table.propagations.push(attachment); }
      }
    }
    // cdk-vpc-connect's acceptance of a gateway peering: the peer side's association and static routes.
    for (const res of this.of(RT.PEERING_ACCEPTER)) {
      const attachmentRef = this.prop(res, 'TransitGatewayAttachmentId');
      const peering = attachmentRef instanceof ResourceRef ? this.tgwPeerings.get(attachmentRef.key) : undefined;
      if (peering) { peering.accepterRead = true; }
      this.associate(attachmentRef, this.tgwTableOf(this.prop(res, 'AssociationRouteTableId'), res));
      const raw = res.props.StaticRoutes;
      const items = Array.isArray(raw) ? raw : [raw];
      for (const [i, item] of items.entries()) {
        if (item === undefined) { continue; }
        const { table: tableId, cidr } = this.staticRouteOf(res, item);
        const table = tableId === undefined ? undefined : this.tgwTableOf(tableId, res);
        const text = `${this.name(res.key)} [StaticRoutes ${i}: ${describeValue(tableId)}|${describeValue(cidr)}]`;
        if (!table || typeof cidr !== 'string' || !peering) {
          // Which table or block is not known: every table of the peer's gateway may hold the route.
          for (const t of table ? [table] : peering?.accepter.tables ?? []) { t.unknownRoutes.push(text); }
          continue;
        }
        table.staticRoutes.push({ name: `${this.name(res.key)} [${table.name} ${cidr}]`, destination: parseOrThrow(cidr, this.name(res.key)), peering, blackhole: false, propagated: false });
      }
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
      const peering = attachmentRef instanceof ResourceRef ? this.tgwPeerings.get(attachmentRef.key) : undefined;
      if (typeof destination !== 'string' || (!blackhole && !attachment && !peering)) {
        table.unknownRoutes.push(`${this.name(res.key)} (${typeof destination === 'string' ? destination : describeValue(destination)} to ${describeValue(attachmentRef)})`);
        continue;
      }
      if (peering && table.tgw === peering.accepter) { peering.accepterRead = true; }
      table.staticRoutes.push({
        name: this.name(res.key), destination: parseOrThrow(destination, this.name(res.key)), attachment, peering: blackhole ? undefined : peering, blackhole, propagated: false,
      });
    }
  }

  /** Associate the attachment (of a VPC, or a gateway peering) `attachmentRef` designates with `table`. */
  private associate(attachmentRef: Value, table: GTgwTable | undefined): void {
    if (!table) { return; }
    const attachment = this.attachmentOf(attachmentRef);
    if (attachment) { attachment.tgw.associations.set(attachment, table); return; }
    const peering = attachmentRef instanceof ResourceRef ? this.tgwPeerings.get(attachmentRef.key) : undefined;
    if (peering && (table.tgw === peering.requester || table.tgw === peering.accepter)) {
      table.tgw.peeringAssociations.set(peering, table);
      if (table.tgw === peering.accepter) { peering.accepterRead = true; }
    }
  }

  /**
   * An item of the accepter's `StaticRoutes`: `<route table id>|<cidr>`, usually an Fn::Join of
   * the lookup's `RouteTableId.<segment>` and `|<cidr>` (its parts resolved one by one, since
   * the table id alone is a reference).
   */
  private staticRouteOf(res: Res, item: unknown): { table?: Value; cidr?: Value } {
    const resolve = (v: unknown) => this.resolver.resolve(res.stack, res.logicalId, 'StaticRoutes', v);
    const join = item !== null && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>)['Fn::Join'] : undefined;
    if (Array.isArray(join) && join.length === 2 && join[0] === '' && Array.isArray(join[1])) {
      const parts = (join[1] as unknown[]).map(resolve);
      const at = parts.findIndex((p) => typeof p === 'string' && p.includes('|'));
      if (at < 0) { return {}; }
      const text = parts[at] as string;
      const before = [...parts.slice(0, at), text.slice(0, text.indexOf('|'))].filter((p) => p !== '');
      const after = [text.slice(text.indexOf('|') + 1), ...parts.slice(at + 1)].filter((p) => p !== '');
      return {
        table: before.length === 1 ? before[0] : undefined,
        cidr: after.every((p) => typeof p === 'string') ? after.join('') : undefined,
      };
    }
    const value = resolve(item);
    if (typeof value === 'string' && value.includes('|')) {
      return { table: value.slice(0, value.indexOf('|')), cidr: value.slice(value.indexOf('|') + 1) };
    }
    return {};
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
      const { target, targetKey } = this.targetOf(res);
      const list = this.prefixListOf(res);
      if (list) {
        // A managed prefix list of the templates: one route per entry; AWS counts the route as the list's max entries.
        for (const [i, destination] of list.destinations.entries()) {
          this.addRoute(table, {
            name: `${this.name(res.key)} [${destination.text}]`, table, destination, target, targetKey, via: this.name(targetKey),
            counted: i === 0, weight: i === 0 ? list.weight : undefined, constructs: [this.name(res.key)], resourceKey: res.key,
          });
        }
        continue;
      }
      const destination = this.destinationOf(res);
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

  /**
   * The destinations of a route to a managed prefix list of the templates
   * (`AWS::EC2::PrefixList`): each entry; an entry (or the entries) known only at deploy time is a
   * destination of unknown block, so answers through the table are not certain. Undefined for a
   * route to anything else (a CIDR block, a prefix list not in the templates).
   */
  private prefixListOf(res: Res): { destinations: GDestination[]; weight: number } | undefined {
    if (res.props.DestinationPrefixListId === undefined) { return undefined; }
    const ref = this.prop(res, 'DestinationPrefixListId');
    if (!(ref instanceof ResourceRef) || this.typeOfKey.get(ref.key) !== RT.PREFIX_LIST) { return undefined; }
    const list = this.resolver.resource(ref);
    const stack = this.resolver.stack(ref.stack);
    const read = (prop: string) => this.resolver.resolve(stack, ref.logicalId, prop, list?.Properties?.[prop]);
    const name = this.name(ref.key);
    const family = read('AddressFamily');
    const version = typeof family === 'string' && family.toLowerCase() === 'ipv6' ? IpVersion.IPV6 : IpVersion.IPV4;
    const maxEntries = read('MaxEntries');
    const entries = read('Entries');
    const destinations: GDestination[] = [];
    const unknown = (reason: string, text: string) => destinations.push({ kind: 'unknown', reason, text, version });
    if (!Array.isArray(entries)) {
      unknown(`the entries of the prefix list ${name} are known only at deploy time`, `${name} (entries unknown)`);
    } else {
      for (const entry of entries) {
        const cidr = entry !== null && typeof entry === 'object' && !Array.isArray(entry) && !(entry instanceof ResourceRef) && !(entry instanceof Unknown)
          ? (entry as Record<string, Value>).Cidr : entry instanceof Unknown ? entry : undefined;
        if (typeof cidr === 'string') {
          destinations.push({ kind: 'cidr', cidr: parseOrThrow(cidr, name), text: `${cidr} (${name})` });
        } else {
          unknown(`an entry of the prefix list ${name} is known only at deploy time`, `${describeValue(cidr)} (${name})`);
        }
      }
    }
    if (destinations.length === 0) {
      // An empty list routes nothing; it still takes its max entries of the quota.
      unknown(`the prefix list ${name} has no entry`, `${name} (empty)`);
    }
    return { destinations, weight: typeof maxEntries === 'number' ? maxEntries : typeof maxEntries === 'string' && /^\d+$/.test(maxEntries) ? Number(maxEntries) : destinations.length };
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
      return { kind: 'prefix-list', service: `prefix list ${describeValue(value)}`, text: describeValue(value), entriesUnknown: true };
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
    if (p.VpcEndpointId !== undefined) { return this.passThroughTarget(res); }
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
    // The routes of tables not defined in the templates, by their target: looked up per peering
    // below (a scan of every route per peering was quadratic: 780 peerings x 6,240 routes in a 40-VPC mesh).
    const externalTableRoutes = new Map<string, GRoute[]>();
    for (const route of this.routes) {
      if (route.table.vpc !== undefined || !route.table.external) { continue; }
      const list = externalTableRoutes.get(route.targetKey);
      if (list) { list.push(route); } else { externalTableRoutes.set(route.targetKey, [route]); }
    }
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
      // Tables not defined in the templates (another account's, named in the library's custom
      // resource; an imported VPC's, known by literal id) that route over the peering belong to its external side.
      for (const route of externalTableRoutes.get(peering.key) ?? []) {
        if (route.table.vpc === undefined) {
          const external = peering.accepter.external ? peering.accepter : peering.requester.external ? peering.requester : undefined;
          if (external) {
            route.table.vpc = external;
            if (!external.tables.includes(route.table)) { external.tables.push(route.table); }
          }
        }
      }
    }
  }

  // ---- What the model cannot see, and pass-through hops (plain CloudFormation templates) ----

  /**
   * Resources that may write routes the model cannot see: a custom resource (`Custom::*`,
   * `AWS::CloudFormation::CustomResource`), a resource of a type outside `AWS::`, or a VPN
   * gateway route propagation, given route tables of the model (a Ref, a `RouteTableId`
   * attribute, a `${Table}` in an Fn::Sub, or a literal `rtb-` id the model holds). Each table
   * gets a route of unknown destination naming the resource, so answers through it are not
   * certain. The library's own cross-account route custom resources (modelled) and aws-cdk-lib's
   * cross-region reference readers and writers are left out.
   */
  private readUnmodelledRouteWriters(): void {
    const modelled = new Set<string>([RT.PEERING_ROUTES, RT.SPOKE_ASSOCIATION, RT.PEERING_ACCEPTER, RT.TRANSIT_LOOKUP, 'Custom::CrossRegionExportWriter', 'Custom::CrossRegionExportReader', 'AWS::CDK::Metadata']);
    for (const [type, list] of this.byType) {
      const writes = type === 'AWS::EC2::VPNGatewayRoutePropagation' || type === 'AWS::CloudFormation::CustomResource'
        || type.startsWith('Custom::') || !type.startsWith('AWS::');
      if (!writes || modelled.has(type)) { continue; }
      for (const res of list) {
        const tables = this.tablesNamedBy(res);
        if (tables.length === 0) { continue; }
        const name = this.name(res.key);
        this.routeWriters.push({ key: res.key, name, type, tables });
        for (const table of tables) {
          for (const version of [IpVersion.IPV4, IpVersion.IPV6]) {
            this.addRoute(table, {
              name: `routes that ${name} (${type}) may write`, table,
              destination: { kind: 'unknown', reason: `${name} (${type}) is given this route table and may write routes the model cannot see`, text: `(routes of ${name})`, version },
              target: TargetKind.OTHER, targetKey: res.key, via: name, counted: false, constructs: [name], resourceKey: res.key,
            });
          }
        }
      }
    }
  }

  /** The route tables of the model a resource's properties name. */
  private tablesNamedBy(res: Res): GTable[] {
    const found = new Set<GTable>();
    const tableOfKey = (key: string) => {
      const table = this.tables.get(key);
      if (table && !table.implicitMain) { found.add(table); }
    };
    // Raw references in the template: Ref, GetAtt .RouteTableId, ${Table} in Fn::Sub.
    const walkRaw = (value: unknown, depth: number): void => {
      if (depth > 30 || value === null || value === undefined) { return; }
      if (typeof value === 'string') {
        for (const m of value.matchAll(/\$\{([A-Za-z0-9]+)(\.RouteTableId)?\}/g)) { tableOfKey(`${res.stack.name}/${m[1]}`); }
        if (value.startsWith('rtb-')) { tableOfKey(value); }
        return;
      }
      if (Array.isArray(value)) { value.forEach((v) => walkRaw(v, depth + 1)); return; }
      if (typeof value !== 'object') { return; }
      const object = value as Record<string, unknown>;
      if (typeof object.Ref === 'string') { tableOfKey(`${res.stack.name}/${object.Ref}`); }
      const getAtt = object['Fn::GetAtt'];
      const target = Array.isArray(getAtt) ? getAtt[0] : typeof getAtt === 'string' ? getAtt.split('.')[0] : undefined;
      if (typeof target === 'string') { tableOfKey(`${res.stack.name}/${target}`); }
      Object.values(object).forEach((v) => walkRaw(v, depth + 1));
    };
    walkRaw(res.props, 0);
    // Resolved values: references across stacks (exports, nested stacks' outputs and parameters).
    const walkResolved = (value: Value, depth: number): void => {
      if (depth > 30) { return; }
      if (value instanceof ResourceRef) { tableOfKey(value.key); return; }
      if (typeof value === 'string') { value.split(/[\s,]+/).forEach((v) => { if (v.startsWith('rtb-')) { tableOfKey(v); } }); return; }
      if (value instanceof Unknown) {
        for (const m of (value.id ?? '').matchAll(/ref:([^,)]+)/g)) { tableOfKey(m[1]); }
        return;
      }
      if (Array.isArray(value)) { value.forEach((v) => walkResolved(v, depth + 1)); return; }
      if (value !== null && typeof value === 'object') { Object.values(value).forEach((v) => walkResolved(v, depth + 1)); }
    };
    try {
      walkResolved(this.resolver.resolve(res.stack, res.logicalId, 'Properties', res.props), 0);
    } catch {
      // Properties the resolver cannot read (an intrinsic it does not know): the raw references above stand.
    }
    return [...found];
  }

  /**
   * The target of a route to a VPC endpoint (`VpcEndpointId`, which a route accepts only for
   * Gateway Load Balancer endpoints, Network Firewall's among them): a pass-through hop when
   * the firewall or endpoint is in the templates (traffic continues by the route table of the
   * endpoint's subnet in the zone of the route's table), otherwise a target the model does not
   * follow, named as a firewall or appliance endpoint.
   */
  private passThroughTarget(res: Res): { target: TargetKind; targetKey: string } {
    const value = this.prop(res, 'VpcEndpointId');
    const table = this.tables.get(((v) => (v instanceof ResourceRef ? v.key : typeof v === 'string' ? v : ''))(this.prop(res, 'RouteTableId')));
    let owner: ResourceRef | undefined;
    let subnetIds: Value[] = [];
    let kind = '';
    if (value instanceof ResourceRef && this.typeOfKey.get(value.key) === RT.ENDPOINT) {
      const endpoint = this.resolver.resource(value);
      const props = endpoint?.Properties ?? {};
      const type = this.resolver.resolve(this.resolver.stack(value.stack), value.logicalId, 'VpcEndpointType', props.VpcEndpointType);
      if (type === 'GatewayLoadBalancer') {
        owner = value;
        kind = 'Gateway Load Balancer endpoint';
        subnetIds = asList(this.resolver.resolve(this.resolver.stack(value.stack), value.logicalId, 'SubnetIds', props.SubnetIds));
      }
    } else if (value instanceof Unknown && value.source && this.typeOfKey.get(value.source.key) === 'AWS::NetworkFirewall::Firewall') {
      owner = value.source;
      kind = 'Network Firewall';
      const firewall = this.resolver.resource(value.source);
      const mappings = asList(this.resolver.resolve(this.resolver.stack(value.source.stack), value.source.logicalId, 'SubnetMappings', firewall?.Properties?.SubnetMappings));
      subnetIds = mappings.map((m) => (m !== null && typeof m === 'object' && !Array.isArray(m) && !(m instanceof ResourceRef) && !(m instanceof Unknown)
        ? (m as Record<string, Value>).SubnetId : undefined));
    }
    if (!owner) {
      const text = value instanceof ResourceRef ? this.name(value.key) : describeValue(value);
      const key = `endpoint:${text}`;
      this.names.set(key, `${text} (a Network Firewall or Gateway Load Balancer endpoint not defined in the templates)`);
      this.unknowns.push({
        message: `Route ${this.name(res.key)} sends traffic to ${text}, a Network Firewall or Gateway Load Balancer endpoint not defined in the templates: ` +
          'the model does not follow traffic beyond it, so answers through it are not certain.',
        constructs: [this.name(res.key)], resourceKeys: [res.key],
      });
      return { target: TargetKind.OTHER, targetKey: key };
    }
    const ownerName = this.name(owner.key);
    const subnets = subnetIds.map((s) => (s instanceof ResourceRef ? this.subnets.get(s.key) : undefined));
    const known = subnets.filter((s): s is GSubnet => s !== undefined);
    // The endpoint in the zone of the subnets that use the route's table; one table for all: that table.
    const zones = table ? [...new Set([...this.subnets.values()].filter((s) => s.table === table).map((s) => (s.az ? `${s.az.kind}|${s.az.value}` : '?')))] : [];
    const sameZone = zones.length === 1 ? known.filter((s) => s.az && `${s.az.kind}|${s.az.value}` === zones[0]) : [];
    const subnet = sameZone.length === 1 ? sameZone[0]
      : known.length > 0 && known.length === subnets.length && new Set(known.map((s) => s.table)).size === 1 ? known[0] : undefined;
    if (!subnet) {
      const key = `endpoint:${owner.key}`;
      this.names.set(key, `${kind} ${ownerName} (which of its endpoints' subnets, and so which route table, traffic continues from is not known from the templates)`);
      this.unknowns.push({
        message: `Route ${this.name(res.key)} sends traffic to an endpoint of the ${kind} ${ownerName}, but which of its subnets (${known.map((s) => s.name).join(', ') || 'none known'}) ` +
          'holds that endpoint is not known from the templates: the model does not follow traffic beyond it.',
        constructs: [this.name(res.key), ownerName], resourceKeys: [res.key, owner.key],
        fix: `Give each zone's route tables the endpoint of the ${kind} in the subnets of the same zone, with the subnets' AvailabilityZone in the template.`,
      });
      return { target: TargetKind.OTHER, targetKey: key };
    }
    const key = `${owner.key}@${subnet.key}`;
    if (!this.nats.has(key)) {
      this.nats.set(key, { key, name: `${kind} ${ownerName} (endpoint in ${subnet.name})`, subnet, private: false, passThrough: true });
      this.names.set(key, `${kind} ${ownerName} (endpoint in ${subnet.name})`);
    }
    return { target: TargetKind.FIREWALL, targetKey: key };
  }

  /**
   * Resources kept although whether their Condition holds is not known: said in an unknown
   * finding when the model reads their type; a route also makes answers through its table uncertain.
   */
  private readUncertainConditions(): void {
    for (const u of this.resolver.uncertainConditions) {
      const key = `${u.stack}/${u.logicalId}`;
      const type = this.typeOfKey.get(key) ?? '';
      const read = (Object.values(RT) as string[]).includes(type) || type === NESTED_STACK_TYPE || type === 'AWS::NetworkFirewall::Firewall'
        || /^AWS::EC2::(SecurityGroup|NetworkAcl|SubnetNetworkAclAssociation)/.test(type);
      if (!read) { continue; }
      // A route that may not exist: answers through its table are not certain.
      const tableRef = type === RT.ROUTE ? this.resolver.resolve(this.resolver.stack(u.stack), u.logicalId, 'RouteTableId', this.resolver.resource(new ResourceRef(u.stack, u.logicalId))?.Properties?.RouteTableId) : undefined;
      const table = tableRef instanceof ResourceRef ? this.tables.get(tableRef.key) : undefined;
      if (table) {
        const version = this.routes.find((r) => r.resourceKey === key && r.destination.kind === 'cidr')?.destination;
        this.addRoute(table, {
          name: `${this.name(key)}, which exists only if condition '${u.condition}' holds`, table,
          destination: { kind: 'unknown', reason: u.reason, text: `(${this.name(key)}?)`, version: version?.kind === 'cidr' ? version.cidr.version : IpVersion.IPV4 },
          target: TargetKind.OTHER, targetKey: key, via: this.name(key), counted: false, constructs: [this.name(key)], resourceKey: key,
        });
      }
      this.unknowns.push({
        message: `${this.name(key)} (${type}) exists only if condition '${u.condition}' holds, and ${u.reason}: the model keeps it, ` +
          'so answers that depend on it may be wrong.',
        constructs: [this.name(key)], resourceKeys: [key],
        fix: `Give the parameters that decide condition '${u.condition}' values (NetworkModelOptions.parameters, or --parameters Stack:Key=Value with the CLI), or Defaults in the template.`,
      });
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
