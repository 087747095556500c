import { App, Fn, Stack, StackProps } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { NetworkModel } from '../../lib/analysis';
import { Pricing } from '../../lib/cost/pricing';
import { ConnectivityError } from '../../lib/errors';
import { PeeringMesh } from '../../lib/peering/peering-mesh';
import { RemoteVpc } from '../../lib/peering/remote-vpc';
import { SegmentRouteTarget, TransitGatewayHub, TransitGatewayHubProps } from '../../lib/transit';
import { modelApp } from '../analysis/support-model-app';
import { newApp, synthApp } from '../support/synth-app';
import { testVpc } from '../support/vpcs';

const ENV = { account: '111111111111', region: 'us-east-1' };

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; DependsOn?: string[] }>;

/** The routes toward a transit gateway, as their properties. */
function tgwRoutes(template: Template): Array<Record<string, unknown>> {
  return Object.values(template.findResources('AWS::EC2::Route', { Properties: { TransitGatewayId: Match.anyValue() } }))
    .map((r) => r.Properties);
}

/** The resolved ids of every route table of a VPC made by testVpc. */
function tableRefs(vpc: ec2.IVpc): unknown[] {
  return [...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets].map((s) => Stack.of(vpc).resolve(s.routeTable.routeTableId));
}

/** The destinations routed in the tables of `vpc`, sorted, each once. */
function destinationsIn(routes: Array<Record<string, unknown>>, vpc: ec2.IVpc): string[] {
  const tables = tableRefs(vpc).map((t) => JSON.stringify(t));
  const inVpc = routes.filter((r) => tables.includes(JSON.stringify(r.RouteTableId)));
  return [...new Set(inVpc.map((r) => String(r.DestinationCidrBlock ?? JSON.stringify(r.DestinationIpv6CidrBlock))))].sort();
}

function ref(vpc: Construct): { Ref: string } {
  return { Ref: Stack.of(vpc).getLogicalId(vpc.node.defaultChild as ec2.CfnVPC) };
}

function logicalIdOf(resource: ec2.CfnTransitGatewayAttachment | ec2.CfnTransitGatewayRouteTableAssociation | ec2.CfnTransitGatewayRouteTable): string {
  return Stack.of(resource).getLogicalId(resource);
}

/** One stack per spoke, and a hub stack, as a large deployment would have them. */
function spreadApp(count: number, props: StackProps = { env: ENV }, app: App = new App()) {
  const hubStack = new Stack(app, 'HubStack', props);
  const names = ['A', 'B', 'C', 'D', 'E', 'F'];
  const stacks = Array.from({ length: count }, (_, i) => new Stack(app, `Spoke${names[i]}Stack`, props));
  const vpcs = stacks.map((stack, i) => testVpc(stack, 'Vpc', `10.${i}.0.0/16`));
  return { app, hubStack, stacks, vpcs };
}

