/**
 * The Lambda function behind each of the library's custom-resource providers, with its role:
 * real `AWS::IAM::Role` and `AWS::Lambda::Function` L1s (`iam.CfnRole`, `lambda.CfnFunction`), so
 * that rule packs such as cdk-nag inspect them, with an inline policy that grows statement by
 * statement as resources need them. The peering and the transit providers each create one per
 * stack; this is the part they share.
 */
import { Duration, Fn, Lazy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { ENTRYPOINT_HANDLER, handlerCode } from './handler-code';
import { ConnectivityError } from '../errors';
import { skipWhenScanningForCidrBlocks } from '../routing/vpc-network';

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

/** What a custom resource needs of its stack's provider; another copy of the library in the app provides the same. */
export interface IStackProvider {
  /** The function's ARN, the custom resources' `ServiceToken`. */
  readonly serviceToken: string;
  /** Add a statement to the function role's inline policy, once. */
  addToRolePolicy(statement: PolicyStatementJson): void;
}

/** One provider of the library: where it lives in each stack, and what its function is. */
export interface StackProviderOptions extends ProviderFunctionProps {
  /** The construct id of the provider at the root of its stack (part of its resources' logical ids: never change it). */
  readonly constructId: string;
  /** The brand (`Symbol.for`) that marks the provider, so two copies of the library in one app share it. */
  readonly brand: symbol;
  /** What to do when another construct holds `constructId`, for the error message. */
  readonly whenTaken: string;
}

/**
 * The provider of `scope`'s stack (one per stack and kind), created on first use: a construct
 * at the root of the stack holding the `ProviderFunction`, skipped by the VPC-block scans.
 */
export function stackProvider(scope: IConstruct, options: StackProviderOptions): IStackProvider {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(options.constructId);
  if (existing === undefined) {
    return new StackProvider(stack, options);
  }
  if (!(options.brand in existing)) {
    throw new ConnectivityError(existing, `the construct id ${options.constructId} of stack ${stack.node.path} is taken by another construct` +
      `${options.whenTaken}`);
  }
  return existing as unknown as IStackProvider;
}

class StackProvider extends Construct implements IStackProvider {
  public readonly serviceToken: string;
  private readonly fn: ProviderFunction;

  constructor(stack: Stack, options: StackProviderOptions) {
    super(stack, options.constructId);
    Object.defineProperty(this, options.brand, { value: true });
    // No VPC block is ever defined under a provider: the block scans of its stack skip it.
    skipWhenScanningForCidrBlocks(this);
    this.fn = new ProviderFunction(this, options);
    this.serviceToken = this.fn.serviceToken;
  }

  public addToRolePolicy(statement: PolicyStatementJson): void {
    this.fn.addToRolePolicy(statement);
  }
}
