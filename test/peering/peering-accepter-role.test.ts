import { App, Aws, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConnectivityError } from '../../lib/errors';
import { PeeringAccepterRole, PeeringAccepterRoleProps } from '../../lib/peering/peering-accepter-role';
import { PeeringDnsResolution } from '../../lib/peering/private/peering-custom-resources';
import { newApp, synthApp } from '../support/synth-app';

const ACCEPTER_ENV = { account: '222222222222', region: 'eu-west-1' };

/** An ARN as CDK renders it: `arn:${AWS::Partition}` followed by `rest`. */
function arn(rest: string) {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] };
}

const VPC_ARN = arn(':ec2:eu-west-1:222222222222:vpc/vpc-0acce970000000001');
const PEERINGS = arn(':ec2:eu-west-1:222222222222:vpc-peering-connection/*');

function accepterStack(app: App = new App()): { stack: Stack; vpc: ec2.IVpc } {
  const stack = new Stack(app, 'Accepter', { env: ACCEPTER_ENV });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0acce970000000001', availabilityZones: ['eu-west-1a'] });
  return { stack, vpc };
}

function role(props: Partial<PeeringAccepterRoleProps> = {}): Template {
  const { stack, vpc } = accepterStack();
  new PeeringAccepterRole(stack, 'AcceptPeering', { vpc, requesterAccount: '111111111111', ...props });
  return Template.fromStack(stack);
}

function policyStatements(template: Template): unknown[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  expect(policies).toHaveLength(1);
  return (policies[0] as any).Properties.PolicyDocument.Statement;
}

function expectedStatements(requesterVpc: unknown): unknown[] {
  const ofThisPeering = { ArnEquals: { 'ec2:AccepterVpc': VPC_ARN, 'ec2:RequesterVpc': requesterVpc } };
  return [
    { Sid: 'AcceptIntoThisVpc', Effect: 'Allow', Action: 'ec2:AcceptVpcPeeringConnection', Resource: VPC_ARN },
    { Sid: 'AcceptPeeringsOfThisVpc', Effect: 'Allow', Action: 'ec2:AcceptVpcPeeringConnection', Resource: PEERINGS, Condition: ofThisPeering },
    {
      Sid: 'RoutesInThisVpc',
      Effect: 'Allow',
      Action: ['ec2:CreateRoute', 'ec2:ReplaceRoute', 'ec2:DeleteRoute'],
      Resource: arn(':ec2:eu-west-1:222222222222:route-table/*'),
      Condition: { ArnEquals: { 'ec2:Vpc': VPC_ARN } },
    },
    {
      Sid: 'RouteTargetAndOptionsOfThisPeering',
      Effect: 'Allow',
      Action: ['ec2:CreateRoute', 'ec2:ReplaceRoute', 'ec2:ModifyVpcPeeringConnectionOptions'],
      Resource: PEERINGS,
      Condition: ofThisPeering,
    },
    { Sid: 'Describe', Effect: 'Allow', Action: ['ec2:DescribeVpcPeeringConnections', 'ec2:DescribeRouteTables'], Resource: '*' },
  ];
}