describe('TransitGatewayHub', () => {
  describe('in one stack', () => {
    test('creates a transit gateway with default association and propagation off, one attachment per spoke and routes between all spokes', () => {
      // GIVEN three VPCs with 4 route tables each (2 AZs x public + isolated)
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const [a, b, c] = ['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16'].map((cidr, i) => testVpc(stack, `Vpc${'ABC'[i]}`, cidr));

      // WHEN
      const hub = new TransitGatewayHub(stack, 'Hub', { spokes: [a, b, c] });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::EC2::TransitGateway', 1);
      template.hasResourceProperties('AWS::EC2::TransitGateway', {
        AutoAcceptSharedAttachments: 'disable',
        DefaultRouteTableAssociation: 'disable',
        DefaultRouteTablePropagation: 'disable',
        DnsSupport: 'enable',
        AmazonSideAsn: Match.absent(),
      });
      template.resourceCountIs('AWS::EC2::TransitGatewayRouteTable', 1);
      template.resourceCountIs('AWS::EC2::TransitGatewayAttachment', 3);
      template.resourceCountIs('AWS::EC2::TransitGatewayRouteTableAssociation', 3);
      template.resourceCountIs('AWS::EC2::TransitGatewayRouteTablePropagation', 3);
      const routes = tgwRoutes(template);
      expect(routes).toHaveLength(3 * 4 * 2);
      expect(routes.every((r) => JSON.stringify(r.TransitGatewayId) === JSON.stringify(stack.resolve(hub.transitGatewayId)))).toBe(true);
      expect(destinationsIn(routes, a)).toEqual(['10.1.0.0/16', '10.2.0.0/16']);
      expect(destinationsIn(routes, b)).toEqual(['10.0.0.0/16', '10.2.0.0/16']);
      expect(destinationsIn(routes, c)).toEqual(['10.0.0.0/16', '10.1.0.0/16']);
      for (const table of tableRefs(a)) {
        template.hasResourceProperties('AWS::EC2::Route', { RouteTableId: table, DestinationCidrBlock: '10.1.0.0/16' });
      }
      expect(hub.routes).toHaveLength(24);
      expect(hub.spokeRoutes(a)).toHaveLength(8);
      expect(hub.routeTables).toEqual([hub.sharedRouteTable]);
    });

    test('exposes the transit gateway as defaultChild and its id as a token', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const hub = new TransitGatewayHub(stack, 'Hub', { spokes: [testVpc(stack, 'VpcA', '10.0.0.0/16'), testVpc(stack, 'VpcB', '10.1.0.0/16')] });
      expect(hub.node.defaultChild).toBeInstanceOf(ec2.CfnTransitGateway);
      expect(hub.transitGateway).toBe(hub.node.defaultChild);
      expect(stack.resolve(hub.transitGatewayId)).toEqual({ Ref: stack.getLogicalId(hub.transitGateway!) });
    });

    test('attachment(vpc) is the spoke\'s attachment, in one subnet per AZ of the default selection, with its association and propagation', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16');
      const b = testVpc(stack, 'VpcB', '10.1.0.0/16');
      const hub = new TransitGatewayHub(stack, 'Hub', { spokes: [a, b] });

      const attachment = hub.attachment(b);
      expect(attachment).toBeInstanceOf(ec2.CfnTransitGatewayAttachment);
      const template = Template.fromStack(stack);
      const resources = template.toJSON().Resources as Resources;
      expect(resources[logicalIdOf(attachment)].Properties).toEqual({
        TransitGatewayId: stack.resolve(hub.transitGatewayId),
        VpcId: ref(b),
        // no private subnets: the default selection is the isolated ones, one per AZ
        SubnetIds: b.isolatedSubnets.map((s) => stack.resolve(s.subnetId)),
        Tags: [{ Key: 'Name', Value: 'Stack/Hub Stack/VpcB' }],
      });
      template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTableAssociation', {
        TransitGatewayAttachmentId: { 'Fn::GetAtt': [logicalIdOf(attachment), 'Id'] },
        TransitGatewayRouteTableId: { 'Fn::GetAtt': [logicalIdOf(hub.sharedRouteTable), 'TransitGatewayRouteTableId'] },
      });
      template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTablePropagation', {
        TransitGatewayAttachmentId: { 'Fn::GetAtt': [logicalIdOf(attachment), 'Id'] },
        TransitGatewayRouteTableId: { 'Fn::GetAtt': [logicalIdOf(hub.sharedRouteTable), 'TransitGatewayRouteTableId'] },
      });
      expect(hub.association(b).transitGatewayAttachmentId).toBe(attachment.attrId);
      expect(hub.propagations(b)).toHaveLength(1);
    });

    test('every route waits for its own VPC\'s attachment and association', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16');
      const b = testVpc(stack, 'VpcB', '10.1.0.0/16');
      const hub = new TransitGatewayHub(stack, 'Hub', { spokes: [a, b] });

      const resources = Template.fromStack(stack).toJSON().Resources as Resources;
      for (const vpc of [a, b]) {
        const tables = tableRefs(vpc).map((t) => JSON.stringify(t));
        const routes = Object.values(resources).filter((r) => r.Type === 'AWS::EC2::Route' && r.Properties?.TransitGatewayId
          && tables.includes(JSON.stringify(r.Properties.RouteTableId)));
        expect(routes).toHaveLength(4);
        for (const route of routes) {
          expect(route.DependsOn).toEqual(expect.arrayContaining([logicalIdOf(hub.attachment(vpc)), logicalIdOf(hub.association(vpc))]));
          expect(route.DependsOn).not.toContain(logicalIdOf(hub.attachment(vpc === a ? b : a)));
        }
      }
    });

    test('sets the ASN and description of a new transit gateway', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      new TransitGatewayHub(stack, 'Hub', {
        spokes: [testVpc(stack, 'VpcA', '10.0.0.0/16')], amazonSideAsn: 64600, description: 'core network',
      });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::TransitGateway', { AmazonSideAsn: 64600, Description: 'core network' });
    });

    test('uses an existing transit gateway when given its id', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16');
      const hub = new TransitGatewayHub(stack, 'Hub', { spokes: [a, testVpc(stack, 'VpcB', '10.1.0.0/16')], transitGatewayId: 'tgw-0123456789abcdef0' });

      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::EC2::TransitGateway', 0);
      expect(hub.transitGateway).toBeUndefined();
      expect(hub.transitGatewayId).toBe('tgw-0123456789abcdef0');
      template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTable', { TransitGatewayId: 'tgw-0123456789abcdef0' });
      template.hasResourceProperties('AWS::EC2::TransitGatewayAttachment', { TransitGatewayId: 'tgw-0123456789abcdef0', VpcId: ref(a) });
      expect(tgwRoutes(template).every((r) => r.TransitGatewayId === 'tgw-0123456789abcdef0')).toBe(true);
      expect(tgwRoutes(template)).toHaveLength(8);
    });

    test('routes only the tables of routes.subnets, and attaches in attachmentSubnets', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16');
      const b = testVpc(stack, 'VpcB', '10.1.0.0/16');
      const hub = new TransitGatewayHub(stack, 'Hub', {
        spokes: [a, b],
        routes: { subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } },
        attachmentSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      });
      const template = Template.fromStack(stack);
      const routes = tgwRoutes(template);
      expect(routes).toHaveLength(4);
      expect(routes.filter((r) => r.DestinationCidrBlock === '10.1.0.0/16').map((r) => r.RouteTableId))
        .toEqual(a.isolatedSubnets.map((s) => stack.resolve(s.routeTable.routeTableId)));
      expect(stack.resolve(hub.attachment(a).subnetIds)).toEqual(a.publicSubnets.map((s) => stack.resolve(s.subnetId)));
    });

    test('routes every secondary block of a spoke, after its association exists', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16', { maxAzs: 1, groups: ['Isolated'] });
      const b = testVpc(stack, 'VpcB', '10.1.0.0/16', { maxAzs: 1, groups: ['Isolated'] });
      const secondary = new ec2.CfnVPCCidrBlock(stack, 'BSecondary', { vpcId: b.vpcId, cidrBlock: '10.2.0.0/16' });
      const hub = new TransitGatewayHub(stack, 'Hub', { spokes: [a, b] });

      const routeToSecondary = Template.fromStack(stack).findResources('AWS::EC2::Route', { Properties: { DestinationCidrBlock: '10.2.0.0/16' } });
      expect(Object.values(routeToSecondary)).toEqual([expect.objectContaining({
        Properties: expect.objectContaining({ RouteTableId: stack.resolve(a.isolatedSubnets[0].routeTable.routeTableId) }),
        DependsOn: expect.arrayContaining([stack.getLogicalId(secondary), logicalIdOf(hub.attachment(a))]),
      })]);
    });

    test('the route registry sees the hub\'s routes: a hand-written route to the same destination fails synth', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16');
      const b = testVpc(stack, 'VpcB', '10.1.0.0/16');
      new TransitGatewayHub(stack, 'Hub', { spokes: [a, b] });
      new ec2.CfnRoute(stack, 'Manual', {
        routeTableId: a.isolatedSubnets[0].routeTable.routeTableId, destinationCidrBlock: '10.1.0.0/16', gatewayId: 'igw-1',
      });
      expect(() => Template.fromStack(stack)).toThrow(/routes to 10\.1\.0\.0\/16/);
    });
  });

  describe('segments', () => {
    test('isolated spokes reach the shared spokes but not each other; shared spokes reach everyone', () => {
      // GIVEN a shared services VPC and two isolated workload VPCs
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const shared = testVpc(stack, 'Shared', '10.0.0.0/16');
      const app1 = testVpc(stack, 'App1', '10.1.0.0/16');
      const app2 = testVpc(stack, 'App2', '10.2.0.0/16');

      // WHEN
      const hub = new TransitGatewayHub(stack, 'Hub', { spokes: [shared, app1, app2], isolatedSpokes: [app1, app2] });

      // THEN: VPC routes
      const template = Template.fromStack(stack);
      const routes = tgwRoutes(template);
      expect(destinationsIn(routes, shared)).toEqual(['10.1.0.0/16', '10.2.0.0/16']);
      expect(destinationsIn(routes, app1)).toEqual(['10.0.0.0/16']);
      expect(destinationsIn(routes, app2)).toEqual(['10.0.0.0/16']);
      expect(routes).toHaveLength(4 * 2 + 4 + 4);

      // THEN: transit gateway route tables
      template.resourceCountIs('AWS::EC2::TransitGatewayRouteTable', 2);
      expect(hub.routeTables).toEqual([hub.sharedRouteTable, hub.isolatedRouteTable]);
      const sharedTable = logicalIdOf(hub.sharedRouteTable);
      const isolatedTable = logicalIdOf(hub.isolatedRouteTable!);
      const resources = template.toJSON().Resources as Resources;
      const pairs = (type: string) => Object.values(resources).filter((r) => r.Type === type).map((r) => {
        const attachment = (r.Properties!.TransitGatewayAttachmentId as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
        const table = (r.Properties!.TransitGatewayRouteTableId as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
        return `${attachment} -> ${table}`;
      }).sort();
      const att = (vpc: ec2.IVpc) => logicalIdOf(hub.attachment(vpc));
      expect(pairs('AWS::EC2::TransitGatewayRouteTableAssociation')).toEqual([
        `${att(shared)} -> ${sharedTable}`, `${att(app1)} -> ${isolatedTable}`, `${att(app2)} -> ${isolatedTable}`,
      ].sort());
      expect(pairs('AWS::EC2::TransitGatewayRouteTablePropagation')).toEqual([
        `${att(shared)} -> ${sharedTable}`, `${att(app1)} -> ${sharedTable}`, `${att(app2)} -> ${sharedTable}`,
        `${att(shared)} -> ${isolatedTable}`,
      ].sort());
    });
  });

  describe('routes.destinations (summary blocks)', () => {
    test('routes the summaries instead of each spoke\'s blocks', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const vpcs = ['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16'].map((cidr, i) => testVpc(stack, `Vpc${i}`, cidr));
      new TransitGatewayHub(stack, 'Hub', { spokes: vpcs, routes: { destinations: ['10.0.0.0/8'] } });
      const routes = tgwRoutes(Template.fromStack(stack));
      expect(routes).toHaveLength(3 * 4);
      expect(new Set(routes.map((r) => r.DestinationCidrBlock))).toEqual(new Set(['10.0.0.0/8']));
    });

    test('a hub\'s only spoke routes its summaries too: they may cover what it reaches through a peering of hubs', () => {
      // GIVEN one spoke with a summary, and nothing else on the hub (as a second region's shared services)
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const only = testVpc(stack, 'Only', '10.9.0.0/16');

      // WHEN
      const hub = new TransitGatewayHub(stack, 'Hub', { spokes: [only], routes: { destinations: ['10.0.0.0/8'] } });

      // THEN each of its 4 route tables sends the summary to the gateway, once, after the attachment
      const routes = tgwRoutes(Template.fromStack(stack));
      expect(routes.map((r) => r.DestinationCidrBlock)).toEqual(['10.0.0.0/8', '10.0.0.0/8', '10.0.0.0/8', '10.0.0.0/8']);
      expect(hub.spokeRoutes(only)).toHaveLength(4);
      expect(hub.spokeRoutes(only).every((r) => r.node.dependencies.includes(hub.attachment(only)))).toBe(true);
    });

    test('a summary that does not cover a reachable spoke\'s block is an error naming both', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16');
      const b = testVpc(stack, 'VpcB', '172.16.0.0/16');
      expect(() => new TransitGatewayHub(stack, 'Hub', { spokes: [a, b], routes: { destinations: ['10.0.0.0/8'] } }))
        .toThrow(/do not cover 172\.16\.0\.0\/16 of spoke Stack\/VpcB, which spoke Stack\/VpcA reaches/);
    });

    test('a summary needs to cover only the spokes a spoke reaches', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const shared = testVpc(stack, 'Shared', '10.0.0.0/16');
      const app1 = testVpc(stack, 'App1', '10.1.0.0/16');
      const app2 = testVpc(stack, 'App2', '172.16.0.0/16');
      // app2 reaches only shared, which 10.0.0.0/8 covers; but shared reaches app2, which it does not
      expect(() => new TransitGatewayHub(stack, 'Hub', { spokes: [shared, app1, app2], isolatedSpokes: [app1, app2], routes: { destinations: ['10.0.0.0/8'] } }))
        .toThrow(/172\.16\.0\.0\/16 of spoke Stack\/App2, which spoke Stack\/Shared reaches/);
    });

    test('a malformed summary, or one inside a spoke\'s own block, is an error', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const spokes = [testVpc(stack, 'VpcA', '10.0.0.0/16'), testVpc(stack, 'VpcB', '10.1.0.0/16')];
      expect(() => new TransitGatewayHub(stack, 'Hub1', { spokes, routes: { destinations: ['10.0.0.1/8'] } })).toThrow(/routes\.destinations: .*host bits set/);
      expect(() => new TransitGatewayHub(stack, 'Hub2', { spokes, routes: { destinations: ['10.0.0.0/8', '10.1.0.0/24'] } }))
        .toThrow(/10\.1\.0\.0\/24 lies within 10\.1\.0\.0\/16 of spoke Stack\/VpcB/);
      expect(() => new TransitGatewayHub(stack, 'Hub3', { spokes, routes: { destinations: [] } })).toThrow(/routes\.destinations is empty/);
    });

    test('a summary that covers no spoke is routed with a warning', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      new TransitGatewayHub(stack, 'Hub', {
        spokes: [testVpc(stack, 'VpcA', '10.0.0.0/16'), testVpc(stack, 'VpcB', '10.1.0.0/16')],
        routes: { destinations: ['10.0.0.0/8', '192.168.0.0/16'] },
      });
      Annotations.fromStack(stack).hasWarning('/Stack/Hub', Match.stringLikeRegexp('192\\.168\\.0\\.0/16 contains no CIDR block of any spoke'));
    });
  });

  describe('IPv6', () => {
    test('dual-stack spokes get IPv6 support on their attachments and IPv6 routes to each other; IPv4-only spokes get neither', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16', { ipProtocol: ec2.IpProtocol.DUAL_STACK });
      const b = testVpc(stack, 'VpcB', '10.1.0.0/16', { ipProtocol: ec2.IpProtocol.DUAL_STACK });
      const c = testVpc(stack, 'VpcC', '10.2.0.0/16');
      const hub = new TransitGatewayHub(stack, 'Hub', { spokes: [a, b, c] });

      const template = Template.fromStack(stack);
      expect(hub.attachment(a).options).toEqual({ Ipv6Support: 'enable' });
      expect(hub.attachment(b).options).toEqual({ Ipv6Support: 'enable' });
      expect(hub.attachment(c).options).toBeUndefined();
      const ipv6Routes = Object.values(template.findResources('AWS::EC2::Route', {
        Properties: { TransitGatewayId: Match.anyValue(), DestinationIpv6CidrBlock: Match.anyValue() },
      })).map((r) => r.Properties);
      expect(ipv6Routes).toHaveLength(8);
      const aTables = tableRefs(a).map((t) => JSON.stringify(t));
      const bTables = tableRefs(b).map((t) => JSON.stringify(t));
      expect(ipv6Routes.filter((r) => aTables.includes(JSON.stringify(r.RouteTableId)))).toHaveLength(4);
      expect(ipv6Routes.filter((r) => bTables.includes(JSON.stringify(r.RouteTableId)))).toHaveLength(4);
      // a's tables route b's Amazon-provided block, read from b's Ipv6CidrBlocks
      expect(JSON.stringify(ipv6Routes.find((r) => aTables.includes(JSON.stringify(r.RouteTableId)))!.DestinationIpv6CidrBlock))
        .toContain(stack.getLogicalId(b.node.defaultChild as ec2.CfnVPC));
      // c routes IPv4 only
      expect(destinationsIn(tgwRoutes(template), c)).toEqual(['10.0.0.0/16', '10.1.0.0/16']);
    });

    test('an IPv6 block known only at deploy time in another spoke\'s stack is not routed, with a warning, so spoke stacks stay independent', () => {
      const app = new App();
      const hubStack = new Stack(app, 'HubStack', { env: ENV });
      const a = testVpc(new Stack(app, 'StackA', { env: ENV }), 'Vpc', '10.0.0.0/16', { ipProtocol: ec2.IpProtocol.DUAL_STACK });
      const b = testVpc(new Stack(app, 'StackB', { env: ENV }), 'Vpc', '10.1.0.0/16', { ipProtocol: ec2.IpProtocol.DUAL_STACK });
      new TransitGatewayHub(hubStack, 'Hub', { spokes: [a, b] });

      const template = Template.fromStack(Stack.of(a));
      template.resourceCountIs('AWS::EC2::TransitGatewayAttachment', 1);
      expect(tgwRoutes(template).map((r) => r.DestinationCidrBlock)).toEqual(Array(4).fill('10.1.0.0/16'));
      Annotations.fromStack(hubStack).hasWarning('/HubStack/Hub', Match.stringLikeRegexp('No route from spoke StackA/Vpc to the IPv6 block of spoke StackB/Vpc'));
      expect(Stack.of(a).dependencies.map((s) => s.stackName)).toEqual(['HubStack']);
      expect(Stack.of(b).dependencies.map((s) => s.stackName)).toEqual(['HubStack']);
    });
  });

  describe('spread over stacks', () => {
    test('the hub\'s stack holds the gateway and its route tables; each spoke\'s stack its attachment, association, propagations and routes', () => {
      // GIVEN
      const { hubStack, stacks, vpcs } = spreadApp(3);

      // WHEN
      const hub = new TransitGatewayHub(hubStack, 'Hub', { spokes: vpcs, isolatedSpokes: [vpcs[2]] });

      // THEN
      const hubTemplate = Template.fromStack(hubStack);
      expect(Object.values(hubTemplate.toJSON().Resources as Resources).map((r) => r.Type).sort())
        .toEqual(['AWS::EC2::TransitGateway', 'AWS::EC2::TransitGatewayRouteTable', 'AWS::EC2::TransitGatewayRouteTable']);
      stacks.forEach((stack, i) => {
        const template = Template.fromStack(stack);
        template.resourceCountIs('AWS::EC2::TransitGatewayAttachment', 1);
        template.resourceCountIs('AWS::EC2::TransitGatewayRouteTableAssociation', 1);
        template.resourceCountIs('AWS::EC2::TransitGatewayRouteTablePropagation', i === 2 ? 1 : 2);
        template.hasResourceProperties('AWS::EC2::TransitGatewayAttachment', {
          VpcId: ref(vpcs[i]),
          TransitGatewayId: { 'Fn::ImportValue': Match.stringLikeRegexp('^HubStack:') },
        });
        expect(tgwRoutes(template).every((r) => tableRefs(vpcs[i]).some((t) => JSON.stringify(t) === JSON.stringify(r.RouteTableId)))).toBe(true);
        expect(Stack.of(hub.attachment(vpcs[i]))).toBe(stack);
        expect(hub.attachment(vpcs[i]).node.path).toBe(`${stack.stackName}/Hub/Vpc/Attachment`);
        // spoke stacks depend on the hub's stack only, never on each other
        expect(stack.dependencies).toEqual([hubStack]);
      });
      expect(hubStack.dependencies).toEqual([]);
      expect(destinationsIn(tgwRoutes(Template.fromStack(stacks[2])), vpcs[2])).toEqual(['10.0.0.0/16', '10.1.0.0/16']);
      expect(destinationsIn(tgwRoutes(Template.fromStack(stacks[0])), vpcs[0])).toEqual(['10.1.0.0/16', '10.2.0.0/16']);
    });

    test('a spoke in the hub\'s stack keeps its pieces under the hub', () => {
      const { hubStack, vpcs } = spreadApp(1);
      const local = testVpc(hubStack, 'Local', '10.9.0.0/16');
      const hub = new TransitGatewayHub(hubStack, 'Hub', { spokes: [vpcs[0], local] });
      expect(hub.attachment(local).node.path).toBe('HubStack/Hub/Local/Attachment');
      const template = Template.fromStack(hubStack);
      template.resourceCountIs('AWS::EC2::TransitGatewayAttachment', 1);
      expect(destinationsIn(tgwRoutes(template), local)).toEqual(['10.0.0.0/16']);
    });

    test('adding a spoke changes no logical id or property of the other spokes\' resources', () => {
      const build = (count: number, multiStack: boolean) => {
        const app = new App();
        if (multiStack) {
          const { hubStack, vpcs } = spreadApp(count, { env: ENV }, app);
          new TransitGatewayHub(hubStack, 'Hub', { spokes: vpcs });
        } else {
          const stack = new Stack(app, 'HubStack', { env: ENV });
          const vpcs = Array.from({ length: count }, (_, i) => testVpc(stack, `Vpc${'ABCD'[i]}`, `10.${i}.0.0/16`));
          new TransitGatewayHub(stack, 'Hub', { spokes: vpcs, isolatedSpokes: [vpcs[1]] });
        }
        const assembly = app.synth();
        return assembly.stacks.map((s) => ({ name: s.stackName, resources: s.template.Resources as Resources }));
      };
      for (const multiStack of [true, false]) {
        const three = build(3, multiStack);
        const four = build(4, multiStack);
        let compared = 0;
        for (const { name, resources } of three) {
          const after = four.find((s) => s.name === name)!.resources;
          for (const [id, resource] of Object.entries(resources)) {
            expect({ id, resource: after[id] }).toEqual({ id, resource });
            if (resource.Type.startsWith('AWS::EC2::TransitGateway') || resource.Type === 'AWS::EC2::Route') { compared++; }
          }
        }
        expect(compared).toBeGreaterThan(20);
      }
    });

    test('two hubs with the same id attaching VPCs of one stack get containers of their own there', () => {
      const app = new App();
      const spokeStack = new Stack(app, 'Spokes', { env: ENV });
      const [a, b, c, d] = ['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16'].map((cidr, i) => testVpc(spokeStack, `Vpc${'ABCD'[i]}`, cidr));
      const hub1 = new TransitGatewayHub(new Stack(app, 'Hub1Stack', { env: ENV }), 'Hub', { spokes: [a, b] });
      const hub2 = new TransitGatewayHub(new Stack(app, 'Hub2Stack', { env: ENV }), 'Hub', { spokes: [c, d] });
      expect(hub1.attachment(a).node.path).toBe('Spokes/Hub/VpcA/Attachment');
      expect(hub2.attachment(c).node.path).toMatch(/^Spokes\/Hub[0-9a-f]{8}\/VpcC\/Attachment$/);
      Template.fromStack(spokeStack).resourceCountIs('AWS::EC2::TransitGatewayAttachment', 4);
    });
  });

  describe('template validity', () => {
    test('a hub in one stack and a hub spread over several stacks synthesize with no validator finding and no warning', () => {
      const app = newApp();
      const single = new Stack(app, 'Single', { env: ENV });
      const spokes = ['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16'].map((cidr, i) => testVpc(single, `Vpc${i}`, cidr, {
        ipProtocol: i < 2 ? ec2.IpProtocol.DUAL_STACK : undefined,
      }));
      new TransitGatewayHub(single, 'Hub', { spokes, isolatedSpokes: [spokes[2]], amazonSideAsn: 64600 });

      const hubStack = new Stack(app, 'HubStack', { env: ENV });
      const spread = ['10.10.0.0/16', '10.11.0.0/16', '10.12.0.0/16'].map((cidr, i) => testVpc(new Stack(app, `Spoke${i}`, { env: ENV }), 'Vpc', cidr));
      new TransitGatewayHub(hubStack, 'Hub', { spokes: spread, isolatedSpokes: [spread[0]], routes: { destinations: ['10.8.0.0/13'] } });

      const { findings, warnings } = synthApp(app);
      expect(findings).toEqual([]);
      expect(warnings).toEqual([]);
    });
  });

  describe('unknown values', () => {
    test('a VPC lookup that has not run yet synthesizes without error, finding or warning', () => {
      const app = newApp();
      const stack = new Stack(app, 'Stack', { env: ENV });
      const looked = ec2.Vpc.fromLookup(stack, 'Looked', { vpcId: 'vpc-0aaaaaaaaaaaaaaaa' });
      const hub = new TransitGatewayHub(stack, 'Hub', { spokes: [testVpc(stack, 'VpcA', '10.0.0.0/16'), looked] });
      // the placeholder CIDR (1.2.3.4/5) is neither checked nor routed; the lookup's next pass fills it in
      expect(hub.spokeRoutes(looked).length).toBeGreaterThan(0);
      const { findings } = synthApp(app);
      expect(findings).toEqual([]);
      expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cdk-vpc-connect'))).toHaveLength(0);
      expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain('1.2.3.4/5');
    });

    test('a spoke CIDR that is a token skips the overlap check with a warning, and is still routed', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const imported = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
        vpcId: Fn.importValue('OtherVpcId'), vpcCidrBlock: Fn.importValue('OtherVpcCidr'), availabilityZones: ['us-east-1a'],
        isolatedSubnetIds: ['subnet-1'], isolatedSubnetRouteTableIds: ['rtb-1'],
      });
      new TransitGatewayHub(stack, 'Hub', { spokes: [testVpc(stack, 'VpcA', '10.0.0.0/16'), imported] });
      Annotations.fromStack(stack).hasWarning('/Stack/Hub', Match.stringLikeRegexp('overlap check of Stack/Imported .* was skipped.*literal'));
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::EC2::Route', { RouteTableId: Match.anyValue(), DestinationCidrBlock: { 'Fn::ImportValue': 'OtherVpcCidr' } });
      template.hasResourceProperties('AWS::EC2::Route', { RouteTableId: 'rtb-1', DestinationCidrBlock: '10.0.0.0/16' });
    });

    test('a summary that is a token is routed, with a warning that the coverage check was skipped', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      new TransitGatewayHub(stack, 'Hub', {
        spokes: [testVpc(stack, 'VpcA', '10.0.0.0/16'), testVpc(stack, 'VpcB', '172.16.0.0/16')],
        routes: { destinations: [Fn.importValue('CorporateRange')] },
      });
      Annotations.fromStack(stack).hasWarning('/Stack/Hub', Match.stringLikeRegexp('routes.destinations: a summary block is a token'));
      const routes = tgwRoutes(Template.fromStack(stack));
      expect(routes).toHaveLength(8);
      expect(routes.every((r) => JSON.stringify(r.DestinationCidrBlock) === JSON.stringify({ 'Fn::ImportValue': 'CorporateRange' }))).toBe(true);
    });

    test('a spoke with an IPv6 block but attachment subnets without one gets no IPv6 support, with a warning', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16', { ipProtocol: ec2.IpProtocol.DUAL_STACK });
      const b = testVpc(stack, 'VpcB', '10.1.0.0/16');
      new ec2.CfnVPCCidrBlock(stack, 'BIpv6', { vpcId: b.vpcId, amazonProvidedIpv6CidrBlock: true });
      const hub = new TransitGatewayHub(stack, 'Hub', { spokes: [a, b] });
      expect(hub.attachment(b).options).toBeUndefined();
      expect(hub.spokeRoutes(a).map((r) => r.destinationIpv6CidrBlock).filter((d) => d !== undefined)).toEqual([]);
      Annotations.fromStack(stack).hasWarning('/Stack/Hub', Match.stringLikeRegexp('Spoke Stack/VpcB has an IPv6 block, but attachment subnet.*have none'));
    });
  });

  describe('with a peering mesh over the same stacks', () => {
    test('spoke stacks depend on the hub\'s stack from the start, so a mesh built afterwards orders the stacks the same way', () => {
      // GIVEN the hub in a stack whose path sorts after its spokes' stacks
      const app = new App();
      const shared = new Stack(app, 'Shared', { env: ENV });
      const appA = new Stack(app, 'AppA', { env: ENV });
      const appB = new Stack(app, 'AppB', { env: ENV });
      const vpcs = [testVpc(shared, 'Vpc', '10.0.0.0/16'), testVpc(appA, 'Vpc', '10.1.0.0/16'), testVpc(appB, 'Vpc', '10.2.0.0/16')];
      new TransitGatewayHub(shared, 'Hub', { spokes: vpcs.slice(1) });

      // WHEN a mesh peers the shared VPC with each app VPC (the apps talk through the hub)
      const mesh = new PeeringMesh(shared, 'Mesh', { vpcs, connections: [{ between: [vpcs[0], vpcs[1]] }, { between: [vpcs[0], vpcs[2]] }] });

      // THEN the spoke stacks deploy after Shared, the mesh agrees, and the app has no cycle
      expect(appA.dependencies).toContain(shared);
      expect(Stack.of(mesh.peeringBetween(vpcs[0], vpcs[1]))).toBe(appA);
      expect(() => app.synth()).not.toThrow();
    });
  });

  describe('spokes added one by one', () => {
    /** Every stack's template of an app, by stack name. */
    const templates = (app: App) => Object.fromEntries(app.synth().stacks.map((s) => [s.stackName, s.template]));

    // Each case builds its VPCs, then attaches them in the order given (indexes into the VPCs).
    const cases: Array<{ name: string; build: (app: App) => { hubScope: Construct; vpcs: ec2.IVpc[]; isolated: number[]; routes?: { destinations: string[] } } }> = [
      {
        name: 'spread over stacks, with an isolated spoke and a spoke in the hub\'s stack',
        build: (app) => {
          const hubStack = new Stack(app, 'HubStack', { env: ENV });
          const vpcs = [0, 1, 2].map((i) => testVpc(new Stack(app, `Spoke${i}`, { env: ENV }), 'Vpc', `10.${i}.0.0/16`));
          return { hubScope: hubStack, vpcs: [...vpcs, testVpc(hubStack, 'Local', '10.9.0.0/16')], isolated: [0, 2] };
        },
      },
      {
        name: 'one stack, dual-stack spokes',
        build: (app) => {
          const stack = new Stack(app, 'Stack', { env: ENV });
          const vpcs = [0, 1, 2, 3].map((i) => testVpc(stack, `Vpc${i}`, `10.${i}.0.0/16`, { ipProtocol: i < 3 ? ec2.IpProtocol.DUAL_STACK : undefined }));
          return { hubScope: stack, vpcs, isolated: [1] };
        },
      },
      {
        name: 'summary blocks',
        build: (app) => {
          const stack = new Stack(app, 'Stack', { env: ENV });
          const vpcs = [0, 1, 2].map((i) => testVpc(stack, `Vpc${i}`, `10.${i}.0.0/16`));
          return { hubScope: stack, vpcs, isolated: [2], routes: { destinations: ['10.0.0.0/8'] } };
        },
      },
    ];

    test.each(cases)('addSpoke in any order makes the same templates as spokes in props: $name', ({ build }) => {
      // GIVEN the spokes in props
      const propsApp = new App();
      const given = build(propsApp);
      const propsHub = new TransitGatewayHub(given.hubScope, 'Hub', {
        spokes: given.vpcs, isolatedSpokes: given.isolated.map((i) => given.vpcs[i]), routes: given.routes,
      });
      const expected = templates(propsApp);
      expect(propsHub.spokes).toEqual(given.vpcs);

      for (const order of [[...given.vpcs.keys()].reverse(), [1, 3, 0, 2].filter((i) => i < given.vpcs.length)]) {
        // WHEN the same spokes are added one by one in another order
        const app = new App();
        const built = build(app);
        const hub = new TransitGatewayHub(built.hubScope, 'Hub', { routes: built.routes });
        for (const i of order) {
          hub.addSpoke(built.vpcs[i], { isolated: built.isolated.includes(i) });
        }

        // THEN every template is the same, and the hub lists its spokes in the order added
        expect(templates(app)).toEqual(expected);
        expect(hub.spokes).toEqual(order.map((i) => built.vpcs[i]));
        expect(hub.isolatedSpokes).toEqual(order.filter((i) => built.isolated.includes(i)).map((i) => built.vpcs[i]));
        expect(hub.routes).toHaveLength(propsHub.routes.length);
      }
    });

    test('a spoke\'s options override the hub\'s, field by field: attachmentSubnets, routes.subnets, routes.enabled', () => {
      // GIVEN a hub that routes isolated subnets only
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const [a, b, c] = ['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16'].map((cidr, i) => testVpc(stack, `Vpc${'ABC'[i]}`, cidr));
      const hub = new TransitGatewayHub(stack, 'Hub', { spokes: [a], routes: { subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } } });

      // WHEN b routes and attaches in its public subnets, and c routes nothing
      const attachmentB = hub.addSpoke(b, { attachmentSubnets: { subnetType: ec2.SubnetType.PUBLIC }, routes: { subnets: { subnetType: ec2.SubnetType.PUBLIC } } });
      hub.addSpoke(c, { routes: { enabled: false } });

      // THEN
      const table = (subnet: ec2.ISubnet) => stack.resolve(subnet.routeTable.routeTableId);
      expect(attachmentB).toBe(hub.attachment(b));
      expect(stack.resolve(attachmentB.subnetIds)).toEqual(b.publicSubnets.map((s) => stack.resolve(s.subnetId)));
      expect(stack.resolve(hub.attachment(a).subnetIds)).toEqual(a.isolatedSubnets.map((s) => stack.resolve(s.subnetId)));
      expect(hub.spokeRoutes(a).map((r) => [stack.resolve(r.routeTableId), r.destinationCidrBlock]).sort())
        .toEqual(a.isolatedSubnets.flatMap((s) => [[table(s), '10.1.0.0/16'], [table(s), '10.2.0.0/16']]).sort());
      expect(hub.spokeRoutes(b).map((r) => [stack.resolve(r.routeTableId), r.destinationCidrBlock]).sort())
        .toEqual(b.publicSubnets.flatMap((s) => [[table(s), '10.0.0.0/16'], [table(s), '10.2.0.0/16']]).sort());
      expect(hub.spokeRoutes(c)).toEqual([]);
      const routes = tgwRoutes(Template.fromStack(stack));
      expect(destinationsIn(routes, c)).toEqual([]);
      expect(routes).toHaveLength(4 + 4);
    });

    test('a spoke\'s routes.destinations replace the hub\'s for it, and keep the hub\'s subnets', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16');
      const b = testVpc(stack, 'VpcB', '172.16.0.0/16');
      const hub = new TransitGatewayHub(stack, 'Hub', {
        spokes: [a],
        routes: { subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, destinations: ['10.0.0.0/8', '172.16.0.0/12'] },
      });
      hub.addSpoke(b, { routes: { destinations: ['10.0.0.0/8'] } });
      expect(hub.spokeRoutes(a).map((r) => r.destinationCidrBlock).sort()).toEqual(['10.0.0.0/8', '10.0.0.0/8', '172.16.0.0/12', '172.16.0.0/12']);
      expect(hub.spokeRoutes(b).map((r) => [stack.resolve(r.routeTableId), r.destinationCidrBlock]))
        .toEqual(b.isolatedSubnets.map((s) => [stack.resolve(s.routeTable.routeTableId), '10.0.0.0/8']));
    });

    test('a spoke added later is checked against the summaries of the spokes that reach it', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const hub = new TransitGatewayHub(stack, 'Hub', { spokes: [testVpc(stack, 'VpcA', '10.0.0.0/16')], routes: { destinations: ['10.0.0.0/8'] } });
      expect(() => hub.addSpoke(testVpc(stack, 'VpcB', '172.16.0.0/16')))
        .toThrow(/routes\.destinations \(10\.0\.0\.0\/8\) do not cover 172\.16\.0\.0\/16 of spoke Stack\/VpcB, which spoke Stack\/VpcA reaches/);

      // A summary of an earlier spoke that lies inside the new spoke's block
      const stack2 = new Stack(new App(), 'Stack2', { env: ENV });
      const hub2 = new TransitGatewayHub(stack2, 'Hub', { spokes: [testVpc(stack2, 'VpcA', '10.0.0.0/16')], routes: { destinations: ['10.0.0.0/8', '172.16.0.0/24'] } });
      expect(() => hub2.addSpoke(testVpc(stack2, 'VpcB', '172.16.0.0/16'), { isolated: true }))
        .toThrow(/routes\.destinations: 172\.16\.0\.0\/24 lies within 172\.16\.0\.0\/16 of spoke Stack2\/VpcB/);
    });

    test('routes.scope places a spoke\'s routes in the given construct, in a stack that deploys after the spoke\'s, whatever the order', () => {
      const build = (order: number[]) => {
        // GIVEN two spokes in stacks of their own, and a stack for their routes
        const { app, hubStack, vpcs } = spreadApp(2);
        const routesScope = new Construct(new Stack(app, 'RoutesStack', { env: ENV }), 'SpokeRoutes');
        const hub = new TransitGatewayHub(hubStack, 'Hub');
        // WHEN
        for (const i of order) { hub.addSpoke(vpcs[i], { routes: { scope: routesScope } }); }
        return { app, hub, vpcs, routesStack: Stack.of(routesScope) };
      };
      const { app, hub, vpcs, routesStack } = build([0, 1]);

      // THEN the routes are there, under a construct named after the hub and the spoke, and nowhere else
      expect(hub.spokeRoutes(vpcs[0]).map((r) => r.node.path)).toEqual(Array(4).fill(expect.stringMatching(/^RoutesStack\/SpokeRoutes\/Hub-SpokeAStackVpc\//)));
      expect(hub.spokeRoutes(vpcs[1]).map((r) => r.node.path)).toEqual(Array(4).fill(expect.stringMatching(/^RoutesStack\/SpokeRoutes\/Hub-SpokeBStackVpc\//)));
      expect(tgwRoutes(Template.fromStack(Stack.of(vpcs[0])))).toEqual([]);
      const routes = tgwRoutes(Template.fromStack(routesStack));
      expect(routes).toHaveLength(2 * 4);
      expect(routes.filter((r) => r.DestinationCidrBlock === '10.1.0.0/16')).toHaveLength(4);
      expect(routesStack.dependencies.map((s) => s.stackName).sort()).toEqual(['HubStack', 'SpokeAStack', 'SpokeBStack']);
      // and the other order gives the same templates
      const templates = (a: App) => Object.fromEntries(a.synth().stacks.map((s) => [s.stackName, s.template]));
      expect(templates(build([1, 0]).app)).toEqual(templates(app));
    });
  });

  describe('imported, and recognized', () => {
    test('fromTransitGatewayHubAttributes gives the id and a reference aws-cdk-lib takes', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const imported = TransitGatewayHub.fromTransitGatewayHubAttributes(stack, 'Imported', { transitGatewayId: 'tgw-0123456789abcdef0' });
      expect(imported.transitGatewayId).toBe('tgw-0123456789abcdef0');
      expect(imported.transitGatewayRef.transitGatewayId).toBe('tgw-0123456789abcdef0');
      expect(stack.resolve(imported.transitGatewayRef.transitGatewayArn))
        .toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:us-east-1:111111111111:transit-gateway/tgw-0123456789abcdef0']] });
      expect(imported.env).toEqual({ account: '111111111111', region: 'us-east-1' });
      // A token is taken as it is
      const fromImport = TransitGatewayHub.fromTransitGatewayHubAttributes(stack, 'FromImport', { transitGatewayId: Fn.importValue('HubId') });
      expect(stack.resolve(fromImport.transitGatewayId)).toEqual({ 'Fn::ImportValue': 'HubId' });
    });

    test('a literal transit gateway id that is not tgw- and hex digits, imported or given to a hub', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      expect(() => TransitGatewayHub.fromTransitGatewayHubAttributes(stack, 'Imported', { transitGatewayId: 'vpc-0123' }))
        .toThrow(/\[Stack\] fromTransitGatewayHubAttributes\(Imported\): transitGatewayId: 'vpc-0123' is not a transit gateway id: expected 'tgw-' followed by 8 or 17 lowercase hexadecimal digits/);
      expect(() => new TransitGatewayHub(stack, 'Hub', { spokes: [testVpc(stack, 'VpcA', '10.0.0.0/16')], transitGatewayId: 'tgw-XYZ' }))
        .toThrow(/\[Stack\/Hub\] transitGatewayId: 'tgw-XYZ' is not a transit gateway id/);
    });

    test('the reference of a hub points at its transit gateway, new or given', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const hub = new TransitGatewayHub(stack, 'Hub', { spokes: [testVpc(stack, 'VpcA', '10.0.0.0/16')] });
      const gateway = stack.getLogicalId(hub.transitGateway!);
      expect(stack.resolve(hub.transitGatewayRef)).toEqual({ transitGatewayId: { Ref: gateway }, transitGatewayArn: { 'Fn::GetAtt': [gateway, 'TransitGatewayArn'] } });
      const given = new TransitGatewayHub(stack, 'Given', { spokes: [testVpc(stack, 'VpcB', '10.1.0.0/16')], transitGatewayId: 'tgw-0abc1234' });
      expect(JSON.stringify(stack.resolve(given.transitGatewayRef.transitGatewayArn))).toContain(':ec2:us-east-1:111111111111:transit-gateway/tgw-0abc1234');
    });

    test('isTransitGatewayHub recognizes hubs made by the library, by brand', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const hub = new TransitGatewayHub(stack, 'Hub', { spokes: [testVpc(stack, 'VpcA', '10.0.0.0/16')] });
      expect(TransitGatewayHub.isTransitGatewayHub(hub)).toBe(true);
      // A second copy of the library brands with the same global symbol
      expect(TransitGatewayHub.isTransitGatewayHub(Object.defineProperty({}, Symbol.for('cdk-vpc-connect.TransitGatewayHub'), { value: true }))).toBe(true);
      expect(TransitGatewayHub.isTransitGatewayHub(TransitGatewayHub.fromTransitGatewayHubAttributes(stack, 'Imported', { transitGatewayId: 'tgw-0a1b2c3d' }))).toBe(false);
      expect(TransitGatewayHub.isTransitGatewayHub(hub.transitGateway)).toBe(false);
      expect(TransitGatewayHub.isTransitGatewayHub(undefined)).toBe(false);
      expect(TransitGatewayHub.isTransitGatewayHub(null)).toBe(false);
    });
  });

  describe('estimateMonthlyCost', () => {
    const rates = Pricing.US_EAST_1.rates;
    const hubOf = (count: number) => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      return new TransitGatewayHub(stack, 'Hub', { spokes: Array.from({ length: count }, (_, i) => testVpc(stack, `Vpc${i}`, `10.${i}.0.0/16`)) });
    };

    test('without traffic, the attachments only; with traffic, each GB processed too', () => {
      const hub = hubOf(3);
      const idle = hub.estimateMonthlyCost();
      expect(idle.monthlyUsd).toBeCloseTo(3 * rates.hoursPerMonth * rates.transitGatewayAttachmentPerHour, 6);
      expect(idle.lines.find((l) => l.item === 'Transit gateway data processing')?.quantity).toBe(0);
      const busy = hub.estimateMonthlyCost({ traffic: { gbPerMonth: 1000, crossAzShare: 0 } });
      expect(busy.monthlyUsd).toBeCloseTo(idle.monthlyUsd + 1000 * rates.transitGatewayPerGb, 6);
    });

    test('natGatewaysAvoided does not apply to a hub, and a hub without spokes has nothing to estimate', () => {
      expect(() => hubOf(2).estimateMonthlyCost({ natGatewaysAvoided: 1 }))
        .toThrow(/natGatewaysAvoided \(1\) only applies to the estimate of VpcEndpoints: a transit gateway hub replaces no NAT gateway/);
      expect(() => hubOf(0).estimateMonthlyCost())
        .toThrow(/\[Stack\/Hub\] estimateMonthlyCost: the hub has no spoke yet/);
    });
  });

  describe('bad input', () => {
    test('a routed subnet in an AZ where the attachment has no subnet', () => {
      // GIVEN a spoke attached in us-east-1a only, routing its subnets of both AZs
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16');
      const b = testVpc(stack, 'VpcB', '10.1.0.0/16');
      const onlyA = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED, availabilityZones: [a.availabilityZones[0]] };

      // THEN
      expect(() => new TransitGatewayHub(stack, 'Hub', { spokes: [a, b], attachmentSubnets: onlyA }))
        .toThrow(new RegExp(`Subnet\\(s\\) Stack/VpcA/PublicSubnet2, Stack/VpcA/IsolatedSubnet2 of spoke Stack/VpcA would route to the transit gateway from ${a.availabilityZones[1]}, where the attachment has no subnet`));
      // Routing only the attached AZ's subnets is fine
      const stack2 = new Stack(new App(), 'Stack2', { env: ENV });
      const c = testVpc(stack2, 'VpcC', '10.0.0.0/16');
      const d = testVpc(stack2, 'VpcD', '10.1.0.0/16');
      const firstAz = { availabilityZones: [c.availabilityZones[0]] };
      expect(() => new TransitGatewayHub(stack2, 'Hub', { spokes: [c, d], attachmentSubnets: { ...firstAz, subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, routes: { subnets: firstAz } }))
        .not.toThrow();
    });

    const twoVpcs = () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      return { stack, a: testVpc(stack, 'VpcA', '10.0.0.0/16'), b: testVpc(stack, 'VpcB', '10.1.0.0/16') };
    };

    test('no spoke at synth, whether spokes is empty or left out', () => {
      for (const props of [{ spokes: [] }, undefined]) {
        const stack = new Stack(new App(), 'Stack', { env: ENV });
        new TransitGatewayHub(stack, 'Hub', props);
        expect(() => Template.fromStack(stack)).toThrow(/\[Stack\/Hub\] The transit gateway hub has no spoke: attach at least one VPC, in spokes or with addSpoke\(vpc\)/);
      }
    });

    test('a VPC attached twice, as one object or imported twice, in spokes or with addSpoke', () => {
      const { stack, a, b } = twoVpcs();
      expect(() => new TransitGatewayHub(stack, 'Hub', { spokes: [a, a] })).toThrow(ConnectivityError);
      expect(() => new TransitGatewayHub(stack, 'Hub1', { spokes: [a, a] })).toThrow(/\[Stack\/Hub1\] VPC Stack\/VpcA is already a spoke of this hub\. .*add it once/);
      const attrs = { vpcId: 'vpc-1', vpcCidrBlock: '10.5.0.0/16', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['s-1'], isolatedSubnetRouteTableIds: ['rtb-1'] };
      const one = ec2.Vpc.fromVpcAttributes(stack, 'One', attrs);
      const two = ec2.Vpc.fromVpcAttributes(stack, 'Two', attrs);
      expect(() => new TransitGatewayHub(stack, 'Hub2', { spokes: [one, two] })).toThrow(/already a spoke of this hub \(as Stack\/One and Stack\/Two, both vpc-1\)/);
      const hub = new TransitGatewayHub(stack, 'Hub3', { spokes: [b] });
      expect(() => hub.addSpoke(b, { isolated: true })).toThrow(/VPC Stack\/VpcB is already a spoke of this hub/);
    });

    test('an isolated spoke that is not a spoke', () => {
      const { stack, a, b } = twoVpcs();
      expect(() => new TransitGatewayHub(stack, 'Hub', { spokes: [a], isolatedSpokes: [b] }))
        .toThrow(/isolatedSpokes lists VPC Stack\/VpcB, which is not in spokes\. Add it to spokes too, or attach it with addSpoke/);
    });

    test('every spoke isolated fails synth, but not when a shared spoke is added later', () => {
      const { stack, a, b } = twoVpcs();
      new TransitGatewayHub(stack, 'Hub', { spokes: [a, b], isolatedSpokes: [a, b] });
      expect(() => Template.fromStack(stack))
        .toThrow(/\[Stack\/Hub\] Every spoke is isolated \(Stack\/VpcA, Stack\/VpcB\): isolated spokes reach only shared spokes/);

      const other = twoVpcs();
      const hub = new TransitGatewayHub(other.stack, 'Hub', { spokes: [other.a, other.b], isolatedSpokes: [other.a, other.b] });
      hub.addSpoke(testVpc(other.stack, 'Shared', '10.9.0.0/16'));
      const routes = tgwRoutes(Template.fromStack(other.stack));
      expect(destinationsIn(routes, other.a)).toEqual(['10.9.0.0/16']);
      expect(destinationsIn(routes, other.b)).toEqual(['10.9.0.0/16']);
    });

    test('a spoke in another region', () => {
      const app = new App();
      const stack = new Stack(app, 'Stack', { env: ENV });
      const far = testVpc(new Stack(app, 'Far', { env: { ...ENV, region: 'eu-west-1' } }), 'Vpc', '10.1.0.0/16');
      expect(() => new TransitGatewayHub(stack, 'Hub', { spokes: [testVpc(stack, 'VpcA', '10.0.0.0/16'), far] }))
        .toThrow(/Spoke Far\/Vpc is in eu-west-1, but the hub is in stack Stack in us-east-1.*hub per region and connect the hubs with a TransitGatewayPeering/);
    });

    test('a spoke of another account, or a RemoteVpc', () => {
      const app = new App();
      const stack = new Stack(app, 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16');
      const other = testVpc(new Stack(app, 'Other', { env: { ...ENV, account: '222222222222' } }), 'Vpc', '10.1.0.0/16');
      expect(() => new TransitGatewayHub(stack, 'Hub', { spokes: [a, other] }))
        .toThrow(/Spoke Other\/Vpc is in account 222222222222, the hub in 111111111111.*its own account only: share the transit gateway with that account \(shareWith\).*TransitGatewaySpoke/);
      const remote = RemoteVpc.fromAttributes(stack, 'Remote', { vpcId: 'vpc-0b2b2b2b', cidrs: ['10.2.0.0/16'], account: '222222222222', region: 'us-east-1' });
      expect(() => new TransitGatewayHub(stack, 'Hub2', { spokes: [a, remote] })).toThrow(/Spoke Stack\/Remote is in account 222222222222.*TransitGatewaySpoke/);
    });

    test('a spoke whose stack has another environment than the hub\'s', () => {
      const app = new App();
      const stack = new Stack(app, 'Stack', { env: ENV });
      const agnostic = testVpc(new Stack(app, 'Agnostic'), 'Vpc', '10.1.0.0/16');
      expect(() => new TransitGatewayHub(stack, 'Hub', { spokes: [testVpc(stack, 'VpcA', '10.0.0.0/16'), agnostic] }))
        .toThrow(/Spoke Agnostic\/Vpc is in stack Agnostic \(account not set, region not set\).*same env/);
    });

    test('overlapping spokes, isolated ones included', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const shared = testVpc(stack, 'Shared', '10.0.0.0/16');
      const a = testVpc(stack, 'App1', '10.1.0.0/16');
      const b = testVpc(stack, 'App2', '10.1.128.0/17');
      expect(() => new TransitGatewayHub(stack, 'Hub', { spokes: [shared, a, b] }))
        .toThrow(/Spokes Stack\/App1 \(10\.1\.0\.0\/16\) and Stack\/App2 \(10\.1\.128\.0\/17\) overlap/);
      expect(() => new TransitGatewayHub(stack, 'Hub2', { spokes: [shared, a, b], isolatedSpokes: [a, b] })).toThrow(/overlap.*isolated spokes too/);
    });

    test('attachment subnets with two subnets in one AZ, or none', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16', { groups: ['Public', 'App', 'Data'] });
      const b = testVpc(stack, 'VpcB', '10.1.0.0/16');
      expect(() => new TransitGatewayHub(stack, 'Hub', { spokes: [a, b], attachmentSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }))
        .toThrow(/selects 2 subnets of spoke Stack\/VpcA in .*one attachment subnet per Availability Zone/);
      expect(() => new TransitGatewayHub(stack, 'Hub2', { spokes: [a, b], attachmentSubnets: { subnets: [] } }))
        .toThrow(/attachmentSubnets .* matches no subnet of spoke Stack\/VpcA/);
      expect(() => new TransitGatewayHub(stack, 'Hub3', { spokes: [a, b], attachmentSubnets: { subnetGroupName: 'Data' } }))
        .toThrow(/attachmentSubnets: cannot select subnets of spoke Stack\/VpcB/);
      // one group per AZ is fine
      expect(() => new TransitGatewayHub(stack, 'Hub4', { spokes: [a, b], attachmentSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED, onePerAz: true } }))
        .not.toThrow();
    });

    test('routes at hub level with a scope, or route subnets that cannot be selected', () => {
      const { stack, a, b } = twoVpcs();
      expect(() => new TransitGatewayHub(stack, 'Hub', { spokes: [a, b], routes: { scope: stack } }))
        .toThrow(/\[Stack\/Hub\] routes\.scope is not supported here: the spokes of a hub can be in different stacks.*addSpoke\(vpc, \{ routes: \{ scope \} \}\)/);
      expect(() => new TransitGatewayHub(stack, 'Hub2', { spokes: [a, b], routes: { subnets: { subnetGroupName: 'Nope' } } }))
        .toThrow(/routes\.subnets: cannot select subnets of spoke Stack\/VpcA: .*Nope/);
      expect(() => new TransitGatewayHub(stack, 'Hub3', { spokes: [a, b], routes: { subnets: { subnets: [] } } }))
        .toThrow(/routes: the subnet selection \{ subnets \(none\) \} matches no route table in VPC Stack\/VpcA/);
    });

    test('routes.scope of a spoke in another region, or in the hub\'s stack for a spoke of another stack', () => {
      const { app, hubStack, vpcs } = spreadApp(1);
      const hub = new TransitGatewayHub(hubStack, 'Hub');
      const far = new Stack(app, 'Far', { env: { ...ENV, region: 'eu-west-1' } });
      expect(() => hub.addSpoke(vpcs[0], { routes: { scope: far } }))
        .toThrow(/routes\.scope Far is in stack Far \(111111111111, eu-west-1\), but spoke SpokeAStack\/Vpc is in 111111111111, us-east-1: routes must be created in the account and region of their route table/);
      expect(() => hub.addSpoke(vpcs[0], { routes: { scope: hubStack } }))
        .toThrow(/routes\.scope HubStack is in the hub's stack HubStack, but spoke SpokeAStack\/Vpc is in stack SpokeAStack, which deploys after the hub's/);
      // Nothing of the refused spoke was left behind
      expect(hub.spokes).toEqual([]);
      expect(Stack.of(vpcs[0]).node.tryFindChild('Hub')).toBeUndefined();
    });

    test('route subnets whose route table is not known', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const imported = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
        vpcId: 'vpc-1', vpcCidrBlock: '10.5.0.0/16', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-1'],
      });
      expect(() => new TransitGatewayHub(stack, 'Hub', { spokes: [testVpc(stack, 'VpcA', '10.0.0.0/16'), imported] }))
        .toThrow(/routes: the route table of subnet\(s\) subnet-1 of VPC Stack\/Imported is not known/);
    });

    test('an ASN outside the private ranges, or ASN and description with an existing gateway', () => {
      const { stack, a } = twoVpcs();
      expect(() => new TransitGatewayHub(stack, 'Hub', { spokes: [a], amazonSideAsn: 65535 })).toThrow(/amazonSideAsn 65535 is not a private ASN/);
      expect(() => new TransitGatewayHub(stack, 'Hub2', { spokes: [a], transitGatewayId: 'tgw-0a1b2c3d', amazonSideAsn: 64600 }))
        .toThrow(/only apply to a new transit gateway/);
    });

    test('attachment(vpc) of a VPC that is not a spoke', () => {
      const { stack, a, b } = twoVpcs();
      const hub = new TransitGatewayHub(stack, 'Hub', { spokes: [a] });
      expect(() => hub.attachment(b)).toThrow(ConnectivityError);
      expect(() => hub.attachment(b)).toThrow(/\[Stack\/Hub\] VPC Stack\/VpcB is not a spoke of this transit gateway hub \(spokes: Stack\/VpcA\)/);
    });
  });
});

