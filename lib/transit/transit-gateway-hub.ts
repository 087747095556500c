import { Annotations, DefaultTokenResolver, IResource, Reference, Resource, Stack, StringConcat, Token, Tokenization } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { Cidr, IpVersion } from '../cidr';
import { ConnectivityError } from '../errors';
import { RemoteVpc } from '../peering/remote-vpc';
import { CostEstimate, estimateHubCost, TrafficProfile } from '../cost/estimate';
import { Pricing } from '../cost/pricing';
import { RouteRegistry } from '../routing/route-registry';
import { containerInStack } from '../routing/placement';
import { ConnectivityQuotas } from '../routing/quotas';
import { fnv1a, RouteTableRef, selectRouteTables } from '../routing/route-tables';
import { addRoutes, RouteDestination } from '../routing/routes';
import { acknowledgeLookupPlaceholders, describeForMessage, describeVpc, skipWhenScanningForCidrBlocks, VpcCidrBlock, VpcNetwork } from '../routing/vpc-network';

/**
 * The private ASN ranges AWS accepts for a transit gateway's Amazon side.
 * https://docs.aws.amazon.com/vpc/latest/tgw/tgw-transit-gateways.html
 */
const ASN_RANGES: Array<[number, number]> = [[64512, 65534], [4200000000, 4294967294]];

/**
 * Properties of a {@link TransitGatewayHub}.
 */
export interface TransitGatewayHubProps {
  /**
   * The VPCs to attach. Each must be in the region and account of the hub's stack (a transit
   * gateway is regional). By default every spoke reaches every other spoke.
   */
  readonly spokes: ec2.IVpc[];

  /**
   * Use this existing transit gateway instead of creating one. It must have default route
   * table association and propagation disabled, since the hub associates and propagates
   * each attachment with route tables of its own.
   *
   * @default - a new transit gateway, with default route table association, default route
   * table propagation and auto-accept of shared attachments disabled
   */
  readonly transitGatewayId?: string;

  /**
   * The private ASN of the Amazon side of a BGP session (64512-65534 or 4200000000-4294967294).
   * Only for a new transit gateway.
   *
   * @default - AWS's default, 64512
   */
  readonly amazonSideAsn?: number;

  /**
   * A description of the new transit gateway.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * The subnets each spoke's attachment gets a network interface in. AWS allows at most one
   * subnet per Availability Zone; traffic from an AZ without one cannot reach the gateway.
   *
   * @default - one subnet per AZ of the VPC's default selection (`vpc.selectSubnets({ onePerAz: true })`:
   * private subnets first, then isolated, then public)
   */
  readonly attachmentSubnets?: ec2.SubnetSelection;

  /**
   * The subnets whose route tables get routes toward the other spokes. Each distinct route
   * table gets one route per destination, however many subnets share it.
   *
   * @default - every subnet of each spoke (public, private and isolated)
   */
  readonly routeSubnets?: ec2.SubnetSelection;

  /**
   * Summary blocks (for example `10.0.0.0/8`) to route to the transit gateway in every spoke
   * route table, instead of one route per block of every other spoke. Keeps route tables
   * short in a large hub. Every IPv4 block of every spoke a spoke reaches must lie inside one
   * summary. A summary may contain the spoke's own block (its local route is more specific
   * and wins), but may not lie inside it. IPv6 summaries replace the per-block IPv6 routes
   * the same way.
   *
   * @default - one route per CIDR block of each reachable spoke
   */
  readonly summaryCidrs?: string[];

  /**
   * Spokes (a subset of `spokes`) that reach the other, shared, spokes but not each other:
   * for example workload VPCs that share a VPC of common services but must stay apart.
   * They are associated with a second transit gateway route table that only holds the
   * shared spokes' routes.
   *
   * @default - none: every spoke reaches every other spoke
   */
  readonly isolatedSpokes?: ec2.IVpc[];

  /**
   * The account's quotas, when raised above AWS's defaults (a hub of many spokes puts one
   * route per other spoke in each spoke table: raise routesPerRouteTable, or use summaryCidrs).
   * They apply to every check of the app.
   *
   * @default - AWS's defaults: 50 peerings per VPC, 50 routes per route table, 500 resources per stack
   */
  readonly quotas?: ConnectivityQuotas;
}

/**
 * A transit gateway with VPCs attached to it.
 */
export interface ITransitGatewayHub extends IResource {
  /**
   * The id of the transit gateway (`tgw-...`).
   *
   * @attribute
   */
  readonly transitGatewayId: string;

