import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct, IConstruct } from 'constructs';
import { ConnectivityError, CostInputError } from '../errors';
import { RemoteVpc } from './remote-vpc';
import { VpcPeering } from './vpc-peering';
import { CostEstimate, CostOptions, estimateMeshCost } from '../cost/estimate';
import { nameTag } from '../private/identifiers';
import { importAcrossStacks } from '../routing/cross-stack';
import { companionStack, containerInStack } from '../routing/placement';
import { checkSubnetsBelongTo, rejectRouteOption, RouteOptions } from '../routing/route-options';
import { describeForMessage, describeVpc, overlappingOwnBlocks, skipWhenScanningForCidrBlocks, VpcNetwork } from '../routing/vpc-network';

/**
 * Where a mesh over several stacks puts the routes of the VPC whose stack comes earlier.
 */
export enum MeshRoutesPlacement {
  /**
   * With the peering, in the later VPC's stack: no extra stack. The last stack of the chain
   * holds every one of its VPC's peerings and both sides' routes: (N − 1) × (1 + the two VPCs'
   * route tables) resources besides its VPC.
   */
  WITH_PEERING = 'WITH_PEERING',

  /**
   * In a routes stack of the earlier VPC (`<its stack>-<mesh id>Routes`, in its account and
   * region), created beside its stack: each VPC's stack holds its peerings with earlier VPCs and
   * its own routes toward them, its routes stack its routes toward later VPCs. The load spreads
   * evenly over 2N stacks (about (N − 1) × (1 + tables) in the largest), for meshes whose VPCs
   * have many route tables.
   */
  VPC_ROUTES_STACK = 'VPC_ROUTES_STACK',
}

/**
 * One peering connection of a partial mesh: the two VPCs it connects.
 */
export interface MeshConnection {
  /**
   * The two VPCs to peer, in either order: two different members of the mesh's `vpcs`.
   */
  readonly between: ec2.IVpc[];
}

/**
 * Properties of a {@link PeeringMesh}.
 */
export interface PeeringMeshProps {
  /**
   * The VPCs of the mesh. Each must appear once; no two may have overlapping CIDR blocks.
   */
  readonly vpcs: ec2.IVpc[];

  /**
   * The pairs to peer, for a partial mesh: each connection names two different VPCs of `vpcs`,
   * and each pair appears once.
   *
   * @default - every pair of `vpcs` (a full mesh: n(n-1)/2 peering connections)
   */
  readonly connections?: MeshConnection[];

  /**
   * The routes of every VPC of the mesh toward its peers: `enabled` and `subnets` (the same
   * selection in every VPC; a `RemoteVpc` member is routed through its `routeTableIds`). A mesh
   * routes each peer's own CIDR blocks, so it takes no `destinations` (peer with `VpcPeering` for
   * narrower routes), and places the routes itself, so it takes no `scope` (see `routesPlacement`).
   *
   * @default - every route table of every VPC gets a route to every block of each of its peers
   */
  readonly routes?: RouteOptions;

  /**
   * Where the routes go when a pair's VPCs are in different stacks (the peering always goes
   * into the stack of one of its VPCs: the later in the stacks' deployment order).
   *
   * @default MeshRoutesPlacement.WITH_PEERING
   */
  readonly routesPlacement?: MeshRoutesPlacement;

  /**
   * Let each pair of peered VPCs resolve each other's private DNS hostnames.
   * See {@link VpcPeeringProps.dnsResolution}.
   *
   * @default false
   */
  readonly dnsResolution?: boolean;
}

/** The brand of a `PeeringMesh`: a global symbol, so `isPeeringMesh` works across copies of the library. */
const PEERING_MESH_BRAND = Symbol.for('cdk-vpc-connect.PeeringMesh');