describe('TransitGatewayHub input checks', () => {
  const twoVpcs = () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    return { stack, a: testVpc(stack, 'VpcA', '10.0.0.0/16'), b: testVpc(stack, 'VpcB', '10.1.0.0/16') };
  };

  describe('attachment subnets of another VPC', () => {
    test('regression: attachmentSubnets holding the spoke\'s own subnets attaches them (no circular JSON)', () => {
      const { stack, a } = twoVpcs();
      const hub = new TransitGatewayHub(stack, 'Hub', { spokes: [a], attachmentSubnets: { subnets: a.isolatedSubnets } });
      expect(stack.resolve(hub.attachment(a).subnetIds)).toEqual(a.isolatedSubnets.map((s) => stack.resolve(s.subnetId)));
    });

    test('hub-level attachmentSubnets holding one spoke\'s subnets fails on the other spoke, naming the subnets and their VPC', () => {
      const { stack, a, b } = twoVpcs();
      expect(() => new TransitGatewayHub(stack, 'Hub', { spokes: [a, b], attachmentSubnets: { subnets: a.isolatedSubnets } }))
        .toThrow(/\[Stack\/Hub\] attachmentSubnets \{ subnets Stack\/VpcA\/IsolatedSubnet1, Stack\/VpcA\/IsolatedSubnet2 \} names subnet Stack\/VpcA\/IsolatedSubnet1 of VPC Stack\/VpcA, subnet Stack\/VpcA\/IsolatedSubnet2 of VPC Stack\/VpcA, which are not in spoke Stack\/VpcB\. .*give subnets per spoke with addSpoke\(vpc, \{ attachmentSubnets \}\)/);
    });

    test('a spoke\'s attachmentSubnets naming another VPC\'s subnet, or a subnet imported by id, is an error and adds nothing', () => {
      const { stack, a, b } = twoVpcs();
      const hub = new TransitGatewayHub(stack, 'Hub', { spokes: [a] });
      expect(() => hub.addSpoke(b, { attachmentSubnets: { subnets: [b.isolatedSubnets[0], a.isolatedSubnets[1]] } }))
        .toThrow(/names subnet Stack\/VpcA\/IsolatedSubnet2 of VPC Stack\/VpcA, which are not in spoke Stack\/VpcB/);
      const imported = ec2.Subnet.fromSubnetAttributes(stack, 'Imported', { subnetId: 'subnet-0123456789abcdef0', availabilityZone: 'us-east-1a' });
      expect(() => hub.addSpoke(b, { attachmentSubnets: { subnets: [imported] } }))
        .toThrow(/names subnet subnet-0123456789abcdef0, which are not in spoke Stack\/VpcB/);
      expect(hub.spokes).toEqual([a]);
      Template.fromStack(stack).resourceCountIs('AWS::EC2::TransitGatewayAttachment', 1);
    });
  });

  test('a spoke imported without its CIDR block is a clean error naming the fix', () => {
    const { stack, a } = twoVpcs();
    const bare = ec2.Vpc.fromVpcAttributes(stack, 'Bare', { vpcId: 'vpc-0123abcd', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-0123abcd'] });
    expect(() => new TransitGatewayHub(stack, 'Hub', { spokes: [a, bare] }))
      .toThrow(/\[Stack\/Hub\] VPC Stack\/Bare was imported without its CIDR block, which the other spokes route toward\. Import it with vpcCidrBlock/);
  });

  describe('route tables of another VPC', () => {
    test('routes.subnets naming another spoke\'s subnets is an error (the common route-table check)', () => {
      const { stack, a, b } = twoVpcs();
      const hub = new TransitGatewayHub(stack, 'Hub', { spokes: [a] });
      expect(() => hub.addSpoke(b, { routes: { subnets: { subnets: [a.isolatedSubnets[0]] } } }))
        .toThrow(/\[Stack\/Hub\] routes\.subnets: subnet Stack\/VpcA\/IsolatedSubnet1 of VPC Stack\/VpcA selected for the route tables of VPC Stack\/VpcB/);
      expect(hub.spokes).toEqual([a]);
    });
  });

  describe('amazonSideAsn', () => {
    test.each([64512, 65000, 65534, 4200000000, 4294967294])('%d is a private ASN AWS accepts', (asn) => {
      const { stack, a } = twoVpcs();
      new TransitGatewayHub(stack, 'Hub', { spokes: [a], amazonSideAsn: asn });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::TransitGateway', { AmazonSideAsn: asn });
    });

    test.each([64511, 65535, 4199999999, 4294967295, 64600.5, 0])('%d is an error naming the ranges', (asn) => {
      const { stack, a } = twoVpcs();
      expect(() => new TransitGatewayHub(stack, 'Hub', { spokes: [a], amazonSideAsn: asn }))
        .toThrow(new RegExp(`\\[Stack/Hub\\] amazonSideAsn ${String(asn).replace('.', '\\.')} is not a private ASN AWS accepts for a transit gateway: use 64512-65534 or 4200000000-4294967294`));
    });
  });

  describe('routes.destinations', () => {
    test('a summary with host bits, given for one spoke, is an error with the network address', () => {
      const { stack, a, b } = twoVpcs();
      const hub = new TransitGatewayHub(stack, 'Hub', { spokes: [a] });
      expect(() => hub.addSpoke(b, { routes: { destinations: ['10.0.0.1/8'] } }))
        .toThrow(/\[Stack\/Hub\] routes\.destinations: '10\.0\.0\.1\/8' is not a CIDR block: it has host bits set \(did you mean 10\.0\.0\.0\/8\?\)/);
    });
  });

  describe('description and Name tags', () => {
    test('a description over 255 characters is an error; 255 is fine', () => {
      const { stack, a } = twoVpcs();
      expect(() => new TransitGatewayHub(stack, 'Hub', { spokes: [a], description: 'x'.repeat(256) }))
        .toThrow(/\[Stack\/Hub\] description 'x{40}\.\.\.' has 256 characters, more than the 255 a transit gateway description takes\. Shorten it/);
      new TransitGatewayHub(stack, 'Hub2', { spokes: [a], description: 'y'.repeat(255) });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::TransitGateway', { Description: 'y'.repeat(255) });
    });

    test('Name tags of a deep construct path are shortened to AWS\'s 256 characters, the same way at every synth, and stay distinct', () => {
      const synthNames = () => {
        const app = new App();
        let scope: Construct = new Stack(app, 'Stack', { env: ENV });
        for (let i = 0; i < 6; i++) { scope = new Construct(scope, `Level${i}${'n'.repeat(40)}`); }
        const vpc = testVpc(scope, 'Vpc', '10.0.0.0/16');
        const other = testVpc(scope, 'Other', '10.1.0.0/16');
        new TransitGatewayHub(scope, 'Hub', { spokes: [vpc, other], isolatedSpokes: [other] });
        const template = Template.fromStack(Stack.of(scope)).toJSON();
        return Object.values(template.Resources as Resources)
          .filter((r) => r.Type.startsWith('AWS::EC2::TransitGateway'))
          .flatMap((r) => ((r.Properties?.Tags ?? []) as Array<{ Key: string; Value: string }>).filter((t) => t.Key === 'Name').map((t) => t.Value));
      };
      const names = synthNames();
      expect(names).toHaveLength(5); // the gateway, its two route tables, two attachments
      expect(names.every((n) => n.length <= 256)).toBe(true);
      expect(names.some((n) => n.length === 256 && /\.\.\.~[0-9a-f]{8}~\.\.\./.test(n))).toBe(true);
      expect(names.some((n) => n.endsWith(' shared')) && names.some((n) => n.endsWith(' isolated'))).toBe(true);
      expect(new Set(names).size).toBe(names.length);
      expect(synthNames()).toEqual(names);
    });
  });

  describe('identifiers', () => {
    test('transitGatewayId \'garbage\', and a token described without its raw text', () => {
      const { stack, a } = twoVpcs();
      expect(() => new TransitGatewayHub(stack, 'Hub', { spokes: [a], transitGatewayId: 'garbage' }))
        .toThrow(/\[Stack\/Hub\] transitGatewayId: 'garbage' is not a transit gateway id: expected 'tgw-' followed by 8 or 17 lowercase hexadecimal digits/);
      const token = () => new TransitGatewayHub(stack, 'Hub2', { spokes: [a], transitGatewayId: Fn.importValue('HubId'), description: 'core' });
      expect(token).toThrow(/transitGatewayId <deploy-time value of Stack\/Hub2> was given/);
      expect(token).not.toThrow(/\$\{Token/);
    });
  });
});

describe('TransitGatewayHub segments (routing domains)', () => {
  /** `attachment -> table` pairs of the associations or propagations of a template, by logical id. */
  function pairs(template: Template, type: string): string[] {
    return Object.values(template.findResources(type)).map((r) => {
      const attachment = (r.Properties.TransitGatewayAttachmentId as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
      // The association of a hub with segments is a custom resource: its table is AssociationRouteTableId.
      const table = ((r.Properties.TransitGatewayRouteTableId ?? r.Properties.AssociationRouteTableId) as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
      return `${attachment} -> ${table}`;
    }).sort();
  }

  /** The issue's network: shared services, prod and dev, prod and dev apart, both reaching shared. */
  function issueHub(extra: Partial<TransitGatewayHubProps> = {}) {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const shared = testVpc(stack, 'Shared', '10.0.0.0/16');
    const prod = testVpc(stack, 'Prod', '10.1.0.0/16');
    const dev = testVpc(stack, 'Dev', '10.2.0.0/16');
    const hub = new TransitGatewayHub(stack, 'Hub', {
      segments: [{ name: 'shared' }, { name: 'prod', reaches: ['shared'] }, { name: 'dev', reaches: ['shared'] }],
      ...extra,
    });
    hub.addSpoke(shared, { segment: 'shared' });
    hub.addSpoke(prod, { segment: 'prod' });
    hub.addSpoke(dev, { segment: 'dev' });
    return { app, stack, hub, shared, prod, dev };
  }

  test('one route table per segment, named after the hub and the segment; each spoke associated with its own', () => {
    const { stack, hub, shared, prod, dev } = issueHub();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::TransitGatewayRouteTable', 3);
    expect(hub.segmentNames).toEqual(['shared', 'prod', 'dev']);
    expect(hub.routeTables).toEqual(['shared', 'prod', 'dev'].map((s) => hub.routeTable(s)));
    expect(hub.sharedRouteTable).toBe(hub.routeTable('shared'));
    expect(hub.isolatedRouteTable).toBeUndefined();
    for (const segment of ['shared', 'prod', 'dev']) {
      template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTable', { Tags: [{ Key: 'Name', Value: `Stack/Hub ${segment}` }] });
    }
    expect(hub.routeTable('prod').node.id).toBe('ProdRouteTable');
    const table = (s: string) => logicalIdOf(hub.routeTable(s));
    const att = (vpc: ec2.IVpc) => logicalIdOf(hub.attachment(vpc));
    template.resourceCountIs('AWS::EC2::TransitGatewayRouteTableAssociation', 0);
    expect(pairs(template, 'Custom::TransitGatewaySpokeAssociation')).toEqual([
      `${att(shared)} -> ${table('shared')}`, `${att(prod)} -> ${table('prod')}`, `${att(dev)} -> ${table('dev')}`,
    ].sort());
    expect([hub.segmentOf(shared), hub.segmentOf(prod), hub.segmentOf(dev)]).toEqual(['shared', 'prod', 'dev']);
  });

  test('a spoke propagates into its own segment\'s table and those of the segments that reach it, never across prod and dev', () => {
    const { stack, hub, shared, prod, dev } = issueHub();
    const template = Template.fromStack(stack);
    const table = (s: string) => logicalIdOf(hub.routeTable(s));
    const att = (vpc: ec2.IVpc) => logicalIdOf(hub.attachment(vpc));
    expect(pairs(template, 'AWS::EC2::TransitGatewayRouteTablePropagation')).toEqual([
      `${att(shared)} -> ${table('shared')}`, `${att(shared)} -> ${table('prod')}`, `${att(shared)} -> ${table('dev')}`,
      `${att(prod)} -> ${table('shared')}`, `${att(prod)} -> ${table('prod')}`,
      `${att(dev)} -> ${table('shared')}`, `${att(dev)} -> ${table('dev')}`,
    ].sort());
    expect(hub.propagations(prod).map((p) => p.node.id)).toEqual(['SharedPropagation', 'ProdPropagation']);
  });

  test('VPC routes follow the segments: prod and dev reach shared, shared reaches both', () => {
    const { stack, shared, prod, dev } = issueHub();
    const routes = tgwRoutes(Template.fromStack(stack));
    expect(destinationsIn(routes, shared)).toEqual(['10.1.0.0/16', '10.2.0.0/16']);
    expect(destinationsIn(routes, prod)).toEqual(['10.0.0.0/16']);
    expect(destinationsIn(routes, dev)).toEqual(['10.0.0.0/16']);
    expect(routes).toHaveLength(4 * 2 + 4 + 4);
  });

  test('the order spokes are added in changes no logical id or property', () => {
    const template = (order: number[]) => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const vpcs = [testVpc(stack, 'Shared', '10.0.0.0/16'), testVpc(stack, 'Prod', '10.1.0.0/16'), testVpc(stack, 'Dev', '10.2.0.0/16')];
      const segments = ['shared', 'prod', 'dev'];
      const hub = new TransitGatewayHub(stack, 'Hub', { segments: [{ name: 'shared' }, { name: 'prod', reaches: ['shared'] }, { name: 'dev', reaches: ['shared'] }] });
      for (const i of order) { hub.addSpoke(vpcs[i], { segment: segments[i] }); }
      const resources = Template.fromStack(stack).toJSON().Resources as Resources;
      return Object.fromEntries(Object.entries(resources).sort(([a], [b]) => a.localeCompare(b)));
    };
    expect(template([2, 0, 1])).toEqual(template([0, 1, 2]));
  });

  test('an isolated segment keeps its members apart; segment: \'isolated\' of a hub without segments is isolated: true', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const [shared, a, b] = ['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16'].map((cidr, i) => testVpc(stack, `Vpc${'SAB'[i]}`, cidr));
    const hub = new TransitGatewayHub(stack, 'Hub', { segments: [{ name: 'shared' }, { name: 'workloads', isolated: true, reaches: ['shared'] }] });
    hub.addSpoke(shared, { segment: 'shared' });
    hub.addSpoke(a, { segment: 'workloads' });
    hub.addSpoke(b, { segment: 'workloads' });
    const routes = tgwRoutes(Template.fromStack(stack));
    expect(destinationsIn(routes, a)).toEqual(['10.0.0.0/16']);
    expect(destinationsIn(routes, b)).toEqual(['10.0.0.0/16']);
    expect(hub.isolatedSpokes).toEqual([a, b]);

    const implicitStack = new Stack(new App(), 'Stack', { env: ENV });
    const [s2, a2] = ['10.0.0.0/16', '10.1.0.0/16'].map((cidr, i) => testVpc(implicitStack, `Vpc${'SA'[i]}`, cidr));
    const implicit = new TransitGatewayHub(implicitStack, 'Hub', { spokes: [s2] });
    implicit.addSpoke(a2, { segment: 'isolated' });
    expect(implicit.isolatedSpokes).toEqual([a2]);
    expect(implicit.isolatedRouteTable?.node.id).toBe('IsolatedRouteTable');
    expect(implicit.segmentOf(s2)).toBe('shared');
  });

  test('a hub with one segment puts every spoke in it', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const hub = new TransitGatewayHub(stack, 'Hub', { segments: [{ name: 'all' }], spokes: [testVpc(stack, 'VpcA', '10.0.0.0/16'), testVpc(stack, 'VpcB', '10.1.0.0/16')] });
    expect(hub.spokes.map((v) => hub.segmentOf(v))).toEqual(['all', 'all']);
    Template.fromStack(stack).resourceCountIs('AWS::EC2::TransitGatewayRouteTable', 1);
    expect(hub.routeTable('all').node.id).toBe('AllRouteTable');
  });

  test('spokes that share no table may overlap; spokes of segments some segment reaches may not', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const hub = new TransitGatewayHub(stack, 'Hub', {
      segments: [{ name: 'shared' }, { name: 'prod', reaches: ['shared'] }, { name: 'dev', reaches: ['shared'] }, { name: 'lab' }, { name: 'lab2' }],
    });
    hub.addSpoke(testVpc(stack, 'Shared', '10.0.0.0/16'), { segment: 'shared' });
    hub.addSpoke(testVpc(stack, 'Prod', '10.1.0.0/16'), { segment: 'prod' });
    hub.addSpoke(testVpc(stack, 'Lab', '10.1.0.0/16'), { segment: 'lab' });
    hub.addSpoke(testVpc(stack, 'Lab2', '10.1.0.0/16'), { segment: 'lab2' });
    expect(() => hub.addSpoke(testVpc(stack, 'Dev', '10.1.128.0/17'), { segment: 'dev' }))
      .toThrow(/Spokes Stack\/Prod \(10.1.0.0\/16\) and Stack\/Dev \(10.1.128.0\/17\) overlap: 10.1.0.0\/16 and 10.1.128.0\/17 share addresses. Both propagate into the transit gateway route table of segment 'shared' \(segments 'prod' and 'dev'\)/);
  });

  describe('internal methods for TransitGatewaySpoke and TransitGatewayPeering', () => {
    test('_segmentRouteTable, _segmentOf, _propagationSegments, _reachedSegments, _reachedSpokeVpcs', () => {
      const { hub, shared, prod, dev } = issueHub();
      expect(hub._segmentRouteTable('dev')).toBe(hub.routeTable('dev'));
      expect(hub._segmentOf(prod)).toBe('prod');
      expect(hub._segmentOf(testVpc(new Stack(new App(), 'Other'), 'Vpc', '10.9.0.0/16'))).toBeUndefined();
      expect(hub._propagationSegments('dev')).toEqual(['shared', 'dev']);
      expect(hub._reachedSegments('shared')).toEqual(['shared', 'prod', 'dev']);
      expect(hub._reachedSpokeVpcs('prod')).toEqual([shared, prod]);
      expect(hub._reachedSpokeVpcs('shared')).toEqual([shared, prod, dev]);
    });

    test('an unknown segment is an error naming the segments', () => {
      const { hub, prod } = issueHub();
      expect(() => hub.routeTable('qa')).toThrow(/'qa' is not a segment of this hub/);
      expect(() => hub.prefixList('qa')).toThrow(/prefixList 'qa' is not a segment of this hub/);
      expect(() => hub.segmentOf(testVpc(Stack.of(prod), 'Stranger', '10.7.0.0/16'))).toThrow(/VPC Stack\/Stranger is not a spoke of this transit gateway hub/);
      expect(() => hub._segmentRouteTable('qa')).toThrow(/\[Stack\/Hub\] the segment 'qa' is not a segment of this hub \(segments: shared, prod, dev\). Declare it in segments/);
      expect(() => hub._reachedSegments('qa')).toThrow(ConnectivityError);
      expect(() => hub._propagationSegments('qa')).toThrow(/'qa' is not a segment/);
      expect(() => hub.addSpoke(testVpc(Stack.of(prod), 'Qa', '10.5.0.0/16'), { segment: 'qa' }))
        .toThrow(/Spoke Stack\/Qa: segment 'qa' is not a segment of this hub \(segments: shared, prod, dev\)/);
      const implicit = new TransitGatewayHub(new Stack(new App(), 'S', { env: ENV }), 'Hub');
      expect(() => implicit._segmentRouteTable('prod')).toThrow(/A hub without segments has the segments shared and isolated/);
    });

    test('_addRemoteSpoke: routed to from the spokes that reach it, counted, checked, and nothing created for it', () => {
      const app = new App();
      const hubStack = new Stack(app, 'Network', { env: ENV });
      const devStack = new Stack(app, 'DevAccount', { env: { ...ENV, account: '222222222222' } });
      const shared = testVpc(hubStack, 'Shared', '10.0.0.0/16');
      const prod = testVpc(hubStack, 'Prod', '10.1.0.0/16');
      const hub = new TransitGatewayHub(hubStack, 'Hub', {
        segments: [{ name: 'shared' }, { name: 'prod', reaches: ['shared'] }, { name: 'dev', reaches: ['shared'] }],
        shareWith: { accounts: ['222222222222'] },
      });
      hub.addSpoke(shared, { segment: 'shared' });
      hub.addSpoke(prod, { segment: 'prod' });
      const dev = testVpc(devStack, 'Vpc', '10.2.0.0/16');
      hub._addRemoteSpoke({ vpc: dev, segment: 'dev', scope: devStack });
      // A spoke added after the remote one routes toward it too, when its segment reaches it.
      const tools = testVpc(hubStack, 'Tools', '10.3.0.0/16');
      hub.addSpoke(tools, { segment: 'shared' });

      const routes = tgwRoutes(Template.fromStack(hubStack));
      expect(destinationsIn(routes, tools)).toEqual(['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16']);
      expect(destinationsIn(routes, shared)).toEqual(['10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16']);
      expect(destinationsIn(routes, prod)).toEqual(['10.0.0.0/16', '10.3.0.0/16']);
      Template.fromStack(devStack).resourceCountIs('AWS::EC2::TransitGatewayAttachment', 0);
      Template.fromStack(hubStack).resourceCountIs('AWS::EC2::TransitGatewayAttachment', 3);
      expect(hub._segmentOf(dev)).toBe('dev');
      expect(hub._reachedSpokeVpcs('shared')).toEqual([shared, prod, tools, dev]);
      expect(hub._reachedSpokeVpcs('dev')).toEqual([shared, tools, dev]);
      expect(hub.spokes).toEqual([shared, prod, tools]);
      expect(hub.estimateMonthlyCost().monthlyUsd).toBeCloseTo(hubWith(4).estimateMonthlyCost().monthlyUsd, 6);

      // Checked like any spoke: twice, overlapping, in another region.
      expect(() => hub._addRemoteSpoke({ vpc: dev, segment: 'dev', scope: devStack })).toThrow(/VPC DevAccount\/Vpc is already a spoke of this hub/);
      expect(() => hub._addRemoteSpoke({ vpc: testVpc(devStack, 'Overlap', '10.1.0.0/20'), segment: 'dev', scope: devStack }))
        .toThrow(/Spokes Network\/Prod \(10.1.0.0\/16\) and DevAccount\/Overlap \(10.1.0.0\/20\) overlap.*segment 'shared'/);
      const farStack = new Stack(app, 'Far', { env: { account: '222222222222', region: 'eu-west-1' } });
      expect(() => hub._addRemoteSpoke({ vpc: testVpc(farStack, 'Vpc', '10.9.0.0/16'), segment: 'dev', scope: farStack }))
        .toThrow(/Spoke Far\/Vpc is in eu-west-1, but the hub is in stack Network in us-east-1/);
      expect(() => hub._addRemoteSpoke({ vpc: testVpc(devStack, 'Qa', '10.8.0.0/16'), segment: 'qa', scope: devStack }))
        .toThrow(/the segment of spoke DevAccount\/Qa 'qa' is not a segment of this hub/);
    });

    test('_addRemoteSpoke of a hub without segments makes the tables its propagations name', () => {
      const app = new App();
      const hubStack = new Stack(app, 'Network', { env: ENV });
      const other = new Stack(app, 'Other', { env: { ...ENV, account: '222222222222' } });
      const hub = new TransitGatewayHub(hubStack, 'Hub', { spokes: [testVpc(hubStack, 'Shared', '10.0.0.0/16')] });
      hub._addRemoteSpoke({ vpc: testVpc(other, 'Vpc', '10.1.0.0/16'), segment: 'shared', scope: other });
      expect(hub.routeTables.map((t) => t.node.id)).toEqual(['SharedRouteTable', 'IsolatedRouteTable']);
      expect(hub.propagations(hub.spokes[0]).map((p) => p.node.id)).toEqual(['SharedPropagation', 'IsolatedPropagation']);
    });

    test('_sharedWithAccount: the accounts listed; any account for an organization or OUs; none without shareWith', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const byAccount = new TransitGatewayHub(stack, 'A', { shareWith: { accounts: ['222222222222'] }, spokes: [testVpc(stack, 'VpcA', '10.0.0.0/16')] });
      expect(byAccount._sharedWithAccount('222222222222')).toBe(true);
      expect(byAccount._sharedWithAccount('333333333333')).toBe(false);
      const byOrg = new TransitGatewayHub(stack, 'B', { shareWith: { organizationArn: 'arn:aws:organizations::111111111111:organization/o-abcdefghij' } });
      expect(byOrg._sharedWithAccount('333333333333')).toBe(true);
      const byOu = new TransitGatewayHub(stack, 'C', { shareWith: { organizationalUnitArns: ['arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-ab12-cdefgh34'] } });
      expect(byOu._sharedWithAccount('333333333333')).toBe(true);
      expect(new TransitGatewayHub(stack, 'D')._sharedWithAccount('222222222222')).toBe(false);
    });
  });

  describe('static and blackhole routes', () => {
    test('a blackhole in the hub\'s stack, a route to a spoke beside its attachment, a route to an attachment id', () => {
      const app = newApp();
      const hubStack = new Stack(app, 'Network', { env: ENV });
      const egressStack = new Stack(app, 'Egress', { env: ENV });
      const egress = testVpc(egressStack, 'Vpc', '10.100.0.0/16');
      const hub = new TransitGatewayHub(hubStack, 'Hub', {
        segments: [
          { name: 'shared' },
          {
            name: 'prod',
            reaches: ['shared'],
            routes: [
              { destination: '10.200.0.0/16', to: SegmentRouteTarget.blackhole() },
              { destination: '192.168.0.0/16', to: SegmentRouteTarget.attachment('tgw-attach-0123456789abcdef0') },
            ],
            defaultRoute: SegmentRouteTarget.spoke(egress),
          },
        ],
      });
      hub.addSpoke(testVpc(hubStack, 'Prod', '10.1.0.0/16'), { segment: 'prod' });
      hub.addSpoke(egress, { segment: 'shared' });
      const prodTable = { 'Fn::GetAtt': [logicalIdOf(hub.routeTable('prod')), 'TransitGatewayRouteTableId'] };
      const hubTemplate = Template.fromStack(hubStack);
      hubTemplate.resourceCountIs('AWS::EC2::TransitGatewayRoute', 2);
      hubTemplate.hasResourceProperties('AWS::EC2::TransitGatewayRoute', {
        TransitGatewayRouteTableId: prodTable, DestinationCidrBlock: '10.200.0.0/16', Blackhole: true, TransitGatewayAttachmentId: Match.absent(),
      });
      hubTemplate.hasResourceProperties('AWS::EC2::TransitGatewayRoute', {
        TransitGatewayRouteTableId: prodTable, DestinationCidrBlock: '192.168.0.0/16', TransitGatewayAttachmentId: 'tgw-attach-0123456789abcdef0', Blackhole: Match.absent(),
      });
      const egressTemplate = Template.fromStack(egressStack);
      egressTemplate.resourceCountIs('AWS::EC2::TransitGatewayRoute', 1);
      egressTemplate.hasResourceProperties('AWS::EC2::TransitGatewayRoute', {
        TransitGatewayRouteTableId: { 'Fn::ImportValue': Match.anyValue() },
        DestinationCidrBlock: '0.0.0.0/0',
        TransitGatewayAttachmentId: { 'Fn::GetAtt': [logicalIdOf(hub.attachment(egress)), 'Id'] },
      });
      expect(hub.segmentRoutes.map((r) => r.node.id).sort()).toEqual(['ProdRoute-0.0.0.0_0', 'ProdRoute-10.200.0.0_16', 'ProdRoute-192.168.0.0_16']);
      expect(synthApp(app).warnings).toEqual([]);
    });

    test('a route to an attachment id of another stack of the hub\'s environment goes in that stack', () => {
      const app = new App();
      const hubStack = new Stack(app, 'Network', { env: ENV });
      const peeringStack = new Stack(app, 'Peering', { env: ENV });
      const hub = new TransitGatewayHub(hubStack, 'Hub', { spokes: [testVpc(hubStack, 'Vpc', '10.0.0.0/16')] });
      const peering = new ec2.CfnTransitGatewayPeeringAttachment(peeringStack, 'Peering', {
        transitGatewayId: hub.transitGatewayId, peerTransitGatewayId: 'tgw-0123456789abcdef0', peerAccountId: '111111111111', peerRegion: 'eu-west-1',
      });
      const hub2 = new TransitGatewayHub(hubStack, 'Hub2', {
        segments: [{ name: 'all', routes: [{ destination: '10.50.0.0/16', to: SegmentRouteTarget.attachment(peering.attrTransitGatewayAttachmentId) }] }],
        spokes: [testVpc(hubStack, 'Vpc2', '10.1.0.0/16')],
      });
      Template.fromStack(hubStack).resourceCountIs('AWS::EC2::TransitGatewayRoute', 0);
      Template.fromStack(peeringStack).hasResourceProperties('AWS::EC2::TransitGatewayRoute', {
        DestinationCidrBlock: '10.50.0.0/16', TransitGatewayAttachmentId: { 'Fn::GetAtt': [Match.anyValue(), 'TransitGatewayAttachmentId'] },
      });
      expect(hub2.segmentRoutes).toHaveLength(1);
      expect(() => synthApp(app)).not.toThrow();
    });

    test('defaultRouteInVpcs gives each member spoke a default route to the gateway, not the egress VPC itself', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const egress = testVpc(stack, 'Egress', '10.100.0.0/16');
      const app1 = testVpc(stack, 'App1', '10.1.0.0/16');
      const hub = new TransitGatewayHub(stack, 'Hub', {
        segments: [{ name: 'egress' }, { name: 'apps', reaches: ['egress'], defaultRoute: SegmentRouteTarget.spoke(egress), defaultRouteInVpcs: true }],
        routes: { subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } },
      });
      hub.addSpoke(egress, { segment: 'egress' });
      hub.addSpoke(app1, { segment: 'apps' });
      const routes = tgwRoutes(Template.fromStack(stack));
      expect(destinationsIn(routes, app1)).toEqual(['0.0.0.0/0', '10.100.0.0/16']);
      expect(destinationsIn(routes, egress)).toEqual(['10.1.0.0/16']);
      expect(hub.spokeRoutes(app1)).toHaveLength(4);
    });

    test('defaultRouteInVpcs in tables that have a default route already is a duplicate route at synth', () => {
      const app = new App();
      const stack = new Stack(app, 'Stack', { env: ENV });
      const egress = testVpc(stack, 'Egress', '10.100.0.0/16');
      const hub = new TransitGatewayHub(stack, 'Hub', {
        segments: [{ name: 'egress' }, { name: 'apps', reaches: ['egress'], defaultRoute: SegmentRouteTarget.spoke(egress), defaultRouteInVpcs: true }],
      });
      hub.addSpoke(egress, { segment: 'egress' });
      hub.addSpoke(testVpc(stack, 'App1', '10.1.0.0/16'), { segment: 'apps' }); // its public subnets route 0.0.0.0/0 to the internet gateway
      expect(() => synthApp(app)).toThrow(/Route table Stack\/App1\/PublicSubnet1\/RouteTable would get 2 routes to 0.0.0.0\/0/);
    });

    test('a route to a VPC that is not a spoke, or to a spoke of another account, fails synth', () => {
      const app = new App();
      const stack = new Stack(app, 'Stack', { env: ENV });
      const other = new Stack(app, 'Other', { env: { ...ENV, account: '222222222222' } });
      const stranger = testVpc(stack, 'Stranger', '10.9.0.0/16');
      const remote = testVpc(other, 'Vpc', '10.8.0.0/16');
      const hub = new TransitGatewayHub(stack, 'Hub', {
        segments: [{ name: 'all', routes: [
          { destination: '10.9.0.0/16', to: SegmentRouteTarget.spoke(stranger) },
          { destination: '10.8.0.0/16', to: SegmentRouteTarget.spoke(remote) },
        ] }],
        spokes: [testVpc(stack, 'Vpc', '10.0.0.0/16')],
      });
      hub._addRemoteSpoke({ vpc: remote, segment: 'all', scope: other });
      expect(() => synthApp(app)).toThrow(/Segment 'all' routes '10.9.0.0\/16' to VPC Stack\/Stranger, which is not a spoke of this hub \(spokes: Stack\/Vpc\)/);
      expect(() => synthApp(app)).toThrow(/Segment 'all' routes '10.8.0.0\/16' to spoke Other\/Vpc, whose attachment is made in another account.*SegmentRouteTarget.attachment\(id\)/);
    });

    test('a malformed attachment id, or one from another environment, is an error', () => {
      const app = new App();
      const stack = new Stack(app, 'Stack', { env: ENV });
      expect(() => new TransitGatewayHub(stack, 'Hub', { segments: [{ name: 'all', routes: [{ destination: '10.9.0.0/16', to: SegmentRouteTarget.attachment('attach-1') }] }] }))
        .toThrow(/Segment 'all': SegmentRouteTarget.attachment\('attach-1'\) is not a transit gateway attachment id/);
      const far = new Stack(app, 'Far', { env: { ...ENV, region: 'eu-west-1' } });
      const farAttachment = new ec2.CfnTransitGatewayPeeringAttachment(far, 'Peering', {
        transitGatewayId: 'tgw-0123456789abcdef0', peerTransitGatewayId: 'tgw-0123456789abcdef1', peerAccountId: '111111111111', peerRegion: 'us-east-1',
      });
      expect(() => new TransitGatewayHub(stack, 'Hub2', { segments: [{ name: 'all', routes: [{ destination: '10.9.0.0/16', to: SegmentRouteTarget.attachment(farAttachment.attrTransitGatewayAttachmentId) }] }] }))
        .toThrow(/the attachment id of the route to '10.9.0.0\/16' comes from stack\(s\) Far, not of the hub's environment \(111111111111, us-east-1\)/);
    });

    test('segment problems fail in the constructor, prefixed with segments:', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      expect(() => new TransitGatewayHub(stack, 'Hub', { segments: [{ name: 'prod', reaches: ['shraed'] }] }))
        .toThrow(/\[Stack\/Hub\] segments: segment 'prod' reaches 'shraed', which is not a segment/);
    });

    test('a deploy-time destination is routed, with a warning that its checks were skipped', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      new TransitGatewayHub(stack, 'Hub', {
        segments: [{ name: 'all', routes: [{ destination: Fn.importValue('Blocked'), to: SegmentRouteTarget.blackhole() }] }],
        spokes: [testVpc(stack, 'VpcA', '10.0.0.0/16')],
      });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::TransitGatewayRoute', { DestinationCidrBlock: { 'Fn::ImportValue': 'Blocked' }, Blackhole: true });
      Annotations.fromStack(stack).hasWarning('/Stack/Hub', Match.stringLikeRegexp("Segment 'all': a route destination is only known at deploy time"));
    });

    test('a static route that replaces a propagated route is kept, with a warning', () => {
      const app = new App();
      const stack = new Stack(app, 'Stack', { env: ENV });
      new TransitGatewayHub(stack, 'Hub', {
        segments: [{ name: 'all', routes: [{ destination: '10.1.0.0/16', to: SegmentRouteTarget.blackhole() }] }],
        spokes: [testVpc(stack, 'VpcA', '10.0.0.0/16'), testVpc(stack, 'VpcB', '10.1.0.0/16')],
      });
      Annotations.fromStack(stack).hasWarning('/Stack/Hub', Match.stringLikeRegexp("Segment 'all': the static route to 10.1.0.0/16 replaces the route propagated from spoke Stack/VpcB"));
    });
  });

  describe('bad input', () => {
    test('segment and isolated together, isolated or isolatedSpokes with segments, no segment among several', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const vpc = testVpc(stack, 'Vpc', '10.0.0.0/16');
      const segments = [{ name: 'prod' }, { name: 'dev' }];
      expect(() => new TransitGatewayHub(stack, 'H1').addSpoke(vpc, { segment: 'isolated', isolated: true }))
        .toThrow(/Spoke Stack\/Vpc was given both segment 'isolated' and isolated: true. isolated is the 0.1 form of segment: 'isolated'; give segment only/);
      expect(() => new TransitGatewayHub(stack, 'H2', { segments }).addSpoke(vpc, { isolated: true }))
        .toThrow(/Spoke Stack\/Vpc was given isolated: true, but the hub declares segments \(prod, dev\): give segment instead/);
      expect(() => new TransitGatewayHub(stack, 'H3', { segments, spokes: [vpc], isolatedSpokes: [vpc] }))
        .toThrow(/isolatedSpokes and segments were both given/);
      expect(() => new TransitGatewayHub(stack, 'H4', { segments }).addSpoke(vpc))
        .toThrow(/Spoke Stack\/Vpc has no segment, and the hub declares several \(prod, dev\): say which it joins with addSpoke\(vpc, \{ segment \}\)/);
      expect(() => new TransitGatewayHub(stack, 'H5', { segments: [] })).toThrow(/segments: segments is empty/);
    });
  });

  describe('gateway limits at synth', () => {
    test('more segments than route tables per gateway', () => {
      const app = new App();
      const stack = new Stack(app, 'Stack', { env: ENV });
      const hub = new TransitGatewayHub(stack, 'Hub', { segments: Array.from({ length: 21 }, (_, i) => ({ name: `s${i}` })) });
      hub.addSpoke(testVpc(stack, 'Vpc', '10.0.0.0/16'), { segment: 's0' });
      expect(() => synthApp(app)).toThrow(/Transit gateway hub Stack\/Hub has 21 transit gateway route tables, above the quota of 20 route tables per transit gateway/);
    });

    test('attachments, peering attachments and routes per gateway, with the quotas of the context', () => {
      const app = new App({ context: { 'cdk-vpc-connect:quotas': { attachmentsPerTransitGateway: 2, peeringAttachmentsPerTransitGateway: 1, routesPerTransitGateway: 5 } } });
      const stack = new Stack(app, 'Stack', { env: ENV });
      const hub = new TransitGatewayHub(stack, 'Hub', { spokes: ['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16'].map((c, i) => testVpc(stack, `Vpc${i}`, c)) });
      hub._registerPeeringAttachment(new Construct(stack, 'P1'));
      hub._registerPeeringAttachment(new Construct(stack, 'P2'));
      const run = () => synthApp(app);
      expect(run).toThrow(/Transit gateway hub Stack\/Hub has 5 attachments, above the quota of 2 attachments per transit gateway/);
      expect(run).toThrow(/has 2 peering attachments, above the quota of 1 peering attachments per transit gateway/);
      // 3 spokes, 1 block each, all propagating into the shared table only.
      expect(run).not.toThrow(/transit gateway routes, above/);
    });

    test('80% of the route tables per gateway is a warning; an attachments quota above AWS\'s 5,000 is rejected', () => {
      const app = new App();
      const stack = new Stack(app, 'Stack', { env: ENV });
      const hub = new TransitGatewayHub(stack, 'Hub', { segments: Array.from({ length: 16 }, (_, i) => ({ name: `s${i}` })) });
      hub.addSpoke(testVpc(stack, 'Vpc', '10.0.0.0/16'), { segment: 's0' });
      Annotations.fromStack(stack).hasWarning('/Stack/Hub', Match.stringLikeRegexp('Transit gateway hub Stack/Hub has 16 transit gateway route tables, 80% of the quota of 20'));
      const tooMany = new App({ context: { 'cdk-vpc-connect:quotas': { attachmentsPerTransitGateway: 6000 } } });
      const tooManyStack = new Stack(tooMany, 'S', { env: ENV });
      new TransitGatewayHub(tooManyStack, 'Hub', { spokes: [testVpc(tooManyStack, 'Vpc', '10.0.0.0/16')] });
      expect(() => synthApp(tooMany)).toThrow(/quotas.attachmentsPerTransitGateway is 6000, but AWS allows at most 5000 attachments per transit gateway/);
    });

    test('routes across the gateway\'s tables: propagated into each table, and static', () => {
      const app = new App({ context: { 'cdk-vpc-connect:quotas': { routesPerTransitGateway: 6 } } });
      const { hub } = (() => {
        const stack = new Stack(app, 'Stack', { env: ENV });
        const h = new TransitGatewayHub(stack, 'Hub', {
          segments: [{ name: 'shared', routes: [{ destination: '10.99.0.0/16', to: SegmentRouteTarget.blackhole() }] }, { name: 'prod', reaches: ['shared'] }, { name: 'dev', reaches: ['shared'] }],
        });
        h.addSpoke(testVpc(stack, 'Shared', '10.0.0.0/16'), { segment: 'shared' });
        h.addSpoke(testVpc(stack, 'Prod', '10.1.0.0/16'), { segment: 'prod' });
        h.addSpoke(testVpc(stack, 'Dev', '10.2.0.0/16'), { segment: 'dev' });
        return { hub: h };
      })();
      expect(hub.segmentRoutes).toHaveLength(1);
      // shared: 3 tables; prod: 2; dev: 2; + 1 static = 8
      expect(() => synthApp(app)).toThrow(/Transit gateway hub Stack\/Hub has 8 transit gateway routes, above the quota of 5|has 8 transit gateway routes, above the quota of 6 routes across the route tables of a transit gateway/);
    });
  });
});