  /** The attachment of a spoke VPC. */
  attachment(vpc: ec2.IVpc): ec2.CfnTransitGatewayAttachment;
}

/** What the hub created for one spoke. */
interface Spoke {
  readonly vpc: ec2.IVpc;
  readonly network: VpcNetwork;
  readonly isolated: boolean;
  /** Whether the spoke routes IPv6 through the gateway. */
  readonly ipv6: boolean;
  readonly scope: Construct;
  readonly attachment: ec2.CfnTransitGatewayAttachment;
  /** The AZs of the attachment's subnets, as `azKey` gives them. */
  readonly attachmentAzs: Set<string>;
  readonly association: ec2.CfnTransitGatewayRouteTableAssociation;
  readonly propagations: ec2.CfnTransitGatewayRouteTablePropagation[];
  readonly routes: ec2.CfnRoute[];
}

/** A summary block of `summaryCidrs`. */
interface Summary {
  readonly text: string;
  readonly version: IpVersion;
  readonly cidr?: Cidr;
}

/**
 * A transit gateway that connects VPCs (spokes): one attachment per spoke, transit gateway
 * route tables that decide who reaches whom, and routes in the spokes' route tables.
 *
 * Shared spokes reach every spoke; isolated spokes reach only the shared ones. Each spoke's
 * attachment, association, propagations and routes live in the spoke VPC's stack, so a hub
 * of many spokes spreads over their stacks and the hub's stack holds only the gateway and
 * its route tables. Checks at synth time that spokes are in the hub's region and account,
 * that no two spokes overlap, that attachment subnets are one per AZ and that every route
 * table is known.
 *
 * IPv6: a spoke with an IPv6 block whose attachment subnets all have one gets IPv6 support
 * on its attachment, and IPv6 routes to and from the other such spokes. A block known only
 * at deploy time (Amazon-provided IPv6) is routed from spokes of its own stack and of the
 * hub's stack only: a reference from another spoke's stack would make spoke stacks depend
 * on each other, so that route is left out with a warning.
 *
 * @example
 * const hub = new TransitGatewayHub(this, 'Hub', {
 *   spokes: [shared, appA, appB],
 *   isolatedSpokes: [appA, appB],
 * });
 * hub.attachment(appA);
 */
export class TransitGatewayHub extends Resource implements ITransitGatewayHub {
  public readonly transitGatewayId: string;

  /** The transit gateway, when the hub created it (`node.defaultChild`), else `undefined`. */
  public readonly transitGateway?: ec2.CfnTransitGateway;

  /**
   * The transit gateway route table of the shared spokes: associated with every shared
   * spoke, with routes propagated from every spoke.
   */
  public readonly sharedRouteTable: ec2.CfnTransitGatewayRouteTable;

  /**
   * The transit gateway route table of the isolated spokes, when there are any: associated
   * with every isolated spoke, with routes propagated from the shared spokes only.
   */
  public readonly isolatedRouteTable?: ec2.CfnTransitGatewayRouteTable;

  /** Every spoke, in the order given. */
  public readonly spokes: ec2.IVpc[];

  /** The isolated spokes. */
  public readonly isolatedSpokes: ec2.IVpc[];

  private readonly spokesByVpc = new Map<ec2.IVpc, Spoke>();
  private readonly containers = new Map<Stack, Construct>();
  private readonly warned = new Set<string>();