/**
 * VPC peering between every pair of a set of VPCs (or the listed pairs), with routes on both
 * sides of each pair.
 *
 * Peering is not transitive, so VPCs that must all talk need one connection per pair. Each
 * connection is a {@link VpcPeering}, with its checks; the mesh adds:
 *
 * - Stable identities: a pair's construct id derives from the two VPCs (their paths), never
 *   from list positions, so adding or removing a VPC never replaces another pair's peering or routes.
 * - Placement across stacks: when the VPCs live in different stacks, each peering and the routes
 *   of both its sides go into one of the two VPCs' stacks, the one that comes later in the stacks'
 *   deployment order (their existing dependencies first, then their paths). That stack references the other
 *   (its VPC id and route table ids): every dependency points one way, and no stack holds more than
 *   its own VPC's connections.
 * - An error for any two members with overlapping CIDR blocks, and the app-wide quota checks
 *   (peerings per VPC, routes per route table, resources per stack; set the account's quotas in
 *   the context key `cdk-vpc-connect:quotas`, see `Quotas`).
 *
 * @example
 * const mesh = new PeeringMesh(this, 'Mesh', { vpcs: [a, b, c, d] });
 * mesh.peeringBetween(a, c).allowFromAccepter(instance, ec2.Port.tcp(443));
 */
export class PeeringMesh extends Construct {
  /** Whether `x` is a `PeeringMesh` (of this copy of the library or another one in the same app). */
  public static isPeeringMesh(x: any): x is PeeringMesh {
    return x !== null && typeof x === 'object' && PEERING_MESH_BRAND in x;
  }

  /** The VPCs of the mesh. */
  public readonly vpcs: ec2.IVpc[];

  /** Every peering of the mesh. */
  public readonly peerings: VpcPeering[] = [];

  private readonly byPair = new Map<string, VpcPeering>();
  private readonly containers = new Map<Stack, Construct>();
  private readonly routesContainers = new Map<Stack, Construct>();

  constructor(scope: Construct, id: string, props: PeeringMeshProps) {
    super(scope, id);
    Object.defineProperty(this, PEERING_MESH_BRAND, { value: true, enumerable: false });
    skipWhenScanningForCidrBlocks(this);
    rejectRouteOption(this, props.routes, 'routes', 'destinations', 'a mesh routes each peer\'s own CIDR blocks, every one of them. ' +
      'To route narrower destinations between two VPCs, leave that pair out of connections and peer it with a VpcPeering and its requesterRoutes/accepterRoutes.destinations.');
    rejectRouteOption(this, props.routes, 'routes', 'scope', 'a mesh places each pair\'s routes in the stack of one of its VPCs, or in a routes stack beside it ' +
      'with routesPlacement: MeshRoutesPlacement.VPC_ROUTES_STACK. To place a pair\'s routes yourself, peer it with a VpcPeering and its requesterRoutes/accepterRoutes.scope.');

    this.vpcs = [...props.vpcs];
    if (this.vpcs.length < 2) {
      throw new ConnectivityError(this, `A PeeringMesh needs at least two VPCs, got ${this.vpcs.length}${this.vpcs.length === 1 ? ` (${this.vpcs[0].node.path})` : ''}.`);
    }
    const networks = new Map<ec2.IVpc, VpcNetwork>(this.vpcs.map((vpc) => [vpc, describeVpc(vpc)]));
    this.checkDistinct(networks);
    for (const network of networks.values()) {
      const overlap = overlappingOwnBlocks(network);
      if (overlap !== undefined) { throw new ConnectivityError(this, overlap); }
    }
    const pairs = props.connections !== undefined ? this.checkConnections(props.connections) : allPairs(this.vpcs);
    this.checkDisjoint(networks);

    const order = deploymentOrder(this.vpcs.filter((v) => !RemoteVpc.isRemoteVpc(v)).map((v) => Stack.of(v)));
    importAcrossStacks(this);
    this.chainStacks(order);
    const routed = props.routes?.enabled !== false;
    const subnets = props.routes?.subnets;
    if (routed) {
      for (const vpc of this.vpcs.filter((v) => !RemoteVpc.isRemoteVpc(v))) {
        checkSubnetsBelongTo(this, vpc, vpc.node.path, subnets, 'routes');
      }
    }
    for (const [x, y] of pairs) {
      const [requester, accepter] = this.orient(x, y, order);
      const key = pairKey(x, y);
      const names = [vpcName(this, x), vpcName(this, y)].sort();
      const remoteAccepter = RemoteVpc.isRemoteVpc(accepter);
      const separate = props.routesPlacement === MeshRoutesPlacement.VPC_ROUTES_STACK && !remoteAccepter && Stack.of(accepter) !== Stack.of(requester);
      const peering = new VpcPeering(this.containerFor(Stack.of(requester)), `${names[0]}-${names[1]}`, {
        requester,
        accepter,
        requesterRoutes: !routed ? { enabled: false } : subnets ? { subnets } : undefined,
        accepterRoutes: !routed ? { enabled: false }
          : remoteAccepter ? undefined
            : { subnets, scope: separate ? this.routesStackFor(Stack.of(accepter)) : undefined },
        peeringName: peeringNameOf(names[0], names[1]),
        dnsResolution: props.dnsResolution,
      });
      this.byPair.set(key, peering);
      this.peerings.push(peering);
    }
  }

