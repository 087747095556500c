import { App, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Pricing } from '../../lib/cost/pricing';
import { CostInputError } from '../../lib/errors';
import { SegmentOptions, TransitGatewayHub, TransitGatewayPeering } from '../../lib/transit';
import { testVpc } from '../support/vpcs';

const US = { account: '111111111111', region: 'us-east-1' };
const EU = { account: '111111111111', region: 'eu-west-1' };
const EU_OTHER_ACCOUNT = { account: '444444444444', region: 'eu-west-1' };
const SEGMENTS: SegmentOptions[] = [{ name: 'shared' }, { name: 'prod', reaches: ['shared'] }, { name: 'dev', reaches: ['shared'] }];

interface Regions { app: App; us: Stack; eu: Stack; usHub: TransitGatewayHub; euHub: TransitGatewayHub }

/** Two hubs with shared/prod/dev: shared services, prod and dev spokes in each region. */
function regions(euEnv = EU, euSegments = SEGMENTS): Regions {
  const app = new App();
  const us = new Stack(app, 'NetworkUs', { env: US });
  const eu = new Stack(app, 'NetworkEu', { env: euEnv });
  const usHub = new TransitGatewayHub(us, 'Hub', { segments: SEGMENTS });
  const euHub = new TransitGatewayHub(eu, 'Hub', { segments: euSegments });
  usHub.addSpoke(testVpc(us, 'Shared', '10.0.0.0/16'), { segment: 'shared' });
  usHub.addSpoke(testVpc(us, 'Prod', '10.1.0.0/16'), { segment: 'prod' });
  usHub.addSpoke(testVpc(us, 'Dev', '10.2.0.0/16'), { segment: 'dev' });
  euHub.addSpoke(testVpc(eu, 'Shared', '10.100.0.0/16'), { segment: 'shared' });
  if (euSegments.some((s) => s.name === 'prod')) { euHub.addSpoke(testVpc(eu, 'Prod', '10.101.0.0/16'), { segment: 'prod' }); }
  if (euSegments.some((s) => s.name === 'dev')) { euHub.addSpoke(testVpc(eu, 'Dev', '10.102.0.0/16'), { segment: 'dev' }); }
  return { app, us, eu, usHub, euHub };
}

/** The static routes of the requester side, as `segment table logical id > destination`. */
function requesterRoutes(stack: Stack): string[] {
  return Object.values(Template.fromStack(stack).findResources('AWS::EC2::TransitGatewayRoute'))
    .map((r) => `${(r.Properties.TransitGatewayRouteTableId['Fn::GetAtt'][0] as string).replace(/RouteTable.*/, '')}>${r.Properties.DestinationCidrBlock}`)
    .sort();
}

/** The accepter side's static routes, as `segment>destination`. */
function accepterRoutes(stack: Stack): string[] {
  const [accepter] = Object.values(Template.fromStack(stack).findResources('Custom::TransitGatewayPeeringAccepter'));
  return (accepter.Properties.StaticRoutes as any[]).map((r) => {
    const [getAtt, text] = r['Fn::Join'][1];
    return `${getAtt['Fn::GetAtt'][1].replace('RouteTableId.', '')}>${text.replace('|', '')}`;
  }).sort();
}

