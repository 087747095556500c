import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { FindingRules, FindingSeverity, NetworkModel, TargetKind, VpcPeering } from 'cdk-vpc-connect';
// Imported the way a user does it: importing cdk-vpc-connect/jest registers the matchers.
import { networkMatchers } from 'cdk-vpc-connect/jest';
import { FakeModel, finding, hop, oneWayFinding, roundTrip, vpc } from './support-fake-model';
import { modelApp } from './support-model-app';
import { formatPath, pathKind } from '../../lib/analysis/matchers';
import { testVpc } from '../support/vpcs';

function peeredModel(): FakeModel {
  return new FakeModel({
    vpcs: [vpc('App/Net/VpcA', '10.0.0.0/16'), vpc('App/Net/VpcB', '10.1.0.0/16'), vpc('App/Net/VpcC', '10.2.0.0/16')],
    peerings: [{ name: 'App/Net/AtoB', requester: 'App/Net/VpcA', accepter: 'App/Net/VpcB' }],
    findings: [oneWayFinding()],
  });
}

describe('toReach', () => {
  test('passes for a reachable round trip', () => {
    // GIVEN
    const model = peeredModel();
    // THEN
    expect(model).toReach('App/Net/VpcA', 'App/Net/VpcB');
    expect(model.questions).toEqual(['App/Net/VpcA|App/Net/VpcB']);
  });

  test('accepts constructs as endpoints, by their path', () => {
    const model = peeredModel();
    const net = new Construct(new Construct(new Construct(undefined as any, ''), 'App'), 'Net');
    expect(model).toReach(new Construct(net, 'VpcA'), new Construct(net, 'VpcB'));
    expect(model.questions).toEqual(['App/Net/VpcA|App/Net/VpcB']);
  });

  test('fails for an unreachable pair, with the reason', () => {
    // GIVEN
    const model = peeredModel();
    // THEN
    expect(() => expect(model).toReach('App/Net/VpcA', 'App/Net/VpcC'))
      .toThrow(/Expected App\/Net\/VpcA to App\/Net\/VpcC to be reachable, but it is not: App\/Net\/VpcA has no route to App\/Net\/VpcC/);
  });

  test('.not passes for an unreachable pair', () => {
    expect(peeredModel()).not.toReach('App/Net/VpcB', 'App/Net/VpcC');
  });

  test('.not fails for a reachable pair and shows the path that exists', () => {
    // GIVEN
    const model = peeredModel();
    // WHEN
    let message = '';
    try {
      expect(model).not.toReach('App/Net/VpcA', 'App/Net/VpcB');
    } catch (e) {
      message = (e as Error).message;
    }
    // THEN
    expect(message).toMatch(/Expected App\/Net\/VpcA to App\/Net\/VpcB to be unreachable, but it is reachable:/);
    expect(message).toContain('there: in App/Net/VpcA, App/Net/VpcA/Rtb routes App/Net/VpcB -> pcx App/Net/AtoB');
    expect(message).toContain('back : in App/Net/VpcB, App/Net/VpcB/Rtb routes App/Net/VpcA -> pcx App/Net/AtoB');
  });

  test('shows the path up to the missing hop', () => {
    // GIVEN a route there, none back
    const model = new FakeModel({
      answers: {
        'A|B': {
          reachable: false,
          certain: true,
          path: [hop('there', 'A', '10.1.0.0/16', TargetKind.PEERING, 'pcx-AB')],
          reason: 'B has no route back to 10.0.0.0/16',
        },
      },
    });
    // THEN
    expect(() => expect(model).toReach('A', 'B')).toThrow(/but it is not: B has no route back to 10.0.0.0\/16\.\n\s+there: in A, A\/Rtb routes 10.1.0.0\/16 -> pcx pcx-AB/);
  });

  describe('an uncertain answer fails both ways', () => {
    const model = new FakeModel({
      answers: {
        'A|B': { reachable: true, certain: false, path: [], reason: 'the CIDR of vpc-123 is only known at deploy time' },
        'A|C': { reachable: false, certain: false, path: [], reason: 'routes of rtb-1 are managed outside the app' },
      },
    });

    test.each([
      ['A', 'B', /cannot tell whether A to B is reachable: the CIDR of vpc-123 is only known at deploy time\.\nIts best guess is reachable/],
      ['A', 'C', /cannot tell whether A to C is reachable: routes of rtb-1 are managed outside the app\.\nIts best guess is unreachable/],
    ])('%s to %s', (from, to, reason) => {
      expect(() => expect(model).toReach(from, to)).toThrow(reason);
      expect(() => expect(model).not.toReach(from, to)).toThrow(reason);
    });
  });

  test.each([
    ['undefined', undefined],
    ['a template', { Resources: {} }],
    ['an array of findings', []],
  ])('throws on %s instead of a model, even with .not', (_name, received) => {
    expect(() => expect(received).toReach('A', 'B')).toThrow(/toReach expects a network model/);
    expect(() => expect(received).not.toReach('A', 'B')).toThrow(/toReach expects a network model/);
  });

  test('called without jest (no matcher context) still answers', () => {
    const result = networkMatchers.toReach.call(undefined, peeredModel(), 'App/Net/VpcA', 'App/Net/VpcC');
    expect(result.pass).toBe(false);
    expect(result.message()).toMatch(/has no route to/);
  });
});

