import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { PeeringMesh, Quotas, TransitGatewayHub, VpcPeering } from '../../lib';
import { ConnectivityError } from '../../lib/errors';
import { checkQuota, invalidQuotas, parseQuotas, quotasOf, withDefaults } from '../../lib/routing/quotas';
import { testVpc } from '../support/vpcs';

const ENV = { account: '111111111111', region: 'us-east-1' };
const KEY = 'cdk-vpc-connect:quotas';

/** The transit gateway and prefix-list quotas (AWS Transit Gateway quotas page; VPC quotas, managed prefix lists). */
const TRANSIT_GATEWAY_DEFAULTS = {
  routeTablesPerTransitGateway: 20, routesPerTransitGateway: 10000, attachmentsPerTransitGateway: 5000, peeringAttachmentsPerTransitGateway: 50, entriesPerPrefixList: 1000,
};

describe('quota logic', () => {
  test.each([
    [39, undefined],
    [40, 'warning'],
    [50, 'warning'],
    [51, 'error'],
  ])('%i of 50 routes: %s', (count, level) => {
    expect(checkQuota('routesPerRouteTable', 'Route table rtb-1', count, 50, 'Hint.')?.level).toBe(level);
  });

  test.each([
    [399, undefined],
    [400, 'warning'],
    [500, 'warning'],
    [501, 'error'],
  ])('%i of 500 routes (the default): %s', (count, level) => {
    expect(checkQuota('routesPerRouteTable', 'Route table rtb-1', count, 500, 'Hint.')?.level).toBe(level);
  });

  test('messages name the subject, the count, the quota and how to raise it (the context key)', () => {
    expect(checkQuota('peeringsPerVpc', 'VPC App/A', 51, 50, 'Use a hub.')?.message)
      .toBe('VPC App/A has 51 peering connections, above the quota of 50 peering connections per VPC (once Service Quotas has raised it ' +
        'for the account, up to 125, set it in the context key cdk-vpc-connect:quotas ({"peeringsPerVpc": N})). Use a hub.');
    expect(checkQuota('resourcesPerStack', 'Stack S', 501, 500, 'Split.')?.message)
      .toBe('Stack S has 501 resources, above the quota of 500 resources per stack (CloudFormation does not allow more than 500). Split.');
    expect(checkQuota('resourcesPerStack', 'Stack S', 400, 500, 'Split.')?.message)
      .toBe('Stack S has 400 resources, 80% of the quota of 500 resources per stack. Split.');
  });

  test('interface endpoints per VPC: 50 by default, adjustable with no published maximum', () => {
    expect(checkQuota('interfaceEndpointsPerVpc', 'VPC App/A', 51, 50, 'Share them.')?.message)
      .toBe('VPC App/A has 51 interface and Gateway Load Balancer endpoints, above the quota of 50 interface and Gateway Load Balancer endpoints ' +
        'per VPC (once Service Quotas has raised it for the account, set it in the context key cdk-vpc-connect:quotas ({"interfaceEndpointsPerVpc": N})). Share them.');
    expect(invalidQuotas({ interfaceEndpointsPerVpc: 1000 })).toEqual([]);
    expect(invalidQuotas({ interfaceEndpointsPerVpc: 0 })).toEqual(['quotas.interfaceEndpointsPerVpc must be a positive integer, got 0.']);
  });

  test.each([
    [{ peeringsPerVpc: 126 }, /quotas.peeringsPerVpc is 126, but AWS allows at most 125 peering connections per VPC/],
    [{ resourcesPerStack: 501 }, /at most 500 resources per stack/],
    [{ routesPerRouteTable: 1001 }, /quotas.routesPerRouteTable is 1001, but AWS allows at most 1000 routes per route table/],
    [{ routesPerRouteTable: 0 }, /quotas.routesPerRouteTable must be a positive integer, got 0/],
    [{ routesPerRouteTable: 12.5 }, /must be a positive integer, got 12.5/],
  ])('rejects %j', (quotas, message) => {
    expect(invalidQuotas(quotas).join(' ')).toMatch(message);
  });

  test('each quota given applies; the others keep AWS\'s defaults (500 routes per route table since June 2025)', () => {
    expect(withDefaults({ routesPerRouteTable: 100 })).toEqual({ peeringsPerVpc: 50, routesPerRouteTable: 100, resourcesPerStack: 500, interfaceEndpointsPerVpc: 50, vpcsPerPrivateHostedZone: 300, ...TRANSIT_GATEWAY_DEFAULTS });
    expect(withDefaults(undefined)).toEqual({ peeringsPerVpc: 50, routesPerRouteTable: 500, resourcesPerStack: 500, interfaceEndpointsPerVpc: 50, vpcsPerPrivateHostedZone: 300, ...TRANSIT_GATEWAY_DEFAULTS });
  });
});

