import { Annotations, Fn, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ram from 'aws-cdk-lib/aws-ram';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as route53profiles from 'aws-cdk-lib/aws-route53profiles';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { EndpointBundle } from './bundles';
import { normalizedServiceName } from './checks';
import { readable } from './endpoint-registry';
import { classifyGatewayService, GatewayService } from './gateway-service';
import { recordTextsOf, ServiceDnsNames, serviceDnsNames, zoneNameOf, zoneTextOf } from './private-dns';
import { breakEvenConsumers, estimateSharedEndpointsCost } from './shared-cost';
import { VpcEndpoints } from './vpc-endpoints';
import { CostEstimate, CostOptions } from '../cost/estimate';
import { Pricing } from '../cost/pricing';
import { ConnectivityError, CostInputError } from '../errors';
import { PeeringMesh } from '../peering/peering-mesh';
import { VpcPeering } from '../peering/vpc-peering';
import { containerInStack } from '../routing/placement';
import { checkQuota, quotasOf } from '../routing/quotas';
import { fnv1a } from '../routing/route-tables';
import { describeVpcFor } from '../routing/subnets';
import { describeForMessage, VpcNetwork } from '../routing/vpc-network';
import { TransitGatewayHub } from '../transit/transit-gateway-hub';

/** How one consumer of a {@link SharedEndpoints} is added (`addConsumer`). */
export interface SharedEndpointsConsumerOptions {
  /**
   * Whether the consumer reaches the shared VPC through a network made outside this app (a
   * transit gateway or peering of another app, a VPN). The synth-time check that a
   * `TransitGatewayHub`, `VpcPeering` or `PeeringMesh` of the app connects the consumer to the
   * shared VPC is then skipped for it.
   *
   * @default false
   */
  readonly routedElsewhere?: boolean;
}

/** Properties of {@link SharedEndpoints}. */
export interface SharedEndpointsProps {
  /** The VPC that holds the endpoints (the shared-services VPC). */
  readonly vpc: ec2.IVpc;

  /**
   * The interface endpoints to share: single services or bundles, as `VpcEndpoints` takes them.
   * Each service needs private DNS names the library knows (AWS services; not PrivateLink
   * endpoint services of your own). Gateway endpoints cannot be shared (S3 and DynamoDB gateway
   * endpoints work only inside their VPC): a bundle's gateway services
   * (`EndpointBundle.ECR_IMAGE_PULL`'s S3) are left to each consumer, which needs its own
   * (free) gateway endpoint; `ec2.InterfaceVpcEndpointAwsService.S3` is the S3 interface
   * endpoint, which can be shared.
   */
  readonly interfaces: Array<EndpointBundle | ec2.IInterfaceVpcEndpointService>;

  /**
   * The VPCs that resolve the services' names to the shared endpoints, as if each were added
   * with `addConsumer(vpc)`: in this construct's stack (the zones list them), in another stack of
   * the same account (the association is made in that stack), or in another account (through a
   * Route 53 Profile shared with AWS RAM). Every consumer must be in the region of the shared VPC.
   *
   * @default - none: add consumers with `addConsumer`
   */
  readonly consumers?: ec2.IVpc[];

  /**
   * The subnets of the endpoints' network interfaces, in the shared VPC.
   *
   * @default - the private subnets of the VPC, else its isolated subnets, one per AZ
   */
  readonly interfaceSubnets?: ec2.SubnetSelection;

  /**
   * The IP addresses of the endpoints' network interfaces, and so the alias records of the
   * zones: `IPV4` (A records), `DUALSTACK` (A and AAAA) or `IPV6` (AAAA). IPv6 needs subnets with
   * IPv6 blocks in the shared VPC.
   *
   * @default ec2.VpcEndpointIpAddressType.IPV4
   */
  readonly ipAddressType?: ec2.VpcEndpointIpAddressType;

  /**
   * Place the endpoints only in the AZs that offer each service (a context lookup), as
   * `VpcEndpoints` does.
   *
   * @default - true when the stack has a concrete account and region
   */
  readonly lookupSupportedAzs?: boolean;
}

/** Input of `SharedEndpoints.breakEvenVpcs`. */
export interface SharedEndpointsBreakEvenOptions {
  /** The interface endpoints shared (one per service). */
  readonly services: number;

  /**
   * The AZs of each endpoint, in the shared VPC and in each consumer alike.
   *
   * @default 2
   */
  readonly azs?: number;

  /**
   * GB per month through the endpoints, all consumers and both directions together.
   *
   * @default 0
   */
  readonly gbPerMonth?: number;

  /**
   * Whether the consumers reach the shared VPC through a transit gateway (its data processing is
   * then counted for every GB).
   *
   * @default true
   */
  readonly throughTransitGateway?: boolean;

  /**
   * The rates.
   *
   * @default Pricing.US_EAST_1
   */
  readonly pricing?: Pricing;
}

/** One shared service. */
interface SharedService {
  readonly service: ec2.IInterfaceVpcEndpointService;
  readonly shortName: string;
  readonly id: string;
  readonly names: ServiceDnsNames;
  readonly endpoint: ec2.InterfaceVpcEndpoint;
  readonly zone: route53.PrivateHostedZone;
}

/** One consumer. */
interface Consumer {
  readonly vpc: ec2.IVpc;
  readonly network: VpcNetwork;
  readonly routedElsewhere: boolean;
  readonly crossAccount: boolean;
}

/** How a consumer reaches the shared VPC. */
enum Connection { HUB = 'hub', PEERING = 'peering' }

/**
 * One set of interface endpoints in a shared-services VPC, used by many VPCs (issue 13).
 *
 * - The endpoints are made by a {@link VpcEndpoints} in `vpc` with their own private DNS off,
 *   behind one security group that admits TCP 443 from the shared VPC and every consumer's CIDR
 *   blocks, and nothing else.
 * - Each service gets a Route 53 private hosted zone named after its DNS name
 *   (`sns.<region>.amazonaws.com`; `dkr.ecr.<region>.amazonaws.com` with a wildcard record)
 *   holding alias A records to the endpoint's regional DNS name, associated with the shared VPC
 *   and every consumer of the same account (from the consumer's stack when it is another).
 *   Consumers of other accounts get the zones through a
 *   Route 53 Profile shared with AWS RAM, associated with the consumer VPC in the consumer's
 *   stack (see `addConsumer`).
 * - Checked at synth: each consumer reaches the shared VPC through a `TransitGatewayHub`, a
 *   `VpcPeering` or a `PeeringMesh` of the app (or is added with `routedElsewhere`); no consumer
 *   (nor the shared VPC) has an endpoint of its own with private DNS for a shared service;
 *   every service has private DNS names; consumers are in the shared VPC's region, within the
 *   hosted-zone association quota, with CIDR blocks that overlap neither each other nor the
 *   shared VPC.
 *
 * @example
 * const shared = new SharedEndpoints(this, 'Endpoints', {
 *   vpc: sharedServicesVpc,
 *   interfaces: [EndpointBundle.SSM_SESSION_MANAGER, ec2.InterfaceVpcEndpointAwsService.SNS],
 *   consumers: [appVpc1, appVpc2],
 * });
 * shared.addConsumer(appVpc3);
 */
export class SharedEndpoints extends Construct implements ec2.IConnectable {
  /**
   * Whether `x` is a `SharedEndpoints`. A brand, not `instanceof`: it holds across two copies of
   * the library in one app.
   */
  public static isSharedEndpoints(x: any): x is SharedEndpoints {
    return x !== null && typeof x === 'object' && SharedEndpoints.BRAND in x;
  }

  /**
   * The smallest number of consumer VPCs from which one shared set of interface endpoints costs
   * less each month than the same endpoints in every consumer: the endpoints' hourly charge saved
   * against the private hosted zones and, through a transit gateway, its data processing.
   *
   * @throws CostInputError on a count below 1 or a negative traffic
   */
  public static breakEvenVpcs(options: SharedEndpointsBreakEvenOptions): number {
    return breakEvenConsumers({
      services: options.services,
      azs: options.azs ?? 2,
      gbPerMonth: options.gbPerMonth ?? 0,
      throughTransitGateway: options.throughTransitGateway ?? true,
      pricing: options.pricing,
    });
  }

  private static readonly BRAND = Symbol.for('cdk-vpc-connect.SharedEndpoints');

  /** The shared-services VPC that holds the endpoints. */
  public readonly vpc: ec2.IVpc;

  /** The endpoints, in `vpc`, with private DNS off. */
  public readonly endpoints: VpcEndpoints;

  private readonly network: VpcNetwork;
  private readonly services: SharedService[] = [];
  private readonly consumerList: Consumer[] = [];
  private readonly bundleGateways: GatewayService[] = [];
  private readonly consumerContainers = new Map<Stack, Construct>();
  private profileResource?: route53profiles.CfnProfile;
  private shareResource?: ram.CfnResourceShare;

  constructor(scope: Construct, id: string, props: SharedEndpointsProps) {
    super(scope, id);
    Object.defineProperty(this, SharedEndpoints.BRAND, { value: true });
    this.vpc = props.vpc;
    this.network = describeVpcFor(this, props.vpc, 'the shared endpoints serve');
    this.checkDns(this.network, 'The shared VPC');

    const services = this.flattenInterfaces(props.interfaces);
    this.endpoints = new VpcEndpoints(this, 'Endpoints', {
      vpc: props.vpc,
      interfaces: services.map((s) => s.service),
      privateDnsEnabled: false,
      interfaceSubnets: props.interfaceSubnets,
      lookupSupportedAzs: props.lookupSupportedAzs,
    });

    const ipAddressType = props.ipAddressType ?? ec2.VpcEndpointIpAddressType.IPV4;
    if (ipAddressType !== ec2.VpcEndpointIpAddressType.IPV4 && this.network.definedInApp && this.network.ipv6Blocks.length === 0) {
      throw new ConnectivityError(this, `ipAddressType ${ipAddressType} needs IPv6 addresses, but VPC ${this.network.path} has no IPv6 block. ` +
        'Give the VPC and its endpoint subnets IPv6 blocks, or leave ipAddressType out (IPv4).');
    }
    const recordTypes = ipAddressType === ec2.VpcEndpointIpAddressType.IPV6 ? ['AAAA']
      : ipAddressType === ec2.VpcEndpointIpAddressType.DUALSTACK ? ['A', 'AAAA'] : ['A'];
    const stack = Stack.of(this);
    for (const { service, shortName, names } of services) {
      const serviceId = pascal(shortName);
      const endpoint = this.endpoints.interfaceEndpoint(service);
      if (ipAddressType !== ec2.VpcEndpointIpAddressType.IPV4) {
        (endpoint.node.defaultChild as ec2.CfnVPCEndpoint).ipAddressType = ipAddressType;
      }
      const zone = new route53.PrivateHostedZone(this, `${serviceId}Zone`, {
        zoneName: zoneNameOf(names, stack.region, stack.urlSuffix),
        vpc: props.vpc,
        comment: `${shortName} through the shared interface endpoint ${endpoint.node.path}`,
      });
      for (const record of names.records) {
        for (const type of recordTypes) {
          // A records keep the ids `Apex` and `Wildcard`; AAAA records add the type.
          const recordId = `${record === '' ? 'Apex' : 'Wildcard'}${type === 'A' ? '' : type}`;
          const recordProps: route53.ARecordProps = {
            zone,
            recordName: record === '' ? undefined : record,
            target: route53.RecordTarget.fromAlias(new targets.InterfaceVpcEndpointTarget(endpoint)),
          };
          if (type === 'A') {
            new route53.ARecord(zone, recordId, recordProps);
          } else {
            new route53.AaaaRecord(zone, recordId, recordProps);
          }
        }
      }
      this.services.push({ service, shortName, id: serviceId, names, endpoint, zone });
    }

    for (const consumer of props.consumers ?? []) {
      this.addConsumer(consumer);
    }
    this.node.addValidation({ validate: () => this.validateShared() });
  }

  /**
   * Make a VPC resolve the services' names to the shared endpoints, and admit its CIDR blocks to
   * them (TCP 443).
   *
   * A consumer of this construct's stack is listed in every zone's `VPCs`. A consumer of another
   * stack of the same account gets the associations in its own stack (Route 53's
   * AssociateVPCWithHostedZone through an `AwsCustomResource` per zone, allowed that call and its
   * reverse on the zone, and `ec2:DescribeVpcs`), so its stack depends on this one, as a hub's
   * spokes do on the hub's. A consumer whose stack is in another account (both accounts literal)
   * gets the zones through a Route 53 Profile: the profile, its zone associations and an AWS RAM
   * share to the consumer's account are made here, and in the consumer's stack a lookup of the
   * shared profile (an `AwsCustomResource` calling RAM's GetResourceShares and ListResources,
   * nothing else) and the `AWS::Route53Profiles::ProfileAssociation` with the VPC. The consumer's
   * stack depends on this one, so one `cdk deploy --all` deploys them in order. The share is
   * accepted automatically inside an AWS Organization with RAM sharing enabled; otherwise accept
   * the invitation in the consumer's account before deploying its stack. A VPC can have one
   * profile only.
   *
   * @throws ConnectivityError when the VPC is the shared VPC, a consumer already, in another
   * region, overlaps the shared VPC or a consumer, or is one too many for the hosted zones
   */
  public addConsumer(vpc: ec2.IVpc, options: SharedEndpointsConsumerOptions = {}): void {
    if (vpc === this.vpc || this.sameLiteralId(vpc, this.vpc)) {
      throw new ConnectivityError(this, `VPC ${vpc.node.path} is the shared VPC of these endpoints: it uses them already (the zones are associated with it). ` +
        'List only the other VPCs as consumers.');
    }
    if (this.consumerList.some((c) => c.vpc === vpc || this.sameLiteralId(c.vpc, vpc))) {
      throw new ConnectivityError(this, `VPC ${vpc.node.path} is a consumer of these shared endpoints already. Add each consumer once.`);
    }
    const network = describeVpcFor(this, vpc, 'the endpoints\' security group admits');
    this.checkDns(network, 'Consumer');
    this.checkRegion(network);
    this.checkOverlap(network);
    const crossAccount = this.isCrossAccount(network);
    if (!crossAccount) {
      const associations = 1 + this.consumerList.filter((c) => !c.crossAccount).length + 1;
      const check = checkQuota('vpcsPerPrivateHostedZone', `Each private hosted zone of ${this.node.path}`, associations,
        quotasOf(this).vpcsPerPrivateHostedZone, SHARED_QUOTA_HINT);
      if (check?.level === 'error') {
        throw new ConnectivityError(this, `Adding consumer ${network.path}: ${check.message}`);
      }
    }

    this.endpoints.allowFromVpc(vpc);
    if (crossAccount) {
      this.associateThroughProfile(vpc, network);
    } else if (Stack.of(vpc) !== Stack.of(this)) {
      this.associateFromItsStack(vpc);
    } else {
      for (const service of this.services) {
        service.zone.addVpc(vpc);
      }
    }
    this.consumerList.push({ vpc, network, routedElsewhere: options.routedElsewhere ?? false, crossAccount });
  }

  /** The consumer VPCs, in the order added. */
  public get consumers(): ec2.IVpc[] {
    return this.consumerList.map((c) => c.vpc);
  }

  /** The private hosted zones, one per service, in the order of `interfaces`. */
  public get hostedZones(): route53.IPrivateHostedZone[] {
    return this.services.map((s) => s.zone);
  }

  /**
   * The private hosted zone of a service.
   *
   * @throws ConnectivityError when the service is not shared here
   */
  public hostedZone(service: ec2.IInterfaceVpcEndpointService): route53.IPrivateHostedZone {
    return this.serviceEntry(service).zone;
  }

  /**
   * The interface endpoint of a service.
   *
   * @throws ConnectivityError when the service is not shared here
   */
  public interfaceEndpoint(service: ec2.IInterfaceVpcEndpointService): ec2.InterfaceVpcEndpoint {
    return this.serviceEntry(service).endpoint;
  }

  /** The security group of the endpoints: TCP 443 from the shared VPC and every consumer. */
  public get securityGroup(): ec2.ISecurityGroup {
    return this.endpoints.securityGroup;
  }

  /** The connections of the endpoints' security group. */
  public get connections(): ec2.Connections {
    return this.endpoints.connections;
  }

  /** The Route 53 Profile that carries the zones to consumers of other accounts, once there is one. */
  public get profile(): route53profiles.CfnProfile | undefined {
    return this.profileResource;
  }

  /** The AWS RAM share of the profile with the consumers' accounts, once there is one. */
  public get resourceShare(): ram.CfnResourceShare | undefined {
    return this.shareResource;
  }

  /**
   * What the shared set adds to the monthly bill (us-east-1 list prices unless
   * `options.pricing` says otherwise), against the same endpoints in every consumer
   * (`alternative`, and `monthlySavingsUsd`): the endpoints per AZ-hour and per GB of
   * `options.traffic.gbPerMonth` (the consumers' traffic through the endpoints, both
   * directions), the private hosted zones, and, when a consumer reaches the shared VPC through a
   * `TransitGatewayHub` of the app, the gateway's data processing for that traffic. Each
   * consumer's own set would span the AZs of its private (else isolated) subnets.
   *
   * @throws CostInputError when `options` holds what does not apply (`natGatewaysAvoided`)
   */
  public estimateMonthlyCost(options: CostOptions = {}): CostEstimate {
    if (options.natGatewaysAvoided !== undefined) {
      throw new CostInputError(`natGatewaysAvoided (${options.natGatewaysAvoided}) only applies to the estimate of VpcEndpoints: ` +
        'the comparison of SharedEndpoints is with the same endpoints in every consumer. Leave it out.');
    }
    const connections = this.findConnections();
    return estimateSharedEndpointsCost({
      services: this.services.length,
      sharedEndpointAzs: this.services.reduce((sum, s) => sum + Math.max(1, endpointAzs(s.endpoint)), 0),
      consumerAzs: this.consumerList.map((c) => consumerAzs(c.vpc)),
      hostedZones: this.services.length,
      gbPerMonth: options.traffic?.gbPerMonth ?? 0,
      throughTransitGateway: this.consumerList.some((c) => connections.get(c) === Connection.HUB),
      pricing: options.pricing,
    });
  }

  /** The services of `interfaces`, each once, with their DNS names; gateway services rejected. */
  private flattenInterfaces(items: Array<EndpointBundle | ec2.IInterfaceVpcEndpointService>): Array<{ service: ec2.IInterfaceVpcEndpointService; shortName: string; names: ServiceDnsNames }> {
    if (!Array.isArray(items) || items.length === 0) {
      throw new ConnectivityError(this, 'interfaces is empty: name the interface endpoint services to share (for example ' +
        '[EndpointBundle.SSM_SESSION_MANAGER, ec2.InterfaceVpcEndpointAwsService.SNS]).');
    }
    const candidates: ec2.IInterfaceVpcEndpointService[] = [];
    for (const item of items) {
      if (EndpointBundle.isEndpointBundle(item)) {
        candidates.push(...item.services);
        for (const gateway of item.gateways) {
          if (!this.bundleGateways.some((g) => g.name === gateway.name)) { this.bundleGateways.push(gateway); }
        }
      } else if (isGatewayService(item)) {
        const gateway = GatewayService.of(item as unknown as GatewayService);
        const kind = classifyGatewayService(this, gateway);
        const name = kind === 's3' ? 'Amazon S3' : kind === 'dynamodb' ? 'Amazon DynamoDB' : 'a gateway service';
        throw new ConnectivityError(this, `interfaces includes the gateway endpoint service of ${name}. Gateway endpoints cannot be shared: ` +
          'an S3 or DynamoDB gateway endpoint works only inside its own VPC (traffic from a peered or attached VPC does not go through it). ' +
          'Give each consumer its own gateway endpoint (free: new VpcEndpoints(this, \'Gateways\', { vpc: consumer, gateways: [GatewayService.S3] })), ' +
          (kind === 'dynamodb' ? 'or share the DynamoDB interface endpoint (ec2.InterfaceVpcEndpointAwsService.DYNAMODB) if you must.' :
            'or share the S3 interface endpoint (ec2.InterfaceVpcEndpointAwsService.S3) for consumers that need S3 through the shared VPC.'));
      } else {
        candidates.push(item);
      }
    }
    const result: Array<{ service: ec2.IInterfaceVpcEndpointService; shortName: string; names: ServiceDnsNames }> = [];
    for (const service of candidates) {
      const described = this.dnsNamesOf(service);
      if (result.some((r) => r.shortName === described.shortName)) { continue; }
      result.push({ service, ...described });
    }
    return result;
  }

  private dnsNamesOf(service: ec2.IInterfaceVpcEndpointService): { shortName: string; names: ServiceDnsNames } {
    const text = describeName(this, service.name);
    if (!(service instanceof ec2.InterfaceVpcEndpointAwsService)) {
      throw new ConnectivityError(this, `The interface endpoint service ${text} has no private DNS names the library can share: ` +
        'only AWS services (ec2.InterfaceVpcEndpointAwsService) answer on names a private hosted zone can take over. ' +
        'Give an endpoint service of your own (com.amazonaws.vpce.<region>.vpce-svc-...) an endpoint in each consumer, or a private DNS name of its own.');
    }
    // Services named otherwise (`aws.api.<region>.freetier`, `aws.sagemaker.<region>.notebook`) answer on other names.
    const normalized = normalizedServiceName(Stack.of(this).resolve(service.name));
    const standard = normalized === `com.amazonaws.<region>.${service.shortName}` || normalized === `cn.com.amazonaws.<region>.${service.shortName}`;
    const names = service.privateDnsDefault === false || !standard ? undefined : serviceDnsNames(service.shortName);
    if (!names) {
      throw new ConnectivityError(this, `The interface endpoint service ${service.shortName} has no private DNS names to share ` +
        `(${service.privateDnsDefault === false ? 'AWS offers it without private DNS' : 'its DNS names are not known to the library'}). ` +
        'Leave it out of interfaces and give it an endpoint with private DNS in each VPC that calls it (VpcEndpoints).');
    }
    return { shortName: service.shortName, names };
  }

  private serviceEntry(service: ec2.IInterfaceVpcEndpointService): SharedService {
    const entry = this.services.find((s) => s.service === service
      || (service instanceof ec2.InterfaceVpcEndpointAwsService && s.shortName === service.shortName));
    if (!entry) {
      throw new ConnectivityError(this, `The service ${service instanceof ec2.InterfaceVpcEndpointAwsService ? service.shortName : describeName(this, service.name)} ` +
        `is not shared here (shared: ${this.services.map((s) => s.shortName).join(', ')}). Add it to interfaces.`);
    }
    return entry;
  }

  /**
   * A private hosted zone answers only in VPCs with DNS support and DNS hostnames on
   * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zone-private-considerations.html);
   * checked for VPCs made in the app (`ec2.Vpc` turns both on by default).
   */
  private checkDns(network: VpcNetwork, role: string): void {
    const cfn = network.vpc.node.defaultChild;
    if (!(cfn instanceof ec2.CfnVPC)) { return; }
    const off = [['enableDnsSupport', cfn.enableDnsSupport], ['enableDnsHostnames', cfn.enableDnsHostnames]]
      .filter(([, value]) => value === false).map(([name]) => name);
    if (off.length > 0) {
      throw new ConnectivityError(this, `${role} ${network.path} has ${off.join(' and ')} off, so the shared private hosted zones would not answer in it. ` +
        'Turn them on (ec2.Vpc\'s defaults): a private hosted zone needs DNS support and DNS hostnames in every VPC it is associated with.');
    }
  }

  /** A consumer must be in the shared VPC's region: interface endpoints serve their own region. */
  private checkRegion(network: VpcNetwork): void {
    const mine = this.network.region ?? literal(Stack.of(this).region);
    const theirs = network.region ?? literal(Stack.of(network.vpc).region);
    if (mine !== undefined && theirs !== undefined && mine !== theirs) {
      throw new ConnectivityError(this, `Consumer ${network.path} is in ${theirs}, but the shared endpoints are in ${mine}. ` +
        'An interface endpoint serves the services of its own region, and the shared zones name that region\'s services: ' +
        `share a set of endpoints in ${theirs} for it, or give it a cross-region endpoint of its own (VpcEndpoints.addInterface(service, { serviceRegion: '${mine}' })).`);
    }
    if ((mine === undefined || theirs === undefined) && Stack.of(network.vpc) !== Stack.of(this)) {
      Annotations.of(this).addWarningV2('cdk-vpc-connect:sharedEndpointsRegionUnchecked', `The check that consumer ${network.path} is in the region of the ` +
        'shared endpoints was skipped: a region is only known at deploy time. Give both stacks an explicit env: { account, region }.');
    }
  }

  /** Overlapping blocks: the security group would merge them, and no route could tell them apart. */
  private checkOverlap(network: VpcNetwork): void {
    const others: VpcNetwork[] = [this.network, ...this.consumerList.map((c) => c.network)];
    for (const block of network.ipv4Blocks) {
      for (const other of others) {
        const clash = other.ipv4Blocks.find((b) => b.cidr && block.cidr && b.cidr.overlaps(block.cidr));
        if (clash) {
          const role = other === this.network ? 'the shared VPC' : 'consumer';
          throw new ConnectivityError(this, `Consumer ${describeForMessage(network)} overlaps ${role} ${describeForMessage(other)} ` +
            `(${block.cidr} and ${clash.cidr}). Consumers of shared endpoints need CIDR blocks that overlap neither each other nor the shared VPC: ` +
            'the endpoints\' security group would admit the two as one, and no route to the shared VPC could tell them apart. Re-address one of them.');
        }
      }
    }
  }

  private isCrossAccount(network: VpcNetwork): boolean {
    const mine = literal(Stack.of(this).account);
    const theirs = network.account ?? literal(Stack.of(network.vpc).account);
    return mine !== undefined && theirs !== undefined && mine !== theirs;
  }

  private sameLiteralId(a: ec2.IVpc, b: ec2.IVpc): boolean {
    return !Token.isUnresolved(a.vpcId) && a.vpcId === b.vpcId;
  }

  /**
   * The zones' association with a consumer of another stack of the same account, made in the
   * consumer's stack (Route 53's AssociateVPCWithHostedZone, and DisassociateVPCFromHostedZone on
   * delete, through `AwsCustomResource`): listing the consumer in the zones' `VPCs` would make this
   * stack depend on the consumer's, the opposite of a hub's spokes, which depend on the hub's stack.
   */
  private associateFromItsStack(vpc: ec2.IVpc): void {
    const container = this.containerIn(Stack.of(vpc));
    for (const service of this.services) {
      const zoneId = service.zone.hostedZoneId;
      const call = (action: string): cr.AwsSdkCall => ({
        service: 'Route53',
        action,
        parameters: { HostedZoneId: zoneId, VPC: { VPCId: vpc.vpcId, VPCRegion: Stack.of(vpc).region } },
        physicalResourceId: cr.PhysicalResourceId.of(`${zoneId}/${vpc.vpcId}`),
        ignoreErrorCodesMatching: action === 'disassociateVPCFromHostedZone' ? 'VPCAssociationNotFound|NoSuchHostedZone' : undefined,
      });
      const baseId = `${service.id}Zone${pascal(vpc.node.id)}`;
      new cr.AwsCustomResource(container, container.node.tryFindChild(baseId) ? `${baseId}${fnv1a(vpc.node.path)}` : baseId, {
        onCreate: call('associateVPCWithHostedZone'),
        onUpdate: call('associateVPCWithHostedZone'),
        onDelete: call('disassociateVPCFromHostedZone'),
        policy: cr.AwsCustomResourcePolicy.fromStatements([
          new iam.PolicyStatement({
            actions: ['route53:AssociateVPCWithHostedZone', 'route53:DisassociateVPCFromHostedZone'],
            resources: [service.zone.hostedZoneArn],
          }),
          // Route 53 checks the VPC with ec2:DescribeVpcs, which takes no resource.
          new iam.PolicyStatement({ actions: ['ec2:DescribeVpcs'], resources: ['*'] }),
        ]),
        installLatestAwsSdk: false,
      });
    }
  }

  /** The construct that holds this construct's resources in another stack (one per stack). */
  private containerIn(stack: Stack): Construct {
    let container = this.consumerContainers.get(stack);
    if (!container) {
      container = containerInStack(stack, this);
      this.consumerContainers.set(stack, container);
    }
    return container;
  }

  /** The profile, its zones and its share (made once), and the consumer's side in its stack. */
  private associateThroughProfile(vpc: ec2.IVpc, network: VpcNetwork): void {
    const stackAccount = literal(Stack.of(vpc).account);
    if (network.account !== undefined && stackAccount !== undefined && network.account !== stackAccount) {
      throw new ConnectivityError(this, `Consumer ${network.path} is a VPC of account ${network.account}, described in stack ${Stack.of(vpc).stackName} ` +
        `of account ${stackAccount}: the Route 53 Profile must be associated with it in its own account. Make the consumer VPC (or import it ` +
        `with ec2.Vpc.fromVpcAttributes) in a stack of account ${network.account} of this app, or associate the shared profile there yourself ` +
        'and add the VPC as an allowed peer of the endpoints (endpoints.endpoints.allowFromVpc).');
    }
    const shareName = this.shareName();
    if (!this.profileResource) {
      this.profileResource = new route53profiles.CfnProfile(this, 'Profile', { name: shareName });
      for (const service of this.services) {
        new route53profiles.CfnProfileResourceAssociation(this, `${service.id}ZoneProfileAssociation`, {
          name: `${service.id}-zone`,
          profileId: this.profileResource.attrId,
          resourceArn: service.zone.hostedZoneArn,
        });
      }
      this.shareResource = new ram.CfnResourceShare(this, 'ProfileShare', {
        name: shareName,
        resourceArns: [this.profileResource.attrArn],
        principals: Lazy.list({ produce: () => [...new Set(this.consumerList.filter((c) => c.crossAccount).map((c) => c.network.account ?? Stack.of(c.vpc).account))] }),
        allowExternalPrincipals: false,
      });
    }

    const stack = Stack.of(vpc);
    const container = this.containerIn(stack);
    if (!container.node.tryFindChild('ProfileLookup')) {
      stack.addStackDependency(Stack.of(this), `the Route 53 Profile of ${this.node.path} is shared before ${stack.stackName} associates it`);
      const share = new cr.AwsCustomResource(container, 'ProfileShareLookup', {
        onUpdate: {
          service: 'RAM',
          action: 'getResourceShares',
          parameters: { resourceOwner: 'OTHER-ACCOUNTS', name: shareName, resourceShareStatus: 'ACTIVE' },
          physicalResourceId: cr.PhysicalResourceId.of(`${shareName}/share`),
          outputPaths: ['resourceShares.0.resourceShareArn'],
        },
        policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
        installLatestAwsSdk: false,
      });
      new cr.AwsCustomResource(container, 'ProfileLookup', {
        onUpdate: {
          service: 'RAM',
          action: 'listResources',
          parameters: { resourceOwner: 'OTHER-ACCOUNTS', resourceShareArns: [share.getResponseField('resourceShares.0.resourceShareArn')] },
          physicalResourceId: cr.PhysicalResourceId.of(`${shareName}/profile`),
          outputPaths: ['resources.0.arn'],
        },
        policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
        installLatestAwsSdk: false,
      });
    }
    const lookup = container.node.findChild('ProfileLookup') as cr.AwsCustomResource;
    const profileArn = lookup.getResponseField('resources.0.arn');
    const baseId = `ProfileAssociation${pascal(vpc.node.id)}`;
    const id = container.node.tryFindChild(baseId) ? `${baseId}${fnv1a(vpc.node.path)}` : baseId;
    new route53profiles.CfnProfileAssociation(container, id, {
      name: `shared-endpoints-${fnv1a(`${this.node.path}|${vpc.node.path}`)}`,
      profileId: Fn.select(1, Fn.split('/', profileArn)),
      resourceId: vpc.vpcId,
    });
  }

  /** A deterministic name of the profile and its share, the same at every synth (letters, digits, dashes). */
  private shareName(): string {
    const path = this.node.path.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
    return `${path.slice(0, 48)}-${fnv1a(this.node.path)}`;
  }

  /** How each consumer reaches the shared VPC through the app's constructs, if it does. */
  private findConnections(): Map<Consumer, Connection> {
    const hubs: TransitGatewayHub[] = [];
    const peerings: VpcPeering[] = [];
    for (const construct of this.node.root.node.findAll()) {
      if (TransitGatewayHub.isTransitGatewayHub(construct)) { hubs.push(construct); }
      if (VpcPeering.isVpcPeering(construct)) { peerings.push(construct); }
      // A mesh's peerings are VpcPeerings of the tree already; listed again for a mesh made by another copy of the library.
      if (PeeringMesh.isPeeringMesh(construct)) { peerings.push(...construct.peerings); }
    }
    const result = new Map<Consumer, Connection>();
    for (const consumer of this.consumerList) {
      const same = (a: ec2.IVpc, b: ec2.IVpc) => a === b || this.sameLiteralId(a, b);
      const viaHub = hubs.some((hub) => {
        const spokes = hub.spokes;
        const sharedSpoke = spokes.find((s) => same(s, this.vpc));
        const consumerSpoke = spokes.find((s) => same(s, consumer.vpc));
        if (!sharedSpoke || !consumerSpoke) { return false; }
        return hubRoutes(hub, consumerSpoke, sharedSpoke) && hubRoutes(hub, sharedSpoke, consumerSpoke);
      });
      if (viaHub) {
        result.set(consumer, Connection.HUB);
        continue;
      }
      const viaPeering = peerings.some((p) => (same(p.requester, this.vpc) && same(p.accepter, consumer.vpc))
        || (same(p.accepter, this.vpc) && same(p.requester, consumer.vpc)));
      if (viaPeering) { result.set(consumer, Connection.PEERING); }
    }
    return result;
  }

  private validateShared(): string[] {
    const problems: string[] = [];
    const connections = this.findConnections();
    for (const consumer of this.consumerList) {
      if (consumer.routedElsewhere || connections.has(consumer)) { continue; }
      problems.push(`Consumer ${describeForMessage(consumer.network)} has no route to the shared VPC ${describeForMessage(this.network)} in this app: ` +
        'no TransitGatewayHub routes between them (both spokes, its route tables leading each to the other: not two isolated spokes, not two segments ' +
        'that do not reach each other), and no VpcPeering or PeeringMesh connects them. ' +
        'Attach both to a hub (hub.addSpoke), peer them, or, when the route is made outside this app, add the consumer with ' +
        'addConsumer(vpc, { routedElsewhere: true }).');
    }
    problems.push(...this.conflictingEndpoints());
    this.warnMissingGateways();
    // The warning at 80% of the zones' VPC quota, once, for the final count (the error is thrown by addConsumer).
    const associations = 1 + this.consumerList.filter((c) => !c.crossAccount).length;
    const check = checkQuota('vpcsPerPrivateHostedZone', `Each private hosted zone of ${this.node.path}`, associations,
      quotasOf(this).vpcsPerPrivateHostedZone, SHARED_QUOTA_HINT);
    if (check?.level === 'warning') {
      Annotations.of(this).addWarningV2('cdk-vpc-connect:sharedEndpointsZoneQuota', check.message);
    }
    return problems;
  }

  /**
   * An endpoint of the app with private DNS for a shared service, in a consumer or in the shared
   * VPC: its AWS-managed zone and the shared zone would claim the same name in that VPC.
   */
  private conflictingEndpoints(): string[] {
    const mine = new Set(this.services.map((s) => s.endpoint.node.defaultChild));
    const shared = new Map<string, SharedService>();
    for (const service of this.services) {
      const key = normalizedServiceName(Stack.of(this).resolve(service.service.name));
      if (key !== undefined) { shared.set(key, service); }
    }
    const vpcs: Array<{ vpc: ec2.IVpc; path: string; role: string }> = [
      { vpc: this.vpc, path: this.network.path, role: 'the shared VPC' },
      ...this.consumerList.map((c) => ({ vpc: c.vpc, path: c.network.path, role: 'consumer' })),
    ];
    const problems: string[] = [];
    for (const construct of this.node.root.node.findAll()) {
      if (!(construct instanceof ec2.CfnVPCEndpoint) || mine.has(construct)) { continue; }
      if (construct.vpcEndpointType !== 'Interface' || construct.privateDnsEnabled !== true) { continue; }
      const key = normalizedServiceName(Stack.of(construct).resolve(construct.serviceName));
      const service = key === undefined ? undefined : shared.get(key);
      if (!service) { continue; }
      const owner = vpcs.find((v) => v.vpc.vpcId === construct.vpcId);
      if (!owner) { continue; }
      problems.push(`The interface endpoint ${construct.node.path} serves ${service.shortName} with private DNS in ${owner.role} ${owner.path}, ` +
        `which ${this.node.path} shares: its private DNS and the shared zone ${zoneTextOf(service.names)} would claim the same name ` +
        `(${recordTextsOf(service.names).join(', ')}) in that VPC. Remove that endpoint (the shared one serves the VPC), or set privateDnsEnabled: false on it.`);
    }
    return problems;
  }

  /**
   * A bundle's gateway services (S3 for ECR image layers) are not shared: warn about a consumer
   * without its own gateway endpoint of that service in the app.
   */
  private warnMissingGateways(): void {
    if (this.bundleGateways.length === 0) { return; }
    const gateways = this.node.root.node.findAll()
      .filter((c): c is ec2.CfnVPCEndpoint => c instanceof ec2.CfnVPCEndpoint && (c.vpcEndpointType === undefined || c.vpcEndpointType === 'Gateway'));
    for (const consumer of this.consumerList) {
      for (const gateway of this.bundleGateways) {
        const tail = gateway.name === 'S3' ? 's3' : 'dynamodb';
        const has = gateways.some((g) => g.vpcId === consumer.vpc.vpcId
          && (normalizedServiceName(Stack.of(g).resolve(g.serviceName)) ?? '').endsWith(`.${tail}`));
        if (!has) {
          Annotations.of(this).addWarningV2('cdk-vpc-connect:sharedEndpointsGatewayNotShared',
            `Consumer ${consumer.network.path} has no ${gateway.name} gateway endpoint in this app, but a bundle of ${this.node.path} needs one ` +
            `(gateway endpoints work only inside their VPC, so the bundle's ${gateway.name} gateway endpoint is not shared). ` +
            `Give the consumer its own: new VpcEndpoints(this, 'Gateways', { vpc, gateways: [GatewayService.${gateway.name === 'S3' ? 'S3' : 'DYNAMODB'}] }).`);
        }
      }
    }
  }
}

/** What to do when the zones have too many VPCs. */
const SHARED_QUOTA_HINT = 'Split the consumers over two SharedEndpoints (two sets of zones), or share the zones with the consumers\' accounts ' +
  'through a Route 53 Profile (consumers in other accounts are).';

/**
 * Whether the hub routes traffic from spoke `from` to spoke `to`: the transit gateway route table
 * associated with `from` has `to`'s routes, propagated (shared and isolated spokes, segments that
 * reach each other) or as static routes toward `to`'s attachment (the hub's `segmentRoutes`,
 * where it has them).
 */
function hubRoutes(hub: TransitGatewayHub, from: ec2.IVpc, to: ec2.IVpc): boolean {
  // The hub answers from its segments: a hub with segments has no L1 association to compare table ids with.
  return hub._routesBetween(from, to);
}

function isGatewayService(item: unknown): boolean {
  if (GatewayService.isGatewayService(item)) { return true; }
  if (item instanceof ec2.GatewayVpcEndpointAwsService) { return true; }
  return item !== null && typeof item === 'object' && (item as { port?: unknown }).port === undefined;
}

/** The AZs of an interface endpoint: one subnet each. */
function endpointAzs(endpoint: ec2.InterfaceVpcEndpoint): number {
  const cfn = endpoint.node.defaultChild as ec2.CfnVPCEndpoint;
  return Array.isArray(cfn.subnetIds) ? cfn.subnetIds.length : 1;
}

/** The AZs an endpoint of a consumer's own would span: those of its private (else isolated) subnets. */
function consumerAzs(vpc: ec2.IVpc): number {
  const subnets = vpc.privateSubnets.length > 0 ? vpc.privateSubnets : vpc.isolatedSubnets;
  const azs = new Set(subnets.map((s) => s.availabilityZone));
  return Math.max(1, azs.size || vpc.availabilityZones.length);
}

function literal(value: string): string | undefined {
  return Token.isUnresolved(value) ? undefined : value;
}

/** A service name for a message: `com.amazonaws.${AWS::Region}.sns` for a name with tokens. */
function describeName(scope: IConstruct, name: string): string {
  return Token.isUnresolved(name) ? readable(Stack.of(scope).resolve(name)) : name;
}

function pascal(text: string): string {
  return text.split(/[^A-Za-z0-9]+/).filter((p) => p).map((p) => p[0].toUpperCase() + p.slice(1)).join('');
}