describe('TransitGatewayPeering between two regions of one account', () => {
  test('the requester stack gets the peer lookup, the peering attachment, its acceptance in the peer region and its association', () => {
    const r = regions();
    const peering = new TransitGatewayPeering(r.us, 'UsToEu', { hubs: [r.usHub, r.euHub] });
    const us = Template.fromStack(r.us);

    expect(peering.segments).toEqual(['shared', 'prod', 'dev']);
    us.hasResourceProperties('Custom::TransitGatewayLookup', { Region: 'eu-west-1', HubTag: 'NetworkEu/Hub', Segments: ['shared', 'prod', 'dev'] });
    us.hasResourceProperties('AWS::EC2::TransitGatewayPeeringAttachment', {
      TransitGatewayId: { Ref: Match.stringLikeRegexp('^Hub') },
      PeerTransitGatewayId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^UsToEuPeerLookup'), 'TransitGatewayId'] },
      PeerAccountId: '111111111111',
      PeerRegion: 'eu-west-1',
    });
    us.hasResourceProperties('Custom::TransitGatewayPeeringAccepter', {
      Region: 'eu-west-1',
      TransitGatewayAttachmentId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^UsToEu'), 'TransitGatewayAttachmentId'] },
      AssociationRouteTableId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^UsToEuPeerLookup'), 'RouteTableId.shared'] },
    });
    expect(Object.keys(us.findResources('Custom::TransitGatewayPeeringAccepter'))[0]).toMatch(/^UsToEuAccepter/);
    const [association] = Object.values(us.findResources('AWS::EC2::TransitGatewayRouteTableAssociation', {
      Properties: { TransitGatewayAttachmentId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^UsToEu'), 'TransitGatewayAttachmentId'] } },
    }));
    expect(association.Properties.TransitGatewayRouteTableId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^HubSharedRouteTable/), 'TransitGatewayRouteTableId'] });
    expect(association.DependsOn).toEqual([expect.stringMatching(/^UsToEuAccepter/)]);
    expect(r.us.dependencies).toContain(r.eu);
    // No cross-region reference: nothing of the peer's stack is imported.
    expect(JSON.stringify(us.toJSON())).not.toMatch(/ExportsReader|Fn::ImportValue/);
  });

  test('static routes both ways for what each segment reaches across: prod and dev stay apart, both reach shared', () => {
    const r = regions();
    new TransitGatewayPeering(r.us, 'UsToEu', { hubs: [r.usHub, r.euHub] });

    expect(requesterRoutes(r.us)).toEqual([
      'HubDev>10.100.0.0/16', 'HubDev>10.102.0.0/16',
      'HubProd>10.100.0.0/16', 'HubProd>10.101.0.0/16',
      'HubShared>10.100.0.0/16', 'HubShared>10.101.0.0/16', 'HubShared>10.102.0.0/16',
    ]);
    expect(accepterRoutes(r.us)).toEqual([
      'dev>10.0.0.0/16', 'dev>10.2.0.0/16',
      'prod>10.0.0.0/16', 'prod>10.1.0.0/16',
      'shared>10.0.0.0/16', 'shared>10.1.0.0/16', 'shared>10.2.0.0/16',
    ]);
  });

  test('segments narrows what reaches across', () => {
    const r = regions();
    new TransitGatewayPeering(r.us, 'UsToEu', { hubs: [r.usHub, r.euHub], segments: ['shared'] });

    expect(requesterRoutes(r.us)).toEqual(['HubShared>10.100.0.0/16']);
    expect(accepterRoutes(r.us)).toEqual(['shared>10.0.0.0/16']);
  });

  test('spokes added after the peering are routed too', () => {
    const r = regions();
    new TransitGatewayPeering(r.us, 'UsToEu', { hubs: [r.usHub, r.euHub], segments: ['shared'] });
    r.euHub.addSpoke(testVpc(r.eu, 'Tools', '10.109.0.0/16'), { segment: 'shared' });

    expect(requesterRoutes(r.us)).toEqual(['HubShared>10.100.0.0/16', 'HubShared>10.109.0.0/16']);
  });

  test('the peer\'s gateway and tables are tagged for the lookup; the function may act on the tables with that tag only', () => {
    const r = regions();
    new TransitGatewayPeering(r.us, 'UsToEu', { hubs: [r.usHub, r.euHub] });

    Template.fromStack(r.eu).hasResourceProperties('AWS::EC2::TransitGatewayRouteTable', {
      Tags: Match.arrayWith([{ Key: 'cdk-vpc-connect:hub', Value: 'NetworkEu/Hub' }, { Key: 'cdk-vpc-connect:segment', Value: 'prod' }]),
    });
    const role = JSON.stringify(Object.values(Template.fromStack(r.us).findResources('AWS::IAM::Role', { Properties: { Path: '/cdk-vpc-connect/' } }))[0]);
    expect(role).toContain('"StringEquals":{"aws:ResourceTag/cdk-vpc-connect:hub":"NetworkEu/Hub"}');
    expect(role).toContain(':ec2:eu-west-1:111111111111:transit-gateway-route-table/*');
  });

  test('synthesizes without warnings', () => {
    const r = regions();
    new TransitGatewayPeering(r.us, 'UsToEu', { hubs: [r.usHub, r.euHub] });
    Template.fromStack(r.us);
    expect(Annotations.fromStack(r.us).findWarning('*', Match.anyValue())).toEqual([]);
  });
});