  constructor(scope: Construct, id: string, props: TransitGatewayHubProps) {
    super(scope, id);
    skipWhenScanningForCidrBlocks(this);
    if (props.quotas) { RouteRegistry.of(this).raiseQuotas(this, props.quotas); }

    this.spokes = [...props.spokes];
    this.isolatedSpokes = [...(props.isolatedSpokes ?? [])];
    const networks = new Map(this.spokes.map((vpc) => [vpc, describeVpc(vpc)] as const));
    const isolated = new Set(this.isolatedSpokes);

    this.checkSpokes(networks, isolated);
    this.checkNoOverlap([...networks.values()]);
    const summaries = this.parseSummaries(props.summaryCidrs, [...networks.values()]);

    if (props.transitGatewayId !== undefined) {
      if (props.amazonSideAsn !== undefined || props.description !== undefined) {
        throw new ConnectivityError(this, 'amazonSideAsn and description only apply to a new transit gateway, but transitGatewayId ' +
          `${props.transitGatewayId} was given. Set them on the existing gateway, or drop transitGatewayId.`);
      }
      this.transitGatewayId = props.transitGatewayId;
    } else {
      this.checkAsn(props.amazonSideAsn);
      this.transitGateway = new ec2.CfnTransitGateway(this, 'Resource', {
        amazonSideAsn: props.amazonSideAsn,
        description: props.description,
        autoAcceptSharedAttachments: 'disable',
        defaultRouteTableAssociation: 'disable',
        defaultRouteTablePropagation: 'disable',
        dnsSupport: 'enable',
        tags: [{ key: 'Name', value: this.node.path }],
      });
      this.transitGatewayId = this.transitGateway.ref;
    }

    this.sharedRouteTable = new ec2.CfnTransitGatewayRouteTable(this, 'SharedRouteTable', {
      transitGatewayId: this.transitGatewayId,
      tags: [{ key: 'Name', value: `${this.node.path} shared` }],
    });
    if (isolated.size > 0) {
      this.isolatedRouteTable = new ec2.CfnTransitGatewayRouteTable(this, 'IsolatedRouteTable', {
        transitGatewayId: this.transitGatewayId,
        tags: [{ key: 'Name', value: `${this.node.path} isolated` }],
      });
    }

    // First every attachment, so that the routes of each spoke know which spokes route IPv6.
    const attached = this.spokes.map((vpc) => this.attach(vpc, networks.get(vpc)!, isolated.has(vpc), props.attachmentSubnets));
    const registry = RouteRegistry.of(this);
    for (const spoke of attached) {
      const reachable = attached.filter((other) => other !== spoke && (!spoke.isolated || !other.isolated));
      spoke.routes.push(...this.addSpokeRoutes(spoke, reachable, props.routeSubnets, summaries));
      this.spokesByVpc.set(spoke.vpc, spoke);
      registry.registerRoutes(this, spoke.routes);
      registry.registerNetworkSeen(this, spoke.network);
    }
  }

  /**
   * What the hub adds to the monthly bill for `traffic` between its spokes (lib/cost, us-east-1
   * list prices unless `pricing` says otherwise): each attachment per hour, and each GB the
   * gateway processes.
   */
  public estimateMonthlyCost(traffic: TrafficProfile, pricing?: Pricing): CostEstimate {
    const azs = Math.max(1, ...[...this.spokesByVpc.values()].map((s) => (s.attachment.subnetIds ?? []).length));
    return estimateHubCost({ spokes: this.spokes.length, azsPerSpoke: azs, traffic, pricing });
  }

  /**
   * The attachment of a spoke (the L1 `AWS::EC2::TransitGatewayAttachment`).
   *
   * @throws ConnectivityError when `vpc` is not a spoke of this hub
   */
  public attachment(vpc: ec2.IVpc): ec2.CfnTransitGatewayAttachment {
    return this.spoke(vpc).attachment;
  }

  /** The association of a spoke's attachment with its transit gateway route table. */
  public association(vpc: ec2.IVpc): ec2.CfnTransitGatewayRouteTableAssociation {
    return this.spoke(vpc).association;
  }

  /** The propagations of a spoke's routes into the transit gateway route tables. */
  public propagations(vpc: ec2.IVpc): ec2.CfnTransitGatewayRouteTablePropagation[] {
    return [...this.spoke(vpc).propagations];
  }

  /** The routes created in a spoke's route tables, toward the spokes it reaches. */
  public spokeRoutes(vpc: ec2.IVpc): ec2.CfnRoute[] {
    return [...this.spoke(vpc).routes];
  }

  /** Every route the hub created, in every spoke. */
  public get routes(): ec2.CfnRoute[] {
    return [...this.spokesByVpc.values()].flatMap((s) => s.routes);
  }

  /** The hub's transit gateway route tables: the shared one, then the isolated one if any. */
  public get routeTables(): ec2.CfnTransitGatewayRouteTable[] {
    return this.isolatedRouteTable ? [this.sharedRouteTable, this.isolatedRouteTable] : [this.sharedRouteTable];
  }

  private spoke(vpc: ec2.IVpc): Spoke {
    const spoke = this.spokesByVpc.get(vpc);
    if (!spoke) {
      throw new ConnectivityError(this, `VPC ${vpc.node.path} is not a spoke of this transit gateway hub ` +
        `(spokes: ${this.spokes.map((s) => s.node.path).join(', ')}). Add it to spokes.`);
    }
    return spoke;
  }

