import * as crypto from 'crypto';
import * as path from 'path';
import { ArnFormat, CfnElement, CustomResource, Lazy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct, IConstruct } from 'constructs';
import { ConnectivityError } from '../../errors';
import {
  canonicalCidr, checkCidr, checkPeeringConnectionId, checkRegion, checkRoleArn, checkRouteTableId, describeValue, findDuplicates,
} from '../../private/identifiers';
import {
  IStackProvider, PolicyStatementJson, PROVIDER_FUNCTION_TIMEOUT, PROVIDER_ROLE_PATH, PROVIDER_SERVICE_TIMEOUT, stackProvider,
} from '../../private/provider-function';
import { fnv1a } from '../../routing/route-tables';
import { skipWhenScanningForCidrBlocks } from '../../routing/vpc-network';

/** The resource type of the routes a {@link PeeringRoutesResource} manages. */
export const PEERING_ROUTES_RESOURCE_TYPE = 'Custom::VpcConnectPeeringRoutes';
/** The resource type of the DNS option a {@link PeeringDnsResolution} manages. */
export const PEERING_DNS_RESOURCE_TYPE = 'Custom::VpcConnectPeeringDns';
/** The id of the one provider (Lambda function) per stack that serves both types. */
export const PEERING_PROVIDER_ID = 'Custom::VpcConnectPeeringProvider';

/**
 * The construct id of the provider at the root of its stack. 0.1 made the provider with
 * aws-cdk-lib's `CustomResourceProvider`, which appends `CustomResourceProvider` to the id; the
 * same id, with children `Role` and `Handler`, gives the same logical ids
 * (`CustomVpcConnectPeeringProviderCustomResourceProviderHandler0E954537`...). They must not
 * change: CloudFormation refuses to change a custom resource's `ServiceToken` ("Modifying service
 * token is not allowed"), so a stack deployed with 0.1 has to keep the same function.
 */
const PROVIDER_CONSTRUCT_ID = `${PEERING_PROVIDER_ID}CustomResourceProvider`;

/**
 * The provider function's timeout: Lambda's maximum, 15 minutes
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html). The handler budgets
 * its waiting and its work from the time the invocation has left, so it answers CloudFormation
 * before the function is stopped.
 */
export const PEERING_FUNCTION_TIMEOUT = PROVIDER_FUNCTION_TIMEOUT;

/**
 * How long CloudFormation waits for an answer of the provider (`ServiceTimeout` of each custom
 * resource, 1 to 3600 seconds, 3600 by default:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudformation-customresource.html).
 * The function's timeout plus a minute for the invocation to start and the answer to arrive: a
 * function that died without answering fails the operation after 16 minutes, not after an hour.
 */
export const PEERING_SERVICE_TIMEOUT = PROVIDER_SERVICE_TIMEOUT;

/**
 * The IAM path of the provider function's role in every stack. A `PeeringAccepterRole` given a
 * `requesterRoleArn` also trusts the roles under this path of the requester account
 * (`arn:<partition>:iam::<account>:role/cdk-vpc-connect/*`): they are the functions that create
 * the accepter's routes and set its DNS option through the role.
 */
