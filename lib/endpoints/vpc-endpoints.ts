import { Annotations, ContextProvider, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as cxschema from 'aws-cdk-lib/cloud-assembly-schema';
import { Construct, DependencyGroup, IConstruct } from 'constructs';
import { IpVersion } from '../cidr';
import { EndpointBundle } from './bundles';
import {
  checkEndpointPolicyLength, checkPeerCidr, classifyInterfaceService, InterfaceServiceKind, malformedConditionValues,
} from './checks';
import { EndpointRegistry, INTERFACE_QUOTA_HINT, readable } from './endpoint-registry';
import { classifyGatewayService, GatewayService } from './gateway-service';
import { EndpointPolicy, statementsWithoutPrincipal } from './policies';
import { CostEstimate, CostOptions, estimateEndpointsCost } from '../cost/estimate';
import { ConnectivityError } from '../errors';
import { checkCidr, checkRegion, describeValue } from '../private/identifiers';
import { checkQuota, quotasOf } from '../routing/quotas';
import { describeSubnetSelection, rejectRouteOption, RouteOptions, selectRouteTablesFor } from '../routing/route-options';
import { fnv1a } from '../routing/route-tables';
import { describeForeignSubnets, describeVpcFor, subnetsOfAnotherVpc } from '../routing/subnets';
import { acknowledgeLookupPlaceholders, secondaryAssociations, VpcNetwork } from '../routing/vpc-network';

/** Options of one gateway endpoint. */
export interface GatewayEndpointOptions {
  /**
   * The route tables the endpoint attaches to: the route table of each subnet of
   * `routes.subnets`, once each however many subnets share it, or none with
   * `routes.enabled: false` (the route tables are then attached outside this app).
   * `destinations` and `scope` are not supported: a gateway endpoint's routes always lead
   * to the service's prefix list, and its route tables are a property of the endpoint.
   * Replaces `gatewayRoutes` for this endpoint as a whole. Only valid when the call creates
   * the endpoint.
   *
   * @default - `gatewayRoutes` of the VpcEndpoints: every subnet of the VPC
   */
  readonly routes?: RouteOptions;

  /**
   * Policies that restrict what the endpoint lets through. Added to the endpoint's
   * policy; calling again for the same service adds more.
   *
   * @default - no policy: the endpoint allows everything
   */
  readonly policies?: EndpointPolicy[];
}

/** Options of one interface endpoint. */
export interface InterfaceEndpointOptions {
  /**
   * The subnets of the endpoint's network interfaces: subnets of the VPC of the VpcEndpoints,
   * at most one per availability zone. Only valid when the call creates the endpoint.
   *
   * @default - `interfaceSubnets` of the VpcEndpoints: one private (else isolated) subnet per AZ
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * Whether the service's public hostname resolves to the endpoint in the VPC. One
   * endpoint per VPC can have private DNS for a service. Only valid when the call creates
   * the endpoint.
   *
   * @default - `privateDnsEnabled` of the VpcEndpoints, else the service's default (true for AWS services)
   */
  readonly privateDnsEnabled?: boolean;

  /**
   * Policies that restrict what the endpoint lets through, for services that support
   * endpoint policies (see the service's documentation).
   *
   * @default - no policy: the endpoint allows everything
   */
  readonly policies?: EndpointPolicy[];

  /**
   * The region of the service, for a cross-region interface endpoint (the service must
   * support cross-region PrivateLink). For AWS services the service name is derived for
   * that region (`com.amazonaws.<serviceRegion>.<service>`); pass an
   * `ec2.InterfaceVpcEndpointService` with the full name for other partitions. A literal
   * region must be one aws-cdk-lib's region information knows.
   *
   * @default - the region of the stack
   */
  readonly serviceRegion?: string;
}

/** Properties of {@link VpcEndpoints}. */
export interface VpcEndpointsProps {
  /** The VPC that gets the endpoints: defined in the app, or imported. */
  readonly vpc: ec2.IVpc;

  /**
   * Gateway endpoints: Amazon S3 and Amazon DynamoDB only, as `GatewayService.S3` or
   * `ec2.GatewayVpcEndpointAwsService.S3` alike.
   *
   * @default - none, apart from those the interface bundles include
   */
  readonly gateways?: Array<GatewayService | ec2.IGatewayVpcEndpointService>;

  /**
   * Interface endpoints: single services or bundles. A service name that is neither one of
   * aws-cdk-lib's `ec2.InterfaceVpcEndpointAwsService` services nor a PrivateLink endpoint
   * service (`com.amazonaws.vpce.<region>.vpce-svc-...`) gets the warning
   * `cdk-vpc-connect:unknownInterfaceService` (a typo, or a service newer than aws-cdk-lib).
   * Interface and Gateway Load Balancer endpoints count against a quota per VPC (50 by
   * default, `interfaceEndpointsPerVpc` of the context key `cdk-vpc-connect:quotas`): above it
   * is an error, from 80% a warning. A bundle's gateway services
   * (the S3 gateway endpoint of `EndpointBundle.ECR_IMAGE_PULL`) are added too. Each
   * service gets one endpoint, however many bundles name it.
   *
   * @default - none
   */
  readonly interfaces?: Array<EndpointBundle | ec2.IInterfaceVpcEndpointService>;

  /**
   * The route tables the gateway endpoints attach to: the route table of each subnet of
   * `subnets`, once each, or none with `enabled: false` (the route tables are then attached
   * outside this app). `destinations` and `scope` are not supported: a gateway endpoint's
   * routes always lead to the service's prefix list, and its route tables are a property of
   * the endpoint.
   *
   * @default - every subnet of the VPC (public, private and isolated)
   */
  readonly gatewayRoutes?: RouteOptions;

  /**
   * The subnets of the interface endpoints' network interfaces: subnets of `vpc` (a subnet of
   * another VPC is an error). A selection that holds two subnets of one availability zone is
   * an error unless it sets `onePerAz: true`.
   *
   * @default - the private subnets of the VPC, else its isolated subnets, one per AZ
   */
  readonly interfaceSubnets?: ec2.SubnetSelection;

  /**
   * Whether interface endpoints get private DNS. `false` turns it off for every interface
   * endpoint; `true` leaves each service's default (true for AWS services).
   *
   * @default true
   */
  readonly privateDnsEnabled?: boolean;

  /**
   * More callers admitted to the interface endpoints, besides every CIDR block of the VPC:
   * for example `ec2.Peer.ipv4('10.1.0.0/16')` for a peered VPC, or a security group. A CIDR
   * block must be a network address (`10.1.0.1/16` is an error: it has host bits set).
   *
   * @default - only the VPC's own CIDR blocks
   */
  readonly allowedPeers?: ec2.IPeer[];

  /**
   * Place interface endpoints only in the AZs where the service is offered, found by a
   * context lookup (cached in `cdk.context.json`). Needs a stack with a concrete account
   * and region.
   *
   * @default - true when the stack has a concrete account and region
   */
  readonly lookupSupportedAzs?: boolean;
}

interface InterfaceEntry {
  readonly endpoint: ec2.InterfaceVpcEndpoint;
  /** The AZs of its network interfaces (one subnet per AZ). */
  readonly azs: number;
  readonly privateDnsEnabled: boolean;
  readonly description: string;
  readonly shortName?: string;
}

interface GatewayEntry {
  readonly endpoint: ec2.GatewayVpcEndpoint;
  readonly description: string;
  readonly key: string;
}

/**
 * The VPC endpoints a workload needs, right by default.
 *
 * - Gateway endpoints (S3, DynamoDB) attach to the route table of every selected subnet, once each.
 * - Interface endpoints go in one private or isolated subnet per AZ (only AZs that offer the
 *   service, when the stack's environment is known), with private DNS, behind one shared
 *   security group that admits the service port from every CIDR block of the VPC (primary
 *   and secondary) and from the peers you name, and allows no egress.
 * - A service named twice (directly or through bundles) gets one endpoint.
 *
 * @example
 * const endpoints = new VpcEndpoints(this, 'Endpoints', {
 *   vpc,
 *   gateways: [GatewayService.S3],
 *   interfaces: [EndpointBundle.SSM_SESSION_MANAGER, ec2.InterfaceVpcEndpointAwsService.SNS],
 * });
 * endpoints.gatewayEndpoint(GatewayService.S3).addToPolicy(...);
 */
export class VpcEndpoints extends Construct implements ec2.IConnectable {
  private static readonly BRAND = Symbol.for('cdk-vpc-connect.VpcEndpoints');

  /**
   * Whether `x` is a `VpcEndpoints`. A brand, not `instanceof`: it holds across two copies of
   * the library in one app.
   */
  public static isVpcEndpoints(x: any): x is VpcEndpoints {
    return x !== null && typeof x === 'object' && VpcEndpoints.BRAND in x;
  }

  /** The VPC of the endpoints. */
  public readonly vpc: ec2.IVpc;

  private readonly props: VpcEndpointsProps;
  private readonly network: VpcNetwork;
  private readonly gatewayEntries = new Map<string, GatewayEntry>();
  private readonly interfaceEntries = new Map<string, InterfaceEntry>();
  private readonly ports = new Set<number>();
  private readonly peers: ec2.IPeer[] = [];
  private sharedSecurityGroup?: ec2.SecurityGroup;
  private sharedConnections?: ec2.Connections;

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    Object.defineProperty(this, VpcEndpoints.BRAND, { value: true });
    this.vpc = props.vpc;
    this.props = props;
    this.network = describeVpcFor(this, props.vpc, 'the endpoints\' security group admits');
    for (const peer of props.allowedPeers ?? []) {
      this.checkPeer(peer, 'allowedPeers');
    }
    this.peers.push(...(props.allowedPeers ?? []));
    if (this.network.lookupPending) {
      acknowledgeLookupPlaceholders(this);
    }

    if (props.lookupSupportedAzs === true && !this.concreteEnv()) {
      throw new ConnectivityError(this, `lookupSupportedAzs needs a stack with a concrete account and region, but stack ${Stack.of(this).stackName} ` +
        'is environment-agnostic. Set env: { account, region } on the stack, or leave lookupSupportedAzs unset.');
    }

    rejectGatewayRouteOptions(this, props.gatewayRoutes, 'gatewayRoutes');

    for (const gateway of props.gateways ?? []) {
      this.addGateway(gateway);
    }
    for (const item of props.interfaces ?? []) {
      if (EndpointBundle.isEndpointBundle(item)) {
        this.addBundle(item);
      } else {
        this.addInterface(item);
      }
    }

    this.node.addValidation({ validate: () => [...this.validateBlocksUnchanged(), ...this.validateIngressBlocks(), ...this.validatePolicyLengths()] });
  }

  /**
   * The security group shared by every interface endpoint: it admits the services' ports
   * from every CIDR block of the VPC and from the allowed peers, and allows no egress
   * (aws-cdk-lib then adds a rule that matches no traffic).
   */
  public get securityGroup(): ec2.ISecurityGroup {
    if (!this.sharedSecurityGroup) {
      this.sharedSecurityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
        vpc: this.vpc,
        description: `Interface VPC endpoints of ${this.node.path}: admits the VPC and named peers`,
        allowAllOutbound: false,
      });
    }
    return this.sharedSecurityGroup;
  }

  /** The connections of the shared security group: `connections.allowDefaultPortFrom(...)` admits more callers. */
  public get connections(): ec2.Connections {
    if (!this.sharedConnections) {
      this.sharedConnections = new ec2.Connections({ securityGroups: [this.securityGroup], defaultPort: ec2.Port.tcp(443) });
    }
    return this.sharedConnections;
  }

  /** Every gateway endpoint, in the order added. */
  public get gatewayEndpoints(): ec2.GatewayVpcEndpoint[] {
    return [...this.gatewayEntries.values()].map((e) => e.endpoint);
  }

  /**
   * What these endpoints add to the monthly bill (us-east-1 list prices unless
   * `options.pricing` says otherwise): each interface endpoint per AZ-hour, and per GB of
   * `options.traffic.gbPerMonth` (the traffic through the interface endpoints); gateway
   * endpoints are free, whatever their traffic. With `options.natGatewaysAvoided`, the
   * estimate's `alternative` prices NAT gateways carrying the same traffic, and
   * `monthlySavingsUsd` the difference.
   */
  public estimateMonthlyCost(options: CostOptions = {}): CostEstimate {
    const entries = [...this.interfaceEntries.values()];
    const azs = Math.max(1, ...entries.map((e) => e.azs));
    const endpointAzs = entries.reduce((sum, e) => sum + Math.max(1, e.azs), 0);
    return estimateEndpointsCost({
      interfaceEndpoints: entries.length,
      azs,
      interfaceEndpointAzs: endpointAzs === entries.length * azs ? undefined : endpointAzs,
      gbPerMonth: options.traffic?.gbPerMonth ?? 0,
      gatewayEndpoints: this.gatewayEntries.size,
      natGatewaysAvoided: options.natGatewaysAvoided,
      pricing: options.pricing,
    });
  }

  /** Every interface endpoint, in the order added. */
  public get interfaceEndpoints(): ec2.InterfaceVpcEndpoint[] {
    return [...this.interfaceEntries.values()].map((e) => e.endpoint);
  }

  /**
   * The gateway endpoint of a service.
   *
   * @throws ConnectivityError when the service has no gateway endpoint here
   */
  public gatewayEndpoint(service: GatewayService | ec2.IGatewayVpcEndpointService): ec2.GatewayVpcEndpoint {
    const gatewayService = GatewayService.of(service);
    const entry = this.gatewayEntries.get(this.gatewayKey(gatewayService));
    if (!entry) {
      throw new ConnectivityError(this, `There is no gateway endpoint for ${this.gatewayDescription(gatewayService)} here ` +
        `(gateway endpoints: ${[...this.gatewayEntries.values()].map((e) => e.description).join(', ') || 'none'}). ` +
        'Add it with gateways or addGateway().');
    }
    return entry.endpoint;
  }

  /**
   * The interface endpoint of a service.
   *
   * @param serviceRegion the service region of a cross-region endpoint
   * @throws ConnectivityError when the service has no interface endpoint here
   */
  public interfaceEndpoint(service: ec2.IInterfaceVpcEndpointService, serviceRegion?: string): ec2.InterfaceVpcEndpoint {
    const region = this.normalizeServiceRegion(serviceRegion);
    const entry = this.interfaceEntries.get(this.interfaceKey(service, region));
    if (!entry) {
      throw new ConnectivityError(this, `There is no interface endpoint for ${this.serviceDescription(service, region)} here ` +
        `(interface endpoints: ${[...this.interfaceEntries.values()].map((e) => e.description).join(', ') || 'none'}). ` +
        'Add it with interfaces or addInterface().');
    }
    return entry.endpoint;
  }

  /**
   * Add a gateway endpoint (Amazon S3 or DynamoDB), or return the existing one of the
   * service after adding `options.policies` to it.
   *
   * @param service `GatewayService.S3` or `ec2.GatewayVpcEndpointAwsService.S3` alike
   */
  public addGateway(service: GatewayService | ec2.IGatewayVpcEndpointService, options: GatewayEndpointOptions = {}): ec2.GatewayVpcEndpoint {
    rejectGatewayRouteOptions(this, options.routes, 'routes');
    const gatewayService = GatewayService.of(service);
    const key = this.gatewayKey(gatewayService);
    const existing = this.gatewayEntries.get(key);
    if (existing) {
      if (options.routes !== undefined) {
        throw new ConnectivityError(this, `The gateway endpoint for ${existing.description} already exists (${existing.endpoint.node.path}), ` +
          `so its routes cannot be chosen again (${describeRouteOptions(options.routes)}). ` +
          'Pass routes where it is first added (gatewayRoutes, or routes of the first addGateway).');
      }
      this.applyPolicies(existing.endpoint, existing.description, existing.key, options.policies);
      return existing.endpoint;
    }

    const description = this.gatewayDescription(gatewayService);
    const kind = classifyGatewayService(this, gatewayService);
    if (kind === 'other') {
      throw new ConnectivityError(this, `Gateway endpoints serve only Amazon S3 and Amazon DynamoDB, not ${description}. ` +
        'Give the service an interface endpoint instead (interfaces or addInterface()), or use GatewayService.S3 / GatewayService.DYNAMODB.');
    }
    if (kind === 'unknown') {
      this.warn('gatewayServiceCheckSkipped', `The check that the gateway endpoint service ${description} is Amazon S3 or DynamoDB was skipped: ` +
        'its name is only known at deploy time. Use GatewayService.S3 or GatewayService.DYNAMODB to have it checked.');
    }

    const [routes, optionName] = options.routes !== undefined ? [options.routes, 'routes'] : [this.props.gatewayRoutes, 'gatewayRoutes'];
    const routed = routes?.enabled !== false;
    if (routed && !this.network.lookupPending) {
      // The common checks: every selected subnet's table is known, and the selection matches one.
      selectRouteTablesFor(this, this.vpc, this.network.path, routes, optionName);
    }

    const id = this.uniqueId(gatewayService.name ?? `Gateway${fnv1a(key)}`, key);
    const endpoint = new ec2.GatewayVpcEndpoint(this, id, {
      vpc: this.vpc,
      service: gatewayService.service,
      subnets: routed ? (routes?.subnets ? [routes.subnets] : undefined) : [UNROUTED],
    });
    if (!routed) {
      // CloudFormation takes a gateway endpoint without route tables; aws-cdk-lib's L2 does not.
      (endpoint.node.defaultChild as ec2.CfnVPCEndpoint).routeTableIds = undefined;
    }
    this.register(endpoint, description);
    const entryKey = kind === 's3' || kind === 'dynamodb' ? kind : description;
    this.gatewayEntries.set(key, { endpoint, description, key: entryKey });
    this.applyPolicies(endpoint, description, entryKey, options.policies);
    return endpoint;
  }

  /**
   * Add an interface endpoint, or return the existing one of the service (and service
   * region) after adding `options.policies` to it.
   */
  public addInterface(service: ec2.IInterfaceVpcEndpointService, options: InterfaceEndpointOptions = {}): ec2.InterfaceVpcEndpoint {
    const regionProblem = options.serviceRegion === undefined ? undefined : checkRegion(options.serviceRegion);
    if (regionProblem) {
      throw new ConnectivityError(this, `serviceRegion of the interface endpoint for ${this.serviceDescription(service, undefined)}: ${regionProblem}. ` +
        'Leave serviceRegion out for a service of the stack\'s own region.');
    }
    const serviceRegion = this.normalizeServiceRegion(options.serviceRegion);
    const key = this.interfaceKey(service, serviceRegion);
    const description = this.serviceDescription(service, serviceRegion);
    const shortName = service instanceof ec2.InterfaceVpcEndpointAwsService ? service.shortName : undefined;
    const privateDnsEnabled = options.privateDnsEnabled
      ?? (this.props.privateDnsEnabled === false ? false : service.privateDnsDefault ?? true);

    const existing = this.interfaceEntries.get(key);
    if (existing) {
      if (options.subnets !== undefined) {
        throw new ConnectivityError(this, `The interface endpoint for ${description} already exists (${existing.endpoint.node.path}), ` +
          `so its subnets cannot be chosen again (${describeSubnetSelection(options.subnets)}). Pass the subnets where it is first added.`);
      }
      if (options.privateDnsEnabled !== undefined && options.privateDnsEnabled !== existing.privateDnsEnabled) {
        throw new ConnectivityError(this, `The interface endpoint for ${description} already exists (${existing.endpoint.node.path}) ` +
          `with privateDnsEnabled ${existing.privateDnsEnabled}, and it is added again with privateDnsEnabled ${options.privateDnsEnabled}. ` +
          'One endpoint serves the service: choose privateDnsEnabled where it is first added.');
      }
      this.applyPolicies(existing.endpoint, description, existing.shortName, options.policies);
      return existing.endpoint;
    }

    this.checkInterfaceService(service, description);
    this.checkInterfaceQuota(description);
    const subnets = this.interfaceSubnets(description, service, serviceRegion, options.subnets);
    this.admitPort(service.port);
    const id = this.uniqueId(this.interfaceId(service, serviceRegion), key);
    const endpoint = new ec2.InterfaceVpcEndpoint(this, id, {
      vpc: this.vpc,
      service: serviceRegion ? regionalService(this, service, serviceRegion) : service,
      subnets: { subnets },
      privateDnsEnabled,
      securityGroups: [this.securityGroup],
      open: false,
      serviceRegion,
    });
    this.register(endpoint, description);
    this.interfaceEntries.set(key, { endpoint, azs: subnets.length, privateDnsEnabled, description, shortName });
    this.applyPolicies(endpoint, description, shortName, options.policies);
    return endpoint;
  }

  /** Add every endpoint of a bundle: its interface services and its gateway services. */
  public addBundle(bundle: EndpointBundle, options: InterfaceEndpointOptions = {}): void {
    for (const gateway of bundle.gateways) {
      this.addGateway(gateway);
    }
    for (const service of bundle.services) {
      this.addInterface(service, options);
    }
  }

  /**
   * Admit more callers to every interface endpoint (on each service port): a peered VPC's
   * CIDR (`ec2.Peer.ipv4(...)`), a prefix list or a security group.
   *
   * @param peer the callers
   * @param description the description of the ingress rules; by default `port <port> from <peer>`
   * @throws ConnectivityError when the peer is a CIDR block with host bits set (`10.2.0.1/16`)
   */
  public allowFrom(peer: ec2.IPeer, description?: string): void {
    this.checkPeer(peer, 'allowFrom');
    this.peers.push(peer);
    for (const port of this.ports) {
      this.securityGroup.addIngressRule(peer, ec2.Port.tcp(port), description ?? `port ${port} from ${peer.uniqueId}`);
    }
  }

  /** Admit every CIDR block of another VPC (primary and secondary), for example a peered VPC. */
  public allowFromVpc(vpc: ec2.IVpc): void {
    const other = describeVpcFor(this, vpc, 'allowFromVpc admits');
    for (const block of [...other.ipv4Blocks, ...other.ipv6Blocks]) {
      const peer = block.version === IpVersion.IPV6 ? ec2.Peer.ipv6(block.text) : ec2.Peer.ipv4(block.text);
      this.allowFrom(peer, `from VPC ${other.path} block ${block.label}`);
    }
  }

  private admitPort(port: number): void {
    if (this.ports.has(port)) { return; }
    this.ports.add(port);
    const sg = this.securityGroup;
    for (const block of this.network.ipv4Blocks) {
      sg.addIngressRule(ec2.Peer.ipv4(block.text), ec2.Port.tcp(port), `port ${port} from VPC block ${block.label}`);
    }
    for (const block of this.network.ipv6Blocks) {
      sg.addIngressRule(ec2.Peer.ipv6(block.text), ec2.Port.tcp(port), `port ${port} from VPC block ${block.label}`);
    }
    for (const peer of this.peers) {
      sg.addIngressRule(peer, ec2.Port.tcp(port), `port ${port} from ${peer.uniqueId}`);
    }
  }

  /** The subnets of one interface endpoint: selected, checked, one per AZ, filtered to the AZs of the service. */
  private interfaceSubnets(description: string, service: ec2.IInterfaceVpcEndpointService, serviceRegion: string | undefined,
    explicit: ec2.SubnetSelection | undefined): ec2.ISubnet[] {
    const selection = explicit ?? this.props.interfaceSubnets;
    let subnets: ec2.ISubnet[];
    let pending = this.network.lookupPending;
    if (selection === undefined) {
      const candidates = this.vpc.privateSubnets.length > 0 ? this.vpc.privateSubnets : this.vpc.isolatedSubnets;
      subnets = this.onePerAz(candidates);
      if (subnets.length === 0 && !pending) {
        throw new ConnectivityError(this, `Interface endpoint for ${description}: VPC ${this.network.path} has no private or isolated subnet, ` +
          'so no subnet is selected. Add private or isolated subnets, or choose subnets with interfaceSubnets (for example { subnetType: ec2.SubnetType.PUBLIC }).');
      }
    } else {
      let selected: ec2.SelectedSubnets;
      try {
        selected = this.vpc.selectSubnets(selection);
      } catch (e) {
        throw new ConnectivityError(this, `Interface endpoint for ${description}: the subnet selection ${describeSubnetSelection(selection)} selects no subnet ` +
          `of VPC ${this.network.path} (${(e as Error).message}). Select subnets that exist.`);
      }
      pending = pending || selected.isPendingLookup === true;
      subnets = selected.subnets;
      const foreign = subnetsOfAnotherVpc(this.vpc, subnets);
      if (foreign.length > 0) {
        const optionName = explicit !== undefined ? 'subnets' : 'interfaceSubnets';
        throw new ConnectivityError(this, `Interface endpoint for ${description}: ${optionName} ${describeSubnetSelection(selection)} names ` +
          `${describeForeignSubnets(foreign)}, which are not in VPC ${this.network.path}. An endpoint's network interfaces go in subnets of its own VPC: ` +
          `select subnets of ${this.network.path} (for example ${this.network.path}'s isolatedSubnets), or give the other VPC its own VpcEndpoints.`);
      }
      if (subnets.length === 0 && !pending) {
        throw new ConnectivityError(this, `Interface endpoint for ${description}: the subnet selection ${describeSubnetSelection(selection)} selects no subnet ` +
          `of VPC ${this.network.path}. Select at least one subnet (one per AZ).`);
      }
      if (!pending && selection.onePerAz !== true) {
        const byAz = new Map<string, ec2.ISubnet[]>();
        for (const subnet of subnets) {
          const az = this.azKey(subnet);
          byAz.set(az, [...(byAz.get(az) ?? []), subnet]);
        }
        const crowded = [...byAz.values()].filter((list) => list.length > 1);
        if (crowded.length > 0) {
          const detail = crowded.map((list) => `${this.azText(list[0])}: ${list.map((s) => s.node.path).join(', ')}`).join('; ');
          throw new ConnectivityError(this, `Interface endpoint for ${description}: the subnet selection ${describeSubnetSelection(selection)} has more than one subnet ` +
            `in one availability zone (${detail}). An endpoint takes at most one subnet per AZ: select one subnet group, or set onePerAz: true.`);
        }
      }
    }
    if (pending || serviceRegion !== undefined) {
      return subnets;
    }
    return this.supportedAzSubnets(description, service, subnets);
  }

  /** Keep the subnets in AZs that offer the service, when the lookup applies. */
  private supportedAzSubnets(description: string, service: ec2.IInterfaceVpcEndpointService, subnets: ec2.ISubnet[]): ec2.ISubnet[] {
    if (!(this.props.lookupSupportedAzs ?? this.concreteEnv())) {
      return subnets;
    }
    const stack = Stack.of(this);
    const serviceName = stack.resolve(service.name);
    if (typeof serviceName !== 'string') {
      this.warn('supportedAzsLookupSkipped', `The lookup of the AZs that offer ${description} was skipped: the service name is only known at deploy time. ` +
        'Pass a service with a literal name, or set lookupSupportedAzs: false.');
      return subnets;
    }
    if (subnets.some((s) => Token.isUnresolved(s.availabilityZone))) {
      this.warn('supportedAzsLookupSkipped', `The lookup of the AZs that offer ${description} was skipped: the AZ of a selected subnet is only known at deploy time. ` +
        'Import subnets with literal availability zones, or set lookupSupportedAzs: false.');
      return subnets;
    }
    const options = {
      provider: cxschema.ContextProvider.ENDPOINT_SERVICE_AVAILABILITY_ZONE_PROVIDER,
      dummyValue: subnets.map((s) => s.availabilityZone),
      props: { serviceName },
    };
    const cached = this.node.tryGetContext(ContextProvider.getKey(this, options).key) !== undefined;
    const available = ContextProvider.getValue(this, options).value;
    if (!cached || !Array.isArray(available)) {
      // First synth pass: the CLI looks the AZs up and synthesizes again.
      return subnets;
    }
    const kept = subnets.filter((s) => available.includes(s.availabilityZone));
    if (kept.length === 0) {
      throw new ConnectivityError(this, `Interface endpoint for ${description}: the service is offered in ${available.join(', ') || 'no AZ'} ` +
        `of ${stack.region}, but the selected subnets are in ${subnets.map((s) => s.availabilityZone).join(', ')}. ` +
        'Select subnets in an AZ that offers the service.');
    }
    return kept;
  }

  private applyPolicies(endpoint: ec2.VpcEndpoint, description: string, service: string | undefined, policies: EndpointPolicy[] = []): void {
    for (const policy of policies) {
      const config = policy.bind(endpoint, { service: service ?? description, endpoint: description });
      if (config.requiresService !== undefined && service !== undefined && config.requiresService !== service) {
        throw new ConnectivityError(this, `The endpoint for ${description} was given a policy written for ${config.requiresService} ` +
          `(${config.statements.map((s) => JSON.stringify(Stack.of(this).resolve(s.toStatementJson()))).join(', ')}). ` +
          `Give it to the ${config.requiresService} endpoint instead.`);
      }
      const malformed = config.statements.flatMap((s) => malformedConditionValues(s.toStatementJson()));
      if (malformed.length > 0) {
        throw new ConnectivityError(this, `The policy of the endpoint for ${description} has malformed condition values: ${malformed.join('; ')}. ` +
          'Such a condition matches no caller, so the endpoint would deny everything it was meant to allow: correct the value.');
      }
      const missing = statementsWithoutPrincipal(config.statements);
      if (missing.length > 0) {
        throw new ConnectivityError(this, `The policy of the endpoint for ${description} has statement(s) without a Principal: ` +
          `${config.statements.filter((s) => !s.hasPrincipal).map((s) => JSON.stringify(Stack.of(this).resolve(s.toStatementJson()))).join(', ')}. ` +
          'VPC endpoint policies require a Principal in every statement: add principals: [new iam.AnyPrincipal()] and restrict callers with conditions.');
      }
      for (const statement of config.statements) {
        endpoint.addToPolicy(statement);
      }
    }
  }

  /** A peer's CIDR block must be a network address: a security-group rule does not take host bits. */
  private checkPeer(peer: ec2.IPeer, optionName: string): void {
    const problem = checkPeerCidr(peer);
    if (problem) {
      throw new ConnectivityError(this, `${optionName}: ${problem}. A security-group rule takes a network block: write the network address ` +
        '(ec2.Peer.ipv4(\'10.2.0.0/16\')), or a single host as /32.');
    }
  }

  /**
   * Warn about a service name that is neither one of aws-cdk-lib's interface services nor a
   * PrivateLink endpoint service: a typo (`snss`) fails only at deploy, but AWS adds services
   * faster than aws-cdk-lib lists them, so it is a warning.
   */
  private checkInterfaceService(service: ec2.IInterfaceVpcEndpointService, description: string): void {
    const kind = classifyInterfaceService(Stack.of(this), service.name);
    if (kind === InterfaceServiceKind.UNKNOWN) {
      this.warn('unknownInterfaceService', `The interface endpoint service ${description} (${nameText(this, service.name)}) is not one of ` +
        'aws-cdk-lib\'s ec2.InterfaceVpcEndpointAwsService services, nor a PrivateLink endpoint service (com.amazonaws.vpce.<region>.vpce-svc-...). ' +
        'Check the name for a typo (the deploy fails on a service that does not exist); if it is a service newer than aws-cdk-lib, acknowledge this warning.');
    } else if (kind === InterfaceServiceKind.UNRESOLVED) {
      this.warn('interfaceServiceCheckSkipped', `The check that the interface endpoint service ${describeValue(service.name, this)} exists was skipped: ` +
        'its name is only known at deploy time. Pass a service with a literal name (ec2.InterfaceVpcEndpointAwsService) to have it checked.');
    }
  }

  /**
   * Fail before creating an interface endpoint that would put the VPC above the quota of
   * interface and Gateway Load Balancer endpoints (the app-wide check at synth also counts the
   * endpoints added later, and warns at 80%).
   */
  private checkInterfaceQuota(description: string): void {
    const count = EndpointRegistry.of(this).interfaceEndpointsInVpc(Stack.of(this), this.vpc.vpcId) + 1;
    const check = checkQuota('interfaceEndpointsPerVpc', `VPC ${this.network.path}`, count, quotasOf(this).interfaceEndpointsPerVpc, INTERFACE_QUOTA_HINT);
    if (check?.level === 'error') {
      throw new ConnectivityError(this, `Adding the interface endpoint for ${description}: ${check.message}`);
    }
  }

  private register(endpoint: ec2.VpcEndpoint, description: string): void {
    const cfn = endpoint.node.defaultChild as ec2.CfnVPCEndpoint;
    const registry = EndpointRegistry.of(this);
    registry.register(this, cfn);
    const conflicts = registry.conflictsOf(cfn);
    if (conflicts.length > 0) {
      const dns = cfn.vpcEndpointType === 'Interface';
      throw new ConnectivityError(this, `The endpoint for ${description} in VPC ${this.network.path} conflicts with ${conflicts.join('; ')}. ` +
        (dns
          ? 'AWS allows private DNS for a service on one endpoint per VPC: add the service to that endpoint\'s VpcEndpoints, or set privateDnsEnabled: false here.'
          : 'A route table takes one route per prefix list: reuse that endpoint, or attach this one to other subnets.'));
    }
  }

  /**
   * The rules of the shared security group admit network blocks only: a rule added through
   * `connections` or `securityGroup` directly (not through allowFrom) is checked here, at synth.
   */
  private validateIngressBlocks(): string[] {
    if (!this.sharedSecurityGroup) { return []; }
    const cfn = this.sharedSecurityGroup.node.defaultChild as ec2.CfnSecurityGroup;
    const rules = Stack.of(this).resolve(cfn.securityGroupIngress);
    if (!Array.isArray(rules)) { return []; }
    const problems: string[] = [];
    for (const rule of rules) {
      for (const block of [rule?.cidrIp ?? rule?.CidrIp, rule?.cidrIpv6 ?? rule?.CidrIpv6]) {
        const problem = typeof block === 'string' ? checkCidr(block) : undefined;
        if (problem) {
          problems.push(`The security group ${this.sharedSecurityGroup.node.path} of the interface endpoints has an ingress rule whose block ${problem}. ` +
            'A security-group rule takes a network block: write the network address (or a single host as /32) where the rule is added.');
        }
      }
    }
    return problems;
  }

  /** Each endpoint's policy, once every statement is added, fits AWS's limit. */
  private validatePolicyLengths(): string[] {
    const entries = [...this.gatewayEntries.values(), ...this.interfaceEntries.values()];
    return entries.flatMap((entry) => {
      const cfn = entry.endpoint.node.defaultChild as ec2.CfnVPCEndpoint;
      const problem = checkEndpointPolicyLength(Stack.of(this).resolve(cfn.policyDocument));
      return problem ? [`The policy of the endpoint for ${entry.description} (${entry.endpoint.node.path}) ${problem}. ` +
        'Give it fewer statements (one statement can list several buckets or tables), or move restrictions to the resources\' own policies.'] : [];
    });
  }

  private validateBlocksUnchanged(): string[] {
    if (!this.sharedSecurityGroup || !this.network.definedInApp) { return []; }
    const known = new Set([...this.network.ipv4Blocks, ...this.network.ipv6Blocks].map((b) => b.association).filter((a) => a));
    const late = secondaryAssociations(this.vpc).filter((a) => !known.has(a));
    if (late.length === 0) { return []; }
    return [`CIDR block(s) ${late.map((a) => a.node.path).join(', ')} were added to VPC ${this.network.path} after the VpcEndpoints ${this.node.path} ` +
      'was created, so the endpoints\' security group does not admit them. Create the VPCCidrBlock before the VpcEndpoints.'];
  }

  private onePerAz(subnets: ec2.ISubnet[]): ec2.ISubnet[] {
    const seen = new Set<string>();
    return subnets.filter((s) => {
      const az = this.azKey(s);
      if (seen.has(az)) { return false; }
      seen.add(az);
      return true;
    });
  }

  private azKey(subnet: ec2.ISubnet): string {
    return Token.isUnresolved(subnet.availabilityZone)
      ? JSON.stringify(Stack.of(this).resolve(subnet.availabilityZone))
      : subnet.availabilityZone;
  }

  private azText(subnet: ec2.ISubnet): string {
    return Token.isUnresolved(subnet.availabilityZone) ? `AZ ${describeValue(subnet.availabilityZone, subnet)}` : subnet.availabilityZone;
  }

  private gatewayKey(service: GatewayService): string {
    return service._key ?? JSON.stringify(Stack.of(this).resolve(service.service.name));
  }

  private interfaceKey(service: ec2.IInterfaceVpcEndpointService, serviceRegion: string | undefined): string {
    const name = service instanceof ec2.InterfaceVpcEndpointAwsService
      ? `aws:${service.shortName}:${JSON.stringify(Stack.of(this).resolve(service.name))}`
      : JSON.stringify(Stack.of(this).resolve(service.name));
    return `${name}|${service.port}|${serviceRegion ?? ''}`;
  }

  private interfaceId(service: ec2.IInterfaceVpcEndpointService, serviceRegion: string | undefined): string {
    let base: string;
    if (service instanceof ec2.InterfaceVpcEndpointAwsService) {
      base = pascal(service.shortName);
    } else if (!Token.isUnresolved(service.name)) {
      base = pascal(service.name.replace(/^com\.amazonaws\./, ''));
    } else {
      base = `Service${fnv1a(JSON.stringify(Stack.of(this).resolve(service.name)))}`;
    }
    return serviceRegion ? `${base}${pascal(serviceRegion)}` : base;
  }

  private uniqueId(base: string, key: string): string {
    return this.node.tryFindChild(base) ? `${base}${fnv1a(key)}` : base;
  }

  private gatewayDescription(service: GatewayService): string {
    if (service._key) { return service._key === 's3' ? 'Amazon S3' : 'Amazon DynamoDB'; }
    return nameText(this, service.service.name);
  }

  private serviceDescription(service: ec2.IInterfaceVpcEndpointService, serviceRegion: string | undefined): string {
    const name = service instanceof ec2.InterfaceVpcEndpointAwsService ? service.shortName : nameText(this, service.name);
    return serviceRegion ? `${name} in ${serviceRegion}` : name;
  }

  /** `undefined` for the stack's own region. */
  private normalizeServiceRegion(serviceRegion: string | undefined): string | undefined {
    if (serviceRegion === undefined) { return undefined; }
    const region = Stack.of(this).region;
    return !Token.isUnresolved(region) && region === serviceRegion ? undefined : serviceRegion;
  }

  private concreteEnv(): boolean {
    const stack = Stack.of(this);
    return !Token.isUnresolved(stack.account) && !Token.isUnresolved(stack.region);
  }

  private warn(id: string, message: string): void {
    Annotations.of(this).addWarningV2(`cdk-vpc-connect:${id}`, message);
  }
}

