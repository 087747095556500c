import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { DEFAULT_QUOTAS, PeeringMesh, QUOTAS_CONTEXT_KEY, TransitGatewayHub, VpcPeering } from '../../lib';
import { checkQuota, combineQuotas, invalidQuotas } from '../../lib/routing/quotas';
import { testVpc } from '../support/vpcs';

const ENV = { account: '111111111111', region: 'us-east-1' };

describe('quota logic', () => {
  test.each([
    [39, undefined],
    [40, 'warning'],
    [50, 'warning'],
    [51, 'error'],
  ])('%i of 50 routes: %s', (count, level) => {
    expect(checkQuota('routesPerRouteTable', 'Route table rtb-1', count, 50, 'Hint.')?.level).toBe(level);
  });

  test('messages name the subject, the count, the quota and how to raise it', () => {
    expect(checkQuota('peeringsPerVpc', 'VPC App/A', 51, 50, 'Use a hub.')?.message)
      .toBe('VPC App/A has 51 peering connections, above the quota of 50 peering connections per VPC (raise it with quotas.peeringsPerVpc ' +
        '(or the context key cdk-vpc-connect:quotas) once Service Quotas has raised it for the account, up to 125). Use a hub.');
    expect(checkQuota('resourcesPerStack', 'Stack S', 400, 500, 'Split.')?.message)
      .toBe('Stack S has 400 resources, 80% of the quota of 500 resources per stack. Split.');
  });

  test.each([
    [{ peeringsPerVpc: 126 }, /quotas.peeringsPerVpc is 126, but AWS allows at most 125 peering connections per VPC/],
    [{ resourcesPerStack: 501 }, /at most 500 resources per stack/],
    [{ routesPerRouteTable: 0 }, /quotas.routesPerRouteTable must be a positive integer, got 0/],
    [{ routesPerRouteTable: 12.5 }, /must be a positive integer, got 12.5/],
  ])('rejects %j', (quotas, message) => {
    expect(invalidQuotas(quotas).join(' ')).toMatch(message);
  });

  test('the highest value given for a quota applies; the others keep AWS\'s defaults', () => {
    expect(combineQuotas([{ routesPerRouteTable: 100 }, { routesPerRouteTable: 80, peeringsPerVpc: 60 }]))
      .toEqual({ ...DEFAULT_QUOTAS, routesPerRouteTable: 100, peeringsPerVpc: 60 });
    expect(combineQuotas([])).toEqual({ peeringsPerVpc: 50, routesPerRouteTable: 50, resourcesPerStack: 500 });
  });
});

describe('quota checks at synth', () => {
  /** A peering of two VPCs with one isolated route table each, and `extra` hand-written routes in A's table. */
  function tableWithRoutes(extra: number, context: Record<string, unknown> = {}) {
    const app = new App({ context });
    const stack = new Stack(app, 'Stack', { env: ENV });
    const a = testVpc(stack, 'VpcA', '10.0.0.0/16', { groups: ['Isolated'], maxAzs: 1 });
    const b = testVpc(stack, 'VpcB', '10.1.0.0/16', { groups: ['Isolated'], maxAzs: 1 });
    const peering = new VpcPeering(stack, 'Peering', { requester: a, accepter: b });
    const table = a.isolatedSubnets[0].routeTable.routeTableId;
    for (let i = 0; i < extra; i++) {
      new ec2.CfnRoute(stack, `Extra${i}`, { routeTableId: table, destinationCidrBlock: `192.168.${i}.0/24`, vpcPeeringConnectionId: peering.peeringConnectionId });
    }
    return { app, stack };
  }

  test('a route table above 50 routes fails synth, naming the table and the count', () => {
    const { app } = tableWithRoutes(50);
    expect(() => app.synth()).toThrow(/Route table Stack\/VpcA\/IsolatedSubnet1\/RouteTable \(IPv4\) has 51 routes, above the quota of 50 routes per route table/);
  });

  test('at 80% of the quota it warns on the route', () => {
    const { stack } = tableWithRoutes(39);
    (stack.node.root as App).synth();
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('has 40 routes, 80% of the quota of 50 routes per route table'));
  });

  test('the context key raises a quota for the whole app', () => {
    const { app } = tableWithRoutes(50, { [QUOTAS_CONTEXT_KEY]: { routesPerRouteTable: 100 } });
    expect(() => app.synth()).not.toThrow();
  });

  test('an invalid quota in the context key fails synth with the key\'s name', () => {
    const { app } = tableWithRoutes(0, { [QUOTAS_CONTEXT_KEY]: { peeringsPerVpc: 200 } });
    expect(() => app.synth()).toThrow(/Context cdk-vpc-connect:quotas: quotas.peeringsPerVpc is 200, but AWS allows at most 125/);
  });

  test('a VPC with more than 50 peering connections fails synth, naming the VPC', () => {
    // GIVEN one VPC peered with 51 imported VPCs (no routes, so only the peering quota is at stake)
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const hubVpc = testVpc(stack, 'Hub', '10.0.0.0/16', { groups: ['Isolated'], maxAzs: 1 });
    for (let i = 1; i <= 51; i++) {
      const peer = ec2.Vpc.fromVpcAttributes(stack, `Peer${i}`, { vpcId: `vpc-${i}`, vpcCidrBlock: `10.${i}.0.0/16`, availabilityZones: ['us-east-1a'] });
      new VpcPeering(stack, `Peering${i}`, { requester: hubVpc, accepter: peer, requesterRoutes: { enabled: false }, accepterRoutes: { enabled: false } });
    }

    // THEN
    expect(() => app.synth()).toThrow(/VPC Stack\/Hub has 51 peering connections, above the quota of 50 peering connections per VPC/);
  });

  test('a mesh\'s quotas prop lowers or raises the stack quota; the stack is named', () => {
    const app = new App();
    const stack = new Stack(app, 'Small', { env: ENV });
    const vpcs = ['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16'].map((cidr, i) => testVpc(stack, `Vpc${i}`, cidr));
    new PeeringMesh(stack, 'Mesh', { vpcs, quotas: { resourcesPerStack: 40 } });
    expect(() => app.synth()).toThrow(/Stack Small has \d+ resources, above the quota of 40 resources per stack/);
  });

  test('a mesh or hub rejects quotas AWS does not allow', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const vpcs = ['10.0.0.0/16', '10.1.0.0/16'].map((cidr, i) => testVpc(stack, `Vpc${i}`, cidr));
    expect(() => new PeeringMesh(stack, 'Mesh', { vpcs, quotas: { peeringsPerVpc: 130 } }))
      .toThrow(/\[Stack\/Mesh\] quotas.peeringsPerVpc is 130, but AWS allows at most 125/);
    expect(() => new TransitGatewayHub(stack, 'Hub', { spokes: vpcs, quotas: { resourcesPerStack: 600 } }))
      .toThrow(/\[Stack\/Hub\] quotas.resourcesPerStack is 600, but AWS allows at most 500/);
  });

  test('a hub\'s quotas prop applies to the stacks it adds to', () => {
    const app = new App();
    const hubStack = new Stack(app, 'HubStack', { env: ENV });
    const spokeStack = new Stack(app, 'SpokeStack', { env: ENV });
    const spokes = ['10.0.0.0/16', '10.1.0.0/16'].map((cidr, i) => testVpc(spokeStack, `Vpc${i}`, cidr));
    new TransitGatewayHub(hubStack, 'Hub', { spokes, quotas: { resourcesPerStack: 30 } });
    expect(() => app.synth()).toThrow(/Stack SpokeStack has \d+ resources, above the quota of 30 resources per stack/);
  });
});