  private checkSpokes(networks: Map<ec2.IVpc, VpcNetwork>, isolated: Set<ec2.IVpc>): void {
    if (this.spokes.length === 0) {
      throw new ConnectivityError(this, 'spokes is empty: a transit gateway hub needs at least one VPC to attach.');
    }
    const seen = new Map<string, VpcNetwork>();
    for (const network of networks.values()) {
      const key = network.lookupPending ? network.path : `${network.region ?? ''}/${network.vpc.vpcId}`;
      const first = seen.get(key);
      if (first) {
        throw new ConnectivityError(this, `VPC ${network.path} is listed twice in spokes${first.path !== network.path ? ` (as ${first.path} and ${network.path}, both ${network.vpc.vpcId})` : ''}. ` +
          'A VPC attaches to a transit gateway once: list it once.');
      }
      seen.set(key, network);
    }
    if (this.spokes.length !== networks.size) {
      const twice = this.spokes.find((vpc, i) => this.spokes.indexOf(vpc) !== i)!;
      throw new ConnectivityError(this, `VPC ${twice.node.path} is listed twice in spokes. A VPC attaches to a transit gateway once: list it once.`);
    }
    for (const vpc of isolated) {
      if (!networks.has(vpc)) {
        throw new ConnectivityError(this, `isolatedSpokes lists VPC ${vpc.node.path}, which is not in spokes. Add it to spokes too.`);
      }
    }
    if (isolated.size > 0 && isolated.size === networks.size) {
      throw new ConnectivityError(this, `Every spoke is in isolatedSpokes (${this.spokes.map((s) => s.node.path).join(', ')}): isolated spokes reach ` +
        'only shared spokes, so nothing would be connected. Leave at least one spoke shared.');
    }

    const stack = Stack.of(this);
    const stackRegion = Token.isUnresolved(stack.region) ? undefined : stack.region;
    const stackAccount = Token.isUnresolved(stack.account) ? undefined : stack.account;
    for (const network of networks.values()) {
      if (RemoteVpc.isRemoteVpc(network.vpc) || (network.account && stackAccount && network.account !== stackAccount)) {
        throw new ConnectivityError(this, `Spoke ${network.path} is in account ${network.account ?? 'unknown'}, the hub in ${stackAccount ?? 'this stack\'s account'}. ` +
          'Attaching a VPC of another account is not supported by this construct: share the transit gateway with that account through ' +
          'AWS RAM and create the attachment from that account (no CloudFormation resource accepts a shared attachment).');
      }
      if (network.region && stackRegion && network.region !== stackRegion) {
        throw new ConnectivityError(this, `Spoke ${network.path} is in ${network.region}, but the hub is in stack ${stack.stackName} in ${stackRegion}. ` +
          'A transit gateway is regional: create a hub per region. Peering between transit gateways is not supported by this construct.');
      }
      const spokeStack = Stack.of(network.vpc);
      if (spokeStack !== stack && (spokeStack.region !== stack.region || spokeStack.account !== stack.account)) {
        throw new ConnectivityError(this, `Spoke ${network.path} is in stack ${spokeStack.stackName} (${describeEnv(spokeStack)}), the hub in stack ` +
          `${stack.stackName} (${describeEnv(stack)}). The spoke's attachment goes in its stack and references the hub's stack, which needs both ` +
          'stacks in one environment: give them the same env (account and region).');
      }
    }
  }

  private checkNoOverlap(networks: VpcNetwork[]): void {
    const unknown = networks.filter((n) => !n.lookupPending && n.ipv4Blocks.some((b) => !b.cidr && !b.malformed));
    if (unknown.length > 0) {
      this.warn('overlapCheckSkipped', `The CIDR overlap check of ${unknown.map((n) => n.path).join(', ')} with the other spokes was skipped: ` +
        'a CIDR block is only known at deploy time. Give the VPC a literal CIDR (ec2.IpAddresses.cidr, or vpcCidrBlock when importing) to have it checked.');
    }
    for (const network of networks) {
      for (const block of [...network.ipv4Blocks, ...network.ipv6Blocks]) {
        if (block.malformed) {
          throw new ConnectivityError(this, `Spoke ${network.path} has a malformed CIDR block: ${block.malformed}.`);
        }
      }
    }
    // Every spoke propagates into the shared route table, and a shared spoke routes to every
    // spoke: two overlapping spokes are ambiguous there even when they do not reach each other.
    networks.forEach((a, i) => {
      for (const b of networks.slice(i + 1)) {
        for (const blockA of a.ipv4Blocks) {
          for (const blockB of b.ipv4Blocks) {
            if (blockA.cidr && blockB.cidr && blockA.cidr.overlaps(blockB.cidr)) {
              throw new ConnectivityError(this, `Spokes ${describeForMessage(a)} and ${describeForMessage(b)} overlap: ${blockA.cidr} and ${blockB.cidr} ` +
                'share addresses. Every spoke\'s blocks are propagated into the hub\'s shared route table and routed from the shared spokes, so spokes ' +
                'need disjoint CIDR blocks (isolated spokes too); re-address one VPC or attach it to another hub.');
            }
          }
        }
      }
    });
  }

