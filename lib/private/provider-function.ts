/**
 * The Lambda function behind each of the library's custom-resource providers, with its role:
 * real `AWS::IAM::Role` and `AWS::Lambda::Function` L1s (`iam.CfnRole`, `lambda.CfnFunction`), so
 * that rule packs such as cdk-nag inspect them, with an inline policy that grows statement by
 * statement as resources need them. The peering and the transit providers each create one per
 * stack; this is the part they share.
 */
import { Duration, Fn, Lazy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ENTRYPOINT_HANDLER, handlerCode } from './handler-code';

/**
 * The function's timeout: Lambda's maximum, 15 minutes
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html). The handlers budget
 * their waiting and their work from the time the invocation has left, so they answer
 * CloudFormation before the function is stopped.
 */
export const PROVIDER_FUNCTION_TIMEOUT = Duration.minutes(15);

/**
 * How long CloudFormation waits for an answer of a provider (`ServiceTimeout` of each custom
 * resource, 1 to 3600 seconds, 3600 by default:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudformation-customresource.html).
 * The function's timeout plus a minute for the invocation to start and the answer to arrive: a
 * function that died without answering fails the operation after 16 minutes, not after an hour.
 */
export const PROVIDER_SERVICE_TIMEOUT = PROVIDER_FUNCTION_TIMEOUT.plus(Duration.minutes(1));

/**
 * The IAM path of every provider function's role. Roles the library creates for other accounts
 * (`PeeringAccepterRole` with a `requesterRoleArn`, a hub's role for `TransitGatewaySpoke`) trust
 * the roles under this path of the accounts they serve, and nothing else of those accounts.
 */
export const PROVIDER_ROLE_PATH = '/cdk-vpc-connect/';

/** The runtime: a Node.js runtime with the AWS SDK v3 bundled (nothing is downloaded at deploy). */
const PROVIDER_RUNTIME = 'nodejs24.x';

/** A statement of the function's role. */
export type PolicyStatementJson = {
  Effect: 'Allow'; Action: string | string[]; Resource: string | string[]; Condition?: { [operator: string]: { [key: string]: string } };
};

/** What makes one provider's function its own. */
export interface ProviderFunctionProps {
  /** The handler directory (its `index.js`), staged with the shared entrypoint. */
  readonly handlerDir: string;
  /** The function's description. */
  readonly description: string;
  /** Why the role's `Resource: *` statements cannot name their resources (cdk-nag's AwsSolutions-IAM5). */
  readonly wildcardReason: string;
}

/** The role (`Role`) and function (`Handler`) of a provider, created under `scope`. */
export class ProviderFunction {
  /** The function's ARN: the `ServiceToken` of the provider's custom resources. */
  public readonly serviceToken: string;
  private readonly statements: PolicyStatementJson[] = [];
  private readonly statementKeys = new Set<string>();

  constructor(scope: Construct, props: ProviderFunctionProps) {
    const role = new iam.CfnRole(scope, 'Role', {
      path: PROVIDER_ROLE_PATH,
      assumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }],
      },
      managedPolicyArns: [Fn.sub('arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole')],
      policies: [{
        policyName: 'Inline',
        policyDocument: Lazy.any({ produce: () => ({ Version: '2012-10-17', Statement: this.statements }) }),
      }],
    });

    const code = handlerCode(props.handlerDir);
    const location = code.bind(scope);
    const handler = new lambda.CfnFunction(scope, 'Handler', {
      code: { s3Bucket: location.s3Location!.bucketName, s3Key: location.s3Location!.objectKey },
      handler: ENTRYPOINT_HANDLER,
      role: role.attrArn,
      runtime: PROVIDER_RUNTIME,
      timeout: PROVIDER_FUNCTION_TIMEOUT.toSeconds(),
      memorySize: 128,
      description: props.description,
    });
    handler.node.addDependency(role);
    code.bindToResource(handler, { resourceProperty: 'Code' });
    this.serviceToken = handler.attrArn;

    Validations.of(scope).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'The function\'s role uses the AWS managed AWSLambdaBasicExecutionRole policy for one thing: writing the function\'s own logs to CloudWatch Logs.',
    });
    Validations.of(scope).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: props.wildcardReason });
  }

  /** Add a statement to the role's inline policy, once. */
  public addToRolePolicy(statement: PolicyStatementJson): void {
    const key = JSON.stringify(statement);
    if (this.statementKeys.has(key)) { return; }
    this.statementKeys.add(key);
    this.statements.push(statement);
  }
}
