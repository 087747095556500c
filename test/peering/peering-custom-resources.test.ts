import { App, Fn, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConnectivityError } from '../../lib/errors';
import {
  PEERING_DNS_RESOURCE_TYPE, PEERING_ROUTES_RESOURCE_TYPE, PeeringDnsResolution, PeeringRoutesResource,
} from '../../lib/peering/private/peering-custom-resources';
import { newApp, synthApp } from '../support/synth-app';

const ENV = { account: '111111111111', region: 'us-east-1' };
const ACCEPTER_ROLE = 'arn:aws:iam::222222222222:role/accepter';

function arn(rest: string) {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] };
}

function newStack(app: App = new App()): Stack {
  return new Stack(app, 'Requester', { env: ENV });
}

/** The inline policy statements of the provider's role. */
function providerStatements(template: Template): unknown[] {
  const roles = Object.values(template.findResources('AWS::IAM::Role'));
  expect(roles).toHaveLength(1);
  return (roles[0] as any).Properties.Policies[0].PolicyDocument.Statement;
}

describe('PeeringRoutesResource', () => {
  test('passes the peering, region, role, tables and destinations split into IPv4 and IPv6', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new PeeringRoutesResource(stack, 'AccepterRoutes', {
      peeringConnectionId: 'pcx-1',
      region: 'eu-west-1',
      roleArn: ACCEPTER_ROLE,
      routeTableIds: ['rtb-1', 'rtb-2'],
      destinations: ['10.0.0.0/16', '2600:1f18::/56', Fn.importValue('RequesterCidr')],
    });

    // THEN
    Template.fromStack(stack).hasResourceProperties(PEERING_ROUTES_RESOURCE_TYPE, {
      ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('CustomVpcConnectPeeringProvider'), 'Arn'] },
      PeeringConnectionId: 'pcx-1',
      Region: 'eu-west-1',
      RoleArn: ACCEPTER_ROLE,
      RouteTableIds: ['rtb-1', 'rtb-2'],
      DestinationCidrBlocks: ['10.0.0.0/16', { 'Fn::ImportValue': 'RequesterCidr' }],
      DestinationIpv6CidrBlocks: ['2600:1f18::/56'],
    });
  });

  test('defaults to the stack region and no role', () => {
    const stack = newStack();

    new PeeringRoutesResource(stack, 'Routes', { peeringConnectionId: 'pcx-1', routeTableIds: ['rtb-1'], destinations: ['10.0.0.0/16'] });

    const [resource] = Object.values(Template.fromStack(stack).findResources(PEERING_ROUTES_RESOURCE_TYPE)) as any[];
    expect(resource.Properties.Region).toBe('us-east-1');
    expect(resource.Properties).not.toHaveProperty('RoleArn');
    expect(resource.Properties.DestinationIpv6CidrBlocks).toEqual([]);
  });

  test('through a role, the function may only assume that role', () => {
    const stack = newStack();

    new PeeringRoutesResource(stack, 'Routes', { peeringConnectionId: 'pcx-1', region: 'eu-west-1', roleArn: ACCEPTER_ROLE, routeTableIds: ['rtb-1'], destinations: ['10.0.0.0/16'] });

    expect(providerStatements(Template.fromStack(stack))).toEqual([
      { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ACCEPTER_ROLE },
    ]);
  });

  test('without a role, the function may change routes only in the given tables of the target region, toward that peering', () => {
    const stack = newStack();

    new PeeringRoutesResource(stack, 'Routes', { peeringConnectionId: 'pcx-1', region: 'eu-west-1', routeTableIds: ['rtb-1', 'rtb-2'], destinations: ['10.0.0.0/16'] });

    const tables = [arn(':ec2:eu-west-1:111111111111:route-table/rtb-1'), arn(':ec2:eu-west-1:111111111111:route-table/rtb-2')];
    expect(providerStatements(Template.fromStack(stack))).toEqual([
      { Effect: 'Allow', Action: ['ec2:CreateRoute', 'ec2:ReplaceRoute'], Resource: [...tables, arn(':ec2:eu-west-1:111111111111:vpc-peering-connection/pcx-1')] },
      { Effect: 'Allow', Action: 'ec2:DeleteRoute', Resource: tables },
      { Effect: 'Allow', Action: 'ec2:DescribeVpcPeeringConnections', Resource: '*' },
      { Effect: 'Allow', Action: 'ec2:DescribeRouteTables', Resource: '*' },
    ]);
  });

  test.each([
    ['no route table', { routeTableIds: [] }, /\[Requester\/Routes\] no route table given for the routes toward pcx-1/],
    ['no destination', { destinations: [] }, /\[Requester\/Routes\] no destination given for the routes toward pcx-1/],
  ])('rejects %s', (_name, props, message) => {
    const stack = newStack();

    const create = () => new PeeringRoutesResource(stack, 'Routes', { peeringConnectionId: 'pcx-1', routeTableIds: ['rtb-1'], destinations: ['10.0.0.0/16'], ...props });

    expect(create).toThrow(message);
    expect(() => new PeeringRoutesResource(stack, 'Routes2', { peeringConnectionId: 'pcx-1', routeTableIds: ['rtb-1'], destinations: ['10.0.0.0/16'], ...props }))
      .toThrow(ConnectivityError);
  });
});

