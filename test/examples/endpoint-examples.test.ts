import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { addEndpointExamples } from '../../examples/endpoints';
import { PrivateSubnetEndpointsStack } from '../../examples/private-subnet-endpoints';
import { synthesizedExampleApp, templateOf } from '../support/example-apps';
import { cdkJsonContext } from '../support/synth-app';

/** The example app, synthesized once per jest run (test/support/global-setup.ts). */
const examples = synthesizedExampleApp('examples');

function serviceOf(properties: Record<string, any>): string {
  const parts = properties.ServiceName['Fn::Join'][1];
  return parts[parts.length - 1].replace(/^\./, '');
}

function endpointServices(template: Template, type: 'Interface' | 'Gateway'): string[] {
  return Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: type } }))
    .map((r) => serviceOf(r.Properties)).sort();
}

/** No internet path at all: no NAT gateway, no internet gateway, no route to either. */
function expectNoInternetPath(template: Template): void {
  template.resourceCountIs('AWS::EC2::NatGateway', 0);
  template.resourceCountIs('AWS::EC2::InternetGateway', 0);
  template.resourceCountIs('AWS::EC2::VPCGatewayAttachment', 0);
  const routes = Object.values(template.findResources('AWS::EC2::Route')).map((r) => r.Properties);
  expect(routes.filter((r) => r.GatewayId !== undefined || r.NatGatewayId !== undefined || r.DestinationCidrBlock === '0.0.0.0/0')).toEqual([]);
}

/** The gateway endpoint is attached to the route table of every workload subnet. */
function expectS3GatewayOnEveryTable(template: Template): void {
  const tables = Object.keys(template.findResources('AWS::EC2::RouteTable')).sort();
  const [s3] = Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Gateway' } }));
  expect(s3.Properties.RouteTableIds.map((r: { Ref: string }) => r.Ref).sort()).toEqual(tables);
  expect(tables).toHaveLength(2);
}

describe('example: EC2 instance in a subnet with no internet route', () => {
  // The stack's constructs, for their logical ids; its template is the example app's.
  const stack = new PrivateSubnetEndpointsStack(new App({ context: cdkJsonContext() }), 'PrivateSubnetEndpoints');
  const template = templateOf(examples, stack);

  test('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('has no NAT gateway, no internet gateway and no route to the internet', () => {
    expectNoInternetPath(template);
  });

  test('reaches S3 through the gateway endpoint and Session Manager through ssm, ssmmessages, ec2messages', () => {
    expect(endpointServices(template, 'Gateway')).toEqual(['s3']);
    expect(endpointServices(template, 'Interface')).toEqual(['ec2messages', 'ssm', 'ssmmessages']);
    expectS3GatewayOnEveryTable(template);
  });

  test('the S3 gateway endpoint lets only the example bucket through', () => {
    const [s3] = Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Gateway' } }));
    const bucketId = stack.getLogicalId(stack.bucket.node.defaultChild as s3.CfnBucket);
    expect(s3.Properties.PolicyDocument.Statement).toEqual([expect.objectContaining({
      Principal: { AWS: '*' },
      Resource: [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] }],
    })]);
  });

  test('the instance admits nothing and sends only HTTPS', () => {
    const sgId = stack.getLogicalId(stack.instance.connections.securityGroups[0].node.defaultChild as ec2.CfnSecurityGroup);
    const sg = template.toJSON().Resources[sgId].Properties;
    expect(sg.SecurityGroupIngress).toBeUndefined();
    expect(sg.SecurityGroupEgress).toEqual([expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 })]);
  });
});

describe('example: Fargate task in isolated subnets', () => {
  const template = templateOf(examples, 'FargateEndpoints');

  test('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('has no NAT gateway, no internet gateway and no route to the internet', () => {
    expectNoInternetPath(template);
  });

  test('pulls through ecr.api, ecr.dkr and the S3 gateway, logs through logs, publishes through sns', () => {
    expect(endpointServices(template, 'Interface')).toEqual(['ecr.api', 'ecr.dkr', 'logs', 'sns']);
    expect(endpointServices(template, 'Gateway')).toEqual(['s3']);
    expectS3GatewayOnEveryTable(template);
  });

  test('the service runs in the isolated subnets without a public IP', () => {
    template.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      DesiredCount: 0,
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED' } },
    });
  });
});

/**
 * The endpoint examples, synthesized as `npx cdk synth` does (cdk.json context, cdk-nag
 * AwsSolutions as a validation plugin): what the example app reports of their two stacks.
 */
describe('the endpoint examples pass the validators', () => {
  const ENDPOINT_STACKS = ['FargateEndpoints', 'PrivateSubnetEndpoints'];
  /** Whether a construct path (with or without its leading '/', or a `path: message` warning) is in one of the endpoint stacks. */
  const inEndpointStacks = (constructPath: string) => ENDPOINT_STACKS.includes(constructPath.replace(/^\//, '').split(/[/:]/)[0]);
  const findings = examples.findings.filter((f) => f.paths.some(inEndpointStacks));

  test('synthesizes both stacks', () => {
    const app = new App({ context: cdkJsonContext() });
    addEndpointExamples(app);
    expect(app.node.children.filter(Stack.isStack).map((s) => s.stackName).sort()).toEqual(ENDPOINT_STACKS);
    expect(examples.assembly.stacks.map((s) => s.stackName)).toEqual(expect.arrayContaining(ENDPOINT_STACKS));
  });

  test('@aws/cloudformation-validate reports nothing', () => {
    expect(findings.filter((f) => f.plugin === 'CloudFormation Validate')).toEqual([]);
  });

  test('cdk-nag AwsSolutions reports nothing that is not acknowledged', () => {
    expect(findings.filter((f) => f.plugin !== 'CloudFormation Validate')).toEqual([]);
  });

  test('no warning annotation', () => {
    expect(examples.warnings.filter(inEndpointStacks)).toEqual([]);
  });

  test('needs no context lookup (synthesizes offline)', () => {
    expect(examples.assembly.manifest.missing).toBeUndefined();
  });
});
