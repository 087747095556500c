import { Fn } from 'aws-cdk-lib';
import { checkSegmentName, IMPLICIT_SEGMENTS, routeProblems, SegmentOptions, SegmentPlan, SegmentRouteTarget, segmentId } from '../../lib/transit/segments';

const ISSUE_SEGMENTS: SegmentOptions[] = [
  { name: 'shared' },
  { name: 'prod', reaches: ['shared'] },
  { name: 'dev', reaches: ['shared'] },
];

describe('segments (pure)', () => {
  describe('who reaches whom', () => {
    test('reaches is symmetric, a segment reaches its own members, prod and dev stay apart', () => {
      const plan = new SegmentPlan(ISSUE_SEGMENTS);
      expect(plan.names).toEqual(['shared', 'prod', 'dev']);
      expect(plan.reachedSegments('shared')).toEqual(['shared', 'prod', 'dev']);
      expect(plan.reachedSegments('prod')).toEqual(['shared', 'prod']);
      expect(plan.reachedSegments('dev')).toEqual(['shared', 'dev']);
      expect(plan.reaches('prod', 'dev')).toBe(false);
      expect(plan.reaches('dev', 'prod')).toBe(false);
      expect(plan.reaches('shared', 'dev')).toBe(true);
    });

    test('a member propagates into the tables of the segments that reach it, which are the segments it reaches', () => {
      const plan = new SegmentPlan(ISSUE_SEGMENTS);
      expect(plan.propagationSegments('prod')).toEqual(['shared', 'prod']);
      expect(plan.propagationSegments('shared')).toEqual(['shared', 'prod', 'dev']);
    });

    test('an isolated segment reaches only the segments it lists or that list it, not its own members', () => {
      const plan = new SegmentPlan([{ name: 'shared' }, { name: 'workloads', isolated: true, reaches: ['shared'] }]);
      expect(plan.reachedSegments('workloads')).toEqual(['shared']);
      expect(plan.reachedSegments('shared')).toEqual(['shared', 'workloads']);
      expect(plan.reaches('workloads', 'workloads')).toBe(false);
    });

    test('the implicit segments of a hub without segments are 0.1\'s shared and isolated tables', () => {
      const plan = new SegmentPlan(IMPLICIT_SEGMENTS);
      expect(plan.names).toEqual(['shared', 'isolated']);
      expect(plan.propagationSegments('shared')).toEqual(['shared', 'isolated']);
      expect(plan.propagationSegments('isolated')).toEqual(['shared']);
      expect(segmentId('shared')).toBe('Shared');
      expect(segmentId('isolated')).toBe('Isolated');
    });

    test('two spokes share a table when some segment reaches both (their blocks must then be disjoint)', () => {
      const plan = new SegmentPlan([...ISSUE_SEGMENTS, { name: 'lab', isolated: true, reaches: ['sandbox'] }, { name: 'sandbox', isolated: true }]);
      expect(plan.commonTables('prod', 'dev')).toEqual(['shared']);
      expect(plan.shareATable('prod', 'lab')).toBe(false);
      expect(plan.shareATable('lab', 'lab')).toBe(true); // both propagate into sandbox's table
    });
  });

  describe('names', () => {
    test.each([
      ['prod', 'Prod'], ['prod-eu', 'ProdEu'], ['shared_services', 'SharedServices'], ['Dev2', 'Dev2'],
    ])('%s has the construct id %s', (name, id) => {
      expect(checkSegmentName(name)).toBeUndefined();
      expect(segmentId(name)).toBe(id);
    });

    test.each(['', '2prod', 'prod eu', 'prod/eu', 'p'.repeat(65)])('%j is not a valid name', (name) => {
      expect(checkSegmentName(name)).toMatch(/is not valid: use a letter, then letters, digits, '-' or '_', at most 64 characters/);
    });

    test('a token is not a name', () => {
      expect(checkSegmentName(Fn.importValue('Name'))).toMatch(/not a literal string/);
    });
  });

  describe('problems', () => {
    test('a valid declaration has none', () => {
      expect(SegmentPlan.problems(ISSUE_SEGMENTS)).toEqual([]);
      expect(SegmentPlan.problems(IMPLICIT_SEGMENTS)).toEqual([]);
    });

    test.each<[string, SegmentOptions[], RegExp]>([
      ['no segment', [], /segments is empty/],
      ['a duplicate name', [{ name: 'prod' }, { name: 'prod' }], /segment 'prod' is declared twice/],
      ['names with one construct id', [{ name: 'prod-eu' }, { name: 'prodEu' }], /segments 'prod-eu' and 'prodEu' both give the construct id ProdEuRouteTable/],
      ['an invalid name', [{ name: 'prod eu' }], /segment name 'prod eu' is not valid/],
      ['an unknown segment in reaches', [{ name: 'prod', reaches: ['shraed'] }], /segment 'prod' reaches 'shraed', which is not a segment \(segments: prod\)/],
      ['an isolated segment reaching itself', [{ name: 'prod', isolated: true, reaches: ['prod'] }], /segment 'prod' is isolated but lists itself in reaches/],
      ['an isolated segment reaching nothing', [{ name: 'shared' }, { name: 'lab', isolated: true }], /segment 'lab' is isolated and reaches no other segment/],
      ['defaultRouteInVpcs without defaultRoute', [{ name: 'prod', defaultRouteInVpcs: true }], /segment 'prod' sets defaultRouteInVpcs without a defaultRoute/],
      ['a malformed route destination', [{ name: 'prod', routes: [{ destination: '10.0.0.0/33', to: SegmentRouteTarget.blackhole() }] }], /segment 'prod': route destination .*10.0.0.0\/33/],
      ['a destination routed twice', [{ name: 'prod', routes: [
        { destination: '10.9.0.0/16', to: SegmentRouteTarget.blackhole() }, { destination: '10.9.0.0/16', to: SegmentRouteTarget.attachment('tgw-attach-0123456789abcdef0') },
      ] }], /segment 'prod' routes 10.9.0.0\/16 twice \(in routes\)/],
      ['a default route given twice', [{ name: 'prod', defaultRoute: SegmentRouteTarget.blackhole(), routes: [{ destination: '0.0.0.0/0', to: SegmentRouteTarget.blackhole() }] }],
        /segment 'prod' routes 0.0.0.0\/0 twice/],
    ])('%s', (_, segments, message) => {
      const problems = SegmentPlan.problems(segments);
      expect(problems.join('\n')).toMatch(message);
    });

    test('routeProblems: a route without a target, and one table per segment (the same destination in two segments is fine)', () => {
      expect(routeProblems([{ segment: 'prod', destination: '10.0.0.0/8', to: undefined as unknown as SegmentRouteTarget }]))
        .toEqual([expect.stringMatching(/the route to 10.0.0.0\/8 has no target: give to: SegmentRouteTarget.blackhole\(\)/)]);
      expect(routeProblems([
        { segment: 'prod', destination: '10.9.0.0/16', to: SegmentRouteTarget.blackhole() },
        { segment: 'dev', destination: '10.9.0.0/16', to: SegmentRouteTarget.blackhole() },
      ])).toEqual([]);
    });

    test('defaultRoute is planned as a route to 0.0.0.0/0 of its segment; a token destination is not parsed', () => {
      const plan = new SegmentPlan([{ name: 'prod', defaultRoute: SegmentRouteTarget.attachment('tgw-attach-0123abcd'),
        routes: [{ destination: Fn.importValue('Block'), to: SegmentRouteTarget.blackhole() }] }]);
      const routes = plan.routes();
      expect(routes.map((r) => [r.segment, r.cidr?.toString()])).toEqual([['prod', undefined], ['prod', '0.0.0.0/0']]);
      expect(routes[1].to.attachmentId).toBe('tgw-attach-0123abcd');
    });
  });
});
