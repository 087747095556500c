import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addPeeringExamples } from './peering';
import { addEndpointExamples } from './endpoints';
import { addMeshAndHubExamples } from './mesh-and-hub';

/**
 * Add every example stack of the library to `app`, and check them with cdk-nag's
 * AwsSolutions pack (every finding must be fixed or acknowledged with a reason).
 */
export function addExampleStacks(app: App): void {
  addPeeringExamples(app);
  addEndpointExamples(app);
  addMeshAndHubExamples(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}
