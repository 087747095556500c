import { Net, modelOf, ref, tcp } from './support-network-templates';
import { ReachabilityBlockers, ReachabilityCheck } from '../../lib/analysis';


/** VPC A (AS1, AS2) with an SNS interface endpoint in both subnets, its group admitting A's block on 443. */
function withEndpoint(privateDns: boolean | undefined, admits = '10.0.0.0/16'): Net {
  return new Net()
    .vpc('A', '10.0.0.0/16', ['10.0.1.0/24', '10.0.2.0/24'])
    .group('EndpointSg', 'A', [tcp(443, admits)])
    .endpoint('Sns', 'A', 'sns', ['AS1', 'AS2'], ['EndpointSg'], privateDns);
}

/**
 * The shared-endpoints design (AWS whitepaper "Building a Scalable and Secure Multi-VPC AWS
 * Network Infrastructure", centralized interface endpoints): the endpoint in a hub VPC with
 * private DNS off, a private hosted zone `sns.us-east-1.amazonaws.com` aliasing it, associated
 * with the hub and a spoke VPC peered with it.
 */
function shared(): Net {
  return new Net()
    .vpc('Hub', '10.0.0.0/16', ['10.0.1.0/24'])
    .vpc('Spoke', '10.1.0.0/16', ['10.1.1.0/24'])
    .vpc('Lonely', '10.2.0.0/16', ['10.2.1.0/24'])
    .peer('HubSpoke', 'Hub', '10.0.0.0/16', 'Spoke', '10.1.0.0/16')
    .group('EndpointSg', 'Hub', [tcp(443, '10.0.0.0/8')])
    .endpoint('Sns', 'Hub', 'sns', ['HubS1'], ['EndpointSg'], false)
    .add('Zone', 'AWS::Route53::HostedZone', {
      Name: 'sns.us-east-1.amazonaws.com.',
      VPCs: [{ VPCId: ref('Hub'), VPCRegion: 'us-east-1' }, { VPCId: ref('Spoke'), VPCRegion: 'us-east-1' }, { VPCId: ref('Lonely'), VPCRegion: 'us-east-1' }],
    })
    .add('Record', 'AWS::Route53::RecordSet', {
      HostedZoneId: ref('Zone'), Name: 'sns.us-east-1.amazonaws.com.', Type: 'A',
      AliasTarget: {
        DNSName: { 'Fn::Select': [1, { 'Fn::Split': [':', { 'Fn::Select': [0, { 'Fn::GetAtt': ['Sns', 'DnsEntries'] }] }] }] },
        HostedZoneId: { 'Fn::Select': [0, { 'Fn::Split': [':', { 'Fn::Select': [0, { 'Fn::GetAtt': ['Sns', 'DnsEntries'] }] }] }] },
      },
    });
}

