import { Net, ref, tcp } from './support-network-templates';
import { Finding, FindingRules, FindingSeverity, NetworkModel, ReachabilityBlockers } from '../../lib/analysis';

function findings(net: Net, rule: string): Finding[] {
  return NetworkModel.fromTemplates({ Net: net.template() }).findings.filter((f) => f.ruleId === rule);
}

/**
 * The Peering Guide's overlapping peers served from two route tables: central VPC C, subnet C1
 * (table T1, 10.1.0.0/16 to P1) and subnet C2 (table T2, 10.1.0.0/16 to P2); P1 and P2 both
 * 10.1.0.0/16. P2 routes only to C2; P1 routes to `p1Route`.
 */
function twoTables(p1Route: string): Net {
  return new Net()
    .add('C', 'AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' })
    .add('T1', 'AWS::EC2::RouteTable', { VpcId: ref('C') })
    .add('T2', 'AWS::EC2::RouteTable', { VpcId: ref('C') })
    .add('C1', 'AWS::EC2::Subnet', { VpcId: ref('C'), CidrBlock: '10.0.1.0/24' })
    .add('C2', 'AWS::EC2::Subnet', { VpcId: ref('C'), CidrBlock: '10.0.2.0/24' })
    .add('C1Assoc', 'AWS::EC2::SubnetRouteTableAssociation', { SubnetId: ref('C1'), RouteTableId: ref('T1') })
    .add('C2Assoc', 'AWS::EC2::SubnetRouteTableAssociation', { SubnetId: ref('C2'), RouteTableId: ref('T2') })
    .vpc('P1', '10.1.0.0/16', ['10.1.1.0/24'])
    .vpc('P2', '10.1.0.0/16', ['10.1.1.0/24'])
    .add('Pcx1', 'AWS::EC2::VPCPeeringConnection', { VpcId: ref('C'), PeerVpcId: ref('P1') })
    .add('Pcx2', 'AWS::EC2::VPCPeeringConnection', { VpcId: ref('C'), PeerVpcId: ref('P2') })
    .add('T1ToP1', 'AWS::EC2::Route', { RouteTableId: ref('T1'), DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: ref('Pcx1') })
    .add('T2ToP2', 'AWS::EC2::Route', { RouteTableId: ref('T2'), DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: ref('Pcx2') })
    .add('P1ToC', 'AWS::EC2::Route', { RouteTableId: ref('P1Rt'), DestinationCidrBlock: p1Route, VpcPeeringConnectionId: ref('Pcx1') })
    .add('P2ToC', 'AWS::EC2::Route', { RouteTableId: ref('P2Rt'), DestinationCidrBlock: '10.0.2.0/24', VpcPeeringConnectionId: ref('Pcx2') });
}

