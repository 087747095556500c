import { Annotations, Lazy, PhysicalName, Stack, Tags, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { Cidr } from '../cidr';
import { CostEstimate, CostLine, CostOptions, resolvePricing, splitTraffic } from '../cost/estimate';
import { ConnectivityError, CostInputError } from '../errors';
import {
  acknowledgeOnProvider, assumeRoleStatement, HUB_TAG_KEY, hubTagOf, nagResourceName, PEERING_ACCEPTER_TYPE, PolicyStatementJson, SEGMENT_TAG_KEY, TRANSIT_LOOKUP_TYPE,
  TRANSIT_PROVIDER_ROLE_PATH, transitResource, whenSynthesized,
} from './private/transit-custom-resources';
import { segmentId } from './segments';
import { TransitGatewayHub } from './transit-gateway-hub';
import { describeValue, nameTag } from '../private/identifiers';
import { describeVpcFor } from '../routing/subnets';
import { skipWhenScanningForCidrBlocks } from '../routing/vpc-network';

/**
 * Properties of a {@link TransitGatewayPeering}.
 */
export interface TransitGatewayPeeringProps {
  /**
   * The two hubs to peer, in two regions: the first requests the peering (its attachment is
   * created in this construct's stack, which must be in the first hub's account and region),
   * the second accepts it.
   */
  readonly hubs: TransitGatewayHub[];

  /**
   * The segments that reach across the peering: a spoke of one of them reaches, in the other
   * hub, the spokes its segment reaches there (the spokes of the same segment, unless it is
   * isolated, and of the segments it reaches), as far as they are in these segments too. Each
   * must be a segment of both hubs.
   *
   * @default - every segment that both hubs declare
   */
  readonly segments?: string[];
}

/**
 * A peering between the transit gateways of two hubs in different regions (and, through a
 * role, different accounts), with static routes both ways: peering attachments do not propagate.
 *
 * In this construct's stack (the first hub's account and region): a lookup of the second hub's
 * gateway and route tables by their tags (a stack of another region or account cannot reference
 * them; its stack deploys first), the peering attachment
 * (`AWS::EC2::TransitGatewayPeeringAttachment`), a custom resource that accepts it in the second
 * hub's region, associates it with a route table there and creates the second hub's static routes,
 * and, on the first hub's side, the association and static routes (`AWS::EC2::TransitGatewayRoute`).
 *
 * Each side associates the peering with the table of a segment that every segment reaching
 * across propagates into (`shared` in the issue's network), so traffic from the other region
 * finds every spoke it may reach; what it may reach is decided by the static routes on the side
 * it comes from. The spokes' VPC route tables need routes toward the other region's blocks: give
 * them summary `routes.destinations` that cover both regions (for example `10.0.0.0/8`).
 *
 * @example
 * new TransitGatewayPeering(networkStack, 'UsToEu', { hubs: [hub, euHub] });
 */
export class TransitGatewayPeering extends Construct {
  /**
   * Whether `x` is a `TransitGatewayPeering` made by this library (a brand, so it works across
   * copies of the library in one app).
   */
  public static isTransitGatewayPeering(x: any): x is TransitGatewayPeering {
    return x !== null && typeof x === 'object' && TransitGatewayPeering.BRAND in x;
  }

  private static readonly BRAND = Symbol.for('cdk-vpc-connect.TransitGatewayPeering');

  /** The peering attachment, on the requester side (`node.defaultChild`). */
  public readonly attachment: ec2.CfnTransitGatewayPeeringAttachment;

  /** The segments that reach across the peering. */
  public readonly segments: string[];

  /** The association of the peering attachment with the first hub's route table. */
  public readonly association: ec2.CfnTransitGatewayRouteTableAssociation;

  /** The static routes in the first hub's route tables toward the second hub's spokes, once synthesized. */
  public readonly routes: ec2.CfnTransitGatewayRoute[] = [];

  /**
   * The role in the second hub's account that the accepter acts through; `undefined` when both
   * hubs are in one account.
   */
  public readonly peerRole?: iam.IRole;

  private readonly requester: TransitGatewayHub;
  private readonly accepter: TransitGatewayHub;
  private readonly acceptance: IConstruct;
  private routesAdded = false;
  private readonly warned = new Set<string>();

  constructor(scope: Construct, id: string, props: TransitGatewayPeeringProps) {
    super(scope, id);
    Object.defineProperty(this, TransitGatewayPeering.BRAND, { value: true });
    skipWhenScanningForCidrBlocks(this);
    if (props.hubs.length !== 2 || !props.hubs.every((h) => TransitGatewayHub.isTransitGatewayHub(h))) {
      throw new ConnectivityError(this, `hubs lists ${props.hubs.length} hub(s): a peering connects exactly two TransitGatewayHubs made in this app ` +
        '(hubs: [requester, accepter]).');
    }
    const [a, b] = props.hubs;
    this.requester = a;
    this.accepter = b;
    const stack = Stack.of(this);
    const stackA = Stack.of(a);
    const stackB = Stack.of(b);
    for (const s of [stack, stackA, stackB]) {
      if (Token.isUnresolved(s.account) || Token.isUnresolved(s.region)) {
        throw new ConnectivityError(this, `stack ${s.stackName} has no literal ${Token.isUnresolved(s.account) ? 'account' : 'region'}: a peering between ` +
          'transit gateways names the peer\'s account and region. Give the stacks of both hubs (and of the peering) env: { account, region }.');
      }
    }
    if (stackA.region === stackB.region) {
      throw new ConnectivityError(this, `hubs ${a.node.path} and ${b.node.path} are both in ${stackA.region}: TransitGatewayPeering connects hubs of two regions. ` +
        'Attach the VPCs of one region to one hub (segments separate them).');
    }
    if (stack.account !== stackA.account || stack.region !== stackA.region) {
      throw new ConnectivityError(this, `the peering is in stack ${stack.stackName} (${stack.account}, ${stack.region}), but its requester hub ${a.node.path} ` +
        `is in ${stackA.account}, ${stackA.region}: create the peering in a stack of the first hub's account and region (its stack, for example).`);
    }
    const common = a.segmentNames.filter((s) => b.segmentNames.includes(s));
    this.segments = props.segments ?? common;
    for (const segment of this.segments) {
      const missing = [a, b].filter((h) => !h.segmentNames.includes(segment));
      if (missing.length > 0) {
        throw new ConnectivityError(this, `segments lists ${describeValue(segment)}, which is not a segment of ${missing.map((h) => `${h.node.path} ` +
          `(segments: ${h.segmentNames.join(', ')})`).join(' nor ')}: a segment reaches across a peering when both hubs declare it.`);
      }
    }
    if (this.segments.length === 0) {
      throw new ConnectivityError(this, `no segment reaches across the peering (hub ${a.node.path}: ${a.segmentNames.join(', ')}; hub ${b.node.path}: ` +
        `${b.segmentNames.join(', ')}): name segments that both hubs declare.`);
    }
    const associationA = this.associationSegment(a);
    const associationB = this.associationSegment(b);
    a._registerPeeringAttachment(this);
    b._registerPeeringAttachment(this);

    // The peer's ids, read at deploy time through a lookup (its stack deploys first).
    const crossAccount = stackA.account !== stackB.account;
    const peerTag = hubTagOf(b);
    const peerSegments = [...new Set([associationB, ...this.segments])];
    this.tagHub(b, peerTag, peerSegments);
    stack.addStackDependency(stackB, `TransitGatewayPeering ${this.node.path}: the peer hub's gateway and route tables must exist first`);
    let target: { Region: string; RoleArn?: string } = { Region: stackB.region };
    let statements: PolicyStatementJson[];
    if (crossAccount) {
      const role = this.peerRoleFor(b, stackA.account, peerSegments);
      this.peerRole = role;
      target = { ...target, RoleArn: role.roleArn };
      statements = [assumeRoleStatement(role.roleArn)];
    } else {
      // The same account: the function acts in the peer's region itself, on the route tables
      // tagged with the peer hub's tag (their ids come from the lookup, which the function's role
      // cannot reference).
      const tables = stackB.formatArn({ service: 'ec2', resource: 'transit-gateway-route-table', resourceName: '*' });
      statements = peerStatements(stackB, [tables], peerTag);
      statements.push({ Effect: 'Allow', Action: 'ram:GetResourceShareAssociations', Resource: '*' });
      acknowledgeOnProvider(this, `AwsSolutions-IAM5[Resource::${nagResourceName(stack, tables)}]`, 'The peer hub\'s route table ids are only known ' +
        `in its region, at deploy time: the function may act on the route tables of ${stackB.region} tagged ${HUB_TAG_KEY}=${peerTag} only (a condition on the tag).`);
      acknowledgeOnProvider(this, `AwsSolutions-IAM5[Resource::${nagResourceName(stack, attachmentsArn(stackB))}]`, 'The peering attachment\'s id is ' +
        'only known once it is created; association and routes are limited to the peer hub\'s tagged route tables.');
    }
    const lookup = transitResource(this, 'PeerLookup', TRANSIT_LOOKUP_TYPE, {
      ...target,
      HubTag: peerTag,
      Segments: peerSegments,
      TransitGatewayId: b.transitGateway ? undefined : b.transitGatewayId,
    }, statements);
    const peerTable = (segment: string) => lookup.getAttString(`RouteTableId.${segment}`);

    this.attachment = new ec2.CfnTransitGatewayPeeringAttachment(this, 'Resource', {
      transitGatewayId: a.transitGatewayId,
      peerTransitGatewayId: lookup.getAttString('TransitGatewayId'),
      peerAccountId: stackB.account,
      peerRegion: stackB.region,
      tags: [{ key: 'Name', value: nameTag(`${a.node.path} ${b.node.path}`) }],
    });
    const attachmentId = this.attachment.attrTransitGatewayAttachmentId;
    this.acceptance = transitResource(this, 'Accepter', PEERING_ACCEPTER_TYPE, {
      ...target,
      TransitGatewayAttachmentId: attachmentId,
      AssociationRouteTableId: peerTable(associationB),
      StaticRoutes: Lazy.list({
        produce: () => this.crossingBlocks(a, b).map((r) => `${peerTable(r.segment)}|${r.cidr}`),
      }),
    }, statements);

    this.association = new ec2.CfnTransitGatewayRouteTableAssociation(this, 'Association', {
      transitGatewayAttachmentId: attachmentId,
      transitGatewayRouteTableId: a._segmentRouteTable(associationA).attrTransitGatewayRouteTableId,
    });
    this.association.node.addDependency(this.acceptance);

    whenSynthesized(this, () => this.addRequesterRoutes());
    this.node.addValidation({ validate: () => this.overlaps() });
  }

  /**
   * What the peering adds to the monthly bill (lib/cost, us-east-1 list prices unless
   * `options.pricing` says otherwise): its attachment on each of the two gateways per hour, and
   * inter-region data transfer for every GB of `options.traffic.gbPerMonth`, which is the traffic
   * across the peering (both directions added up). The transit gateway data processing of that
   * traffic is charged where it enters a gateway from a VPC: it is in the hubs' estimates.
   *
   * @throws CostInputError when `options` holds what does not apply to a peering (`natGatewaysAvoided`)
   */
  public estimateMonthlyCost(options: CostOptions = {}): CostEstimate {
    if (options.natGatewaysAvoided !== undefined) {
      throw new CostInputError(`natGatewaysAvoided (${options.natGatewaysAvoided}) only applies to the estimate of VpcEndpoints: ` +
        'a transit gateway peering replaces no NAT gateway. Leave it out.');
    }
    const pricing = resolvePricing(options.pricing);
    const r = pricing.rates;
    const gb = options.traffic === undefined ? 0 : splitTraffic(options.traffic).totalGb;
    const item = (name: string, quantity: number, unit: string, rateUsd: number, note: string): CostLine =>
      ({ item: name, quantity, unit, rateUsd, monthlyUsd: quantity * rateUsd, note });
    const lines = [
      item('Transit gateway peering attachments', 2 * r.hoursPerMonth, 'attachment-hour', r.transitGatewayAttachmentPerHour,
        `the peering attachment on each of the 2 transit gateways × ${r.hoursPerMonth} h`),
      item('Data across regions (transit gateway peering)', gb, 'GB', r.interRegionPerGb,
        'every GB across the peering, charged once, out of the source region'),
    ];
    return {
      title: `Transit gateway peering ${this.requester.node.path} – ${this.accepter.node.path}`,
      pricing: pricing.name,
      monthlyUsd: lines.reduce((sum, l) => sum + l.monthlyUsd, 0),
      lines,
    };
  }

  /**
   * The static routes in the requester's segment tables toward the accepter's spokes they reach
   * across (made once every spoke is known).
   */
  private addRequesterRoutes(): void {
    if (this.routesAdded) { return; }
    this.routesAdded = true;
    const container = new Construct(this, 'Routes');
    for (const route of this.crossingBlocks(this.accepter, this.requester)) {
      const id = `${segmentId(route.segment)}To${route.cidr.replace(/[^0-9a-zA-Z]/g, '')}`;
      if (container.node.tryFindChild(id)) { continue; }
      const created = new ec2.CfnTransitGatewayRoute(container, id, {
        transitGatewayRouteTableId: this.requester._segmentRouteTable(route.segment).attrTransitGatewayRouteTableId,
        destinationCidrBlock: route.cidr,
        transitGatewayAttachmentId: this.attachment.attrTransitGatewayAttachmentId,
      });
      created.node.addDependency(this.acceptance);
      this.routes.push(created);
    }
  }

  /**
   * The routes in `from`'s segment tables toward the spokes of `to` that each crossing segment
   * reaches: for each crossing segment, the literal IPv4 blocks of `to`'s spokes it reaches there
   * whose own segment crosses too.
   */
  private crossingBlocks(to: TransitGatewayHub, from: TransitGatewayHub): Array<{ segment: string; cidr: string; vpc: string }> {
    const routes: Array<{ segment: string; cidr: string; vpc: string }> = [];
    for (const segment of this.segments) {
      for (const vpc of to._reachedSpokeVpcs(segment)) {
        if (!this.segments.includes(to._segmentOf(vpc) ?? '')) { continue; }
        const network = describeVpcFor(this, vpc, 'the other hub routes toward');
        for (const block of network.ipv4Blocks) {
          if (!block.cidr) {
            this.warnOnce(`No route from segment ${segment} of ${from.node.path} toward a block of ${network.path}: the block is only known at deploy ` +
              'time. Give the VPC a literal CIDR block.');
            continue;
          }
          routes.push({ segment, cidr: block.cidr.toString(), vpc: network.path });
        }
      }
    }
    return routes;
  }

  /** Blocks that reach each other across the peering must not overlap. */
  private overlaps(): string[] {
    const left = this.crossingBlocks(this.requester, this.accepter);
    const right = this.crossingBlocks(this.accepter, this.requester);
    const errors = new Set<string>();
    for (const l of left) {
      for (const r of right) {
        if (Cidr.parse(l.cidr).overlaps(Cidr.parse(r.cidr))) {
          errors.add(`Spokes ${l.vpc} (${l.cidr}) and ${r.vpc} (${r.cidr}) overlap, and they are routed across the peering: the static routes would be ` +
            'ambiguous. Re-address one VPC, or leave its segment out of segments.');
        }
      }
    }
    return [...errors];
  }

  /**
   * The segment of `hub` whose table the peering is associated with: one that every crossing
   * segment propagates into, so that traffic from across finds every spoke it may reach.
   */
  private associationSegment(hub: TransitGatewayHub): string {
    const candidates = hub.segmentNames.filter((s) => this.segments.every((t) => hub._propagationSegments(t).includes(s)));
    if (candidates.length === 0) {
      throw new ConnectivityError(this, `no segment of hub ${hub.node.path} holds the routes of every segment that reaches across the peering ` +
        `(${this.segments.join(', ')}): the peering is associated with one route table per side. Declare a segment that each of them reaches ` +
        '(for example shared, with reaches: [...] on the others), or peer fewer segments.');
    }
    return candidates.includes(this.segments[0]) ? this.segments[0] : candidates[0];
  }

  private tagHub(hub: TransitGatewayHub, tag: string, segments: string[]): void {
    if (hub.transitGateway) {
      Tags.of(hub.transitGateway).add(HUB_TAG_KEY, tag);
    } else if (Token.isUnresolved(hub.transitGatewayId)) {
      throw new ConnectivityError(this, `hub ${hub.node.path} uses an existing transit gateway whose id is only known at deploy time ` +
        `(${describeValue(hub.transitGatewayId, this)}): the peering cannot read it from another region. Give the hub the literal tgw-... id.`);
    }
    for (const segment of segments) {
      const table = hub._segmentRouteTable(segment);
      Tags.of(table).add(HUB_TAG_KEY, tag);
      Tags.of(table).add(SEGMENT_TAG_KEY, segment);
    }
  }

  /** A role in the accepter hub's stack that the requester account's functions may assume, once per hub and account. */
  private peerRoleFor(hub: TransitGatewayHub, account: string, segments: string[]): iam.Role {
    const id = `PeeringRole${account}`;
    const hubStack = Stack.of(hub);
    let role = hub.node.tryFindChild(id) as iam.Role | undefined;
    if (!role) {
      role = new iam.Role(hub, id, {
        roleName: PhysicalName.GENERATE_IF_NEEDED,
        description: `cdk-vpc-connect: hubs of account ${account} peer with ${hub.node.path}`,
        assumedBy: new iam.AccountPrincipal(account).withConditions({
          ArnLike: { 'aws:PrincipalArn': `arn:${hubStack.partition}:iam::${account}:role${TRANSIT_PROVIDER_ROLE_PATH}*` },
        }),
      });
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'EC2\'s Describe/Get/Search calls of transit gateways and RAM\'s GetResourceShareAssociations support no resource-level permissions.',
      });
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagResourceName(hubStack, attachmentsArn(hubStack))}]`,
        reason: 'The peering attachment\'s id is only known once the requester deployed it; association and routes are limited to the hub\'s route tables.',
      });
    }
    const tables = segments.map((s) => peerTableArn(hubStack, hub._segmentRouteTable(s).attrTransitGatewayRouteTableId));
    for (const statement of [...peerStatements(hubStack, tables), { Effect: 'Allow' as const, Action: 'ram:GetResourceShareAssociations', Resource: '*' }]) {
      role.addToPrincipalPolicy(iam.PolicyStatement.fromJson(statement));
    }
    return role;
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) { return; }
    this.warned.add(message);
    Annotations.of(this).addWarningV2('cdk-vpc-connect:peeringDestinationSkipped', message);
  }
}

/**
 * What the accepter's calls need in the peer's account and region: accepting the peering,
 * associating it with and routing it in `tables` (route table ARNs), and reading.
 */
function peerStatements(stack: Stack, tables: string[], hubTag?: string): PolicyStatementJson[] {
  const attachments = attachmentsArn(stack);
  const statements: PolicyStatementJson[] = [{
    Effect: 'Allow',
    Action: ['ec2:DescribeTransitGatewayAttachments', 'ec2:DescribeTransitGateways', 'ec2:DescribeTransitGatewayRouteTables', 'ec2:SearchTransitGatewayRoutes'],
    Resource: '*',
  }];
  if (tables.length > 0) {
    statements.push(
      { Effect: 'Allow', Action: 'ec2:AcceptTransitGatewayPeeringAttachment', Resource: attachments },
      {
        Effect: 'Allow',
        Action: ['ec2:AssociateTransitGatewayRouteTable', 'ec2:DisassociateTransitGatewayRouteTable', 'ec2:CreateTransitGatewayRoute', 'ec2:DeleteTransitGatewayRoute'],
        Resource: tables,
        ...(hubTag === undefined ? {} : { Condition: { StringEquals: { [`aws:ResourceTag/${HUB_TAG_KEY}`]: hubTag } } }),
      },
      {
        Effect: 'Allow',
        Action: ['ec2:AssociateTransitGatewayRouteTable', 'ec2:DisassociateTransitGatewayRouteTable', 'ec2:CreateTransitGatewayRoute', 'ec2:DeleteTransitGatewayRoute'],
        Resource: attachments,
      },
    );
  }
  return statements;
}

/** Every transit gateway attachment of the stack's region, whichever account made it. */
function attachmentsArn(stack: Stack): string {
  return stack.formatArn({ service: 'ec2', account: '*', resource: 'transit-gateway-attachment', resourceName: '*' });
}

function peerTableArn(stack: Stack, tableId: string): string {
  return stack.formatArn({ service: 'ec2', resource: 'transit-gateway-route-table', resourceName: tableId });
}
