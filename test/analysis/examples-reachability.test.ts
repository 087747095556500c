import { Protocol } from 'aws-cdk-lib/aws-ec2';
import { FindingRules, FindingSeverity, NetworkModel, ReachabilityBlockers, ReachabilityCheck } from '../../lib/analysis';
import { synthesizedExampleApp } from '../support/example-apps';

/**
 * Every example stack of examples/, analysed: which VPCs must and must not reach each other.
 * The model reads the cloud assembly of the example app, synthesized once per jest run
 * (test/support/global-setup.ts) and shared with test/examples.
 */
let model: NetworkModel;

beforeAll(() => {
  model = NetworkModel.fromAssembly(synthesizedExampleApp('examples').assembly.directory);
});

interface Expectation {
  readonly from: string;
  readonly to: string;
  readonly reachable: boolean;
  /** Whether the answer is certain. @default true */
  readonly certain?: boolean;
  readonly reason?: RegExp;
}

const EXAMPLES: Array<{ example: string; pairs: Expectation[] }> = [
  {
    example: 'DefaultVpcPeering: VPC-1 peered with the default VPC (stand-in)',
    pairs: [
      { from: 'DefaultVpcPeering/Vpc1', to: 'DefaultVpcPeering/DefaultVpc', reachable: true },
      { from: 'DefaultVpcPeering/DefaultVpc', to: 'DefaultVpcPeering/Vpc1', reachable: true },
      { from: 'DefaultVpcPeering/Vpc1/WorkloadSubnet1', to: 'DefaultVpcPeering/DefaultVpc', reachable: true },
      { from: 'DefaultVpcPeering/Vpc1/WorkloadSubnet1', to: '8.8.8.8', reachable: false, reason: /has no route to 8\.8\.8\.8\/32/ },
      { from: 'DefaultVpcPeering/Vpc1/PublicSubnet1', to: '8.8.8.8', reachable: true },
      { from: 'DefaultVpcPeering/Vpc1', to: 'CrossRegionPeering-Requester/RequesterVpc', reachable: false },
    ],
  },
  {
    example: 'CrossRegionPeering: routes in both regions, through cross-region references',
    pairs: [
      { from: 'CrossRegionPeering-Requester/RequesterVpc', to: 'CrossRegionPeering-Accepter/AccepterVpc', reachable: true },
      { from: 'CrossRegionPeering-Accepter/AccepterVpc', to: 'CrossRegionPeering-Requester/RequesterVpc', reachable: true },
      { from: 'CrossRegionPeering-Accepter/AccepterVpc', to: 'DefaultVpcPeering/Vpc1', reachable: false },
      { from: 'CrossRegionPeering-Requester/RequesterVpc', to: '8.8.8.8', reachable: false },
    ],
  },
  {
    example: 'CrossAccountPeering: the accepter VPC is a RemoteVpc of another account, routed by the library\'s custom resource',
    pairs: [
      // The requester's routes lead to vpc-00000000000000000, whose route tables (named in the custom resource) route back.
      { from: 'CrossAccountPeering-Requester/RequesterVpc', to: 'vpc-00000000000000000', reachable: true, certain: false, reason: /VPC vpc-00000000000000000 is not defined in the templates/ },
      { from: 'CrossAccountPeering-Requester/RequesterVpc', to: '10.20.0.10', reachable: true, certain: false },
      // The accepter stack's VPC is the same VPC once deployed, but nothing in the templates says so.
      { from: 'CrossAccountPeering-Requester/RequesterVpc', to: 'CrossAccountPeering-Accepter/AccepterVpc', reachable: false, certain: false },
      { from: 'CrossAccountPeering-Accepter/AccepterVpc', to: 'CrossAccountPeering-Requester/RequesterVpc', reachable: false, reason: /has no route to 10\.10\.0\.0\/24/ },
    ],
  },
  {
    example: 'PrivateSubnetEndpoints and FargateEndpoints: S3 through the gateway endpoint, no internet, no other VPC',
    pairs: [
      { from: 'PrivateSubnetEndpoints/Vpc', to: 's3', reachable: true },
      { from: 'PrivateSubnetEndpoints/Vpc', to: '8.8.8.8', reachable: false },
      { from: 'FargateEndpoints/Vpc', to: 's3', reachable: true },
      { from: 'FargateEndpoints/Vpc', to: '8.8.8.8', reachable: false },
      { from: 'PrivateSubnetEndpoints/Vpc', to: 'FargateEndpoints/Vpc', reachable: false },
    ],
  },
];