/** A hub of `count` spokes in a stack of its own, for cost comparisons. */
function hubWith(count: number): TransitGatewayHub {
  const stack = new Stack(new App(), 'Stack', { env: ENV });
  return new TransitGatewayHub(stack, 'Hub', { spokes: Array.from({ length: count }, (_, i) => testVpc(stack, `Vpc${i}`, `10.${i}.0.0/16`)) });
}

describe('TransitGatewayHub segments in the network model', () => {
  test('prod and dev never reach each other, both reach shared services; a blackhole route holds', () => {
    const app = modelApp();
    const stack = new Stack(app, 'Network', { env: ENV });
    const [shared, prod, dev, lab] = ['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16']
      .map((cidr, i) => testVpc(stack, ['Shared', 'Prod', 'Dev', 'Lab'][i], cidr, { groups: ['Isolated'] }));
    const hub = new TransitGatewayHub(stack, 'Hub', {
      segments: [
        { name: 'shared' },
        { name: 'prod', reaches: ['shared'] },
        { name: 'dev', reaches: ['shared', 'lab'], routes: [{ destination: '10.3.0.0/16', to: SegmentRouteTarget.blackhole() }] },
        { name: 'lab' },
      ],
    });
    hub.addSpoke(shared, { segment: 'shared' });
    hub.addSpoke(prod, { segment: 'prod' });
    hub.addSpoke(dev, { segment: 'dev' });
    hub.addSpoke(lab, { segment: 'lab' });
    const model = NetworkModel.fromApp(app);
    model.expectReach(prod, shared);
    model.expectReach(dev, shared);
    model.expectReach(shared, prod);
    model.expectNoReach(prod, dev);
    model.expectNoReach(dev, prod);
    expect(model.canReach(dev, lab).reason).toMatch(/The transit gateway route table Network\/Hub\/DevRouteTable drops 10.3.0.0\/24 \(blackhole route Network\/Hub\/DevRoute-10.3.0.0_16\)/);
  });
});
