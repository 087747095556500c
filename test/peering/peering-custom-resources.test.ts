import * as fs from 'fs';
import * as path from 'path';
import { App, Fn, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks, rules } from 'cdk-nag';
import { Construct } from 'constructs';
import { ConnectivityError } from '../../lib/errors';
import {
  PEERING_DNS_RESOURCE_TYPE, PEERING_FUNCTION_TIMEOUT, PEERING_PROVIDER_ROLE_PATH, PEERING_ROUTES_RESOURCE_TYPE, PEERING_SERVICE_TIMEOUT,
  PeeringDnsResolution, PeeringRoutesResource, PeeringRoutesResourceProps, StackValues,
} from '../../lib/peering/private/peering-custom-resources';
import { synthesizedExampleApp, templateOf } from '../support/example-apps';
import { newApp, synthApp } from '../support/synth-app';

const ENV = { account: '111111111111', region: 'us-east-1' };
const ACCEPTER_ROLE = 'arn:aws:iam::222222222222:role/accepter';
const PCX = 'pcx-0123456789abcdef0';
const PCX2 = 'pcx-0fedcba9876543210';
const RTB1 = 'rtb-0aaaaaaaaaaaaaaa1';
const RTB2 = 'rtb-0aaaaaaaaaaaaaaa2';

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

/** The handler reads its own stack's resources to see a logical-id change (another resource serving the same peering). */
const LIST_OWN_STACK = { Effect: 'Allow', Action: 'cloudformation:ListStackResources', Resource: { Ref: 'AWS::StackId' } };

const ROUTES: PeeringRoutesResourceProps = { peeringConnectionId: PCX, routeTableIds: [RTB1], destinations: ['10.0.0.0/16'] };

