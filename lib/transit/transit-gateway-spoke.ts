import { Annotations, PhysicalName, Stack, Tags, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { IpVersion } from '../cidr';
import { ConnectivityError, ConnectivityErrors } from '../errors';
import {
  assumeRoleStatement, HUB_TAG_KEY, hubTagOf, INVITATION_ACCEPTER_TYPE, nagResourceName, SEGMENT_TAG_KEY, SPOKE_ASSOCIATION_TYPE, TRANSIT_LOOKUP_TYPE,
  TRANSIT_PROVIDER_ROLE_PATH, transitResource, whenSynthesized,
} from './private/transit-custom-resources';
import { TransitGatewayHub } from './transit-gateway-hub';
import { describeValue, nameTag } from '../private/identifiers';
import { describeSubnetSelection, rejectRouteOption, RouteOptions, selectRouteTablesFor } from '../routing/route-options';
import { RouteRegistry } from '../routing/route-registry';
import { RouteTableRef } from '../routing/route-tables';
import { addRoutes, RouteDestination } from '../routing/routes';
import { describeVpcFor } from '../routing/subnets';
import { skipWhenScanningForCidrBlocks } from '../routing/vpc-network';

/**
 * Properties of a {@link TransitGatewaySpoke}.
 */
export interface TransitGatewaySpokeProps {
  /** The hub whose transit gateway the VPC attaches to, in the same region as the VPC. */
  readonly hub: TransitGatewayHub;

  /** The VPC to attach: a VPC of this stack's account and region. */
  readonly vpc: ec2.IVpc;

  /**
   * The segment (routing domain) the spoke joins: a name of the hub's segments (`shared` or
   * `isolated` for a hub without `segments`).
   */
  readonly segment: string;

  /**
   * The subnets the attachment gets a network interface in: subnets of the VPC, at most one
   * per Availability Zone.
   *
   * @default - one subnet per AZ of the VPC's default selection (`vpc.selectSubnets({ onePerAz: true })`)
   */
  readonly attachmentSubnets?: ec2.SubnetSelection;

  /**
   * The routes in the VPC's route tables toward what its segment reaches: which tables
   * (`subnets`), toward what (`destinations`: summary blocks instead of one route per block),
   * whether at all (`enabled`). Routes are created in this construct's stack (`scope` is not
   * accepted).
   *
   * @default - in the route table of every subnet of the VPC, one route per IPv4 block of each
   * spoke the segment reaches
   */
  readonly routes?: RouteOptions;
}

/**
 * A VPC attached to a {@link TransitGatewayHub}, from the VPC's own stack: in the hub's account it
 * is `hub.addSpoke(vpc, { segment })`; in another account (the hub shares its gateway with it,
 * `shareWith`) it creates, with one `cdk deploy --all`:
 *
 * - in the hub's stack, once per hub and spoke account, a role that functions under the path
 *   `/cdk-vpc-connect/` of that account may assume, allowed to accept attachments and to
 *   associate and propagate them with the hub's route tables (nothing else);
 * - in the spoke's stack, which deploys after the hub's: a lookup of the gateway and route table
 *   ids through that role (a stack of another account cannot reference them), the acceptance of
 *   the RAM share's invitation (outside an organization), the VPC attachment, its association
 *   with the segment's table and its propagations (a custom resource acting through the role),
 *   and routes in the VPC's route tables toward what the segment reaches.
 *
 * Moving a spoke to another segment is one deploy: the association moves and the propagations
 * follow. The gateway, route tables and share are tagged `cdk-vpc-connect:hub` (and the tables
 * `cdk-vpc-connect:segment`) for the lookup.
 *
 * @example
 * new TransitGatewaySpoke(devStack, 'Dev', { hub, vpc: devVpc, segment: 'dev' });
 */
export class TransitGatewaySpoke extends Construct {
  /**
   * Whether `x` is a `TransitGatewaySpoke` made by this library (a brand, so it works across
   * copies of the library in one app).
   */
  public static isTransitGatewaySpoke(x: any): x is TransitGatewaySpoke {
    return x !== null && typeof x === 'object' && TransitGatewaySpoke.BRAND in x;
  }

  private static readonly BRAND = Symbol.for('cdk-vpc-connect.TransitGatewaySpoke');

  /** The VPC's attachment (`AWS::EC2::TransitGatewayAttachment`). */
  public readonly attachment: ec2.CfnTransitGatewayAttachment;

  /** The segment the spoke joined. */
  public readonly segment: string;

  /** Whether the VPC is in another account than the hub (attached through the share and the hub's role). */
  public readonly crossAccount: boolean;

  /**
   * The role in the hub's account that this spoke's custom resources act through; `undefined`
   * for a spoke of the hub's account.
   */
  public readonly hubRole?: iam.IRole;

  /** The routes created in the VPC's route tables (a spoke of another account; the hub's `spokeRoutes(vpc)` otherwise), once synthesized. */
  public readonly routes: ec2.CfnRoute[] = [];

  private readonly hub: TransitGatewayHub;
  private readonly vpc: ec2.IVpc;
  private readonly tables: RouteTableRef[] = [];
  private readonly summaries?: string[];
  private readonly dependencies: IConstruct[] = [];
  private routesAdded = false;

  constructor(scope: Construct, id: string, props: TransitGatewaySpokeProps) {
    super(scope, id);
    Object.defineProperty(this, TransitGatewaySpoke.BRAND, { value: true });
    skipWhenScanningForCidrBlocks(this);
    if (!TransitGatewayHub.isTransitGatewayHub(props.hub)) {
      throw new ConnectivityError(this, 'hub must be a TransitGatewayHub made in this app (an imported hub has no segments to join).');
    }
    this.hub = props.hub;
    this.vpc = props.vpc;
    this.segment = props.segment;
    if (!this.hub.segmentNames.includes(props.segment)) {
      throw new ConnectivityError(this, `segment ${describeValue(props.segment)} is not a segment of hub ${this.hub.node.path} ` +
        `(segments: ${this.hub.segmentNames.join(', ')}): use one of those, or declare it in the hub's segments.`);
    }

    const stack = Stack.of(this);
    const hubStack = Stack.of(this.hub);
    const vpcStack = Stack.of(props.vpc);
    if (vpcStack.account !== stack.account || vpcStack.region !== stack.region) {
      throw new ConnectivityError(this, `VPC ${props.vpc.node.path} is in stack ${vpcStack.stackName} (${describeEnv(vpcStack)}), but this spoke is in stack ` +
        `${stack.stackName} (${describeEnv(stack)}): create the TransitGatewaySpoke in a stack of the VPC's account and region.`);
    }
    const sameAccount = stack.account === hubStack.account
      || (Token.isUnresolved(stack.account) && Token.isUnresolved(hubStack.account));
    this.crossAccount = !sameAccount;
    if (sameAccount) {
      this.attachment = this.hub.addSpoke(props.vpc, { segment: props.segment, attachmentSubnets: props.attachmentSubnets, routes: props.routes });
      return;
    }

    // A spoke of another account.
    if (Token.isUnresolved(stack.account) || Token.isUnresolved(hubStack.account)) {
      throw new ConnectivityError(this, `stack ${stack.stackName} (${describeEnv(stack)}) and the hub's stack ${hubStack.stackName} (${describeEnv(hubStack)}) ` +
        'must both have a literal account when the spoke is in another account than the hub: give both stacks env: { account, region }.');
    }
    if (Token.isUnresolved(stack.region) || Token.isUnresolved(hubStack.region) || stack.region !== hubStack.region) {
      throw new ConnectivityError(this, `stack ${stack.stackName} is in ${describeEnv(stack)}, but hub ${this.hub.node.path} is in ${describeEnv(hubStack)}: ` +
        'a transit gateway is regional, so a spoke attaches to a hub of its own region (a literal region on both stacks). ' +
        'Create a hub in this region and connect the hubs with a TransitGatewayPeering.');
    }
    if (!this.hub._sharedWithAccount(stack.account)) {
      throw new ConnectivityError(this, `hub ${this.hub.node.path} does not share its transit gateway with account ${stack.account}: ` +
        `add it to the hub's shareWith (shareWith: { accounts: ['${stack.account}'] }, or the account's organization or OU).`);
    }
    rejectRouteOption(this, props.routes, 'routes', 'scope', 'the routes of a spoke of another account are created in its own stack.');
    let tables: RouteTableRef[];
    try {
      tables = selectRouteTablesFor(this, props.vpc, props.vpc.node.path, props.routes, 'routes').tables;
    } catch (e) {
      if (ConnectivityErrors.isConnectivityError(e)) { throw e; }
      throw new ConnectivityError(this, `routes.subnets: cannot select subnets of ${props.vpc.node.path}: ${(e as Error).message}`);
    }
    this.tables.push(...tables);
    this.summaries = props.routes?.destinations;
    const subnets = this.attachmentSubnets(props.attachmentSubnets);
    // The hub checks the new spoke (region, overlaps, limits) and routes its own spokes toward it.
    this.hub._addRemoteSpoke({ vpc: props.vpc, segment: props.segment, scope: this });

    const hubTag = hubTagOf(this.hub);
    const segments = [...new Set([props.segment, ...this.hub._propagationSegments(props.segment)])];
    this.tagHub(hubTag, segments);
    const role = this.roleFor(stack.account, segments);
    this.hubRole = role;
    stack.addStackDependency(hubStack, `TransitGatewaySpoke ${this.node.path}: the hub's role and route tables must exist first`);

    const target = { RoleArn: role.roleArn, Region: stack.region };
    const lookup = transitResource(this, 'Lookup', TRANSIT_LOOKUP_TYPE, {
      ...target,
      HubTag: hubTag,
      Segments: segments,
      TransitGatewayId: this.hub.transitGateway ? undefined : this.hub.transitGatewayId,
    }, [assumeRoleStatement(role.roleArn)]);
    const invitation = transitResource(this, 'ShareInvitation', INVITATION_ACCEPTER_TYPE, {
      Region: stack.region,
      ResourceShareArns: lookup.getAttString('ResourceShareArns'),
    }, [{ Effect: 'Allow', Action: ['ram:GetResourceShareInvitations', 'ram:AcceptResourceShareInvitation', 'ram:GetResourceShares'], Resource: '*' }]);
    const transitGatewayId = lookup.getAttString('TransitGatewayId');
    this.attachment = new ec2.CfnTransitGatewayAttachment(this, 'Attachment', {
      transitGatewayId,
      vpcId: props.vpc.vpcId,
      subnetIds: subnets.map((s) => s.subnetId),
      tags: [{ key: 'Name', value: nameTag(`${this.hub.node.path} ${props.vpc.node.path}`) }],
    });
    this.attachment.node.addDependency(invitation);
    const association = transitResource(this, 'Association', SPOKE_ASSOCIATION_TYPE, {
      ...target,
      TransitGatewayId: transitGatewayId,
      TransitGatewayAttachmentId: this.attachment.attrId,
      AssociationRouteTableId: lookup.getAttString(`RouteTableId.${props.segment}`),
      PropagationRouteTableIds: this.hub._propagationSegments(props.segment).map((s) => lookup.getAttString(`RouteTableId.${s}`)),
    }, [assumeRoleStatement(role.roleArn)]);
    this.dependencies.push(this.attachment, association);

    // The routes toward the spokes the segment reaches are made once every spoke is known.
    whenSynthesized(this, () => this.addVpcRoutes());
  }

  /** Routes in the VPC's tables toward the blocks of every spoke its segment reaches (or the summaries). */
  private addVpcRoutes(): void {
    if (this.routesAdded || this.tables.length === 0) { return; }
    this.routesAdded = true;
    const destinations: RouteDestination[] = [];
    if (this.summaries !== undefined) {
      destinations.push(...this.summaries.map((text) => ({ text, version: text.includes(':') ? IpVersion.IPV6 : IpVersion.IPV4, label: text })));
    } else {
      for (const vpc of this.hub._reachedSpokeVpcs(this.segment)) {
        if (vpc === this.vpc) { continue; }
        const network = describeVpcFor(this, vpc, 'the spoke routes toward');
        for (const block of network.ipv4Blocks) {
          if (!block.cidr) {
            Annotations.of(this).addWarningV2('cdk-vpc-connect:crossAccountDestinationSkipped', `No route from spoke ${this.vpc.node.path} to a block of ` +
              `${network.path}: the block is only known at deploy time, in another account's stack. Give that VPC a literal CIDR block, or route a ` +
              'summary with routes.destinations.');
            continue;
          }
          destinations.push({ text: block.cidr.toString(), version: IpVersion.IPV4, label: block.cidr.toString() });
        }
      }
    }
    if (destinations.length === 0) { return; }
    const container = new Construct(this, 'Routes');
    const created = addRoutes(container, this.tables, destinations, { transitGatewayId: this.attachment.transitGatewayId });
    for (const { route } of created) {
      // A route toward a transit gateway fails unless the VPC's attachment exists.
      route.node.addDependency(...this.dependencies);
      this.routes.push(route);
    }
    RouteRegistry.of(this).registerRoutes(this, this.routes);
  }

  private attachmentSubnets(selection: ec2.SubnetSelection | undefined): ec2.ISubnet[] {
    const what = selection === undefined ? 'one subnet per AZ of the default selection' : describeSubnetSelection(selection);
    let subnets: ec2.ISubnet[];
    try {
      subnets = this.vpc.selectSubnets(selection ?? { onePerAz: true }).subnets;
    } catch (e) {
      throw new ConnectivityError(this, `attachmentSubnets: cannot select subnets of ${this.vpc.node.path}: ${(e as Error).message}`);
    }
    if (subnets.length === 0) {
      throw new ConnectivityError(this, `attachmentSubnets ${what} matches no subnet of ${this.vpc.node.path}: select subnets that exist.`);
    }
    const azs = subnets.map((s) => s.availabilityZone).filter((az) => !Token.isUnresolved(az));
    const twice = azs.filter((az, i) => azs.indexOf(az) !== i);
    if (twice.length > 0) {
      throw new ConnectivityError(this, `attachmentSubnets ${what} selects several subnets of ${this.vpc.node.path} in ${[...new Set(twice)].join(', ')}: ` +
        'AWS allows one attachment subnet per Availability Zone. Add onePerAz: true or select one subnet group.');
    }
    return subnets;
  }

  /** Tag the gateway and the tables the lookup reads (the hub's templates gain these tags). */
  private tagHub(hubTag: string, segments: string[]): void {
    if (this.hub.transitGateway) {
      Tags.of(this.hub.transitGateway).add(HUB_TAG_KEY, hubTag);
    } else if (Token.isUnresolved(this.hub.transitGatewayId)) {
      throw new ConnectivityError(this, `hub ${this.hub.node.path} uses an existing transit gateway whose id is only known at deploy time ` +
        `(${describeValue(this.hub.transitGatewayId, this)}): a spoke of another account cannot read it. Give the hub the literal tgw-... id.`);
    }
    for (const segment of segments) {
      const table = this.hub._segmentRouteTable(segment);
      Tags.of(table).add(HUB_TAG_KEY, hubTag);
      Tags.of(table).add(SEGMENT_TAG_KEY, segment);
    }
  }

  /**
   * The hub's role for the spoke account, made once per hub and account in the hub's stack; it
   * gains the right to associate with and propagate to `segments`' tables.
   */
  private roleFor(account: string, segments: string[]): iam.Role {
    const id = `SpokeRole${account}`;
    let role = this.hub.node.tryFindChild(id) as iam.Role | undefined;
    const hubStack = Stack.of(this.hub);
    const attachments = hubStack.formatArn({ service: 'ec2', account: '*', resource: 'transit-gateway-attachment', resourceName: '*' });
    if (!role) {
      role = new iam.Role(this.hub, id, {
        roleName: PhysicalName.GENERATE_IF_NEEDED,
        description: `cdk-vpc-connect: spokes of account ${account} accept, associate and propagate their attachments to ${this.hub.node.path}`,
        assumedBy: new iam.AccountPrincipal(account).withConditions({
          ArnLike: { 'aws:PrincipalArn': `arn:${hubStack.partition}:iam::${account}:role${TRANSIT_PROVIDER_ROLE_PATH}*` },
        }),
      });
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['ec2:DescribeTransitGatewayAttachments', 'ec2:DescribeTransitGateways', 'ec2:DescribeTransitGatewayRouteTables',
          'ec2:GetTransitGatewayAttachmentPropagations', 'ram:GetResourceShareAssociations'],
        resources: ['*'],
      }));
      // Attachments made by spoke accounts; the route tables below limit what is done with them.
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ec2:AcceptTransitGatewayVpcAttachment'], resources: [attachments] }));
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'EC2\'s Describe/Get calls of transit gateways and RAM\'s GetResourceShareAssociations support no resource-level permissions.',
      });
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagResourceName(hubStack, attachments)}]`,
        reason: 'The spoke accounts\' attachment ids are only known once they are deployed; association and propagation are limited to the hub\'s route tables.',
      });
    }
    const tableArn = (table: ec2.CfnTransitGatewayRouteTable) => hubStack.formatArn({
      service: 'ec2', resource: 'transit-gateway-route-table', resourceName: table.attrTransitGatewayRouteTableId,
    });
    // Joining: the spoke's segment and the tables it propagates into.
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ec2:AssociateTransitGatewayRouteTable', 'ec2:EnableTransitGatewayRouteTablePropagation'],
      resources: [...segments.map((s) => tableArn(this.hub._segmentRouteTable(s))), attachments],
    }));
    // Leaving: any table of the hub, since the hub's stack deploys first. A spoke moved to another
    // segment leaves its old segment's tables in its own stack's update, after the role lost the
    // right to join them.
    const hub = this.hub;
    const leaving = role;
    whenSynthesized(this, () => {
      leaving.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['ec2:DisassociateTransitGatewayRouteTable', 'ec2:DisableTransitGatewayRouteTablePropagation'],
        resources: [...hub.routeTables.map(tableArn), attachments],
      }));
    });
    return role;
  }
}

function describeEnv(stack: Stack): string {
  const show = (value: string, what: string) => (Token.isUnresolved(value) ? `${what} not set` : value);
  return `${show(stack.account, 'account')}, ${show(stack.region, 'region')}`;
}
