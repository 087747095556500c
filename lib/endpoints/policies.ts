import { Arn, ArnFormat, Aws, Stack, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';

/** Which callers a restriction of an {@link EndpointPolicy} admits. */
export interface EndpointPolicyOptions {
  /**
   * The actions allowed.
   *
   * @default - every action of the service (`s3:*`, `dynamodb:*`)
   */
  readonly actions?: string[];

  /**
   * Only principals of these accounts (`aws:PrincipalAccount`), each 12 digits (checked when
   * the policy is added to an endpoint of VpcEndpoints).
   *
   * @default - principals of any account (IAM and resource policies still apply)
   */
  readonly principalAccounts?: string[];

  /**
   * Only principals of this AWS Organization (`aws:PrincipalOrgID`): `o-` and 10 to 32
   * lowercase letters or digits (checked when the policy is added to an endpoint of VpcEndpoints).
   *
   * @default - principals of any organization
   */
  readonly principalOrgId?: string;
}

/** What a policy is bound to. */
export interface EndpointPolicyBindOptions {
  /** The service key of the endpoint: `s3`, `dynamodb`, or the interface service's name. */
  readonly service: string;
  /** A readable description of the endpoint, for messages. */
  readonly endpoint: string;
}

/** What binding a policy produced. */
export interface EndpointPolicyConfig {
  /** The statements to add to the endpoint's policy. */
  readonly statements: iam.PolicyStatement[];
  /**
   * The service the policy is written for (`s3`, `dynamodb`), when it only makes sense
   * on that service's endpoint.
   *
   * @default - any service
   */
  readonly requiresService?: string;
}

/**
 * A VPC endpoint policy: what the endpoint lets through.
 *
 * An endpoint without a policy allows everything (IAM and resource policies still
 * apply). Once one policy is added, only what the policies allow passes; several
 * policies on one endpoint add up (each is an `Allow` statement).
 *
 * Every statement of an endpoint policy needs a `Principal` (use `new iam.AnyPrincipal()`
 * with conditions to restrict callers): {@link VpcEndpoints} rejects a statement without one,
 * and a condition on an organization id (`aws:PrincipalOrgID`, `aws:ResourceOrgID`,
 * `aws:SourceOrgID`) or an account id (`aws:PrincipalAccount`, `aws:ResourceAccount`,
 * `aws:SourceAccount`) whose literal value is malformed: such a condition matches no caller.
 *
 * @example
 * endpoints.addGateway(GatewayService.S3, {
 *   policies: [EndpointPolicy.s3Buckets([bucket], { principalAccounts: [Aws.ACCOUNT_ID] }), EndpointPolicy.ecrImageLayers()],
 * });
 */
export abstract class EndpointPolicy {
  /**
   * Only the named S3 buckets and their objects.
   *
   * Remember AWS-owned buckets your workload uses through the endpoint: ECR image
   * layers ({@link ecrImageLayers}), Amazon Linux package repositories, SSM agent updates.
   *
   * @param buckets buckets, bucket names or bucket ARNs
   */
  public static s3Buckets(buckets: Array<s3.IBucket | string>, options: EndpointPolicyOptions = {}): EndpointPolicy {
    return new ResourcePolicy('s3', options, () => buckets.flatMap((bucket) => {
      const arn = typeof bucket === 'string' ? bucketArn(bucket) : bucket.bucketArn;
      return [arn, `${arn}/*`];
    }));
  }

  /**
   * Only the named DynamoDB tables, their indexes and streams.
   *
   * @param tables tables, table names (in the endpoint's account and region) or table ARNs
   */
  public static dynamoDbTables(tables: Array<dynamodb.ITable | dynamodb.ITableV2 | string>, options: EndpointPolicyOptions = {}): EndpointPolicy {
    return new ResourcePolicy('dynamodb', options, (scope) => tables.flatMap((table) => {
      const arn = typeof table === 'string' ? tableArn(scope, table) : table.tableArn;
      return [arn, `${arn}/index/*`, `${arn}/stream/*`];
    }));
  }

  /**
   * The S3 bucket where Amazon ECR keeps image layers in the endpoint's region
   * (`prod-<region>-starport-layer-bucket`): add it to a restricted S3 gateway endpoint
   * when workloads pull ECR images through it.
   */
  public static ecrImageLayers(): EndpointPolicy {
    return new EcrLayersPolicy();
  }

  /**
   * Only principals of one account (`aws:PrincipalAccount`), any resource.
   *
   * @param account the account @default - the account of the endpoint's stack
   */
  public static principalsInAccount(account?: string): EndpointPolicy {
    return new ConditionPolicy('PrincipalsInAccount', 'aws:PrincipalAccount', (scope) => account ?? Stack.of(scope).account);
  }

  /**
   * Only resources of one account (`aws:ResourceAccount`), any principal. On an S3
   * endpoint this also blocks AWS-owned buckets (ECR layers, package repositories).
   *
   * @param account the account @default - the account of the endpoint's stack
   */
  public static resourcesInAccount(account?: string): EndpointPolicy {
    return new ConditionPolicy('ResourcesInAccount', 'aws:ResourceAccount', (scope) => account ?? Stack.of(scope).account);
  }

  /**
   * Only principals of an AWS Organization (`aws:PrincipalOrgID`).
   *
   * @param orgId the organization id (`o-...`)
   */
  public static principalsInOrganization(orgId: string): EndpointPolicy {
    return new ConditionPolicy('PrincipalsInOrganization', 'aws:PrincipalOrgID', () => orgId);
  }

  /**
   * Only resources owned by accounts of an AWS Organization (`aws:ResourceOrgID`).
   * On an S3 endpoint this also blocks AWS-owned buckets (ECR layers, package repositories).
   *
   * @param orgId the organization id (`o-...`)
   */
  public static resourcesInOrganization(orgId: string): EndpointPolicy {
    return new ConditionPolicy('ResourcesInOrganization', 'aws:ResourceOrgID', () => orgId);
  }

  /** Statements of your own; each must have a principal. */
  public static fromStatements(...statements: iam.PolicyStatement[]): EndpointPolicy {
    return new StatementPolicy(statements);
  }

  /** Produce the statements for one endpoint. */
  public abstract bind(scope: IConstruct, options: EndpointPolicyBindOptions): EndpointPolicyConfig;
}

class ResourcePolicy extends EndpointPolicy {
  constructor(
    private readonly service: 's3' | 'dynamodb',
    private readonly options: EndpointPolicyOptions,
    private readonly resources: (scope: IConstruct) => string[]) {
    super();
  }

  public bind(scope: IConstruct): EndpointPolicyConfig {
    const statement = new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: this.options.actions ?? [`${this.service}:*`],
      resources: this.resources(scope),
    });
    addCallerConditions(statement, this.options);
    return { statements: [statement], requiresService: this.service };
  }
}