describe('PeeringRoutesResource', () => {
  test('passes the peering, region, role, tables and destinations split into IPv4 and IPv6', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new PeeringRoutesResource(stack, 'AccepterRoutes', {
      peeringConnectionId: PCX,
      region: 'eu-west-1',
      roleArn: ACCEPTER_ROLE,
      routeTableIds: [RTB1, RTB2],
      destinations: ['10.0.0.0/16', '2600:1f18::/56', Fn.importValue('RequesterCidr')],
    });

    // THEN
    Template.fromStack(stack).hasResourceProperties(PEERING_ROUTES_RESOURCE_TYPE, {
      ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('CustomVpcConnectPeeringProvider'), 'Arn'] },
      PeeringConnectionId: PCX,
      Region: 'eu-west-1',
      RoleArn: ACCEPTER_ROLE,
      RouteTableIds: [RTB1, RTB2],
      DestinationCidrBlocks: ['10.0.0.0/16', { 'Fn::ImportValue': 'RequesterCidr' }],
      DestinationIpv6CidrBlocks: ['2600:1f18::/56'],
    });
  });

  test('defaults to the stack region and no role', () => {
    const stack = newStack();

    new PeeringRoutesResource(stack, 'Routes', ROUTES);

    const [resource] = Object.values(Template.fromStack(stack).findResources(PEERING_ROUTES_RESOURCE_TYPE)) as any[];
    expect(resource.Properties.Region).toBe('us-east-1');
    expect(resource.Properties).not.toHaveProperty('RoleArn');
    expect(resource.Properties.DestinationIpv6CidrBlocks).toEqual([]);
  });

  test('through a role, the function may only assume that role, and list the resources of its own stack', () => {
    const stack = newStack();

    new PeeringRoutesResource(stack, 'Routes', { ...ROUTES, region: 'eu-west-1', roleArn: ACCEPTER_ROLE });

    expect(providerStatements(Template.fromStack(stack))).toEqual([
      { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ACCEPTER_ROLE },
      LIST_OWN_STACK,
    ]);
  });

  test('without a role, the function may change routes only in the given tables of the target region, toward that peering', () => {
    const stack = newStack();

    new PeeringRoutesResource(stack, 'Routes', { ...ROUTES, region: 'eu-west-1', routeTableIds: [RTB1, RTB2] });

    const tables = [arn(`:ec2:eu-west-1:111111111111:route-table/${RTB1}`), arn(`:ec2:eu-west-1:111111111111:route-table/${RTB2}`)];
    expect(providerStatements(Template.fromStack(stack))).toEqual([
      { Effect: 'Allow', Action: ['ec2:CreateRoute', 'ec2:ReplaceRoute'], Resource: [...tables, arn(`:ec2:eu-west-1:111111111111:vpc-peering-connection/${PCX}`)] },
      { Effect: 'Allow', Action: 'ec2:DeleteRoute', Resource: tables },
      { Effect: 'Allow', Action: 'ec2:DescribeVpcPeeringConnections', Resource: '*' },
      { Effect: 'Allow', Action: 'ec2:DescribeRouteTables', Resource: '*' },
      LIST_OWN_STACK,
    ]);
  });

  test('takes deploy-time values (the peering\'s ref, imported blocks and tables, the stack\'s region) without checking them', () => {
    // GIVEN an environment-agnostic stack: its region is a token
    const stack = new Stack(new App(), 'Agnostic');

    // WHEN
    new PeeringRoutesResource(stack, 'Routes', {
      peeringConnectionId: Fn.importValue('PeeringId'),
      routeTableIds: [Fn.importValue('Table')],
      destinations: [Fn.importValue('Cidr'), Fn.importValue('Cidr2')],
      roleArn: Fn.importValue('Role'),
    });

    // THEN the values are passed through as given
    Template.fromStack(stack).hasResourceProperties(PEERING_ROUTES_RESOURCE_TYPE, {
      PeeringConnectionId: { 'Fn::ImportValue': 'PeeringId' },
      Region: { Ref: 'AWS::Region' },
      RouteTableIds: [{ 'Fn::ImportValue': 'Table' }],
      DestinationCidrBlocks: [{ 'Fn::ImportValue': 'Cidr' }, { 'Fn::ImportValue': 'Cidr2' }],
    });
  });

  // A value the handler would reject at deploy fails the synth instead: at deploy, a bad property
  // fails the update and then its rollback (UPDATE_ROLLBACK_FAILED).
  test.each<[string, Partial<PeeringRoutesResourceProps>, RegExp]>([
    ['no route table', { routeTableIds: [] }, /^\[Requester\/Routes\] no route table given for the routes toward 'pcx-0123456789abcdef0': pass at least one route table id\.$/],
    ['no destination', { destinations: [] }, /^\[Requester\/Routes\] no destination given for the routes toward 'pcx-0123456789abcdef0': pass at least one CIDR block\.$/],
    ['a malformed route table id', { routeTableIds: [RTB1, 'rtb-a'] },
      /^\[Requester\/Routes\] route table 'rtb-a' is not a route table id: expected 'rtb-' followed by 8 or 17 lowercase hexadecimal digits.*List the ids of the accepter's route tables/],
    ['an empty route table id', { routeTableIds: [''] }, /\[Requester\/Routes\] route table an empty string is not a route table id/],
    ['a route table listed twice', { routeTableIds: [RTB1, RTB2, RTB1] }, /\[Requester\/Routes\] route table 'rtb-0aaaaaaaaaaaaaaa1' is listed more than once .*list each route table once/],
    ['a destination with host bits', { destinations: ['10.2.0.1/16'] }, /\[Requester\/Routes\] destination '10\.2\.0\.1\/16' has host bits set; the network is 10\.2\.0\.0\/16\. Pass the CIDR blocks of the peer VPC/],
    ['a destination that is not a CIDR block', { destinations: ['10.0.0.0/33'] }, /\[Requester\/Routes\] destination .*10\.0\.0\.0\/33/],
    ['a destination listed twice', { destinations: ['10.0.0.0/16', '2600:1f18::/56', '10.0.0.0/16'] },
      /\[Requester\/Routes\] destination '10\.0\.0\.0\/16' is listed more than once .*a route table holds one route per destination/],
    ['an IPv6 destination listed twice in two spellings', { destinations: ['2600:1f18:0::/56', '2600:1f18::/56'] }, /destination '2600:1f18:0::\/56' is listed more than once/],
    ['a malformed peering id', { peeringConnectionId: 'not-a-pcx' },
      /^\[Requester\/Routes\] peering connection 'not-a-pcx' is not a VPC peering connection id: expected 'pcx-'.*Pass the id of the peering connection/],
    ['an unknown region', { region: 'mars-1' }, /^\[Requester\/Routes\] region 'mars-1' is not an AWS region known to aws-cdk-lib's region information/],
    ['a role ARN that is not a role', { roleArn: 'arn:aws:iam::222222222222:user/alice' },
      /^\[Requester\/Routes\] role 'arn:aws:iam::222222222222:user\/alice' is not an IAM role ARN.*Pass the RoleArn output of the other account's PeeringAccepterRole/],
    ['a role of another partition than the region', { region: 'cn-north-1', roleArn: ACCEPTER_ROLE },
      /^\[Requester\/Routes\] role 'arn:aws:iam::222222222222:role\/accepter' is in partition aws, but region cn-north-1 is in partition aws-cn: pass a role of the region's partition \(arn:aws-cn:iam::...\)\.$/],
  ])('rejects %s at synth', (_name, props, message) => {
    const stack = newStack();

    expect(() => new PeeringRoutesResource(stack, 'Routes', { ...ROUTES, ...props })).toThrow(message);
    expect(() => new PeeringRoutesResource(stack, 'Routes2', { ...ROUTES, ...props })).toThrow(ConnectivityError);
  });

  test('describes a deploy-time peering id in its messages instead of printing the token', () => {
    // GIVEN
    const stack = newStack();
    const pcx = new iam.CfnRole(stack, 'SomeResource', { assumeRolePolicyDocument: {} }).ref;

    // THEN
    let message = '';
    try {
      new PeeringRoutesResource(stack, 'Routes', { ...ROUTES, peeringConnectionId: pcx, routeTableIds: [] });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/no route table given for the routes toward <deploy-time value of Requester\/SomeResource>/);
    expect(message).not.toMatch(/Token\[/);
  });
});

describe('PeeringDnsResolution', () => {
  test.each([
    ['requester', undefined, 'true'],
    ['accepter', false, 'false'],
  ] as const)('passes the %s side and the option as a string', (side, allow, expected) => {
    const stack = newStack();

    new PeeringDnsResolution(stack, 'Dns', { peeringConnectionId: PCX, side, allowDnsResolutionFromRemoteVpc: allow });

    Template.fromStack(stack).hasResourceProperties(PEERING_DNS_RESOURCE_TYPE, {
      PeeringConnectionId: PCX,
      Region: 'us-east-1',
      Side: side,
      AllowDnsResolutionFromRemoteVpc: expected,
    });
  });

  test('without a role, the function may modify the options of that peering only, in the side\'s region', () => {
    const stack = newStack();

    new PeeringDnsResolution(stack, 'Dns', { peeringConnectionId: PCX, side: 'accepter', region: 'eu-west-1' });

    expect(providerStatements(Template.fromStack(stack))).toEqual([
      { Effect: 'Allow', Action: 'ec2:ModifyVpcPeeringConnectionOptions', Resource: arn(`:ec2:eu-west-1:111111111111:vpc-peering-connection/${PCX}`) },
      { Effect: 'Allow', Action: 'ec2:DescribeVpcPeeringConnections', Resource: '*' },
    ]);
  });

  test('through a role, passes it and only allows assuming it', () => {
    const stack = newStack();

    new PeeringDnsResolution(stack, 'Dns', { peeringConnectionId: PCX, side: 'accepter', region: 'eu-west-1', roleArn: ACCEPTER_ROLE });

    const template = Template.fromStack(stack);
    template.hasResourceProperties(PEERING_DNS_RESOURCE_TYPE, { RoleArn: ACCEPTER_ROLE, Region: 'eu-west-1' });
    expect(providerStatements(template)).toEqual([{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ACCEPTER_ROLE }]);
  });

  test.each<[string, object, RegExp]>([
    ['a side that is neither requester nor accepter', { side: 'both' }, /^\[Requester\/Dns\] side 'both' is not a side of a peering connection: pass 'requester' or 'accepter'\.$/],
    ['a malformed peering id', { peeringConnectionId: 'pcx-xyz' }, /^\[Requester\/Dns\] peering connection 'pcx-xyz' is not a VPC peering connection id/],
    ['an unknown region', { region: 'eu-middle-9' }, /^\[Requester\/Dns\] region 'eu-middle-9' is not an AWS region known/],
    ['a role ARN with a malformed account', { roleArn: 'arn:aws:iam::2222:role/accepter' }, /^\[Requester\/Dns\] role 'arn:aws:iam::2222:role\/accepter' is not an IAM role ARN: its account '2222' is not 12 digits/],
  ])('rejects %s at synth', (_name, props, message) => {
    const stack = newStack();

    expect(() => new PeeringDnsResolution(stack, 'Dns', { peeringConnectionId: PCX, side: 'accepter', ...props } as any)).toThrow(message);
  });
});

describe('the peering provider', () => {
  test('several resources in one stack share one function, and each statement is added once', () => {
    // GIVEN
    const stack = newStack();

    // WHEN: two peerings, each with accepter routes and DNS on both sides
    for (const pcx of [PCX, PCX2]) {
      new PeeringRoutesResource(stack, `Routes-${pcx}`, { peeringConnectionId: pcx, region: 'eu-west-1', roleArn: ACCEPTER_ROLE, routeTableIds: [RTB1], destinations: ['10.0.0.0/16'] });
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
      LIST_OWN_STACK,
      { Effect: 'Allow', Action: 'ec2:ModifyVpcPeeringConnectionOptions', Resource: arn(`:ec2:us-east-1:111111111111:vpc-peering-connection/${PCX}`) },
      { Effect: 'Allow', Action: 'ec2:DescribeVpcPeeringConnections', Resource: '*' },
      { Effect: 'Allow', Action: 'ec2:ModifyVpcPeeringConnectionOptions', Resource: arn(`:ec2:us-east-1:111111111111:vpc-peering-connection/${PCX2}`) },
    ]);
  });

  test('is a Node.js function with Lambda\'s maximum timeout (15 minutes), packaged with the library\'s own entrypoint', () => {
    // GIVEN
    const app = new App();
    const stack = newStack(app);

    // WHEN
    new PeeringDnsResolution(stack, 'Dns', { peeringConnectionId: PCX, side: 'requester' });

    // THEN
    expect(PEERING_FUNCTION_TIMEOUT.toSeconds()).toBe(900);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Timeout: 900,
      Handler: '__entrypoint__.handler',
      Description: Match.stringLikeRegexp('cdk-vpc-connect'),
    });
    // the zip is the peering handler, the library's one entrypoint that answers CloudFormation and the shared AWS-call helpers
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function')) as any[];
    const hash = (fn.Properties.Code.S3Key as string).replace(/\.zip$/, '');
    const staged = path.join(app.outdir, `asset.${hash}`);
    const handlerDir = path.join(__dirname, '../../lib/peering/private/handler');
    const entrypointDir = path.join(__dirname, '../../lib/private/handler');
    expect(fs.readdirSync(staged).sort()).toEqual(['__entrypoint__.js', 'aws-calls.js', 'index.js']);
    expect(fs.readFileSync(path.join(staged, 'aws-calls.js'), 'utf8')).toBe(fs.readFileSync(path.join(entrypointDir, 'aws-calls.js'), 'utf8'));
    expect(fs.readFileSync(path.join(staged, 'index.js'), 'utf8')).toBe(fs.readFileSync(path.join(handlerDir, 'index.js'), 'utf8'));
    expect(fs.readFileSync(path.join(staged, '__entrypoint__.js'), 'utf8')).toBe(fs.readFileSync(path.join(entrypointDir, '__entrypoint__.js'), 'utf8'));
    // the entrypoint is the library's, not a file of aws-cdk-lib's
    expect(fs.readFileSync(path.join(staged, '__entrypoint__.js'), 'utf8')).toMatch(/^\/\/ @ts-check\n'use strict';\n\/\*\n \* The Lambda entrypoint of cdk-vpc-connect/);
  });

  test('every custom resource tells CloudFormation to wait for the function\'s timeout plus a minute, not an hour', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new PeeringRoutesResource(stack, 'Routes', ROUTES);
    new PeeringDnsResolution(stack, 'Dns', { peeringConnectionId: PCX, side: 'requester' });

    // THEN
    expect(PEERING_SERVICE_TIMEOUT.toSeconds()).toBe(PEERING_FUNCTION_TIMEOUT.toSeconds() + 60);
    const template = Template.fromStack(stack);
    for (const type of [PEERING_ROUTES_RESOURCE_TYPE, PEERING_DNS_RESOURCE_TYPE]) {
      template.hasResourceProperties(type, { ServiceTimeout: '960' });
    }
  });

  test('each stack gets its own function', () => {
    const app = new App();
    const a = new Stack(app, 'A', { env: ENV });
    const b = new Stack(app, 'B', { env: ENV });

    new PeeringDnsResolution(a, 'Dns', { peeringConnectionId: PCX, side: 'requester' });
    new PeeringDnsResolution(b, 'Dns', { peeringConnectionId: PCX, side: 'requester' });

    Template.fromStack(a).resourceCountIs('AWS::Lambda::Function', 1);
    Template.fromStack(b).resourceCountIs('AWS::Lambda::Function', 1);
  });

  test('two copies of the library in one app share the stack\'s one function', async () => {
    // GIVEN a second copy of the module (as a second copy of the library in node_modules)
    let other: typeof import('../../lib/peering/private/peering-custom-resources') | undefined;
    await jest.isolateModulesAsync(async () => { other = await import('../../lib/peering/private/peering-custom-resources'); });
    expect(other!.PeeringDnsResolution).not.toBe(PeeringDnsResolution);
    const stack = newStack();

    // WHEN each copy adds a resource
    new PeeringDnsResolution(stack, 'Dns', { peeringConnectionId: PCX, side: 'requester' });
    new other!.PeeringDnsResolution(stack, 'Dns2', { peeringConnectionId: PCX2, side: 'requester' });

    // THEN one function serves both, with the statements of both
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    expect(providerStatements(template)).toEqual(expect.arrayContaining([
      expect.objectContaining({ Resource: arn(`:ec2:us-east-1:111111111111:vpc-peering-connection/${PCX}`) }),
      expect.objectContaining({ Resource: arn(`:ec2:us-east-1:111111111111:vpc-peering-connection/${PCX2}`) }),
    ]));
  });

  test('a construct of another kind at the provider\'s id (a copy older than 1.0) is a clear error', () => {
    // GIVEN
    const stack = newStack();
    new Construct(stack, 'Custom::VpcConnectPeeringProviderCustomResourceProvider');

    // THEN
    expect(() => new PeeringDnsResolution(stack, 'Dns', { peeringConnectionId: PCX, side: 'requester' }))
      .toThrow(/^\[Requester\/Custom::VpcConnectPeeringProviderCustomResourceProvider\] the construct id Custom::VpcConnectPeeringProviderCustomResourceProvider of stack Requester is taken by another construct .*use one version of cdk-vpc-connect per app/);
  });

  test('its role is under the IAM path that accepter roles given a requesterRoleArn trust', () => {
    const stack = newStack();

    new PeeringDnsResolution(stack, 'Dns', { peeringConnectionId: PCX, side: 'requester' });

    expect(PEERING_PROVIDER_ROLE_PATH).toBe('/cdk-vpc-connect/');
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      Path: '/cdk-vpc-connect/',
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }] },
    });
  });

  test('its role and function are IAM and Lambda L1s, which cdk-nag\'s rules inspect', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new PeeringRoutesResource(stack, 'Routes', ROUTES);

    // THEN the rules see the role's managed policy and wildcard, and the function's runtime
    const resources = stack.node.findAll();
    const roles = resources.filter((c): c is iam.CfnRole => c instanceof iam.CfnRole);
    const functions = resources.filter((c): c is lambda.CfnFunction => c instanceof lambda.CfnFunction);
    expect(roles).toHaveLength(1);
    expect(functions).toHaveLength(1);
    expect(rules.iam.IAMNoManagedPolicies(roles[0])).toEqual(['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']);
    expect(rules.iam.IAMNoWildcardPermissions(roles[0])).toEqual(['Resource::*']);
    expect(rules.lambda.LambdaLatestVersion(functions[0])).toBe('Compliant');
  });

  test('passes cdk-nag AwsSolutions with only the documented acknowledgements', () => {
    // GIVEN
    const app = newApp();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const stack = newStack(app);

    // WHEN
    new PeeringRoutesResource(stack, 'Routes', ROUTES);
    new PeeringDnsResolution(stack, 'Dns', { peeringConnectionId: PCX, side: 'requester' });

    // THEN
    expect(synthApp(app).findings).toEqual([]);
  });
});

