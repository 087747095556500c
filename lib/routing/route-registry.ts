import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { Cidr } from '../cidr';

/**
 * What the library has created across one app, so checks can see across constructs:
 * two peerings of the same pair of VPCs, two routes with one destination in one route table.
 *
 * One registry per construct tree root; it lives as long as the app.
 */
export class RouteRegistry {
  /** The registry of the app that `scope` belongs to. */
  public static of(scope: IConstruct): RouteRegistry {
    const root = scope.node.root;
    let registry = RouteRegistry.registries.get(root);
    if (!registry) {
      registry = new RouteRegistry(root);
      RouteRegistry.registries.set(root, registry);
    }
    return registry;
  }

  private static readonly registries = new WeakMap<IConstruct, RouteRegistry>();

  private readonly connections = new Map<string, IConstruct>();
  private readonly owners = new Map<ec2.CfnRoute, IConstruct>();
  private anchored = false;

  private constructor(private readonly root: IConstruct) {}

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
    }
    if (!this.anchored) {
      this.anchored = true;
      owner.node.addValidation({ validate: () => this.findDuplicateRoutes() });
    }
  }

  /**
   * Every pair of routes in the app with the same destination in the same route table,
   * where at least one was created by the library. AWS fails such a deploy with
   * `RouteAlreadyExists`.
   */
  public findDuplicateRoutes(): string[] {
    const byKey = new Map<string, ec2.CfnRoute[]>();
    for (const construct of this.root.node.findAll()) {
      if (!(construct instanceof ec2.CfnRoute)) { continue; }
      const destination = construct.destinationCidrBlock ?? construct.destinationIpv6CidrBlock ?? construct.destinationPrefixListId;
      if (destination === undefined || construct.routeTableId === undefined) { continue; }
      const key = `${construct.routeTableId}|${normalize(destination)}`;
      const list = byKey.get(key);
      if (list) { list.push(construct); } else { byKey.set(key, [construct]); }
    }
    const errors: string[] = [];
    for (const routes of byKey.values()) {
      if (routes.length < 2 || !routes.some((r) => this.owners.has(r))) { continue; }
      const first = routes[0];
      const destination = first.destinationCidrBlock ?? first.destinationIpv6CidrBlock ?? first.destinationPrefixListId ?? '';
      const table = Token.isUnresolved(first.routeTableId)
        ? JSON.stringify(Stack.of(first).resolve(first.routeTableId))
        : first.routeTableId;
      const who = routes.map((r) => {
        const owner = this.owners.get(r);
        return owner ? `${r.node.path} (from ${owner.node.path})` : r.node.path;
      });
      errors.push(
        `Route table ${table} would get ${routes.length} routes to ${describeDestination(first, destination)}: ${who.join(', ')}. ` +
        'A route table holds one route per destination (AWS fails the deploy with RouteAlreadyExists). ' +
        'Route these destinations from different subnets (requesterRoutes/accepterRoutes.subnets), give narrower destinations, or disable one side\'s routes.');
    }
    return errors;
  }
}

function normalize(destination: string): string {
  if (Token.isUnresolved(destination)) { return destination; }
  const parsed = Cidr.tryParse(destination);
  return typeof parsed === 'string' ? destination : parsed.toString();
}

function describeDestination(route: ec2.CfnRoute, destination: string): string {
  return Token.isUnresolved(destination)
    ? JSON.stringify(Stack.of(route).resolve(destination))
    : destination;
}
