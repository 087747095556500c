import { App } from 'aws-cdk-lib';

/** The VPC endpoint example stacks. */
export function addEndpointExamples(_app: App): void {
  // filled in by the endpoints work
}