  private checkAsn(asn: number | undefined): void {
    if (asn === undefined || Token.isUnresolved(asn)) { return; }
    if (!Number.isInteger(asn) || !ASN_RANGES.some(([low, high]) => asn >= low && asn <= high)) {
      throw new ConnectivityError(this, `amazonSideAsn ${asn} is not a private ASN AWS accepts for a transit gateway: ` +
        `use ${ASN_RANGES.map(([low, high]) => `${low}-${high}`).join(' or ')}.`);
    }
  }

  private parseSummaries(texts: string[] | undefined, networks: VpcNetwork[]): Summary[] | undefined {
    if (texts === undefined) { return undefined; }
    if (texts.length === 0) {
      throw new ConnectivityError(this, 'summaryCidrs is empty: list the summary blocks to route (for example 10.0.0.0/8), or leave it out to route each spoke\'s blocks.');
    }
    const summaries = new Map<string, Summary>();
    for (const text of texts) {
      if (Token.isUnresolved(text)) {
        this.warn('summaryCheckSkipped', 'summaryCidrs: a summary block is a token, so the check that the summaries cover every spoke was skipped ' +
          'for blocks it might cover. Pass the summaries as literal strings to have them checked.');
        summaries.set(text, { text, version: IpVersion.IPV4 });
        continue;
      }
      const parsed = Cidr.tryParse(text);
      if (typeof parsed === 'string') {
        throw new ConnectivityError(this, `summaryCidrs: ${parsed}.`);
      }
      for (const network of networks) {
        const own = [...network.ipv4Blocks, ...network.ipv6Blocks].find((b) => b.cidr?.contains(parsed));
        if (own) {
          throw new ConnectivityError(this, `summaryCidrs: ${parsed} lies within ${own.cidr} of spoke ${network.path}. Its route would be as or more ` +
            'specific than that VPC\'s local route, which AWS rejects; a summary must contain the spokes\' blocks, not lie inside one.');
        }
      }
      const covers = networks.some((n) => [...n.ipv4Blocks, ...n.ipv6Blocks].some((b) => b.cidr && parsed.contains(b.cidr)));
      if (!covers) {
        this.warn('summaryCoversNoSpoke', `summaryCidrs: ${parsed} contains no CIDR block of any spoke, so its routes lead nowhere. ` +
          'Check the block, or remove it.');
      }
      summaries.set(parsed.toString(), { text: parsed.toString(), version: parsed.version, cidr: parsed });
    }
    return [...summaries.values()];
  }

  /** The attachment, association and propagations of a spoke, in the spoke's stack. */
  private attach(vpc: ec2.IVpc, network: VpcNetwork, isolated: boolean, selection: ec2.SubnetSelection | undefined): Spoke {
    const container = this.containerFor(vpc);
    const scope = new Construct(container, spokeName(vpc, container));
    skipWhenScanningForCidrBlocks(scope);
    if (network.lookupPending) {
      acknowledgeLookupPlaceholders(scope);
      acknowledgeLookupPlaceholders(this);
    }
    const subnets = this.attachmentSubnets(network, selection);
    const ipv6 = network.ipv6Blocks.length > 0 && this.subnetsHaveIpv6(network, subnets);

    const attachment = new ec2.CfnTransitGatewayAttachment(scope, 'Attachment', {
      transitGatewayId: this.transitGatewayId,
      vpcId: vpc.vpcId,
      subnetIds: subnets.map((s) => s.subnetId),
      options: ipv6 ? { Ipv6Support: 'enable' } : undefined,
      tags: [{ key: 'Name', value: `${this.node.path} ${network.path}` }],
    });
    const association = new ec2.CfnTransitGatewayRouteTableAssociation(scope, 'Association', {
      transitGatewayAttachmentId: attachment.attrId,
      transitGatewayRouteTableId: (isolated ? this.isolatedRouteTable! : this.sharedRouteTable).attrTransitGatewayRouteTableId,
    });
    const propagations = [new ec2.CfnTransitGatewayRouteTablePropagation(scope, 'SharedPropagation', {
      transitGatewayAttachmentId: attachment.attrId,
      transitGatewayRouteTableId: this.sharedRouteTable.attrTransitGatewayRouteTableId,
    })];
    if (!isolated && this.isolatedRouteTable) {
      propagations.push(new ec2.CfnTransitGatewayRouteTablePropagation(scope, 'IsolatedPropagation', {
        transitGatewayAttachmentId: attachment.attrId,
        transitGatewayRouteTableId: this.isolatedRouteTable.attrTransitGatewayRouteTableId,
      }));
    }
    const attachmentAzs = new Set(subnets.map(azKey).filter((az): az is string => az !== undefined));
    return { vpc, network, isolated, ipv6, scope, attachment, attachmentAzs, association, propagations, routes: [] };
  }

