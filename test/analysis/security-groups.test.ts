import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Protocol } from 'aws-cdk-lib/aws-ec2';
import { modelApp } from './support-model-app';
import { groupId, modelOf, peered, ref, tcp } from './support-network-templates';
import { NetworkModel, ReachabilityBlockers, ReachabilityCheck } from '../../lib/analysis';
import { VpcPeering } from '../../lib/peering/vpc-peering';
import { testVpc } from '../support/vpcs';



describe('security groups', () => {
  test('without options: routes only, and the answer says so', () => {
    const net = peered().group('Web', 'B', []).instance('Server', 'BS1', ['Web']).instance('Client', 'AS1', []);
    const answer = modelOf(net).canReach('Net/Client', 'Net/Server');
    expect(answer).toMatchObject({ reachable: true, certain: true, coverage: ReachabilityCheck.ROUTES });
    expect(answer.blockedBy).toBeUndefined();
  });

  test('inline ingress from a CIDR: the port it admits reaches, another is blocked at the destination\'s ingress', () => {
    const net = peered().group('Web', 'B', [tcp(443, '10.0.0.0/16')]).group('ClientSg', 'A').instance('Server', 'BS1', ['Web']).instance('Client', 'AS1', ['ClientSg']);
    const m = modelOf(net);

    expect(m.canReach('Net/Client', 'Net/Server', { port: 443 })).toMatchObject({ reachable: true, certain: true, coverage: ReachabilityCheck.TRAFFIC });
    const blocked = m.canReach('Net/Client', 'Net/Server', { port: 22 });
    expect(blocked).toMatchObject({ reachable: false, certain: true, blockedBy: ReachabilityBlockers.SECURITY_GROUP_INGRESS });
    expect(blocked.reason).toBe('No ingress rule of the security group Net/Web of Net/Server admits tcp/22 from Net/Client (10.0.1.0/24).');
    // UDP is another protocol.
    expect(m.canReach('Net/Client', 'Net/Server', { port: 443, protocol: Protocol.UDP }).blockedBy).toBe(ReachabilityBlockers.SECURITY_GROUP_INGRESS);
  });

  test('a CIDR rule that covers only part of the source is not certain', () => {
    const net = peered().group('Web', 'B', [tcp(443, '10.0.1.0/25')]).instance('Server', 'BS1', ['Web']);
    const answer = modelOf(net).canReach('Net/AS1', 'Net/Server', { port: 443 });
    expect(answer).toMatchObject({ reachable: true, certain: false });
    expect(answer.reason).toMatch(/10\.0\.1\.0\/25 holds only part of 10\.0\.1\.0\/24/);
  });

  test('port ranges, protocol -1 and ICMP types', () => {
    const net = peered()
      .group('Range', 'B', [tcp(8000, '10.0.0.0/16', 8100), { IpProtocol: 'icmp', FromPort: 8, ToPort: -1, CidrIp: '10.0.0.0/16' }])
      .group('All', 'B', [{ IpProtocol: '-1', CidrIp: '10.0.0.0/8' }])
      .instance('Ranged', 'BS1', ['Range']).instance('Open', 'BS1', ['All']);
    const m = modelOf(net);
    expect(m.canReach('Net/AS1', 'Net/Ranged', { port: 8080 }).reachable).toBe(true);
    expect(m.canReach('Net/AS1', 'Net/Ranged', { port: 8101 }).reachable).toBe(false);
    expect(m.canReach('Net/AS1', 'Net/Ranged', { protocol: Protocol.ICMP }).reachable).toBe(true); // type 8, ping
    expect(m.canReach('Net/AS1', 'Net/Ranged', { protocol: Protocol.ICMP, port: 13 }).reachable).toBe(false); // timestamp
    // Without a port, every port must be admitted.
    expect(m.canReach('Net/AS1', 'Net/Ranged', {}).blockedBy).toBe(ReachabilityBlockers.SECURITY_GROUP_INGRESS);
    expect(m.canReach('Net/AS1', 'Net/Open', {}).reachable).toBe(true);
    expect(m.canReach('Net/AS1', 'Net/Open', { protocol: Protocol.ALL }).reachable).toBe(true);
    expect(m.canReach('Net/AS1', 'Net/Open', { port: 53, protocol: Protocol.UDP }).reachable).toBe(true);
  });

  test('egress: the default egress admits everything; inline egress replaces it; separate egress adds to it', () => {
    const net = peered()
      .group('Web', 'B', [{ IpProtocol: '-1', CidrIp: '10.0.0.0/8' }])
      .group('DefaultEgress', 'A')
      .group('HttpsOnly', 'A', [], [tcp(443, '0.0.0.0/0')])
      .group('Nothing', 'A', [], [{ IpProtocol: 'icmp', FromPort: 252, ToPort: 86, CidrIp: '255.255.255.255/32' }])
      .add('NothingPlus22', 'AWS::EC2::SecurityGroupEgress', { GroupId: groupId('Nothing'), IpProtocol: 'tcp', FromPort: 22, ToPort: 22, DestinationSecurityGroupId: groupId('Web') })
      .instance('Server', 'BS1', ['Web'])
      .instance('Free', 'AS1', ['DefaultEgress']).instance('Https', 'AS1', ['HttpsOnly']).instance('Locked', 'AS1', ['Nothing']);
    const m = modelOf(net);
    expect(m.canReach('Net/Free', 'Net/Server', { port: 5432 }).reachable).toBe(true);
    expect(m.canReach('Net/Https', 'Net/Server', { port: 443 }).reachable).toBe(true);
    const out = m.canReach('Net/Https', 'Net/Server', { port: 5432 });
    expect(out).toMatchObject({ reachable: false, certain: true, blockedBy: ReachabilityBlockers.SECURITY_GROUP_EGRESS });
    expect(out.reason).toBe('No egress rule of the security group Net/HttpsOnly of Net/Https admits tcp/5432 to Net/Server (10.1.1.0/24).');
    expect(m.canReach('Net/Locked', 'Net/Server', { port: 443 }).blockedBy).toBe(ReachabilityBlockers.SECURITY_GROUP_EGRESS);
    // The separate egress rule names the server's group, across the peering.
    expect(m.canReach('Net/Locked', 'Net/Server', { port: 22 }).reachable).toBe(true);
  });

  test('a rule naming a group admits its members, in the same VPC and across a peering, not across a transit gateway', () => {
    const net = peered()
      .vpc('C', '10.2.0.0/16', ['10.2.1.0/24'])
      .add('Tgw', 'AWS::EC2::TransitGateway', {})
      .add('TgwA', 'AWS::EC2::TransitGatewayAttachment', { TransitGatewayId: ref('Tgw'), VpcId: ref('A'), SubnetIds: [ref('AS1'), ref('AS2')] })
      .add('TgwC', 'AWS::EC2::TransitGatewayAttachment', { TransitGatewayId: ref('Tgw'), VpcId: ref('C'), SubnetIds: [ref('CS1')] })
      .add('AToC', 'AWS::EC2::Route', { RouteTableId: ref('ARt'), DestinationCidrBlock: '10.2.0.0/16', TransitGatewayId: ref('Tgw') })
      .add('CToA', 'AWS::EC2::Route', { RouteTableId: ref('CRt'), DestinationCidrBlock: '10.0.0.0/16', TransitGatewayId: ref('Tgw') })
      .group('Clients', 'A')
      .group('Db', 'A', [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: groupId('Clients') }])
      .group('PeerDb', 'B', [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: groupId('Clients') }])
      .group('TgwDb', 'C', [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: groupId('Clients') }])
      .instance('App', 'AS1', ['Clients']).instance('Other', 'AS2', [])
      .instance('LocalDb', 'AS2', ['Db']).instance('PeeredDb', 'BS1', ['PeerDb']).instance('FarDb', 'CS1', ['TgwDb']);
    const m = modelOf(net);
    expect(m.canReach('Net/App', 'Net/LocalDb', { port: 5432 }).reachable).toBe(true);
    expect(m.canReach('Net/App', 'Net/PeeredDb', { port: 5432 }).reachable).toBe(true);
    expect(m.canReach('Net/App', 'Net/FarDb', { port: 5432 })).toMatchObject({ reachable: false, blockedBy: ReachabilityBlockers.SECURITY_GROUP_INGRESS });
    // Routed (the transit gateway carries it), so only the group stops it.
    expect(m.canReach('Net/App', 'Net/FarDb').reachable).toBe(true);
    // An instance without groups has the VPC's default group, which is not Clients.
    expect(m.canReach('Net/Other', 'Net/LocalDb', { port: 5432 }).blockedBy).toBe(ReachabilityBlockers.SECURITY_GROUP_INGRESS);
  });

  test('a rule naming a group of a peered VPC in another region admits nothing (group references work in one region only)', () => {
    const app = modelApp();
    const east = new Stack(app, 'East', { env: { account: '111111111111', region: 'us-east-1' }, crossRegionReferences: true });
    const west = new Stack(app, 'West', { env: { account: '111111111111', region: 'us-west-2' }, crossRegionReferences: true });
    const a = testVpc(east, 'A', '10.0.0.0/16', { groups: ['Isolated'], maxAzs: 1 });
    const b = testVpc(west, 'B', '10.1.0.0/16', { groups: ['Isolated'], maxAzs: 1 });
    new VpcPeering(east, 'AB', { requester: a, accepter: b });
    const eastApps = new Stack(app, 'EastApps', { env: { account: '111111111111', region: 'us-east-1' }, crossRegionReferences: true });
    const clients = new ec2.SecurityGroup(eastApps, 'Clients', { vpc: a });
    new ec2.CfnNetworkInterface(eastApps, 'Client', { subnetId: a.isolatedSubnets[0].subnetId, groupSet: [clients.securityGroupId] });
    const server = new ec2.CfnSecurityGroup(west, 'ServerSg', {
      groupDescription: 'server', vpcId: b.vpcId,
      securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 443, toPort: 443, sourceSecurityGroupId: 'sg-0123456789abcdef0' }, { ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '10.0.0.0/16' }],
    });
    const westRules = new Stack(app, 'WestRules', { env: { account: '111111111111', region: 'us-west-2' }, crossRegionReferences: true });
    new ec2.CfnSecurityGroupIngress(westRules, 'FromClients', { groupId: server.attrGroupId, ipProtocol: 'tcp', fromPort: 8443, toPort: 8443, sourceSecurityGroupId: clients.securityGroupId });
    new ec2.CfnNetworkInterface(west, 'Server', { subnetId: b.isolatedSubnets[0].subnetId, groupSet: [server.attrGroupId] });
    const m = NetworkModel.fromApp(app);
    expect(m.canReach('EastApps/Client', 'West/Server', { port: 22 }).reachable).toBe(true);
    expect(m.canReach('EastApps/Client', 'West/Server', { port: 8443 })).toMatchObject({ reachable: false, certain: true, blockedBy: ReachabilityBlockers.SECURITY_GROUP_INGRESS });
    // A group of another account or app, by literal id: its members are not known.
    expect(m.canReach('EastApps/Client', 'West/Server', { port: 443 })).toMatchObject({ reachable: true, certain: false });
  });

  test('the default security group admits its own members; aws-cdk-lib\'s restriction removes its rules', () => {
    const net = peered().instance('One', 'AS1', []).instance('Two', 'AS2', []);
    expect(modelOf(net).canReach('Net/One', 'Net/Two', { port: 80 }).reachable).toBe(true);
    net.add('Restrict', 'Custom::VpcRestrictDefaultSG', { DefaultSecurityGroupId: { 'Fn::GetAtt': ['A', 'DefaultSecurityGroup'] } });
    expect(modelOf(net).canReach('Net/One', 'Net/Two', { port: 80 }).blockedBy).toBe(ReachabilityBlockers.SECURITY_GROUP_EGRESS);
  });

  test('prefix lists: one of the templates is read, one only known at deploy time makes the answer uncertain', () => {
    const net = peered()
      .add('Pl', 'AWS::EC2::PrefixList', { AddressFamily: 'IPv4', MaxEntries: 2, PrefixListName: 'clients', Entries: [{ Cidr: '10.0.0.0/16' }] })
      .group('Known', 'B', [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourcePrefixListId: ref('Pl') }])
      .group('Unknown', 'B', [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourcePrefixListId: 'pl-0123456789abcdef0' }])
      .instance('K', 'BS1', ['Known']).instance('U', 'BS1', ['Unknown']);
    const m = modelOf(net);
    expect(m.canReach('Net/AS1', 'Net/K', { port: 443 })).toMatchObject({ reachable: true, certain: true });
    const unknown = m.canReach('Net/AS1', 'Net/U', { port: 443 });
    // The best guess is that the rule admits it: reachable, not certain, nothing named as blocking.
    expect(unknown).toMatchObject({ reachable: true, certain: false });
    expect(unknown.blockedBy).toBeUndefined();
    expect(unknown.reason).toMatch(/prefix list pl-0123456789abcdef0 is known only at deploy time/);
  });

  test('a subnet, VPC or address has no security group: only the other side is checked, and the answer says so', () => {
    const net = peered().group('Web', 'B', [tcp(443, '10.0.0.0/16')]).instance('Server', 'BS1', ['Web']);
    const answer = modelOf(net).canReach('Net/A', 'Net/Server', { port: 443 });
    expect(answer).toMatchObject({ reachable: true, certain: true });
    expect(answer.assumptions).toEqual(['Net/AS1 has no security group (a subnet, a VPC or an address is not a network interface): only the destination\'s security groups were checked']);
    expect(modelOf(net).canReach('10.0.2.9', 'Net/Server', { port: 22 }).blockedBy).toBe(ReachabilityBlockers.SECURITY_GROUP_INGRESS);
  });

  test('the groups of ECS services, Lambda functions, databases, load balancers, launch templates and network interfaces', () => {
    const net = peered()
      .group('Sg', 'B', [tcp(443, '10.0.0.0/16')])
      .add('Svc', 'AWS::ECS::Service', { NetworkConfiguration: { AwsvpcConfiguration: { Subnets: [ref('BS1')], SecurityGroups: [groupId('Sg')] } } })
      .add('Fn', 'AWS::Lambda::Function', { VpcConfig: { SubnetIds: [ref('BS1')], SecurityGroupIds: [groupId('Sg')] } })
      .add('DbSubnets', 'AWS::RDS::DBSubnetGroup', { SubnetIds: [ref('BS1')] })
      .add('Db', 'AWS::RDS::DBInstance', { DBSubnetGroupName: ref('DbSubnets'), VPCSecurityGroups: [groupId('Sg')] })
      .add('Cluster', 'AWS::RDS::DBCluster', { DBSubnetGroupName: ref('DbSubnets'), VpcSecurityGroupIds: [groupId('Sg')] })
      .add('Alb', 'AWS::ElasticLoadBalancingV2::LoadBalancer', { Subnets: [ref('BS1')], SecurityGroups: [groupId('Sg')] })
      .add('Lt', 'AWS::EC2::LaunchTemplate', { LaunchTemplateData: { SecurityGroupIds: [groupId('Sg')] } })
      .add('Asg', 'AWS::AutoScaling::AutoScalingGroup', { VPCZoneIdentifier: [ref('BS1')], LaunchTemplate: { LaunchTemplateId: ref('Lt'), Version: '1' } })
      .add('Eni', 'AWS::EC2::NetworkInterface', { SubnetId: ref('BS1'), GroupSet: [groupId('Sg')] });
    const m = modelOf(net);
    for (const target of ['Net/Svc', 'Net/Fn', 'Net/Db', 'Net/Cluster', 'Net/Alb', 'Net/Asg', 'Net/Eni']) {
      expect({ target, reachable: m.canReach('Net/AS1', target, { port: 443 }).reachable }).toEqual({ target, reachable: true });
      expect({ target, blockedBy: m.canReach('Net/AS1', target, { port: 80 }).blockedBy }).toEqual({ target, blockedBy: ReachabilityBlockers.SECURITY_GROUP_INGRESS });
    }
  });

  test('a load balancer without security groups (a Network Load Balancer) filters nothing', () => {
    const net = peered().add('Nlb', 'AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'network', Subnets: [ref('BS1')] });
    const answer = modelOf(net).canReach('Net/AS1', 'Net/Nlb', { port: 8080 });
    expect(answer).toMatchObject({ reachable: true, certain: true });
    expect(answer.assumptions).toContain('Net/Nlb has no security group: only the source\'s security groups were checked');
  });

  test('a security group as an endpoint stands for its members, in its VPC', () => {
    const net = peered().group('Web', 'B', [tcp(443, '10.0.0.0/16')]);
    const m = modelOf(net);
    expect(m.canReach('Net/A', 'Net/Web', { port: 443 }).reachable).toBe(true);
    expect(m.canReach('Net/A', 'Net/Web', { port: 80 }).blockedBy).toBe(ReachabilityBlockers.SECURITY_GROUP_INGRESS);
  });

  test('a port outside 0-65535 or an unknown protocol is an error naming the value', () => {
    const m = modelOf(peered());
    expect(() => m.canReach('Net/A', 'Net/B', { port: 70000 })).toThrow('canReach: port 70000 is not a port number; give an integer from 0 to 65535 (for ICMP: the ICMP type, for example 8 for ping).');
    expect(() => m.canReach('Net/A', 'Net/B', { protocol: 'bogus' as Protocol })).toThrow("canReach: protocol 'bogus' is not an IP protocol; use ec2.Protocol (for example Protocol.TCP, Protocol.ICMP).");
  });
});
