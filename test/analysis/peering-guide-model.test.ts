import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { modelApp } from './support-model-app';
import { FindingRules, HopDirection, NetworkModel, ReachabilityBlockers } from '../../lib/analysis';
import { VpcPeering } from '../../lib/peering/vpc-peering';

/**
 * The configurations of the AWS VPC Peering Guide, valid and invalid, as reachability and
 * findings: full mesh, hub and spokes (no transitive peering), edge to edge through an
 * internet gateway, a NAT device and an S3 gateway endpoint, one-way routes, the reply-routing
 * problem of peers with the same CIDR block and its two documented fixes.
 *
 * Each case builds VPCs (one AZ, /24 subnets in order) with `VpcPeering`, plus hand-written
 * routes for the invalid ones, then states which pairs must and must not reach each other
 * (`from`/`to` are VPC names, `VPC/group` subnet names, or addresses) and which findings appear.
 */
interface Reach {
  readonly from: string;
  readonly to: string;
  readonly reachable: boolean;
  /** What the reason must say (unreachable pairs). */
  readonly reason?: RegExp;
  /** The peering the request leaves over (its first hop's `via`). */
  readonly via?: RegExp;
  /** What blocks first (a `ReachabilityBlockers` code), for unreachable pairs. */
  readonly blockedBy?: string;
}

interface GuideCase {
  readonly title: string;
  /** Builds the network in `stack`; `vpc(name, cidr, groups?)` creates a VPC named for the assertions. */
  readonly build: (stack: Stack, vpc: (name: string, cidr: string, options?: VpcOptions) => ec2.Vpc) => void;
  readonly reach: Reach[];
  /** Rule ids that must be found, each with a word its message must contain. */
  readonly findings?: Array<[string, RegExp]>;
  /** Rule ids that must not be found. */
  readonly noFindings?: string[];
}

interface VpcOptions {
  readonly groups?: string[];
  readonly nat?: boolean;
}

const PEERING_RULES = [
  FindingRules.PEERING_NOT_ATTACHED, FindingRules.TRANSITIVE_DESTINATION, FindingRules.ONE_WAY_ROUTE, FindingRules.AMBIGUOUS_DESTINATION, FindingRules.EDGE_TO_EDGE,
  FindingRules.REPLY_ROUTING,
];

/** A hand-written route in every route table of a subnet group. */
function route(vpc: ec2.Vpc, group: string, destination: string, target: Partial<ec2.CfnRouteProps>): void {
  vpc.selectSubnets({ subnetGroupName: group }).subnets.forEach((subnet, i) => {
    new ec2.CfnRoute(vpc, `Hand${group}${destination.replace(/[^0-9a-z]/gi, '')}${i}`, {
      routeTableId: subnet.routeTable.routeTableId,
      destinationCidrBlock: destination,
      ...target,
    });
  });
}