  /**
   * Where a spoke's pieces go: under the hub when the spoke is in the hub's stack, else under
   * a construct named after the hub in the spoke's stack, so spoke stacks depend on the
   * hub's stack and never the other way round.
   */
  private containerFor(vpc: ec2.IVpc): Construct {
    const stack = Stack.of(vpc);
    if (stack === Stack.of(this)) { return this; }
    let container = this.containers.get(stack);
    if (!container) {
      container = containerInStack(stack, this);
      // Said now, not only when references are resolved at synth, so that constructs built after
      // the hub (a PeeringMesh over the same stacks) order the stacks the same way.
      stack.addStackDependency(Stack.of(this), `TransitGatewayHub ${this.node.path}: the spoke's attachment and routes use the hub's transit gateway`);
      this.containers.set(stack, container);
    }
    return container;
  }

  private attachmentSubnets(network: VpcNetwork, selection: ec2.SubnetSelection | undefined): ec2.ISubnet[] {
    let subnets: ec2.ISubnet[];
    try {
      subnets = network.vpc.selectSubnets(selection ?? { onePerAz: true }).subnets;
    } catch (e) {
      throw new ConnectivityError(this, `attachmentSubnets: cannot select subnets of spoke ${network.path}: ${(e as Error).message}`);
    }
    const what = JSON.stringify(selection ?? 'one subnet per AZ of the default selection');
    if (subnets.length === 0) {
      throw new ConnectivityError(this, `attachmentSubnets ${what} matches no subnet of spoke ${network.path}. ` +
        'An attachment needs a subnet in each AZ that should reach the gateway: select subnets that exist.');
    }
    const byAz = new Map<string, ec2.ISubnet[]>();
    for (const subnet of subnets) {
      const az = availabilityZone(subnet);
      if (az === undefined) { continue; }
      byAz.set(az, [...(byAz.get(az) ?? []), subnet]);
    }
    for (const [az, inAz] of byAz) {
      if (inAz.length > 1) {
        throw new ConnectivityError(this, `attachmentSubnets ${what} selects ${inAz.length} subnets of spoke ${network.path} in ${az} ` +
          `(${inAz.map((s) => s.node.path).join(', ')}). AWS allows one attachment subnet per Availability Zone: add onePerAz: true or select one subnet group.`);
      }
    }
    return subnets;
  }

  /** Whether no attachment subnet is known to lack an IPv6 block (AWS needs one in each for IPv6 support). */
  private subnetsHaveIpv6(network: VpcNetwork, subnets: ec2.ISubnet[]): boolean {
    const without = subnets.filter((s) => {
      const cfn = s.node.defaultChild;
      return cfn instanceof ec2.CfnSubnet && cfn.ipv6CidrBlock === undefined && cfn.ipv6IpamPoolId === undefined;
    });
    if (without.length > 0) {
      this.warn('ipv6NotAttached', `Spoke ${network.path} has an IPv6 block, but attachment subnet(s) ${without.map((s) => s.node.path).join(', ')} ` +
        'have none, so its attachment gets no IPv6 support and no IPv6 routes. Give those subnets IPv6 blocks to route IPv6 through the hub.');
    }
    return without.length === 0;
  }

