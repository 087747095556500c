import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ConnectivityError } from '../../lib/errors';
import { describeSubnetSelection, rejectRouteOption, selectRouteTablesFor } from '../../lib/routing/route-options';
import { sharedTableVpc, testVpc } from '../support/vpcs';

const ENV = { account: '111111111111', region: 'us-east-1' };

describe('RouteOptions helpers', () => {
  const stack = new Stack(new App(), 'Stack', { env: ENV });
  const vpc = testVpc(stack, 'Vpc', '10.0.0.0/16');

  describe('describeSubnetSelection', () => {
    test.each([
      [undefined, 'every subnet'],
      [{}, '{}'],
      [{ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, '{ subnetType Isolated }'],
      [{ subnetGroupName: 'Workload', onePerAz: true }, '{ subnetGroupName Workload; onePerAz }'],
      [{ availabilityZones: ['us-east-1a', 'us-east-1b'] }, '{ availabilityZones us-east-1a, us-east-1b }'],
    ])('%j reads %s', (selection, text) => {
      expect(describeSubnetSelection(selection)).toBe(text);
    });

    test('names subnets by id, or by path when the id is a token, without stringifying the constructs', () => {
      const imported = ec2.Subnet.fromSubnetId(stack, 'Imported', 'subnet-1');
      expect(describeSubnetSelection({ subnets: [imported, vpc.isolatedSubnets[0]] }))
        .toBe('{ subnets subnet-1, Stack/Vpc/IsolatedSubnet1 }');
    });
  });

  describe('selectRouteTablesFor', () => {
    test('each distinct route table once, however many subnets share it', () => {
      const shared = sharedTableVpc(stack, 'Shared', '172.31.0.0/16', 'rtb-main', 3);
      expect(selectRouteTablesFor(stack, shared, 'Stack/Shared', undefined, 'routes').tables.map((t) => t.routeTableId)).toEqual(['rtb-main']);
      expect(selectRouteTablesFor(stack, vpc, 'Stack/Vpc', { subnets: { subnetType: ec2.SubnetType.PUBLIC } }, 'routes').tables).toHaveLength(2);
    });

    test('no table when enabled is false, without looking at the selection', () => {
      expect(selectRouteTablesFor(stack, vpc, 'Stack/Vpc', { enabled: false, subnets: { subnetFilters: [ec2.SubnetFilter.byIds(['subnet-nope'])] } }, 'routes'))
        .toEqual({ tables: [] });
    });
  });

  describe('rejectRouteOption', () => {
    test('fails, naming the option, the field and the reason, only when the field is given', () => {
      const owner = new Stack(new App(), 'Owner');
      expect(() => rejectRouteOption(owner, { destinations: ['10.0.0.0/16'] }, 'gatewayRoutes', 'destinations', 'they lead to the prefix list.'))
        .toThrow(ConnectivityError);
      expect(() => rejectRouteOption(owner, { destinations: ['10.0.0.0/16'] }, 'gatewayRoutes', 'destinations', 'they lead to the prefix list.'))
        .toThrow('[Owner] gatewayRoutes.destinations is not supported here: they lead to the prefix list.');
      expect(() => rejectRouteOption(owner, { enabled: true }, 'gatewayRoutes', 'destinations', 'reason')).not.toThrow();
      expect(() => rejectRouteOption(owner, undefined, 'gatewayRoutes', 'destinations', 'reason')).not.toThrow();
    });
  });
});

describe('selectRouteTablesFor: subnets must belong to the VPC they route', () => {
  const stack = new Stack(new App(), 'Stack', { env: ENV });
  const vpcA = testVpc(stack, 'VpcA', '10.0.0.0/16');
  const vpcB = testVpc(stack, 'VpcB', '10.1.0.0/16');

  test('a subnet of another VPC is an error naming both VPCs, not a silent route in the wrong table', () => {
    expect(() => selectRouteTablesFor(stack, vpcA, 'Stack/VpcA', { subnets: { subnets: [vpcA.isolatedSubnets[0], vpcB.isolatedSubnets[0]] } }, 'requesterRoutes'))
      .toThrow(/\[Stack\] requesterRoutes.subnets: subnet Stack\/VpcB\/IsolatedSubnet1 of VPC Stack\/VpcB selected for the route tables of VPC Stack\/VpcA, but it is not a subnet of that VPC/);
  });

  test('an imported subnet the VPC does not list is an error too, named by its id', () => {
    const imported = ec2.Subnet.fromSubnetAttributes(stack, 'Stray', { subnetId: 'subnet-0123456789abcdef0', routeTableId: 'rtb-0123456789abcdef0' });
    expect(() => selectRouteTablesFor(stack, vpcA, 'Stack/VpcA', { subnets: { subnets: [imported] } }, 'routes'))
      .toThrow(/routes.subnets: subnet subnet-0123456789abcdef0 selected for the route tables of VPC Stack\/VpcA, but it is not a subnet of that VPC/);
  });

  test('the VPC\'s own subnets pass, as constructs or as imports of the same id', () => {
    const imported = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-0123456789abcdef0', vpcCidrBlock: '10.9.0.0/16', availabilityZones: ['us-east-1a'],
      isolatedSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa'], isolatedSubnetRouteTableIds: ['rtb-0aaaaaaaaaaaaaaaa'],
    });
    const sameId = ec2.Subnet.fromSubnetAttributes(stack, 'SameId', { subnetId: 'subnet-0aaaaaaaaaaaaaaaa', routeTableId: 'rtb-0aaaaaaaaaaaaaaaa' });
    expect(selectRouteTablesFor(stack, imported, 'Stack/Imported', { subnets: { subnets: [sameId] } }, 'routes').tables.map((t) => t.routeTableId))
      .toEqual(['rtb-0aaaaaaaaaaaaaaaa']);
    expect(selectRouteTablesFor(stack, vpcA, 'Stack/VpcA', { subnets: { subnets: vpcA.isolatedSubnets } }, 'routes').tables).toHaveLength(2);
  });

  test('a subnet created on its own in the VPC (new ec2.PrivateSubnet with the VPC\'s id) belongs to it', () => {
    const extra = new ec2.PrivateSubnet(stack, 'Extra', { vpcId: vpcA.vpcId, availabilityZone: 'us-east-1a', cidrBlock: '10.0.200.0/24' });
    expect(selectRouteTablesFor(stack, vpcA, 'Stack/VpcA', { subnets: { subnets: [extra] } }, 'routes').tables.map((t) => t.label)).toHaveLength(1);
    const stray = new ec2.PrivateSubnet(stack, 'Stray2', { vpcId: vpcB.vpcId, availabilityZone: 'us-east-1a', cidrBlock: '10.1.200.0/24' });
    expect(() => selectRouteTablesFor(stack, vpcA, 'Stack/VpcA', { subnets: { subnets: [stray] } }, 'routes'))
      .toThrow(/routes\.subnets: subnet Stack\/Stray2 of VPC Stack\/VpcB selected for the route tables of VPC Stack\/VpcA, but it is not a subnet of that VPC/);
  });

  test('a VPC imported without subnets cannot tell: the selected subnets are used', () => {
    const bare = ec2.Vpc.fromVpcAttributes(stack, 'Bare', { vpcId: 'vpc-0bbbbbbbbbbbbbbbb', vpcCidrBlock: '10.8.0.0/16', availabilityZones: ['us-east-1a'] });
    const subnet = ec2.Subnet.fromSubnetAttributes(stack, 'BareSubnet', { subnetId: 'subnet-0bbbbbbbbbbbbbbbb', routeTableId: 'rtb-0bbbbbbbbbbbbbbbb' });
    expect(selectRouteTablesFor(stack, bare, 'Stack/Bare', { subnets: { subnets: [subnet] } }, 'routes').tables.map((t) => t.routeTableId))
      .toEqual(['rtb-0bbbbbbbbbbbbbbbb']);
  });

  test('the message never stringifies the selection (subnets are circular constructs)', () => {
    expect(() => selectRouteTablesFor(stack, vpcA, 'Stack/VpcA', { subnets: { subnets: vpcB.isolatedSubnets } }, 'routes'))
      .toThrow(/subnet Stack\/VpcB\/IsolatedSubnet1 of VPC Stack\/VpcB, subnet Stack\/VpcB\/IsolatedSubnet2 of VPC Stack\/VpcB selected .* they are not subnets of that VPC/);
  });
});
