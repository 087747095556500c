import { Annotations, CfnResource, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { Cidr } from '../cidr';
import { canonicalValue } from './cross-stack';
import { checkQuota, QuotaCheck, quotasOf, ResolvedQuotas } from './quotas';
import { VpcNetwork } from './vpc-network';
import { AppRegistry } from '../private/app-registry';
import { describeValue, tokenTargetPath } from '../private/identifiers';

/**
 * What the library has created across one app, so checks can see across constructs:
 * two peerings of the same pair of VPCs, two routes with one destination in one route table.
 *
 * One registry per construct tree root; it lives as long as the app.
 */
export class RouteRegistry extends AppRegistry {
  /** The registry of the app that `scope` belongs to. */
  public static of(scope: IConstruct): RouteRegistry {
    return AppRegistry.forApp(scope, RouteRegistry.registries, (root) => new RouteRegistry(root));
  }

  private static readonly registries = new WeakMap<IConstruct, RouteRegistry>();

  private readonly connections = new Map<string, IConstruct>();
  private readonly owners = new Map<ec2.CfnRoute, IConstruct>();
  private readonly networksSeen: Array<{ owner: IConstruct; network: VpcNetwork }> = [];
  private readonly stacksUsed = new Set<Stack>();

  private constructor(root: IConstruct) {
    super(root);
  }

  /**
   * Record a connection between two endpoints (for example two VPC ids).
   *
   * @returns the construct that already connects the same pair, if any
   */
  public registerConnection(kind: string, a: string, b: string, owner: IConstruct): IConstruct | undefined {
    const key = `${kind}|${[a, b].sort().join('|')}`;
    const existing = this.connections.get(key);
    if (existing) {
      return existing;
    }
    this.connections.set(key, owner);
    return undefined;
  }

  /**
   * Record routes a construct created. The first construct to register routes carries the
   * app-wide check for duplicate destinations, which runs once at synth, after every
   * construct (and every hand-written `CfnRoute`) exists.
   */
  public registerRoutes(owner: IConstruct, routes: ec2.CfnRoute[]): void {
    for (const route of routes) {
      this.owners.set(route, owner);
      this.stacksUsed.add(Stack.of(route));
    }
    this.stacksUsed.add(Stack.of(owner));
    this.anchor(owner);
  }

  /**
   * Record that the library added resources to the stack of `construct`, so the
   * resources-per-stack quota is checked there.
   */
  public registerStackUsed(construct: IConstruct): void {
    this.stacksUsed.add(Stack.of(construct));
    this.anchor(construct);
  }

  /** The quotas in force: the context key's values over AWS's defaults. */
  public quotas(): ResolvedQuotas {
    return quotasOf(this.root);
  }

  /**
   * Record the CIDR blocks a construct saw for a VPC when it was created, so the app-wide
   * check can report blocks associated later (neither checked nor routed by it).
   */
  public registerNetworkSeen(owner: IConstruct, network: VpcNetwork): void {
    if (network.definedInApp) {
      this.networksSeen.push({ owner, network });
      this.anchor(owner);
    }
  }

  /**
   * Every VPC CIDR block association (of `constructs`, the app's) that a construct did not
   * see when it was created.
   */
  private findUnseenBlocks(constructs: IConstruct[]): string[] {
    const errors: string[] = [];
    if (this.networksSeen.length === 0) { return errors; }
    const associationsByVpcId = new Map<string, ec2.CfnVPCCidrBlock[]>();
    for (const construct of constructs) {
      if (construct instanceof ec2.CfnVPCCidrBlock) {
        const list = associationsByVpcId.get(construct.vpcId);
        if (list) { list.push(construct); } else { associationsByVpcId.set(construct.vpcId, [construct]); }
      }
    }
    for (const { owner, network } of this.networksSeen) {
      const all = associationsByVpcId.get(network.vpc.vpcId) ?? [];
      const seen = new Set([...network.ipv4Blocks, ...network.ipv6Blocks].map((b) => b.association));
      const unseen = all.filter((a) => !seen.has(a));
      if (unseen.length > 0) {
        errors.push(`CIDR block(s) ${unseen.map((a) => a.node.path).join(', ')} of VPC ${network.path} were not there when ${owner.node.path} ` +
          'was created, so they are neither checked for overlap nor routed by it. Create each VPCCidrBlock before the constructs that connect the VPC ' +
          '(and not inside another VPC\'s construct).');
      }
    }
    return errors;
  }

  protected validateApp(): string[] {
    const constructs = this.root.node.findAll();
    return [...this.findUnseenBlocks(constructs), ...this.findDuplicateRoutes(constructs), ...this.checkQuotas(constructs)];
  }

  /**
   * The quota checks over the whole app (hand-written resources included): peering connections
   * per VPC, routes per route table, resources per stack the library adds to. Warnings (80% of a
   * quota) become annotations on the construct concerned; errors are returned.
   */
  private checkQuotas(constructs: IConstruct[]): string[] {
    const quotas = this.quotas();
    const vpcPaths = new Map<string, IConstruct>();
    const peeringsByVpc = new Map<string, number>();
    const routesByTable = new Map<string, { count: number; route: ec2.CfnRoute; version: string }>();
    const resourcesByStack = new Map<Stack, number>();
    for (const construct of constructs) {
      if (construct instanceof CfnResource) {
        const stack = Stack.of(construct);
        if (this.stacksUsed.has(stack)) { resourcesByStack.set(stack, (resourcesByStack.get(stack) ?? 0) + 1); }
      }
      if (construct instanceof ec2.CfnVPCPeeringConnection) {
        for (const vpcId of [canonicalValue(construct, construct.vpcId), canonicalValue(construct, construct.peerVpcId)]) {
          peeringsByVpc.set(vpcId, (peeringsByVpc.get(vpcId) ?? 0) + 1);
        }
      } else if (construct instanceof ec2.CfnRoute && construct.routeTableId !== undefined) {
        const version = construct.destinationIpv6CidrBlock !== undefined ? 'IPv6' : 'IPv4';
        const key = `${canonicalValue(construct, construct.routeTableId)}|${version}`;
        const entry = routesByTable.get(key);
        if (entry) { entry.count++; } else { routesByTable.set(key, { count: 1, route: construct, version }); }
      } else if (isVpc(construct) && !vpcPaths.has(construct.vpcId)) {
        vpcPaths.set(construct.vpcId, construct);
      }
    }
    const errors: string[] = [];
    const report = (check: QuotaCheck | undefined, on: IConstruct, id: string): void => {
      if (check?.level === 'error') { errors.push(check.message); }
      if (check?.level === 'warning') { Annotations.of(on).addWarningV2(`cdk-vpc-connect:${id}`, check.message); }
    };
    for (const [vpcId, count] of peeringsByVpc) {
      const vpc = vpcPaths.get(vpcId);
      const subject = `VPC ${vpc ? vpc.node.path : Token.isUnresolved(vpcId) ? tokenTargetPath(vpcId) ?? describeValue(vpcId) : vpcId}`;
      report(checkQuota('peeringsPerVpc', subject, count, quotas.peeringsPerVpc,
        'Connect fewer VPCs to it by peering (a partial mesh), or connect them through a TransitGatewayHub.'), vpc ?? this.root, 'peeringQuota');
    }
    for (const { count, route, version } of routesByTable.values()) {
      report(checkQuota('routesPerRouteTable', `Route table ${describeRouteTable(route)} (${version})`, count, quotas.routesPerRouteTable,
        'Route fewer destinations through it (summary CIDRs through a TransitGatewayHub, or fewer peers).'), route, 'routeQuota');
    }
    for (const [stack, count] of resourcesByStack) {
      report(checkQuota('resourcesPerStack', `Stack ${stack.node.path}`, count, quotas.resourcesPerStack,
        'Spread the VPCs over more stacks (one stack per VPC; for a PeeringMesh also routesPlacement: MeshRoutesPlacement.VPC_ROUTES_STACK), ' +
        'route fewer subnets (routes.subnets of a PeeringMesh or a TransitGatewayHub), or connect many VPCs through a TransitGatewayHub with summary CIDRs (routes.destinations).'), stack, 'stackResourceQuota');
    }
    return errors;
  }

  /**
   * Every pair of routes (of `constructs`, the app's) with the same destination in the same route table,
   * where at least one was created by the library. AWS fails such a deploy with
   * `RouteAlreadyExists`.
   */
  private findDuplicateRoutes(constructs: IConstruct[]): string[] {
    const byKey = new Map<string, ec2.CfnRoute[]>();
    for (const construct of constructs) {
      if (!(construct instanceof ec2.CfnRoute)) { continue; }
      const destination = construct.destinationCidrBlock ?? construct.destinationIpv6CidrBlock ?? construct.destinationPrefixListId;
      if (destination === undefined || construct.routeTableId === undefined) { continue; }
      const key = `${canonicalValue(construct, construct.routeTableId)}|${normalize(destination)}`;
      const list = byKey.get(key);
      if (list) { list.push(construct); } else { byKey.set(key, [construct]); }
    }
    const errors: string[] = [];
    for (const routes of byKey.values()) {
      if (routes.length < 2 || !routes.some((r) => this.owners.has(r))) { continue; }
      const first = routes[0];
      const destination = first.destinationCidrBlock ?? first.destinationIpv6CidrBlock ?? first.destinationPrefixListId ?? '';
      const table = describeRouteTable(first);
      const who = routes.map((r) => {
        const owner = this.owners.get(r);
        return owner ? `${r.node.path} (from ${owner.node.path})` : r.node.path;
      });
      errors.push(
        `Route table ${table} would get ${routes.length} routes to ${describeDestination(first, destination)}: ${who.join(', ')}. ` +
        'A route table holds one route per destination (AWS fails the deploy with RouteAlreadyExists). ' +
        'Route these destinations from different subnets (requesterRoutes/accepterRoutes.subnets of a VpcPeering, routes.subnets of a PeeringMesh ' +
        'or a TransitGatewayHub), give narrower destinations, or disable one side\'s routes.');
    }
    return errors;
  }
}

function isVpc(construct: IConstruct): construct is IConstruct & ec2.IVpc {
  const candidate = construct as Partial<ec2.IVpc>;
  return typeof candidate.vpcId === 'string' && typeof candidate.selectSubnets === 'function' && Array.isArray(candidate.publicSubnets);
}

function normalize(destination: string): string {
  if (Token.isUnresolved(destination)) { return destination; }
  const parsed = Cidr.tryParse(destination);
  return typeof parsed === 'string' ? destination : parsed.toString();
}

function describeRouteTable(route: ec2.CfnRoute): string {
  const id = canonicalValue(route, route.routeTableId);
  if (!Token.isUnresolved(id)) { return id; }
  const token = Tokenization.reverseString(id).firstToken;
  return token instanceof Reference ? token.target.node.path : JSON.stringify(Stack.of(route).resolve(id));
}

function describeDestination(route: ec2.CfnRoute, destination: string): string {
  return Token.isUnresolved(destination)
    ? JSON.stringify(Stack.of(route).resolve(destination))
    : destination;
}
