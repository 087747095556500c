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
