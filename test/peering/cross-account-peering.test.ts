import { App, Fn, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IRemoteVpc, RemoteVpc, VpcPeering } from '../../lib';
import { testVpc } from '../support/vpcs';

const REQUESTER_ENV = { account: '111111111111', region: 'us-east-1' };
const ROLE_ARN = 'arn:aws:iam::222222222222:role/AcceptPeering-ABC';

function remoteVpc(stack: Stack, overrides: Partial<Parameters<typeof RemoteVpc.fromAttributes>[2]> = {}, id = 'Remote'): IRemoteVpc {
  return RemoteVpc.fromAttributes(stack, id, {
    vpcId: 'vpc-0123abcd', cidrs: ['10.20.0.0/16'], account: '222222222222', region: 'eu-west-1',
    routeTableIds: ['rtb-0111aaaa', 'rtb-0222bbbb'], roleArn: ROLE_ARN, ...overrides,
  });
}

describe('VpcPeering with a RemoteVpc accepter', () => {
  test('requests into the other account and region through the accepter role', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Requester', { env: REQUESTER_ENV });
    const vpc = testVpc(stack, 'Vpc', '10.10.0.0/16');

    // WHEN
    const peering = new VpcPeering(stack, 'Peering', { requester: vpc, accepter: remoteVpc(stack) });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::VPCPeeringConnection', {
      VpcId: { Ref: Match.stringLikeRegexp('^Vpc') },
      PeerVpcId: 'vpc-0123abcd',
      PeerOwnerId: '222222222222',
      PeerRegion: 'eu-west-1',
      PeerRoleArn: ROLE_ARN,
    });
    expect(peering.peerOwnerId).toBe('222222222222');
    // the requester's own routes are plain AWS::EC2::Route resources
    expect(peering.requesterRoutes).toHaveLength(4);
    template.resourcePropertiesCountIs('AWS::EC2::Route', { DestinationCidrBlock: '10.20.0.0/16', VpcPeeringConnectionId: Match.anyValue() }, 4);
  });

  test('creates the accepter\'s routes through the role, in the accepter\'s region, one per table and requester block', () => {
    const stack = new Stack(new App(), 'Requester', { env: REQUESTER_ENV });
    const vpc = testVpc(stack, 'Vpc', '10.10.0.0/16');
    new ec2.CfnVPCCidrBlock(stack, 'Secondary', { vpcId: vpc.vpcId, cidrBlock: '10.11.0.0/16' });
    const peering = new VpcPeering(stack, 'Peering', { requester: vpc, accepter: remoteVpc(stack) });

    Template.fromStack(stack).hasResourceProperties('Custom::VpcConnectPeeringRoutes', {
      PeeringConnectionId: { Ref: stack.getLogicalId(peering.node.defaultChild as ec2.CfnVPCPeeringConnection) },
      Region: 'eu-west-1',
      RoleArn: ROLE_ARN,
      RouteTableIds: ['rtb-0111aaaa', 'rtb-0222bbbb'],
      DestinationCidrBlocks: ['10.10.0.0/16', '10.11.0.0/16'],
      DestinationIpv6CidrBlocks: [],
    });
    expect(peering.accepterRoutes).toEqual([]);
    expect(peering.remoteAccepterRoutes).toBeDefined();
    expect(peering.routes).toHaveLength(4);
  });

  test('honours accepterRoutes: narrower destinations, or none at all', () => {
    const stack = new Stack(new App(), 'Requester', { env: REQUESTER_ENV });
    const vpc = testVpc(stack, 'Vpc', '10.10.0.0/16');
    const other = testVpc(stack, 'Other', '10.30.0.0/16');
    new VpcPeering(stack, 'Narrow', { requester: vpc, accepter: remoteVpc(stack), accepterRoutes: { destinations: ['10.10.0.0/24'] } });
    new VpcPeering(stack, 'None', {
      requester: other, accepter: remoteVpc(stack, { vpcId: 'vpc-0456abcd', cidrs: ['10.40.0.0/16'] }, 'Remote2'), accepterRoutes: { enabled: false },
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::VpcConnectPeeringRoutes', 1);
    template.hasResourceProperties('Custom::VpcConnectPeeringRoutes', { DestinationCidrBlocks: ['10.10.0.0/24'] });
  });

  test('dnsResolution enables the option on both sides: requester with its own credentials, accepter through the role', () => {
    const stack = new Stack(new App(), 'Requester', { env: REQUESTER_ENV });
    new VpcPeering(stack, 'Peering', { requester: testVpc(stack, 'Vpc', '10.10.0.0/16'), accepter: remoteVpc(stack), dnsResolution: true });
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::VpcConnectPeeringDns', 2);
    template.hasResourceProperties('Custom::VpcConnectPeeringDns', {
      Side: 'requester', Region: 'us-east-1', RoleArn: Match.absent(), AllowDnsResolutionFromRemoteVpc: 'true',
    });
    template.hasResourceProperties('Custom::VpcConnectPeeringDns', {
      Side: 'accepter', Region: 'eu-west-1', RoleArn: ROLE_ARN, AllowDnsResolutionFromRemoteVpc: 'true',
    });
  });

  test('several peerings in one stack share one Lambda function', () => {
    const stack = new Stack(new App(), 'Requester', { env: REQUESTER_ENV });
    for (const i of [1, 2, 3]) {
      new VpcPeering(stack, `Peering${i}`, {
        requester: testVpc(stack, `Vpc${i}`, `10.${i}.0.0/16`),
        accepter: remoteVpc(stack, { vpcId: `vpc-0000000${i}`, cidrs: [`10.2${i}.0.0/16`] }, `Remote${i}`),
        dnsResolution: true,
      });
    }
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('Custom::VpcConnectPeeringRoutes', 3);
    template.resourceCountIs('Custom::VpcConnectPeeringDns', 6);
  });

  test('a RemoteVpc of the requester\'s own account needs no role, and sets no PeerOwnerId', () => {
    const stack = new Stack(new App(), 'Requester', { env: REQUESTER_ENV });
    new VpcPeering(stack, 'Peering', {
      requester: testVpc(stack, 'Vpc', '10.10.0.0/16'),
      accepter: remoteVpc(stack, { account: '111111111111', roleArn: undefined }),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::VPCPeeringConnection', { PeerOwnerId: Match.absent(), PeerRoleArn: Match.absent(), PeerRegion: 'eu-west-1' });
    template.hasResourceProperties('Custom::VpcConnectPeeringRoutes', { Region: 'eu-west-1', RoleArn: Match.absent() });
  });
});

describe('dnsResolution for same-account peerings', () => {
  test('same region: both options set in the stack\'s region, without a role', () => {
    const stack = new Stack(new App(), 'Stack', { env: REQUESTER_ENV });
    const peering = new VpcPeering(stack, 'Peering', {
      requester: testVpc(stack, 'A', '10.0.0.0/16'), accepter: testVpc(stack, 'B', '10.1.0.0/16'), dnsResolution: true,
    });
    const template = Template.fromStack(stack);
    for (const side of ['requester', 'accepter']) {
      template.hasResourceProperties('Custom::VpcConnectPeeringDns', { Side: side, Region: 'us-east-1', RoleArn: Match.absent() });
    }
    expect(peering.dnsResolutionResources).toHaveLength(2);
  });

  test('cross region: the accepter option is set in the accepter\'s region', () => {
    const app = new App();
    const stackB = new Stack(app, 'B', { env: { ...REQUESTER_ENV, region: 'eu-west-1' } });
    const stackA = new Stack(app, 'A', { env: REQUESTER_ENV, crossRegionReferences: true });
    new VpcPeering(stackA, 'Peering', {
      requester: testVpc(stackA, 'A', '10.0.0.0/16'), accepter: testVpc(stackB, 'B', '10.1.0.0/16'), dnsResolution: true,
    });
    Template.fromStack(stackA).hasResourceProperties('Custom::VpcConnectPeeringDns', { Side: 'accepter', Region: 'eu-west-1' });
  });

  test('no custom resource at all without dnsResolution', () => {
    const stack = new Stack(new App(), 'Stack', { env: REQUESTER_ENV });
    new VpcPeering(stack, 'Peering', { requester: testVpc(stack, 'A', '10.0.0.0/16'), accepter: testVpc(stack, 'B', '10.1.0.0/16') });
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 0);
  });
});

describe('cross-account bad input', () => {
  test('a RemoteVpc of another account without a role says which stack to deploy first', () => {
    const stack = new Stack(new App(), 'Requester', { env: REQUESTER_ENV });
    expect(() => new VpcPeering(stack, 'Peering', { requester: testVpc(stack, 'Vpc', '10.10.0.0/16'), accepter: remoteVpc(stack, { roleArn: undefined }) }))
      .toThrow(/\[Requester\/Peering\] RemoteVpc Requester\/Remote is in account 222222222222, the peering in 111111111111, but has no roleArn\. Deploy a stack with a PeeringAccepterRole for this VPC in account 222222222222 first/);
  });

  test('an account id that is not 12 digits', () => {
    const stack = new Stack(new App(), 'Requester', { env: REQUESTER_ENV });
    expect(() => remoteVpc(stack, { account: '22222', roleArn: undefined }))
      .toThrow(/\[Requester\] RemoteVpc Requester\/Remote: account '22222' is not an AWS account id: an account id is 12 digits .*Pass the 12-digit id of the account that owns the VPC/);
  });

  // Issue 11: every literal attribute of a RemoteVpc is checked where it is given, with the value and the fix.
  test.each<[string, Record<string, unknown>, RegExp]>([
    ['a subnet id as the VPC id', { vpcId: 'subnet-123' },
      /RemoteVpc Requester\/Remote: vpcId 'subnet-123' is not a VPC id: expected 'vpc-' followed by 8 or 17 lowercase hexadecimal digits.*Pass the id of the VPC to peer with/],
    ['a region AWS does not have', { region: 'mars-1' },
      /RemoteVpc Requester\/Remote: region 'mars-1' is not an AWS region known to aws-cdk-lib's region information .*Pass the region the VPC is in/],
    ['an empty string among the route table ids', { routeTableIds: ['rtb-0111aaaa', ''] },
      /RemoteVpc Requester\/Remote: routeTableIds an empty string is not a route table id: expected 'rtb-' followed by 8 or 17 hexadecimal digits/],
    ['a route table listed twice', { routeTableIds: ['rtb-0111aaaa', 'rtb-0111aaaa'] },
      /RemoteVpc Requester\/Remote: routeTableIds lists 'rtb-0111aaaa' more than once\. List each route table once\./],
    ['a CIDR block listed twice (a clear error, not a construct-id collision)', { cidrs: ['10.20.0.0/16', '10.21.0.0/16', '10.20.0.0/16'] },
      /RemoteVpc Requester\/Remote: cidrs lists '10\.20\.0\.0\/16' more than once\. List each block of the VPC once\./],
    ['two CIDR blocks that overlap', { cidrs: ['10.20.0.0/16', '10.20.4.0/22'] },
      /RemoteVpc Requester\/Remote: cidrs lists 10\.20\.0\.0\/16 and 10\.20\.4\.0\/22, which overlap/],
    ['a CIDR block with host bits set', { cidrs: ['10.20.0.1/16'] },
      /RemoteVpc Requester\/Remote: cidrs '10\.20\.0\.1\/16' has host bits set; the network is 10\.20\.0\.0\/16\./],
    ['an IPv6 block with host bits set', { ipv6Cidrs: ['2600:1f18::1/56'] },
      /RemoteVpc Requester\/Remote: ipv6Cidrs '2600:1f18::1\/56' has host bits set; the network is 2600:1f18::\/56/],
    ['a role ARN that is not a role ARN', { roleArn: 'arn:aws:iam::222222222222:user/alice' },
      /RemoteVpc Requester\/Remote: roleArn 'arn:aws:iam::222222222222:user\/alice' is not an IAM role ARN.*Pass the RoleArn output of the PeeringAccepterRole stack/],
    ['a role of another account than the VPC', { roleArn: 'arn:aws:iam::333333333333:role/AcceptPeering' },
      /RemoteVpc Requester\/Remote: roleArn 'arn:aws:iam::333333333333:role\/AcceptPeering' is a role of account 333333333333, but the VPC is in account 222222222222/],
  ])('%s', (_name, overrides, expected) => {
    const stack = new Stack(new App(), 'Requester', { env: REQUESTER_ENV });
    expect(() => remoteVpc(stack, overrides)).toThrow(expected);
  });

  test('token attributes are not checked at synth, and a role ARN written with a token partition still has its account compared', () => {
    const stack = new Stack(new App(), 'Requester', { env: REQUESTER_ENV });
    const remote = remoteVpc(stack, {
      vpcId: Fn.importValue('AccepterVpcId'), routeTableIds: Fn.split(',', Fn.importValue('AccepterTables'), 2), region: undefined,
    });
    expect(remote.remoteRegion).toBe('us-east-1');
    const formatted = stack.formatArn({ service: 'iam', region: '', account: '333333333333', resource: 'role', resourceName: 'x' });
    expect(() => remoteVpc(stack, { roleArn: formatted }, 'Remote2')).toThrow(/is a role of account 333333333333, but the VPC is in account 222222222222/);
  });

  test('a RemoteVpc with no CIDR block', () => {
    const stack = new Stack(new App(), 'Requester', { env: REQUESTER_ENV });
    expect(() => remoteVpc(stack, { cidrs: [] })).toThrow(/cidrs is empty; list every IPv4 CIDR block of VPC vpc-0123abcd/);
  });

  test('overlap with a RemoteVpc block', () => {
    const stack = new Stack(new App(), 'Requester', { env: REQUESTER_ENV });
    expect(() => new VpcPeering(stack, 'Peering', {
      requester: testVpc(stack, 'Vpc', '10.10.0.0/16'), accepter: remoteVpc(stack, { cidrs: ['10.20.0.0/16', '10.10.128.0/20'] }),
    })).toThrow(/10\.10\.0\.0\/16 and 10\.10\.128\.0\/20 share addresses/);
  });

  test('a RemoteVpc without route tables, with accepter routes on', () => {
    const stack = new Stack(new App(), 'Requester', { env: REQUESTER_ENV });
    expect(() => new VpcPeering(stack, 'Peering', { requester: testVpc(stack, 'Vpc', '10.10.0.0/16'), accepter: remoteVpc(stack, { routeTableIds: [] }) }))
      .toThrow(/RemoteVpc Requester\/Remote has no routeTableIds.*accepterRoutes.enabled to false/);
  });

  test('a subnet selection on a RemoteVpc', () => {
    const stack = new Stack(new App(), 'Requester', { env: REQUESTER_ENV });
    expect(() => new VpcPeering(stack, 'Peering', {
      requester: testVpc(stack, 'Vpc', '10.10.0.0/16'), accepter: remoteVpc(stack), accepterRoutes: { subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } },
    })).toThrow(/accepterRoutes.subnets is not supported here: the subnets of RemoteVpc Requester\/Remote are not known here\. List the route tables to route in the RemoteVpc's routeTableIds instead/);
  });

  test('a RemoteVpc as the requester', () => {
    const stack = new Stack(new App(), 'Requester', { env: REQUESTER_ENV });
    expect(() => new VpcPeering(stack, 'Peering', { requester: remoteVpc(stack), accepter: testVpc(stack, 'Vpc', '10.10.0.0/16') }))
      .toThrow(/The requester Requester\/Remote is a RemoteVpc/);
  });

  test('an ec2.Vpc of another account as the accepter', () => {
    const app = new App();
    const other = new Stack(app, 'Other', { env: { account: '222222222222', region: 'us-east-1' } });
    const stack = new Stack(app, 'Requester', { env: REQUESTER_ENV });
    expect(() => new VpcPeering(stack, 'Peering', { requester: testVpc(stack, 'Vpc', '10.10.0.0/16'), accepter: testVpc(other, 'Vpc', '10.20.0.0/16') }))
      .toThrow(/accepter VPC Other\/Vpc is in account 222222222222, the peering in 111111111111\. Peer across accounts with RemoteVpc\.fromAttributes/);
  });

  test('dnsResolution with a VPC whose DNS hostnames are off', () => {
    const stack = new Stack(new App(), 'Stack', { env: REQUESTER_ENV });
    const noDns = new ec2.Vpc(stack, 'NoDns', { ipAddresses: ec2.IpAddresses.cidr('10.1.0.0/16'), enableDnsHostnames: false, natGateways: 0, maxAzs: 1 });
    expect(() => new VpcPeering(stack, 'Peering', { requester: testVpc(stack, 'A', '10.0.0.0/16'), accepter: noDns, dnsResolution: true }))
      .toThrow(/dnsResolution needs DNS hostnames and DNS support in both VPCs, but VPC Stack\/NoDns has enableDnsHostnames=false/);
  });
});
