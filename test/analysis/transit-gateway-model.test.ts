import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { modelApp } from './support-model-app';
import { FindingRules, NetworkModel, TargetKind } from '../../lib/analysis';

/**
 * Transit gateways written as L1s (the CloudFormation types a hub uses): association and
 * propagation route tables, the default route table, static and blackhole routes, an egress
 * VPC behind the gateway.
 */
interface Spoke {
  readonly vpc: ec2.Vpc;
  readonly attachment: ec2.CfnTransitGatewayAttachment;
}

function network(options: { defaultTables?: boolean; egress?: boolean } = {}) {
  const app = modelApp();
  const stack = new Stack(app, 'Tgw');
  const tgw = new ec2.CfnTransitGateway(stack, 'Tgw', {
    defaultRouteTableAssociation: options.defaultTables ? 'enable' : 'disable',
    defaultRouteTablePropagation: options.defaultTables ? 'enable' : 'disable',
  });
  const spoke = (id: string, cidr: string, summary: string, withNat = false): Spoke => {
    const vpc = new ec2.Vpc(stack, id, {
      ipAddresses: ec2.IpAddresses.cidr(cidr),
      maxAzs: 1,
      natGateways: withNat ? 1 : 0,
      subnetConfiguration: withNat
        ? [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 }, { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 }]
        : [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    });
    const attachSubnets = vpc.selectSubnets({ subnetType: withNat ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED }).subnets;
    const attachment = new ec2.CfnTransitGatewayAttachment(stack, `${id}Attachment`, {
      transitGatewayId: tgw.ref,
      vpcId: vpc.vpcId,
      subnetIds: attachSubnets.map((s) => s.subnetId),
    });
    for (const [i, subnet] of attachSubnets.entries()) {
      const r = new ec2.CfnRoute(stack, `${id}ToTgw${i}`, { routeTableId: subnet.routeTable.routeTableId, destinationCidrBlock: summary, transitGatewayId: tgw.ref });
      r.node.addDependency(attachment);
    }
    return { vpc, attachment };
  };
  return { app, stack, tgw, spoke };
}

function associate(stack: Stack, id: string, table: ec2.CfnTransitGatewayRouteTable, attachment: ec2.CfnTransitGatewayAttachment): void {
  new ec2.CfnTransitGatewayRouteTableAssociation(stack, `${id}Association`, { transitGatewayAttachmentId: attachment.ref, transitGatewayRouteTableId: table.ref });
}

function propagate(stack: Stack, id: string, table: ec2.CfnTransitGatewayRouteTable, attachment: ec2.CfnTransitGatewayAttachment): void {
  new ec2.CfnTransitGatewayRouteTablePropagation(stack, `${id}Propagation`, { transitGatewayAttachmentId: attachment.ref, transitGatewayRouteTableId: table.ref });
}

