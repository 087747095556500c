import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct, IConstruct } from 'constructs';
import { IpVersion } from '../cidr';
import { valueFor } from './cross-stack';
import { fnv1a, RouteTableRef } from './route-tables';

/** Where a route sends its traffic. Exactly one field is set. */
export interface RouteTarget {
  /** A VPC peering connection id. */
  readonly vpcPeeringConnectionId?: string;
  /** A transit gateway id. */
  readonly transitGatewayId?: string;
}

/** A destination of a route. */
export interface RouteDestination {
  /** The CIDR block as text: a literal or a token. */
  readonly text: string;
  /** IPv4 or IPv6. */
  readonly version: IpVersion;
  /** A stable name for the destination, used to derive construct ids. */
  readonly label: string;
  /** Resources the route must wait for (for example the association of a secondary block). */
  readonly dependsOn?: IConstruct[];
}

/** A route the library created, with what it connects. */
export interface CreatedRoute {
  /** The L1 route. */
  readonly route: ec2.CfnRoute;
  /** The route table it is in. */
  readonly routeTable: RouteTableRef;
  /** Its destination. */
  readonly destination: RouteDestination;
}

/**
 * Add one route per (route table, destination) pair under `scope`, with ids
 * `<idPrefix><route table>-<destination>`.
 *
 * Ids derive from the table and the destination, never from a loop index, so adding a
 * table or a destination never renames the other routes.
 */
export function addRoutes(scope: Construct, tables: RouteTableRef[], destinations: RouteDestination[], target: RouteTarget, idPrefix = ''): CreatedRoute[] {
  const created: CreatedRoute[] = [];
  for (const routeTable of tables) {
    for (const destination of destinations) {
      const id = `${idPrefix}${routeTable.label}-${idSafe(destination.label)}`;
      const route = new ec2.CfnRoute(scope, id, {
        routeTableId: valueFor(scope, routeTable.routeTableId),
        destinationCidrBlock: destination.version === IpVersion.IPV4 ? destination.text : undefined,
        destinationIpv6CidrBlock: destination.version === IpVersion.IPV6 ? destination.text : undefined,
        vpcPeeringConnectionId: target.vpcPeeringConnectionId === undefined ? undefined : valueFor(scope, target.vpcPeeringConnectionId),
        transitGatewayId: target.transitGatewayId === undefined ? undefined : valueFor(scope, target.transitGatewayId),
      });
      // Only within one stack: a stack that associates the block may itself depend on this one.
      for (const dependency of destination.dependsOn ?? []) {
        if (Stack.of(dependency) === Stack.of(route)) { route.node.addDependency(dependency); }
      }
      created.push({ route, routeTable, destination });
    }
  }
  return created;
}

/** A destination label that is also a valid construct id. */
export function destinationLabel(scope: IConstruct, text: string): string {
  return Token.isUnresolved(text) ? `Cidr${fnv1a(JSON.stringify(Stack.of(scope).resolve(text)))}` : text;
}

function idSafe(label: string): string {
  return label.replace(/\//g, '_');
}