describe('parseQuotas: the context value', () => {
  test('an object, as cdk.json or new App({ context }) gives it', () => {
    expect(parseQuotas({ routesPerRouteTable: 1000, peeringsPerVpc: 125 })).toEqual({ routesPerRouteTable: 1000, peeringsPerVpc: 125 });
  });

  test('JSON text, as `cdk synth -c` passes it', () => {
    expect(parseQuotas('{"routesPerRouteTable": 1000}')).toEqual({ routesPerRouteTable: 1000 });
  });

  test.each([
    ['text that is not JSON', 'routesPerRouteTable=1000', /the value is not JSON \(got "routesPerRouteTable=1000"\); write it as \{"routesPerRouteTable": 1000\}/],
    ['an array', [1000], /the value must be an object such as \{"routesPerRouteTable": 1000\}, got \[1000\]/],
    ['a number', 1000, /must be an object .* got 1000/],
    ['JSON null', 'null', /must be an object .* got null/],
  ])('rejects %s', (_, value, message) => {
    const problems = parseQuotas(value);
    expect(Array.isArray(problems)).toBe(true);
    expect((problems as string[]).join(' ')).toMatch(message);
  });

  test('an unknown key is named, with the list of valid ones', () => {
    expect(parseQuotas({ routesPerTable: 1000 }))
      .toEqual(['unknown quota "routesPerTable"; the quotas are peeringsPerVpc, routesPerRouteTable, resourcesPerStack, interfaceEndpointsPerVpc, vpcsPerPrivateHostedZone, routeTablesPerTransitGateway, routesPerTransitGateway, attachmentsPerTransitGateway, peeringAttachmentsPerTransitGateway, entriesPerPrefixList.']);
  });

  test('values out of range are reported with the unknown keys, all at once', () => {
    expect(parseQuotas('{"peeringsPerVpc": 200, "routes": 5, "resourcesPerStack": -1}')).toEqual([
      'unknown quota "routes"; the quotas are peeringsPerVpc, routesPerRouteTable, resourcesPerStack, interfaceEndpointsPerVpc, vpcsPerPrivateHostedZone, routeTablesPerTransitGateway, routesPerTransitGateway, attachmentsPerTransitGateway, peeringAttachmentsPerTransitGateway, entriesPerPrefixList.',
      'quotas.peeringsPerVpc is 200, but AWS allows at most 125 peering connections per VPC.',
      'quotas.resourcesPerStack must be a positive integer, got -1.',
    ]);
  });
});

