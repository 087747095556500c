import { CfnOutput, Fn, Stack, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { FindingRules, NetworkValidationPlugin, PeeringAccepterRole, RemoteVpc, VpcPeering } from '../lib';
import { exampleVpc } from './support/example-vpc';

/** Properties of {@link CrossAccountPeeringStacks}. */
export interface CrossAccountPeeringProps {
  /** Account A, which requests the peering. */
  readonly requesterAccount: string;
  /** Region of the requester VPC. */
  readonly requesterRegion: string;
  /** Account B, which owns the accepter VPC. */
  readonly accepterAccount: string;
  /** Region of the accepter VPC. */
  readonly accepterRegion: string;
  /** The accepter stack's outputs, once it is deployed (placeholders before). */
  readonly accepter: {
    readonly vpcId: string;
    readonly routeTableIds: string[];
    readonly roleArn: string;
  };
}

const ACCEPTER_CIDR = '10.20.0.0/16';

/**
 * Cross-account (and cross-region) peering from one `cdk deploy` in the requester account:
 * 1. the accepter stack, deployed once in account B: a VPC and a `PeeringAccepterRole`;
 * 2. the requester stack in account A: a VPC and a `VpcPeering` to the remote VPC, which
 *    accepts through the role, routes both sides and turns on DNS resolution.
 */
export class CrossAccountPeeringStacks {
  public readonly accepterStack: Stack;
  public readonly requesterStack: Stack;
  public readonly peering: VpcPeering;

  constructor(scope: Construct, id: string, props: CrossAccountPeeringProps) {
    this.accepterStack = new Stack(scope, `${id}-Accepter`, {
      env: { account: props.accepterAccount, region: props.accepterRegion },
      description: 'cdk-vpc-connect example: the accepter side of a cross-account peering (deploy first, in account B).',
    });
    const accepterVpc = exampleVpc(this.accepterStack, 'AccepterVpc', ACCEPTER_CIDR);
    const accepterRouteTableIds = accepterVpc.isolatedSubnets.map((s) => s.routeTable.routeTableId);
    new PeeringAccepterRole(this.accepterStack, 'AcceptPeering', {
      vpc: accepterVpc,
      requesterAccount: props.requesterAccount,
      // Only the tables the requester routes (its RemoteVpc's routeTableIds): not every table of the VPC.
      routeTableIds: accepterRouteTableIds,
    });
    new CfnOutput(this.accepterStack, 'VpcId', { value: accepterVpc.vpcId, description: 'Pass as -c accepterVpcId=...' });
    new CfnOutput(this.accepterStack, 'RouteTableIds', {
      value: Fn.join(',', accepterRouteTableIds),
      description: 'Pass as -c accepterRouteTableIds=...',
    });

    this.requesterStack = new Stack(scope, `${id}-Requester`, {
      env: { account: props.requesterAccount, region: props.requesterRegion },
      description: 'cdk-vpc-connect example: the requester side of a cross-account peering (account A).',
    });
    const requesterVpc = exampleVpc(this.requesterStack, 'RequesterVpc', '10.10.0.0/16');
    const remote = RemoteVpc.fromAttributes(this.requesterStack, 'AccepterVpc', {
      vpcId: props.accepter.vpcId,
      cidrs: [ACCEPTER_CIDR],
      account: props.accepterAccount,
      region: props.accepterRegion,
      routeTableIds: props.accepter.routeTableIds,
      roleArn: props.accepter.roleArn,
    });
    this.peering = new VpcPeering(this.requesterStack, 'Peering', {
      requester: requesterVpc,
      accepter: remote,
      peeringName: 'cross-account-example',
      dnsResolution: true,
    });
    // The network analysis sees this side only: the accepter VPC is in the other account's templates.
    Validations.of(this.peering).acknowledge({
      id: `${NetworkValidationPlugin.PLUGIN_NAME}::${FindingRules.UNKNOWN}`,
      reason: 'The accepter VPC belongs to another account: its blocks and route tables come from RemoteVpc attributes, not from a template of this app.',
    });
  }
}
