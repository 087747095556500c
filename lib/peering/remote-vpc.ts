import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { Cidr } from '../cidr';
import { ConnectivityError } from '../errors';
import {
  canonicalCidr, checkAccountId, checkCidr, checkRegion, checkRoleArn, checkRouteTableId, checkVpcId, describeValue, findDuplicates,
} from '../private/identifiers';
import { registerRemoteNetwork } from '../routing/vpc-network';

/** The brand of a VPC made by `RemoteVpc.fromAttributes`: a global symbol, seen by every copy of the library. */
const REMOTE_VPC_BRAND = Symbol.for('cdk-vpc-connect.RemoteVpc');

/**
 * What the requester needs to know about a VPC in another account (or one it cannot import
 * with subnets): everything is a literal or a parameter, since a stack cannot reference
 * another account's resources.
 */
export interface RemoteVpcAttributes {
  /** The VPC id (`vpc-...`). */
  readonly vpcId: string;

  /** Every IPv4 CIDR block of the VPC (primary and secondary). */
  readonly cidrs: string[];

  /**
   * The IPv6 CIDR blocks of the VPC.
   *
   * @default - none: no IPv6 routes toward it
   */
  readonly ipv6Cidrs?: string[];

  /** The 12-digit account id that owns the VPC. */
  readonly account: string;

  /**
   * The region of the VPC.
   *
   * @default - the region of the stack
   */
  readonly region?: string;

  /**
   * The route tables of the VPC that get routes back toward the requester
   * (subject to `VpcPeering`'s `accepterRoutes`).
   *
   * @default - none: set `accepterRoutes: { enabled: false }` and route that side yourself
   */
  readonly routeTableIds?: string[];

  /**
   * The ARN of a role in the VPC's account that accepts the peering and manages the routes
   * and options on that side: the `RoleArn` output of a `PeeringAccepterRole` stack there.
   * Required when the VPC is in another account.
   *
   * @default - no role: only for a VPC of the requester's own account
   */
  readonly roleArn?: string;
}

/**
 * A VPC of another account (or region) to peer with: an `ec2.IVpc` that also knows its
 * account, CIDR blocks, route tables and the role that accepts peerings into it.
 */
export interface IRemoteVpc extends ec2.IVpc {
  /** The account that owns the VPC. */
  readonly remoteAccount: string;
  /** The region of the VPC. */
  readonly remoteRegion: string;
  /** Every IPv4 CIDR block of the VPC. */
  readonly cidrs: string[];
  /** The IPv6 CIDR blocks of the VPC. */
  readonly ipv6Cidrs: string[];
  /** The route tables that get routes back toward a peer. */
  readonly routeTableIds: string[];
  /** The accepter role in the VPC's account, if any. */
  readonly roleArn?: string;
}

/**
 * Refer to a VPC in another account, for `VpcPeering`'s `accepter`.
 *
 * @example
 * const remote = RemoteVpc.fromAttributes(this, 'Remote', {
 *   vpcId: 'vpc-0123456789abcdef0', cidrs: ['10.20.0.0/16'], account: '222222222222', region: 'eu-west-1',
 *   routeTableIds: ['rtb-0123456789abcdef0', 'rtb-0123456789abcdef1'], roleArn: 'arn:aws:iam::222222222222:role/AcceptPeering-XYZ',
 * });
 */
export class RemoteVpc {
  /**
   * A VPC of another account, described by literal attributes.
   *
   * @throws ConnectivityError when a literal attribute is malformed: the VPC id, account,
   * region, a route table id (an empty string included), a CIDR block (host bits included), a
   * block listed twice or overlapping another, or a role ARN of another account than the VPC's
   */
  public static fromAttributes(scope: Construct, id: string, attrs: RemoteVpcAttributes): IRemoteVpc {
    checkRemoteVpcAttributes(scope, `RemoteVpc ${scope.node.path}/${id}`, attrs);
    const vpc = ec2.Vpc.fromVpcAttributes(scope, id, {
      vpcId: attrs.vpcId,
      vpcCidrBlock: attrs.cidrs[0],
      // A RemoteVpc has no subnets here; ec2.Vpc's import needs at least one AZ name.
      availabilityZones: ['remote-vpc-az-unknown'],
      region: attrs.region,
    });
    const remote: IRemoteVpc = Object.assign(vpc, {
      remoteAccount: attrs.account,
      remoteRegion: vpc.env.region,
      cidrs: [...attrs.cidrs],
      ipv6Cidrs: [...(attrs.ipv6Cidrs ?? [])],
      routeTableIds: [...(attrs.routeTableIds ?? [])],
      roleArn: attrs.roleArn,
    });
    registerRemoteNetwork(remote, {
      account: attrs.account,
      region: remote.remoteRegion,
      cidrs: remote.cidrs,
      ipv6Cidrs: remote.ipv6Cidrs,
    });
    Object.defineProperty(remote, REMOTE_VPC_BRAND, { value: true, enumerable: false });
    return remote;
  }

