import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { modelApp } from './support-model-app';
import { FindingRules, NetworkModel, ReachabilityBlockers } from '../../lib/analysis';
import { RemoteVpc } from '../../lib/peering/remote-vpc';
import { VpcPeering } from '../../lib/peering/vpc-peering';
import { testVpc } from '../support/vpcs';

/** An app VPC peered with an imported VPC whose id, CIDR block, subnets and route tables are literal. */
function importedApp() {
  const app = modelApp();
  const stack = new Stack(app, 'Net', { env: { account: '111111111111', region: 'us-east-1' } });
  const a = testVpc(stack, 'App', '10.0.0.0/16', { groups: ['Isolated'], maxAzs: 1 });
  const existing = ec2.Vpc.fromVpcAttributes(stack, 'Existing', {
    vpcId: 'vpc-0e0e0e0e0e0e0e0e0',
    vpcCidrBlock: '10.9.0.0/16',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    isolatedSubnetIds: ['subnet-0a0a0a0a0a0a0a0a0', 'subnet-0b0b0b0b0b0b0b0b0'],
    isolatedSubnetRouteTableIds: ['rtb-0a0a0a0a0a0a0a0a0', 'rtb-0b0b0b0b0b0b0b0b0'],
    isolatedSubnetIpv4CidrBlocks: ['10.9.1.0/24', '10.9.2.0/24'],
  });
  new VpcPeering(stack, 'AppToExisting', { requester: a, accepter: existing });
  return { app, stack, a, existing };
}

describe('imported VPCs', () => {
  test('fromApp: an imported VPC with literal attributes is linked: its route tables hold the app\'s routes, its subnets are known', () => {
    const { app, a, existing } = importedApp();
    const model = NetworkModel.fromApp(app);
    expect(model.canReach(a, existing)).toMatchObject({ reachable: true, certain: true, toSubnet: 'Net/Existing/IsolatedSubnet1' });
    const back = model.canReach(existing, a);
    expect(back).toMatchObject({ reachable: true, certain: true, fromSubnet: 'Net/Existing/IsolatedSubnet1' });
    expect(back.path[0]).toMatchObject({ vpc: 'Net/Existing', routeTable: 'rtb-0a0a0a0a0a0a0a0a0', destination: '10.0.0.0/16', via: 'Net/AppToExisting' });
    expect(model.canReach('Net/Existing/IsolatedSubnet2', '10.0.0.10', { port: 22 })).toMatchObject({ reachable: true, certain: true });
    expect(model.vpcs.find((v) => v.name === 'Net/Existing')?.cidrs).toEqual(['10.9.0.0/16']);
    expect(model.findings.filter((f) => f.ruleId === FindingRules.UNKNOWN).map((f) => f.message))
      .not.toEqual(expect.arrayContaining([expect.stringMatching(/VPC vpc-0e0e0e0e0e0e0e0e0 .*is not defined in the templates/)]));
  });

  test('from the templates alone, routes in tables known by literal id belong to the peer: the reply is followed, not certain', () => {
    const { app } = importedApp();
    const template = app.synth().getStackByName('Net').template;
    const model = NetworkModel.fromTemplates({ Net: template });
    // Without path metadata the templates name the app's VPC by its logical id.
    const appVpc = model.vpcs.find((v) => v.name.startsWith('Net/App'))!.name;
    const answer = model.canReach(appVpc, 'vpc-0e0e0e0e0e0e0e0e0');
    expect(answer).toMatchObject({ reachable: true, certain: false });
    expect(answer.reason).toMatch(/VPC vpc-0e0e0e0e0e0e0e0e0 is not defined in the templates/);
    expect(answer.path.map((h) => `${h.direction}:${h.routeTable}`)).toEqual(expect.arrayContaining([expect.stringMatching(/^back:rtb-0[ab]/)]));
  });

  test('a RemoteVpc and an import of the same VPC (same literal id) elsewhere in the app are one VPC', () => {
    const app = modelApp();
    const requester = new Stack(app, 'Requester', { env: { account: '111111111111', region: 'us-east-1' } });
    const a = testVpc(requester, 'Vpc', '10.10.0.0/16', { groups: ['Isolated'], maxAzs: 1 });
    const remote = RemoteVpc.fromAttributes(requester, 'Remote', {
      vpcId: 'vpc-0e0e0e0e', cidrs: ['10.20.0.0/16'], account: '222222222222', region: 'us-east-1',
      routeTableIds: ['rtb-0e0e0e01'], roleArn: 'arn:aws:iam::222222222222:role/accept',
    });
    new VpcPeering(requester, 'Peering', { requester: a, accepter: remote });
    // The accepter account's app, in the same CDK app: the same VPC imported with its subnets.
    const accepter = new Stack(app, 'Accepter', { env: { account: '222222222222', region: 'us-east-1' } });
    const same = ec2.Vpc.fromVpcAttributes(accepter, 'Existing', {
      vpcId: 'vpc-0e0e0e0e', vpcCidrBlock: '10.20.0.0/16', availabilityZones: ['us-east-1a'],
      isolatedSubnetIds: ['subnet-0e0e0e01'], isolatedSubnetRouteTableIds: ['rtb-0e0e0e01'], isolatedSubnetIpv4CidrBlocks: ['10.20.1.0/24'],
    });
    const group = new ec2.SecurityGroup(accepter, 'Sg', { vpc: same });
    group.addIngressRule(ec2.Peer.ipv4('10.10.0.0/16'), ec2.Port.tcp(443));
    new ec2.CfnNetworkInterface(accepter, 'Server', { subnetId: 'subnet-0e0e0e01', groupSet: [group.securityGroupId] });

    const model = NetworkModel.fromApp(app);
    expect(model.vpcs.filter((v) => v.cidrs.includes('10.20.0.0/16')).map((v) => v.name)).toEqual(['Accepter/Existing']);
    expect(model.canReach(a, remote)).toMatchObject({ reachable: true, certain: true, toSubnet: 'Accepter/Existing/IsolatedSubnet1' });
    expect(model.canReach(a, 'Accepter/Server', { port: 443 })).toMatchObject({ reachable: true, certain: true });
    expect(model.canReach(a, 'Accepter/Server', { port: 22 }).blockedBy).toBe(ReachabilityBlockers.SECURITY_GROUP_INGRESS);
  });
});