  private addSpokeRoutes(spoke: Spoke, reachable: Spoke[], selection: ec2.SubnetSelection | undefined, summaries: Summary[] | undefined): ec2.CfnRoute[] {
    if (reachable.length === 0) { return []; }
    const tables = this.routeTables_(spoke.network, selection);
    this.checkAttachmentAzs(spoke, tables);
    const destinations: RouteDestination[] = [];
    for (const version of [IpVersion.IPV4, IpVersion.IPV6]) {
      if (version === IpVersion.IPV6 && !spoke.ipv6) { continue; }
      const peers = version === IpVersion.IPV6 ? reachable.filter((r) => r.ipv6) : reachable;
      if (peers.length === 0) { continue; }
      const versionSummaries = summaries?.filter((s) => s.version === version) ?? [];
      if (versionSummaries.length > 0) {
        this.checkCovered(spoke, peers, version, versionSummaries);
        destinations.push(...versionSummaries.map((s) => ({ text: s.text, version, label: s.cidr ? s.cidr.toString() : `Summary${fnv1a(JSON.stringify(Stack.of(this).resolve(s.text)))}` })));
        continue;
      }
      for (const peer of peers) {
        const blocks = version === IpVersion.IPV4 ? peer.network.ipv4Blocks : peer.network.ipv6Blocks;
        for (const block of blocks) {
          const destination = this.blockDestination(spoke, peer, block);
          if (destination) { destinations.push(destination); }
        }
      }
    }
    if (destinations.length === 0) { return []; }
    const routesScope = new Construct(spoke.scope, 'Routes');
    const created = addRoutes(routesScope, tables, destinations, { transitGatewayId: this.transitGatewayId });
    // A route toward a transit gateway fails unless the VPC's attachment exists.
    for (const { route } of created) {
      route.node.addDependency(spoke.attachment, spoke.association);
    }
    return created.map((c) => c.route);
  }

  /**
   * AWS delivers traffic to a transit gateway only from the AZs where the VPC's attachment has a
   * subnet: a routed subnet of any other AZ would send into a black hole.
   */
  private checkAttachmentAzs(spoke: Spoke, tables: RouteTableRef[]): void {
    if (spoke.attachmentAzs.size === 0) { return; }
    const uncovered = tables.flatMap((t) => t.subnets).filter((subnet) => {
      const az = azKey(subnet);
      return az !== undefined && !spoke.attachmentAzs.has(az);
    });
    if (uncovered.length > 0) {
      const azs = [...new Set(uncovered.map((s) => availabilityZone(s) ?? 'an AZ known at deploy time'))];
      throw new ConnectivityError(this, `Subnet(s) ${uncovered.map((s) => s.node.path).join(', ')} of spoke ${spoke.network.path} would route to the transit gateway ` +
        `from ${azs.join(', ')}, where the attachment has no subnet: AWS only takes traffic into a transit gateway from the AZs of the attachment's subnets. ` +
        'Select an attachment subnet in every routed AZ (attachmentSubnets), or leave those subnets out (routeSubnets).');
    }
  }

  private routeTables_(network: VpcNetwork, selection: ec2.SubnetSelection | undefined): RouteTableRef[] {
    let found;
    try {
      found = selectRouteTables(network.vpc, selection);
    } catch (e) {
      throw new ConnectivityError(this, `routeSubnets: cannot select subnets of spoke ${network.path}: ${(e as Error).message}`);
    }
    if (found.subnetsWithoutTable.length > 0) {
      throw new ConnectivityError(this, `routeSubnets: the route table of subnet(s) ${found.subnetsWithoutTable.map((s) => s.subnetId).join(', ')} ` +
        `of spoke ${network.path} is not known. Import the VPC with its route table ids (for example publicSubnetRouteTableIds in ` +
        'ec2.Vpc.fromVpcAttributes), or select other subnets with routeSubnets.');
    }
    if (found.tables.length === 0) {
      throw new ConnectivityError(this, `routeSubnets ${JSON.stringify(selection ?? 'every subnet')} matches no route table in spoke ${network.path} ` +
        `(${found.subnetCount} subnet(s) matched). Select subnets that exist.`);
    }
    return found.tables;
  }

  /**
   * The route toward one block of a peer; `undefined` when the block is only known at deploy
   * time through a stack the route's stack must not depend on.
   */
  private blockDestination(spoke: Spoke, peer: Spoke, block: VpcCidrBlock): RouteDestination | undefined {
    const dependsOn = block.association ? [block.association] : undefined;
    if (block.cidr) {
      return { text: block.cidr.toString(), version: block.version, label: block.cidr.toString(), dependsOn };
    }
    const routeStack = Stack.of(spoke.scope);
    const foreign = referencedStacks(block.text, routeStack).filter((s) => s !== routeStack && s !== Stack.of(this));
    if (foreign.length > 0) {
      this.warn('crossStackDestinationSkipped', `No route from spoke ${spoke.network.path} to ${block.version === IpVersion.IPV6 ? 'the IPv6' : 'a'} block of spoke ` +
        `${peer.network.path}: the block is only known at deploy time, in stack ${foreign.map((s) => s.stackName).join(', ')}, and referencing it ` +
        `would make stack ${routeStack.stackName} depend on it (spoke stacks would depend on each other). Give the VPC a literal block, ` +
        'put the spokes in one stack, or route a literal summary with summaryCidrs.');
      return undefined;
    }
    return {
      text: block.text,
      version: block.version,
      label: `${block.label}Of${spokeName(peer.vpc)}`,
      dependsOn,
    };
  }