class ConditionPolicy extends EndpointPolicy {
  constructor(private readonly sid: string, private readonly key: string, private readonly value: (scope: IConstruct) => string) {
    super();
  }

  public bind(scope: IConstruct): EndpointPolicyConfig {
    return {
      statements: [new iam.PolicyStatement({
        sid: this.sid,
        principals: [new iam.AnyPrincipal()],
        actions: ['*'],
        resources: ['*'],
        conditions: { StringEquals: { [this.key]: this.value(scope) } },
      })],
    };
  }
}

class EcrLayersPolicy extends EndpointPolicy {
  public bind(scope: IConstruct): EndpointPolicyConfig {
    const stack = Stack.of(scope);
    return {
      statements: [new iam.PolicyStatement({
        sid: 'EcrImageLayers',
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject'],
        resources: [`arn:${stack.partition}:s3:::prod-${stack.region}-starport-layer-bucket/*`],
      })],
      requiresService: 's3',
    };
  }
}

class StatementPolicy extends EndpointPolicy {
  constructor(private readonly statements: iam.PolicyStatement[], private readonly service?: string) {
    super();
  }

  public bind(): EndpointPolicyConfig {
    return { statements: this.statements, requiresService: this.service };
  }
}

function addCallerConditions(statement: iam.PolicyStatement, options: EndpointPolicyOptions): void {
  const equals: Record<string, string | string[]> = {};
  if (options.principalAccounts && options.principalAccounts.length > 0) {
    equals['aws:PrincipalAccount'] = options.principalAccounts.length === 1 ? options.principalAccounts[0] : options.principalAccounts;
  }
  if (options.principalOrgId !== undefined) {
    equals['aws:PrincipalOrgID'] = options.principalOrgId;
  }
  if (Object.keys(equals).length > 0) {
    statement.addCondition('StringEquals', equals);
  }
}

function bucketArn(bucket: string): string {
  if (!Token.isUnresolved(bucket) && bucket.startsWith('arn:')) { return bucket; }
  return `arn:${Aws.PARTITION}:s3:::${bucket}`;
}

function tableArn(scope: IConstruct, table: string): string {
  if (!Token.isUnresolved(table) && table.startsWith('arn:')) { return table; }
  return Arn.format({ service: 'dynamodb', resource: 'table', resourceName: table, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }, Stack.of(scope));
}

/**
 * The statements of `statements` that lack a principal (a VPC endpoint policy statement
 * must name one), as JSON for messages. Internal: not exported from the package.
 */
export function statementsWithoutPrincipal(statements: iam.PolicyStatement[]): string[] {
  return statements.filter((s) => !s.hasPrincipal).map((s) => JSON.stringify(s.toStatementJson()));
}
