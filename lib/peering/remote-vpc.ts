import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { ConnectivityError } from '../errors';
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
 *   vpcId: 'vpc-0123', cidrs: ['10.20.0.0/16'], account: '222222222222', region: 'eu-west-1',
 *   routeTableIds: ['rtb-1', 'rtb-2'], roleArn: 'arn:aws:iam::222222222222:role/AcceptPeering-XYZ',
 * });
 */
export class RemoteVpc {
  /**
   * A VPC of another account, described by literal attributes.
   */
  public static fromAttributes(scope: Construct, id: string, attrs: RemoteVpcAttributes): IRemoteVpc {
    const where = `RemoteVpc ${scope.node.path}/${id}`;
    if (!Token.isUnresolved(attrs.account) && !/^\d{12}$/.test(attrs.account)) {
      throw new ConnectivityError(scope, `${where}: account '${attrs.account}' is not a 12-digit AWS account id.`);
    }
    if (attrs.cidrs.length === 0) {
      throw new ConnectivityError(scope, `${where}: cidrs is empty; list every IPv4 CIDR block of VPC ${attrs.vpcId}.`);
    }
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
