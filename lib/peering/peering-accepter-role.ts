import { Arn, ArnFormat, CfnOutput, Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ConnectivityError } from '../errors';
import { PEERING_PROVIDER_ROLE_PATH } from './private/peering-custom-resources';
import {
  checkAccountId, checkRegion, checkRoleArn, checkRouteTableId, checkVpcId, describeValue, findDuplicates,
} from '../private/identifiers';

/**
 * Properties of a {@link PeeringAccepterRole}.
 */
export interface PeeringAccepterRoleProps {
  /**
   * The VPC that accepts the peering. It must belong to the account of the stack that
   * holds the role.
   */
  readonly vpc: ec2.IVpc;

  /**
   * The account (12 digits) that requests the peering and manages this side of it:
   * CloudFormation accepts the request through this role (`PeerRoleArn`), and the
   * requester stack's custom resources create the routes and set the DNS option.
   */
  readonly requesterAccount: string;

  /**
   * Trust, in the requester account, only the role that deploys the requester stack, and
   * the peering functions of cdk-vpc-connect, instead of every principal of the account.
   *
   * Two principals of the requester account assume the accepter role:
   * 1. CloudFormation, when it creates the peering connection with `PeerRoleArn`, with the
   *    credentials of the requester stack's deployment: the CloudFormation execution role
   *    of the CDK bootstrap (`arn:aws:iam::<account>:role/cdk-hnb659fds-cfn-exec-role-<account>-<region>`)
   *    or the role passed with `--role-arn`. Pass that role here; `*` and `?` wildcards are
   *    allowed in its name (for example `...:role/cdk-hnb659fds-cfn-exec-role-111111111111-*`
   *    for every region).
   * 2. The function behind the requester stack's custom resources, which creates this side's
   *    routes and sets its DNS option. Its role has no fixed name: cdk-vpc-connect creates
   *    it under the IAM path `/cdk-vpc-connect/`, and the role trusts every role under that
   *    path of the requester account.
   *
   * The trust policy names the account as principal, with an `ArnLike` condition on
   * `aws:PrincipalArn` listing both. It must be a role of `requesterAccount`.
   *
   * @default - any principal of `requesterAccount` that its own IAM policies allow to assume the role
   */
  readonly requesterRoleArn?: string;

  /**
   * Accept, route to and modify only peering connections requested from this VPC of the
   * requester account.
   *
   * @default - any VPC of `requesterAccount`
   */
  readonly requesterVpcId?: string;

  /**
   * The region of the requester VPC, to narrow the requester condition to it.
   *
   * @default - any region (the account, and the VPC id when given, still have to match)
   */
  readonly requesterRegion?: string;

  /**
   * Let the role create, replace and delete routes only in these route tables of the VPC
   * (route table ids, `rtb-...`): the tables the requester routes toward the peering, the
   * `routeTableIds` of its `RemoteVpc`.
   *
   * Without it, the requester account may change routes in every route table of the VPC,
   * including the routes to the internet gateway and NAT gateways: deleting them, or
   * pointing them at a peering connection of this VPC.
   *
   * @default - every route table of the VPC, including tables created later
   */
  readonly routeTableIds?: string[];
}

/**
 * A role in the accepter account that lets the requester account accept a peering
 * request into one VPC, route the accepter's tables toward it and set its options.
 *
 * Deploy it once, before the requester's stack, and pass its ARN (the `RoleArn` output)
 * to the requester's `RemoteVpc`. The role has no fixed name, so several accepter roles
 * (one per VPC or per requester) coexist in one account.
 *
 * Its policy is scoped to the VPC:
 * - `ec2:AcceptVpcPeeringConnection` on the VPC, and on peering connections whose accepter
 *   VPC is this VPC and whose requester VPC belongs to the requester account (or is the
 *   given requester VPC);
 * - `ec2:CreateRoute`, `ec2:ReplaceRoute` and `ec2:DeleteRoute` on route tables of this VPC
 *   (every table, or the `routeTableIds` given), with (for create and replace) a peering
 *   connection of this VPC as target;
 * - `ec2:ModifyVpcPeeringConnectionOptions` on peering connections of this VPC;
 * - `ec2:DescribeVpcPeeringConnections` and `ec2:DescribeRouteTables`, which support no
 *   resource-level permissions.
 *
 * @example
 * const role = new PeeringAccepterRole(accepterStack, 'AcceptPeering', {
 *   vpc: accepterVpc,
 *   requesterAccount: '111111111111',
 * });
 */
