import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { ConnectivityError, ConnectivityErrors } from '../errors';
import { allSubnets } from './route-tables';
import { describeVpc, VpcNetwork } from './vpc-network';
import { describeValue, tokenTargetPath } from '../private/identifiers';

/**
 * Which VPC a subnet belongs to, and describing a VPC for a construct that needs its blocks:
 * one implementation for every construct that is given subnets or VPCs (route options, hub
 * attachments, interface endpoints).
 */

/**
 * What is known of `vpc`, or a ConnectivityError naming the fix when aws-cdk-lib cannot give
 * what is needed (a VPC imported without `vpcCidrBlock` throws when asked for it).
 *
 * @param owner the construct that uses the VPC (the error names it)
 * @param role what the construct needs the VPC's blocks for, for the message
 */
export function describeVpcFor(owner: IConstruct, vpc: ec2.IVpc, role: string): VpcNetwork {
  try {
    return describeVpc(vpc);
  } catch (e) {
    if (ConnectivityErrors.isConnectivityError(e) || !/vpcCidrBlock/.test((e as Error).message)) { throw e; }
    throw new ConnectivityError(owner, `VPC ${vpc.node.path} was imported without its CIDR block, which ${role}. ` +
      'Import it with vpcCidrBlock (ec2.Vpc.fromVpcAttributes({ vpcId, vpcCidrBlock, ... })), or with ec2.Vpc.fromLookup.');
  }
}

/** A subnet selected for a VPC that is not one of that VPC's subnets. */
export interface ForeignSubnet {
  /** The subnet. */
  readonly subnet: ec2.ISubnet;
  /** The subnet for a message: its path, or its id when it was imported by id. */
  readonly text: string;
  /** The VPC it is in, for a message, when known (`Stack/OtherVpc`). */
  readonly vpc?: string;
}

/**
 * The subnets of `subnets` known to be in another VPC than `vpc`.
 *
 * A subnet is in `vpc` when it is one of `vpc`'s subnets (or has the id of one). A subnet made in
 * the app (`ec2.Subnet`) is in another VPC when its `VpcId` is not `vpc`'s. An imported subnet
 * (`ec2.Subnet.fromSubnetId`) that `vpc` does not list is in another VPC only when `vpc` was made
 * in the app (its subnet list is then complete); for an imported VPC it cannot be told at synth
 * and is not reported.
 */
export function subnetsOfAnotherVpc(vpc: ec2.IVpc, subnets: readonly ec2.ISubnet[]): ForeignSubnet[] {
  const own = allSubnets(vpc);
  const ownIds = new Set(own.map((s) => s.subnetId));
  const vpcDefinedInApp = ec2.CfnVPC.isCfnVPC(vpc.node.defaultChild);
  const foreign: ForeignSubnet[] = [];
  for (const subnet of subnets) {
    if (own.includes(subnet) || ownIds.has(subnet.subnetId)) { continue; }
    const cfn = subnet.node.defaultChild;
    if (ec2.CfnSubnet.isCfnSubnet(cfn)) {
      if (sameValue(vpc, cfn.vpcId, vpc.vpcId)) { continue; }
      foreign.push({ subnet, text: subnet.node.path, vpc: tokenTargetPath(cfn.vpcId) ?? describeValue(cfn.vpcId) });
    } else if (vpcDefinedInApp) {
      foreign.push({ subnet, text: Token.isUnresolved(subnet.subnetId) ? subnet.node.path : subnet.subnetId });
    }
  }
  return foreign;
}

/** Whether two ids are the same value (the same reference, or the same literal). */
function sameValue(scope: ec2.IVpc, a: string, b: string): boolean {
  if (a === b) { return true; }
  if (Token.isUnresolved(a) || Token.isUnresolved(b)) {
    const stack = Stack.of(scope);
    return JSON.stringify(stack.resolve(a)) === JSON.stringify(stack.resolve(b));
  }
  return false;
}

/** The foreign subnets for a message: `subnet Stack/Other/Subnet1 of VPC Stack/Other, subnet ...`. */
export function describeForeignSubnets(foreign: readonly ForeignSubnet[]): string {
  return foreign.map((f) => `subnet ${f.text}${f.vpc ? ` of VPC ${f.vpc}` : ''}`).join(', ');
}