  /**
   * The peering between two VPCs of the mesh (in either order).
   *
   * @throws ConnectivityError when the two VPCs are not peered by this mesh
   */
  public peeringBetween(a: ec2.IVpc, b: ec2.IVpc): VpcPeering {
    const peering = this.byPair.get(pairKey(a, b));
    if (!peering) {
      const members = [a, b].filter((v) => !this.vpcs.includes(v)).map((v) => v.node.path);
      throw new ConnectivityError(this, members.length > 0
        ? `${members.join(' and ')} ${members.length > 1 ? 'are' : 'is'} not a VPC of this mesh (${this.vpcs.map((v) => v.node.path).join(', ')}).`
        : `VPCs ${a.node.path} and ${b.node.path} are not peered by this mesh: it has no connection between them (see connections).`);
    }
    return peering;
  }

  /**
   * What the mesh adds to the monthly bill for `options.traffic` between its VPCs (us-east-1 list
   * prices unless `options.pricing` says otherwise): peering connections are free; data is charged
   * when it crosses AZs (each direction) or regions.
   *
   * @throws CostInputError when the traffic is malformed, or `natGatewaysAvoided` is given (it applies to `VpcEndpoints` only)
   */
  public estimateMonthlyCost(options: CostOptions = {}): CostEstimate {
    if (options.natGatewaysAvoided !== undefined) {
      throw new CostInputError(`natGatewaysAvoided is ${options.natGatewaysAvoided}, but a PeeringMesh replaces no NAT gateway: ` +
        'it applies to the estimate of VpcEndpoints only. Leave it out.');
    }
    return estimateMeshCost({
      vpcs: this.vpcs.length,
      connections: this.peerings.length,
      traffic: options.traffic ?? { gbPerMonth: 0 },
      pricing: options.pricing,
    });
  }

  /** Every route the mesh created, on every side of every peering. */
  public get routes(): ec2.CfnRoute[] {
    return this.peerings.flatMap((p) => p.routes);
  }

  private checkDistinct(networks: Map<ec2.IVpc, VpcNetwork>): void {
    const seen = new Map<string, ec2.IVpc>();
    for (const vpc of this.vpcs) {
      const network = networks.get(vpc)!;
      const key = network.lookupPending ? `construct:${vpc.node.path}` : `${network.region ?? ''}/${vpc.vpcId}`;
      const previous = seen.get(key);
      if (previous !== undefined || this.vpcs.indexOf(vpc) !== this.vpcs.lastIndexOf(vpc)) {
        throw new ConnectivityError(this, `VPC ${vpc.node.path} is listed twice in vpcs${previous && previous !== vpc ? ` (as ${previous.node.path} too)` : ''}: ` +
          'each VPC of a mesh must appear once.');
      }
      seen.set(key, vpc);
    }
  }

