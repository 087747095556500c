import { Stack, Stage } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { modelApp } from './support-model-app';
import { FindingRules, HopDirection, NetworkModel } from '../../lib/analysis';
import { RemoteVpc } from '../../lib/peering/remote-vpc';
import { VpcPeering } from '../../lib/peering/vpc-peering';
import { testVpc } from '../support/vpcs';

function vpc(stack: Stack, id: string, cidr: string): ec2.Vpc {
  return new ec2.Vpc(stack, id, {
    ipAddresses: ec2.IpAddresses.cidr(cidr), maxAzs: 2, natGateways: 0,
    subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
  });
}

describe('NetworkModel.fromApp', () => {
  test('stacks of a stage, VPCs in different stacks: names are construct paths, constructs are endpoints', () => {
    // GIVEN
    const app = modelApp();
    const stage = new Stage(app, 'Prod');
    const a = vpc(new Stack(stage, 'A'), 'Vpc', '10.0.0.0/16');
    const bStack = new Stack(stage, 'B');
    const b = vpc(bStack, 'Vpc', '10.1.0.0/16');
    const c = vpc(new Stack(stage, 'C'), 'Vpc', '10.2.0.0/16');
    new VpcPeering(bStack, 'BToA', { requester: b, accepter: a });

    // WHEN
    const model = NetworkModel.fromApp(app);

    // THEN
    expect(model.vpcs.map((v) => v.name).sort()).toEqual(['Prod/A/Vpc', 'Prod/B/Vpc', 'Prod/C/Vpc']);
    expect(model.canReach(a, b)).toMatchObject({ reachable: true, certain: true, fromSubnet: 'Prod/A/Vpc/IsolatedSubnet1' });
    expect(model.canReach(b.isolatedSubnets[1], a.isolatedSubnets[0])).toMatchObject({
      reachable: true, fromSubnet: 'Prod/B/Vpc/IsolatedSubnet2', toSubnet: 'Prod/A/Vpc/IsolatedSubnet1',
    });
    expect(model.canReach(a, c)).toMatchObject({ reachable: false, certain: true });
    expect(model.canReach(a, 'Prod/B/Vpc/IsolatedSubnet2').toSubnet).toBe('Prod/B/Vpc/IsolatedSubnet2');
  });

  test('names come from the construct tree even without aws:cdk:path metadata', () => {
    const app = modelApp({ 'aws:cdk:enable-path-metadata': false });
    const stack = new Stack(app, 'Net');
    const a = vpc(stack, 'A', '10.0.0.0/16');
    const b = vpc(stack, 'B', '10.1.0.0/16');
    new VpcPeering(stack, 'AB', { requester: a, accepter: b, accepterRoutes: { enabled: false } });

    const model = NetworkModel.fromApp(app);
    const fromTemplates = NetworkModel.fromTemplates({ Net: app.synth().getStackByName('Net').template });

    expect(model.peerings).toEqual([{ name: 'Net/AB', requester: 'Net/A', accepter: 'Net/B' }]);
    // Without metadata, the templates alone only know logical ids.
    expect(fromTemplates.peerings[0].name).not.toBe('Net/AB');
    expect(fromTemplates.peerings[0].name).toMatch(/^Net\/AB/);
    expect(model.findings.filter((f) => f.ruleId === FindingRules.ONE_WAY_ROUTE).map((f) => f.constructs[1]).sort())
      .toEqual(['Net/A/IsolatedSubnet1/RouteTable', 'Net/A/IsolatedSubnet2/RouteTable']);
  });

  test('the route quota is the app\'s (context key cdk-vpc-connect:quotas), unless the options give one', () => {
    // GIVEN a table with one route (to a peering, made with L1s), and a quota of 1 route per table in the app's context
    const app = modelApp({ 'cdk-vpc-connect:quotas': { routesPerRouteTable: 1 } });
    const stack = new Stack(app, 'Net');
    const a = testVpc(stack, 'VpcA', '10.0.0.0/16', { groups: ['Isolated'], maxAzs: 1 });
    const b = testVpc(stack, 'VpcB', '10.1.0.0/16', { groups: ['Isolated'], maxAzs: 1 });
    const pcx = new ec2.CfnVPCPeeringConnection(stack, 'AtoB', { vpcId: a.vpcId, peerVpcId: b.vpcId });
    new ec2.CfnRoute(stack, 'AtoBRoute', { routeTableId: a.isolatedSubnets[0].routeTable.routeTableId, destinationCidrBlock: '10.1.0.0/16', vpcPeeringConnectionId: pcx.ref });

    // WHEN
    const fromContext = NetworkModel.fromApp(app);
    const given = NetworkModel.fromApp(app, { quotas: { routesPerRouteTable: 1000 } });

    // THEN
    expect(fromContext.quotas).toEqual({ peeringsPerVpc: 50, routesPerRouteTable: 1, resourcesPerStack: 500, interfaceEndpointsPerVpc: 50, vpcsPerPrivateHostedZone: 300,
      routeTablesPerTransitGateway: 20, routesPerTransitGateway: 10000, attachmentsPerTransitGateway: 5000, peeringAttachmentsPerTransitGateway: 50, entriesPerPrefixList: 1000 });
    expect(fromContext.findings.filter((f) => f.ruleId === FindingRules.ROUTE_QUOTA).map((f) => [f.severity, f.constructs]))
      .toEqual([['warning', ['Net/VpcA/IsolatedSubnet1/RouteTable']]]);
    expect(fromContext.findings.find((f) => f.ruleId === FindingRules.ROUTE_QUOTA)?.message).toMatch(/holds 1 IPv4 routes; that is 100% of the quota of 1 per route table/);
    expect(given.quotas.routesPerRouteTable).toBe(1000);
    expect(given.findings.filter((f) => f.ruleId === FindingRules.ROUTE_QUOTA)).toEqual([]);
    // fromAssembly has no app context: AWS's default, 500.
    expect(NetworkModel.fromAssembly(app.outdir).quotas.routesPerRouteTable).toBe(500);
  });

  test('fromAssembly reads the same network from the cloud assembly directory', () => {
    const app = modelApp();
    const a = vpc(new Stack(app, 'A'), 'Vpc', '10.0.0.0/16');
    const bStack = new Stack(app, 'B');
    const b = vpc(bStack, 'Vpc', '10.1.0.0/16');
    new VpcPeering(bStack, 'BToA', { requester: b, accepter: a });

    const fromApp = NetworkModel.fromApp(app);
    const fromAssembly = NetworkModel.fromAssembly(app.outdir);

    expect(fromAssembly.vpcs).toEqual(fromApp.vpcs);
    expect(fromAssembly.peerings).toEqual(fromApp.peerings);
    expect(fromAssembly.canReach('A/Vpc', 'B/Vpc')).toEqual(fromApp.canReach(a, b));
  });

  test('L1 constructs and imported VPCs are endpoints too', () => {
    const app = modelApp();
    const stack = new Stack(app, 'Net');
    const a = vpc(stack, 'A', '10.0.0.0/16');
    const b = vpc(stack, 'B', '10.1.0.0/16');
    new VpcPeering(stack, 'AB', { requester: a, accepter: b });
    const imported = ec2.Vpc.fromVpcAttributes(stack, 'Imported', { vpcId: 'vpc-0imported', availabilityZones: ['us-east-1a'], vpcCidrBlock: '10.9.0.0/16' });
    new ec2.CfnVPCPeeringConnection(stack, 'AToImported', { vpcId: a.vpcId, peerVpcId: imported.vpcId });

    const model = NetworkModel.fromApp(app);

    expect(model.canReach(a.node.defaultChild as ec2.CfnVPC, b.isolatedSubnets[0].node.defaultChild as ec2.CfnSubnet))
      .toMatchObject({ reachable: true, toSubnet: 'Net/B/IsolatedSubnet1' });
    // No route leads to the imported VPC: not reachable, and the model cannot say more about it.
    expect(model.canReach(a, imported)).toMatchObject({ reachable: false });
  });

  test('a RemoteVpc of another account: routes back through the library\'s custom resource, never certain', () => {
    const app = modelApp();
    const stack = new Stack(app, 'Requester', { env: { account: '111111111111', region: 'us-east-1' } });
    const requester = vpc(stack, 'Vpc', '10.10.0.0/16');
    const remote = RemoteVpc.fromAttributes(stack, 'Remote', {
      vpcId: 'vpc-0e0e0e0e', cidrs: ['10.20.0.0/16'], account: '222222222222', region: 'us-east-1',
      routeTableIds: ['rtb-0e0e0e01'], roleArn: 'arn:aws:iam::222222222222:role/accept',
    });
    new VpcPeering(stack, 'Peering', { requester, accepter: remote });

    const model = NetworkModel.fromApp(app);

    const answer = model.canReach(requester, remote);
    expect(answer).toMatchObject({ reachable: true, certain: false });
    expect(answer.path.find((h) => h.direction === HopDirection.BACK)).toMatchObject({ vpc: 'vpc-0e0e0e0e', routeTable: 'rtb-0e0e0e01', destination: '10.10.0.0/16', via: 'Requester/Peering' });
    expect(answer.reason).toMatch(/VPC vpc-0e0e0e0e is not defined in the templates/);
  });

  test('a subnet associated with a route table the templates do not define: uncertain', () => {
    const app = modelApp();
    const stack = new Stack(app, 'Net');
    const a = vpc(stack, 'A', '10.0.0.0/16');
    const b = vpc(stack, 'B', '10.1.0.0/16');
    new VpcPeering(stack, 'AB', { requester: a, accepter: b });
    const subnet = new ec2.CfnSubnet(stack, 'Extra', { vpcId: a.vpcId, cidrBlock: '10.0.100.0/24', availabilityZone: 'us-east-1a' });
    new ec2.CfnSubnetRouteTableAssociation(stack, 'ExtraAssociation', { subnetId: subnet.ref, routeTableId: 'rtb-0elsewhere' });

    const model = NetworkModel.fromApp(app);

    const answer = model.canReach(subnet, b);
    expect(answer).toMatchObject({ reachable: false, certain: false });
    expect(answer.reason).toMatch(/Route table rtb-0elsewhere .*has no route to 10\.1\.0\.0\/24.*route table rtb-0elsewhere is not defined in the templates/);
    expect(model.canReach(subnet, a.isolatedSubnets[0]).reachable).toBe(true);
    expect(model.findings.filter((f) => f.ruleId === FindingRules.UNKNOWN).map((f) => f.message))
      .toEqual([expect.stringMatching(/Route table rtb-0elsewhere \(of Net\/ExtraAssociation\) is not defined in the templates/)]);
  });

  test('dual-stack VPCs with Amazon-provided IPv6 blocks: IPv4 answers stay certain, the IPv6 blocks are unknown', () => {
    const app = modelApp();
    const stack = new Stack(app, 'Net');
    const a = testVpc(stack, 'A', '10.0.0.0/16', { ipProtocol: ec2.IpProtocol.DUAL_STACK, groups: ['Isolated'] });
    const b = testVpc(stack, 'B', '10.1.0.0/16', { ipProtocol: ec2.IpProtocol.DUAL_STACK, groups: ['Isolated'] });
    new VpcPeering(stack, 'AB', { requester: a, accepter: b });

    const model = NetworkModel.fromApp(app);

    expect(model.canReach(a, b)).toMatchObject({ reachable: true, certain: true });
    expect(model.vpcs.find((v) => v.name === 'Net/A')).toMatchObject({ cidrs: ['10.0.0.0/16'], certain: false });
    expect(model.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(model.findings.map((f) => f.message).join('\n')).toMatch(/VPC Net\/A has CIDR blocks not known from the templates: an Amazon-provided IPv6 block/);
  });
});