describe('PeeringDnsResolution', () => {
  test.each([
    ['requester', undefined, 'true'],
    ['accepter', false, 'false'],
  ] as const)('passes the %s side and the option as a string', (side, allow, expected) => {
    const stack = newStack();

    new PeeringDnsResolution(stack, 'Dns', { peeringConnectionId: 'pcx-1', side, allowDnsResolutionFromRemoteVpc: allow });

    Template.fromStack(stack).hasResourceProperties(PEERING_DNS_RESOURCE_TYPE, {
      PeeringConnectionId: 'pcx-1',
      Region: 'us-east-1',
      Side: side,
      AllowDnsResolutionFromRemoteVpc: expected,
    });
  });

  test('without a role, the function may modify the options of that peering only, in the side\'s region', () => {
    const stack = newStack();

    new PeeringDnsResolution(stack, 'Dns', { peeringConnectionId: 'pcx-1', side: 'accepter', region: 'eu-west-1' });

    expect(providerStatements(Template.fromStack(stack))).toEqual([
      { Effect: 'Allow', Action: 'ec2:ModifyVpcPeeringConnectionOptions', Resource: arn(':ec2:eu-west-1:111111111111:vpc-peering-connection/pcx-1') },
      { Effect: 'Allow', Action: 'ec2:DescribeVpcPeeringConnections', Resource: '*' },
    ]);
  });

  test('through a role, passes it and only allows assuming it', () => {
    const stack = newStack();

    new PeeringDnsResolution(stack, 'Dns', { peeringConnectionId: 'pcx-1', side: 'accepter', region: 'eu-west-1', roleArn: ACCEPTER_ROLE });

    const template = Template.fromStack(stack);
    template.hasResourceProperties(PEERING_DNS_RESOURCE_TYPE, { RoleArn: ACCEPTER_ROLE, Region: 'eu-west-1' });
    expect(providerStatements(template)).toEqual([{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ACCEPTER_ROLE }]);
  });
});

describe('the peering provider', () => {
  test('several resources in one stack share one function, and each statement is added once', () => {
    // GIVEN
    const stack = newStack();

    // WHEN: two peerings, each with accepter routes and DNS on both sides
    for (const pcx of ['pcx-1', 'pcx-2']) {
      new PeeringRoutesResource(stack, `Routes-${pcx}`, { peeringConnectionId: pcx, region: 'eu-west-1', roleArn: ACCEPTER_ROLE, routeTableIds: ['rtb-1'], destinations: ['10.0.0.0/16'] });
      new PeeringDnsResolution(stack, `RequesterDns-${pcx}`, { peeringConnectionId: pcx, side: 'requester' });
      new PeeringDnsResolution(stack, `AccepterDns-${pcx}`, { peeringConnectionId: pcx, side: 'accepter', region: 'eu-west-1', roleArn: ACCEPTER_ROLE });
    }

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs(PEERING_ROUTES_RESOURCE_TYPE, 2);
    template.resourceCountIs(PEERING_DNS_RESOURCE_TYPE, 4);
    expect(providerStatements(template)).toEqual([
      { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ACCEPTER_ROLE },
      { Effect: 'Allow', Action: 'ec2:ModifyVpcPeeringConnectionOptions', Resource: arn(':ec2:us-east-1:111111111111:vpc-peering-connection/pcx-1') },
      { Effect: 'Allow', Action: 'ec2:DescribeVpcPeeringConnections', Resource: '*' },
      { Effect: 'Allow', Action: 'ec2:ModifyVpcPeeringConnectionOptions', Resource: arn(':ec2:us-east-1:111111111111:vpc-peering-connection/pcx-2') },
    ]);
  });

  test('is a Node.js function with a 15-minute timeout, its code from the handler directory', () => {
    const stack = newStack();

    new PeeringDnsResolution(stack, 'Dns', { peeringConnectionId: 'pcx-1', side: 'requester' });

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Timeout: 900,
      Handler: '__entrypoint__.handler',
      Description: Match.stringLikeRegexp('cdk-vpc-connect'),
    });
  });

  test('each stack gets its own function', () => {
    const app = new App();
    const a = new Stack(app, 'A', { env: ENV });
    const b = new Stack(app, 'B', { env: ENV });

    new PeeringDnsResolution(a, 'Dns', { peeringConnectionId: 'pcx-1', side: 'requester' });
    new PeeringDnsResolution(b, 'Dns', { peeringConnectionId: 'pcx-1', side: 'requester' });

    Template.fromStack(a).resourceCountIs('AWS::Lambda::Function', 1);
    Template.fromStack(b).resourceCountIs('AWS::Lambda::Function', 1);
  });

  test('passes cdk-nag AwsSolutions with only the documented acknowledgements', () => {
    // GIVEN
    const app = newApp();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const stack = newStack(app);

    // WHEN
    new PeeringRoutesResource(stack, 'Routes', { peeringConnectionId: 'pcx-1', routeTableIds: ['rtb-1'], destinations: ['10.0.0.0/16'] });
    new PeeringDnsResolution(stack, 'Dns', { peeringConnectionId: 'pcx-1', side: 'requester' });

    // THEN
    expect(synthApp(app).findings).toEqual([]);
  });
});
