import { Annotations, DefaultTokenResolver, IResource, Reference, Resource, Stack, StringConcat, Token, Tokenization } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { aws_ec2 as ec2Refs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { Cidr, IpVersion } from '../cidr';
import { CostEstimate, CostOptions, estimateHubCost } from '../cost/estimate';
import { ConnectivityError, ConnectivityErrors, CostInputError } from '../errors';
import { checkTransitGatewayDescription } from './checks';
import { RemoteVpc } from '../peering/remote-vpc';
import { checkTransitGatewayId as transitGatewayIdProblem, describeValue, nameTag } from '../private/identifiers';
import { containerInStack } from '../routing/placement';
import { describeSubnetSelection, rejectRouteOption, RouteOptions, selectRouteTablesFor } from '../routing/route-options';
import { RouteRegistry } from '../routing/route-registry';
import { fnv1a, RouteTableRef } from '../routing/route-tables';
import { addRoutes, RouteDestination } from '../routing/routes';
import { describeForeignSubnets, describeVpcFor, subnetsOfAnotherVpc } from '../routing/subnets';
import { acknowledgeLookupPlaceholders, describeForMessage, skipWhenScanningForCidrBlocks, VpcCidrBlock, VpcNetwork } from '../routing/vpc-network';

/**
 * The private ASN ranges AWS accepts for a transit gateway's Amazon side.
 * https://docs.aws.amazon.com/vpc/latest/tgw/tgw-transit-gateways.html
 */
const ASN_RANGES: Array<[number, number]> = [[64512, 65534], [4200000000, 4294967294]];

/** Traffic of an estimate without a traffic profile: the hourly charges only. */
const NO_TRAFFIC = { gbPerMonth: 0, crossAzShare: 0 };

/**
 * How one spoke of a {@link TransitGatewayHub} is attached and routed (`addSpoke`).
 *
 * `attachmentSubnets` and `routes` override, for this spoke only, the hub's options of the
 * same name; `routes` does so field by field (a spoke that gives only `routes.subnets` keeps
 * the hub's `routes.destinations`).
 */
export interface SpokeOptions {
  /**
   * The subnets the spoke's attachment gets a network interface in: subnets of the spoke (a
   * subnet of another VPC is an error). AWS allows at most one subnet per Availability Zone;
   * traffic from an AZ without one cannot reach the gateway.
   *
   * @default - the hub's `attachmentSubnets`
   */
  readonly attachmentSubnets?: ec2.SubnetSelection;

  /**
   * The routes in the spoke's route tables toward the spokes it reaches: which tables
   * (`subnets`), toward what (`destinations`, summary blocks), whether at all (`enabled`), and
   * where they are created (`scope`: a construct in a stack of the spoke's account and region,
   * other than the hub's stack when the spoke is in another stack). Each field given here
   * replaces the hub's.
   *
   * @default - the hub's `routes`
   */
  readonly routes?: RouteOptions;

  /**
   * Whether the spoke is isolated: it reaches the shared (non-isolated) spokes but no other
   * isolated spoke, for example a workload VPC that uses a VPC of common services but must stay
   * apart from the other workloads. Isolated spokes are associated with a second transit gateway
   * route table that only holds the shared spokes' routes.
   *
   * @default false
   */
  readonly isolated?: boolean;
}

/**
 * Properties of a {@link TransitGatewayHub}.
 */
export interface TransitGatewayHubProps {
  /**
   * The VPCs to attach, as if each were added with `addSpoke(vpc)` (isolated when it is listed
   * in `isolatedSpokes`). Each must be in the region and account of the hub's stack (a transit
   * gateway is regional). By default every spoke reaches every other spoke.
   *
   * @default - none: attach VPCs with `addSpoke`
   */
  readonly spokes?: ec2.IVpc[];

  /**
   * Spokes (a subset of `spokes`) that reach the other, shared, spokes but not each other, as
   * `addSpoke(vpc, { isolated: true })` does.
   *
   * @default - none: every spoke reaches every other spoke
   */
  readonly isolatedSpokes?: ec2.IVpc[];

  /**
   * Use this existing transit gateway (`tgw-...`) instead of creating one. It must have default
   * route table association and propagation disabled, since the hub associates and propagates
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
   * A description of the new transit gateway: at most 255 characters.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * The subnets each spoke's attachment gets a network interface in, unless the spoke's
   * `attachmentSubnets` says otherwise. AWS allows at most one subnet per Availability Zone;
   * traffic from an AZ without one cannot reach the gateway. A selection by subnet group or
   * type applies to every spoke; a selection of `subnets` names subnets of one VPC, so it fits
   * one spoke only (another spoke given it is an error): give it per spoke with `addSpoke`.
   *
   * @default - one subnet per AZ of the VPC's default selection (`vpc.selectSubnets({ onePerAz: true })`:
   * private subnets first, then isolated, then public)
   */
  readonly attachmentSubnets?: ec2.SubnetSelection;

  /**
   * The routes of every spoke toward the spokes it reaches, unless the spoke's own `routes`
   * says otherwise (field by field).
   *
   * - `subnets`: the subnets whose route tables get routes to the transit gateway. Each
   *   distinct route table gets one route per destination, however many subnets share it.
   * - `destinations`: summary blocks (for example `10.0.0.0/8`) to route instead of one route
   *   per block of every spoke reached, which keeps route tables short in a large hub. Every
   *   block of every spoke a spoke reaches must lie inside one of them. A summary may contain
   *   the spoke's own block (its local route is more specific and wins), but may not lie inside
   *   a spoke's block. IPv6 summaries replace the per-block IPv6 routes the same way.
   * - `enabled`: `false` leaves the spokes' route tables alone (the routes are managed elsewhere).
   * - `scope` is not accepted here: spokes can be in different stacks, and routes belong in a
   *   stack of their spoke's account and region. Give it per spoke with `addSpoke`.
   *
   * @default - in the route table of every subnet of each spoke, one route per CIDR block of
   * each spoke it reaches
   */
  readonly routes?: RouteOptions;
}

/**
 * A transit gateway with VPCs attached to it: its attributes, for a hub made here or imported.
 */
export interface ITransitGatewayHub extends IResource, ec2Refs.ITransitGatewayRef {
  /**
   * The id of the transit gateway (`tgw-...`).
   *
   * @attribute
   */
  readonly transitGatewayId: string;
}

/**
 * The attributes of a transit gateway hub deployed elsewhere.
 */
export interface TransitGatewayHubAttributes {
  /** The id of the transit gateway (`tgw-...`). */
  readonly transitGatewayId: string;
}

/** What the hub created for one spoke. */
interface Spoke {
  readonly vpc: ec2.IVpc;
  readonly network: VpcNetwork;
  readonly isolated: boolean;
  /** Whether the spoke routes IPv6 through the gateway. */
  readonly ipv6: boolean;
  /** The construct that holds the spoke's attachment, association and propagations. */
  readonly scope: Construct;
  readonly attachment: ec2.CfnTransitGatewayAttachment;
  readonly association: ec2.CfnTransitGatewayRouteTableAssociation;
  readonly propagations: ec2.CfnTransitGatewayRouteTablePropagation[];
  readonly routes: ec2.CfnRoute[];
  /** The spoke's route tables that get routes (none when its routes are disabled). */
  readonly tables: RouteTableRef[];
  /** The summary blocks routed instead of each reached block, when `routes.destinations` is given. */
  readonly summaries?: Summary[];
  /** The IP versions whose summaries are routed already. */
  readonly summariesRouted: Set<IpVersion>;
  /** The `routes.scope` given for the spoke, if any. */
  readonly givenRoutesScope?: Construct;
  /** The construct the spoke's routes are created under, once one is. */
  routesContainer?: Construct;
}

/** A summary block of `routes.destinations`. */
interface Summary {
  readonly text: string;
  readonly version: IpVersion;
  readonly cidr?: Cidr;
}

/**
 * A transit gateway that connects VPCs (spokes): one attachment per spoke, transit gateway
 * route tables that decide who reaches whom, and routes in the spokes' route tables.
 *
 * Spokes are given in `spokes`, or added one by one with `addSpoke`; the result is the same
 * whatever the order (every id derives from the spokes, never from their position). Shared
 * spokes reach every spoke; isolated spokes reach only the shared ones. Each spoke's
 * attachment, association, propagations and routes live in the spoke VPC's stack, so a hub
 * of many spokes spreads over their stacks and the hub's stack holds only the gateway and
 * its route tables. Checks at synth time that spokes are in the hub's region and account,
 * that no two spokes overlap, that attachment subnets are one per AZ and that every route
 * table is known.
 *
 * The gateway, its route tables and the attachments are tagged `Name` with the hub's construct
 * path (and the spoke's); a path longer than AWS's 256 characters for a tag value is shortened
 * to its start and end around a hash of the whole, the same at every synth.
 *
 * IPv6: a spoke with an IPv6 block whose attachment subnets all have one gets IPv6 support
 * on its attachment, and IPv6 routes to and from the other such spokes. A block known only
 * at deploy time (Amazon-provided IPv6) is routed from spokes of its own stack and of the
 * hub's stack only: a reference from another spoke's stack would make spoke stacks depend
 * on each other, so that route is left out with a warning.
 *
 * @example
 * const hub = new TransitGatewayHub(this, 'Hub', { spokes: [shared] });
 * hub.addSpoke(appA, { isolated: true });
 * hub.addSpoke(appB, { isolated: true, routes: { subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } } });
 * hub.attachment(appA);
 */
export class TransitGatewayHub extends Resource implements ITransitGatewayHub {
  /**
   * Use a transit gateway hub deployed elsewhere (for example by another app), by the id of
   * its transit gateway.
   *
   * @throws ConnectivityError when `transitGatewayId` is a literal that is not a transit gateway id
   */
  public static fromTransitGatewayHubAttributes(scope: Construct, id: string, attrs: TransitGatewayHubAttributes): ITransitGatewayHub {
    checkTransitGatewayId(scope, `fromTransitGatewayHubAttributes(${id}): transitGatewayId`, attrs.transitGatewayId);
    class Import extends Resource implements ITransitGatewayHub {
      public readonly transitGatewayId = attrs.transitGatewayId;
      public readonly transitGatewayRef: ec2Refs.TransitGatewayReference = {
        transitGatewayId: attrs.transitGatewayId,
        transitGatewayArn: transitGatewayArn(this, attrs.transitGatewayId),
      };
    }
    return new Import(scope, id);
  }

  /**
   * Whether `x` is a `TransitGatewayHub` made by this library (a brand, so it works across
   * copies of the library in one app).
   */
  public static isTransitGatewayHub(x: any): x is TransitGatewayHub {
    return x !== null && typeof x === 'object' && TransitGatewayHub.BRAND in x;
  }

  private static readonly BRAND = Symbol.for('cdk-vpc-connect.TransitGatewayHub');

  /** The id of the transit gateway: a token when the hub created it, else the `transitGatewayId` given. */
  public readonly transitGatewayId: string;

  /** A reference to the transit gateway, as aws-cdk-lib's constructs take it. */
  public readonly transitGatewayRef: ec2Refs.TransitGatewayReference;

  /** The transit gateway, when the hub created it (`node.defaultChild`), else `undefined`. */
  public readonly transitGateway?: ec2.CfnTransitGateway;

  /**
   * The transit gateway route table of the shared spokes: associated with every shared
   * spoke, with routes propagated from every spoke.
   */
  public readonly sharedRouteTable: ec2.CfnTransitGatewayRouteTable;

  private isolatedTable?: ec2.CfnTransitGatewayRouteTable;
  private readonly defaults: { readonly attachmentSubnets?: ec2.SubnetSelection; readonly routes?: RouteOptions };
  private readonly spokesByVpc = new Map<ec2.IVpc, Spoke>();
  private readonly containers = new Map<Stack, Construct>();
  private readonly warned = new Set<string>();

  constructor(scope: Construct, id: string, props: TransitGatewayHubProps = {}) {
    super(scope, id);
    Object.defineProperty(this, TransitGatewayHub.BRAND, { value: true });
    skipWhenScanningForCidrBlocks(this);

    rejectRouteOption(this, props.routes, 'routes', 'scope', 'the spokes of a hub can be in different stacks, and the routes of each ' +
      'belong in a stack of its account and region. Give scope per spoke: addSpoke(vpc, { routes: { scope } }).');
    this.defaults = { attachmentSubnets: props.attachmentSubnets, routes: props.routes };
    const spokes = props.spokes ?? [];
    const isolatedSpokes = props.isolatedSpokes ?? [];
    for (const vpc of isolatedSpokes) {
      if (!spokes.includes(vpc)) {
        throw new ConnectivityError(this, `isolatedSpokes lists VPC ${vpc.node.path}, which is not in spokes. Add it to spokes too, ` +
          'or attach it with addSpoke(vpc, { isolated: true }).');
      }
    }

    if (props.transitGatewayId !== undefined) {
      if (props.amazonSideAsn !== undefined || props.description !== undefined) {
        throw new ConnectivityError(this, 'amazonSideAsn and description only apply to a new transit gateway, but transitGatewayId ' +
          `${describeValue(props.transitGatewayId, this)} was given. Set them on the existing gateway, or drop transitGatewayId.`);
      }
      checkTransitGatewayId(this, 'transitGatewayId', props.transitGatewayId);
      this.transitGatewayId = props.transitGatewayId;
      this.transitGatewayRef = { transitGatewayId: this.transitGatewayId, transitGatewayArn: transitGatewayArn(this, this.transitGatewayId) };
    } else {
      this.checkAsn(props.amazonSideAsn);
      const descriptionProblem = props.description === undefined ? undefined : checkTransitGatewayDescription(props.description);
      if (descriptionProblem) {
        throw new ConnectivityError(this, `description ${descriptionProblem}. Shorten it; put longer notes in a tag of the transit gateway.`);
      }
      this.transitGateway = new ec2.CfnTransitGateway(this, 'Resource', {
        amazonSideAsn: props.amazonSideAsn,
        description: props.description,
        autoAcceptSharedAttachments: 'disable',
        defaultRouteTableAssociation: 'disable',
        defaultRouteTablePropagation: 'disable',
        dnsSupport: 'enable',
        tags: [{ key: 'Name', value: nameTag(this.node.path) }],
      });
      this.transitGatewayId = this.transitGateway.ref;
      this.transitGatewayRef = this.transitGateway.transitGatewayRef;
    }

    this.sharedRouteTable = new ec2.CfnTransitGatewayRouteTable(this, 'SharedRouteTable', {
      transitGatewayId: this.transitGatewayId,
      tags: [{ key: 'Name', value: nameTag(`${this.node.path} shared`) }],
    });

    for (const vpc of spokes) {
      this.addSpoke(vpc, { isolated: isolatedSpokes.includes(vpc) });
    }
    // Only checks: every resource is created by the constructor and addSpoke.
    this.node.addValidation({ validate: () => this.validateHub() });
  }

  /**
   * Attach a VPC: its attachment, the association and propagations of the attachment, routes
   * in its route tables toward the spokes it reaches, and routes in those spokes' tables
   * toward it. Ids derive from the VPCs, so the order in which spokes are added changes nothing.
   *
   * @param vpc a VPC of the hub's region and account, not attached yet
   * @param options how to attach and route it; each option overrides the hub's
   * @returns the spoke's attachment (the L1 `AWS::EC2::TransitGatewayAttachment`)
   * @throws ConnectivityError when the VPC is attached already, in another region or account,
   * overlaps a spoke, or its subnets or route tables do not fit the options
   */
  public addSpoke(vpc: ec2.IVpc, options: SpokeOptions = {}): ec2.CfnTransitGatewayAttachment {
    const network = describeVpcFor(this, vpc, 'the other spokes route toward');
    this.checkNewSpoke(network);
    this.checkBlocks(network);
    const routes = this.routeOptionsFor(options.routes);
    const summaries = this.parseSummaries(routes.destinations, network);
    const isolated = options.isolated ?? false;
    const spoke = this.attach(network, isolated, options.attachmentSubnets ?? this.defaults.attachmentSubnets, routes, summaries);
    const existing = [...this.spokesByVpc.values()];
    this.spokesByVpc.set(vpc, spoke);
    RouteRegistry.of(this).registerNetworkSeen(this, network);
    for (const other of existing) {
      if (spoke.isolated && other.isolated) { continue; }
      this.addRoutesToward(spoke, other);
      this.addRoutesToward(other, spoke);
    }
    return spoke.attachment;
  }

  /**
   * What the hub adds to the monthly bill (lib/cost, us-east-1 list prices unless
   * `options.pricing` says otherwise): each attachment per hour, and each GB the gateway
   * processes for `options.traffic` between its spokes.
   *
   * @throws ConnectivityError when the hub has no spoke yet
   * @throws CostInputError when `options` holds what does not apply to a hub (`natGatewaysAvoided`)
   */
  public estimateMonthlyCost(options: CostOptions = {}): CostEstimate {
    if (options.natGatewaysAvoided !== undefined) {
      throw new CostInputError(`natGatewaysAvoided (${options.natGatewaysAvoided}) only applies to the estimate of VpcEndpoints: ` +
        'a transit gateway hub replaces no NAT gateway. Leave it out.');
    }
    if (this.spokesByVpc.size === 0) {
      throw new ConnectivityError(this, 'estimateMonthlyCost: the hub has no spoke yet. Attach VPCs (spokes or addSpoke) before estimating its cost.');
    }
    const azs = Math.max(1, ...[...this.spokesByVpc.values()].map((s) => (s.attachment.subnetIds ?? []).length));
    return estimateHubCost({ spokes: this.spokesByVpc.size, azsPerSpoke: azs, traffic: options.traffic ?? NO_TRAFFIC, pricing: options.pricing });
  }

  /** Every spoke, in the order added. */
  public get spokes(): ec2.IVpc[] {
    return [...this.spokesByVpc.keys()];
  }

  /** The isolated spokes, in the order added. */
  public get isolatedSpokes(): ec2.IVpc[] {
    return [...this.spokesByVpc.values()].filter((s) => s.isolated).map((s) => s.vpc);
  }

  /**
   * The transit gateway route table of the isolated spokes, once there is one: associated
   * with every isolated spoke, with routes propagated from the shared spokes only.
   */
  public get isolatedRouteTable(): ec2.CfnTransitGatewayRouteTable | undefined {
    return this.isolatedTable;
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
    return this.isolatedTable ? [this.sharedRouteTable, this.isolatedTable] : [this.sharedRouteTable];
  }

  private spoke(vpc: ec2.IVpc): Spoke {
    const spoke = this.spokesByVpc.get(vpc);
    if (!spoke) {
      throw new ConnectivityError(this, `VPC ${vpc.node.path} is not a spoke of this transit gateway hub ` +
        `(spokes: ${this.spokes.map((s) => s.node.path).join(', ') || 'none'}). Attach it with addSpoke(vpc).`);
    }
    return spoke;
  }

  /** The checks that need every spoke: they run at synth, once nothing more can be added. */
  private validateHub(): string[] {
    const spokes = [...this.spokesByVpc.values()];
    const errors: string[] = [];
    if (spokes.length === 0) {
      errors.push('The transit gateway hub has no spoke: attach at least one VPC, in spokes or with addSpoke(vpc).');
    } else if (spokes.every((s) => s.isolated)) {
      errors.push(`Every spoke is isolated (${spokes.map((s) => s.network.path).join(', ')}): isolated spokes reach only shared spokes, ` +
        'so nothing would be connected. Leave at least one spoke shared (out of isolatedSpokes, or added without isolated: true).');
    }
    const summaries = new Map<string, Cidr>();
    for (const spoke of spokes) {
      for (const summary of spoke.summaries ?? []) {
        if (summary.cidr) { summaries.set(summary.cidr.toString(), summary.cidr); }
      }
    }
    for (const summary of summaries.values()) {
      if (!spokes.some((s) => blocksOf(s.network).some((b) => b.cidr && summary.contains(b.cidr)))) {
        this.warn('summaryCoversNoSpoke', `routes.destinations: ${summary} contains no CIDR block of any spoke, so its routes lead nowhere. ` +
          'Check the block, or remove it.');
      }
    }
    return errors;
  }

  /** A spoke's route options: each field it gives, else the hub's. */
  private routeOptionsFor(given: RouteOptions | undefined): RouteOptions {
    const hub = this.defaults.routes ?? {};
    return {
      enabled: given?.enabled ?? hub.enabled,
      subnets: given?.subnets ?? hub.subnets,
      destinations: given?.destinations ?? hub.destinations,
      scope: given?.scope,
    };
  }

  private checkNewSpoke(network: VpcNetwork): void {
    const key = (n: VpcNetwork) => (n.lookupPending ? `construct:${n.path}` : `${n.region ?? ''}/${n.vpc.vpcId}`);
    const first = this.spokesByVpc.get(network.vpc)?.network ?? [...this.spokesByVpc.values()].find((s) => key(s.network) === key(network))?.network;
    if (first) {
      throw new ConnectivityError(this, `VPC ${network.path} is already a spoke of this hub` +
        `${first.path !== network.path ? ` (as ${first.path} and ${network.path}, both ${Token.isUnresolved(network.vpc.vpcId) ? describeValue(network.vpc.vpcId) : network.vpc.vpcId})` : ''}. ` +
        'A VPC attaches to a transit gateway once: add it once (in spokes or with addSpoke).');
    }

    const stack = Stack.of(this);
    const stackRegion = Token.isUnresolved(stack.region) ? undefined : stack.region;
    const stackAccount = Token.isUnresolved(stack.account) ? undefined : stack.account;
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

  /** The new spoke's blocks are well formed and overlap no spoke's. */
  private checkBlocks(network: VpcNetwork): void {
    if (!network.lookupPending && network.ipv4Blocks.some((b) => !b.cidr && !b.malformed)) {
      this.warn('overlapCheckSkipped', `The CIDR overlap check of ${network.path} with the other spokes was skipped: ` +
        'a CIDR block is only known at deploy time. Give the VPC a literal CIDR (ec2.IpAddresses.cidr, or vpcCidrBlock when importing) to have it checked.');
    }
    for (const block of blocksOf(network)) {
      if (block.malformed) {
        throw new ConnectivityError(this, `Spoke ${network.path} has a malformed CIDR block: ${block.malformed}.`);
      }
    }
    // Every spoke propagates into the shared route table, and a shared spoke routes to every
    // spoke: two overlapping spokes are ambiguous there even when they do not reach each other.
    for (const { network: other } of this.spokesByVpc.values()) {
      for (const blockA of other.ipv4Blocks) {
        for (const blockB of network.ipv4Blocks) {
          if (blockA.cidr && blockB.cidr && blockA.cidr.overlaps(blockB.cidr)) {
            throw new ConnectivityError(this, `Spokes ${describeForMessage(other)} and ${describeForMessage(network)} overlap: ${blockA.cidr} and ${blockB.cidr} ` +
              'share addresses. Every spoke\'s blocks are propagated into the hub\'s shared route table and routed from the shared spokes, so spokes ' +
              'need disjoint CIDR blocks (isolated spokes too); re-address one VPC or attach it to another hub.');
          }
        }
      }
    }
    // A summary that lies inside a spoke's block would be as or more specific than its local route.
    for (const other of this.spokesByVpc.values()) {
      for (const summary of other.summaries ?? []) {
        this.checkSummaryOutside(summary, network);
      }
    }
  }

  private checkAsn(asn: number | undefined): void {
    if (asn === undefined || Token.isUnresolved(asn)) { return; }
    if (!Number.isInteger(asn) || !ASN_RANGES.some(([low, high]) => asn >= low && asn <= high)) {
      throw new ConnectivityError(this, `amazonSideAsn ${asn} is not a private ASN AWS accepts for a transit gateway: ` +
        `use ${ASN_RANGES.map(([low, high]) => `${low}-${high}`).join(' or ')}.`);
    }
  }

  /** The summaries of `routes.destinations` for a new spoke, checked against every spoke (itself included). */
  private parseSummaries(texts: string[] | undefined, network: VpcNetwork): Summary[] | undefined {
    if (texts === undefined) { return undefined; }
    if (texts.length === 0) {
      throw new ConnectivityError(this, 'routes.destinations is empty: list the summary blocks to route (for example 10.0.0.0/8), ' +
        'or leave it out to route each spoke\'s blocks.');
    }
    const summaries = new Map<string, Summary>();
    for (const text of texts) {
      if (Token.isUnresolved(text)) {
        this.warn('summaryCheckSkipped', 'routes.destinations: a summary block is a token, so the check that the summaries cover every spoke was skipped ' +
          'for blocks it might cover. Pass the summaries as literal strings to have them checked.');
        summaries.set(text, { text, version: IpVersion.IPV4 });
        continue;
      }
      const parsed = Cidr.tryParse(text);
      if (typeof parsed === 'string') {
        throw new ConnectivityError(this, `routes.destinations: ${parsed}.`);
      }
      const summary = { text: parsed.toString(), version: parsed.version, cidr: parsed };
      for (const other of [...[...this.spokesByVpc.values()].map((s) => s.network), network]) {
        this.checkSummaryOutside(summary, other);
      }
      summaries.set(summary.text, summary);
    }
    return [...summaries.values()];
  }

  private checkSummaryOutside(summary: Summary, network: VpcNetwork): void {
    if (!summary.cidr) { return; }
    const own = blocksOf(network).find((b) => b.cidr?.contains(summary.cidr!));
    if (own) {
      throw new ConnectivityError(this, `routes.destinations: ${summary.cidr} lies within ${own.cidr} of spoke ${network.path}. Its route would be as or more ` +
        'specific than that VPC\'s local route, which AWS rejects; a summary must contain the spokes\' blocks, not lie inside one.');
    }
  }

  /**
   * The isolated spokes' route table, made with the first isolated spoke, and the propagation
   * of every shared spoke into it.
   */
  private addIsolatedRouteTable(): void {
    if (this.isolatedTable) { return; }
    this.isolatedTable = new ec2.CfnTransitGatewayRouteTable(this, 'IsolatedRouteTable', {
      transitGatewayId: this.transitGatewayId,
      tags: [{ key: 'Name', value: nameTag(`${this.node.path} isolated`) }],
    });
    for (const spoke of this.spokesByVpc.values()) {
      spoke.propagations.push(this.isolatedPropagation(spoke.scope, spoke.attachment));
    }
  }

  private isolatedPropagation(scope: Construct, attachment: ec2.CfnTransitGatewayAttachment): ec2.CfnTransitGatewayRouteTablePropagation {
    return new ec2.CfnTransitGatewayRouteTablePropagation(scope, 'IsolatedPropagation', {
      transitGatewayAttachmentId: attachment.attrId,
      transitGatewayRouteTableId: this.isolatedTable!.attrTransitGatewayRouteTableId,
    });
  }

  /** The attachment, association and propagations of a spoke, in the spoke's stack, and the route tables it routes. */
  private attach(network: VpcNetwork, isolated: boolean, selection: ec2.SubnetSelection | undefined, routes: RouteOptions,
    summaries: Summary[] | undefined): Spoke {
    const vpc = network.vpc;
    // Every check first, so that a spoke that fails leaves nothing behind.
    if (routes.scope) { this.checkRoutesScope(network, routes.scope); }
    const subnets = this.attachmentSubnets(network, selection);
    const attachmentAzs = new Set(subnets.map(azKey).filter((az): az is string => az !== undefined));
    const tables = this.spokeRouteTables(network, routes);
    this.checkAttachmentAzs(network, attachmentAzs, tables);
    const ipv6 = network.ipv6Blocks.length > 0 && this.subnetsHaveIpv6(network, subnets);

    if (isolated) { this.addIsolatedRouteTable(); }
    const container = this.containerFor(vpc);
    const scope = new Construct(container, spokeName(vpc, container));
    skipWhenScanningForCidrBlocks(scope);
    if (network.lookupPending) {
      acknowledgeLookupPlaceholders(scope);
      acknowledgeLookupPlaceholders(this);
    }

    const attachment = new ec2.CfnTransitGatewayAttachment(scope, 'Attachment', {
      transitGatewayId: this.transitGatewayId,
      vpcId: vpc.vpcId,
      subnetIds: subnets.map((s) => s.subnetId),
      options: ipv6 ? { Ipv6Support: 'enable' } : undefined,
      tags: [{ key: 'Name', value: nameTag(`${this.node.path} ${network.path}`) }],
    });
    const association = new ec2.CfnTransitGatewayRouteTableAssociation(scope, 'Association', {
      transitGatewayAttachmentId: attachment.attrId,
      transitGatewayRouteTableId: (isolated ? this.isolatedTable! : this.sharedRouteTable).attrTransitGatewayRouteTableId,
    });
    const propagations = [new ec2.CfnTransitGatewayRouteTablePropagation(scope, 'SharedPropagation', {
      transitGatewayAttachmentId: attachment.attrId,
      transitGatewayRouteTableId: this.sharedRouteTable.attrTransitGatewayRouteTableId,
    })];
    if (!isolated && this.isolatedTable) {
      propagations.push(this.isolatedPropagation(scope, attachment));
    }
    return {
      vpc, network, isolated, ipv6, scope, attachment, association, propagations, routes: [],
      tables, summaries, summariesRouted: new Set(), givenRoutesScope: routes.scope,
    };
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

  /** A `routes.scope` given for a spoke must be in its account and region, and deploy after its stack. */
  private checkRoutesScope(network: VpcNetwork, scope: Construct): void {
    const stack = Stack.of(scope);
    const mismatch = (given: string, want: string | undefined) => want !== undefined && !Token.isUnresolved(given) && given !== want;
    if (mismatch(stack.region, network.region) || mismatch(stack.account, network.account)) {
      throw new ConnectivityError(this, `routes.scope ${scope.node.path} is in stack ${stack.stackName} (${describeEnv(stack)}), but spoke ${network.path} ` +
        `is in ${network.account ?? 'an unknown account'}, ${network.region ?? 'an unknown region'}: routes must be created in the account and region of their route table.`);
    }
    const spokeStack = Stack.of(network.vpc);
    if (stack === Stack.of(this) && spokeStack !== stack) {
      throw new ConnectivityError(this, `routes.scope ${scope.node.path} is in the hub's stack ${stack.stackName}, but spoke ${network.path} is in stack ` +
        `${spokeStack.stackName}, which deploys after the hub's (its attachment uses the transit gateway): routes in the hub's stack toward that spoke's ` +
        'attachment would make the two stacks depend on each other. Give a scope in the spoke\'s stack or in a stack that deploys after it.');
    }
  }

  private attachmentSubnets(network: VpcNetwork, selection: ec2.SubnetSelection | undefined): ec2.ISubnet[] {
    let subnets: ec2.ISubnet[];
    try {
      subnets = network.vpc.selectSubnets(selection ?? { onePerAz: true }).subnets;
    } catch (e) {
      throw new ConnectivityError(this, `attachmentSubnets: cannot select subnets of spoke ${network.path}: ${(e as Error).message}`);
    }
    const what = selection === undefined ? 'one subnet per AZ of the default selection' : describeSubnetSelection(selection);
    const foreign = subnetsOfAnotherVpc(network.vpc, subnets);
    if (foreign.length > 0) {
      throw new ConnectivityError(this, `attachmentSubnets ${what} names ${describeForeignSubnets(foreign)}, which are not in spoke ${network.path}. ` +
        `An attachment's network interfaces go in subnets of its own VPC: select subnets of ${network.path} ` +
        '(a hub-level attachmentSubnets with subnets applies to every spoke: give subnets per spoke with addSpoke(vpc, { attachmentSubnets })).');
    }
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
      return ec2.CfnSubnet.isCfnSubnet(cfn) && cfn.ipv6CidrBlock === undefined && cfn.ipv6IpamPoolId === undefined;
    });
    if (without.length > 0) {
      this.warn('ipv6NotAttached', `Spoke ${network.path} has an IPv6 block, but attachment subnet(s) ${without.map((s) => s.node.path).join(', ')} ` +
        'have none, so its attachment gets no IPv6 support and no IPv6 routes. Give those subnets IPv6 blocks to route IPv6 through the hub.');
    }
    return without.length === 0;
  }

  /** The route tables of a spoke that get routes (none when its routes are disabled). */
  private spokeRouteTables(network: VpcNetwork, routes: RouteOptions): RouteTableRef[] {
    try {
      return selectRouteTablesFor(this, network.vpc, network.path, routes, 'routes').tables;
    } catch (e) {
      if (ConnectivityErrors.isConnectivityError(e)) { throw e; }
      throw new ConnectivityError(this, `routes.subnets: cannot select subnets of spoke ${network.path}: ${(e as Error).message}`);
    }
  }

  /**
   * The routes in `from`'s tables toward `to`: to each of its blocks, or `from`'s summaries
   * (created once, the first time `from` reaches a spoke of that IP version).
   */
  private addRoutesToward(from: Spoke, to: Spoke): void {
    if (from.tables.length === 0) { return; }
    const destinations: RouteDestination[] = [];
    for (const version of [IpVersion.IPV4, IpVersion.IPV6]) {
      if (version === IpVersion.IPV6 && !(from.ipv6 && to.ipv6)) { continue; }
      const summaries = from.summaries?.filter((s) => s.version === version) ?? [];
      if (summaries.length > 0) {
        this.checkCovered(from, to, version, summaries);
        if (!from.summariesRouted.has(version)) {
          from.summariesRouted.add(version);
          destinations.push(...summaries.map((s) => ({
            text: s.text, version, label: s.cidr ? s.cidr.toString() : `Summary${fnv1a(JSON.stringify(Stack.of(this).resolve(s.text)))}`,
          })));
        }
        continue;
      }
      for (const block of version === IpVersion.IPV4 ? to.network.ipv4Blocks : to.network.ipv6Blocks) {
        const destination = this.blockDestination(from, to, block);
        if (destination) { destinations.push(destination); }
      }
    }
    if (destinations.length === 0) { return; }
    const created = addRoutes(this.routesContainer(from), from.tables, destinations, { transitGatewayId: this.transitGatewayId });
    const routes = created.map((c) => c.route);
    // A route toward a transit gateway fails unless the VPC's attachment exists.
    for (const route of routes) {
      route.node.addDependency(from.attachment, from.association);
    }
    from.routes.push(...routes);
    RouteRegistry.of(this).registerRoutes(this, routes);
  }

  /**
   * The construct a spoke's routes go under: `Routes` beside its attachment, or a construct
   * named after the hub and the spoke's VPC (`Hub-StackVpc`) in the `routes.scope` given for it.
   */
  private routesContainer(spoke: Spoke): Construct {
    if (!spoke.routesContainer) {
      if (spoke.givenRoutesScope) {
        // Named after the VPC's whole path, not only its id, so that spokes of different stacks
        // sharing one scope never depend on the order they were added in for their names.
        const scope = spoke.givenRoutesScope;
        const name = `${this.node.id}-${spoke.vpc.node.path.replace(/\//g, '')}`;
        spoke.routesContainer = new Construct(scope, scope.node.tryFindChild(name) ? `${name}${fnv1a(this.node.path)}` : name);
      } else {
        spoke.routesContainer = new Construct(spoke.scope, 'Routes');
      }
      skipWhenScanningForCidrBlocks(spoke.routesContainer);
    }
    return spoke.routesContainer;
  }

  /**
   * AWS delivers traffic to a transit gateway only from the AZs where the VPC's attachment has a
   * subnet: a routed subnet of any other AZ would send into a black hole.
   */
  private checkAttachmentAzs(network: VpcNetwork, attachmentAzs: Set<string>, tables: RouteTableRef[]): void {
    if (attachmentAzs.size === 0) { return; }
    const uncovered = tables.flatMap((t) => t.subnets).filter((subnet) => {
      const az = azKey(subnet);
      return az !== undefined && !attachmentAzs.has(az);
    });
    if (uncovered.length > 0) {
      const azs = [...new Set(uncovered.map((s) => availabilityZone(s) ?? 'an AZ known at deploy time'))];
      throw new ConnectivityError(this, `Subnet(s) ${uncovered.map((s) => s.node.path).join(', ')} of spoke ${network.path} would route to the transit gateway ` +
        `from ${azs.join(', ')}, where the attachment has no subnet: AWS only takes traffic into a transit gateway from the AZs of the attachment's subnets. ` +
        'Select an attachment subnet in every routed AZ (attachmentSubnets), or leave those subnets out (routes.subnets).');
    }
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
    const routeStack = Stack.of(spoke.givenRoutesScope ?? spoke.scope);
    const allowed = new Set([routeStack, Stack.of(this), Stack.of(spoke.scope)]);
    const foreign = referencedStacks(block.text, routeStack).filter((s) => !allowed.has(s));
    if (foreign.length > 0) {
      this.warn('crossStackDestinationSkipped', `No route from spoke ${spoke.network.path} to ${block.version === IpVersion.IPV6 ? 'the IPv6' : 'a'} block of spoke ` +
        `${peer.network.path}: the block is only known at deploy time, in stack ${foreign.map((s) => s.stackName).join(', ')}, and referencing it ` +
        `would make stack ${routeStack.stackName} depend on it (spoke stacks would depend on each other). Give the VPC a literal block, ` +
        'put the spokes in one stack, or route a literal summary with routes.destinations.');
      return undefined;
    }
    return {
      text: block.text,
      version: block.version,
      label: `${block.label}Of${spokeName(peer.vpc)}`,
      dependsOn,
    };
  }

  /** Every block of `peer` of `version` lies inside one of `spoke`'s summaries. */
  private checkCovered(spoke: Spoke, peer: Spoke, version: IpVersion, summaries: Summary[]): void {
    const literal = summaries.filter((s) => s.cidr);
    for (const block of version === IpVersion.IPV4 ? peer.network.ipv4Blocks : peer.network.ipv6Blocks) {
      if (!block.cidr) {
        this.warn('summaryCheckSkipped', `routes.destinations: the check that a block of spoke ${peer.network.path} lies inside a summary was skipped: ` +
          'the block is only known at deploy time. Give the VPC literal blocks to have it checked.');
        continue;
      }
      if (literal.some((s) => s.cidr!.contains(block.cidr!))) { continue; }
      if (literal.length < summaries.length) { continue; } // a token summary may cover it; warned when parsed
      throw new ConnectivityError(this, `routes.destinations (${literal.map((s) => s.text).join(', ')}) do not cover ${block.cidr} of spoke ` +
        `${peer.network.path}, which spoke ${spoke.network.path} reaches: its traffic there would have no route. ` +
        'Add a summary that contains the block, or leave routes.destinations out to route each block.');
    }
  }

  private warn(id: string, message: string): void {
    if (this.warned.has(message)) { return; }
    this.warned.add(message);
    Annotations.of(this).addWarningV2(`cdk-vpc-connect:${id}`, message);
  }
}

/** Fail when a literal transit gateway id does not look like one. */
function checkTransitGatewayId(scope: Construct, what: string, id: string): void {
  const problem = transitGatewayIdProblem(id);
  if (problem) {
    throw new ConnectivityError(scope, `${what}: ${problem}. Copy the id from the VPC console (Transit gateways) or from ` +
      '`aws ec2 describe-transit-gateways`.');
  }
}

/** The ARN of a transit gateway of the account and region of `scope`'s stack. */
function transitGatewayArn(scope: Construct, transitGatewayId: string): string {
  return Stack.of(scope).formatArn({ service: 'ec2', resource: 'transit-gateway', resourceName: transitGatewayId });
}

function blocksOf(network: VpcNetwork): VpcCidrBlock[] {
  return [...network.ipv4Blocks, ...network.ipv6Blocks];
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
      if (Reference.isReference(token)) { found.add(Stack.of(token.target)); }
      return super.resolveToken(token, context, postProcessor);
    }
  }
  Tokenization.resolve(text, { scope, resolver: new Collector(new StringConcat()), preparing: true });
  return [...found];
}
