import { Arn, ArnFormat, CfnOutput, Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ConnectivityError } from '../errors';

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
   * Trust only this role of the requester account instead of the whole account.
   * It must be a role of `requesterAccount`.
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
 * - `ec2:CreateRoute`, `ec2:ReplaceRoute` and `ec2:DeleteRoute` on route tables of this VPC,
 *   with (for create and replace) a peering connection of this VPC as target;
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

    this.checkAccount('requesterAccount', props.requesterAccount);
    this.checkRequesterRoleArn(props.requesterAccount, props.requesterRoleArn);
    this.checkVpcId(props.requesterVpcId);
    this.checkRegion(props.requesterRegion);
    this.checkVpcAccount(props.vpc, stack);

    // The VPC's region: an imported VPC may name another region than the role's stack (IAM is global).
    const region = props.vpc.env.region;
    const ec2Arn = (resource: string, resourceName: string) => stack.formatArn({
      service: 'ec2', region, account: stack.account, resource, resourceName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    const vpcArn = ec2Arn('vpc', props.vpc.vpcId);
    const peeringArns = ec2Arn('vpc-peering-connection', '*');
    const routeTableArns = ec2Arn('route-table', '*');
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

    const principal = props.requesterRoleArn !== undefined
      ? new iam.ArnPrincipal(props.requesterRoleArn)
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
      resources: [routeTableArns],
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
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagName(stack, routeTableArns)}]`,
      reason: 'The ec2:Vpc condition restricts route changes to the route tables of this VPC, including tables created later.',
    });

    this.role = role;
    this.roleArn = role.roleArn;

    new CfnOutput(this, 'RoleArn', {
      value: role.roleArn,
      description: `Role that accepts and routes peerings into VPC ${props.vpc.vpcId}: pass it as roleArn to the requester's RemoteVpc`,
    });
  }

  private checkAccount(name: string, account: string): void {
    if (Token.isUnresolved(account)) { return; }
    if (!/^\d{12}$/.test(account)) {
      throw new ConnectivityError(this, `${name} must be an AWS account id of 12 digits, got '${account}'.`);
    }
  }

  private checkRequesterRoleArn(account: string, roleArn?: string): void {
    if (roleArn === undefined || Token.isUnresolved(roleArn)) { return; }
    const match = /^arn:aws[a-z-]*:iam::([^:]*):role\/.+$/.exec(roleArn);
    if (!match) {
      throw new ConnectivityError(this, `requesterRoleArn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got '${roleArn}'.`);
    }
    if (!Token.isUnresolved(account) && match[1] !== account) {
      throw new ConnectivityError(this, `requesterRoleArn ${roleArn} is in account ${match[1]}, not in requesterAccount ${account}. ` +
        'Pass a role of the requester account, or the account that owns the role.');
    }
  }

  private checkVpcId(vpcId?: string): void {
    if (vpcId === undefined || Token.isUnresolved(vpcId)) { return; }
    if (!/^vpc-[0-9a-f]+$/.test(vpcId)) {
      throw new ConnectivityError(this, `requesterVpcId must be a VPC id (vpc-...), got '${vpcId}'.`);
    }
  }

  private checkRegion(region?: string): void {
    if (region === undefined || Token.isUnresolved(region)) { return; }
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
      throw new ConnectivityError(this, `requesterRegion must be a region name such as eu-west-1, got '${region}'.`);
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