export class PeeringAccepterRole extends Construct {
  /** The role. */
  public readonly role: iam.IRole;

  /** The ARN of the role: pass it as `roleArn` to the requester's `RemoteVpc`. */
  public readonly roleArn: string;

  constructor(scope: Construct, id: string, props: PeeringAccepterRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.checkAccount(props.requesterAccount);
    this.checkRequesterRoleArn(props.requesterAccount, props.requesterRoleArn);
    this.checkVpcId('requesterVpcId', props.requesterVpcId);
    this.checkVpcId(`the id of VPC ${props.vpc.node.path}`, props.vpc.vpcId);
    this.checkRegion(props.requesterRegion);
    this.checkRouteTableIds(props.vpc, props.routeTableIds);
    this.checkVpcAccount(props.vpc, stack);

    // The VPC's region: an imported VPC may name another region than the role's stack (IAM is global).
    const region = props.vpc.env.region;
    const ec2Arn = (resource: string, resourceName: string) => stack.formatArn({
      service: 'ec2', region, account: stack.account, resource, resourceName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    const vpcArn = ec2Arn('vpc', props.vpc.vpcId);
    const peeringArns = ec2Arn('vpc-peering-connection', '*');
    const routeTableArns = ec2Arn('route-table', '*');
    const routeTables = props.routeTableIds !== undefined
      ? props.routeTableIds.map((id) => ec2Arn('route-table', id))
      : [routeTableArns];
    const requesterVpcArn = Arn.format({
      partition: stack.partition,
      service: 'ec2',
      region: props.requesterRegion ?? '*',
      account: props.requesterAccount,
      resource: 'vpc',
      resourceName: props.requesterVpcId ?? '*',
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    // Condition keys of the vpc-peering-connection resource (Service Authorization Reference,
    // Amazon EC2; the VPC Peering Guide's IAM examples use them with ArnEquals).
    const ofThisPeering = { ArnEquals: { 'ec2:AccepterVpc': vpcArn, 'ec2:RequesterVpc': requesterVpcArn } };

    // The requester's deploying role (CloudFormation's PeerRoleArn request) and the peering
    // functions of its stacks (under PEERING_PROVIDER_ROLE_PATH) both assume the role.
    const principal = props.requesterRoleArn !== undefined
      ? new iam.AccountPrincipal(props.requesterAccount).withConditions({
        ArnLike: {
          'aws:PrincipalArn': [
            props.requesterRoleArn,
            `arn:${stack.partition}:iam::${props.requesterAccount}:role${PEERING_PROVIDER_ROLE_PATH}*`,
          ],
        },
      })
      : new iam.AccountPrincipal(props.requesterAccount);
    const role = new iam.Role(this, 'Resource', {
      assumedBy: principal,
      description: `Lets account ${props.requesterAccount} accept peering requests into VPC ${props.vpc.vpcId} and route it (cdk-vpc-connect)`,
    });

    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'AcceptIntoThisVpc',
      actions: ['ec2:AcceptVpcPeeringConnection'],
      resources: [vpcArn],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'AcceptPeeringsOfThisVpc',
      actions: ['ec2:AcceptVpcPeeringConnection'],
      resources: [peeringArns],
      conditions: ofThisPeering,
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'RoutesInThisVpc',
      actions: ['ec2:CreateRoute', 'ec2:ReplaceRoute', 'ec2:DeleteRoute'],
      resources: routeTables,
      conditions: { ArnEquals: { 'ec2:Vpc': vpcArn } },
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'RouteTargetAndOptionsOfThisPeering',
      actions: ['ec2:CreateRoute', 'ec2:ReplaceRoute', 'ec2:ModifyVpcPeeringConnectionOptions'],
      resources: [peeringArns],
      conditions: ofThisPeering,
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'Describe',
      actions: ['ec2:DescribeVpcPeeringConnections', 'ec2:DescribeRouteTables'],
      resources: ['*'],
    }));
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ec2:DescribeVpcPeeringConnections and ec2:DescribeRouteTables support no resource-level permissions; ' +
        'every other action is scoped to this VPC, its route tables and its peering connections.',
    });
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagName(stack, peeringArns)}]`,
      reason: 'Peering connection ids are not known before the requester creates them; ' +
        'the ec2:AccepterVpc and ec2:RequesterVpc conditions restrict the statement to peerings of this VPC.',
    });
    if (props.routeTableIds === undefined) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagName(stack, routeTableArns)}]`,
        reason: 'The ec2:Vpc condition restricts route changes to the route tables of this VPC, including tables created later; ' +
          'pass routeTableIds to narrow them to the tables the peering routes.',
      });
    }

    this.role = role;
    this.roleArn = role.roleArn;

    new CfnOutput(this, 'RoleArn', {
      value: role.roleArn,
      description: `Role that accepts and routes peerings into VPC ${props.vpc.vpcId}: pass it as roleArn to the requester's RemoteVpc`,
    });
  }

  private checkAccount(account: string): void {
    const problem = checkAccountId(account);
    if (problem !== undefined) {
      throw new ConnectivityError(this, `requesterAccount ${problem}. Pass the account that deploys the requester stack.`);
    }
  }

  private checkRequesterRoleArn(account: string, roleArn?: string): void {
    if (roleArn === undefined) { return; }
    // ArnLike wildcards are allowed in the role's path and name (not in its account): check the
    // ARN with them as letters, and name the ARN as given.
    const role = roleArn.indexOf(':role/');
    const checked = Token.isUnresolved(roleArn) || role < 0
      ? roleArn
      : roleArn.slice(0, role) + roleArn.slice(role).replace(/[*?]/g, 'x');
    const check = checkRoleArn(checked);
    if (check.problem !== undefined) {
      const problem = check.problem.replace(describeValue(checked), describeValue(roleArn));
      throw new ConnectivityError(this, `requesterRoleArn ${problem}. Pass the role that deploys the requester stack.`);
    }
    if (check.account !== undefined && !Token.isUnresolved(account) && check.account !== account) {
      throw new ConnectivityError(this, `requesterRoleArn ${describeValue(roleArn, this)} is in account ${check.account}, not in requesterAccount ${account}. ` +
        'Pass a role of the requester account, or the account that owns the role.');
    }
  }

  private checkVpcId(name: string, vpcId?: string): void {
    if (vpcId === undefined) { return; }
    const problem = checkVpcId(vpcId);
    if (problem !== undefined) {
      throw new ConnectivityError(this, `${name}: ${problem}.`);
    }
  }

  private checkRegion(region?: string): void {
    if (region === undefined) { return; }
    const problem = checkRegion(region);
    if (problem !== undefined) {
      throw new ConnectivityError(this, `requesterRegion ${problem}.`);
    }
  }

  private checkRouteTableIds(vpc: ec2.IVpc, routeTableIds?: string[]): void {
    if (routeTableIds === undefined) { return; }
    if (routeTableIds.length === 0) {
      throw new ConnectivityError(this, `routeTableIds is empty: the role could route no table of VPC ${vpc.node.path}, and the requester's routes ` +
        'on this side would fail at deploy. List the route tables the peering routes (the RemoteVpc\'s routeTableIds), or leave routeTableIds out ' +
        'to allow every route table of the VPC.');
    }
    for (const id of routeTableIds) {
      const problem = checkRouteTableId(id);
      if (problem !== undefined) {
        throw new ConnectivityError(this, `routeTableIds: ${problem}. List the ids of route tables of VPC ${vpc.node.path}.`);
      }
    }
    const duplicates = findDuplicates(routeTableIds);
    if (duplicates.length > 0) {
      throw new ConnectivityError(this, `routeTableIds lists ${duplicates.map((d) => describeValue(d, this)).join(', ')} more than once: list each route table once.`);
    }
  }

  private checkVpcAccount(vpc: ec2.IVpc, stack: Stack): void {
    const vpcAccount = vpc.env.account;
    if (Token.isUnresolved(vpcAccount) || Token.isUnresolved(stack.account) || vpcAccount === stack.account) { return; }
    throw new ConnectivityError(this, `VPC ${vpc.node.path} is in account ${vpcAccount}, but the role's stack ${stack.stackName} is in account ` +
      `${stack.account}. Create the PeeringAccepterRole in a stack of the VPC's account.`);
  }
}

/**
 * How cdk-nag names a resource in its finding ids: the resolved ARN, with each `Ref` of a
 * pseudo parameter written as `<AWS::Xxx>`.
 */
function nagName(stack: Stack, arn: string): string {
  const resolved = stack.resolve(arn);
  if (typeof resolved === 'string') { return resolved; }
  const join = resolved?.['Fn::Join'];
  if (!Array.isArray(join)) { return JSON.stringify(resolved); }
  const [separator, parts] = join as [string, unknown[]];
  return parts.map((part) => {
    if (typeof part === 'string') { return part; }
    const ref = (part as { Ref?: string }).Ref;
    return ref !== undefined ? `<${ref}>` : JSON.stringify(part);
  }).join(separator);
}