  private checkConnections(connections: MeshConnection[]): Array<[ec2.IVpc, ec2.IVpc]> {
    if (connections.length === 0) {
      throw new ConnectivityError(this, 'connections is empty: list the pairs of VPCs to peer, or leave it out for a full mesh.');
    }
    const seen = new Set<string>();
    const pairs: Array<[ec2.IVpc, ec2.IVpc]> = [];
    for (const connection of connections) {
      const between = connection.between ?? [];
      if (between.length !== 2) {
        throw new ConnectivityError(this, `connections: a MeshConnection's between must name exactly two VPCs, got ${between.length}` +
          `${between.length > 0 ? ` (${between.map((v) => v.node.path).join(', ')})` : ''}. Write one connection per pair: { between: [vpcA, vpcB] }.`);
      }
      const [a, b] = between;
      for (const vpc of [a, b]) {
        if (!this.vpcs.includes(vpc)) {
          throw new ConnectivityError(this, `connections names ${vpc.node.path}, which is not one of the mesh's vpcs (${this.vpcs.map((v) => v.node.path).join(', ')}). Add it to vpcs.`);
        }
      }
      if (a === b) {
        throw new ConnectivityError(this, `connections pairs ${a.node.path} with itself: a VPC cannot be peered with itself.`);
      }
      const key = pairKey(a, b);
      if (seen.has(key)) {
        throw new ConnectivityError(this, `connections lists the pair ${a.node.path} and ${b.node.path} twice: AWS allows one peering connection between two VPCs.`);
      }
      seen.add(key);
      pairs.push([a, b]);
    }
    return pairs;
  }

  /**
   * Any two members with overlapping blocks make the mesh ambiguous: a VPC peered with both
   * could not tell where a reply goes. (Each VpcPeering checks its own pair again.)
   */
  private checkDisjoint(networks: Map<ec2.IVpc, VpcNetwork>): void {
    const list = [...networks.values()].filter((n) => !n.lookupPending);
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        for (const a of list[i].ipv4Blocks) {
          for (const b of list[j].ipv4Blocks) {
            if (a.cidr && b.cidr && a.cidr.overlaps(b.cidr)) {
              throw new ConnectivityError(this, `VPCs ${describeForMessage(list[i])} and ${describeForMessage(list[j])} of the mesh overlap: ` +
                `${a.cidr} and ${b.cidr} share addresses. Every VPC of a mesh needs CIDR blocks disjoint from every other's; ` +
                're-address one VPC, or keep it out of the mesh and peer it with explicit destinations (VpcPeering).');
            }
          }
        }
      }
    }
  }

  /**
   * Which VPC requests the peering (and so holds it and both sides' routes in its stack).
   * A RemoteVpc can only accept. Across stacks: the VPC whose stack comes later in the
   * deployment order. Within one stack: the VPC whose name sorts first, so the choice never
   * depends on list positions.
   */
  private orient(x: ec2.IVpc, y: ec2.IVpc, order: Map<Stack, number>): [ec2.IVpc, ec2.IVpc] {
    const xRemote = RemoteVpc.isRemoteVpc(x);
    const yRemote = RemoteVpc.isRemoteVpc(y);
    if (xRemote && yRemote) {
      throw new ConnectivityError(this, `VPCs ${x.node.path} and ${y.node.path} are both RemoteVpcs: a peering must be requested from a VPC of this app's account. ` +
        'Leave this pair out (connections) and peer them from one of their accounts.');
    }
    if (xRemote) { return [y, x]; }
    if (yRemote) { return [x, y]; }
    const xStack = Stack.of(x);
    const yStack = Stack.of(y);
    if (xStack !== yStack) {
      return order.get(xStack)! > order.get(yStack)! ? [x, y] : [y, x];
    }
    return vpcName(this, x) < vpcName(this, y) ? [x, y] : [y, x];
  }

  /**
   * Order the member stacks of each environment with a chain of dependencies (each on the one
   * before it). Peerings read the other VPC's values through imports rather than references
   * (see routing/cross-stack), so the chain is what makes CloudFormation deploy each stack
   * after the stacks it imports from: a stack holds the peerings with every earlier stack.
   */
  private chainStacks(order: Map<Stack, number>): void {
    const byEnvironment = new Map<string, Stack[]>();
    for (const stack of [...order.keys()].sort((a, b) => order.get(a)! - order.get(b)!)) {
      const key = `${stack.account}/${stack.region}`;
      const list = byEnvironment.get(key);
      if (list) { list.push(stack); } else { byEnvironment.set(key, [stack]); }
    }
    for (const stacks of byEnvironment.values()) {
      for (let i = 1; i < stacks.length; i++) {
        stacks[i].addStackDependency(stacks[i - 1], `PeeringMesh ${this.node.path}: peerings in ${stacks[i].stackName} import values of earlier stacks`);
      }
    }
  }

  /**
   * The routes stack of the VPCs of `stack` (MeshRoutesPlacement.VPC_ROUTES_STACK): a stack of
   * the same environment beside it, which reads the VPC stacks' ids at deploy time and depends
   * on each of them (nothing depends on it).
   */
  private routesStackFor(stack: Stack): Construct {
    let container = this.routesContainers.get(stack);
    if (!container) {
      const routesStack = companionStack(this, `${stack.stackName}-${this.node.id}Routes`, { account: stack.account, region: stack.region },
        `Routes of the VPCs of ${stack.stackName} toward the VPCs of later stacks of the peering mesh ${this.node.path} (cdk-vpc-connect).`);
      container = containerInStack(routesStack, this);
      // Read across stacks too (no exports): a routes stack left behind by a member that left the
      // mesh then locks nothing. It depends on each stack it reads, as a reference would make it.
      importAcrossStacks(container, { dependOnProducers: true });
      this.routesContainers.set(stack, container);
    }
    return container;
  }

  /** Where the peerings of VPCs in `stack` go: under the mesh in its own stack, else in a container of the mesh in that stack. */
  private containerFor(stack: Stack): Construct {
    if (stack === Stack.of(this)) { return this; }
    let container = this.containers.get(stack);
    if (!container) {
      container = containerInStack(stack, this);
      importAcrossStacks(container);
      this.containers.set(stack, container);
    }
    return container;
  }
}