describe('interface endpoints', () => {
  test('with private DNS, a service name resolves to the endpoint\'s network interfaces in the VPC (routes only, and on 443)', () => {
    const m = modelOf(withEndpoint(true));
    const routes = m.canReach('Net/AS1', 'sns');
    expect(routes).toMatchObject({ reachable: true, certain: true, coverage: ReachabilityCheck.ROUTES, toSubnet: 'Net/AS1' });
    expect(routes.path.map((h) => `${h.direction}:${h.target}:${h.destination}`)).toEqual(['there:local:10.0.0.0/16', 'back:local:10.0.0.0/16']);
    expect(m.canReach('Net/AS2', 'com.amazonaws.us-east-1.sns', {})).toMatchObject({ reachable: true, certain: true, coverage: ReachabilityCheck.TRAFFIC });
  });

  test('the endpoint\'s security group must admit the source on 443 (the default port toward a service)', () => {
    const m = modelOf(withEndpoint(true, '10.0.2.0/24'));
    const blocked = m.canReach('Net/AS1', 'sns', {});
    expect(blocked).toMatchObject({ reachable: false, certain: true, blockedBy: ReachabilityBlockers.SECURITY_GROUP_INGRESS });
    expect(blocked.reason).toBe('No ingress rule of the security group Net/EndpointSg of sns (the interface endpoint Net/Sns, found through its private DNS) ' +
      'admits tcp/443 from Net/AS1 (10.0.1.0/24).');
    expect(m.canReach('Net/AS2', 'sns', {}).reachable).toBe(true);
  });

  test('without private DNS (CloudFormation\'s default), the name does not resolve to the endpoint: a certain no, with the reason', () => {
    for (const privateDns of [false, undefined]) {
      const answer = modelOf(withEndpoint(privateDns)).canReach('Net/AS1', 'sns', { port: 443 });
      expect(answer).toMatchObject({ reachable: false, certain: true, blockedBy: ReachabilityBlockers.NO_ENDPOINT });
      expect(answer.reason).toBe('Route table Net/ARt of VPC Net/A has no route to the service sns. No interface endpoint: the interface endpoint Net/Sns of VPC Net/A ' +
        'has private DNS off, so the service\'s public name does not resolve to it (turn PrivateDnsEnabled on, or address the endpoint by its own DNS name: the endpoint as destination).');
    }
    // The endpoint itself (its own DNS name) is reachable.
    expect(modelOf(withEndpoint(false)).canReach('Net/AS1', 'Net/Sns', { port: 443 })).toMatchObject({ reachable: true, certain: true });
  });

  test('no endpoint: a certain no, unless the internet carries it', () => {
    const isolated = new Net().vpc('A', '10.0.0.0/16', ['10.0.1.0/24']);
    const answer = modelOf(isolated).canReach('Net/AS1', 'ssm');
    expect(answer).toMatchObject({ reachable: false, certain: true, blockedBy: ReachabilityBlockers.NO_ENDPOINT });
    expect(answer.reason).toMatch(/No interface endpoint: VPC Net\/A has no interface endpoint for ssm\.$/);

    const online = new Net().vpc('A', '10.0.0.0/16', ['10.0.1.0/24'])
      .add('Igw', 'AWS::EC2::InternetGateway', {})
      .add('IgwAttach', 'AWS::EC2::VPCGatewayAttachment', { VpcId: ref('A'), InternetGatewayId: ref('Igw') })
      .add('Default', 'AWS::EC2::Route', { RouteTableId: ref('ARt'), DestinationCidrBlock: '0.0.0.0/0', GatewayId: ref('Igw') });
    expect(modelOf(online).canReach('Net/AS1', 'ssm', { port: 443 })).toMatchObject({ reachable: true, certain: true });
  });

  test('a private hosted zone associated with a peered VPC resolves the name to the shared endpoint, reached over the peering', () => {
    const m = modelOf(shared());
    const spoke = m.canReach('Net/SpokeS1', 'sns', { port: 443 });
    expect(spoke).toMatchObject({ reachable: true, certain: true, toSubnet: 'Net/HubS1' });
    expect(spoke.path.map((h) => `${h.direction}:${h.target}`)).toEqual(['there:pcx', 'back:pcx']);
    expect(m.canReach('Net/HubS1', 'sns', { port: 443 }).reachable).toBe(true);
    // Associated with the zone but not routed to the hub.
    expect(m.canReach('Net/LonelyS1', 'sns', { port: 443 })).toMatchObject({ reachable: false, certain: true, blockedBy: ReachabilityBlockers.NO_ROUTE });
  });

  test('a VPC the zone is not associated with does not resolve the name to the shared endpoint', () => {
    const net = shared();
    (net.Resources.Zone.Properties.VPCs as unknown[]).splice(1, 2);
    const answer = modelOf(net).canReach('Net/SpokeS1', 'sns', { port: 443 });
    expect(answer).toMatchObject({ reachable: false, certain: true, blockedBy: ReachabilityBlockers.NO_ENDPOINT });
    expect(answer.reason).toMatch(/the interface endpoint Net\/Sns \(VPC Net\/Hub\) serves other VPCs: its private DNS answers only in its own VPC, and no private hosted zone for sns is associated with VPC Net\/Spoke/);
  });

  test('a Route 53 Profile carries the zone to the VPCs associated with it; a profile not in the templates makes the answer uncertain', () => {
    const net = shared();
    (net.Resources.Zone.Properties.VPCs as unknown[]).splice(1, 2);
    net.add('Profile', 'AWS::Route53Profiles::Profile', { Name: 'shared' })
      .add('ProfileZone', 'AWS::Route53Profiles::ProfileResourceAssociation', {
        Name: 'sns-zone', ProfileId: { 'Fn::GetAtt': ['Profile', 'Id'] },
        ResourceArn: { 'Fn::Join': ['', ['arn:aws:route53:::hostedzone/', ref('Zone')]] },
      })
      .add('SpokeProfile', 'AWS::Route53Profiles::ProfileAssociation', { Name: 'spoke', ProfileId: { 'Fn::GetAtt': ['Profile', 'Id'] }, ResourceId: ref('Spoke') })
      .add('LonelyProfile', 'AWS::Route53Profiles::ProfileAssociation', { Name: 'lonely', ProfileId: 'rp-0123456789abcdef', ResourceId: ref('Lonely') });
    const m = modelOf(net);
    expect(m.canReach('Net/SpokeS1', 'sns', { port: 443 })).toMatchObject({ reachable: true, certain: true, toSubnet: 'Net/HubS1' });
    const lonely = m.canReach('Net/LonelyS1', 'sns', { port: 443 });
    expect(lonely).toMatchObject({ reachable: false, certain: false });
    expect(lonely.reason).toMatch(/VPC Net\/Lonely is associated with a Route 53 Profile \(Net\/LonelyProfile\) whose hosted zones are not in the templates: it may resolve sns to an interface endpoint of another VPC/);
  });

  test('the endpoint\'s group must admit the consumer VPC too', () => {
    const net = shared();
    net.group('EndpointSg', 'Hub', [tcp(443, '10.0.0.0/16')]);
    expect(modelOf(net).canReach('Net/SpokeS1', 'sns', { port: 443 }).blockedBy).toBe(ReachabilityBlockers.SECURITY_GROUP_INGRESS);
  });
});