  /**
   * Whether `x` was made by {@link RemoteVpc.fromAttributes} (by this copy of the library or
   * another one in the same app).
   */
  public static isRemoteVpc(x: any): x is IRemoteVpc {
    return x !== null && typeof x === 'object' && REMOTE_VPC_BRAND in x;
  }

  private constructor() {}
}

/** The checks of {@link RemoteVpc.fromAttributes}: every literal attribute, before anything is created. */
function checkRemoteVpcAttributes(scope: Construct, where: string, attrs: RemoteVpcAttributes): void {
  const fail = (message: string): never => {
    throw new ConnectivityError(scope, `${where}: ${message}`);
  };
  const problemOf = (field: string, problem: string | undefined, fix: string) => {
    if (problem !== undefined) { fail(`${field} ${problem}. ${fix}`); }
  };
  problemOf('vpcId', checkVpcId(attrs.vpcId), 'Pass the id of the VPC to peer with (the VpcId output of its stack).');
  problemOf('account', checkAccountId(attrs.account), 'Pass the 12-digit id of the account that owns the VPC.');
  if (attrs.region !== undefined) {
    problemOf('region', checkRegion(attrs.region), 'Pass the region the VPC is in, or leave region out for the stack\'s region.');
  }
  const vpcName = Token.isUnresolved(attrs.vpcId) ? where : attrs.vpcId;
  if (attrs.cidrs.length === 0) {
    fail(`cidrs is empty; list every IPv4 CIDR block of VPC ${vpcName}.`);
  }
  for (const [field, blocks] of [['cidrs', attrs.cidrs], ['ipv6Cidrs', attrs.ipv6Cidrs ?? []]] as const) {
    for (const block of blocks) {
      problemOf(field, checkCidr(block), `List the VPC's blocks as the VPC console shows them (network addresses, such as 10.20.0.0/16).`);
    }
    const duplicates = findDuplicates(blocks, canonicalCidr);
    if (duplicates.length > 0) {
      fail(`${field} lists ${duplicates.map((d) => describeValue(d)).join(', ')} more than once. List each block of the VPC once.`);
    }
    const parsed = blocks.filter((b) => !Token.isUnresolved(b)).map((b) => Cidr.parse(b));
    for (let i = 0; i < parsed.length; i++) {
      for (let j = i + 1; j < parsed.length; j++) {
        if (parsed[i].overlaps(parsed[j])) {
          fail(`${field} lists ${parsed[i]} and ${parsed[j]}, which overlap: the blocks of one VPC are disjoint. ` +
            'Check the list against the VPC\'s CIDR blocks.');
        }
      }
    }
  }
  const routeTableIds = attrs.routeTableIds ?? [];
  for (const routeTableId of routeTableIds) {
    problemOf('routeTableIds', checkRouteTableId(routeTableId), 'List the ids of the VPC\'s route tables (the RouteTableIds output of its PeeringAccepterRole stack).');
  }
  const duplicateTables = findDuplicates(routeTableIds);
  if (duplicateTables.length > 0) {
    fail(`routeTableIds lists ${duplicateTables.map((d) => describeValue(d)).join(', ')} more than once. List each route table once.`);
  }
  if (attrs.roleArn !== undefined) {
    const role = checkRoleArn(attrs.roleArn);
    problemOf('roleArn', role.problem, 'Pass the RoleArn output of the PeeringAccepterRole stack in the VPC\'s account.');
    if (role.account !== undefined && !Token.isUnresolved(attrs.account) && role.account !== attrs.account) {
      fail(`roleArn '${attrs.roleArn}' is a role of account ${role.account}, but the VPC is in account ${attrs.account}. ` +
        'The peering is accepted, and the routes made, by a role of the VPC\'s own account: pass the RoleArn output of the PeeringAccepterRole ' +
        `stack deployed in ${attrs.account} (or correct account).`);
    }
  }
}