describe('NetworkModel with transit gateways', () => {
  test('hub with an isolated segment: spokes reach the shared VPC, not each other', () => {
    // GIVEN
    const { app, stack, tgw, spoke } = network();
    const shared = spoke('Shared', '10.0.0.0/16', '10.0.0.0/8');
    const s1 = spoke('Spoke1', '10.1.0.0/16', '10.0.0.0/8');
    const s2 = spoke('Spoke2', '10.2.0.0/16', '10.0.0.0/8');
    const isolated = new ec2.CfnTransitGatewayRouteTable(stack, 'IsolatedTable', { transitGatewayId: tgw.ref });
    const sharedTable = new ec2.CfnTransitGatewayRouteTable(stack, 'SharedTable', { transitGatewayId: tgw.ref });
    associate(stack, 'Shared', sharedTable, shared.attachment);
    associate(stack, 'Spoke1', isolated, s1.attachment);
    associate(stack, 'Spoke2', isolated, s2.attachment);
    propagate(stack, 'SharedIntoIsolated', isolated, shared.attachment);
    propagate(stack, 'Spoke1IntoShared', sharedTable, s1.attachment);
    propagate(stack, 'Spoke2IntoShared', sharedTable, s2.attachment);

    // WHEN
    const model = NetworkModel.fromApp(app);

    // THEN
    const toShared = model.canReach(s1.vpc, shared.vpc);
    expect(toShared).toMatchObject({ reachable: true, certain: true });
    expect(toShared.path.map((h) => [h.direction, h.target, h.routeTable])).toEqual([
      ['there', TargetKind.TRANSIT_GATEWAY, 'Tgw/Spoke1/IsolatedSubnet1/RouteTable'],
      ['there', TargetKind.TRANSIT_GATEWAY, 'Tgw/IsolatedTable'],
      ['back', TargetKind.TRANSIT_GATEWAY, 'Tgw/Shared/IsolatedSubnet1/RouteTable'],
      ['back', TargetKind.TRANSIT_GATEWAY, 'Tgw/SharedTable'],
    ]);
    expect(model.canReach(shared.vpc, s2.vpc).reachable).toBe(true);
    const between = model.canReach(s1.vpc, s2.vpc);
    expect(between).toMatchObject({ reachable: false, certain: true });
    expect(between.reason).toMatch(/transit gateway route table Tgw\/IsolatedTable \(associated with Tgw\/Spoke1Attachment\) has no route to 10\.2\.0\.0\/24/);
    expect(model.transitGateways).toEqual([{ name: 'Tgw/Tgw', attachedVpcs: ['Tgw/Shared', 'Tgw/Spoke1', 'Tgw/Spoke2'] }]);
  });

  test('the default route table: every attachment associated and propagated reaches every other', () => {
    const { app, spoke } = network({ defaultTables: true });
    const a = spoke('A', '10.0.0.0/16', '10.0.0.0/8');
    const b = spoke('B', '10.1.0.0/16', '10.0.0.0/8');
    const c = spoke('C', '10.2.0.0/16', '10.0.0.0/8');

    const model = NetworkModel.fromApp(app);

    for (const [x, y] of [[a, b], [b, c], [c, a], [c, b]]) {
      expect(model.canReach(x.vpc, y.vpc)).toMatchObject({ reachable: true, certain: true });
    }
    expect(model.canReach(a.vpc, b.vpc).path[1].routeTable).toBe('Tgw/Tgw (default route table)');
  });

  test('a blackhole static route drops traffic that a propagated route would carry', () => {
    const { app, stack, tgw, spoke } = network();
    const a = spoke('A', '10.0.0.0/16', '10.0.0.0/8');
    const b = spoke('B', '10.1.0.0/16', '10.0.0.0/8');
    const table = new ec2.CfnTransitGatewayRouteTable(stack, 'Table', { transitGatewayId: tgw.ref });
    associate(stack, 'A', table, a.attachment);
    associate(stack, 'B', table, b.attachment);
    propagate(stack, 'A', table, a.attachment);
    propagate(stack, 'B', table, b.attachment);
    new ec2.CfnTransitGatewayRoute(stack, 'Blackhole', { transitGatewayRouteTableId: table.ref, destinationCidrBlock: '10.1.0.0/24', blackhole: true });

    const model = NetworkModel.fromApp(app);

    const answer = model.canReach(a.vpc, b.vpc);
    expect(answer.reachable).toBe(false);
    expect(answer.reason).toMatch(/Tgw\/Table drops 10\.1\.0\.0\/24 \(blackhole route Tgw\/Blackhole\)/);
  });

  test('a VPC route to a transit gateway the VPC is not attached to', () => {
    const { app, stack, tgw, spoke } = network({ defaultTables: true });
    const a = spoke('A', '10.0.0.0/16', '10.0.0.0/8');
    const loose = new ec2.Vpc(stack, 'Loose', {
      ipAddresses: ec2.IpAddresses.cidr('10.9.0.0/16'), maxAzs: 1, natGateways: 0,
      subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    });
    new ec2.CfnRoute(stack, 'LooseToTgw', { routeTableId: loose.isolatedSubnets[0].routeTable.routeTableId, destinationCidrBlock: '10.0.0.0/8', transitGatewayId: tgw.ref });

    const model = NetworkModel.fromApp(app);

    expect(model.canReach(loose, a.vpc).reason).toMatch(/VPC Tgw\/Loose has no attachment to it/);
  });

  test('a transit gateway route in a route table outside the app is not used, and said so', () => {
    const { app, stack, spoke } = network({ defaultTables: true });
    const s1 = spoke('Spoke1', '10.1.0.0/16', '0.0.0.0/0');
    const egress = spoke('Egress', '10.0.0.0/16', '10.0.0.0/8', true);
    const table = egress.vpc.publicSubnets[0].routeTable.routeTableId;
    const back = new ec2.CfnRoute(stack, 'PublicBackToTgw', { routeTableId: table, destinationCidrBlock: '10.0.0.0/8', transitGatewayId: (stack.node.findChild('Tgw') as ec2.CfnTransitGateway).ref });
    back.node.addDependency(egress.attachment);
    // The default route table would carry 0.0.0.0/0 nowhere: a static route to the egress attachment.
    new ec2.CfnTransitGatewayRoute(stack, 'DefaultToEgress', {
      transitGatewayRouteTableId: 'tgw-rtb-not-in-the-app', destinationCidrBlock: '0.0.0.0/0', transitGatewayAttachmentId: egress.attachment.ref,
    });

    const model = NetworkModel.fromApp(app);

    // The static route is in a table the model does not know; the default table has no default route.
    const answer = model.canReach(s1.vpc, '8.8.8.8');
    expect(answer.reachable).toBe(false);
    expect(answer.reason).toMatch(/default route table\) \(associated with Tgw\/Spoke1Attachment\) has no route to 8\.8\.8\.8\/32/);
    expect(model.canReach(egress.vpc, '8.8.8.8').reachable).toBe(true);
    expect(model.findings.filter((f) => f.ruleId === FindingRules.UNKNOWN).map((f) => f.message))
      .toEqual(expect.arrayContaining([expect.stringMatching(/Tgw\/DefaultToEgress .*route table tgw-rtb-not-in-the-app, which is not defined in the templates/)]));
  });

  test('centralized egress: a spoke reaches the internet through the egress VPC\'s NAT gateway, and the reply comes back', () => {
    const app = modelApp();
    const stack = new Stack(app, 'Egress');
    const tgw = new ec2.CfnTransitGateway(stack, 'Tgw', { defaultRouteTableAssociation: 'disable', defaultRouteTablePropagation: 'disable' });
    const table = new ec2.CfnTransitGatewayRouteTable(stack, 'Table', { transitGatewayId: tgw.ref });
    const vpc = (id: string, cidr: string, nat: boolean) => new ec2.Vpc(stack, id, {
      ipAddresses: ec2.IpAddresses.cidr(cidr), maxAzs: 1, natGateways: nat ? 1 : 0,
      subnetConfiguration: nat
        ? [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 }, { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 }]
        : [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    });
    const spokeVpc = vpc('Spoke', '10.1.0.0/16', false);
    const egressVpc = vpc('EgressVpc', '10.0.0.0/16', true);
    const attach = (id: string, v: ec2.Vpc, subnets: ec2.ISubnet[]) => {
      const a = new ec2.CfnTransitGatewayAttachment(stack, id, { transitGatewayId: tgw.ref, vpcId: v.vpcId, subnetIds: subnets.map((s) => s.subnetId) });
      associate(stack, id, table, a);
      return a;
    };
    const spokeAttachment = attach('SpokeAttachment', spokeVpc, spokeVpc.isolatedSubnets);
    const egressAttachment = attach('EgressAttachment', egressVpc, egressVpc.privateSubnets);
    propagate(stack, 'Spoke', table, spokeAttachment);
    new ec2.CfnTransitGatewayRoute(stack, 'DefaultToEgress', { transitGatewayRouteTableId: table.ref, destinationCidrBlock: '0.0.0.0/0', transitGatewayAttachmentId: egressAttachment.ref });
    new ec2.CfnRoute(stack, 'SpokeDefault', { routeTableId: spokeVpc.isolatedSubnets[0].routeTable.routeTableId, destinationCidrBlock: '0.0.0.0/0', transitGatewayId: tgw.ref });
    new ec2.CfnRoute(stack, 'PublicBack', { routeTableId: egressVpc.publicSubnets[0].routeTable.routeTableId, destinationCidrBlock: '10.1.0.0/16', transitGatewayId: tgw.ref });

    const model = NetworkModel.fromApp(app);

    const answer = model.canReach(spokeVpc, '8.8.8.8');
    expect(answer).toMatchObject({ reachable: true, certain: true });
    expect(answer.path.map((h) => `${h.direction} ${h.target}`)).toEqual([
      'there tgw', 'there tgw', 'there nat', 'there igw', 'back nat', 'back tgw', 'back tgw',
    ]);
  });

  test('dual-stack spokes: their Amazon-provided IPv6 blocks (unknown) do not make IPv4 answers uncertain', () => {
    const app = modelApp();
    const stack = new Stack(app, 'Dual');
    const tgw = new ec2.CfnTransitGateway(stack, 'Tgw', {});
    const vpcs = ['10.0.0.0/16', '10.1.0.0/16'].map((cidr, i) => {
      const v = new ec2.Vpc(stack, `Vpc${i}`, {
        ipAddresses: ec2.IpAddresses.cidr(cidr), ipProtocol: ec2.IpProtocol.DUAL_STACK, maxAzs: 1, natGateways: 0,
        subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24, ipv6AssignAddressOnCreation: false }],
      });
      const attachment = new ec2.CfnTransitGatewayAttachment(stack, `Attachment${i}`, { transitGatewayId: tgw.ref, vpcId: v.vpcId, subnetIds: v.isolatedSubnets.map((s) => s.subnetId) });
      const r = new ec2.CfnRoute(stack, `Route${i}`, { routeTableId: v.isolatedSubnets[0].routeTable.routeTableId, destinationCidrBlock: '10.0.0.0/8', transitGatewayId: tgw.ref });
      r.node.addDependency(attachment);
      return v;
    });

    const model = NetworkModel.fromApp(app);

    expect(model.canReach(vpcs[0], vpcs[1])).toMatchObject({ reachable: true, certain: true });
  });
});