test('a block known only at deploy time is not routed across, with a warning', () => {
  const r = regions();
  const imported = ec2.Vpc.fromVpcAttributes(r.eu, 'Imported', {
    vpcId: 'vpc-0123456789abcdef0', vpcCidrBlock: Fn.importValue('ImportedCidr'), availabilityZones: ['eu-west-1a'],
    isolatedSubnetIds: ['subnet-0123456789abcdef0'], isolatedSubnetRouteTableIds: ['rtb-0123456789abcdef0'],
  });
  r.euHub.addSpoke(imported, { segment: 'shared' });
  new TransitGatewayPeering(r.us, 'UsToEu', { hubs: [r.usHub, r.euHub], segments: ['shared'] });

  expect(requesterRoutes(r.us)).toEqual(['HubShared>10.100.0.0/16']);
  const warnings = Annotations.fromStack(r.us).findWarning('/NetworkUs/UsToEu', Match.stringLikeRegexp('peeringDestinationSkipped'));
  expect(warnings.map((w) => w.entry.data)).toEqual([expect.stringMatching(
    /No route from segment shared of NetworkUs\/Hub toward a block of NetworkEu\/Imported: the block is only known at deploy time. Give the VPC a literal CIDR block/)]);
});

describe('TransitGatewayPeering across accounts', () => {
  test('the accepter acts through a role in the peer hub\'s stack, trusting the requester account\'s cdk-vpc-connect functions', () => {
    const r = regions(EU_OTHER_ACCOUNT);
    const peering = new TransitGatewayPeering(r.us, 'UsToEu', { hubs: [r.usHub, r.euHub] });
    const us = Template.fromStack(r.us);
    const eu = Template.fromStack(r.eu);

    expect(peering.peerRole).toBeDefined();
    us.hasResourceProperties('AWS::EC2::TransitGatewayPeeringAttachment', { PeerAccountId: '444444444444', PeerRegion: 'eu-west-1' });
    us.hasResourceProperties('Custom::TransitGatewayPeeringAccepter', {
      RoleArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, Match.stringLikeRegexp(':iam::444444444444:role/networkeu')]] },
    });
    eu.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({
        Condition: { ArnLike: { 'aws:PrincipalArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:role/cdk-vpc-connect/*']] } } },
      })] },
    });
    const policy = JSON.stringify(Object.values(eu.findResources('AWS::IAM::Policy'))[0]);
    expect(policy).toContain('ec2:AcceptTransitGatewayPeeringAttachment');
    expect(policy).toContain('HubSharedRouteTable');
  });
});

