import { Annotations, CfnResource, DefaultTokenResolver, IResource, Lazy, Reference, Resource, Stack, StringConcat, Token, Tokenization } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ram from 'aws-cdk-lib/aws-ram';
import { aws_ec2 as ec2Refs } from 'aws-cdk-lib/interfaces';
import { Construct, IConstruct } from 'constructs';
import { Cidr, IpVersion } from '../cidr';
import { CostEstimate, CostOptions, estimateHubCost } from '../cost/estimate';
import { ConnectivityError, ConnectivityErrors, CostInputError } from '../errors';
import { checkTransitGatewayDescription, sharingProblems } from './checks';
import { checkPrefixListHeadroom, prefixListMaxEntries, prefixListName, RouteDestinationStyle } from './prefix-lists';
import { PolicyStatementJson, SPOKE_ASSOCIATION_TYPE, transitResource } from './private/transit-custom-resources';
import { IMPLICIT_SEGMENTS, ISOLATED_SEGMENT, PlannedSegmentRoute, SegmentOptions, SegmentPlan, segmentId, SHARED_SEGMENT } from './segments';
import { RemoteVpc } from '../peering/remote-vpc';
import { checkAccountId, checkTransitGatewayId as transitGatewayIdProblem, describeValue, nameTag } from '../private/identifiers';
import { canonicalValue, valueFor } from '../routing/cross-stack';
import { containerInStack } from '../routing/placement';
import { checkQuota, QuotaCheck, quotasOf } from '../routing/quotas';
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
   * route table that only holds the shared spokes' routes. For a hub without `segments` only
   * (it is `segment: 'isolated'` of the hub's two implicit segments); with `segments`, give
   * `segment`.
   *
   * Changing it later takes two deploys: the spoke's association (an
   * `AWS::EC2::TransitGatewayRouteTableAssociation`) is replaced, and CloudFormation creates the new
   * one before deleting the old, which fails (an attachment has one association at a time). Remove
   * the spoke and deploy, then add it back with the new value and deploy again. A hub with
   * `segments` moves a spoke to another segment in one deploy.
   *
   * @default false
   */
  readonly isolated?: boolean;

  /**
   * The segment (routing domain) the spoke joins: a name of the hub's `segments`. Its attachment
   * is associated with that segment's transit gateway route table, and propagates into the
   * tables of every segment that reaches it. A hub without `segments` has two: `shared` (the
   * default) and `isolated`.
   *
   * @default - the hub's only segment when it declares one; `shared` for a hub without
   * `segments`. Required when the hub declares several.
   */
  readonly segment?: string;
}

/**
 * Who a {@link TransitGatewayHub} shares its transit gateway with, through AWS RAM (one
 * `AWS::RAM::ResourceShare`). Spokes in those accounts attach their VPCs with
 * `TransitGatewaySpoke`.
 *
 * The gateway keeps auto-accept of shared attachments disabled: a `TransitGatewaySpoke` accepts
 * the attachments it creates (and nothing else) from the hub's account. Inside an organization
 * with RAM sharing enabled the share is accepted automatically; an account outside it must
 * accept the invitation (a `TransitGatewaySpoke` does).
 */
export interface TransitGatewaySharing {
  /**
   * Account ids (12 digits) to share the gateway with.
   *
   * @default - none
   */
  readonly accounts?: string[];

  /**
   * The ARN of an organization (`arn:aws:organizations::111111111111:organization/o-...`): every
   * account of it.
   *
   * @default - none
   */
  readonly organizationArn?: string;

  /**
   * ARNs of organizational units (`arn:aws:organizations::111111111111:ou/o-.../ou-...`): every
   * account in them.
   *
   * @default - none
   */
  readonly organizationalUnitArns?: string[];

  /**
   * Whether accounts outside the hub's organization may be principals of the share. `false`
   * restricts it to the organization.
   *
   * @default true (AWS's default)
   */
  readonly allowExternalPrincipals?: boolean;
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
   * Adding a deployed spoke to this list, or taking one out, takes two deploys: its association
   * is replaced, and CloudFormation creates the new one before deleting the old, which fails (an
   * attachment has one association at a time). Remove the spoke and deploy, then add it back in
   * its new segment and deploy again. A hub with `segments` moves a spoke in one deploy.
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

  /**
   * The segments (routing domains): one transit gateway route table each. A spoke joins one
   * (`addSpoke(vpc, { segment })`), is associated with its table and propagates into the tables
   * of the segments that reach it; its VPC route tables get routes to the spokes its segment
   * reaches. `reaches` is symmetric, and a segment's members reach each other unless it is
   * `isolated`.
   *
   * @default - two segments, as in 0.1: `shared` (reaches every spoke) and `isolated` (reaches
   * `shared` only; its table is created with its first spoke), with the same construct ids and
   * route tables as before
   */
  readonly segments?: SegmentOptions[];

  /**
   * Share the transit gateway with other accounts through AWS RAM (and the segments' prefix
   * lists, with `routeWith: RouteDestinationStyle.PREFIX_LIST`), so that they attach VPCs with
   * `TransitGatewaySpoke`.
   *
   * @default - not shared
   */
  readonly shareWith?: TransitGatewaySharing;

  /**
   * How the spokes' route tables route the blocks they reach: one route per block
   * (`CIDR_BLOCKS`), or one route per table to a managed prefix list per segment
   * (`PREFIX_LIST`), which keeps tables short. A prefix-list route counts as the list's max
   * entries against the routes-per-route-table quota. Not with `routes.destinations`.
   *
   * @default RouteDestinationStyle.CIDR_BLOCKS
   */
  readonly routeWith?: RouteDestinationStyle;