describe('findings of security groups, network ACLs, endpoints and reply routing', () => {
  test('reply routing, two tables: a peer whose route covers a subnet served by the other peering', () => {
    const found = findings(twoTables('10.0.0.0/16'), FindingRules.REPLY_ROUTING);
    expect(found.map((f) => [f.severity, f.message])).toEqual([[FindingSeverity.ERROR,
      'VPC Net/P1 routes to Net/C2 (10.0.2.0/24) of VPC Net/C over Net/Pcx1, but their route table Net/T2 sends 10.1.0.0/16 to Net/Pcx2 (route Net/T2ToP2), ' +
      'which overlaps Net/P1: the replies to Net/P1 leave through the other peering and are lost (the reply-routing problem of the AWS VPC Peering Guide).']]);
    expect(found[0].resources).toEqual([{ stack: 'Net', logicalId: 'T2ToP2' }, { stack: 'Net', logicalId: 'T1ToP1' }, { stack: 'Net', logicalId: 'T2' }]);
    // The model agrees: the reply from C2 goes to P2.
    expect(NetworkModel.fromTemplates({ Net: twoTables('10.0.0.0/16').template() }).canReach('Net/P1S1', 'Net/C2'))
      .toMatchObject({ reachable: false, certain: true, blockedBy: ReachabilityBlockers.REPLY_LOST });
    // The Guide's fix: P1 routes only to the subnet its peering serves.
    expect(findings(twoTables('10.0.1.0/24'), FindingRules.REPLY_ROUTING)).toEqual([]);
  });

  test('peered VPCs whose workloads admit nothing from each other', () => {
    const net = new Net()
      .vpc('A', '10.0.0.0/16', ['10.0.1.0/24']).vpc('B', '10.1.0.0/16', ['10.1.1.0/24'])
      .peer('AB', 'A', '10.0.0.0/16', 'B', '10.1.0.0/16')
      .group('ASg', 'A', [tcp(443, '10.0.0.0/16')]).group('BSg', 'B', [tcp(22, '192.168.0.0/16')])
      .instance('AI', 'AS1', ['ASg']).instance('BI', 'BS1', ['BSg']);
    const found = findings(net, FindingRules.PEER_NOT_ADMITTED);
    expect(found.map((f) => [f.severity, f.message])).toEqual([[FindingSeverity.WARNING,
      'VPCs Net/A and Net/B route to each other over Net/AB, but no security group of their network interfaces (Net/ASg, Net/BSg) admits anything ' +
      'from the other VPC: no connection can start over the peering.']]);
    net.group('BSg', 'B', [tcp(22, '10.0.0.0/16')]);
    expect(findings(net, FindingRules.PEER_NOT_ADMITTED)).toEqual([]);
  });

  test('an interface endpoint whose group does not admit a VPC that resolves to it', () => {
    const net = new Net()
      .vpc('Hub', '10.0.0.0/16', ['10.0.1.0/24']).vpc('Spoke', '10.1.0.0/16', ['10.1.1.0/24'])
      .peer('HS', 'Hub', '10.0.0.0/16', 'Spoke', '10.1.0.0/16')
      .group('EpSg', 'Hub', [tcp(443, '10.0.0.0/16')])
      .endpoint('Ssm', 'Hub', 'ssm', ['HubS1'], ['EpSg'], false)
      .add('Zone', 'AWS::Route53::HostedZone', { Name: 'ssm.us-east-1.amazonaws.com', VPCs: [{ VPCId: ref('Hub'), VPCRegion: 'us-east-1' }, { VPCId: ref('Spoke'), VPCRegion: 'us-east-1' }] })
      .add('Alias', 'AWS::Route53::RecordSet', { HostedZoneId: ref('Zone'), Name: 'ssm.us-east-1.amazonaws.com', Type: 'A', AliasTarget: { DNSName: { 'Fn::GetAtt': ['Ssm', 'DnsEntries'] }, HostedZoneId: 'Z1' } });
    const found = findings(net, FindingRules.ENDPOINT_NOT_ADMITTED);
    expect(found.map((f) => [f.severity, f.message])).toEqual([[FindingSeverity.WARNING,
      'VPC Net/Spoke resolves ssm to the interface endpoint Net/Ssm, but its security group Net/EpSg admits nothing on TCP 443 from 10.1.0.0/16: ' +
      'calls to ssm from Net/Spoke time out.']]);
    expect(found[0].fix).toMatch(/^Admit TCP 443 from 10\.1\.0\.0\/16/);
    net.group('EpSg', 'Hub', [tcp(443, '10.0.0.0/8')]);
    expect(findings(net, FindingRules.ENDPOINT_NOT_ADMITTED)).toEqual([]);
  });

  test('a network ACL that admits requests but drops their replies', () => {
    const net = new Net().vpc('A', '10.0.0.0/16', ['10.0.1.0/24'])
      .acl('Acl', 'A', ['AS1'], [[100, false, true, 6, '10.0.0.0/8', 443], [100, true, true, 6, '10.0.0.0/8', 443]]);
    const found = findings(net, FindingRules.NACL_DROPS_REPLIES);
    expect(found.map((f) => f.message)).toEqual([
      'inbound rule 100 of Net/Acl (allow tcp/443 from 10.0.0.0/8) admits requests from 10.0.0.0/8, but the network ACL drops their replies: ' +
      'The network ACL Net/Acl of subnet Net/AS1 denies tcp/1024-65535 to 10.0.0.0/8: the final deny-all outbound rule (*) of Net/Acl.',
      'outbound rule 100 of Net/Acl (allow tcp/443 to 10.0.0.0/8) admits requests out to 10.0.0.0/8, but the network ACL drops their replies: ' +
      'The network ACL Net/Acl of subnet Net/AS1 denies tcp/1024-65535 from 10.0.0.0/8: the final deny-all inbound rule (*) of Net/Acl.',
    ]);
    expect(found[0].fix).toBe('Add an outbound entry to Net/Acl allowing tcp 1024-65535 to 10.0.0.0/8 (network ACLs are stateless: replies go to the client\'s ephemeral port).');
    const fixed = new Net().vpc('A', '10.0.0.0/16', ['10.0.1.0/24']).acl('Acl', 'A', ['AS1'], [
      [100, false, true, 6, '10.0.0.0/8', 443], [110, false, true, 6, '10.0.0.0/8', 1024, 65535],
      [100, true, true, 6, '10.0.0.0/8', 443], [110, true, true, 6, '10.0.0.0/8', 1024, 65535],
    ]);
    expect(findings(fixed, FindingRules.NACL_DROPS_REPLIES)).toEqual([]);
  });
});