export const PEERING_PROVIDER_ROLE_PATH = PROVIDER_ROLE_PATH;


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
    checkCommonOptions(this, props);
    const toward = `the routes toward ${describeValue(props.peeringConnectionId, this)}`;
    if (props.routeTableIds.length === 0) {
      throw new ConnectivityError(this, `no route table given for ${toward}: pass at least one route table id.`);
    }
    if (props.destinations.length === 0) {
      throw new ConnectivityError(this, `no destination given for ${toward}: pass at least one CIDR block.`);
    }
    for (const table of props.routeTableIds) {
      const problem = checkRouteTableId(table);
      if (problem !== undefined) {
        throw new ConnectivityError(this, `route table ${problem}. List the ids of the accepter's route tables (the \`rtb-...\` ids of its VPC) for ${toward}.`);
      }
    }
    const duplicateTables = findDuplicates(props.routeTableIds);
    if (duplicateTables.length > 0) {
      throw new ConnectivityError(this, `route table ${duplicateTables.map((t) => describeValue(t, this)).join(', ')} is listed more than once for ${toward}: ` +
        'list each route table once.');
    }
    for (const destination of props.destinations) {
      const problem = checkCidr(destination);
      if (problem !== undefined) {
        throw new ConnectivityError(this, `destination ${problem}. Pass the CIDR blocks of the peer VPC for ${toward}.`);
      }
    }
    const duplicateDestinations = findDuplicates(props.destinations, canonicalCidr);
    if (duplicateDestinations.length > 0) {
      throw new ConnectivityError(this, `destination ${duplicateDestinations.map((d) => describeValue(d, this)).join(', ')} is listed more than once for ${toward}: ` +
        'a route table holds one route per destination; list each block once.');
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
    // The handler lists its own stack's resources (cloudformation:ListStackResources) to see which
    // other routes resource of the stack serves the same peering (a logical-id change), with the
    // function's own credentials, whichever account the routes are in.
    PeeringProvider.of(this).addToRolePolicy({ Effect: 'Allow', Action: 'cloudformation:ListStackResources', Resource: Stack.of(this).stackId });
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
    checkCommonOptions(this, props);
    if (props.side !== 'requester' && props.side !== 'accepter') {
      throw new ConnectivityError(this, `side ${describeValue(props.side, this)} is not a side of a peering connection: pass 'requester' or 'accepter'.`);
    }
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
 * The checks of the properties both resource types send: a value the handler would reject at
 * deploy (and, on an update, again on the rollback) is rejected here, at synth. Tokens are
 * deploy-time values and are not checked.
 */
function checkCommonOptions(scope: Construct, options: PeeringCustomResourceOptions): void {
  const peeringProblem = checkPeeringConnectionId(options.peeringConnectionId);
  if (peeringProblem !== undefined) {
    throw new ConnectivityError(scope, `peering connection ${peeringProblem}. Pass the id of the peering connection (its \`ref\`).`);
  }
  if (options.region !== undefined) {
    const regionProblem = checkRegion(options.region);
    if (regionProblem !== undefined) {
      throw new ConnectivityError(scope, `region ${regionProblem}.`);
    }
  }
  if (options.roleArn !== undefined) {
    const role = checkRoleArn(options.roleArn);
    if (role.problem !== undefined) {
      throw new ConnectivityError(scope, `role ${role.problem}. Pass the RoleArn output of the other account's PeeringAccepterRole.`);
    }
    // A role of one partition cannot act in a region of another (aws, aws-cn, aws-us-gov...).
    const regionPartition = options.region !== undefined && !Token.isUnresolved(options.region)
      ? RegionInfo.get(options.region).partition
      : undefined;
    if (role.partition !== undefined && regionPartition !== undefined && role.partition !== regionPartition) {
      throw new ConnectivityError(scope, `role ${describeValue(options.roleArn, scope)} is in partition ${role.partition}, but region ${options.region} ` +
        `is in partition ${regionPartition}: pass a role of the region's partition (arn:${regionPartition}:iam::...).`);
    }
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
  properties: { [name: string]: unknown },
): CustomResource {
  const stack = Stack.of(scope);
  const region = options.region ?? stack.region;
  const provider = PeeringProvider.of(scope);
  const statements = options.roleArn !== undefined ? [assumeRole(options.roleArn)] : sameAccountStatements(stack, region);
  statements.forEach((statement) => provider.addToRolePolicy(statement));
  return new CustomResource(scope, 'Resource', {
    serviceToken: provider.serviceToken,
    serviceTimeout: PEERING_SERVICE_TIMEOUT,
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
 * The stack's one function for both resource types, with its role: real `AWS::IAM::Role` and
 * `AWS::Lambda::Function` L1s (`ProviderFunction`), so that rule packs such as cdk-nag's inspect
 * them, in place of aws-cdk-lib's `CustomResourceProvider` (plain `CfnResource`s) that 0.1 used,
 * with the same logical ids and the same `ServiceToken`. The code is the handler directory
 * (`index.js`) staged with the library's own entrypoint (`__entrypoint__.js`, shared by every
 * provider: `handlerCode`), with the contract of the entrypoint `CustomResourceProvider`
 * packaged in 0.1. The runtime's bundled AWS SDK v3 is used: nothing is downloaded at deploy.
 */
const PeeringProvider = {
  /** The stack's provider, created on first use. */
  of(scope: IConstruct): IStackProvider {
    return stackProvider(scope, {
      constructId: PROVIDER_CONSTRUCT_ID,
      brand: Symbol.for('cdk-vpc-connect.PeeringProvider'),
      whenTaken: ' (a copy of cdk-vpc-connect older than 1.0 in the same app?): use one version of cdk-vpc-connect per app.',
      handlerDir: path.join(__dirname, 'handler'),
      description: 'cdk-vpc-connect: routes and DNS resolution option of VPC peering connections, in this or another account',
      wildcardReason: 'ec2:DescribeVpcPeeringConnections and ec2:DescribeRouteTables support no resource-level permissions; ' +
        'route and option changes are limited to the given route tables and peering connections, or made through an accepter role.',
    });
  },
};

function assumeRole(roleArn: string): PolicyStatementJson {
  return { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn };
}

function describe(action: string): PolicyStatementJson {
  return { Effect: 'Allow', Action: action, Resource: '*' };
}

function ec2Arn(stack: Stack, region: string, resource: string, resourceName: string): string {
  return stack.formatArn({ service: 'ec2', region, resource, resourceName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
}

/** The resource type of the values a {@link StackValues} reads from another stack. */
export const STACK_VALUES_RESOURCE_TYPE = 'Custom::VpcConnectStackValues';

const STACK_VALUES_BRAND = Symbol.for('cdk-vpc-connect.StackValues');

/**
 * The physical ids (`Ref`) of resources of another stack of the same account and region, read at
 * deploy time by the stack's peering provider (cloudformation:ListStackResources), in place of an
 * export and `Fn::ImportValue`.
 *
 * Why: CloudFormation refuses to remove an export while a stack imports it, so a mesh member whose
 * values later members import could not leave the mesh in one `cdk deploy --all` (its stack deploys
 * first and drops the exports), and a routes stack removed from the app kept its VPC stacks'
 * exports locked. A read holds nothing: the producer may drop the resource at any time, and the
 * reader fails clearly only when it needs a value that is gone.
 *
 * One resource per reading stack and stack read, holding every value read from it. Its
 * `Fingerprint` changes when a value may change (the logical ids, and the CIDR settings of the
 * VPCs whose replacement replaces them), so the consumer reads again and updates what uses them.
 * No automatic stack dependency is added: the caller orders the stacks.
 */
export class StackValues extends Construct {
  /** The values `consumer` reads from `producer`, created on first use. */
  public static of(consumer: Stack, producer: Stack): StackValues {
    const id = `VpcConnectValues${fnv1a(producer.node.path)}`;
    const existing = consumer.node.tryFindChild(id);
    if (existing === undefined) {
      return new StackValues(consumer, id, producer);
    }
    if (!(STACK_VALUES_BRAND in existing)) {
      throw new ConnectivityError(existing, `the construct id ${id} of stack ${consumer.node.path} is taken by another construct: ` +
        'use one version of cdk-vpc-connect per app.');
    }
    return existing as unknown as StackValues;
  }

  /** The custom resource. */
  public readonly resource: CustomResource;
  private readonly elements = new Map<string, CfnElement>();

  private constructor(consumer: Stack, id: string, private readonly producer: Stack) {
    super(consumer, id);
    Object.defineProperty(this, STACK_VALUES_BRAND, { value: true });
    skipWhenScanningForCidrBlocks(this);
    const provider = PeeringProvider.of(consumer);
    // A stack's ARN ends with an id assigned when it is created: the name is all that is known here.
    const stackArn = consumer.formatArn({ service: 'cloudformation', resource: 'stack', resourceName: `${producer.stackName}/*` });
    provider.addToRolePolicy({ Effect: 'Allow', Action: 'cloudformation:ListStackResources', Resource: stackArn });
    // As cdk-nag names the resource: the ARN when it is literal, else with its pseudo parameters as <AWS::...>.
    const resolvedArn = consumer.resolve(stackArn);
    const nagArn = typeof resolvedArn === 'string' ? resolvedArn
      : `arn:<AWS::Partition>:cloudformation:${Token.isUnresolved(consumer.region) ? '<AWS::Region>' : consumer.region}:`
        + `${Token.isUnresolved(consumer.account) ? '<AWS::AccountId>' : consumer.account}:stack/${producer.stackName}/*`;
    Validations.of(provider as unknown as IConstruct).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArn}]`,
      reason: `The function reads the resources of stack ${producer.stackName} (cloudformation:ListStackResources, read only); ` +
        'a stack ARN ends with an id CloudFormation assigns at creation, so the stack is named and its id is a wildcard.',
    });
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      serviceTimeout: PEERING_SERVICE_TIMEOUT,
      resourceType: STACK_VALUES_RESOURCE_TYPE,
      properties: {
        StackName: producer.stackName,
        Values: Lazy.any({ produce: () => this.logicalIds() }),
        Fingerprint: Lazy.string({ produce: () => this.fingerprint() }),
      },
    });
  }

  /**
   * The physical id of `element` (a resource of the producer stack), as a deploy-time value of
   * this stack.
   */
  public refOf(element: CfnElement): string {
    const attribute = `V${fnv1a(element.node.path)}`;
    this.elements.set(attribute, element);
    return this.resource.getAttString(attribute);
  }

  private logicalIds(): { [attribute: string]: string } {
    const values: { [attribute: string]: string } = {};
    for (const attribute of [...this.elements.keys()].sort()) {
      values[attribute] = this.producer.resolve(this.elements.get(attribute)!.logicalId);
    }
    return values;
  }

  private fingerprint(): string {
    const parts: unknown[] = [];
    for (const attribute of [...this.elements.keys()].sort()) {
      const element = this.elements.get(attribute)!;
      const vpc = enclosingCfnVpc(element);
      parts.push([attribute, this.producer.resolve(element.logicalId),
        vpc && this.producer.resolve({ c: vpc.cidrBlock, p: vpc.ipv4IpamPoolId, n: vpc.ipv4NetmaskLength, v: vpc.logicalId })]);
    }
    return crypto.createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
  }
}

/** The `AWS::EC2::VPC` that `element` is, or belongs to (the L2 VPC above it in the tree), if any. */
function enclosingCfnVpc(element: CfnElement): ec2.CfnVPC | undefined {
  if (ec2.CfnVPC.isCfnVPC(element)) { return element; }
  for (let scope = element.node.scope; scope; scope = scope.node.scope) {
    const child = scope.node.defaultChild;
    if (child && ec2.CfnVPC.isCfnVPC(child)) { return child; }
  }
  return undefined;
}
