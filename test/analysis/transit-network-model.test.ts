import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { modelApp } from './support-model-app';
import { FindingRules, HopDirection, NetworkModel } from '../../lib/analysis';
import * as templates from '../../lib/analysis/private/templates';
import { RouteDestinationStyle, TransitGatewayHub, TransitGatewayPeering, TransitGatewaySpoke } from '../../lib/transit';
import * as transit from '../../lib/transit/private/transit-custom-resources';

/**
 * The model follows the transit network of issue 14: a gateway shared with other accounts (one
 * gateway, found through cdk-vpc-connect's lookup by its tags), the spokes' association
 * custom resource, peering attachments between hubs of two regions (the accepter's association
 * and static routes), and the segments' isolation.
 */
const NETWORK = '111111111111';
const PROD = '222222222222';
const DEV = '333333333333';
const SEGMENTS = [{ name: 'shared' }, { name: 'prod', reaches: ['shared'] }, { name: 'dev', reaches: ['shared'] }];
const SUMMARY = { destinations: ['10.0.0.0/8'] };

function vpc(stack: Stack, id: string, cidr: string): ec2.Vpc {
  return new ec2.Vpc(stack, id, {
    ipAddresses: ec2.IpAddresses.cidr(cidr), maxAzs: 2, natGateways: 0,
    subnetConfiguration: [{ name: 'Workload', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
  });
}

/** Two regions of one network account; prod and dev accounts attach to the first hub; each region has a shared and a prod VPC. */
function transitNetwork() {
  const app = modelApp();
  const env = (account: string, region = 'us-east-1') => ({ env: { account, region } });
  const peerStack = new Stack(app, 'Peer', env(NETWORK, 'eu-west-1'));
  const peerHub = new TransitGatewayHub(peerStack, 'Hub', { segments: SEGMENTS });
  const peerShared = vpc(peerStack, 'Shared', '10.100.0.0/16');
  const peerProd = vpc(peerStack, 'Prod', '10.101.0.0/16');
  peerHub.addSpoke(peerShared, { segment: 'shared', routes: SUMMARY });
  peerHub.addSpoke(peerProd, { segment: 'prod', routes: SUMMARY });

  const networkStack = new Stack(app, 'Network', env(NETWORK));
  const hub = new TransitGatewayHub(networkStack, 'Hub', { segments: SEGMENTS, shareWith: { accounts: [PROD, DEV] } });
  const shared = vpc(networkStack, 'Shared', '10.0.0.0/16');
  hub.addSpoke(shared, { segment: 'shared', routes: SUMMARY });

  const prodStack = new Stack(app, 'Prod', env(PROD));
  const prod = vpc(prodStack, 'Vpc', '10.1.0.0/16');
  new TransitGatewaySpoke(prodStack, 'Spoke', { hub, vpc: prod, segment: 'prod', routes: SUMMARY });
  const devStack = new Stack(app, 'Dev', env(DEV));
  const dev = vpc(devStack, 'Vpc', '10.2.0.0/16');
  new TransitGatewaySpoke(devStack, 'Spoke', { hub, vpc: dev, segment: 'dev', routes: SUMMARY });

  new TransitGatewayPeering(networkStack, 'Peering', { hubs: [hub, peerHub] });
  return { app, stacks: { peerStack, networkStack, prodStack, devStack }, vpcs: { shared, prod, dev, peerShared, peerProd } };
}

let network: ReturnType<typeof transitNetwork>;
let model: NetworkModel;
let json: { [stack: string]: any };

beforeAll(() => {
  network = transitNetwork();
  model = NetworkModel.fromApp(network.app);
  json = Object.fromEntries(Object.values(network.stacks).map((s) => [s.stackName, Template.fromStack(s).toJSON()]));
});

describe('the model and the transit network\'s custom resources', () => {
  test('the analysis reads the tags and custom resource types that lib/transit writes', () => {
    expect([templates.HUB_TAG_KEY, templates.SEGMENT_TAG_KEY, templates.TRANSIT_LOOKUP_TYPE])
      .toEqual([transit.HUB_TAG_KEY, transit.SEGMENT_TAG_KEY, transit.TRANSIT_LOOKUP_TYPE]);
    expect(['Custom::TransitGatewaySpokeAssociation', 'Custom::TransitGatewayPeeringAccepter'])
      .toEqual([transit.SPOKE_ASSOCIATION_TYPE, transit.PEERING_ACCEPTER_TYPE]);
  });

  test('a gateway shared with other accounts is one gateway: the spokes\' lookup resolves to the hub of the templates', () => {
    expect(model.transitGateways.map((t) => [t.name, [...t.attachedVpcs].sort(), t.peeredWith])).toEqual(expect.arrayContaining([
      ['Network/Hub', ['Dev/Vpc', 'Network/Shared', 'Prod/Vpc'], ['Peer/Hub']],
      ['Peer/Hub', ['Peer/Prod', 'Peer/Shared'], ['Network/Hub']],
    ]));
    expect(model.toMermaid()).toContain('tgw_Peer_Hub ---|tgw peering| tgw_Network_Hub');
    expect(model.transitGateways).toHaveLength(2);
    expect(model.findings.filter((f) => f.ruleId === FindingRules.UNKNOWN)).toEqual([]);
  });

  test('the spoke association custom resource is the association and the propagations: prod and dev reach shared, never each other', () => {
    const { shared, prod, dev } = network.vpcs;
    model.expectReach(prod, shared);
    model.expectReach(dev, shared);
    model.expectReach(shared, prod);
    model.expectIsolated([prod], [dev]);
    const answer = model.canReach(prod, dev);
    expect(answer.reason).toBe('The transit gateway route table Network/Hub/ProdRouteTable (associated with Prod/Spoke/Attachment) has no route to 10.2.0.0/24.');
    expect(model.canReach(prod, shared).path.filter((h) => h.direction === HopDirection.THERE).map((h) => [h.vpc, h.routeTable, h.via])).toEqual([
      ['Prod/Vpc', 'Prod/Vpc/WorkloadSubnet1/RouteTable', 'Network/Hub'],
      ['Network/Hub', 'Network/Hub/ProdRouteTable', 'Network/Hub/Shared/Attachment'],
    ]);
  });

  test('across the gateway peering: the requester\'s static routes there, the accepter\'s association and StaticRoutes back', () => {
    const { shared, prod, dev, peerShared, peerProd } = network.vpcs;
    model.expectReach(shared, peerShared);
    model.expectReach(prod, peerShared);
    model.expectReach(peerShared, dev);
    model.expectReach(peerProd, shared);
    // A segment reaches its own members across the peering too (prod is not isolated), never dev's.
    model.expectReach(prod, peerProd);
    model.expectIsolated([dev], [peerProd]);
    const answer = model.canReach(peerShared, prod);
    expect(answer.path.map((h) => [h.direction, h.routeTable, h.destination, h.via])).toEqual([
      [HopDirection.THERE, 'Peer/Shared/WorkloadSubnet1/RouteTable', '10.0.0.0/8', 'Peer/Hub'],
      [HopDirection.THERE, 'Peer/Hub/SharedRouteTable', '10.1.0.0/16', 'Network/Peering'],
      [HopDirection.THERE, 'Network/Hub/SharedRouteTable', '10.1.0.0/16', 'Prod/Spoke/Attachment'],
      [HopDirection.BACK, 'Prod/Vpc/WorkloadSubnet1/RouteTable', '10.0.0.0/8', 'Network/Hub'],
      [HopDirection.BACK, 'Network/Hub/ProdRouteTable', '10.100.0.0/16', 'Network/Peering'],
      [HopDirection.BACK, 'Peer/Hub/SharedRouteTable', '10.100.0.0/16', 'Peer/Hub/Shared/Attachment'],
    ]);
  });

  test('the peer side\'s acceptance not in the templates: traffic arriving over the peering is uncertain, not a certain no', () => {
    const without = JSON.parse(JSON.stringify(json));
    const resources = without.Network.Resources as Record<string, { Type: string; DependsOn?: string[] }>;
    for (const [id, r] of Object.entries(resources)) {
      if (r.Type === 'Custom::TransitGatewayPeeringAccepter') { delete resources[id]; }
    }
    for (const r of Object.values(resources)) { if (Array.isArray(r.DependsOn)) { r.DependsOn = r.DependsOn.filter((d) => resources[d]); } }
    const partial = NetworkModel.fromTemplates(without);
    const answer = partial.canReach('10.0.0.10', '10.100.0.10');
    expect(answer).toMatchObject({ reachable: false, certain: false });
    expect(answer.reason).toMatch(/^The transit gateway peering Network\/Peering[A-Z0-9]+ is associated with no route table of the transit gateway Peer\/Hub[A-Z0-9]+, so traffic arriving over it is dropped\. Not certain: the acceptance of the transit gateway peering/);
  });

  test('a spoke stack read without its hub: the lookup is known only at deploy time, so answers are uncertain and say why', () => {
    const alone = NetworkModel.fromTemplates({ Prod: json.Prod });
    const answer = alone.canReach('10.1.0.10', '10.0.0.10');
    expect(answer).toMatchObject({ reachable: false, certain: false });
    expect(alone.findings.map((f) => f.message)).toContainEqual(expect.stringMatching(
      /^Transit gateway \(transit gateway \$\{SpokeLookup[A-Z0-9]+\.TransitGatewayId\}\) \(used by Prod\/SpokeAttachment[A-Z0-9]+\) is not defined in the templates \(SpokeLookup[A-Z0-9]+\.TransitGatewayId is read at deploy time by a transit gateway lookup, and no transit gateway tagged cdk-vpc-connect:hub=Network\/Hub is in the templates read\)/));
  });
});

describe('a hub that routes its spokes to a managed prefix list per segment (routeWith PREFIX_LIST)', () => {
  test('the spokes\' routes to the segment\'s list carry its entries: prod and dev reach shared, never each other', () => {
    const app = modelApp();
    const stack = new Stack(app, 'Lists', { env: { account: NETWORK, region: 'us-east-1' } });
    const hub = new TransitGatewayHub(stack, 'Hub', { segments: SEGMENTS, routeWith: RouteDestinationStyle.PREFIX_LIST });
    const [shared, prod, dev] = [['Shared', '10.0.0.0/16'], ['Prod', '10.1.0.0/16'], ['Dev', '10.2.0.0/16']].map(([id, cidr]) => vpc(stack, id, cidr));
    hub.addSpoke(shared, { segment: 'shared' });
    hub.addSpoke(prod, { segment: 'prod' });
    hub.addSpoke(dev, { segment: 'dev' });
    const m = NetworkModel.fromApp(app);
    m.expectReach(prod, shared);
    m.expectReach(shared, dev);
    m.expectIsolated([prod], [dev]);
    expect(m.canReach(prod, shared).path[0]).toMatchObject({ routeTable: 'Lists/Prod/WorkloadSubnet1/RouteTable', destination: '10.0.0.0/16 (Lists/Hub/ProdPrefixList)' });
    // prod's list holds shared's block only: dev's addresses have no route in prod's tables.
    expect(m.canReach(prod, dev).reason).toBe('Route table Lists/Prod/WorkloadSubnet1/RouteTable of VPC Lists/Prod has no route to 10.2.0.0/24.');
  });
});

describe('the lookup by tags', () => {
  const hub = (tag: string) => ({
    Tgw: { Type: 'AWS::EC2::TransitGateway', Properties: { Tags: [{ Key: 'cdk-vpc-connect:hub', Value: tag }] } },
    Rt: { Type: 'AWS::EC2::TransitGatewayRouteTable', Properties: { TransitGatewayId: { Ref: 'Tgw' }, Tags: [{ Key: 'cdk-vpc-connect:hub', Value: tag }, { Key: 'cdk-vpc-connect:segment', Value: 'shared' }] } },
  });
  const spoke = (properties: Record<string, unknown>) => ({
    Resources: {
      Lookup: { Type: 'Custom::TransitGatewayLookup', Properties: { ServiceToken: 'arn:aws:lambda:us-east-1:222222222222:function:f', HubTag: 'Net/Hub', Segments: ['shared'], ...properties } },
      Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.1.0.0/16' } },
      Attachment: { Type: 'AWS::EC2::TransitGatewayAttachment', Properties: { TransitGatewayId: { 'Fn::GetAtt': ['Lookup', 'TransitGatewayId'] }, VpcId: { Ref: 'Vpc' }, SubnetIds: [] } },
    },
  });

  test('two gateways with the hub\'s tag: neither is chosen, and the finding says which', () => {
    const m = NetworkModel.fromTemplates({ A: { Resources: hub('Net/Hub') }, B: { Resources: hub('Net/Hub') }, Spoke: spoke({}) });
    expect(m.transitGateways.map((t) => t.name)).toEqual(['A/Tgw', 'B/Tgw', '(transit gateway ${Lookup.TransitGatewayId})']);
    expect(m.findings.map((f) => f.message)).toContain('Transit gateway (transit gateway ${Lookup.TransitGatewayId}) (used by Spoke/Attachment) is not defined in the templates ' +
      '(Lookup.TransitGatewayId is read at deploy time by a transit gateway lookup, and 2 resources are a transit gateway tagged cdk-vpc-connect:hub=Net/Hub (A/Tgw, B/Tgw)): ' +
      'its route tables are not known.');
  });

  test('a hub over an existing gateway: the lookup\'s literal TransitGatewayId', () => {
    const m = NetworkModel.fromTemplates({ Spoke: spoke({ TransitGatewayId: 'tgw-0123456789abcdef0' }) });
    expect(m.transitGateways).toEqual([{ name: 'tgw-0123456789abcdef0', attachedVpcs: ['Spoke/Vpc'] }]);
  });

  test('one gateway with the tag: the spoke attaches to it', () => {
    const m = NetworkModel.fromTemplates({ A: { Resources: hub('Net/Hub') }, B: { Resources: hub('Other/Hub') }, Spoke: spoke({}) });
    expect(m.transitGateways).toEqual([{ name: 'A/Tgw', attachedVpcs: ['Spoke/Vpc'] }, { name: 'B/Tgw', attachedVpcs: [] }]);
  });
});

describe('cdk-vpc-connect\'s association custom resource in plain templates (same account, no RoleArn)', () => {
  const vpcStack = (cidr: string, prefix: string) => ({
    [`${prefix}Vpc`]: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: cidr } },
    [`${prefix}Subnet`]: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: `${prefix}Vpc` }, CidrBlock: cidr.replace('/16', '/24') } },
    [`${prefix}Table`]: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: `${prefix}Vpc` } } },
    [`${prefix}Assoc`]: { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { SubnetId: { Ref: `${prefix}Subnet` }, RouteTableId: { Ref: `${prefix}Table` } } },
    [`${prefix}Attachment`]: { Type: 'AWS::EC2::TransitGatewayAttachment', Properties: { TransitGatewayId: { Ref: 'Tgw' }, VpcId: { Ref: `${prefix}Vpc` }, SubnetIds: [{ Ref: `${prefix}Subnet` }] } },
    [`${prefix}Route`]: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: `${prefix}Table` }, DestinationCidrBlock: '10.0.0.0/8', TransitGatewayId: { Ref: 'Tgw' } } },
  });
  const association = (prefix: string, table: string, propagations: string[]) => ({
    [`${prefix}Association`]: {
      Type: 'Custom::TransitGatewaySpokeAssociation',
      Properties: {
        ServiceToken: 'arn:aws:lambda:us-east-1:111111111111:function:provider',
        TransitGatewayId: { Ref: 'Tgw' },
        TransitGatewayAttachmentId: { 'Fn::GetAtt': [`${prefix}Attachment`, 'Id'] },
        AssociationRouteTableId: { 'Fn::GetAtt': [table, 'TransitGatewayRouteTableId'] },
        PropagationRouteTableIds: propagations.map((t) => ({ 'Fn::GetAtt': [t, 'TransitGatewayRouteTableId'] })),
      },
    },
  });
  const resources = {
    Tgw: { Type: 'AWS::EC2::TransitGateway', Properties: { DefaultRouteTableAssociation: 'disable', DefaultRouteTablePropagation: 'disable' } },
    SharedRt: { Type: 'AWS::EC2::TransitGatewayRouteTable', Properties: { TransitGatewayId: { Ref: 'Tgw' } } },
    ProdRt: { Type: 'AWS::EC2::TransitGatewayRouteTable', Properties: { TransitGatewayId: { Ref: 'Tgw' } } },
    ...vpcStack('10.0.0.0/16', 'Shared'),
    ...vpcStack('10.1.0.0/16', 'ProdA'),
    ...vpcStack('10.2.0.0/16', 'ProdB'),
    ...association('Shared', 'SharedRt', ['SharedRt', 'ProdRt']),
    ...association('ProdA', 'ProdRt', ['SharedRt']),
    ...association('ProdB', 'ProdRt', ['SharedRt']),
  };

  test('association and propagations are read: prod spokes reach shared, not each other (an isolated-like segment)', () => {
    const m = NetworkModel.fromTemplates({ Net: { Resources: resources } });
    m.expectReach('Net/ProdASubnet', 'Net/SharedSubnet');
    m.expectIsolated(['Net/ProdASubnet'], ['Net/ProdBSubnet']);
    expect(m.canReach('Net/ProdASubnet', 'Net/ProdBSubnet').reason)
      .toBe('The transit gateway route table Net/ProdRt (associated with Net/ProdAAttachment) has no route to 10.2.0.0/24.');
    expect(m.findings).toEqual([]);
  });

  test('a route table id not in the templates: left out, and said so', () => {
    const m = NetworkModel.fromTemplates({
      Net: { Resources: { ...resources, ...association('ProdB', 'SharedRt', []), ProdBAssociation: { ...association('ProdB', 'SharedRt', []).ProdBAssociation, Properties: { ...association('ProdB', 'SharedRt', []).ProdBAssociation.Properties, AssociationRouteTableId: 'tgw-rtb-0123456789abcdef0' } } } },
    });
    expect(m.findings.map((f) => f.message)).toContain(
      'Net/ProdBAssociation refers to the transit gateway route table tgw-rtb-0123456789abcdef0, which is not defined in the templates: the model leaves it out.');
    expect(m.canReach('Net/ProdBSubnet', 'Net/SharedSubnet')).toMatchObject({ reachable: false });
  });
});