  private checkCovered(spoke: Spoke, peers: Spoke[], version: IpVersion, summaries: Summary[]): void {
    const literal = summaries.filter((s) => s.cidr);
    for (const peer of peers) {
      const blocks = version === IpVersion.IPV4 ? peer.network.ipv4Blocks : peer.network.ipv6Blocks;
      for (const block of blocks) {
        if (!block.cidr) {
          this.warn('summaryCheckSkipped', `summaryCidrs: the check that a block of spoke ${peer.network.path} lies inside a summary was skipped: ` +
            'the block is only known at deploy time. Give the VPC literal blocks to have it checked.');
          continue;
        }
        if (literal.some((s) => s.cidr!.contains(block.cidr!))) { continue; }
        if (literal.length < summaries.length) { continue; } // a token summary may cover it; warned above
        throw new ConnectivityError(this, `summaryCidrs (${literal.map((s) => s.text).join(', ')}) do not cover ${block.cidr} of spoke ` +
          `${peer.network.path}, which spoke ${spoke.network.path} reaches: its traffic there would have no route. ` +
          'Add a summary that contains the block, or leave summaryCidrs out to route each block.');
      }
    }
  }

  private warn(id: string, message: string): void {
    if (this.warned.has(message)) { return; }
    this.warned.add(message);
    Annotations.of(this).addWarningV2(`cdk-vpc-connect:${id}`, message);
  }
}

/**
 * A stable construct id for a spoke: the VPC's path within its stack, so two VPCs named
 * alike in different constructs stay apart. With `container`, also unique among its children.
 */
function spokeName(vpc: ec2.IVpc, container?: Construct): string {
  const stackPath = Stack.of(vpc).node.path;
  const relative = vpc.node.path.startsWith(`${stackPath}/`) ? vpc.node.path.slice(stackPath.length + 1) : vpc.node.id;
  let name = relative.replace(/\//g, '');
  if (['Resource', 'SharedRouteTable', 'IsolatedRouteTable'].includes(name)) {
    name = `${name}Vpc`;
  }
  if (container?.node.tryFindChild(name)) {
    name = `${name}${fnv1a(vpc.node.path)}`;
  }
  return name;
}

/**
 * The AZ of a subnet as a comparable string: a literal, or the token the VPC gave all its
 * subnets of that AZ (an environment-agnostic VPC's AZs are tokens). `undefined` if not known.
 */
function azKey(subnet: ec2.ISubnet): string | undefined {
  try {
    return subnet.availabilityZone ?? undefined;
  } catch {
    return undefined;
  }
}

function availabilityZone(subnet: ec2.ISubnet): string | undefined {
  try {
    const az = subnet.availabilityZone;
    return az === undefined || Token.isUnresolved(az) ? undefined : az;
  } catch {
    // ec2.Subnet.fromSubnetId without an AZ throws when asked for it.
    return undefined;
  }
}

function describeEnv(stack: Stack): string {
  const show = (value: string, what: string) => (Token.isUnresolved(value) ? `${what} not set` : value);
  return `${show(stack.account, 'account')}, ${show(stack.region, 'region')}`;
}

/** The stacks of the resources a token string references. */
function referencedStacks(text: string, scope: Stack): Stack[] {
  const found = new Set<Stack>();
  class Collector extends DefaultTokenResolver {
    public resolveToken(token: Parameters<DefaultTokenResolver['resolveToken']>[0], context: Parameters<DefaultTokenResolver['resolveToken']>[1],
      postProcessor: Parameters<DefaultTokenResolver['resolveToken']>[2]) {
      if (token instanceof Reference) { found.add(Stack.of(token.target)); }
      return super.resolveToken(token, context, postProcessor);
    }
  }
  Tokenization.resolve(text, { scope, resolver: new Collector(new StringConcat()), preparing: true });
  return [...found];
}