  /**
   * Entries each segment's prefix list can take beyond the blocks it holds at synth (its max
   * entries are the blocks plus this), so that adding spokes later resizes no list. Only with
   * `routeWith: RouteDestinationStyle.PREFIX_LIST`; counted against the route quota as AWS does.
   *
   * @default 0
   */
  readonly prefixListHeadroom?: number;
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

/** A VPC attached to the hub's gateway: by the hub (a {@link Spoke}), or elsewhere (a remote spoke). */
interface Member {
  readonly vpc: ec2.IVpc;
  readonly network: VpcNetwork;
  /** The segment the spoke joined. */
  readonly segment: string;
  /** Whether the spoke routes IPv6 through the gateway. */
  readonly ipv6: boolean;
  /** The construct that holds the spoke's attachment (for a remote spoke: the construct that makes it). */
  readonly scope: Construct;
  /** Whether the attachment is made elsewhere (another account), not by the hub. */
  readonly remote: boolean;
}

/** What the hub created for one spoke. */
interface Spoke extends Member {
  readonly attachment: ec2.CfnTransitGatewayAttachment;
  /**
   * The association of the attachment with its segment's table: the `AWS::EC2::TransitGatewayRouteTableAssociation`
   * (a hub without `segments`) or the `Custom::TransitGatewaySpokeAssociation` (a hub with `segments`).
   */
  readonly association: CfnResource;
  /** The association, when it is the L1 (a hub without `segments`). */
  readonly nativeAssociation?: ec2.CfnTransitGatewayRouteTableAssociation;
  readonly propagations: ec2.CfnTransitGatewayRouteTablePropagation[];
  readonly routes: ec2.CfnRoute[];
  /** The segments whose tables it propagates into already. */
  readonly propagatedTo: Set<string>;
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
 * whatever the order (every id derives from the spokes, never from their position). Each spoke
 * joins a segment (routing domain, `segments`): one transit gateway route table per segment,
 * the spoke associated with its own and propagated into those of the segments that reach it.
 * Without `segments`, shared spokes reach every spoke and isolated spokes reach only the shared
 * ones (0.1's design, same template). With `segments`, a spoke's association is a custom resource
 * (`associationResource(vpc)`) whose update moves it, so changing a spoke's segment is one deploy;
 * without them it is the L1 of 0.1, and moving a spoke between shared and isolated takes two
 * (see `SpokeOptions.isolated`). Each spoke's attachment, association, propagations and
 * routes live in the spoke VPC's stack, so a hub of many spokes spreads over their stacks and
 * the hub's stack holds only the gateway, its route tables, its static routes, its prefix lists
 * and its RAM share. Checks at synth time that spokes are in the hub's region and account, that
 * no two spokes that share a route table overlap, that attachment subnets are one per AZ, that
 * every route table is known, and the transit gateway quotas (route tables, routes and
 * attachments per gateway, prefix-list entries).
 *
 * `shareWith` shares the gateway through AWS RAM so that `TransitGatewaySpoke`s of other
 * accounts attach to it; auto-accept of shared attachments stays disabled (the spoke accepts
 * its own attachment).
 *
 * The gateway, its route tables and the attachments are tagged `Name` with the hub's construct
 * path (and the spoke's or segment's); a path longer than AWS's 256 characters for a tag value
 * is shortened to its start and end around a hash of the whole, the same at every synth.
 *
 * IPv6: a spoke with an IPv6 block whose attachment subnets all have one gets IPv6 support
 * on its attachment, and IPv6 routes to and from the other such spokes. A block known only
 * at deploy time (Amazon-provided IPv6) is routed from spokes of its own stack and of the
 * hub's stack only: a reference from another spoke's stack would make spoke stacks depend
 * on each other, so that route is left out with a warning.
 *
 * @example
 * const hub = new TransitGatewayHub(this, 'Hub', {
 *   segments: [
 *     { name: 'shared' },
 *     { name: 'prod', reaches: ['shared'] },
 *     { name: 'dev', reaches: ['shared'], routes: [{ destination: '10.99.0.0/16', to: SegmentRouteTarget.blackhole() }] },
 *   ],
 *   shareWith: { accounts: ['222222222222'] },
 * });
 * hub.addSpoke(sharedServices, { segment: 'shared' });
 * hub.addSpoke(prodVpc, { segment: 'prod', routes: { subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } } });
 * hub.attachment(prodVpc);
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
   * spoke, with routes propagated from every spoke. With `segments`, the table of the first
   * segment declared (use `routeTable(segment)` for the others).
   */
  public readonly sharedRouteTable: ec2.CfnTransitGatewayRouteTable;

  /** The RAM resource share of the transit gateway (and of the segments' prefix lists), when `shareWith` is given. */
  public readonly resourceShare?: ram.CfnResourceShare;

  private readonly defaults: { readonly attachmentSubnets?: ec2.SubnetSelection; readonly routes?: RouteOptions };
  private readonly spokesByVpc = new Map<ec2.IVpc, Spoke>();
  private readonly remoteSpokes = new Map<ec2.IVpc, Member>();
  private readonly containers = new Map<Stack, Construct>();
  private readonly warned = new Set<string>();
  /** Whether `segments` was given (else the implicit shared/isolated pair). */
  private readonly explicitSegments: boolean;
  private readonly plan: SegmentPlan;
  private readonly tables = new Map<string, ec2.CfnTransitGatewayRouteTable>();
  private readonly sharing?: TransitGatewaySharing;
  private readonly routeWith: RouteDestinationStyle;
  private readonly prefixListHeadroom: number;
  private readonly prefixLists = new Map<string, ec2.CfnPrefixList>();
  /** The static routes of the segments, by segment and destination, once created. */
  private readonly staticRoutes = new Map<string, ec2.CfnTransitGatewayRoute>();
  private readonly peeringAttachments: IConstruct[] = [];
  /** The attachments associated by custom resources (a hub with `segments`), by stack and path. */
  private readonly associatedAttachments = new Map<Stack, Map<string, ec2.CfnTransitGatewayAttachment>>();