describe('upgrade from 0.1', () => {
  // CloudFormation refuses to change a custom resource's ServiceToken ("Modifying service token is
  // not allowed"): the provider keeps the logical ids of 0.1's CustomResourceProvider, so stacks
  // deployed with 0.1 keep their function. These are the ids of the committed 0.1 snapshot.
  const HANDLER = 'CustomVpcConnectPeeringProviderCustomResourceProviderHandler0E954537';
  const ROLE = 'CustomVpcConnectPeeringProviderCustomResourceProviderRole2B933926';
  const CUSTOM_RESOURCES = ['PeeringAccepterDnsResolutionE458A9BE', 'PeeringAccepterRoutes43F971ED', 'PeeringRequesterDnsResolutionF29397A6'];

  test('the cross-account example keeps the provider\'s logical ids and each custom resource\'s ServiceToken', () => {
    // GIVEN the committed snapshot of the example's requester stack
    const snapshot = fs.readFileSync(path.join(__dirname, '../examples/__snapshots__/peering-examples.test.ts.snap'), 'utf8');
    const requester = snapshot.slice(snapshot.indexOf('template snapshots: CrossAccountPeering-Requester'));
    for (const id of [HANDLER, ROLE, ...CUSTOM_RESOURCES]) {
      expect(requester).toContain(`"${id}": {`);
    }

    // WHEN
    const template = templateOf(synthesizedExampleApp('crossAccountPeering'), 'CrossAccountPeering-Requester').toJSON();

    // THEN
    expect(template.Resources[HANDLER].Type).toBe('AWS::Lambda::Function');
    expect(template.Resources[ROLE].Type).toBe('AWS::IAM::Role');
    expect(template.Resources[HANDLER].Properties.Role).toEqual({ 'Fn::GetAtt': [ROLE, 'Arn'] });
    const custom = Object.entries(template.Resources as Record<string, any>)
      .filter(([, r]) => r.Type === PEERING_ROUTES_RESOURCE_TYPE || r.Type === PEERING_DNS_RESOURCE_TYPE);
    expect(custom.map(([id]) => id).sort()).toEqual(CUSTOM_RESOURCES);
    for (const [, resource] of custom) {
      expect(resource.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [HANDLER, 'Arn'] });
    }
    // and no property that forces the function's replacement (FunctionName) appears
    expect(template.Resources[HANDLER].Properties).not.toHaveProperty('FunctionName');
  });
});