describe('PeeringAccepterRole', () => {
  test('grants accept, routes and options only for peerings of its VPC from the requester account', () => {
    // WHEN
    const template = role();

    // THEN
    expect(policyStatements(template)).toEqual(expectedStatements(arn(':ec2:*:111111111111:vpc/*')));
  });

  test('narrows the requester condition to the given requester VPC and region', () => {
    const template = role({ requesterVpcId: 'vpc-0beef100', requesterRegion: 'us-east-1' });

    expect(policyStatements(template)).toEqual(expectedStatements(arn(':ec2:us-east-1:111111111111:vpc/vpc-0beef100')));
  });

  test('a requester VPC without a region matches that VPC in any region', () => {
    const template = role({ requesterVpcId: 'vpc-0beef100' });

    expect(policyStatements(template)).toEqual(expectedStatements(arn(':ec2:*:111111111111:vpc/vpc-0beef100')));
  });

  test('uses the region of an imported VPC from another region than the stack', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Accepter', { env: ACCEPTER_ENV });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0acce970000000001', availabilityZones: ['ap-south-1a'], region: 'ap-south-1' });

    // WHEN
    new PeeringAccepterRole(stack, 'AcceptPeering', { vpc, requesterAccount: '111111111111' });

    // THEN
    const statements = policyStatements(Template.fromStack(stack)) as any[];
    expect(statements[0].Resource).toEqual(arn(':ec2:ap-south-1:222222222222:vpc/vpc-0acce970000000001'));
    expect(statements[2].Resource).toEqual(arn(':ec2:ap-south-1:222222222222:route-table/*'));
  });

  test('is trusted by the requester account only, for sts:AssumeRole only', () => {
    const template = role();

    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: arn(':iam::111111111111:root') } }],
      },
    });
  });

  test('with requesterRoleArn, is trusted by that role and by the peering functions of the requester account, by aws:PrincipalArn', () => {
    // WHEN
    const template = role({ requesterRoleArn: 'arn:aws:iam::111111111111:role/deployer' });

    // THEN: CloudFormation's PeerRoleArn request (the deploying role) and the custom resources'
    // function (a role under /cdk-vpc-connect/) both assume the role
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { AWS: arn(':iam::111111111111:root') },
          Condition: {
            ArnLike: {
              'aws:PrincipalArn': [
                'arn:aws:iam::111111111111:role/deployer',
                { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:role/cdk-vpc-connect/*']] },
              ],
            },
          },
        }],
      },
    });
  });

  test('the function role path it trusts is the path of the requester stack\'s peering function', () => {
    // GIVEN the requester side: a peering function acting through the accepter role
    const app = new App();
    const requester = new Stack(app, 'Requester', { env: { account: '111111111111', region: 'us-east-1' } });
    new PeeringDnsResolution(requester, 'Dns', { peeringConnectionId: 'pcx-0123456789abcdef0', side: 'accepter', roleArn: 'arn:aws:iam::222222222222:role/x' });
    const [fnRole] = Object.values(Template.fromStack(requester).findResources('AWS::IAM::Role')) as any[];

    // WHEN the accepter role narrows its trust to a deploying role
    const template = role({ requesterRoleArn: 'arn:aws:iam::111111111111:role/deployer' });

    // THEN the pattern it trusts covers the function's role, whatever CloudFormation names it
    const trusted = (Object.values(template.findResources('AWS::IAM::Role'))[0] as any)
      .Properties.AssumeRolePolicyDocument.Statement[0].Condition.ArnLike['aws:PrincipalArn'][1]['Fn::Join'][1][2] as string;
    expect(trusted).toBe(`:iam::111111111111:role${fnRole.Properties.Path}*`);
  });

  test('accepts ArnLike wildcards in the name of requesterRoleArn (the CDK execution roles of every region)', () => {
    const template = role({ requesterRoleArn: 'arn:aws:iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-*' });

    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Condition: { ArnLike: { 'aws:PrincipalArn': Match.arrayWith(['arn:aws:iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-*']) } },
        })],
      },
    });
  });

  test('routeTableIds narrows route changes to those tables of the VPC', () => {
    // WHEN
    const template = role({ routeTableIds: ['rtb-0aaaaaaaaaaaaaaa1', 'rtb-0aaaaaaaaaaaaaaa2'] });

    // THEN
    const statements = policyStatements(template) as any[];
    const expected = expectedStatements(arn(':ec2:*:111111111111:vpc/*')) as any[];
    expected[2] = {
      ...expected[2],
      Resource: [
        arn(':ec2:eu-west-1:222222222222:route-table/rtb-0aaaaaaaaaaaaaaa1'),
        arn(':ec2:eu-west-1:222222222222:route-table/rtb-0aaaaaaaaaaaaaaa2'),
      ],
    };
    expect(statements).toEqual(expected);
    // no statement lets the role change routes of any other table
    const routeStatements = statements.filter((s) => [s.Action].flat().some((a: string) => /Route$/.test(a)));
    expect(JSON.stringify(routeStatements)).not.toMatch(/route-table\/\*/);
  });

  test('routeTableIds takes the deploy-time ids of a VPC of the stack', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Accepter', { env: ACCEPTER_ENV });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });

    // WHEN
    new PeeringAccepterRole(stack, 'AcceptPeering', {
      vpc, requesterAccount: '111111111111', routeTableIds: vpc.isolatedSubnets.map((s) => s.routeTable.routeTableId),
    });

    // THEN
    const routes = (policyStatements(Template.fromStack(stack)) as any[]).find((s) => s.Sid === 'RoutesInThisVpc');
    expect(routes.Resource).toHaveLength(2);
    expect(routes.Resource[0]).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:eu-west-1:222222222222:route-table/', { Ref: expect.stringMatching(/^VpcIsolatedSubnet1RouteTable/) }]] });
  });

  test('outputs its ARN and exposes it', () => {
    // GIVEN
    const { stack, vpc } = accepterStack();

    // WHEN
    const accepter = new PeeringAccepterRole(stack, 'AcceptPeering', { vpc, requesterAccount: '111111111111' });

    // THEN
    const template = Template.fromStack(stack);
    const [roleId] = Object.keys(template.findResources('AWS::IAM::Role'));
    const outputs = Object.values(template.findOutputs('*'));
    expect(outputs).toEqual([expect.objectContaining({ Value: { 'Fn::GetAtt': [roleId, 'Arn'] } })]);
    expect(stack.resolve(accepter.roleArn)).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    expect(accepter.role.roleArn).toBe(accepter.roleArn);
    expect(accepter.node.defaultChild).toBe(accepter.role);
  });

  test('two roles coexist in one stack: no fixed role name, one output each', () => {
    // GIVEN
    const { stack, vpc } = accepterStack();
    const other = ec2.Vpc.fromVpcAttributes(stack, 'Other', { vpcId: 'vpc-0a0e7000', availabilityZones: ['eu-west-1a'] });

    // WHEN
    new PeeringAccepterRole(stack, 'AcceptA', { vpc, requesterAccount: '111111111111' });
    new PeeringAccepterRole(stack, 'AcceptB', { vpc: other, requesterAccount: '333333333333' });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 2);
    template.resourceCountIs('AWS::IAM::Policy', 2);
    template.resourcePropertiesCountIs('AWS::IAM::Role', { RoleName: Match.anyValue() }, 0);
    expect(Object.keys(template.findOutputs('*'))).toHaveLength(2);
  });

  test('accepts tokens for the account and the requester values without checking them', () => {
    const { stack, vpc } = accepterStack();

    expect(() => new PeeringAccepterRole(stack, 'AcceptPeering', {
      vpc,
      requesterAccount: Aws.ACCOUNT_ID,
      requesterRoleArn: `arn:aws:iam::${Aws.ACCOUNT_ID}:role/x`,
      requesterVpcId: Aws.STACK_NAME,
      requesterRegion: Aws.REGION,
    })).not.toThrow();
  });

  test.each([
    ['an account id that is not 12 digits', { requesterAccount: '1234' }, /\[Accepter\/AcceptPeering\] requesterAccount '1234' is not an AWS account id: an account id is 12 digits/],
    ['an account id with letters', { requesterAccount: '11111111111a' }, /requesterAccount '11111111111a' is not an AWS account id/],
    ['a role ARN of another account', { requesterRoleArn: 'arn:aws:iam::999999999999:role/deployer' }, /requesterRoleArn 'arn:aws:iam::999999999999:role\/deployer' is in account 999999999999, not in requesterAccount 111111111111/],
    ['a requesterRoleArn that is not a role ARN', { requesterRoleArn: 'arn:aws:iam::111111111111:user/alice' }, /requesterRoleArn 'arn:aws:iam::111111111111:user\/alice' is not an IAM role ARN/],
    ['a malformed requester VPC id', { requesterVpcId: 'my-vpc' }, /\[Accepter\/AcceptPeering\] requesterVpcId: 'my-vpc' is not a VPC id: expected 'vpc-'/],
    ['a malformed requester region', { requesterRegion: 'Ireland' }, /\[Accepter\/AcceptPeering\] requesterRegion 'Ireland' is not an AWS region known to aws-cdk-lib's region information/],
    ['a requester region unknown to aws-cdk-lib', { requesterRegion: 'mars-1' }, /requesterRegion 'mars-1' is not an AWS region/],
    ['an empty routeTableIds', { routeTableIds: [] }, /\[Accepter\/AcceptPeering\] routeTableIds is empty: the role could route no table of VPC Accepter\/Vpc.*leave routeTableIds out/],
    ['a malformed route table id', { routeTableIds: ['rtb-0aaaaaaaaaaaaaaa1', 'main'] }, /\[Accepter\/AcceptPeering\] routeTableIds: 'main' is not a route table id: expected 'rtb-'/],
    ['an empty route table id', { routeTableIds: [''] }, /routeTableIds: an empty string is not a route table id/],
    ['a route table listed twice', { routeTableIds: ['rtb-0aaaaaaaaaaaaaaa1', 'rtb-0aaaaaaaaaaaaaaa1'] }, /routeTableIds lists 'rtb-0aaaaaaaaaaaaaaa1' more than once: list each route table once/],
    ['a requesterRoleArn with a wildcard in its account', { requesterRoleArn: 'arn:aws:iam::*:role/deployer' }, /requesterRoleArn 'arn:aws:iam::\*:role\/deployer' is not an IAM role ARN: its account '\*' is not 12 digits/],
    ['a requesterRoleArn with a bad character in its name', { requesterRoleArn: 'arn:aws:iam::111111111111:role/de ployer*' }, /requesterRoleArn 'arn:aws:iam::111111111111:role\/de ployer\*' is not an IAM role ARN: the role name/],
  ])('rejects %s', (_name, props, message) => {
    const { stack, vpc } = accepterStack();

    expect(() => new PeeringAccepterRole(stack, 'AcceptPeering', { vpc, requesterAccount: '111111111111', ...props }))
      .toThrow(message);
    expect(() => new PeeringAccepterRole(stack, 'AcceptPeering2', { vpc, requesterAccount: '111111111111', ...props }))
      .toThrow(ConnectivityError);
  });

  test('rejects an imported VPC whose id is malformed', () => {
    const stack = new Stack(new App(), 'Accepter', { env: ACCEPTER_ENV });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'subnet-123', availabilityZones: ['eu-west-1a'] });

    expect(() => new PeeringAccepterRole(stack, 'AcceptPeering', { vpc, requesterAccount: '111111111111' }))
      .toThrow(/\[Accepter\/AcceptPeering\] the id of VPC Accepter\/Vpc: 'subnet-123' is not a VPC id/);
  });

  test('rejects a VPC of another account than its stack', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Accepter', { env: ACCEPTER_ENV });
    const otherAccount = new Stack(app, 'Network', { env: { account: '444444444444', region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(otherAccount, 'Vpc', { maxAzs: 1 });

    // THEN
    expect(() => new PeeringAccepterRole(stack, 'AcceptPeering', { vpc, requesterAccount: '111111111111' }))
      .toThrow(/VPC Network\/Vpc is in account 444444444444, but the role's stack Accepter is in account 222222222222/);
  });

  test.each([
    ['an environment-agnostic stack', undefined, false],
    ['a stack with account and region', ACCEPTER_ENV, false],
    ['a stack with account and region, narrowed to route tables', ACCEPTER_ENV, true],
  ])('passes cdk-nag AwsSolutions in %s (only the documented wildcards are acknowledged)', (_name, env, narrowed) => {
    // GIVEN
    const app = newApp();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const stack = new Stack(app, 'Accepter', { env });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    Validations.of(vpc).acknowledge({ id: 'AwsSolutions-VPC7', reason: 'test VPC without flow logs' });

    // WHEN
    new PeeringAccepterRole(stack, 'AcceptPeering', {
      vpc,
      requesterAccount: '111111111111',
      routeTableIds: narrowed ? vpc.isolatedSubnets.map((s) => s.routeTable.routeTableId) : undefined,
    });

    // THEN
    const { findings } = synthApp(app);
    expect(findings).toEqual([]);
  });
});