const FIVE = ['SharedServices', 'Workload1', 'Workload2', 'Workload3', 'Workload4'];
const EVERY_PAIR = FIVE.flatMap((a) => FIVE.filter((b) => b !== a).map((b) => [a, b] as const));

EXAMPLES.push(
  {
    example: 'MeshNetwork: five VPCs, every pair peered, everything reaches everything over its own peering',
    pairs: [
      ...EVERY_PAIR.map(([a, b]) => ({ from: `MeshNetwork/${a}`, to: `MeshNetwork/${b}`, reachable: true })),
      { from: 'MeshNetwork/Workload1', to: 'HubNetwork/Workload2', reachable: false },
      { from: 'MeshNetwork/Workload1', to: '8.8.8.8', reachable: false },
    ],
  },
  {
    example: 'HubNetwork: the same five VPCs through one transit gateway, everything reaches everything',
    pairs: [
      ...EVERY_PAIR.map(([a, b]) => ({ from: `HubNetwork/${a}`, to: `HubNetwork/${b}`, reachable: true })),
      { from: 'HubNetwork/SharedServices', to: 'MeshNetwork/SharedServices', reachable: false },
      { from: 'HubNetwork/Workload3', to: '8.8.8.8', reachable: false },
    ],
  },
);

describe('reachability of the example stacks', () => {
  test.each(EXAMPLES)('$example', ({ pairs }) => {
    for (const expected of pairs) {
      const answer = model.canReach(expected.from, expected.to);
      const context = `${expected.from} -> ${expected.to}: ${answer.reason ?? 'reachable'}`;
      expect({ context, reachable: answer.reachable, certain: answer.certain })
        .toEqual({ context, reachable: expected.reachable, certain: expected.certain ?? true });
      if (expected.reason) { expect(answer.reason).toMatch(expected.reason); }
    }
  });

  test('the mesh goes straight over the pair\'s peering, the hub through the transit gateway, both ways', () => {
    const mesh = model.canReach('MeshNetwork/Workload1', 'MeshNetwork/Workload4');
    expect(mesh.path.map((h) => `${h.direction}:${h.target}`)).toEqual(['there:pcx', 'back:pcx']);
    expect(new Set(mesh.path.map((h) => h.via))).toEqual(new Set(['MeshNetwork/Mesh/Workload1-Workload4']));
    const hub = model.canReach('HubNetwork/Workload1', 'HubNetwork/Workload4');
    expect(hub.path.filter((h) => h.target === 'tgw').map((h) => h.direction)).toEqual(expect.arrayContaining(['there', 'back']));
  });

  test('the gateway endpoint carries S3 traffic', () => {
    const hops = model.canReach('PrivateSubnetEndpoints/Vpc', 's3').path;
    expect(hops[0]).toMatchObject({ direction: 'there', target: 'endpoint', via: 'PrivateSubnetEndpoints/Endpoints/S3' });
  });

  test('the examples have no routing errors or warnings; only what the templates cannot tell is reported', () => {
    const serious = model.findings.filter((f) => f.severity !== FindingSeverity.INFO);
    expect(serious.map((f) => f.message)).toEqual([]);
    const unknown = model.findings.filter((f) => f.ruleId === FindingRules.UNKNOWN);
    expect(unknown.map((f) => f.message)).toEqual(expect.arrayContaining([expect.stringMatching(/VPC vpc-00000000000000000 .* is not defined in the templates/)]));
  });

  describe('intents with ports (routes, security groups and network ACLs)', () => {
    test('FargateEndpoints: the task reaches SNS, ECR and CloudWatch Logs on 443 through the interface endpoints, and S3 through the gateway endpoint', () => {
      for (const service of ['sns', 'ecr.api', 'ecr.dkr', 'logs', 's3']) {
        model.expectReach('FargateEndpoints/Service', service, { port: 443 });
      }
      const sns = model.canReach('FargateEndpoints/Service', 'sns', { port: 443 });
      expect(sns).toMatchObject({ coverage: ReachabilityCheck.TRAFFIC, fromSubnet: 'FargateEndpoints/Vpc/TasksSubnet1', toSubnet: 'FargateEndpoints/Vpc/TasksSubnet1' });
      // The task's group lets only HTTPS out; nothing reaches SSM (no endpoint, no internet).
      expect(model.canReach('FargateEndpoints/Service', 'sns', { port: 80 }).blockedBy).toBe(ReachabilityBlockers.SECURITY_GROUP_EGRESS);
      expect(model.canReach('FargateEndpoints/Service', 'ssm', { port: 443 })).toMatchObject({ reachable: false, certain: true, blockedBy: ReachabilityBlockers.NO_ENDPOINT });
    });

    test('DefaultVpcPeering: the hands-on instance and the default VPC reach each other on SSH and ping, not on RDP', () => {
      const instance = 'DefaultVpcPeering/Instance';
      const peerAccess = 'DefaultVpcPeering/DefaultVpcPeerAccess'; // the group for instances of the default VPC
      model.expectReach(instance, peerAccess, { port: 22 });
      model.expectReach(instance, peerAccess, { protocol: Protocol.ICMP });
      model.expectNoReach(instance, peerAccess, { port: 3389 });
      expect(model.canReach(instance, peerAccess, { port: 3389 }).blockedBy).toBe(ReachabilityBlockers.SECURITY_GROUP_INGRESS);
      model.expectReach(instance, 'DefaultVpcPeering/DefaultVpc', { port: 22 });
      model.expectReach('DefaultVpcPeering/DefaultVpc', instance, { port: 22 });
      model.expectReach('DefaultVpcPeering/DefaultVpc', instance, { protocol: Protocol.ICMP });
      model.expectNoReach('DefaultVpcPeering/DefaultVpc', instance, { port: 3389 });
    });

    test('SharedEndpoints: the consumers resolve the services to the shared VPC\'s endpoints through the private hosted zones', () => {
      for (const service of ['ssm', 'sns', 'ecr.dkr']) {
        model.expectReach('SharedEndpoints/Service', service, { port: 443 });
      }
      const ssm = model.canReach('SharedEndpoints/AppB', 'ssm', { port: 443 });
      expect(ssm).toMatchObject({ reachable: true, certain: true, toSubnet: expect.stringMatching(/^SharedEndpoints\/SharedServices\//) });
    });

    test('the mesh and the hub: every workload VPC reaches the shared services on 443', () => {
      for (const network of ['MeshNetwork', 'HubNetwork']) {
        model.expectIsolated([`${network}/Workload1`], [`${network === 'MeshNetwork' ? 'HubNetwork' : 'MeshNetwork'}/Workload1`], { port: 443 });
        model.expectReach(`${network}/Workload1`, `${network}/SharedServices`, { port: 443 });
      }
    });
  });

  test('every VPC of the examples is modelled, with its CIDR blocks', () => {
    const byName = new Map(model.vpcs.map((v) => [v.name, v]));
    expect(byName.get('CrossRegionPeering-Accepter/AccepterVpc')).toEqual({ name: 'CrossRegionPeering-Accepter/AccepterVpc', stack: 'CrossRegionPeering-Accepter', cidrs: ['10.20.0.0/16'], certain: true });
    expect(byName.get('DefaultVpcPeering/DefaultVpc')?.cidrs).toEqual(['172.31.0.0/16']);
    expect(byName.get('vpc-00000000000000000')?.certain).toBe(false);
    expect(model.peerings.map((p) => p.name)).toEqual(expect.arrayContaining([
      'DefaultVpcPeering/Vpc1ToDefaultVpc', 'CrossRegionPeering-Requester/Peering', 'CrossAccountPeering-Requester/Peering',
    ]));
  });
});