describe('Quotas', () => {
  test('names the context key, AWS\'s defaults and the most each quota can be raised to', () => {
    expect(Quotas.CONTEXT_KEY).toBe(KEY);
    expect(Quotas.DEFAULTS).toEqual({ peeringsPerVpc: 50, routesPerRouteTable: 500, resourcesPerStack: 500, interfaceEndpointsPerVpc: 50, vpcsPerPrivateHostedZone: 300, ...TRANSIT_GATEWAY_DEFAULTS });
    expect(Quotas.MAXIMUMS).toEqual({ peeringsPerVpc: 125, routesPerRouteTable: 1000, resourcesPerStack: 500, attachmentsPerTransitGateway: 5000, entriesPerPrefixList: 1000 });
    // shared objects: nobody can change the defaults of the whole library through them
    expect(Object.isFrozen(Quotas.DEFAULTS) && Object.isFrozen(Quotas.MAXIMUMS)).toBe(true);
  });

  test('of(scope): AWS\'s defaults without the context key', () => {
    const stack = new Stack(new App(), 'Stack');
    expect(Quotas.of(stack)).toEqual({ peeringsPerVpc: 50, routesPerRouteTable: 500, resourcesPerStack: 500, interfaceEndpointsPerVpc: 50, vpcsPerPrivateHostedZone: 300, ...TRANSIT_GATEWAY_DEFAULTS });
  });

  test('of(scope): the context key\'s values over the defaults, from any construct of the app', () => {
    const app = new App({ context: { [KEY]: { routesPerRouteTable: 1000 } } });
    const stack = new Stack(app, 'Stack');
    expect(Quotas.of(new Stack(app, 'Other'))).toEqual({ peeringsPerVpc: 50, routesPerRouteTable: 1000, resourcesPerStack: 500, interfaceEndpointsPerVpc: 50, vpcsPerPrivateHostedZone: 300, ...TRANSIT_GATEWAY_DEFAULTS });
    expect(quotasOf(stack)).toEqual(Quotas.of(app));
  });

  test('of(scope): JSON text in the context key, as `cdk synth -c` passes it', () => {
    const app = new App({ context: { [KEY]: '{"peeringsPerVpc": 125}' } });
    expect(Quotas.of(app).peeringsPerVpc).toBe(125);
  });

  test('of(scope): a malformed value is a ConnectivityError naming the key, the problem and where to set it', () => {
    const app = new App({ context: { [KEY]: { routesPerTable: 1000 } } });
    expect(() => Quotas.of(app)).toThrow(ConnectivityError);
    expect(() => Quotas.of(app)).toThrow(new RegExp(
      'Context cdk-vpc-connect:quotas: unknown quota "routesPerTable"; the quotas are peeringsPerVpc, routesPerRouteTable, resourcesPerStack, interfaceEndpointsPerVpc, vpcsPerPrivateHostedZone, routeTablesPerTransitGateway, routesPerTransitGateway, attachmentsPerTransitGateway, peeringAttachmentsPerTransitGateway, entriesPerPrefixList\\. ' +
      'Set it in cdk\\.json .* or with cdk synth -c',
    ));
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

  const QUOTA_OF_50 = { [KEY]: { routesPerRouteTable: 50 } };

  test('a route table above its quota fails synth, naming the table and the count', () => {
    const { app } = tableWithRoutes(50, QUOTA_OF_50);
    expect(() => app.synth()).toThrow(/Route table Stack\/VpcA\/IsolatedSubnet1\/RouteTable \(IPv4\) has 51 routes, above the quota of 50 routes per route table/);
  });

  test('at 80% of the quota it warns on the route', () => {
    const { stack } = tableWithRoutes(39, QUOTA_OF_50);
    (stack.node.root as App).synth();
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('has 40 routes, 80% of the quota of 50 routes per route table'));
  });

  test('without the context key the quota is AWS\'s default of 500: 51 routes neither fail nor warn', () => {
    const { app, stack } = tableWithRoutes(50);
    app.synth();
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('routes per route table'))).toEqual([]);
  });

  test('the context key as JSON text (cdk synth -c) sets the quota for the whole app', () => {
    const { app } = tableWithRoutes(50, { [KEY]: '{"routesPerRouteTable": 50}' });
    expect(() => app.synth()).toThrow(/has 51 routes, above the quota of 50 routes per route table/);
  });

  test('an invalid quota in the context key fails synth with the key\'s name', () => {
    const { app } = tableWithRoutes(0, { [KEY]: { peeringsPerVpc: 200 } });
    expect(() => app.synth()).toThrow(/Context cdk-vpc-connect:quotas: quotas.peeringsPerVpc is 200, but AWS allows at most 125/);
  });

  test('an unknown quota in the context key fails synth, naming it and the valid ones', () => {
    const { app } = tableWithRoutes(0, { [KEY]: { routesPerTable: 100 } });
    expect(() => app.synth()).toThrow(/Context cdk-vpc-connect:quotas: unknown quota "routesPerTable"; the quotas are peeringsPerVpc, routesPerRouteTable, resourcesPerStack, interfaceEndpointsPerVpc, vpcsPerPrivateHostedZone, routeTablesPerTransitGateway, routesPerTransitGateway, attachmentsPerTransitGateway, peeringAttachmentsPerTransitGateway, entriesPerPrefixList/);
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

  test('the context key lowers the stack quota for a mesh; the stack is named', () => {
    const app = new App({ context: { [KEY]: { resourcesPerStack: 40 } } });
    const stack = new Stack(app, 'Small', { env: ENV });
    const vpcs = ['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16'].map((cidr, i) => testVpc(stack, `Vpc${i}`, cidr));
    new PeeringMesh(stack, 'Mesh', { vpcs });
    expect(() => app.synth()).toThrow(/Stack Small has \d+ resources, above the quota of 40 resources per stack/);
  });

  test('quotas AWS does not allow in the context key fail a mesh\'s synth', () => {
    const app = new App({ context: { [KEY]: { peeringsPerVpc: 130 } } });
    const stack = new Stack(app, 'Stack', { env: ENV });
    const vpcs = ['10.0.0.0/16', '10.1.0.0/16'].map((cidr, i) => testVpc(stack, `Vpc${i}`, cidr));
    new PeeringMesh(stack, 'Mesh', { vpcs });
    expect(() => app.synth()).toThrow(/Context cdk-vpc-connect:quotas: quotas.peeringsPerVpc is 130, but AWS allows at most 125/);
  });

  test('the stack quota applies to the stacks a hub adds to', () => {
    const app = new App({ context: { [KEY]: { resourcesPerStack: 30 } } });
    const hubStack = new Stack(app, 'HubStack', { env: ENV });
    const spokeStack = new Stack(app, 'SpokeStack', { env: ENV });
    const spokes = ['10.0.0.0/16', '10.1.0.0/16'].map((cidr, i) => testVpc(spokeStack, `Vpc${i}`, cidr));
    new TransitGatewayHub(hubStack, 'Hub', { spokes });
    expect(() => app.synth()).toThrow(/Stack SpokeStack has \d+ resources, above the quota of 30 resources per stack/);
  });
});
