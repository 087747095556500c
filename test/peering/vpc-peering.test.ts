import { App, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ConnectivityErrors, IVpcPeering, RemoteVpc, RouteOptions, VpcPeering } from '../../lib';
import { ConnectivityError } from '../../lib/errors';
import { logicalId, sharedTableVpc, testVpc } from '../support/vpcs';

const ENV = { account: '111111111111', region: 'us-east-1' };

function routesOf(template: Template): Array<Record<string, unknown>> {
  return Object.values(template.findResources('AWS::EC2::Route', { Properties: { VpcPeeringConnectionId: Match.anyValue() } }))
    .map((r) => r.Properties);
}

describe('VpcPeering', () => {
  describe('same account, same region', () => {
    test('creates the connection and one route per route table and destination on both sides', () => {
      // GIVEN two VPCs with 4 route tables each (2 AZs x public + isolated)
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16');
      const b = testVpc(stack, 'VpcB', '10.1.0.0/16');

      // WHEN
      const peering = new VpcPeering(stack, 'Peering', { requester: a, accepter: b });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::EC2::VPCPeeringConnection', 1);
      template.hasResourceProperties('AWS::EC2::VPCPeeringConnection', {
        VpcId: { Ref: logicalId(a) },
        PeerVpcId: { Ref: logicalId(b) },
        PeerRegion: Match.absent(),
        PeerOwnerId: Match.absent(),
      });
      const routes = routesOf(template);
      expect(routes).toHaveLength(8);
      expect(routes.filter((r) => r.DestinationCidrBlock === '10.1.0.0/16')).toHaveLength(4);
      expect(routes.filter((r) => r.DestinationCidrBlock === '10.0.0.0/16')).toHaveLength(4);
      const aTables = a.publicSubnets.concat(a.isolatedSubnets).map((s) => stack.resolve(s.routeTable.routeTableId));
      for (const table of aTables) {
        template.hasResourceProperties('AWS::EC2::Route', {
          RouteTableId: table,
          DestinationCidrBlock: '10.1.0.0/16',
          VpcPeeringConnectionId: { Ref: stack.getLogicalId(peering.node.defaultChild as ec2.CfnVPCPeeringConnection) },
        });
      }
      expect(peering.routes).toHaveLength(8);
      expect(peering.requesterRoutes).toHaveLength(4);
      expect(peering.accepterRoutes).toHaveLength(4);
    });

    test('exposes the L1 as defaultChild and the pcx id as a token', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const peering = new VpcPeering(stack, 'Peering', {
        requester: testVpc(stack, 'VpcA', '10.0.0.0/16'),
        accepter: testVpc(stack, 'VpcB', '10.1.0.0/16'),
      });
      const l1 = peering.node.defaultChild as ec2.CfnVPCPeeringConnection;
      expect(l1).toBeInstanceOf(ec2.CfnVPCPeeringConnection);
      expect(stack.resolve(peering.peeringConnectionId)).toEqual({ Ref: stack.getLogicalId(l1) });
    });

    test('sets a Name tag when asked', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      new VpcPeering(stack, 'Peering', {
        requester: testVpc(stack, 'VpcA', '10.0.0.0/16'),
        accepter: testVpc(stack, 'VpcB', '10.1.0.0/16'),
        peeringName: 'a-to-b',
      });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCPeeringConnection', {
        Tags: [{ Key: 'Name', Value: 'a-to-b' }],
      });
    });

    test('routes only the selected subnets\' tables, and only the given destinations', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16');
      const b = testVpc(stack, 'VpcB', '10.1.0.0/16');
      const requesterRoutes: RouteOptions = { subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, destinations: ['10.1.0.77/32'] };
      new VpcPeering(stack, 'Peering', {
        requester: a,
        accepter: b,
        requesterRoutes,
        accepterRoutes: { enabled: false },
      });
      const routes = routesOf(Template.fromStack(stack));
      expect(routes).toHaveLength(2);
      expect(routes.map((r) => r.DestinationCidrBlock)).toEqual(['10.1.0.77/32', '10.1.0.77/32']);
      expect(routes.map((r) => r.RouteTableId)).toEqual(a.isolatedSubnets.map((s) => stack.resolve(s.routeTable.routeTableId)));
    });

    test('subnets that share a route table get one route, not one per subnet', () => {
      // GIVEN the default VPC's shape: three subnets on one main route table
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const defaultVpc = sharedTableVpc(stack, 'Default', '172.31.0.0/16', 'rtb-main', 3);
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16');

      new VpcPeering(stack, 'Peering', { requester: a, accepter: defaultVpc });

      const routes = routesOf(Template.fromStack(stack)).filter((r) => r.RouteTableId === 'rtb-main');
      expect(routes).toEqual([expect.objectContaining({ RouteTableId: 'rtb-main', DestinationCidrBlock: '10.0.0.0/16' })]);
    });

    test('routes every secondary IPv4 block, after its association exists', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16', { maxAzs: 1, groups: ['Isolated'] });
      const b = testVpc(stack, 'VpcB', '10.1.0.0/16', { maxAzs: 1, groups: ['Isolated'] });
      const secondary = new ec2.CfnVPCCidrBlock(stack, 'BSecondary', { vpcId: b.vpcId, cidrBlock: '10.2.0.0/16' });

      new VpcPeering(stack, 'Peering', { requester: a, accepter: b });

      const template = Template.fromStack(stack);
      const routeToSecondary = template.findResources('AWS::EC2::Route', { Properties: { DestinationCidrBlock: '10.2.0.0/16' } });
      expect(Object.values(routeToSecondary)).toEqual([
        expect.objectContaining({ DependsOn: [stack.getLogicalId(secondary)] }),
      ]);
      template.hasResourceProperties('AWS::EC2::Route', { DestinationCidrBlock: '10.1.0.0/16', RouteTableId: stack.resolve(a.isolatedSubnets[0].routeTable.routeTableId) });
      template.hasResource('AWS::EC2::VPCPeeringConnection', { DependsOn: [stack.getLogicalId(secondary)] });
      expect(routesOf(template)).toHaveLength(3);
    });

    test('routes a secondary block that another stack associates with the VPC', () => {
      const app = new App();
      const stack = new Stack(app, 'Stack', { env: ENV });
      const extra = new Stack(app, 'Extra', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16', { maxAzs: 1, groups: ['Isolated'] });
      const b = testVpc(stack, 'VpcB', '10.1.0.0/16', { maxAzs: 1, groups: ['Isolated'] });
      new ec2.CfnVPCCidrBlock(extra, 'BSecondary', { vpcId: b.vpcId, cidrBlock: '10.2.0.0/16' });
      const peering = new VpcPeering(stack, 'Peering', { requester: a, accepter: b });
      expect(peering.requesterRoutes.map((r) => r.destinationCidrBlock)).toEqual(['10.1.0.0/16', '10.2.0.0/16']);
      expect(() => app.synth()).not.toThrow();
    });

    test('adds IPv6 routes when both VPCs have an IPv6 block', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16', { maxAzs: 1, groups: ['Isolated'], ipProtocol: ec2.IpProtocol.DUAL_STACK });
      const b = testVpc(stack, 'VpcB', '10.1.0.0/16', { maxAzs: 1, groups: ['Isolated'], ipProtocol: ec2.IpProtocol.DUAL_STACK });

      new VpcPeering(stack, 'Peering', { requester: a, accepter: b });

      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::EC2::Route', {
        RouteTableId: stack.resolve(a.isolatedSubnets[0].routeTable.routeTableId),
        DestinationIpv6CidrBlock: { 'Fn::Select': [0, { 'Fn::GetAtt': [logicalId(b), 'Ipv6CidrBlocks'] }] },
      });
      template.hasResourceProperties('AWS::EC2::Route', {
        RouteTableId: stack.resolve(b.isolatedSubnets[0].routeTable.routeTableId),
        DestinationIpv6CidrBlock: { 'Fn::Select': [0, { 'Fn::GetAtt': [logicalId(a), 'Ipv6CidrBlocks'] }] },
      });
      expect(routesOf(template)).toHaveLength(4);
    });

    test('adds no IPv6 routes when only one VPC has IPv6', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16', { maxAzs: 1, groups: ['Isolated'], ipProtocol: ec2.IpProtocol.DUAL_STACK });
      const b = testVpc(stack, 'VpcB', '10.1.0.0/16', { maxAzs: 1, groups: ['Isolated'] });
      new VpcPeering(stack, 'Peering', { requester: a, accepter: b });
      const routes = routesOf(Template.fromStack(stack));
      expect(routes.filter((r) => r.DestinationIpv6CidrBlock !== undefined)).toHaveLength(0);
      expect(routes).toHaveLength(2);
    });

    test('routes a literal IPv6 destination inside the peer\'s BYOIP block', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16', { maxAzs: 1, groups: ['Isolated'], ipProtocol: ec2.IpProtocol.DUAL_STACK });
      const b = testVpc(stack, 'VpcB', '10.1.0.0/16', { maxAzs: 1, groups: ['Isolated'] });
      new ec2.CfnVPCCidrBlock(stack, 'BIpv6', { vpcId: b.vpcId, ipv6CidrBlock: '2600:1f18:aaaa::/56', ipv6Pool: 'ipv6pool-ec2-1' });
      new VpcPeering(stack, 'Peering', {
        requester: a,
        accepter: b,
        requesterRoutes: { destinations: ['10.1.0.0/16', '2600:1f18:aaaa:1::/64'] },
      });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::Route', {
        RouteTableId: stack.resolve(a.isolatedSubnets[0].routeTable.routeTableId),
        DestinationIpv6CidrBlock: '2600:1f18:aaaa:1::/64',
      });
    });

    test('the same destination given twice yields one route', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      new VpcPeering(stack, 'Peering', {
        requester: testVpc(stack, 'VpcA', '10.0.0.0/16', { maxAzs: 1, groups: ['Isolated'] }),
        accepter: testVpc(stack, 'VpcB', '10.1.0.0/16', { maxAzs: 1, groups: ['Isolated'] }),
        requesterRoutes: { destinations: ['10.1.0.0/24', '10.1.0.0/24'] },
        accepterRoutes: { enabled: false },
      });
      expect(routesOf(Template.fromStack(stack))).toHaveLength(1);
    });

    test('adding a destination does not rename the existing routes', () => {
      const build = (destinations: string[]) => {
        const stack = new Stack(new App(), 'Stack', { env: ENV });
        new VpcPeering(stack, 'Peering', {
          requester: testVpc(stack, 'VpcA', '10.0.0.0/16'),
          accepter: testVpc(stack, 'VpcB', '10.1.0.0/16'),
          requesterRoutes: { destinations },
        });
        return Object.keys(Template.fromStack(stack).findResources('AWS::EC2::Route', { Properties: { VpcPeeringConnectionId: Match.anyValue() } }));
      };
      const before = build(['10.1.1.0/24']);
      const after = build(['10.1.0.0/24', '10.1.1.0/24']);
      expect(after).toEqual(expect.arrayContaining(before));
      expect(after.length).toBe(before.length + 4);
    });

    test('routes across stacks of one region live in the peering\'s stack', () => {
      const app = new App();
      const stackA = new Stack(app, 'A', { env: ENV });
      const stackB = new Stack(app, 'B', { env: ENV });
      const a = testVpc(stackA, 'VpcA', '10.0.0.0/16');
      const b = testVpc(stackB, 'VpcB', '10.1.0.0/16');
      new VpcPeering(stackA, 'Peering', { requester: a, accepter: b });
      expect(routesOf(Template.fromStack(stackA))).toHaveLength(8);
      expect(routesOf(Template.fromStack(stackB))).toHaveLength(0);
    });
  });

  describe('same account, cross region', () => {
    test('sets PeerRegion and creates the accepter\'s routes in a stack of the accepter\'s region', () => {
      // GIVEN a VPC in us-east-1 and one in eu-west-1, each in its own stack
      const app = new App();
      const stackA = new Stack(app, 'A', { env: ENV, crossRegionReferences: true });
      const stackB = new Stack(app, 'B', { env: { ...ENV, region: 'eu-west-1' } });
      const a = testVpc(stackA, 'VpcA', '10.0.0.0/16');
      const b = testVpc(stackB, 'VpcB', '10.1.0.0/16');

      // WHEN
      const peering = new VpcPeering(stackA, 'Peering', { requester: a, accepter: b });

      // THEN the connection names the peer region, requester routes stay in A
      Template.fromStack(stackA).hasResourceProperties('AWS::EC2::VPCPeeringConnection', { PeerRegion: 'eu-west-1' });
      expect(peering.peerRegion).toBe('eu-west-1');
      expect(routesOf(Template.fromStack(stackA))).toHaveLength(4);
      // AND the accepter routes are in a stack of eu-west-1 that deploys after A and B
      const routesStack = Stack.of(peering.accepterRoutes[0]);
      expect(routesStack.region).toBe('eu-west-1');
      expect(routesStack).not.toBe(stackB);
      expect(routesStack.dependencies).toEqual(expect.arrayContaining([stackA, stackB]));
      const accepterRoutes = routesOf(Template.fromStack(routesStack));
      expect(accepterRoutes).toHaveLength(4);
      expect(accepterRoutes.every((r) => r.DestinationCidrBlock === '10.0.0.0/16')).toBe(true);
      expect(app.synth().stacks.map((s) => s.stackName)).toContain(routesStack.stackName);
    });

    test('sets PeerRegion for an imported VPC that names its region', () => {
      const app = new App();
      const stack = new Stack(app, 'A', { env: ENV });
      const remote = ec2.Vpc.fromVpcAttributes(stack, 'Remote', {
        vpcId: 'vpc-0abc', vpcCidrBlock: '10.9.0.0/16', availabilityZones: ['eu-west-1a'],
        isolatedSubnetIds: ['subnet-1'], isolatedSubnetRouteTableIds: ['rtb-remote'], region: 'eu-west-1',
      });
      const peering = new VpcPeering(stack, 'Peering', { requester: testVpc(stack, 'VpcA', '10.0.0.0/16'), accepter: remote });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCPeeringConnection', { PeerVpcId: 'vpc-0abc', PeerRegion: 'eu-west-1' });
      const routesStack = Stack.of(peering.accepterRoutes[0]);
      expect(routesStack.region).toBe('eu-west-1');
      Template.fromStack(routesStack).hasResourceProperties('AWS::EC2::Route', { RouteTableId: 'rtb-remote', DestinationCidrBlock: '10.0.0.0/16' });
    });
  });

  describe('routes in a scope of your choice', () => {
    test('accepterRoutes.scope puts the accepter\'s routes in another stack, ids prefixed by the peering\'s', () => {
      // GIVEN the VPCs in one stack, the peering in a second, a stack of routes in a third
      const app = new App();
      const network = new Stack(app, 'Network', { env: ENV });
      const peerings = new Stack(app, 'Peerings', { env: ENV });
      const routes = new Stack(app, 'Routes', { env: ENV });
      const a = testVpc(network, 'VpcA', '10.0.0.0/16');
      const b = testVpc(network, 'VpcB', '10.1.0.0/16');

      // WHEN
      const peering = new VpcPeering(peerings, 'AtoB', { requester: a, accepter: b, accepterRoutes: { scope: routes } });

      // THEN
      expect(peering.accepterRoutes).toHaveLength(4);
      expect(peering.accepterRoutes.every((r) => Stack.of(r) === routes && r.node.id.startsWith('AtoB-AccepterRoute-'))).toBe(true);
      expect(peering.requesterRoutes.every((r) => Stack.of(r) === peerings)).toBe(true);
      Template.fromStack(routes).resourcePropertiesCountIs('AWS::EC2::Route', {
        DestinationCidrBlock: '10.0.0.0/16', VpcPeeringConnectionId: { 'Fn::ImportValue': Match.stringLikeRegexp('^Peerings:') },
      }, 4);
    });

    test('a scope in another region than its VPC is rejected', () => {
      const app = new App();
      const stack = new Stack(app, 'Stack', { env: ENV });
      const elsewhere = new Stack(app, 'Elsewhere', { env: { account: ENV.account, region: 'eu-west-1' } });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16');
      const b = testVpc(stack, 'VpcB', '10.1.0.0/16');
      expect(() => new VpcPeering(stack, 'Peering', { requester: a, accepter: b, accepterRoutes: { scope: elsewhere } }))
        .toThrow(/\[Stack\/Peering\] accepterRoutes.scope Elsewhere is in stack Elsewhere \(111111111111, eu-west-1\), but VPC Stack\/VpcB is in 111111111111, us-east-1/);
    });

    test('a RemoteVpc\'s routes cannot be placed', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16');
      const remote = RemoteVpc.fromAttributes(stack, 'Remote', {
        vpcId: 'vpc-0c9c9c9c', cidrs: ['10.9.0.0/16'], account: '222222222222', region: 'us-east-1', routeTableIds: ['rtb-0c9c9c9c'], roleArn: 'arn:aws:iam::222222222222:role/r',
      });
      expect(() => new VpcPeering(stack, 'Peering', { requester: a, accepter: remote, accepterRoutes: { scope: stack } }))
        .toThrow(/\[Stack\/Peering\] accepterRoutes.scope is not supported here: the routes of RemoteVpc Stack\/Remote are made in its account by a custom resource .* Leave scope out/);
    });
  });

  describe('security groups', () => {
    test('allowFromAccepter opens a port to every accepter block, allowFromRequester the mirror', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16');
      const b = testVpc(stack, 'VpcB', '10.1.0.0/16');
      new ec2.CfnVPCCidrBlock(stack, 'BSecondary', { vpcId: b.vpcId, cidrBlock: '10.2.0.0/16' });
      const peering = new VpcPeering(stack, 'Peering', { requester: a, accepter: b });
      const sgA = new ec2.SecurityGroup(stack, 'SgA', { vpc: a });
      const sgB = new ec2.SecurityGroup(stack, 'SgB', { vpc: b });

      peering.allowFromAccepter(sgA, ec2.Port.tcp(22));
      peering.allowFromRequester(sgB, ec2.Port.allIcmp(), 'ping');

      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        SecurityGroupIngress: [
          Match.objectLike({ CidrIp: '10.1.0.0/16', FromPort: 22, ToPort: 22, IpProtocol: 'tcp' }),
          Match.objectLike({ CidrIp: '10.2.0.0/16', FromPort: 22, ToPort: 22, IpProtocol: 'tcp' }),
        ],
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        SecurityGroupIngress: [Match.objectLike({ CidrIp: '10.0.0.0/16', IpProtocol: 'icmp', Description: 'ping' })],
      });
    });
  });

  describe('imports and unknown values', () => {
    test('fromPeeringConnectionId imports an existing connection', () => {
      const stack = new Stack(new App(), 'Stack');
      const imported = VpcPeering.fromPeeringConnectionId(stack, 'Imported', 'pcx-0a1b2c3d');
      expect(imported.peeringConnectionId).toBe('pcx-0a1b2c3d');
      expect(imported.vpcPeeringConnectionRef).toEqual({ vpcPeeringConnectionId: 'pcx-0a1b2c3d' });
    });

    test('fromVpcPeeringAttributes imports an existing connection, usable wherever aws-cdk-lib takes a peering reference', () => {
      // GIVEN
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const imported: IVpcPeering = VpcPeering.fromVpcPeeringAttributes(stack, 'Imported', { peeringConnectionId: 'pcx-0123456789abcdef0' });

      // WHEN an L1 takes it as its IVPCPeeringConnectionRef
      new ec2.CfnRoute(stack, 'Route', { routeTableId: 'rtb-1', destinationCidrBlock: '10.9.0.0/16', vpcPeeringConnectionId: imported });

      // THEN
      expect(imported.peeringConnectionId).toBe('pcx-0123456789abcdef0');
      expect(imported.env).toEqual({ account: ENV.account, region: ENV.region });
      expect(VpcPeering.isVpcPeering(imported)).toBe(false);
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::Route', { VpcPeeringConnectionId: 'pcx-0123456789abcdef0' });
    });

    test('fromVpcPeeringAttributes accepts a token id', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const imported = VpcPeering.fromVpcPeeringAttributes(stack, 'Imported', { peeringConnectionId: Fn.importValue('PeeringId') });
      expect(stack.resolve(imported.vpcPeeringConnectionRef.vpcPeeringConnectionId)).toEqual({ 'Fn::ImportValue': 'PeeringId' });
    });

    test.each([
      ['vpc-0123'],
      ['pcx-XYZ'],
      ['pcx-'],
      ['pcx-0123'], // too short: 8 or 17 digits
      ['not-a-pcx'],
    ])('fromVpcPeeringAttributes rejects %s, which is not a peering connection id', (id) => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      expect(() => VpcPeering.fromVpcPeeringAttributes(stack, 'Imported', { peeringConnectionId: id }))
        .toThrow(new RegExp(`\\[Stack\\] VpcPeering Stack/Imported: peeringConnectionId '${id}' is not a VPC peering connection id: ` +
          "expected 'pcx-' followed by 8 or 17 lowercase hexadecimal digits"));
      expect(() => VpcPeering.fromPeeringConnectionId(stack, 'Imported2', id)).toThrow(/is not a VPC peering connection id/);
    });

    test('a created peering is a VpcPeering and an IVPCPeeringConnectionRef of its L1', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const peering = new VpcPeering(stack, 'Peering', { requester: testVpc(stack, 'VpcA', '10.0.0.0/16'), accepter: testVpc(stack, 'VpcB', '10.1.0.0/16') });
      const l1 = peering.node.defaultChild as ec2.CfnVPCPeeringConnection;
      expect(VpcPeering.isVpcPeering(peering)).toBe(true);
      expect([undefined, null, 'pcx-1', {}, stack].map((x) => VpcPeering.isVpcPeering(x))).toEqual([false, false, false, false, false]);
      expect(stack.resolve(peering.vpcPeeringConnectionRef.vpcPeeringConnectionId)).toEqual(stack.resolve(l1.vpcPeeringConnectionRef.vpcPeeringConnectionId));
    });

    test('a VPC lookup that has not run yet synthesizes without error', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const looked = ec2.Vpc.fromLookup(stack, 'Default', { isDefault: true });
      const peering = new VpcPeering(stack, 'Peering', { requester: testVpc(stack, 'VpcA', '10.0.0.0/16'), accepter: looked });
      // the placeholder CIDR (1.2.3.4/5) is neither checked nor routed; the lookup's next pass fills it in
      expect(peering.requesterRoutes).toHaveLength(0);
      expect(peering.accepterRoutes.length).toBeGreaterThan(0);
      expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cdk-vpc-connect'))).toHaveLength(0);
    });

    test('a CIDR that is a token skips the overlap check with a warning, and still routes', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const imported = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
        vpcId: Fn.importValue('OtherVpcId'), vpcCidrBlock: Fn.importValue('OtherVpcCidr'), availabilityZones: ['us-east-1a'],
        isolatedSubnetIds: ['subnet-1'], isolatedSubnetRouteTableIds: ['rtb-1'],
      });
      new VpcPeering(stack, 'Peering', { requester: testVpc(stack, 'VpcA', '10.0.0.0/16'), accepter: imported });
      Annotations.fromStack(stack).hasWarning('/Stack/Peering', Match.stringLikeRegexp('overlap check .* was skipped.*literal'));
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::Route', {
        RouteTableId: Match.anyValue(), DestinationCidrBlock: { 'Fn::ImportValue': 'OtherVpcCidr' },
      });
    });

    test('a destination that is a token skips the containment check with a warning', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      new VpcPeering(stack, 'Peering', {
        requester: testVpc(stack, 'VpcA', '10.0.0.0/16'),
        accepter: testVpc(stack, 'VpcB', '10.1.0.0/16'),
        requesterRoutes: { destinations: [Fn.importValue('HostCidr')] },
      });
      Annotations.fromStack(stack).hasWarning('/Stack/Peering', Match.stringLikeRegexp('inside VPC .* was skipped.*token'));
    });
  });

  describe('bad input', () => {
    test('overlapping primary blocks', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16');
      const b = testVpc(stack, 'VpcB', '10.0.128.0/17');
      expect(() => new VpcPeering(stack, 'Peering', { requester: a, accepter: b }))
        .toThrow(/\[Stack\/Peering\] VPC Stack\/VpcA \(10\.0\.0\.0\/16\) and VPC Stack\/VpcB \(10\.0\.128\.0\/17\) overlap/);
    });

    test('overlap through a secondary block', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16');
      const b = testVpc(stack, 'VpcB', '10.1.0.0/16');
      new ec2.CfnVPCCidrBlock(stack, 'BSecondary', { vpcId: b.vpcId, cidrBlock: '10.0.64.0/18' });
      expect(() => new VpcPeering(stack, 'Peering', { requester: a, accepter: b }))
        .toThrow(/10\.0\.0\.0\/16 and 10\.0\.64\.0\/18 share addresses/);
    });

    test('the error is a ConnectivityError carrying the construct path', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16');
      let error: unknown;
      try { new VpcPeering(stack, 'Peering', { requester: a, accepter: a }); } catch (e) { error = e; }
      expect(error).toBeInstanceOf(ConnectivityError);
      expect((error as ConnectivityError).constructPath).toBe('Stack/Peering');
      expect(ConnectivityErrors.isConnectivityError(error)).toBe(true);
      expect(ConnectivityErrors.constructPathOf(error)).toBe('Stack/Peering');
    });


    test('a VPC peered with itself', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16');
      expect(() => new VpcPeering(stack, 'Peering', { requester: a, accepter: a })).toThrow(/VPC Stack\/VpcA cannot be peered with itself/);
    });

    test('the same imported VPC twice is peering with itself', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const one = sharedTableVpc(stack, 'One', '10.5.0.0/16');
      const again = ec2.Vpc.fromVpcAttributes(stack, 'Again', { vpcId: one.vpcId, vpcCidrBlock: '10.5.0.0/16', availabilityZones: ['us-east-1a'] });
      expect(() => new VpcPeering(stack, 'Peering', { requester: one, accepter: again })).toThrow(/cannot be peered with itself \(requester and accepter are both VPC 'vpc-one'\)/);
    });

    test('two peerings between the same pair of VPCs, in either direction', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16');
      const b = testVpc(stack, 'VpcB', '10.1.0.0/16');
      new VpcPeering(stack, 'First', { requester: a, accepter: b });
      expect(() => new VpcPeering(stack, 'Second', { requester: b, accepter: a }))
        .toThrow(/\[Stack\/Second\] VPCs Stack\/VpcB and Stack\/VpcA are already peered by Stack\/First/);
    });

    test('a destination outside the peer VPC', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      expect(() => new VpcPeering(stack, 'Peering', {
        requester: testVpc(stack, 'VpcA', '10.0.0.0/16'),
        accepter: testVpc(stack, 'VpcB', '10.1.0.0/16'),
        requesterRoutes: { destinations: ['10.2.0.0/16'] },
      })).toThrow(/requesterRoutes.destinations: 10\.2\.0\.0\/16 is not inside VPC Stack\/VpcB \(10\.1\.0\.0\/16\).*not transitive/);
    });

    test('an IPv6 destination when the peer has no IPv6 block', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      expect(() => new VpcPeering(stack, 'Peering', {
        requester: testVpc(stack, 'VpcA', '10.0.0.0/16'),
        accepter: testVpc(stack, 'VpcB', '10.1.0.0/16'),
        accepterRoutes: { destinations: ['2600:1f18::/64'] },
      })).toThrow(/accepterRoutes.destinations: 2600:1f18::\/64 is not inside VPC Stack\/VpcA .*IPv6: none/);
    });

    test('a malformed destination', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      expect(() => new VpcPeering(stack, 'Peering', {
        requester: testVpc(stack, 'VpcA', '10.0.0.0/16'),
        accepter: testVpc(stack, 'VpcB', '10.1.0.0/16'),
        requesterRoutes: { destinations: ['10.1.0.1/16'] },
      })).toThrow(/requesterRoutes.destinations: '10\.1\.0\.1\/16' has host bits set; the network is 10\.1\.0\.0\/16\. Route CIDR blocks of VPC Stack\/VpcB/);
    });

    test('a malformed CIDR on an imported VPC', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const broken = ec2.Vpc.fromVpcAttributes(stack, 'Broken', { vpcId: 'vpc-1', vpcCidrBlock: '10.300.0.0/16', availabilityZones: ['us-east-1a'] });
      expect(() => new VpcPeering(stack, 'Peering', { requester: testVpc(stack, 'VpcA', '10.0.0.0/16'), accepter: broken }))
        .toThrow(/VPC Stack\/Broken has a malformed CIDR block: '10\.300\.0\.0\/16' is not a CIDR block/);
    });

    test('a subnet selection that matches no route table', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      expect(() => new VpcPeering(stack, 'Peering', {
        requester: testVpc(stack, 'VpcA', '10.0.0.0/16'),
        accepter: testVpc(stack, 'VpcB', '10.1.0.0/16'),
        requesterRoutes: { subnets: { subnetFilters: [ec2.SubnetFilter.byIds(['subnet-nope'])] } },
      })).toThrow(/requesterRoutes: the subnet selection \{ 1 subnet filter\(s\) \} matches no route table in VPC Stack\/VpcA \(0 subnet\(s\) matched\)\. Select subnets that exist with requesterRoutes\.subnets/);
    });

    test('imported subnets whose route table is unknown', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const imported = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
        vpcId: 'vpc-1', vpcCidrBlock: '10.9.0.0/16', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-1'],
      });
      expect(() => new VpcPeering(stack, 'Peering', { requester: testVpc(stack, 'VpcA', '10.0.0.0/16'), accepter: imported }))
        .toThrow(/accepterRoutes: the route table of subnet\(s\) subnet-1 of VPC Stack\/Imported is not known.*RouteTableIds/);
    });

    test('two routes to one destination in one route table, across peerings', () => {
      // GIVEN A peered with B and with C, where B and C use the same CIDR
      const app = new App();
      const stack = new Stack(app, 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16', { maxAzs: 1, groups: ['Isolated'] });
      const b = testVpc(stack, 'VpcB', '10.1.0.0/16', { maxAzs: 1, groups: ['Isolated'] });
      const c = testVpc(stack, 'VpcC', '10.1.0.0/16', { maxAzs: 1, groups: ['Isolated'] });
      new VpcPeering(stack, 'AB', { requester: a, accepter: b });
      new VpcPeering(stack, 'AC', { requester: a, accepter: c });
      // THEN synth fails before AWS would with RouteAlreadyExists
      expect(() => app.synth()).toThrow(/Route table Stack\/VpcA\/IsolatedSubnet1\/RouteTable would get 2 routes to 10\.1\.0\.0\/16: Stack\/AB\/RequesterRoute-.* \(from Stack\/AB\), Stack\/AC\/RequesterRoute-.* \(from Stack\/AC\).*RouteAlreadyExists/s);
    });

    test('a route that collides with a hand-written CfnRoute', () => {
      const app = new App();
      const stack = new Stack(app, 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16', { maxAzs: 1, groups: ['Isolated'] });
      const b = testVpc(stack, 'VpcB', '10.1.0.0/16', { maxAzs: 1, groups: ['Isolated'] });
      new VpcPeering(stack, 'AB', { requester: a, accepter: b });
      new ec2.CfnRoute(stack, 'HandWritten', {
        routeTableId: a.isolatedSubnets[0].routeTable.routeTableId, destinationCidrBlock: '10.1.0.0/16', transitGatewayId: 'tgw-1',
      });
      expect(() => app.synth()).toThrow(/would get 2 routes to 10\.1\.0\.0\/16: .*Stack\/HandWritten/s);
    });

    test('a requester VPC in another region than the peering\'s stack', () => {
      const app = new App();
      const other = new Stack(app, 'Other', { env: { ...ENV, region: 'eu-west-1' } });
      const stack = new Stack(app, 'Stack', { env: ENV, crossRegionReferences: true });
      expect(() => new VpcPeering(stack, 'Peering', { requester: testVpc(other, 'VpcA', '10.0.0.0/16'), accepter: testVpc(stack, 'VpcB', '10.1.0.0/16') }))
        .toThrow(/requester VPC Other\/VpcA is in eu-west-1, but the peering is in stack Stack in us-east-1/);
    });

    test('a cross-region peering reads the accepter\'s VPC id through aws-cdk-lib\'s cross-region reference, crossRegionReferences or not', () => {
      // GIVEN neither stack sets crossRegionReferences (aws-cdk-lib 2.276 wires references across regions by itself)
      const app = new App();
      const stackB = new Stack(app, 'B', { env: { ...ENV, region: 'eu-west-1' } });
      const stackA = new Stack(app, 'A', { env: ENV });

      // WHEN
      new VpcPeering(stackA, 'Peering', { requester: testVpc(stackA, 'VpcA', '10.0.0.0/16'), accepter: testVpc(stackB, 'VpcB', '10.1.0.0/16') });

      // THEN the peering reads the accepter's id from the export reader aws-cdk-lib adds, and A deploys after B
      const assembly = app.synth();
      const template = assembly.getStackByName('A').template;
      const peering = Object.values<{ Type: string; Properties: Record<string, unknown> }>(template.Resources)
        .find((r) => r.Type === 'AWS::EC2::VPCPeeringConnection')!;
      expect(peering.Properties).toEqual(expect.objectContaining({
        PeerRegion: 'eu-west-1',
        PeerVpcId: { 'Fn::GetAtt': [expect.stringMatching(/^ExportsReader/), expect.stringMatching(/^\/cdk\/exports\/A\/.*RefVpcB/)] },
      }));
      expect(stackA.dependencies).toContain(stackB);
    });

    test('a cross-region peering from a stack without a region', () => {
      const stack = new Stack(new App(), 'Stack');
      const remote = ec2.Vpc.fromVpcAttributes(stack, 'Remote', {
        vpcId: 'vpc-0abc', vpcCidrBlock: '10.9.0.0/16', availabilityZones: ['eu-west-1a'], region: 'eu-west-1',
      });
      expect(() => new VpcPeering(stack, 'Peering', { requester: testVpc(stack, 'VpcA', '10.0.0.0/16'), accepter: remote }))
        .toThrow(/accepter VPC Stack\/Remote is in eu-west-1, but the region of stack Stack is not known/);
    });

    test('a secondary block added after the peering', () => {
      const app = new App();
      const stack = new Stack(app, 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16', { maxAzs: 1, groups: ['Isolated'] });
      const b = testVpc(stack, 'VpcB', '10.1.0.0/16', { maxAzs: 1, groups: ['Isolated'] });
      new VpcPeering(stack, 'Peering', { requester: a, accepter: b });
      new ec2.CfnVPCCidrBlock(stack, 'Late', { vpcId: b.vpcId, cidrBlock: '10.0.0.0/24' });
      expect(() => app.synth()).toThrow(/Stack\/Late of VPC Stack\/VpcB were not there when Stack\/Peering was created/);
    });
  });
});

