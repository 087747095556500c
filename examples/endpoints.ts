import { App } from 'aws-cdk-lib';
import { FargateEndpointsStack } from './fargate-endpoints';
import { PrivateSubnetEndpointsStack } from './private-subnet-endpoints';

/**
 * The VPC endpoint example stacks. Both are environment-agnostic, so `npx cdk synth` needs
 * no credentials and no context lookup. Context:
 * - `-c fargateDesiredCount=1`: run the Fargate task (after pushing its image, see README.md).
 */
export function addEndpointExamples(app: App): void {
  new PrivateSubnetEndpointsStack(app, 'PrivateSubnetEndpoints');
  const desiredCount = Number(app.node.tryGetContext('fargateDesiredCount') ?? 0);
  new FargateEndpointsStack(app, 'FargateEndpoints', { desiredCount });
}
