import { App } from 'aws-cdk-lib';
import { CrossAccountPeeringStacks } from './cross-account-peering';
import { CrossRegionPeeringStacks } from './cross-region-peering';
import { DefaultVpcPeeringStack } from './default-vpc-peering';

/**
 * The peering example stacks. Context:
 * - `-c defaultVpc=lookup`: look up the account's real default VPC (needs credentials).
 * - `-c requesterRegion=... -c accepterRegion=...`: the regions of the cross-region and
 *   cross-account examples.
 * - `-c requesterAccount=... -c accepterAccount=...`: the accounts of the cross-account example,
 *   and once its accepter stack is deployed, its outputs: `-c accepterVpcId=...
 *   -c accepterRouteTableIds=rtb-0123456789abcdef0,rtb-0123456789abcdef1 -c accepterRoleArn=...`.
 */
export function addPeeringExamples(app: App): void {
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const lookup = app.node.tryGetContext('defaultVpc') === 'lookup';
  new DefaultVpcPeeringStack(app, 'DefaultVpcPeering', {
    lookupDefaultVpc: lookup,
    env: lookup ? { account, region: process.env.CDK_DEFAULT_REGION } : undefined,
  });
  const requesterRegion: string = app.node.tryGetContext('requesterRegion') ?? 'us-east-1';
  const accepterRegion: string = app.node.tryGetContext('accepterRegion') ?? 'eu-west-1';
  new CrossRegionPeeringStacks(app, 'CrossRegionPeering', { account, requesterRegion, accepterRegion });

  // Placeholders keep `cdk synth` working offline; deploying needs the real values (README).
  const accepterAccount: string = app.node.tryGetContext('accepterAccount') ?? '222222222222';
  const routeTableIds: string = app.node.tryGetContext('accepterRouteTableIds') ?? 'rtb-00000000000000001,rtb-00000000000000002';
  new CrossAccountPeeringStacks(app, 'CrossAccountPeering', {
    requesterAccount: app.node.tryGetContext('requesterAccount') ?? '111111111111',
    requesterRegion,
    accepterAccount,
    accepterRegion,
    accepter: {
      vpcId: app.node.tryGetContext('accepterVpcId') ?? 'vpc-00000000000000000',
      routeTableIds: routeTableIds.split(',').map((id) => id.trim()).filter((id) => id !== ''),
      roleArn: app.node.tryGetContext('accepterRoleArn') ?? `arn:aws:iam::${accepterAccount}:role/deploy-the-accepter-stack-first`,
    },
  });
}
