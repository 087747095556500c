import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { SharedEndpointsStack } from '../../examples/shared-endpoints';
import { NetworkModel, SharedEndpoints, TransitGatewayHub } from '../../lib';
import { testVpc } from '../support/vpcs';

/**
 * The network model follows SharedEndpoints: a consumer's service name resolves through the
 * shared private hosted zone to the shared endpoint, over the hub, and back; each missing piece
 * (the zone's association, the route, the security group's rule) is named.
 * (`blockedBy` is compared with the stable codes of ReachabilityBlockers, written out.)
 */
describe('the network model on SharedEndpoints', () => {
  describe('the example stack', () => {
    const app = new App();
    const stack = new SharedEndpointsStack(app, 'SharedEndpoints');
    const model = NetworkModel.fromApp(app);
    const [publisherVpc, otherVpc] = stack.appVpcs;

    test('the Fargate task reaches SNS on 443 through the hub to the shared endpoint, and back', () => {
      const answer = model.canReach(stack.service, 'sns', { port: 443 });
      expect({ reachable: answer.reachable, certain: answer.certain }).toEqual({ reachable: true, certain: true });
      expect(answer.path.map((h) => [h.direction, h.vpc, h.target])).toEqual([
        ['there', 'SharedEndpoints/AppA', 'tgw'],
        ['there', 'SharedEndpoints/Hub', 'tgw'],
        ['back', 'SharedEndpoints/SharedServices', 'tgw'],
        ['back', 'SharedEndpoints/Hub', 'tgw'],
      ]);
    });

    test.each(['sns', 'ssm', 'ssmmessages', 'ec2messages', 'ecr.api', 'ecr.dkr', 'logs'])('both application VPCs reach %s on 443', (service) => {
      for (const vpc of [publisherVpc, otherVpc]) {
        expect(model.canReach(vpc.isolatedSubnets[0], service, { port: 443 }).reachable).toBe(true);
      }
    });

    test('the shared VPC reaches its own endpoints locally', () => {
      const answer = model.canReach(stack.sharedVpc.isolatedSubnets[0], 'sns', { port: 443 });
      expect(answer.reachable).toBe(true);
      expect(answer.path.map((h) => h.target)).toEqual(['local', 'local']);
    });

    test('the endpoints\' security group admits only 443: another port is blocked, naming the zone and the endpoint', () => {
      const answer = model.canReach(publisherVpc.isolatedSubnets[0], 'ssm', { port: 22 });
      expect(answer.reachable).toBe(false);
      expect(answer.blockedBy).toBe('SECURITY_GROUP_INGRESS');
      expect(answer.reason).toMatch(/SharedEndpoints\/Endpoints\/Endpoints\/SecurityGroup of ssm \(the interface endpoint SharedEndpoints\/Endpoints\/Endpoints\/Ssm, found through the private hosted zone SharedEndpoints\/Endpoints\/SsmZone/);
    });

    test('a service that is not shared has no endpoint', () => {
      const answer = model.canReach(publisherVpc.isolatedSubnets[0], 'sqs', { port: 443 });
      expect(answer.reachable).toBe(false);
      expect(answer.blockedBy).toBe('NO_ENDPOINT');
    });
  });

  describe('without each piece', () => {
    function network(options: { consumer: boolean; hub: boolean }) {
      const app = new App();
      const stack = new Stack(app, 'Stack');
      const shared = testVpc(stack, 'Shared', '10.0.0.0/16');
      const app1 = testVpc(stack, 'App', '10.1.0.0/16');
      if (options.hub) { new TransitGatewayHub(stack, 'Hub', { spokes: [shared, app1] }); }
      const endpoints = new SharedEndpoints(stack, 'Endpoints', { vpc: shared, interfaces: [ec2.InterfaceVpcEndpointAwsService.SNS], lookupSupportedAzs: false });
      if (options.consumer) { endpoints.addConsumer(app1, { routedElsewhere: !options.hub }); }
      return { model: NetworkModel.fromApp(app), source: app1.isolatedSubnets[0] };
    }

    test('with every piece, the consumer reaches the service', () => {
      const { model, source } = network({ consumer: true, hub: true });
      expect(model.canReach(source, 'sns', { port: 443 }).reachable).toBe(true);
    });

    test('a VPC on the hub that is not a consumer: the zone is not associated, so the name has no endpoint there', () => {
      const { model, source } = network({ consumer: false, hub: true });
      const answer = model.canReach(source, 'sns', { port: 443 });
      expect(answer.reachable).toBe(false);
      expect(answer.blockedBy).toBe('NO_ENDPOINT');
    });

    test('a consumer without a route to the shared VPC (routed elsewhere, outside the model) is not reached', () => {
      const { model, source } = network({ consumer: true, hub: false });
      const answer = model.canReach(source, 'sns', { port: 443 });
      expect(answer.reachable).toBe(false);
      expect(answer.blockedBy).toBe('NO_ROUTE');
    });
  });
});
