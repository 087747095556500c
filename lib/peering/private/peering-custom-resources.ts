import * as path from 'path';
import {
  ArnFormat, CustomResource, CustomResourceProvider, CustomResourceProviderRuntime, Duration, Stack, Token, Validations,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ConnectivityError } from '../../errors';

/** The resource type of the routes a {@link PeeringRoutesResource} manages. */
export const PEERING_ROUTES_RESOURCE_TYPE = 'Custom::VpcConnectPeeringRoutes';
/** The resource type of the DNS option a {@link PeeringDnsResolution} manages. */
export const PEERING_DNS_RESOURCE_TYPE = 'Custom::VpcConnectPeeringDns';
/** The id of the one provider (Lambda function) per stack that serves both types. */
export const PEERING_PROVIDER_ID = 'Custom::VpcConnectPeeringProvider';

/** Where a peering custom resource acts. */
export interface PeeringCustomResourceOptions {
  /** The id of the peering connection (`pcx-...`). */
  readonly peeringConnectionId: string;

  /**
   * The region of the side acted on: the region of its route tables, and for the DNS option
   * the region of that side's VPC.
   *
   * @default - the region of the stack
   */
  readonly region?: string;

  /**
   * A role to act through, in the account of that side (a `PeeringAccepterRole`).
   *
   * @default - the function's own role, in the stack's account
   */
  readonly roleArn?: string;
}

/** Properties of a {@link PeeringRoutesResource}. */
export interface PeeringRoutesResourceProps extends PeeringCustomResourceOptions {
  /** The route tables that get a route to every destination. */
  readonly routeTableIds: string[];

  /**
   * The destinations to route toward the peering: IPv4 or IPv6 CIDR blocks (a literal
   * with ':' is IPv6). Tokens are taken as IPv4.
   */
  readonly destinations: string[];
}

/**
 * Routes toward a peering connection, created by a custom resource: for route tables in
 * another account (through its role), where `AWS::EC2::Route` cannot reach.
 *
 * Created once the peering is active; removed on delete and when the peering changes.
 */
export class PeeringRoutesResource extends Construct {
  /** The custom resource. */
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: PeeringRoutesResourceProps) {
    super(scope, id);
    if (props.routeTableIds.length === 0) {
      throw new ConnectivityError(this, `no route table given for the routes toward ${props.peeringConnectionId}: pass at least one route table id.`);
    }
    if (props.destinations.length === 0) {
      throw new ConnectivityError(this, `no destination given for the routes toward ${props.peeringConnectionId}: pass at least one CIDR block.`);
    }
    const ipv6 = props.destinations.filter((d) => !Token.isUnresolved(d) && d.includes(':'));
    const ipv4 = props.destinations.filter((d) => !ipv6.includes(d));

    this.resource = peeringResource(this, PEERING_ROUTES_RESOURCE_TYPE, props, (stack, region) => {
      const tables = props.routeTableIds.map((t) => ec2Arn(stack, region, 'route-table', t));
      return [
        {
          Effect: 'Allow',
          Action: ['ec2:CreateRoute', 'ec2:ReplaceRoute'],
          // The peering is listed too, for the route target (no effect where EC2 does not authorize targets).
          Resource: [...tables, ec2Arn(stack, region, 'vpc-peering-connection', props.peeringConnectionId)],
        },
        { Effect: 'Allow', Action: 'ec2:DeleteRoute', Resource: tables },
        describe('ec2:DescribeVpcPeeringConnections'),
        describe('ec2:DescribeRouteTables'),
      ];
    }, {
      RouteTableIds: props.routeTableIds,
      DestinationCidrBlocks: ipv4,
      DestinationIpv6CidrBlocks: ipv6,
    });
  }
}

/** The side of a peering connection. */
export type PeeringSide = 'requester' | 'accepter';

/** Properties of a {@link PeeringDnsResolution}. */
export interface PeeringDnsResolutionProps extends PeeringCustomResourceOptions {
  /** The side whose `AllowDnsResolutionFromRemoteVpc` option is set. */
  readonly side: PeeringSide;

  /**
   * The value of the option.
   *
   * @default true
   */
  readonly allowDnsResolutionFromRemoteVpc?: boolean;
}

