import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CrossRegionPeeringStacks } from '../../examples/cross-region-peering';
import { DefaultVpcPeeringStack } from '../../examples/default-vpc-peering';
import { constructExampleApp, synthesizedExampleApp, templateOf } from '../support/example-apps';
import { cdkJsonContext } from '../support/synth-app';

/**
 * The example app, synthesized once per jest run (test/support/global-setup.ts). The tests
 * build the stacks they need constructs of again, without synthesizing them, and read the
 * templates of those stacks from this app.
 */
const examples = synthesizedExampleApp('examples');

function peeringRoutes(template: Template): Array<Record<string, any>> {
  return Object.values(template.findResources('AWS::EC2::Route', { Properties: { VpcPeeringConnectionId: Match.anyValue() } }))
    .map((r) => r.Properties);
}

describe('example: VPC-1 peered with the default VPC', () => {
  const template = templateOf(examples, 'DefaultVpcPeering');

  test('both sides route to each other: VPC-1 tables to 172.31.0.0/16, the shared main table once to 10.0.0.0/16', () => {
    const routes = peeringRoutes(template);
    expect(routes.filter((r) => r.DestinationCidrBlock === '172.31.0.0/16')).toHaveLength(4);
    const back = routes.filter((r) => r.DestinationCidrBlock === '10.0.0.0/16');
    expect(back).toHaveLength(1);
    expect(back[0].RouteTableId).toEqual({ Ref: expect.stringMatching(/^DefaultVpcMainRouteTable/) });
  });

  test('the instance admits ICMP and SSH from the default VPC, the default-VPC group from VPC-1, nothing from anywhere', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: Match.arrayWith([
        Match.objectLike({ CidrIp: '172.31.0.0/16', IpProtocol: 'icmp' }),
        Match.objectLike({ CidrIp: '172.31.0.0/16', IpProtocol: 'tcp', FromPort: 22, ToPort: 22 }),
      ]),
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [
        Match.objectLike({ CidrIp: '10.0.0.0/16', IpProtocol: 'icmp' }),
        Match.objectLike({ CidrIp: '10.0.0.0/16', IpProtocol: 'tcp', FromPort: 22, ToPort: 22 }),
      ],
    });
    const open = template.findResources('AWS::EC2::SecurityGroup', {
      Properties: { SecurityGroupIngress: Match.arrayWith([Match.objectLike({ CidrIp: '0.0.0.0/0' })]) },
    });
    expect(Object.keys(open)).toHaveLength(0);
  });

  test('template snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});

describe('example: same-account cross-region peering', () => {
  // Built as addPeeringExamples builds it, for its constructs; its templates are the example app's.
  const app = new App({ context: cdkJsonContext() });
  const example = new CrossRegionPeeringStacks(app, 'CrossRegionPeering', { requesterRegion: 'us-east-1', accepterRegion: 'eu-west-1' });
  const routesStack = Stack.of(example.peering.accepterRoutes[0]);

  test('the connection names the accepter region and each side routes to the other', () => {
    templateOf(examples, example.requesterStack).hasResourceProperties('AWS::EC2::VPCPeeringConnection', { PeerRegion: 'eu-west-1' });
    expect(peeringRoutes(templateOf(examples, example.requesterStack)).map((r) => r.DestinationCidrBlock)).toEqual(['10.20.0.0/16', '10.20.0.0/16']);
    expect(routesStack.region).toBe('eu-west-1');
    expect(peeringRoutes(templateOf(examples, routesStack)).map((r) => r.DestinationCidrBlock)).toEqual(['10.10.0.0/16', '10.10.0.0/16']);
    // (stack dependencies are settled at synthesis: read them from the synthesized app)
    expect(examples.assembly.getStackArtifact(routesStack.artifactId).dependencies.map((d) => d.id))
      .toEqual(expect.arrayContaining([example.requesterStack.artifactId, example.accepterStack.artifactId]));
  });

  test('template snapshots', () => {
    for (const stack of [example.accepterStack, example.requesterStack, routesStack]) {
      expect(templateOf(examples, stack).toJSON()).toMatchSnapshot(stack.stackName);
    }
  });
});

test('a VPC with the default VPC\'s shape keeps every subnet on one route table', () => {
  const app = new App({ context: cdkJsonContext() });
  const stack = new DefaultVpcPeeringStack(app, 'DefaultVpcPeering');
  const associations = templateOf(examples, stack).findResources('AWS::EC2::SubnetRouteTableAssociation', {
    Properties: { RouteTableId: { Ref: Match.stringLikeRegexp('^DefaultVpcMainRouteTable') } },
  });
  expect(Object.keys(associations)).toHaveLength(2);
  expect(stack.peering.accepter.publicSubnets.map((s: ec2.ISubnet) => stack.resolve(s.routeTable.routeTableId)))
    .toEqual([{ Ref: expect.stringMatching(/^DefaultVpcMainRouteTable/) }, { Ref: expect.stringMatching(/^DefaultVpcMainRouteTable/) }]);
});

describe('example: cross-account peering in one deploy', () => {
  // With the accepter stack's outputs given (vpc-0acceacceacceacce, rtb-0aaaaaaaaaaaaaaaa and rtb-0bbbbbbbbbbbbbbbb, the AcceptPeering role):
  // see EXAMPLE_APPS.crossAccountPeering.
  const synthesized = synthesizedExampleApp('crossAccountPeering');
  const example = constructExampleApp('crossAccountPeering');

  test('the accepter stack holds the role, trusted by the requester account only, and outputs what the requester needs', () => {
    const template = templateOf(synthesized, example.accepterStack);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Action: 'sts:AssumeRole', Principal: { AWS: Match.stringLikeRegexp('111111111111') } })] },
    });
    expect(Object.keys(template.findOutputs('*'))).toEqual(expect.arrayContaining(['VpcId', 'RouteTableIds']));
    expect(Object.keys(template.findOutputs('*')).some((o) => o.includes('RoleArn'))).toBe(true);
  });

  test('the requester stack peers through the role, routes both sides and enables DNS resolution', () => {
    const template = templateOf(synthesized, example.requesterStack);
    template.hasResourceProperties('AWS::EC2::VPCPeeringConnection', {
      PeerVpcId: 'vpc-0acceacceacceacce', PeerOwnerId: '222222222222', PeerRegion: 'eu-west-1', PeerRoleArn: 'arn:aws:iam::222222222222:role/AcceptPeering',
    });
    expect(peeringRoutes(template).map((r) => r.DestinationCidrBlock)).toEqual(['10.20.0.0/16', '10.20.0.0/16']);
    template.hasResourceProperties('Custom::VpcConnectPeeringRoutes', {
      RouteTableIds: ['rtb-0aaaaaaaaaaaaaaaa', 'rtb-0bbbbbbbbbbbbbbbb'], DestinationCidrBlocks: ['10.10.0.0/16'], Region: 'eu-west-1', RoleArn: 'arn:aws:iam::222222222222:role/AcceptPeering',
    });
    template.resourceCountIs('Custom::VpcConnectPeeringDns', 2);
    // one function for all of the peering's custom resources (the VPC's own default-SG one aside)
    template.resourcePropertiesCountIs('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('cdk-vpc-connect') }, 1);
  });

  test('template snapshots', () => {
    for (const stack of [example.accepterStack, example.requesterStack]) {
      expect(templateOf(synthesized, stack).toJSON()).toMatchSnapshot(stack.stackName);
    }
  });
});

test('with -c defaultVpc=lookup, the first synth pass succeeds and asks the CLI for the lookup', () => {
  // GIVEN the validator's findings fail synth (cdk.json), and the lookup has not run yet:
  // the default-VPC example in an explicit environment, with lookupDefaultVpc (EXAMPLE_APPS.defaultVpcLookup)
  // WHEN synthesized
  const { assembly, findings } = synthesizedExampleApp('defaultVpcLookup');
  // THEN the placeholder VPC id is not an error, and the VPC lookup is requested
  expect(findings).toEqual([]);
  expect(assembly.manifest.missing?.map((m) => m.provider)).toContain('vpc-provider');
});