const CASES: GuideCase[] = [
  {
    title: 'full mesh: three VPCs peered with each other reach everything',
    build: (stack, vpc) => {
      const [a, b, c] = [vpc('A', '10.0.0.0/16'), vpc('B', '10.1.0.0/16'), vpc('C', '10.2.0.0/16')];
      new VpcPeering(stack, 'AB', { requester: a, accepter: b });
      new VpcPeering(stack, 'AC', { requester: a, accepter: c });
      new VpcPeering(stack, 'BC', { requester: b, accepter: c });
    },
    reach: [
      { from: 'A', to: 'B', reachable: true }, { from: 'B', to: 'A', reachable: true },
      { from: 'A', to: 'C', reachable: true }, { from: 'C', to: 'A', reachable: true },
      { from: 'B', to: 'C', reachable: true }, { from: 'C', to: 'B', reachable: true },
      { from: 'A', to: '10.2.0.9', reachable: true },
    ],
    noFindings: PEERING_RULES,
  },
  {
    title: 'hub with spokes: the spokes do not reach each other',
    build: (stack, vpc) => {
      const [hub, b, c] = [vpc('Hub', '172.16.0.0/16'), vpc('B', '10.0.0.0/16'), vpc('C', '192.168.0.0/16')];
      new VpcPeering(stack, 'HubB', { requester: hub, accepter: b });
      new VpcPeering(stack, 'HubC', { requester: hub, accepter: c });
    },
    reach: [
      { from: 'Hub', to: 'B', reachable: true }, { from: 'B', to: 'Hub', reachable: true },
      { from: 'Hub', to: 'C', reachable: true }, { from: 'C', to: 'Hub', reachable: true },
      { from: 'B', to: 'C', reachable: false, reason: /has no route to 192\.168\.0\.0\/24/, blockedBy: ReachabilityBlockers.NO_ROUTE },
      { from: 'C', to: 'B', reachable: false, reason: /has no route to 10\.0\.0\.0\/24/ },
    ],
    noFindings: PEERING_RULES,
  },
  {
    title: 'transitive peering: a spoke routing the other spoke over the hub',
    build: (stack, vpc) => {
      const [hub, b, c] = [vpc('Hub', '172.16.0.0/16'), vpc('B', '10.0.0.0/16'), vpc('C', '192.168.0.0/16')];
      const hubB = new VpcPeering(stack, 'HubB', { requester: hub, accepter: b });
      new VpcPeering(stack, 'HubC', { requester: hub, accepter: c });
      route(b, 'Subnets', '192.168.0.0/16', { vpcPeeringConnectionId: hubB.peeringConnectionId });
    },
    reach: [
      { from: 'B', to: 'C', reachable: false, reason: /outside VPC .*Hub; it belongs to VPC .*\/C.*peering is not transitive/, blockedBy: ReachabilityBlockers.EDGE_TO_EDGE },
      { from: 'B', to: 'Hub', reachable: true },
    ],
    findings: [[FindingRules.TRANSITIVE_DESTINATION, /192\.168\.0\.0\/16 .*outside the peer VPC .*Hub.*VPC .*\/C's/]],
    noFindings: [FindingRules.ONE_WAY_ROUTE, FindingRules.EDGE_TO_EDGE],
  },
  {
    title: 'edge to edge through an internet gateway: not forwarded',
    build: (stack, vpc) => {
      const a = vpc('A', '10.0.0.0/16');
      const b = vpc('B', '10.1.0.0/16', { groups: ['Public'] });
      const ab = new VpcPeering(stack, 'AB', { requester: a, accepter: b });
      route(a, 'Subnets', '0.0.0.0/0', { vpcPeeringConnectionId: ab.peeringConnectionId });
    },
    reach: [
      { from: 'A', to: '8.8.8.8', reachable: false, reason: /outside VPC .*B: .*IGW \(igw\).*edge-to-edge/, blockedBy: ReachabilityBlockers.EDGE_TO_EDGE },
      { from: 'B', to: '8.8.8.8', reachable: true },
      { from: 'A', to: 'B', reachable: true },
    ],
    findings: [[FindingRules.EDGE_TO_EDGE, /0\.0\.0\.0\/0 over the peering .*IGW/]],
    noFindings: [FindingRules.TRANSITIVE_DESTINATION, FindingRules.ONE_WAY_ROUTE],
  },
  {
    title: 'edge to edge through a NAT device: not forwarded',
    build: (stack, vpc) => {
      const a = vpc('A', '10.0.0.0/16');
      const b = vpc('B', '10.1.0.0/16', { groups: ['Public', 'Private'], nat: true });
      const ab = new VpcPeering(stack, 'AB', { requester: a, accepter: b, requesterRoutes: { destinations: ['10.1.1.0/24'] } });
      route(a, 'Subnets', '0.0.0.0/0', { vpcPeeringConnectionId: ab.peeringConnectionId });
    },
    reach: [
      { from: 'A', to: '8.8.8.8', reachable: false, reason: /edge-to-edge/ },
      { from: 'B/Private', to: '8.8.8.8', reachable: true },
      { from: 'A', to: 'B/Private', reachable: true },
    ],
    findings: [[FindingRules.EDGE_TO_EDGE, /NATGateway \(nat\)/]],
  },
  {
    title: 'edge to edge through an S3 gateway endpoint: not forwarded',
    build: (stack, vpc) => {
      const a = vpc('A', '10.0.0.0/16');
      const b = vpc('B', '10.1.0.0/16');
      b.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      const ab = new VpcPeering(stack, 'AB', { requester: a, accepter: b });
      route(a, 'Subnets', '0.0.0.0/0', { vpcPeeringConnectionId: ab.peeringConnectionId });
    },
    reach: [
      { from: 'A', to: 's3', reachable: false, reason: /service s3 is outside VPC .*B: .*S3 \(endpoint\).*edge-to-edge/ },
      { from: 'B', to: 's3', reachable: true },
      { from: 'A', to: 'B', reachable: true },
    ],
    findings: [[FindingRules.EDGE_TO_EDGE, /S3 \(endpoint\)/]],
  },
  {
    title: 'one-way route: no route back from the accepter',
    build: (stack, vpc) => {
      const [a, b] = [vpc('A', '10.0.0.0/16'), vpc('B', '10.1.0.0/16')];
      new VpcPeering(stack, 'AB', { requester: a, accepter: b, accepterRoutes: { enabled: false } });
    },
    reach: [
      { from: 'A', to: 'B', reachable: false, reason: /reply is lost: route table .*B\/SubnetsSubnet1\/RouteTable.* has no route to 10\.0\.0\.0\/24/, blockedBy: ReachabilityBlockers.REPLY_LOST },
      { from: 'B', to: 'A', reachable: false, reason: /has no route to 10\.0\.0\.0\/24/ },
    ],
    findings: [[FindingRules.ONE_WAY_ROUTE, /10\.1\.0\.0\/16 over the peering .*AB to VPC .*B.*replies are dropped/]],
  },
  {
    title: 'a route over a peering that does not connect the table\'s VPC',
    build: (stack, vpc) => {
      const [a, b, c] = [vpc('A', '10.0.0.0/16'), vpc('B', '10.1.0.0/16'), vpc('C', '10.2.0.0/16')];
      const ab = new VpcPeering(stack, 'AB', { requester: a, accepter: b });
      route(c, 'Subnets', '10.1.0.0/16', { vpcPeeringConnectionId: ab.peeringConnectionId });
    },
    reach: [
      { from: 'C', to: 'B', reachable: false, reason: /connects .*A and .*B, not VPC .*C: the route is a black hole/ },
      { from: 'A', to: 'B', reachable: true },
    ],
    findings: [[FindingRules.PEERING_NOT_ATTACHED, /targets the peering .*AB, which connects/]],
  },
  {
    title: 'the reply-routing problem: two peers with the same CIDR block routed from one table',
    build: (stack, vpc) => {
      const [a, b, c] = [vpc('A', '172.16.0.0/16'), vpc('B', '10.0.0.0/16'), vpc('C', '10.0.0.0/16')];
      new VpcPeering(stack, 'AB', { requester: a, accepter: b, requesterRoutes: { destinations: ['10.0.0.0/24'] } });
      new VpcPeering(stack, 'AC', { requester: a, accepter: c });
    },
    reach: [
      { from: 'B', to: 'A', reachable: true },
      { from: 'C', to: 'A', reachable: false, reason: /reply to 10\.0\.0\.0\/24 goes to VPC .*B instead of VPC .*C/, blockedBy: ReachabilityBlockers.REPLY_LOST },
      { from: 'A', to: 'C', reachable: false, reason: /arrives in VPC .*B, not in .*C/, blockedBy: ReachabilityBlockers.WRONG_DESTINATION },
    ],
    findings: [[FindingRules.AMBIGUOUS_DESTINATION, /10\.0\.0\.0\/16 to VPC .*C over .*AC and 10\.0\.0\.0\/24 to VPC .*B over .*AB/]],
  },
  {
    title: 'reply-routing fix 1: a route table per peer (subnets talking to B apart from those talking to C)',
    build: (stack, vpc) => {
      const [a, b, c] = [vpc('A', '172.16.0.0/16', { groups: ['ToB', 'ToC'] }), vpc('B', '10.0.0.0/16'), vpc('C', '10.0.0.0/16')];
      new VpcPeering(stack, 'AB', { requester: a, accepter: b, requesterRoutes: { subnets: { subnetGroupName: 'ToB' } } });
      new VpcPeering(stack, 'AC', { requester: a, accepter: c, requesterRoutes: { subnets: { subnetGroupName: 'ToC' } } });
    },
    reach: [
      { from: 'B', to: 'A/ToB', reachable: true },
      { from: 'C', to: 'A/ToC', reachable: true },
      { from: 'C', to: 'A/ToB', reachable: false, reason: /goes to VPC .*B instead of VPC .*C/ },
      { from: 'A/ToC', to: 'C', reachable: true },
    ],
    // The peers' routes still cover all of A: each reaches the other's subnets, whose replies leave through the other peering.
    findings: [
      [FindingRules.REPLY_ROUTING, /VPC .*\/C routes to .*ToBSubnet1 \(172\.16\.0\.0\/24\) of VPC .*\/A over .*\/AC, but their route table .* sends 10\.0\.0\.0\/16 to .*\/AB/],
      [FindingRules.REPLY_ROUTING, /VPC .*\/B routes to .*ToCSubnet1 \(172\.16\.1\.0\/24\) of VPC .*\/A over .*\/AB/],
    ],
    noFindings: [FindingRules.AMBIGUOUS_DESTINATION, FindingRules.ONE_WAY_ROUTE],
  },
  {
    title: 'reply-routing fix 2: specific routes, distinct for each peer (the peers\' distinct subnets)',
    build: (stack, vpc) => {
      const [a, b, c] = [vpc('A', '172.16.0.0/16'), vpc('B', '10.0.0.0/16', { groups: ['One', 'Two'] }), vpc('C', '10.0.0.0/16', { groups: ['One', 'Two'] })];
      new VpcPeering(stack, 'AB', { requester: a, accepter: b, requesterRoutes: { destinations: ['10.0.0.0/24'] } });
      new VpcPeering(stack, 'AC', { requester: a, accepter: c, requesterRoutes: { destinations: ['10.0.1.0/24'] } });
    },
    reach: [
      { from: 'B/One', to: 'A', reachable: true },
      { from: 'C/Two', to: 'A', reachable: true },
      { from: 'A', to: 'B/One', reachable: true },
      { from: 'A', to: 'C/Two', reachable: true },
      { from: 'C/One', to: 'A', reachable: false, reason: /goes to VPC .*B instead of VPC .*C/ },
    ],
    noFindings: [FindingRules.AMBIGUOUS_DESTINATION, FindingRules.REPLY_ROUTING],
  },
  {
    title: 'reply-routing fix 2, the Guide\'s instance-specific routes: distinct single-host routes to each peer',
    build: (stack, vpc) => {
      const [a, b, c] = [vpc('A', '172.16.0.0/16'), vpc('B', '10.0.0.0/16'), vpc('C', '10.0.0.0/16')];
      new VpcPeering(stack, 'AB', { requester: a, accepter: b, requesterRoutes: { destinations: ['10.0.0.77/32'] } });
      new VpcPeering(stack, 'AC', { requester: a, accepter: c, requesterRoutes: { destinations: ['10.0.0.88/32'] } });
    },
    reach: [
      { from: 'A', to: '10.0.0.77', reachable: true, via: /\/AB$/ },
      { from: 'A', to: '10.0.0.88', reachable: true, via: /\/AC$/ },
      { from: 'A', to: '10.0.0.99', reachable: false, reason: /has no route to 10\.0\.0\.99\/32/ },
    ],
    noFindings: [FindingRules.AMBIGUOUS_DESTINATION, FindingRules.ONE_WAY_ROUTE],
  },
];

describe('NetworkModel on the AWS VPC Peering Guide configurations', () => {
  test.each(CASES)('$title', (guideCase) => {
    // GIVEN
    const app = modelApp();
    const stack = new Stack(app, 'Guide');
    const names = new Map<string, string>();
    guideCase.build(stack, (name, cidr, options = {}) => {
      const groups = options.groups ?? ['Subnets'];
      const vpc = new ec2.Vpc(stack, name, {
        ipAddresses: ec2.IpAddresses.cidr(cidr),
        maxAzs: 1,
        natGateways: options.nat ? 1 : 0,
        subnetConfiguration: groups.map((group) => ({
          name: group,
          cidrMask: 24,
          subnetType: group === 'Public' ? ec2.SubnetType.PUBLIC : group === 'Private' ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED,
        })),
      });
      names.set(name, vpc.node.path);
      for (const group of groups) {
        names.set(`${name}/${group}`, vpc.selectSubnets({ subnetGroupName: group }).subnets[0].node.path);
      }
      return vpc;
    });

    // WHEN
    const model = NetworkModel.fromApp(app);

    // THEN
    for (const expected of guideCase.reach) {
      const answer = model.canReach(names.get(expected.from) ?? expected.from, names.get(expected.to) ?? expected.to);
      const context = `${expected.from} -> ${expected.to}: ${answer.reason ?? JSON.stringify(answer.path)}`;
      expect({ context, reachable: answer.reachable, certain: answer.certain }).toEqual({ context, reachable: expected.reachable, certain: true });
      if (expected.reason) { expect(answer.reason).toMatch(expected.reason); }
      if (expected.via) { expect(answer.path[0].via).toMatch(expected.via); }
      if (expected.blockedBy) { expect({ context, blockedBy: answer.blockedBy }).toEqual({ context, blockedBy: expected.blockedBy }); }
      if (expected.reachable) { expect(answer.blockedBy).toBeUndefined(); }
      if (expected.reachable) {
        expect(answer.path.some((h) => h.direction === HopDirection.THERE)).toBe(true);
        expect(answer.path.some((h) => h.direction === HopDirection.BACK)).toBe(true);
      }
    }
    for (const [ruleId, message] of guideCase.findings ?? []) {
      const found = model.findings.filter((f) => f.ruleId === ruleId);
      expect(found.map((f) => f.message)).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
      expect(found.every((f) => f.fix.length > 0 && f.constructs.length > 0)).toBe(true);
    }
    const unexpected = model.findings.filter((f) => (guideCase.noFindings ?? []).includes(f.ruleId as never));
    expect(unexpected.map((f) => f.message)).toEqual([]);
  });
});