  constructor(scope: Construct, id: string, props: TransitGatewayHubProps = {}) {
    super(scope, id);
    Object.defineProperty(this, TransitGatewayHub.BRAND, { value: true });
    skipWhenScanningForCidrBlocks(this);

    rejectRouteOption(this, props.routes, 'routes', 'scope', 'the spokes of a hub can be in different stacks, and the routes of each ' +
      'belong in a stack of its account and region. Give scope per spoke: addSpoke(vpc, { routes: { scope } }).');
    this.defaults = { attachmentSubnets: props.attachmentSubnets, routes: props.routes };
    const spokes = props.spokes ?? [];
    const isolatedSpokes = props.isolatedSpokes ?? [];
    this.explicitSegments = props.segments !== undefined;
    if (this.explicitSegments && isolatedSpokes.length > 0) {
      throw new ConnectivityError(this, 'isolatedSpokes and segments were both given: isolatedSpokes is the 0.1 form of two segments. ' +
        'Declare an isolated segment instead ({ name: \'workloads\', isolated: true, reaches: [\'shared\'] }) and add those spokes with ' +
        'addSpoke(vpc, { segment: \'workloads\' }).');
    }
    const segmentProblems = SegmentPlan.problems(props.segments ?? IMPLICIT_SEGMENTS);
    if (segmentProblems.length > 0) {
      throw new ConnectivityError(this, `segments: ${segmentProblems.join(' ')}`);
    }
    this.plan = new SegmentPlan(props.segments ?? IMPLICIT_SEGMENTS);
    this.routeWith = props.routeWith ?? RouteDestinationStyle.CIDR_BLOCKS;
    this.prefixListHeadroom = props.prefixListHeadroom ?? 0;
    if (props.prefixListHeadroom !== undefined) {
      const problem = checkPrefixListHeadroom(props.prefixListHeadroom);
      if (problem) { throw new ConnectivityError(this, `${problem}. Give the number of entries to keep free in each segment's prefix list.`); }
      if (this.routeWith !== RouteDestinationStyle.PREFIX_LIST) {
        throw new ConnectivityError(this, `prefixListHeadroom (${props.prefixListHeadroom}) only applies with routeWith: RouteDestinationStyle.PREFIX_LIST. ` +
          'Set routeWith, or leave prefixListHeadroom out.');
      }
    }
    if (this.routeWith === RouteDestinationStyle.PREFIX_LIST && props.routes?.destinations !== undefined) {
      throw new ConnectivityError(this, 'routes.destinations (summary blocks) and routeWith: RouteDestinationStyle.PREFIX_LIST both shorten the spokes\' route ' +
        'tables, in two different ways: choose one.');
    }
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

    // Without segments the isolated table is made with the first isolated spoke, as in 0.1.
    const eager = this.explicitSegments ? this.plan.names : [SHARED_SEGMENT];
    this.sharedRouteTable = this._segmentRouteTable(eager[0]);
    for (const name of eager.slice(1)) { this._segmentRouteTable(name); }

    if (props.shareWith !== undefined) {
      const problems = sharingProblems(props.shareWith, checkAccountId);
      if (problems.length > 0) { throw new ConnectivityError(this, problems.join(' ')); }
      this.sharing = props.shareWith;
      this.resourceShare = this.createShare(props.shareWith);
    }

    for (const vpc of spokes) {
      this.addSpoke(vpc, isolatedSpokes.includes(vpc) ? { isolated: true } : {});
    }
    for (const route of this.plan.routes()) {
      if (!route.to.vpc) { this.addStaticRoute(route); }
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
    const segment = this.segmentFor(network, options);
    this.checkNewSpoke(network);
    this.checkBlocks(network, segment);
    const routes = this.routeOptionsFor(options.routes);
    if (this.routeWith === RouteDestinationStyle.PREFIX_LIST && routes.destinations !== undefined) {
      throw new ConnectivityError(this, `Spoke ${network.path}: routes.destinations (summary blocks) and the hub's routeWith: RouteDestinationStyle.PREFIX_LIST ` +
        'both shorten the route tables, in two different ways: leave routes.destinations out.');
    }
    const summaries = this.parseSummaries(routes.destinations, network);
    const spoke = this.attach(network, segment, options.attachmentSubnets ?? this.defaults.attachmentSubnets, routes, summaries);
    const existing = [...this.spokesByVpc.values(), ...this.remoteSpokes.values()];
    this.spokesByVpc.set(vpc, spoke);
    RouteRegistry.of(this).registerNetworkSeen(this, network);
    if (this.routeWith === RouteDestinationStyle.PREFIX_LIST) {
      this.addPrefixListRoutes(spoke);
    }
    for (const other of existing) {
      if (!this.plan.reaches(spoke.segment, other.segment)) { continue; }
      this.addRoutesToward(spoke, other);
      if (isSpoke(other)) { this.addRoutesToward(other, spoke); }
    }
    // Summaries given are routed even before the spoke reaches another spoke of this hub: they
    // may cover what it reaches through a TransitGatewayPeering only (a hub's only spoke).
    this.addSummaryRoutes(spoke);
    this.addVpcDefaultRoutes(spoke);
    for (const route of this.plan.routes()) {
      if (route.to.vpc === vpc) { this.addStaticRoute(route); }
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
    if (this.spokesByVpc.size + this.remoteSpokes.size === 0) {
      throw new ConnectivityError(this, 'estimateMonthlyCost: the hub has no spoke yet. Attach VPCs (spokes or addSpoke) before estimating its cost.');
    }
    // Spokes of other accounts pay their attachment-hours there, but they are the network's cost.
    const azs = Math.max(1, ...[...this.spokesByVpc.values()].map((s) => (s.attachment.subnetIds ?? []).length));
    return estimateHubCost({
      spokes: this.spokesByVpc.size + this.remoteSpokes.size, azsPerSpoke: azs, traffic: options.traffic ?? NO_TRAFFIC, pricing: options.pricing,
    });
  }

  /** Every spoke the hub attached, in the order added (spokes of other accounts, attached by `TransitGatewaySpoke`, are not listed). */
  public get spokes(): ec2.IVpc[] {
    return [...this.spokesByVpc.keys()];
  }

  /** The spokes of isolated segments (without `segments`: the `isolated` spokes), in the order added. */
  public get isolatedSpokes(): ec2.IVpc[] {
    return [...this.spokesByVpc.values()].filter((s) => this.plan.segment(s.segment)?.isolated).map((s) => s.vpc);
  }

  /**
   * The transit gateway route table of the isolated spokes, once there is one: associated
   * with every isolated spoke, with routes propagated from the shared spokes only. Only for a
   * hub without `segments` (else `undefined`: use `routeTable(segment)`).
   */
  public get isolatedRouteTable(): ec2.CfnTransitGatewayRouteTable | undefined {
    return this.explicitSegments ? undefined : this.tables.get(ISOLATED_SEGMENT);
  }

  /** The names of the hub's segments, in declaration order (`shared` and `isolated` for a hub without `segments`). */
  public get segmentNames(): string[] {
    return this.plan.names;
  }

  /**
   * The transit gateway route table of a segment (created on first use for the `isolated`
   * segment of a hub without `segments`).
   *
   * @throws ConnectivityError when `segment` is not a segment of the hub
   */
  public routeTable(segment: string): ec2.CfnTransitGatewayRouteTable {
    return this._segmentRouteTable(segment);
  }

  /**
   * The segment a spoke joined.
   *
   * @throws ConnectivityError when `vpc` is not a spoke of this hub
   */
  public segmentOf(vpc: ec2.IVpc): string {
    const segment = this._segmentOf(vpc);
    if (segment === undefined) { this.spoke(vpc); }
    return segment!;
  }

  /**
   * The managed prefix list of a segment (`routeWith: RouteDestinationStyle.PREFIX_LIST`), once
   * a spoke of the segment routes to it; else `undefined`.
   */
  public prefixList(segment: string): ec2.CfnPrefixList | undefined {
    this.checkSegment(segment, 'prefixList');
    return this.prefixLists.get(segment);
  }

  /**
   * The transit gateway route table of a segment, made on first use.
   *
   * @internal
   */
  public _segmentRouteTable(segment: string): ec2.CfnTransitGatewayRouteTable {
    this.checkSegment(segment, 'the segment');
    let table = this.tables.get(segment);
    if (!table) {
      table = new ec2.CfnTransitGatewayRouteTable(this, `${segmentId(segment)}RouteTable`, {
        transitGatewayId: this.transitGatewayId,
        tags: [{ key: 'Name', value: nameTag(`${this.node.path} ${segment}`) }],
      });
      this.tables.set(segment, table);
      // Spokes attached before the table existed propagate into it now (0.1's isolated table).
      for (const spoke of this.spokesByVpc.values()) {
        if (this.plan.propagationSegments(spoke.segment).includes(segment)) { this.propagate(spoke, segment); }
      }
    }
    return table;
  }

  /**
   * The segment of a spoke, attached here or by `_addRemoteSpoke`; `undefined` for another VPC.
   *
   * @internal
   */
  public _segmentOf(vpc: ec2.IVpc): string | undefined {
    return (this.spokesByVpc.get(vpc) ?? this.remoteSpokes.get(vpc))?.segment;
  }

  /**
   * The segments whose tables a member of `segment` propagates into (those whose members reach it).
   *
   * @internal
   */
  public _propagationSegments(segment: string): string[] {
    this.checkSegment(segment, 'the segment');
    return this.plan.propagationSegments(segment);
  }

  /**
   * The segments whose members a member of `segment` reaches (its own unless isolated).
   *
   * @internal
   */
  public _reachedSegments(segment: string): string[] {
    this.checkSegment(segment, 'the segment');
    return this.plan.reachedSegments(segment);
  }

  /**
   * The VPCs, attached here or remote, that a member of `segment` reaches, in the order added.
   * A spoke of `segment` itself is listed when the segment reaches itself: callers routing from
   * one of them leave it out.
   *
   * @internal
   */
  public _reachedSpokeVpcs(segment: string): ec2.IVpc[] {
    const reached = new Set(this._reachedSegments(segment));
    return [...this.spokesByVpc.values(), ...this.remoteSpokes.values()].filter((m) => reached.has(m.segment)).map((m) => m.vpc);
  }

  /**
   * A spoke whose attachment is made elsewhere (a `TransitGatewaySpoke` of another account): the
   * hub checks it (region, overlaps, limits), counts it, and routes toward its literal blocks from
   * the local spokes that reach it. Its attachment, association and propagations are not the hub's.
   *
   * @internal
   */
  public _addRemoteSpoke(spoke: { vpc: ec2.IVpc; segment: string; scope: Construct }): void {
    const network = describeVpcFor(this, spoke.vpc, 'the other spokes route toward');
    this.checkSegment(spoke.segment, `the segment of spoke ${network.path}`);
    this.checkNewSpoke(network, true);
    this.checkBlocks(network, spoke.segment);
    const member: Member = { vpc: spoke.vpc, network, segment: spoke.segment, ipv6: false, scope: spoke.scope, remote: true };
    this.remoteSpokes.set(spoke.vpc, member);
    RouteRegistry.of(this).registerNetworkSeen(this, network);
    // The remote spoke's association and propagations need every table they name to exist.
    this._segmentRouteTable(spoke.segment);
    for (const segment of this.plan.propagationSegments(spoke.segment)) { this._segmentRouteTable(segment); }
    for (const other of this.spokesByVpc.values()) {
      if (this.plan.reaches(other.segment, spoke.segment)) { this.addRoutesToward(other, member); }
    }
  }

  /**
   * Whether `account` is covered by `shareWith`: listed in `accounts`, or any account when an
   * organization or organizational units are given (RAM decides membership at deploy time).
   *
   * @internal
   */
  public _sharedWithAccount(account: string): boolean {
    const sharing = this.sharing;
    if (!sharing) { return false; }
    if (sharing.organizationArn !== undefined || (sharing.organizationalUnitArns ?? []).length > 0) { return true; }
    return (sharing.accounts ?? []).includes(account);
  }

  /**
   * Whether the gateway routes traffic from spoke `from` to spoke `to` (both attached by the hub):
   * `to` propagates into the table of `from`'s segment, or that table has a static route (not a
   * blackhole) to `to`'s attachment. For checks of other constructs, which cannot compare table
   * ids (an association of a hub with `segments` is a custom resource).
   *
   * @internal
   */
  public _routesBetween(from: ec2.IVpc, to: ec2.IVpc): boolean {
    const source = this.spoke(from);
    const target = this.spoke(to);
    if (target.propagatedTo.has(source.segment)) { return true; }
    return this.plan.routes().some((r) => r.segment === source.segment && r.to.vpc === to && !r.to.isBlackhole);
  }

  /**
   * Count a peering attachment of the gateway (a `TransitGatewayPeering`) against the
   * peering-attachments quota.
   *
   * @internal
   */
  public _registerPeeringAttachment(peering: IConstruct): void {
    if (!this.peeringAttachments.includes(peering)) { this.peeringAttachments.push(peering); }
  }

  /**
   * The attachment of a spoke (the L1 `AWS::EC2::TransitGatewayAttachment`).
   *
   * @throws ConnectivityError when `vpc` is not a spoke of this hub
   */
  public attachment(vpc: ec2.IVpc): ec2.CfnTransitGatewayAttachment {
    return this.spoke(vpc).attachment;
  }

  /**
   * The association of a spoke's attachment with its transit gateway route table, as the L1
   * `AWS::EC2::TransitGatewayRouteTableAssociation` of a hub without `segments`.
   *
   * @throws ConnectivityError when `vpc` is not a spoke of this hub, or when the hub declares
   * `segments` (its associations are custom resources: use `associationResource(vpc)`)
   */
  public association(vpc: ec2.IVpc): ec2.CfnTransitGatewayRouteTableAssociation {
    const spoke = this.spoke(vpc);
    if (!spoke.nativeAssociation) {
      throw new ConnectivityError(this, `association(${vpc.node.path}): hub ${this.node.path} declares segments (${this.plan.names.join(', ')}), so the ` +
        `association of spoke ${vpc.node.path} with the table of segment '${spoke.segment}' is a custom resource (${SPOKE_ASSOCIATION_TYPE}, which moves ` +
        'it between segments in one deploy), not an AWS::EC2::TransitGatewayRouteTableAssociation. Use associationResource(vpc), which returns ' +
        'the association of any hub\'s spoke.');
    }
    return spoke.nativeAssociation;
  }

  /**
   * The resource that associates a spoke's attachment with its segment's transit gateway route
   * table, for any hub: the L1 `AWS::EC2::TransitGatewayRouteTableAssociation` of a hub without
   * `segments` (what `association(vpc)` returns), or, for a hub with `segments`, the
   * `Custom::TransitGatewaySpokeAssociation` (properties `TransitGatewayAttachmentId` and
   * `AssociationRouteTableId`) whose update moves the spoke to another segment in one deploy. Use
   * it to add dependencies (`node.addDependency`) or overrides.
   *
   * @throws ConnectivityError when `vpc` is not a spoke of this hub
   */
  public associationResource(vpc: ec2.IVpc): CfnResource {
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

  /**
   * The hub's transit gateway route tables, in the order of the segments: without `segments`,
   * the shared one, then the isolated one if any.
   */
  public get routeTables(): ec2.CfnTransitGatewayRouteTable[] {
    return this.plan.names.filter((n) => this.tables.has(n)).map((n) => this.tables.get(n)!);
  }

  /** The static routes of the segments' transit gateway route tables (`routes`, `defaultRoute`), once created. */
  public get segmentRoutes(): ec2.CfnTransitGatewayRoute[] {
    return [...this.staticRoutes.values()];
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
    const members: Member[] = [...spokes, ...this.remoteSpokes.values()];
    const errors: string[] = [];
    if (members.length === 0) {
      errors.push('The transit gateway hub has no spoke: attach at least one VPC, in spokes or with addSpoke(vpc).');
    } else if (!this.explicitSegments && members.every((s) => s.segment === ISOLATED_SEGMENT)) {
      errors.push(`Every spoke is isolated (${members.map((s) => s.network.path).join(', ')}): isolated spokes reach only shared spokes, ` +
        'so nothing would be connected. Leave at least one spoke shared (out of isolatedSpokes, or added without isolated: true).');
    }
    for (const route of this.plan.routes()) {
      const vpc = route.to.vpc;
      if (!vpc || this.spokesByVpc.has(vpc)) { continue; }
      errors.push(this.remoteSpokes.has(vpc)
        ? `Segment '${route.segment}' routes ${describeValue(route.destination)} to spoke ${vpc.node.path}, whose attachment is made in another account ` +
          '(a TransitGatewaySpoke): the hub cannot name it. Route to its attachment id with SegmentRouteTarget.attachment(id) once it exists.'
        : `Segment '${route.segment}' routes ${describeValue(route.destination)} to VPC ${vpc.node.path}, which is not a spoke of this hub ` +
          `(spokes: ${this.spokes.map((s) => s.node.path).join(', ') || 'none'}). Attach it with addSpoke(vpc), or route to another target.`);
    }
    errors.push(...this.checkGatewayQuotas(members));
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

  private checkNewSpoke(network: VpcNetwork, remote = false): void {
    const key = (n: VpcNetwork) => (n.lookupPending ? `construct:${n.path}` : `${n.region ?? ''}/${n.vpc.vpcId}`);
    const members = [...this.spokesByVpc.values(), ...this.remoteSpokes.values()];
    const first = members.find((s) => s.vpc === network.vpc)?.network ?? members.find((s) => key(s.network) === key(network))?.network;
    if (first) {
      throw new ConnectivityError(this, `VPC ${network.path} is already a spoke of this hub` +
        `${first.path !== network.path ? ` (as ${first.path} and ${network.path}, both ${Token.isUnresolved(network.vpc.vpcId) ? describeValue(network.vpc.vpcId) : network.vpc.vpcId})` : ''}. ` +
        'A VPC attaches to a transit gateway once: add it once (in spokes or with addSpoke).');
    }

    const stack = Stack.of(this);
    const stackRegion = Token.isUnresolved(stack.region) ? undefined : stack.region;
    const stackAccount = Token.isUnresolved(stack.account) ? undefined : stack.account;
    if (!remote && (RemoteVpc.isRemoteVpc(network.vpc) || (network.account && stackAccount && network.account !== stackAccount))) {
      throw new ConnectivityError(this, `Spoke ${network.path} is in account ${network.account ?? 'unknown'}, the hub in ${stackAccount ?? 'this stack\'s account'}. ` +
        'A hub attaches VPCs of its own account only: share the transit gateway with that account (shareWith) and attach the VPC from a stack ' +
        'of that account with new TransitGatewaySpoke(stack, id, { hub, vpc, segment }).');
    }
    if (network.region && stackRegion && network.region !== stackRegion) {
      throw new ConnectivityError(this, `Spoke ${network.path} is in ${network.region}, but the hub is in stack ${stack.stackName} in ${stackRegion}. ` +
        'A transit gateway is regional: create a hub per region and connect the hubs with a TransitGatewayPeering.');
    }
    if (remote) { return; }
    const spokeStack = Stack.of(network.vpc);
    if (spokeStack !== stack && (spokeStack.region !== stack.region || spokeStack.account !== stack.account)) {
      throw new ConnectivityError(this, `Spoke ${network.path} is in stack ${spokeStack.stackName} (${describeEnv(spokeStack)}), the hub in stack ` +
        `${stack.stackName} (${describeEnv(stack)}). The spoke's attachment goes in its stack and references the hub's stack, which needs both ` +
        'stacks in one environment: give them the same env (account and region).');
    }
  }

  /** The new spoke's blocks are well formed and overlap no block of a spoke it shares a transit gateway route table with. */
  private checkBlocks(network: VpcNetwork, segment: string): void {
    if (!network.lookupPending && network.ipv4Blocks.some((b) => !b.cidr && !b.malformed)) {
      this.warn('overlapCheckSkipped', `The CIDR overlap check of ${network.path} with the other spokes was skipped: ` +
        'a CIDR block is only known at deploy time. Give the VPC a literal CIDR (ec2.IpAddresses.cidr, or vpcCidrBlock when importing) to have it checked.');
    }
    for (const block of blocksOf(network)) {
      if (block.malformed) {
        throw new ConnectivityError(this, `Spoke ${network.path} has a malformed CIDR block: ${block.malformed}.`);
      }
    }
    // Two spokes that propagate into one table are ambiguous there, and the spokes of that
    // table's segment would route to both, even when the two do not reach each other. Without
    // segments every spoke propagates into the shared table.
    for (const { network: other, segment: otherSegment } of [...this.spokesByVpc.values(), ...this.remoteSpokes.values()]) {
      const common = this.plan.commonTables(otherSegment, segment);
      if (common.length === 0) { continue; }
      for (const blockA of other.ipv4Blocks) {
        for (const blockB of network.ipv4Blocks) {
          if (blockA.cidr && blockB.cidr && blockA.cidr.overlaps(blockB.cidr)) {
            throw new ConnectivityError(this, `Spokes ${describeForMessage(other)} and ${describeForMessage(network)} overlap: ${blockA.cidr} and ${blockB.cidr} ` +
              'share addresses. ' + (this.explicitSegments
              ? `Both propagate into the transit gateway route table of segment ${common.map((c) => `'${c}'`).join(', ')} (segments '${otherSegment}' and ` +
                `'${segment}'), whose spokes would route to both, so they need disjoint CIDR blocks; re-address one VPC, or put them in segments ` +
                'that no segment reaches both of.'
              : 'Every spoke\'s blocks are propagated into the hub\'s shared route table and routed from the shared spokes, so spokes ' +
                'need disjoint CIDR blocks (isolated spokes too); re-address one VPC or attach it to another hub.'));
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

  /** The attachment, association and propagations of a spoke, in the spoke's stack, and the route tables it routes. */
  private attach(network: VpcNetwork, segment: string, selection: ec2.SubnetSelection | undefined, routes: RouteOptions,
    summaries: Summary[] | undefined): Spoke {
    const vpc = network.vpc;
    // Every check first, so that a spoke that fails leaves nothing behind.
    if (routes.scope) { this.checkRoutesScope(network, routes.scope); }
    const subnets = this.attachmentSubnets(network, selection);
    const attachmentAzs = new Set(subnets.map(azKey).filter((az): az is string => az !== undefined));
    const tables = this.spokeRouteTables(network, routes);
    this.checkAttachmentAzs(network, attachmentAzs, tables);
    const ipv6 = network.ipv6Blocks.length > 0 && this.subnetsHaveIpv6(network, subnets);

    // The tables first (0.1 made the isolated table with its first spoke, before the spoke's resources).
    const table = this._segmentRouteTable(segment);
    const propagateTo = this.plan.propagationSegments(segment).filter((name) => this.tables.has(name));
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
    // Without segments: the L1, as in 0.1 (same template). With segments: the custom resource that
    // moves the attachment between segment tables in one deploy.
    const nativeAssociation = this.explicitSegments ? undefined : new ec2.CfnTransitGatewayRouteTableAssociation(scope, 'Association', {
      transitGatewayAttachmentId: attachment.attrId,
      transitGatewayRouteTableId: table.attrTransitGatewayRouteTableId,
    });
    const association = nativeAssociation ?? this.segmentAssociation(scope, attachment, table);
    const spoke: Spoke = {
      vpc, network, segment, ipv6, scope, remote: false, attachment, association, nativeAssociation, propagations: [], routes: [], propagatedTo: new Set(),
      tables, summaries, summariesRouted: new Set(), givenRoutesScope: routes.scope,
    };
    for (const name of propagateTo) { this.propagate(spoke, name); }
    return spoke;
  }

  /**
   * The association of a spoke of a hub with `segments`: a `Custom::TransitGatewaySpokeAssociation`
   * (served by the transit provider of the spoke's stack, acting with its own role: no `RoleArn`),
   * beside the attachment, with the logical id the L1 would have.
   *
   * Why not the L1: a change of an `AWS::EC2::TransitGatewayRouteTableAssociation`'s
   * `TransitGatewayRouteTableId` replaces it, and CloudFormation creates the replacement before it
   * deletes the old one; the create fails, since an attachment has one association at a time
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-transitgatewayroutetableassociation.html:
   * "First update the stack to remove the associated transit gateway route table, and then update
   * the stack with the ID of the new transit gateway route table"). The custom resource's Update
   * disassociates, waits, and associates: moving a spoke to another segment is one deploy. Hubs
   * with `segments` are new in 1.0, so no deployed stack holds an L1 association of theirs.
   *
   * Propagations stay native L1s (`propagations(vpc)` keeps returning them): an attachment may
   * propagate into several tables at once, so a move creates the new segment's propagation and
   * deletes the old one without conflict, and their logical ids derive from the segment, so none
   * is replaced. The resource is given no `PropagationRouteTableIds`.
   *
   * The function may associate and disassociate the spoke's attachment with any of the hub's
   * tables (not only its segment's): the role's policy is updated before the association, so a
   * move disassociates from a table the new policy no longer names, and a rollback re-associates
   * with it. These references also keep every segment table exported from the hub's stack while
   * a spoke of another stack uses it, so that a move never removes an export the spoke's stack
   * still imports (the hub's stack deploys first).
   */
  private segmentAssociation(scope: Construct, attachment: ec2.CfnTransitGatewayAttachment, table: ec2.CfnTransitGatewayRouteTable): CfnResource {
    const stack = Stack.of(scope);
    const arn = (resource: string, id: string) => stack.formatArn({ service: 'ec2', resource, resourceName: id });
    // DescribeTransitGatewayAttachments supports no resource-level permissions.
    const statements: PolicyStatementJson[] = [{ Effect: 'Allow', Action: 'ec2:DescribeTransitGatewayAttachments', Resource: '*' }];
    // One statement per stack for the hub's spokes there, their attachments sorted by path: the
    // policy does not depend on the order spokes are added in.
    let attachments = this.associatedAttachments.get(stack);
    if (!attachments) {
      const listed = new Map<string, ec2.CfnTransitGatewayAttachment>();
      attachments = listed;
      this.associatedAttachments.set(stack, listed);
      statements.push({
        Effect: 'Allow',
        Action: ['ec2:AssociateTransitGatewayRouteTable', 'ec2:DisassociateTransitGatewayRouteTable'],
        Resource: Lazy.list({
          produce: () => [...this.routeTables.map((t) => arn('transit-gateway-route-table', t.attrTransitGatewayRouteTableId)),
            ...[...listed.keys()].sort().map((path) => arn('transit-gateway-attachment', listed.get(path)!.attrId))],
        }),
      });
    }
    attachments.set(attachment.node.path, attachment);
    const resource = transitResource(scope, 'Association', SPOKE_ASSOCIATION_TYPE, {
      TransitGatewayId: this.transitGatewayId,
      TransitGatewayAttachmentId: attachment.attrId,
      AssociationRouteTableId: table.attrTransitGatewayRouteTableId,
    }, statements);
    return resource.node.defaultChild as CfnResource;
  }

  /** The propagation of a spoke's attachment into a segment's table (once). */
  private propagate(spoke: Spoke, segment: string): void {
    if (spoke.propagatedTo.has(segment)) { return; }
    spoke.propagatedTo.add(segment);
    spoke.propagations.push(new ec2.CfnTransitGatewayRouteTablePropagation(spoke.scope, `${segmentId(segment)}Propagation`, {
      transitGatewayAttachmentId: spoke.attachment.attrId,
      transitGatewayRouteTableId: this.tables.get(segment)!.attrTransitGatewayRouteTableId,
    }));
  }

  /** Fail unless `segment` is a segment of the hub. */
  private checkSegment(segment: string, what: string): void {
    if (!this.plan.has(segment)) {
      throw new ConnectivityError(this, `${what} ${describeValue(segment)} is not a segment of this hub (segments: ${this.plan.names.join(', ')}). ` +
        (this.explicitSegments ? 'Declare it in segments, or use one of those.' : 'A hub without segments has the segments shared and isolated; declare segments for others.'));
    }
  }

  /** The segment a new spoke joins: its `segment`, its `isolated` (without segments), or the default. */
  private segmentFor(network: VpcNetwork, options: SpokeOptions): string {
    if (options.segment !== undefined && options.isolated !== undefined) {
      throw new ConnectivityError(this, `Spoke ${network.path} was given both segment ${describeValue(options.segment)} and isolated: ${options.isolated}. ` +
        'isolated is the 0.1 form of segment: \'isolated\'; give segment only.');
    }
    if (options.isolated !== undefined) {
      if (this.explicitSegments) {
        throw new ConnectivityError(this, `Spoke ${network.path} was given isolated: ${options.isolated}, but the hub declares segments ` +
          `(${this.plan.names.join(', ')}): give segment instead (an isolated segment keeps its members apart).`);
      }
      return options.isolated ? ISOLATED_SEGMENT : SHARED_SEGMENT;
    }
    if (options.segment !== undefined) {
      this.checkSegment(options.segment, `Spoke ${network.path}: segment`);
      return options.segment;
    }
    if (!this.explicitSegments) { return SHARED_SEGMENT; }
    if (this.plan.names.length === 1) { return this.plan.names[0]; }
    throw new ConnectivityError(this, `Spoke ${network.path} has no segment, and the hub declares several (${this.plan.names.join(', ')}): ` +
      'say which it joins with addSpoke(vpc, { segment }).');
  }

  /**
   * Where a spoke's pieces go: under the hub when the spoke is in the hub's stack, else under
   * a construct named after the hub in the spoke's stack, so spoke stacks depend on the
   * hub's stack and never the other way round.
   */
  private containerFor(vpc: IConstruct): Construct {
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
  /** The spoke's summary routes (`routes.destinations`) of each IP version not routed yet. */
  private addSummaryRoutes(from: Spoke): void {
    if (from.tables.length === 0 || !from.summaries) { return; }
    const destinations: RouteDestination[] = [];
    for (const version of [IpVersion.IPV4, IpVersion.IPV6]) {
      if (version === IpVersion.IPV6 && !from.ipv6) { continue; }
      const summaries = from.summaries.filter((s) => s.version === version);
      if (summaries.length === 0 || from.summariesRouted.has(version)) { continue; }
      from.summariesRouted.add(version);
      destinations.push(...summaries.map((s) => this.summaryDestination(s, version)));
    }
    this.createSpokeRoutes(from, destinations);
  }

  private summaryDestination(s: Summary, version: IpVersion): RouteDestination {
    return { text: s.text, version, label: s.cidr ? s.cidr.toString() : `Summary${fnv1a(JSON.stringify(Stack.of(this).resolve(s.text)))}` };
  }

  private addRoutesToward(from: Spoke, to: Member): void {
    if (from.tables.length === 0) { return; }
    const destinations: RouteDestination[] = [];
    for (const version of [IpVersion.IPV4, IpVersion.IPV6]) {
      if (version === IpVersion.IPV6 && !(from.ipv6 && to.ipv6)) { continue; }
      // With prefix lists, one route per table toward the segment's list holds every IPv4 block.
      if (version === IpVersion.IPV4 && this.routeWith === RouteDestinationStyle.PREFIX_LIST) { continue; }
      const summaries = from.summaries?.filter((s) => s.version === version) ?? [];
      if (summaries.length > 0) {
        this.checkCovered(from, to, version, summaries);
        if (!from.summariesRouted.has(version)) {
          from.summariesRouted.add(version);
          destinations.push(...summaries.map((s) => this.summaryDestination(s, version)));
        }
        continue;
      }
      for (const block of version === IpVersion.IPV4 ? to.network.ipv4Blocks : to.network.ipv6Blocks) {
        const destination = this.blockDestination(from, to, block);
        if (destination) { destinations.push(destination); }
      }
    }
    this.createSpokeRoutes(from, destinations);
  }

  private createSpokeRoutes(from: Spoke, destinations: RouteDestination[]): void {
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
  private blockDestination(spoke: Spoke, peer: Member, block: VpcCidrBlock): RouteDestination | undefined {
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
  private checkCovered(spoke: Spoke, peer: Member, version: IpVersion, summaries: Summary[]): void {
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

  /** The RAM share of the gateway, with the segments' prefix lists added as they are made. */
  private createShare(sharing: TransitGatewaySharing): ram.CfnResourceShare {
    const principals = [...(sharing.accounts ?? []), ...(sharing.organizationArn !== undefined ? [sharing.organizationArn] : []),
      ...(sharing.organizationalUnitArns ?? [])];
    return new ram.CfnResourceShare(this, 'ResourceShare', {
      name: nameTag(this.node.path),
      resourceArns: Lazy.list({
        produce: () => [this.transitGatewayRef.transitGatewayArn, ...[...this.prefixLists.values()].map((l) => l.attrArn)],
      }),
      principals,
      allowExternalPrincipals: sharing.allowExternalPrincipals,
      tags: [{ key: 'Name', value: nameTag(this.node.path) }],
    });
  }

  /**
   * A static route of a segment in its transit gateway route table: under the hub (blackholes,
   * attachments of the hub's stack), beside the target spoke's attachment, or in the stack an
   * attachment id token references (so the hub's stack never depends on a later stack).
   */
  private addStaticRoute(route: PlannedSegmentRoute): void {
    const key = `${route.segment}|${route.cidr ? route.cidr.toString() : JSON.stringify(Stack.of(this).resolve(route.destination))}`;
    if (this.staticRoutes.has(key)) { return; }
    const label = route.cidr ? route.cidr.toString().replace(/\//g, '_') : `Cidr${fnv1a(key)}`;
    const id = `${segmentId(route.segment)}Route-${label}`;
    if (!route.cidr) {
      this.warn('segmentRouteCheckSkipped', `Segment '${route.segment}': a route destination is only known at deploy time, so the checks that it is a ` +
        'CIDR block and is routed once in the table were skipped. Give a literal block to have it checked.');
    }
    const targetSpoke = route.to.vpc ? this.spokesByVpc.get(route.to.vpc)! : undefined;
    const attachmentId = targetSpoke ? targetSpoke.attachment.attrId : route.to.attachmentId;
    const scope = targetSpoke ? targetSpoke.scope : this.staticRouteScope(route);
    const table = this.tables.get(route.segment) ?? this._segmentRouteTable(route.segment);
    const created = new ec2.CfnTransitGatewayRoute(scope, id, {
      transitGatewayRouteTableId: table.attrTransitGatewayRouteTableId,
      destinationCidrBlock: route.destination,
      blackhole: route.to.isBlackhole ? true : undefined,
      transitGatewayAttachmentId: attachmentId,
    });
    this.staticRoutes.set(key, created);
    const overridden = route.cidr && [...this.spokesByVpc.values(), ...this.remoteSpokes.values()]
      .filter((m) => this.plan.propagationSegments(m.segment).includes(route.segment))
      .find((m) => m.network.ipv4Blocks.concat(m.network.ipv6Blocks).some((b) => b.cidr?.toString() === route.cidr!.toString()));
    if (overridden && !(route.to.vpc === overridden.vpc)) {
      this.warn('segmentRouteOverridesPropagation', `Segment '${route.segment}': the static route to ${route.cidr} replaces the route propagated from spoke ` +
        `${overridden.network.path} in the segment's table (a static route takes precedence over a propagated one). If that is not the intent, ` +
        'route a more specific or broader block.');
    }
  }

  /**
   * Where a static route that is not to a spoke goes: the hub (a blackhole, a literal attachment
   * id), or the stack an attachment id token references, when that is another stack of the
   * hub's environment.
   */
  private staticRouteScope(route: PlannedSegmentRoute): Construct {
    const attachmentId = route.to.attachmentId;
    if (attachmentId === undefined) { return this; }
    if (!Token.isUnresolved(attachmentId)) {
      if (!/^tgw-attach-([0-9a-f]{8}|[0-9a-f]{17})$/.test(attachmentId)) {
        throw new ConnectivityError(this, `Segment '${route.segment}': SegmentRouteTarget.attachment(${describeValue(attachmentId)}) is not a transit gateway ` +
          'attachment id (tgw-attach- and 8 or 17 hex digits). Copy it from the VPC console (Transit gateway attachments).');
      }
      return this;
    }
    const hubStack = Stack.of(this);
    const stacks = referencedStacks(attachmentId, hubStack).filter((s) => s !== hubStack);
    if (stacks.length === 0) { return this; }
    if (stacks.length > 1 || stacks[0].account !== hubStack.account || stacks[0].region !== hubStack.region) {
      throw new ConnectivityError(this, `Segment '${route.segment}': the attachment id of the route to ${describeValue(route.destination)} comes from ` +
        `stack(s) ${stacks.map((s) => s.stackName).join(', ')}, not of the hub's environment (${describeEnv(hubStack)}): a transit gateway route ` +
        'lives in the gateway\'s account and region. Pass an id known there.');
    }
    return this.containerFor(stacks[0]);
  }

  /**
   * The route of each of a spoke's route tables toward its segment's prefix list (made with its
   * first user, in the hub's stack: entries and max entries are computed at synth, once every
   * spoke is known).
   */
  private addPrefixListRoutes(spoke: Spoke): void {
    if (spoke.tables.length === 0) { return; }
    const list = this.segmentPrefixList(spoke.segment);
    const routes: ec2.CfnRoute[] = [];
    const container = this.routesContainer(spoke);
    for (const table of spoke.tables) {
      const route = new ec2.CfnRoute(container, `${table.label}-PrefixList`, {
        routeTableId: valueFor(container, table.routeTableId),
        destinationPrefixListId: list.attrPrefixListId,
        transitGatewayId: this.transitGatewayId,
      });
      route.node.addDependency(spoke.attachment, spoke.association);
      routes.push(route);
    }
    spoke.routes.push(...routes);
    RouteRegistry.of(this).registerRoutes(this, routes);
  }

  private segmentPrefixList(segment: string): ec2.CfnPrefixList {
    let list = this.prefixLists.get(segment);
    if (!list) {
      list = new ec2.CfnPrefixList(this, `${segmentId(segment)}PrefixList`, {
        addressFamily: 'IPv4',
        prefixListName: prefixListName(`${this.node.path} ${segment}`),
        maxEntries: Lazy.number({ produce: () => prefixListMaxEntries(this.prefixListEntries(segment).length, this.prefixListHeadroom) }),
        entries: Lazy.any({ produce: () => this.prefixListEntries(segment).map((e) => ({ cidr: e.cidr, description: e.description })) }),
        tags: [{ key: 'Name', value: nameTag(`${this.node.path} ${segment}`) }],
      });
      this.prefixLists.set(segment, list);
    }
    return list;
  }

  /**
   * The entries of a segment's prefix list: the IPv4 blocks of every spoke its members reach
   * (a member's own block included when the segment reaches itself: its local route is more
   * specific). Deploy-time blocks of another stack than the hub's are left out (with a warning):
   * the hub's stack cannot reference a stack that depends on it.
   */
  private prefixListEntries(segment: string): Array<{ cidr: string; description: string }> {
    const reached = new Set(this.plan.reachedSegments(segment));
    const entries = new Map<string, { cidr: string; description: string }>();
    for (const member of [...this.spokesByVpc.values(), ...this.remoteSpokes.values()]) {
      if (!reached.has(member.segment)) { continue; }
      for (const block of member.network.ipv4Blocks) {
        if (block.cidr) {
          entries.set(block.cidr.toString(), { cidr: block.cidr.toString(), description: nameTag(member.network.path).slice(0, 255) });
          continue;
        }
        const foreign = referencedStacks(block.text, Stack.of(this)).filter((s) => s !== Stack.of(this));
        if (foreign.length > 0 || member.remote) {
          this.warn('prefixListBlockSkipped', `The prefix list of segment '${segment}' leaves out a block of spoke ${member.network.path}: it is only known ` +
            `at deploy time${foreign.length > 0 ? `, in stack ${foreign.map((s) => s.stackName).join(', ')}` : ''}, which the hub's stack cannot reference. ` +
            'Give the VPC a literal CIDR block.');
          continue;
        }
        entries.set(block.text, { cidr: block.text, description: nameTag(member.network.path).slice(0, 255) });
      }
    }
    return [...entries.values()];
  }

  /** The `0.0.0.0/0` route toward the gateway in a spoke's tables, when its segment asks for it (`defaultRouteInVpcs`). */
  private addVpcDefaultRoutes(spoke: Spoke): void {
    const segment = this.plan.segment(spoke.segment);
    if (!segment?.defaultRouteInVpcs || spoke.tables.length === 0) { return; }
    if (segment.defaultRoute?.vpc === spoke.vpc) { return; } // the egress VPC itself keeps its own way out
    const created = addRoutes(this.routesContainer(spoke), spoke.tables, [{ text: '0.0.0.0/0', version: IpVersion.IPV4, label: 'Default' }],
      { transitGatewayId: this.transitGatewayId });
    const routes = created.map((c) => c.route);
    for (const route of routes) { route.node.addDependency(spoke.attachment, spoke.association); }
    spoke.routes.push(...routes);
    RouteRegistry.of(this).registerRoutes(this, routes);
  }

  /**
   * The transit gateway quotas (lib/routing/quotas.ts): route tables and attachments per gateway,
   * routes across its route tables (propagated and static), peering attachments, prefix-list
   * entries, and the routes of the spokes' tables counted as AWS counts prefix lists.
   */
  private checkGatewayQuotas(members: Member[]): string[] {
    const quotas = quotasOf(this);
    const errors: string[] = [];
    const report = (check: QuotaCheck | undefined, id: string) => {
      if (check?.level === 'error') { errors.push(check.message); }
      if (check?.level === 'warning') { this.warn(id, check.message); }
    };
    const subject = `Transit gateway hub ${this.node.path}`;
    report(checkQuota('routeTablesPerTransitGateway', subject, this.tables.size, quotas.routeTablesPerTransitGateway,
      'Merge segments that reach the same segments, or split the network over two hubs.'), 'transitGatewayRouteTableQuota');
    report(checkQuota('attachmentsPerTransitGateway', subject, members.length + this.peeringAttachments.length, quotas.attachmentsPerTransitGateway,
      'Split the spokes over two hubs (peered with a TransitGatewayPeering).'), 'transitGatewayAttachmentQuota');
    report(checkQuota('peeringAttachmentsPerTransitGateway', subject, this.peeringAttachments.length, quotas.peeringAttachmentsPerTransitGateway,
      'Peer fewer hubs with this one.'), 'transitGatewayPeeringQuota');
    let routes = this.staticRoutes.size;
    for (const member of members) {
      const blocks = member.network.ipv4Blocks.length + (member.ipv6 ? member.network.ipv6Blocks.length : 0);
      routes += blocks * this.plan.propagationSegments(member.segment).filter((s) => this.tables.has(s)).length;
    }
    report(checkQuota('routesPerTransitGateway', subject, routes, quotas.routesPerTransitGateway,
      'Propagate into fewer tables (fewer segments reaching each other), or give spokes fewer, larger blocks.'), 'transitGatewayRouteQuota');
    if (this.prefixLists.size === 0) { return errors; }
    const ipv4RoutesByTable = this.ipv4RoutesByTable();
    for (const [segment, list] of this.prefixLists) {
      const maxEntries = Stack.of(this).resolve(list.maxEntries) as number;
      report(checkQuota('entriesPerPrefixList', `Prefix list of segment '${segment}' of ${this.node.path}`, maxEntries, quotas.entriesPerPrefixList,
        'Give spokes fewer, larger blocks, lower prefixListHeadroom, or route with CIDR blocks.'), 'prefixListEntriesQuota');
      // AWS counts a route to a prefix list as its max entries against the routes of a VPC route table.
      for (const spoke of this.spokesByVpc.values()) {
        if (spoke.segment !== segment) { continue; }
        for (const table of spoke.tables) {
          const count = ipv4RoutesByTable.get(table.routeTableId) ?? maxEntries;
          report(checkQuota('routesPerRouteTable', `Route table ${table.label} of spoke ${spoke.network.path} (IPv4, the prefix list counted as its ` +
            `${maxEntries} max entries)`, count, quotas.routesPerRouteTable,
          'Lower prefixListHeadroom, give spokes fewer blocks, or raise the quota.'), 'routeQuota');
        }
      }
    }
    return errors;
  }

  /**
   * The IPv4 routes of every route table of the app (hand-written ones included), a route to one
   * of the hub's prefix lists counted as the list's max entries, as AWS counts it; keyed by the
   * route table id as the hub knows it.
   */
  private ipv4RoutesByTable(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const construct of this.node.root.node.findAll()) {
      if (!ec2.CfnRoute.isCfnRoute(construct) || typeof construct.routeTableId !== 'string' || construct.destinationIpv6CidrBlock !== undefined) { continue; }
      let size = 1;
      if (construct.destinationPrefixListId !== undefined) {
        const own = [...this.prefixLists.values()].find((l) => l.attrPrefixListId === canonicalValue(construct, construct.destinationPrefixListId!));
        size = own ? Stack.of(this).resolve(own.maxEntries) as number : 1;
      }
      const key = canonicalValue(construct, construct.routeTableId);
      counts.set(key, (counts.get(key) ?? 0) + size);
    }
    return counts;
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

/** Whether a member of the hub was attached by the hub. */
function isSpoke(member: Member): member is Spoke {
  return !member.remote;
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
  // Ids of the hub's own children, some made after spokes (the isolated table, prefix lists, static routes).
  if (['Resource', 'SharedRouteTable', 'IsolatedRouteTable', 'ResourceShare'].includes(name) || /PrefixList$|Route-/.test(name)) {
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