describe('toHaveFinding', () => {
  test('passes when a finding of the rule exists', () => {
    expect(peeredModel()).toHaveFinding(FindingRules.ONE_WAY_ROUTE);
  });

  test('narrows by construct (a path, a path above it, or a pattern) and severity', () => {
    // GIVEN
    const model = peeredModel();
    // THEN
    expect(model).toHaveFinding(FindingRules.ONE_WAY_ROUTE, { constructPath: 'App/Net/VpcB' });
    expect(model).toHaveFinding(FindingRules.ONE_WAY_ROUTE, { constructPath: 'App/Net' });
    expect(model).toHaveFinding(FindingRules.ONE_WAY_ROUTE, { constructPath: /VpcA$/, severity: FindingSeverity.ERROR });
    expect(model).not.toHaveFinding(FindingRules.ONE_WAY_ROUTE, { constructPath: 'App/Net/VpcC' });
    expect(model).not.toHaveFinding(FindingRules.ONE_WAY_ROUTE, { severity: FindingSeverity.WARNING });
  });

  test('a path covers the paths below it and itself with a remark, not a longer name', () => {
    // GIVEN
    const model = new FakeModel({ findings: [oneWayFinding(['App/Net/VpcA (main route table)', 'App/Net/Peering/Route'])] });
    // THEN
    expect(model).toHaveFinding(FindingRules.ONE_WAY_ROUTE, { constructPath: 'App/Net/VpcA' });
    expect(model).toHaveFinding(FindingRules.ONE_WAY_ROUTE, { constructPath: 'App/Net/Peering' });
    expect(model).toHaveFinding(FindingRules.ONE_WAY_ROUTE, { constructPath: '/App/Net/Peering/' });
    expect(model).not.toHaveFinding(FindingRules.ONE_WAY_ROUTE, { constructPath: 'App/Net/Vpc' });
    expect(model).not.toHaveFinding(FindingRules.ONE_WAY_ROUTE, { constructPath: 'Net/Peering' });
  });

  test('fails when absent, listing the findings there are', () => {
    expect(() => expect(peeredModel()).toHaveFinding(FindingRules.ROUTE_QUOTA))
      .toThrow(/Expected a finding vpc-connect\/route-quota, but there is none\.\nThe model's findings:\n\s+error vpc-connect\/one-way-route: App\/Net\/VpcA routes/);
  });

  test('fails when absent from a model without findings, saying so', () => {
    expect(() => expect(new FakeModel()).toHaveFinding(FindingRules.ROUTE_QUOTA, { severity: FindingSeverity.WARNING, constructPath: 'App/Rtb' }))
      .toThrow(/Expected a finding vpc-connect\/route-quota of severity warning about App\/Rtb, but there is none\.\nThe model has no findings\./);
  });

  test('.not fails and shows the findings that match, with their fix', () => {
    // GIVEN
    const model = new FakeModel({ findings: [oneWayFinding(), finding(FindingRules.UNKNOWN, FindingSeverity.INFO, ['S/Imported'])] });
    // THEN
    expect(() => expect(model).not.toHaveFinding(FindingRules.ONE_WAY_ROUTE))
      .toThrow(/Expected no finding vpc-connect\/one-way-route, but found 1:\n\s+error vpc-connect\/one-way-route: .*\(App\/Net\/VpcA, App\/Net\/VpcB\)\n {4}Fix: fix vpc-connect\/one-way-route$/);
  });
});

describe('pathKind', () => {
  test.each([
    ['local', [hop('there', 'A', '10.0.0.0/16', TargetKind.LOCAL, 'local')]],
    ['pcx', roundTrip('A', 'B', TargetKind.PEERING, 'pcx').path],
    ['tgw', roundTrip('A', 'B', TargetKind.TRANSIT_GATEWAY, 'tgw').path],
    ['pcx+tgw', [hop('there', 'A', 'B', TargetKind.PEERING, 'p'), hop('back', 'B', 'A', TargetKind.TRANSIT_GATEWAY, 't')]],
    ['local', []],
  ])('%s', (kind, path) => {
    expect(pathKind({ reachable: true, certain: true, path })).toBe(kind);
  });
});

test('formatPath shows one line per hop', () => {
  expect(formatPath(roundTrip('A', 'B', TargetKind.PEERING, 'P').path)).toEqual([
    'there: in A, A/Rtb routes B -> pcx P',
    'back : in B, B/Rtb routes A -> pcx P',
  ]);
});

describe('the jest setup module', () => {
  test('registers the matchers on the global expect', () => {
    // GIVEN a global expect that records what it is given
    const extended: string[] = [];
    const jestGlobals = globalThis as unknown as { expect: unknown };
    const saved = jestGlobals.expect;
    jestGlobals.expect = { extend: (matchers: Record<string, unknown>) => extended.push(...Object.keys(matchers)) };
    try {
      // WHEN
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy of the module, loaded again on purpose
      jest.isolateModules(() => require('cdk-vpc-connect/jest'));
    } finally {
      jestGlobals.expect = saved;
    }
    // THEN
    expect(extended).toEqual(['toReach', 'toHaveFinding']);
  });

  test('says where to import it when there is no global expect', () => {
    // GIVEN
    const jestGlobals = globalThis as unknown as { expect: unknown };
    const saved = jestGlobals.expect;
    jestGlobals.expect = undefined;
    let error: unknown;
    try {
      // WHEN
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy of the module, loaded again on purpose
      jest.isolateModules(() => require('cdk-vpc-connect/jest'));
    } catch (e) {
      error = e;
    } finally {
      jestGlobals.expect = saved;
    }
    // THEN
    expect(String(error)).toMatch(/^Error: import 'cdk-vpc-connect\/jest' registers jest matchers: import it from a jest setup file \(setupFilesAfterEnv\) or a test/);
    expect(String(error)).toMatch(/Outside jest, assert with NetworkModel's expectReach, expectNoReach, expectFinding and expectNoFinding\.$/);
  });
});

describe('with the real NetworkModel', () => {
  /** VPCs A and B peered by the library (routes both ways), C peered to A by a route from A only. */
  function network() {
    const app = modelApp();
    const stack = new Stack(app, 'Net');
    const a = testVpc(stack, 'VpcA', '10.0.0.0/16', { groups: ['Isolated'], maxAzs: 1 });
    const b = testVpc(stack, 'VpcB', '10.1.0.0/16', { groups: ['Isolated'], maxAzs: 1 });
    const c = testVpc(stack, 'VpcC', '10.2.0.0/16', { groups: ['Isolated'], maxAzs: 1 });
    new VpcPeering(stack, 'AtoB', { requester: a, accepter: b });
    const pcx = new ec2.CfnVPCPeeringConnection(stack, 'AtoC', { vpcId: a.vpcId, peerVpcId: c.vpcId });
    new ec2.CfnRoute(stack, 'AtoCRoute', {
      routeTableId: a.isolatedSubnets[0].routeTable.routeTableId,
      destinationCidrBlock: '10.2.0.0/16',
      vpcPeeringConnectionId: pcx.ref,
    });
    return { model: NetworkModel.fromApp(app), a, b, c };
  }

  let net: ReturnType<typeof network>;
  beforeAll(() => {
    net = network();
  });

  test('toReach with the VPC constructs', () => {
    expect(net.model).toReach(net.a, net.b);
    expect(net.model).toReach(net.b, net.a);
    expect(net.model).toReach(net.a.isolatedSubnets[0], net.b);
  });

  test('toReach with a port: the security groups and network ACLs too (the VPCs have no groups: only the routes and ACLs stop it)', () => {
    expect(net.model).toReach(net.a, net.b, { port: 443 });
    expect(net.model).toReach(net.a, net.b, { protocol: ec2.Protocol.ICMP });
    expect(net.model).not.toReach(net.a, net.c, { port: 443 });
    expect(() => expect(net.model).toReach(net.a, net.c, { port: 443 }))
      .toThrow(/^Expected Net\/VpcA to Net\/VpcC on tcp\/443 to be reachable, but it is not \(REPLY_LOST\)/);
    const result = networkMatchers.toReach.call(undefined, net.model, net.a, net.c, { port: 443 });
    expect(result.pass).toBe(false);
    const message = result.message();
    expect(() => net.model.expectReach(net.a, net.c, { port: 443 })).toThrow(new Error(message));
  });

  test('.not.toReach: no transitive peering, no reply over a one-way route', () => {
    expect(net.model).not.toReach(net.b, net.c);
    expect(net.model).not.toReach(net.a, net.c);
  });

  test('.not.toReach fails with the path that exists, hop by hop', () => {
    expect(() => expect(net.model).not.toReach(net.a, net.b))
      .toThrow(/to be unreachable, but it is reachable:\n {2}there: in Net\/VpcA, .* -> pcx Net\/AtoB[^\n]*\n {2}back : in Net\/VpcB, .* -> pcx Net\/AtoB/);
  });

  test('toReach fails with the reason for the one-way route', () => {
    expect(() => expect(net.model).toReach(net.a, net.c)).toThrow(/Expected Net\/VpcA to Net\/VpcC to be reachable, but it is not \(REPLY_LOST\): The reply is lost: .+/);
  });

  test('toHaveFinding for the one-way route, on its route', () => {
    expect(net.model).toHaveFinding(FindingRules.ONE_WAY_ROUTE, { constructPath: 'Net/AtoCRoute', severity: FindingSeverity.ERROR });
    expect(net.model).not.toHaveFinding(FindingRules.ONE_WAY_ROUTE, { constructPath: 'Net/AtoB' });
  });

  describe('the same assertions as methods, for every language', () => {
    /** The message the jest matcher prints for the same assertion. */
    function matcherMessage(result: { pass: boolean; message: () => string }): string {
      return result.message();
    }

    test('expectReach returns nothing when the round trip works', () => {
      expect(net.model.expectReach(net.a, net.b)).toBeUndefined();
      expect(net.model.expectReach('Net/VpcB', 'Net/VpcA')).toBeUndefined();
      expect(() => net.model.expectReach(net.a, net.c)).toThrow(Error);
    });

    test('expectReach throws the matcher\'s message: the reason and the path up to the missing hop', () => {
      const message = matcherMessage(networkMatchers.toReach.call(undefined, net.model, net.a, net.c));
      expect(message).toMatch(/^Expected Net\/VpcA to Net\/VpcC to be reachable, but it is not \(REPLY_LOST\): .+\n {2}there: in Net\/VpcA, .* -> pcx Net\/AtoC/);
      expect(() => net.model.expectReach(net.a, net.c)).toThrow(new Error(message));
    });

    test('expectNoReach returns nothing when there is no round trip, and throws the path that exists otherwise', () => {
      expect(net.model.expectNoReach(net.b, net.c)).toBeUndefined();
      expect(net.model.expectNoReach(net.a, net.c)).toBeUndefined();
      const message = matcherMessage(networkMatchers.toReach.call({ isNot: true }, net.model, net.a, net.b));
      expect(message).toMatch(/^Expected Net\/VpcA to Net\/VpcB to be unreachable, but it is reachable:\n {2}there: in Net\/VpcA, .* -> pcx Net\/AtoB[^\n]*\n {2}back : in Net\/VpcB, .* -> pcx Net\/AtoB/);
      expect(() => net.model.expectNoReach(net.a, net.b)).toThrow(new Error(message));
    });

    test('an answer the model cannot be sure of fails both ways, with the reason', () => {
      // GIVEN A peered with B, whose CIDR block is a parameter: whether A reaches an address of B is not known
      const model = NetworkModel.fromTemplates({
        Net: {
          Parameters: { BCidr: { Type: 'String' } },
          Resources: {
            A: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
            B: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: { Ref: 'BCidr' } } },
            AB: { Type: 'AWS::EC2::VPCPeeringConnection', Properties: { VpcId: { Ref: 'A' }, PeerVpcId: { Ref: 'B' } } },
            ATable: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'A' } } },
            ASubnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'A' }, CidrBlock: '10.0.0.0/24' } },
            AAssoc: { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { SubnetId: { Ref: 'ASubnet' }, RouteTableId: { Ref: 'ATable' } } },
            AtoB: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: 'ATable' }, DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: { Ref: 'AB' } } },
          },
        },
      });
      // THEN
      expect(() => model.expectReach('Net/A', '10.1.0.7')).toThrow(/^The model cannot tell whether Net\/A to 10\.1\.0\.7 is reachable: .*parameter 'BCidr'.*\.\nIts best guess is unreachable\./s);
      expect(() => model.expectNoReach('Net/A', '10.1.0.7')).toThrow(/^The model cannot tell whether Net\/A to 10\.1\.0\.7 is reachable/);
    });

    test('expectFinding returns nothing when a finding matches, and lists the findings otherwise', () => {
      expect(net.model.expectFinding(FindingRules.ONE_WAY_ROUTE, { constructPath: 'Net/AtoCRoute', severity: FindingSeverity.ERROR })).toBeUndefined();
      expect(net.model.expectFinding(FindingRules.ONE_WAY_ROUTE)).toBeUndefined();
      const message = matcherMessage(networkMatchers.toHaveFinding.call(undefined, net.model, FindingRules.ROUTE_QUOTA, { constructPath: 'Net' }));
      expect(message).toMatch(/^Expected a finding vpc-connect\/route-quota about Net, but there is none\.\nThe model's findings:\n {2}error vpc-connect\/one-way-route: .*\(Net\/AtoCRoute, /);
      expect(() => net.model.expectFinding(FindingRules.ROUTE_QUOTA, { constructPath: 'Net' })).toThrow(new Error(message));
      expect(() => net.model.expectFinding(FindingRules.ONE_WAY_ROUTE, { constructPath: 'Net/AtoB' }))
        .toThrow(/^Expected a finding vpc-connect\/one-way-route about Net\/AtoB, but there is none\./);
    });

    test('expectNoFinding returns nothing when none matches, and lists those that do, with their fix', () => {
      expect(net.model.expectNoFinding(FindingRules.ONE_WAY_ROUTE, { constructPath: 'Net/AtoB' })).toBeUndefined();
      expect(net.model.expectNoFinding(FindingRules.ONE_WAY_ROUTE, { severity: FindingSeverity.WARNING })).toBeUndefined();
      const message = matcherMessage(networkMatchers.toHaveFinding.call({ isNot: true }, net.model, FindingRules.ONE_WAY_ROUTE, {}));
      expect(message).toMatch(/^Expected no finding vpc-connect\/one-way-route, but found 1:\n {2}error vpc-connect\/one-way-route: .*replies are dropped\. \(Net\/AtoCRoute, .*\)\n {4}Fix: Add routes toward 10\.0\.0\.0\/24 over Net\/AtoC/);
      expect(() => net.model.expectNoFinding(FindingRules.ONE_WAY_ROUTE)).toThrow(new Error(message));
    });
  });
});