describe('TransitGatewayPeering errors', () => {
  test('two hubs of one region', () => {
    const app = new App();
    const a = new Stack(app, 'A', { env: US });
    const b = new Stack(app, 'B', { env: US });
    const hubA = new TransitGatewayHub(a, 'Hub', { spokes: [testVpc(a, 'Vpc', '10.0.0.0/16')] });
    const hubB = new TransitGatewayHub(b, 'Hub', { spokes: [testVpc(b, 'Vpc', '10.1.0.0/16')] });
    expect(() => new TransitGatewayPeering(a, 'Peering', { hubs: [hubA, hubB] }))
      .toThrow(/hubs A\/Hub and B\/Hub are both in us-east-1: TransitGatewayPeering connects hubs of two regions/);
  });

  test('not exactly two hubs', () => {
    const r = regions();
    expect(() => new TransitGatewayPeering(r.us, 'Peering', { hubs: [r.usHub] }))
      .toThrow(/hubs lists 1 hub\(s\): a peering connects exactly two TransitGatewayHubs/);
  });

  test('a segment one hub does not declare', () => {
    const r = regions(EU, [{ name: 'shared' }, { name: 'prod', reaches: ['shared'] }]);
    expect(() => new TransitGatewayPeering(r.us, 'Peering', { hubs: [r.usHub, r.euHub], segments: ['shared', 'dev'] }))
      .toThrow(/segments lists 'dev', which is not a segment of NetworkEu\/Hub \(segments: shared, prod\): a segment reaches across a peering when both hubs declare it/);
  });

  test('by default, the segments both hubs declare', () => {
    const r = regions(EU, [{ name: 'shared' }, { name: 'prod', reaches: ['shared'] }]);
    const peering = new TransitGatewayPeering(r.us, 'Peering', { hubs: [r.usHub, r.euHub] });
    expect(peering.segments).toEqual(['shared', 'prod']);
  });

  test('no segment that every crossing segment propagates into', () => {
    const app = new App();
    const us = new Stack(app, 'A', { env: US });
    const eu = new Stack(app, 'B', { env: EU });
    const apart: SegmentOptions[] = [{ name: 'blue' }, { name: 'green' }];
    const hubA = new TransitGatewayHub(us, 'Hub', { segments: apart });
    const hubB = new TransitGatewayHub(eu, 'Hub', { segments: apart });
    hubA.addSpoke(testVpc(us, 'Vpc', '10.0.0.0/16'), { segment: 'blue' });
    hubB.addSpoke(testVpc(eu, 'Vpc', '10.1.0.0/16'), { segment: 'blue' });
    expect(() => new TransitGatewayPeering(us, 'Peering', { hubs: [hubA, hubB] }))
      .toThrow(/no segment of hub A\/Hub holds the routes of every segment that reaches across the peering \(blue, green\): the peering is associated with one route table per side/);
  });

  test('a peering in a stack of another environment than the requester hub', () => {
    const r = regions();
    expect(() => new TransitGatewayPeering(r.eu, 'Peering', { hubs: [r.usHub, r.euHub] }))
      .toThrow(/the peering is in stack NetworkEu \(111111111111, eu-west-1\), but its requester hub NetworkUs\/Hub is in 111111111111, us-east-1/);
  });

  test('an environment-agnostic hub stack', () => {
    const app = new App();
    const a = new Stack(app, 'A', { env: US });
    const b = new Stack(app, 'B');
    const hubA = new TransitGatewayHub(a, 'Hub', { spokes: [testVpc(a, 'Vpc', '10.0.0.0/16')] });
    const hubB = new TransitGatewayHub(b, 'Hub', { spokes: [testVpc(b, 'Vpc', '10.1.0.0/16')] });
    expect(() => new TransitGatewayPeering(a, 'Peering', { hubs: [hubA, hubB] }))
      .toThrow(/stack B has no literal account: a peering between transit gateways names the peer's account and region/);
  });

  test('a peer hub on an existing gateway: looked up by its literal id; a token id is refused', () => {
    const app = new App();
    const us = new Stack(app, 'A', { env: US });
    const eu = new Stack(app, 'B', { env: EU });
    const hubA = new TransitGatewayHub(us, 'Hub', { spokes: [testVpc(us, 'Vpc', '10.0.0.0/16')] });
    const literal = new TransitGatewayHub(eu, 'Literal', { transitGatewayId: 'tgw-0123456789abcdef0', spokes: [testVpc(eu, 'Vpc', '10.1.0.0/16')] });
    const token = new TransitGatewayHub(eu, 'Token', {
      transitGatewayId: new ec2.CfnTransitGateway(eu, 'Gateway').ref, spokes: [testVpc(eu, 'Vpc2', '10.2.0.0/16')],
    });
    new TransitGatewayPeering(us, 'Peering', { hubs: [hubA, literal] });

    Template.fromStack(us).hasResourceProperties('Custom::TransitGatewayLookup', { TransitGatewayId: 'tgw-0123456789abcdef0' });
    expect(() => new TransitGatewayPeering(us, 'Peering2', { hubs: [hubA, token] }))
      .toThrow(/hub B\/Token uses an existing transit gateway whose id is only known at deploy time \(.*\): the peering cannot read it from another region/);
  });

  test('more peerings than the peering-attachments quota of a gateway', () => {
    const app = new App({ context: { 'cdk-vpc-connect:quotas': { peeringAttachmentsPerTransitGateway: 1 } } });
    const us = new Stack(app, 'Us', { env: US });
    const hub = new TransitGatewayHub(us, 'Hub', { spokes: [testVpc(us, 'Vpc', '10.0.0.0/16')] });
    for (const [i, region] of ['eu-west-1', 'ap-southeast-2'].entries()) {
      const stack = new Stack(app, `Peer${i}`, { env: { account: US.account, region } });
      const peer = new TransitGatewayHub(stack, 'Hub', { spokes: [testVpc(stack, 'Vpc', `10.${i + 1}0.0.0/16`)] });
      new TransitGatewayPeering(us, `Peering${i}`, { hubs: [hub, peer] });
    }
    expect(() => app.synth()).toThrow(/peeringAttachmentsPerTransitGateway/);
  });

  test('overlapping blocks routed across', () => {
    const r = regions();
    r.euHub.addSpoke(testVpc(r.eu, 'Clash', '10.0.128.0/17'), { segment: 'shared' });
    new TransitGatewayPeering(r.us, 'Peering', { hubs: [r.usHub, r.euHub] });
    expect(() => r.app.synth()).toThrow(/Spokes NetworkUs\/Shared \(10.0.0.0\/16\) and NetworkEu\/Clash \(10.0.128.0\/17\) overlap, and they are routed across the peering/);
  });
});

describe('TransitGatewayPeering cost', () => {
  test('two peering attachment-hours per hour, and inter-region transfer for the traffic across', () => {
    const r = regions();
    const peering = new TransitGatewayPeering(r.us, 'UsToEu', { hubs: [r.usHub, r.euHub] });

    const estimate = peering.estimateMonthlyCost({ traffic: { gbPerMonth: 1000 } });

    const hours = Pricing.US_EAST_1.rates.hoursPerMonth;
    expect(estimate.lines.map((l) => [l.item, l.quantity, l.rateUsd])).toEqual([
      ['Transit gateway peering attachments', 2 * hours, 0.05],
      ['Data across regions (transit gateway peering)', 1000, 0.02],
    ]);
    expect(estimate.monthlyUsd).toBeCloseTo(2 * hours * 0.05 + 20, 6);
    expect(peering.estimateMonthlyCost().monthlyUsd).toBeCloseTo(2 * hours * 0.05, 6);
  });

  test('natGatewaysAvoided does not apply', () => {
    const r = regions();
    const peering = new TransitGatewayPeering(r.us, 'UsToEu', { hubs: [r.usHub, r.euHub] });
    expect(() => peering.estimateMonthlyCost({ natGatewaysAvoided: 1 })).toThrow(CostInputError);
    expect(() => peering.estimateMonthlyCost({ natGatewaysAvoided: 1 }))
      .toThrow(/natGatewaysAvoided \(1\) only applies to the estimate of VpcEndpoints: a transit gateway peering replaces no NAT gateway/);
  });
});
