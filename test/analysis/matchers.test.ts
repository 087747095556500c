// The matchers are registered the way a user's setup file does it.
import '../../lib/analysis/jest';
import { FindingSeverity, RULES, TargetKind } from '../../lib/analysis/types';
import { formatPath, networkMatchers, pathKind } from '../../lib/analysis/matchers';
import { FakeModel, finding, hop, oneWayFinding, roundTrip, vpc } from './support-fake-model';
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { NetworkModel } from '../../lib/analysis/network-model';
import { VpcPeering } from '../../lib/peering/vpc-peering';
import { newApp } from '../support/synth-app';
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
    expect(model).toReach({ node: { path: 'App/Net/VpcA' } }, { node: { path: 'App/Net/VpcB' } });
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
    expect(peeredModel()).toHaveFinding(RULES.ONE_WAY_ROUTE);
  });

  test('narrows by construct (substring or pattern) and severity', () => {
    // GIVEN
    const model = peeredModel();
    // THEN
    expect(model).toHaveFinding(RULES.ONE_WAY_ROUTE, { construct: 'Net/VpcB' });
    expect(model).toHaveFinding(RULES.ONE_WAY_ROUTE, { construct: /VpcA$/, severity: FindingSeverity.ERROR });
    expect(model).not.toHaveFinding(RULES.ONE_WAY_ROUTE, { construct: 'VpcC' });
    expect(model).not.toHaveFinding(RULES.ONE_WAY_ROUTE, { severity: FindingSeverity.WARNING });
  });

  test('fails when absent, listing the findings there are', () => {
    expect(() => expect(peeredModel()).toHaveFinding(RULES.ROUTE_QUOTA))
      .toThrow(/Expected a finding vpc-connect\/route-quota, but there is none\.\nThe model's findings:\n\s+error vpc-connect\/one-way-route: App\/Net\/VpcA routes/);
  });

  test('fails when absent from a model without findings, saying so', () => {
    expect(() => expect(new FakeModel()).toHaveFinding(RULES.ROUTE_QUOTA, { severity: FindingSeverity.WARNING, construct: 'Rtb' }))
      .toThrow(/Expected a finding vpc-connect\/route-quota of severity warning about Rtb, but there is none\.\nThe model has no findings\./);
  });

  test('.not fails and shows the findings that match', () => {
    // GIVEN
    const model = new FakeModel({ findings: [oneWayFinding(), finding(RULES.UNKNOWN, FindingSeverity.INFO, ['S/Imported'])] });
    // THEN
    expect(() => expect(model).not.toHaveFinding(RULES.ONE_WAY_ROUTE))
      .toThrow(/Expected no finding vpc-connect\/one-way-route, but found 1:\n\s+error vpc-connect\/one-way-route: .*\(App\/Net\/VpcA, App\/Net\/VpcB\)$/);
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
      jest.isolateModules(() => require('../../lib/analysis/jest'));
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
      jest.isolateModules(() => require('../../lib/analysis/jest'));
    } catch (e) {
      error = e;
    } finally {
      jestGlobals.expect = saved;
    }
    // THEN
    expect(String(error)).toMatch(/import it from a jest setup file \(setupFilesAfterEnv\)/);
  });
});

describe('with the real NetworkModel', () => {
  /** VPCs A and B peered by the library (routes both ways), C peered to A by a route from A only. */
  function network() {
    const app = newApp();
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

  test('.not.toReach: no transitive peering, no reply over a one-way route', () => {
    expect(net.model).not.toReach(net.b, net.c);
    expect(net.model).not.toReach(net.a, net.c);
  });

  test('.not.toReach fails with the path that exists, hop by hop', () => {
    expect(() => expect(net.model).not.toReach(net.a, net.b))
      .toThrow(/to be unreachable, but it is reachable:\n {2}there: in Net\/VpcA, .* -> pcx Net\/AtoB[^\n]*\n {2}back : in Net\/VpcB, .* -> pcx Net\/AtoB/);
  });

  test('toReach fails with the reason for the one-way route', () => {
    expect(() => expect(net.model).toReach(net.a, net.c)).toThrow(/Expected Net\/VpcA to Net\/VpcC to be reachable, but it is not: .+/);
  });

  test('toHaveFinding for the one-way route, on its route', () => {
    expect(net.model).toHaveFinding(RULES.ONE_WAY_ROUTE, { construct: 'Net/AtoCRoute', severity: FindingSeverity.ERROR });
    expect(net.model).not.toHaveFinding(RULES.ONE_WAY_ROUTE, { construct: 'Net/AtoB' });
  });
});