/** Every unordered pair of `vpcs`. */
function allPairs(vpcs: ec2.IVpc[]): Array<[ec2.IVpc, ec2.IVpc]> {
  const pairs: Array<[ec2.IVpc, ec2.IVpc]> = [];
  for (let i = 0; i < vpcs.length; i++) {
    for (let j = i + 1; j < vpcs.length; j++) { pairs.push([vpcs[i], vpcs[j]]); }
  }
  return pairs;
}

function pairKey(a: ec2.IVpc, b: ec2.IVpc): string {
  return [a.node.path, b.node.path].sort().join('|');
}

/**
 * The Name tag of a pair's peering: `A <-> B`, shortened to the 256 characters AWS accepts in a
 * tag value when the two names are that long (the construct ids stay whole).
 */
function peeringNameOf(a: string, b: string): string {
  return nameTag(`${a} <-> ${b}`);
}

/**
 * A stable name of a VPC for ids: its path within its stack, prefixed by the stack's id when
 * the stack is not the mesh's. Never a list position.
 */
function vpcName(mesh: IConstruct, vpc: ec2.IVpc): string {
  const stack = Stack.of(vpc);
  const relative = vpc.node.path.slice(stack.node.path.length + 1).replace(/\//g, '');
  return stack === Stack.of(mesh) ? relative : `${stack.node.id.replace(/[^A-Za-z0-9]/g, '')}${relative}`;
}

/**
 * A deployment order of `stacks`: a stack comes after every stack it already depends on
 * (explicit `addStackDependency`, transitively); otherwise by path. Giving each peering to the
 * later of its two stacks makes every new dependency point one way.
 */
function deploymentOrder(stacks: Stack[]): Map<Stack, number> {
  const members = [...new Set(stacks)].sort((a, b) => a.node.path.localeCompare(b.node.path));
  const memberSet = new Set(members);
  const before = new Map<Stack, Set<Stack>>();
  for (const stack of members) {
    const reached = new Set<Stack>();
    const visit = (s: Stack): void => {
      for (const dependency of s.dependencies) {
        if (!reached.has(dependency)) { reached.add(dependency); visit(dependency); }
      }
    };
    visit(stack);
    before.set(stack, new Set([...reached].filter((s) => memberSet.has(s))));
  }
  const order = new Map<Stack, number>();
  const remaining = [...members];
  while (remaining.length > 0) {
    const index = remaining.findIndex((s) => [...before.get(s)!].every((d) => order.has(d)));
    const next = remaining.splice(index === -1 ? 0 : index, 1)[0];
    order.set(next, order.size);
  }
  return order;
}