describe('VpcPeering input checks (issue 11)', () => {
  function twoVpcs() {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    return { stack, a: testVpc(stack, 'VpcA', '10.0.0.0/16'), b: testVpc(stack, 'VpcB', '10.1.0.0/16') };
  }

  test('a VPC peered with itself is named, its token id described rather than printed as ${Token[...]}', () => {
    const { stack, a } = twoVpcs();
    const create = () => new VpcPeering(stack, 'Peering', { requester: a, accepter: a });
    expect(create).toThrow(/requester and accepter are both VPC <deploy-time value of Stack\/VpcA>\)/);
    expect(create).not.toThrow(/Token\[/);
  });

  test('a peeringName longer than AWS accepts in a tag value', () => {
    const { stack, a, b } = twoVpcs();
    expect(() => new VpcPeering(stack, 'Peering', { requester: a, accepter: b, peeringName: 'p'.repeat(300) }))
      .toThrow(/\[Stack\/Peering\] peeringName 'p{40}\.\.\.' \(300 characters\) is longer than the 256 characters AWS accepts in a tag value \(the peering's Name tag\)\. Use a shorter name\./);
    new VpcPeering(stack, 'Longest', { requester: a, accepter: b, peeringName: 'p'.repeat(256) });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCPeeringConnection', { Tags: [{ Key: 'Name', Value: 'p'.repeat(256) }] });
  });

  test.each(['requesterRoutes', 'accepterRoutes'])('%s.destinations: [] is a one-way peering: an error that points at enabled: false', (side) => {
    const { stack, a, b } = twoVpcs();
    const vpcPath = side === 'requesterRoutes' ? 'Stack/VpcA' : 'Stack/VpcB';
    expect(() => new VpcPeering(stack, 'Peering', { requester: a, accepter: b, [side]: { destinations: [] } }))
      .toThrow(new RegExp(`${side}\\.destinations is empty, so VPC ${vpcPath} gets no route toward its peer and the peering would carry traffic one way only.*` +
        `set ${side}\\.enabled to false if that side's routes are really managed elsewhere`));
  });

  test('destinations: [] with enabled: false is what enabled: false says (no routes), not an error', () => {
    const { stack, a, b } = twoVpcs();
    const peering = new VpcPeering(stack, 'Peering', { requester: a, accepter: b, accepterRoutes: { enabled: false, destinations: [] } });
    expect(peering.accepterRoutes).toEqual([]);
    expect(peering.requesterRoutes).toHaveLength(4);
  });

  test('a RemoteVpc accepter with destinations: [] is an error too', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const remote = RemoteVpc.fromAttributes(stack, 'Remote', {
      vpcId: 'vpc-0123456789abcdef0', cidrs: ['10.9.0.0/16'], account: '222222222222', region: 'us-east-1',
      routeTableIds: ['rtb-0123456789abcdef0'], roleArn: 'arn:aws:iam::222222222222:role/r',
    });
    expect(() => new VpcPeering(stack, 'Peering', { requester: testVpc(stack, 'VpcA', '10.0.0.0/16'), accepter: remote, accepterRoutes: { destinations: [] } }))
      .toThrow(/accepterRoutes\.destinations is empty, so VPC Stack\/Remote gets no route toward its peer/);
  });

  test('a requester-side selection naming an accepter subnet is an error, not routes in the accepter\'s own table', () => {
    const { stack, a, b } = twoVpcs();
    expect(() => new VpcPeering(stack, 'Peering', { requester: a, accepter: b, requesterRoutes: { subnets: { subnets: [b.isolatedSubnets[0]] } } }))
      .toThrow(/\[Stack\/Peering\] requesterRoutes\.subnets: subnet Stack\/VpcB\/IsolatedSubnet1 of VPC Stack\/VpcB selected for the route tables of VPC Stack\/VpcA, but it is not a subnet of that VPC/);
  });

  test('a secondary block that overlaps the VPC\'s own primary block', () => {
    const { stack, a, b } = twoVpcs();
    new ec2.CfnVPCCidrBlock(stack, 'Overlapping', { vpcId: b.vpcId, cidrBlock: '10.1.128.0/17' });
    expect(() => new VpcPeering(stack, 'Peering', { requester: a, accepter: b }))
      .toThrow(/VPC Stack\/VpcB: secondary block Stack\/Overlapping \(10\.1\.128\.0\/17\) overlaps its primary block 10\.1\.0\.0\/16\. A VPC's blocks must be disjoint/);
  });

  test('two secondary blocks of one VPC that overlap each other', () => {
    const { stack, a, b } = twoVpcs();
    new ec2.CfnVPCCidrBlock(stack, 'Second', { vpcId: a.vpcId, cidrBlock: '10.50.0.0/16' });
    new ec2.CfnVPCCidrBlock(stack, 'Third', { vpcId: a.vpcId, cidrBlock: '10.50.0.0/24' });
    expect(() => new VpcPeering(stack, 'Peering', { requester: a, accepter: b }))
      .toThrow(/VPC Stack\/VpcA: secondary block Stack\/Third \(10\.50\.0\.0\/24\) overlaps secondary block Stack\/Second \(10\.50\.0\.0\/16\)/);
  });

  test('a routes scope in a stack of another account names that stack\'s account and region', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const a = testVpc(stack, 'VpcA', '10.0.0.0/16');
    const b = testVpc(new Stack(app, 'Other', { env: { account: ENV.account, region: 'eu-west-1' } }), 'VpcB', '10.1.0.0/16');
    const agnostic = new Stack(app, 'Agnostic', { env: { account: '333333333333', region: 'eu-west-1' } });
    const create = () => new VpcPeering(stack, 'Peering', { requester: a, accepter: b, requesterRoutes: { scope: agnostic } });
    expect(create).toThrow(/requesterRoutes\.scope Agnostic is in stack Agnostic \(333333333333, eu-west-1\), but VPC Stack\/VpcA is in 111111111111, us-east-1/);
  });
});

describe('VpcPeering accepter region (issue 11)', () => {
  test('an imported accepter in a region AWS does not have is an error, not a PeerRegion that fails at deploy', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const mars = ec2.Vpc.fromVpcAttributes(stack, 'Mars', { vpcId: 'vpc-0abc0abc', vpcCidrBlock: '10.9.0.0/16', availabilityZones: ['mars-1a'], region: 'mars-1' });
    expect(() => new VpcPeering(stack, 'Peering', { requester: testVpc(stack, 'VpcA', '10.0.0.0/16'), accepter: mars, accepterRoutes: { enabled: false } }))
      .toThrow(/\[Stack\/Peering\] The region of the accepter VPC Stack\/Mars: 'mars-1' is not an AWS region known to aws-cdk-lib's region information/);
  });
});

describe('VpcPeering host bits in a VPC block (issue 11)', () => {
  test('an imported VPC whose block has host bits set is named with the network it meant, before any security-group rule uses it', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const imported = ec2.Vpc.fromVpcAttributes(stack, 'HostBits', { vpcId: 'vpc-0abc0abc', vpcCidrBlock: '10.9.0.1/16', availabilityZones: ['us-east-1a'] });
    expect(() => new VpcPeering(stack, 'Peering', { requester: testVpc(stack, 'VpcA', '10.0.0.0/16'), accepter: imported, accepterRoutes: { enabled: false } }))
      .toThrow(/\[Stack\/Peering\] VPC Stack\/HostBits has a malformed CIDR block: '10\.9\.0\.1\/16' has host bits set; the network is 10\.9\.0\.0\/16\./);
  });
});