/**
 * `AllowDnsResolutionFromRemoteVpc` on one side of a peering connection, set by a custom
 * resource once the connection is active (CloudFormation has no property for it) and set
 * back to false on delete.
 */
export class PeeringDnsResolution extends Construct {
  /** The custom resource. */
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: PeeringDnsResolutionProps) {
    super(scope, id);
    this.resource = peeringResource(this, PEERING_DNS_RESOURCE_TYPE, props, (stack, region) => [
      {
        Effect: 'Allow',
        Action: 'ec2:ModifyVpcPeeringConnectionOptions',
        Resource: ec2Arn(stack, region, 'vpc-peering-connection', props.peeringConnectionId),
      },
      describe('ec2:DescribeVpcPeeringConnections'),
    ], {
      Side: props.side,
      AllowDnsResolutionFromRemoteVpc: String(props.allowDnsResolutionFromRemoteVpc ?? true),
    });
  }
}

/**
 * The custom resource `Resource` of `scope` on the stack's one provider. It acts in
 * `options.region` through `options.roleArn` when given (the function may only assume that
 * role), else with the function's own role, which gets `sameAccountStatements`.
 */
function peeringResource(
  scope: Construct,
  resourceType: string,
  options: PeeringCustomResourceOptions,
  sameAccountStatements: (stack: Stack, region: string) => PolicyStatementJson[],
  properties: Record<string, unknown>,
): CustomResource {
  const stack = Stack.of(scope);
  const region = options.region ?? stack.region;
  const provider = peeringProvider(scope);
  const statements = options.roleArn !== undefined ? [assumeRole(options.roleArn)] : sameAccountStatements(stack, region);
  statements.forEach((statement) => addStatement(provider, statement));
  return new CustomResource(scope, 'Resource', {
    serviceToken: provider.serviceToken,
    resourceType,
    properties: {
      PeeringConnectionId: options.peeringConnectionId,
      Region: region,
      RoleArn: options.roleArn,
      ...properties,
    },
  });
}

/**
 * The statements already on a provider's role, so that several resources add each once. Kept on
 * the provider under a global symbol (not in a module-level WeakMap), so that two copies of the
 * library sharing the stack's one provider add each statement once too.
 */
const PROVIDER_STATEMENTS = Symbol.for('cdk-vpc-connect.PeeringProviderStatements');

function statementsOf(provider: CustomResourceProvider): Set<string> | undefined {
  return (provider as unknown as { [PROVIDER_STATEMENTS]?: Set<string> })[PROVIDER_STATEMENTS];
}

/** The stack's one provider for both resource types. */
function peeringProvider(scope: Construct): CustomResourceProvider {
  const provider = CustomResourceProvider.getOrCreateProvider(scope, PEERING_PROVIDER_ID, {
    codeDirectory: path.join(__dirname, 'handler'),
    runtime: CustomResourceProviderRuntime.NODEJS_24_X,
    timeout: Duration.minutes(15),
    description: 'cdk-vpc-connect: routes and DNS resolution option of VPC peering connections, in this or another account',
  });
  if (!statementsOf(provider)) {
    Object.defineProperty(provider, PROVIDER_STATEMENTS, { value: new Set<string>(), enumerable: false, configurable: true });
    Validations.of(provider).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'The CustomResourceProvider function\'s role only writes its own logs through the AWS managed basic execution policy.',
    });
    Validations.of(provider).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ec2:DescribeVpcPeeringConnections and ec2:DescribeRouteTables support no resource-level permissions; ' +
        'route and peering changes are limited to the given route tables and peering connections.',
    });
  }
  return provider;
}

type PolicyStatementJson = { Effect: 'Allow'; Action: string | string[]; Resource: string | string[] };

function addStatement(provider: CustomResourceProvider, statement: PolicyStatementJson): void {
  const added = statementsOf(provider)!;
  const key = JSON.stringify(statement);
  if (added.has(key)) { return; }
  added.add(key);
  provider.addToRolePolicy(statement);
}

function assumeRole(roleArn: string): PolicyStatementJson {
  return { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn };
}

function describe(action: string): PolicyStatementJson {
  return { Effect: 'Allow', Action: action, Resource: '*' };
}

function ec2Arn(stack: Stack, region: string, resource: string, resourceName: string): string {
  return stack.formatArn({ service: 'ec2', region, resource, resourceName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
}
