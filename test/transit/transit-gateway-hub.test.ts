import { App, Fn, Stack, StackProps } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { ConnectivityError } from '../../lib/errors';
import { RemoteVpc } from '../../lib/peering/remote-vpc';
import { TransitGatewayHub } from '../../lib/transit';
import { PeeringMesh } from '../../lib/peering/peering-mesh';
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

    test('routes only the tables of routeSubnets, and attaches in attachmentSubnets', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16');
      const b = testVpc(stack, 'VpcB', '10.1.0.0/16');
      const hub = new TransitGatewayHub(stack, 'Hub', {
        spokes: [a, b],
        routeSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
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

  describe('summaryCidrs', () => {
    test('routes the summaries instead of each spoke\'s blocks', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const vpcs = ['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16'].map((cidr, i) => testVpc(stack, `Vpc${i}`, cidr));
      new TransitGatewayHub(stack, 'Hub', { spokes: vpcs, summaryCidrs: ['10.0.0.0/8'] });
      const routes = tgwRoutes(Template.fromStack(stack));
      expect(routes).toHaveLength(3 * 4);
      expect(new Set(routes.map((r) => r.DestinationCidrBlock))).toEqual(new Set(['10.0.0.0/8']));
    });

    test('a summary that does not cover a reachable spoke\'s block is an error naming both', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16');
      const b = testVpc(stack, 'VpcB', '172.16.0.0/16');
      expect(() => new TransitGatewayHub(stack, 'Hub', { spokes: [a, b], summaryCidrs: ['10.0.0.0/8'] }))
        .toThrow(/do not cover 172\.16\.0\.0\/16 of spoke Stack\/VpcB, which spoke Stack\/VpcA reaches/);
    });

    test('a summary needs to cover only the spokes a spoke reaches', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const shared = testVpc(stack, 'Shared', '10.0.0.0/16');
      const app1 = testVpc(stack, 'App1', '10.1.0.0/16');
      const app2 = testVpc(stack, 'App2', '172.16.0.0/16');
      // app2 reaches only shared, which 10.0.0.0/8 covers; but shared reaches app2, which it does not
      expect(() => new TransitGatewayHub(stack, 'Hub', { spokes: [shared, app1, app2], isolatedSpokes: [app1, app2], summaryCidrs: ['10.0.0.0/8'] }))
        .toThrow(/172\.16\.0\.0\/16 of spoke Stack\/App2, which spoke Stack\/Shared reaches/);
    });

    test('a malformed summary, or one inside a spoke\'s own block, is an error', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const spokes = [testVpc(stack, 'VpcA', '10.0.0.0/16'), testVpc(stack, 'VpcB', '10.1.0.0/16')];
      expect(() => new TransitGatewayHub(stack, 'Hub1', { spokes, summaryCidrs: ['10.0.0.1/8'] })).toThrow(/summaryCidrs: .*host bits set/);
      expect(() => new TransitGatewayHub(stack, 'Hub2', { spokes, summaryCidrs: ['10.0.0.0/8', '10.1.0.0/24'] }))
        .toThrow(/10\.1\.0\.0\/24 lies within 10\.1\.0\.0\/16 of spoke Stack\/VpcB/);
      expect(() => new TransitGatewayHub(stack, 'Hub3', { spokes, summaryCidrs: [] })).toThrow(/summaryCidrs is empty/);
    });

    test('a summary that covers no spoke is routed with a warning', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      new TransitGatewayHub(stack, 'Hub', {
        spokes: [testVpc(stack, 'VpcA', '10.0.0.0/16'), testVpc(stack, 'VpcB', '10.1.0.0/16')],
        summaryCidrs: ['10.0.0.0/8', '192.168.0.0/16'],
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

    test('a hub of 100 spokes, one stack each with public and isolated subnets in 2 AZs, keeps every stack under 500 resources', () => {
      // The per-table route quota of 50 is below the 99 routes each table gets here: raise it as an account would.
      const app = new App({ context: { 'cdk-vpc-connect:quotas': { routesPerRouteTable: 200 } } });
      const hubStack = new Stack(app, 'HubStack', { env: ENV });
      const vpcs = Array.from({ length: 100 }, (_, i) => testVpc(new Stack(app, `Spoke${i}`, { env: ENV }), 'Vpc', `10.${i}.0.0/16`));
      new TransitGatewayHub(hubStack, 'Hub', { spokes: vpcs });

      const assembly = app.synth();
      expect(assembly.stacks).toHaveLength(101);
      const counts = assembly.stacks.map((s) => ({ stack: s.stackName, resources: Object.keys(s.template.Resources).length }));
      expect(counts.filter((c) => c.resources >= 500)).toEqual([]);
      expect(counts.find((c) => c.stack === 'HubStack')!.resources).toBe(2);
      const spoke = assembly.getStackByName('Spoke42').template.Resources as Resources;
      expect(Object.values(spoke).filter((r) => r.Type === 'AWS::EC2::Route' && r.Properties?.TransitGatewayId)).toHaveLength(4 * 99);
    }, 300_000);
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
      new TransitGatewayHub(hubStack, 'Hub', { spokes: spread, isolatedSpokes: [spread[0]], summaryCidrs: ['10.8.0.0/13'] });

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
        summaryCidrs: [Fn.importValue('CorporateRange')],
      });
      Annotations.fromStack(stack).hasWarning('/Stack/Hub', Match.stringLikeRegexp('summaryCidrs: a summary block is a token'));
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
      const mesh = new PeeringMesh(shared, 'Mesh', { vpcs, connections: [[vpcs[0], vpcs[1]], [vpcs[0], vpcs[2]]] });

      // THEN the spoke stacks deploy after Shared, the mesh agrees, and the app has no cycle
      expect(appA.dependencies).toContain(shared);
      expect(Stack.of(mesh.peeringBetween(vpcs[0], vpcs[1]))).toBe(appA);
      expect(() => app.synth()).not.toThrow();
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
      expect(() => new TransitGatewayHub(stack2, 'Hub', { spokes: [c, d], attachmentSubnets: { ...firstAz, subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, routeSubnets: firstAz }))
        .not.toThrow();
    });

    const twoVpcs = () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      return { stack, a: testVpc(stack, 'VpcA', '10.0.0.0/16'), b: testVpc(stack, 'VpcB', '10.1.0.0/16') };
    };

    test('no spokes', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      expect(() => new TransitGatewayHub(stack, 'Hub', { spokes: [] })).toThrow(ConnectivityError);
      expect(() => new TransitGatewayHub(stack, 'Hub2', { spokes: [] })).toThrow(/\[Stack\/Hub2\] spokes is empty/);
    });

    test('a VPC listed twice, as one object or imported twice', () => {
      const { stack, a } = twoVpcs();
      expect(() => new TransitGatewayHub(stack, 'Hub', { spokes: [a, a] })).toThrow(/VPC Stack\/VpcA is listed twice/);
      const attrs = { vpcId: 'vpc-1', vpcCidrBlock: '10.5.0.0/16', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['s-1'], isolatedSubnetRouteTableIds: ['rtb-1'] };
      const one = ec2.Vpc.fromVpcAttributes(stack, 'One', attrs);
      const two = ec2.Vpc.fromVpcAttributes(stack, 'Two', attrs);
      expect(() => new TransitGatewayHub(stack, 'Hub2', { spokes: [one, two] })).toThrow(/listed twice in spokes \(as Stack\/One and Stack\/Two, both vpc-1\)/);
    });

    test('an isolated spoke that is not a spoke, or every spoke isolated', () => {
      const { stack, a, b } = twoVpcs();
      expect(() => new TransitGatewayHub(stack, 'Hub', { spokes: [a], isolatedSpokes: [b] })).toThrow(/isolatedSpokes lists VPC Stack\/VpcB, which is not in spokes/);
      expect(() => new TransitGatewayHub(stack, 'Hub2', { spokes: [a, b], isolatedSpokes: [a, b] })).toThrow(/Every spoke is in isolatedSpokes/);
    });

    test('a spoke in another region', () => {
      const app = new App();
      const stack = new Stack(app, 'Stack', { env: ENV });
      const far = testVpc(new Stack(app, 'Far', { env: { ...ENV, region: 'eu-west-1' } }), 'Vpc', '10.1.0.0/16');
      expect(() => new TransitGatewayHub(stack, 'Hub', { spokes: [testVpc(stack, 'VpcA', '10.0.0.0/16'), far] }))
        .toThrow(/Spoke Far\/Vpc is in eu-west-1, but the hub is in stack Stack in us-east-1.*hub per region.*not supported/);
    });

    test('a spoke of another account, or a RemoteVpc', () => {
      const app = new App();
      const stack = new Stack(app, 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.0.0.0/16');
      const other = testVpc(new Stack(app, 'Other', { env: { ...ENV, account: '222222222222' } }), 'Vpc', '10.1.0.0/16');
      expect(() => new TransitGatewayHub(stack, 'Hub', { spokes: [a, other] }))
        .toThrow(/Spoke Other\/Vpc is in account 222222222222, the hub in 111111111111.*AWS RAM/);
      const remote = RemoteVpc.fromAttributes(stack, 'Remote', { vpcId: 'vpc-2', cidrs: ['10.2.0.0/16'], account: '222222222222', region: 'us-east-1' });
      expect(() => new TransitGatewayHub(stack, 'Hub2', { spokes: [a, remote] })).toThrow(/Spoke Stack\/Remote is in account 222222222222.*not supported/);
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

    test('route subnets whose route table is not known', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const imported = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
        vpcId: 'vpc-1', vpcCidrBlock: '10.5.0.0/16', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-1'],
      });
      expect(() => new TransitGatewayHub(stack, 'Hub', { spokes: [testVpc(stack, 'VpcA', '10.0.0.0/16'), imported] }))
        .toThrow(/route table of subnet\(s\) subnet-1 of spoke Stack\/Imported is not known/);
    });

    test('an ASN outside the private ranges, or ASN and description with an existing gateway', () => {
      const { stack, a } = twoVpcs();
      expect(() => new TransitGatewayHub(stack, 'Hub', { spokes: [a], amazonSideAsn: 65535 })).toThrow(/amazonSideAsn 65535 is not a private ASN/);
      expect(() => new TransitGatewayHub(stack, 'Hub2', { spokes: [a], transitGatewayId: 'tgw-1', amazonSideAsn: 64600 }))
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
