import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FindingSeverity, NetworkValidationPlugin } from '../lib';
import { addEndpointExamples } from './endpoints';
import { addMeshAndHubExamples } from './mesh-and-hub';
import { addPeeringExamples } from './peering';
import { SharedEndpointsStack } from './shared-endpoints';
import { addTransitNetworkExample } from './transit-network';

/**
 * Add every example stack of the library to `app`, and check them with cdk-nag's
 * AwsSolutions pack and the library's own network analysis (every finding must be fixed or
 * acknowledged with a reason; a routing error fails the synth).
 */
export function addExampleStacks(app: App): void {
  addPeeringExamples(app);
  addEndpointExamples(app);
  addMeshAndHubExamples(app);
  new SharedEndpointsStack(app, 'SharedEndpoints', { desiredCount: Number(app.node.tryGetContext('sharedEndpointsDesiredCount') ?? 0) });
  addTransitNetworkExample(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NetworkValidationPlugin({ failOn: FindingSeverity.ERROR }));
}
