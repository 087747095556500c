import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct, IConstruct } from 'constructs';
import { ConnectivityError } from '../errors';
import { RouteTableRef, selectRouteTables } from './route-tables';
import { describeForeignSubnets, subnetsOfAnotherVpc } from './subnets';
import { isLookupPending } from './vpc-network';
import { describeValue } from '../private/identifiers';

/**
 * Which route tables of a VPC get routes, toward which destinations, and where the routes are
 * created.
 *
 * The same struct, with the same names and defaults, chooses the routes of both sides of a
 * `VpcPeering`, of every pair of a `PeeringMesh`, of the spokes of a `TransitGatewayHub` and of
 * gateway endpoints. A construct that cannot honour one of the fields (a gateway endpoint's
 * routes always lead to the service's prefix list, so it takes no `destinations`) says so in a
 * synth-time error rather than ignoring it.
 */
export interface RouteOptions {
  /**
   * Whether routes are created at all.
   *
   * Turn this off only when the routes are managed elsewhere: a peering routed on one side only
   * carries traffic one way, and replies never come back.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The subnets whose route tables get the routes. Each distinct route table gets one route per
   * destination, however many subnets share it.
   *
   * @default - every subnet of the VPC (public, private and isolated)
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * The CIDR blocks (IPv4 or IPv6, single hosts such as `10.0.0.77/32` included) to route.
   * Each must lie inside what the route's target leads to (the peer VPC's blocks for a peering,
   * the other spokes' blocks for a transit gateway). Tokens are taken as IPv4.
   *
   * @default - every CIDR block behind the target (IPv6 blocks too when both sides have one)
   */
  readonly destinations?: string[];

  /**
   * Where to create the routes: a construct in a stack of the VPC's account and region (for
   * example a stack of routes beside the VPC's own stack). The routes reference their target, so
   * that stack deploys after the target's. Their ids start with the creating construct's id, so
   * one scope can hold the routes of several constructs.
   *
   * @default - under the construct that creates the routes
   */
  readonly scope?: Construct;
}

/** The route tables a {@link RouteOptions} selects, once its common checks have passed. */
export interface SelectedRouteTables {
  /** Each distinct route table once, in subnet order (empty when `enabled` is false). */
  readonly tables: RouteTableRef[];
}

/**
 * Describe a subnet selection for a message without stringifying the constructs it may hold
 * (a `SubnetSelection` with `subnets` holds subnets, which are circular).
 */
export function describeSubnetSelection(selection: ec2.SubnetSelection | undefined): string {
  if (selection === undefined) { return 'every subnet'; }
  const parts: string[] = [];
  if (selection.subnets !== undefined) {
    parts.push(`subnets ${selection.subnets.map(describeSubnet).join(', ') || '(none)'}`);
  }
  if (selection.subnetType !== undefined) { parts.push(`subnetType ${selection.subnetType}`); }
  if (selection.subnetGroupName !== undefined) { parts.push(`subnetGroupName ${selection.subnetGroupName}`); }
  if (selection.availabilityZones !== undefined) { parts.push(`availabilityZones ${selection.availabilityZones.map((az) => Token.isUnresolved(az) ? describeValue(az) : az).join(', ')}`); }
  if (selection.onePerAz) { parts.push('onePerAz'); }
  if (selection.subnetFilters !== undefined) { parts.push(`${selection.subnetFilters.length} subnet filter(s)`); }
  return parts.length > 0 ? `{ ${parts.join('; ')} }` : '{}';
}

/**
 * The route tables that `options` selects in `vpc`, with the checks every construct applies the
 * same way: the tables must be known and the selection must match at least one.
 *
 * @param owner the construct that creates the routes (errors name it)
 * @param vpc the VPC whose tables get routes
 * @param vpcPath how messages name the VPC
 * @param optionName how messages name the option (for example `requesterRoutes`)
 */
export function selectRouteTablesFor(owner: IConstruct, vpc: ec2.IVpc, vpcPath: string,
  options: RouteOptions | undefined, optionName: string): SelectedRouteTables {
  if (options?.enabled === false) {
    return { tables: [] };
  }
  checkSubnetsBelongTo(owner, vpc, vpcPath, options?.subnets, optionName);
  const selection = selectRouteTables(vpc, options?.subnets);
  if (selection.subnetsWithoutTable.length > 0) {
    throw new ConnectivityError(owner, `${optionName}: the route table of subnet(s) ${selection.subnetsWithoutTable.map(describeSubnet).join(', ')} ` +
      `of VPC ${vpcPath} is not known. Import the VPC with its route table ids (for example publicSubnetRouteTableIds in ec2.Vpc.fromVpcAttributes), ` +
      `select other subnets with ${optionName}.subnets, or set ${optionName}.enabled to false and add those routes yourself.`);
  }
  if (selection.tables.length === 0) {
    throw new ConnectivityError(owner, `${optionName}: the subnet selection ${describeSubnetSelection(options?.subnets)} matches no route table in VPC ${vpcPath} ` +
      `(${selection.subnetCount} subnet(s) matched). Select subnets that exist with ${optionName}.subnets, or set ${optionName}.enabled to false.`);
  }
  return { tables: selection.tables };
}

/** A subnet for a message: its literal id, or its construct path when the id is a token. */
function describeSubnet(subnet: ec2.ISubnet): string {
  return Token.isUnresolved(subnet.subnetId) ? subnet.node.path : subnet.subnetId;
}

/**
 * Fail when `selection.subnets` names subnets that are not subnets of `vpc`: their route tables
 * belong to another VPC (or to nothing this VPC knows), and routes put there would route the
 * wrong VPC. A subnet belongs when it is one of the VPC's public, private or isolated subnets
 * (same literal id, or the same token).
 *
 * Skipped when the VPC knows no subnets (imported without subnet ids: nothing to compare with)
 * or is an `ec2.Vpc.fromLookup` whose lookup has not run yet (its subnets are placeholders).
 */
export function checkSubnetsBelongTo(owner: IConstruct, vpc: ec2.IVpc, vpcPath: string,
  selection: ec2.SubnetSelection | undefined, optionName: string): void {
  if (selection?.subnets === undefined || selection.subnets.length === 0 || isLookupPending(vpc)) { return; }
  const foreign = subnetsOfAnotherVpc(vpc, selection.subnets);
  if (foreign.length === 0) { return; }
  throw new ConnectivityError(owner, `${optionName}.subnets: ${describeForeignSubnets(foreign)} selected for the route tables of VPC ${vpcPath}, ` +
    `but ${foreign.length > 1 ? 'they are not subnets' : 'it is not a subnet'} of that VPC: routes would go into another VPC's route tables. ` +
    `Select subnets of ${vpcPath} (for example ${optionName}: { subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }, or subnets from its ` +
    'publicSubnets/privateSubnets/isolatedSubnets).');
}

/**
 * Fail when a construct is given a field of {@link RouteOptions} it cannot honour.
 *
 * @param reason why the field does not apply and what to do instead
 */
export function rejectRouteOption(owner: IConstruct, options: RouteOptions | undefined, optionName: string,
  field: keyof RouteOptions, reason: string): void {
  if (options !== undefined && options[field] !== undefined) {
    throw new ConnectivityError(owner, `${optionName}.${field} is not supported here: ${reason}`);
  }
}
