import { App } from 'aws-cdk-lib';
import { CrossRegionPeeringStacks } from './cross-region-peering';
import { DefaultVpcPeeringStack } from './default-vpc-peering';

/**
 * The peering example stacks. Context:
 * - `-c defaultVpc=lookup`: look up the account's real default VPC (needs credentials).
 * - `-c requesterRegion=... -c accepterRegion=...`: the regions of the cross-region example.
 */
export function addPeeringExamples(app: App): void {
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const lookup = app.node.tryGetContext('defaultVpc') === 'lookup';
  new DefaultVpcPeeringStack(app, 'DefaultVpcPeering', {
    lookupDefaultVpc: lookup,
    env: lookup ? { account, region: process.env.CDK_DEFAULT_REGION } : undefined,
  });
  new CrossRegionPeeringStacks(app, 'CrossRegionPeering', {
    account,
    requesterRegion: app.node.tryGetContext('requesterRegion') ?? 'us-east-1',
    accepterRegion: app.node.tryGetContext('accepterRegion') ?? 'eu-west-1',
  });
}