/**
 * The service of a cross-region endpoint. AWS services are named after the region that
 * serves them (`com.amazonaws.us-west-2.ecr.api`); global services and services of your own
 * keep their name.
 */
function regionalService(scope: IConstruct, service: ec2.IInterfaceVpcEndpointService, serviceRegion: string): ec2.IInterfaceVpcEndpointService {
  if (!(service instanceof ec2.InterfaceVpcEndpointAwsService)) {
    return service;
  }
  const stack = Stack.of(scope);
  const resolved = JSON.stringify(stack.resolve(service.name));
  const regional = resolved.includes('"AWS::Region"') || (!Token.isUnresolved(stack.region) && resolved.includes(`.${stack.region}.`));
  if (!regional) {
    return service;
  }
  return new ec2.InterfaceVpcEndpointService(`com.amazonaws.${serviceRegion}.${service.shortName}`, service.port);
}

function nameText(scope: IConstruct, name: string): string {
  return Token.isUnresolved(name) ? readable(Stack.of(scope).resolve(name)) : name;
}

/**
 * Fail on the fields of {@link RouteOptions} a gateway endpoint cannot honour.
 */
function rejectGatewayRouteOptions(owner: IConstruct, routes: RouteOptions | undefined, optionName: string): void {
  rejectRouteOption(owner, routes, optionName, 'destinations',
    'a gateway endpoint\'s routes always lead to the service\'s prefix list (pl-...), which AWS adds to each route table. ' +
    `Remove ${optionName}.destinations; choose the route tables with ${optionName}.subnets.`);
  rejectRouteOption(owner, routes, optionName, 'scope',
    'the route tables of a gateway endpoint are a property of the endpoint resource (RouteTableIds), created with the VpcEndpoints. ' +
    `Remove ${optionName}.scope, or create the VpcEndpoints itself in the stack you want.`);
}

/** Route options for a message (a `SubnetSelection` holds constructs: never stringified). */
function describeRouteOptions(routes: RouteOptions): string {
  const parts: string[] = [];
  if (routes.enabled !== undefined) { parts.push(`enabled ${routes.enabled}`); }
  if (routes.subnets !== undefined) { parts.push(`subnets ${describeSubnetSelection(routes.subnets)}`); }
  return `{ ${parts.join('; ') || 'defaults'} }`;
}

/**
 * What `routes.enabled: false` hands aws-cdk-lib's `ec2.GatewayVpcEndpoint`, which refuses to be
 * created without a route table: a placeholder subnet with a placeholder table, dropped from the
 * resource right after (`RouteTableIds` is optional in CloudFormation).
 */
const UNROUTED: ec2.SubnetSelection = {
  subnets: [{
    subnetId: 'unrouted',
    availabilityZone: 'unrouted',
    routeTable: { routeTableId: 'unrouted' },
    internetConnectivityEstablished: new DependencyGroup(),
  } as unknown as ec2.ISubnet],
};

function pascal(text: string): string {
  return text.split(/[^A-Za-z0-9]+/).filter((p) => p).map((p) => p[0].toUpperCase() + p.slice(1)).join('');
}