describe('StackValues', () => {
  test('one read per stack read, with every value, and a role that may list that stack\'s resources only', () => {
    // GIVEN a producer stack with a VPC and a consumer stack of the same environment
    const app = newApp();
    const producer = new Stack(app, 'Producer', { env: ENV, stackName: 'network-producer' });
    const consumer = newStack(app);
    const vpc = new ec2.CfnVPC(producer, 'Vpc', { cidrBlock: '10.0.0.0/16' });
    const table = new ec2.CfnRouteTable(producer, 'Table', { vpcId: vpc.ref });

    // WHEN the consumer reads both
    const values = StackValues.of(consumer, producer);
    new ec2.CfnRoute(consumer, 'Route', { routeTableId: values.refOf(table), destinationCidrBlock: '10.9.0.0/16', gatewayId: 'igw-0123456789abcdef0' });
    new ec2.CfnVPCPeeringConnection(consumer, 'Peering', { vpcId: 'vpc-0123456789abcdef0', peerVpcId: StackValues.of(consumer, producer).refOf(vpc) });

    // THEN one resource reads the two logical ids of stack network-producer
    const template = Template.fromStack(consumer);
    template.resourceCountIs('Custom::VpcConnectStackValues', 1);
    const [read] = Object.values(template.findResources('Custom::VpcConnectStackValues')) as any[];
    expect(read.Properties.StackName).toBe('network-producer');
    expect(Object.values(read.Properties.Values).sort()).toEqual(['Table', 'Vpc']);
    expect(read.Properties.Fingerprint).toMatch(/^[0-9a-f]{16}$/);
    // no import, no stack dependency
    expect(JSON.stringify(template.toJSON())).not.toMatch(/Fn::ImportValue/);
    expect(consumer.dependencies).toEqual([]);
    expect(providerStatements(template)).toContainEqual({
      Effect: 'Allow', Action: 'cloudformation:ListStackResources', Resource: 'arn:aws:cloudformation:us-east-1:111111111111:stack/network-producer/*',
    });
  });

  test('passes cdk-nag AwsSolutions: the wildcard on the stack read is acknowledged with its reason', () => {
    const app = newApp();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const producer = new Stack(app, 'Producer', { env: ENV, stackName: 'network-producer' });
    const vpc = new ec2.CfnVPC(producer, 'Vpc', { cidrBlock: '10.0.0.0/16' });
    Validations.of(vpc).acknowledge({ id: 'AwsSolutions-VPC7', reason: 'A bare VPC for the provider to read: its flow logs are not this test\'s subject.' });
    const consumer = newStack(app);
    new ec2.CfnVPCPeeringConnection(consumer, 'Peering', { vpcId: 'vpc-0123456789abcdef0', peerVpcId: StackValues.of(consumer, producer).refOf(vpc) });

    expect(synthApp(app).findings).toEqual([]);
  });

  test('the fingerprint changes when the VPC read (or the VPC of a table read) would be replaced, so the reader reads again', () => {
    const fingerprint = (cidr: string): string => {
      const app = new App();
      const producer = new Stack(app, 'Producer', { env: ENV });
      const consumer = newStack(app);
      const vpc = new ec2.Vpc(producer, 'Vpc', { ipAddresses: ec2.IpAddresses.cidr(cidr), natGateways: 0, maxAzs: 1 });
      const table = vpc.publicSubnets[0].routeTable;
      const cfnTable = vpc.publicSubnets[0].node.findChild('RouteTable') as ec2.CfnRouteTable;
      expect(cfnTable.ref).toBe(table.routeTableId);
      StackValues.of(consumer, producer).refOf(cfnTable);
      const [read] = Object.values(Template.fromStack(consumer).findResources('Custom::VpcConnectStackValues')) as any[];
      return read.Properties.Fingerprint;
    };

    expect(fingerprint('10.0.0.0/16')).toBe(fingerprint('10.0.0.0/16'));
    expect(fingerprint('10.0.0.0/16')).not.toBe(fingerprint('10.1.0.0/16'));
  });

  test('a construct of another kind with its id in the stack is a clear error', () => {
    const app = new App();
    const producer = new Stack(app, 'Producer', { env: ENV });
    const id = StackValues.of(newStack(app), producer).node.id;
    const taken = new Stack(app, 'Taken', { env: ENV });
    new Construct(taken, id);

    expect(() => StackValues.of(taken, producer)).toThrow(ConnectivityError);
    expect(() => StackValues.of(taken, producer)).toThrow(new RegExp(`the construct id ${id} of stack Taken is taken by another construct: use one version of cdk-vpc-connect per app`));
  });
});
