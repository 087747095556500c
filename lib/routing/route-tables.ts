import { Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

/** A route table of a VPC, found through the subnets that use it. */
export interface RouteTableRef {
  /** The route table id: a literal (`rtb-...`) or a token. */
  readonly routeTableId: string;
  /** A stable, readable name for the table, used to derive construct ids. */
  readonly label: string;
  /** The selected subnets that use this table. */
  readonly subnets: ec2.ISubnet[];
}

/** The route tables behind a subnet selection. */
export interface RouteTableSelection {
  /** Each distinct route table once, in subnet order. */
  readonly tables: RouteTableRef[];
  /** Selected subnets whose route table is not known (imported without route table ids). */
  readonly subnetsWithoutTable: ec2.ISubnet[];
  /** How many subnets the selection matched. */
  readonly subnetCount: number;
}

/** Every subnet of a VPC: public, private and isolated. */
export function allSubnets(vpc: ec2.IVpc): ec2.ISubnet[] {
  return [...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets];
}

/**
 * The distinct route tables of the selected subnets.
 *
 * Subnets that share a table (the default VPC's subnets all use its main table) yield it once.
 *
 * @param selection the subnets; `undefined` means every subnet of the VPC
 */
export function selectRouteTables(vpc: ec2.IVpc, selection?: ec2.SubnetSelection): RouteTableSelection {
  const subnets = selection === undefined ? allSubnets(vpc) : vpc.selectSubnets(selection).subnets;
  const byId = new Map<string, { routeTableId: string; label: string; subnets: ec2.ISubnet[] }>();
  const subnetsWithoutTable: ec2.ISubnet[] = [];
  const seenSubnets = new Set<string>();
  for (const subnet of subnets) {
    if (seenSubnets.has(subnet.subnetId)) { continue; }
    seenSubnets.add(subnet.subnetId);
    const routeTableId = subnet.routeTable?.routeTableId;
    if (routeTableId === undefined || routeTableId === null) {
      subnetsWithoutTable.push(subnet);
      continue;
    }
    let entry = byId.get(routeTableId);
    if (!entry) {
      entry = { routeTableId, label: routeTableLabel(vpc, routeTableId), subnets: [] };
      byId.set(routeTableId, entry);
    }
    entry.subnets.push(subnet);
  }
  return { tables: [...byId.values()], subnetsWithoutTable, subnetCount: seenSubnets.size };
}

/**
 * A readable, stable name for a route table: its id when literal, the path of its
 * `AWS::EC2::RouteTable` (relative to the VPC) when it is a reference.
 */
export function routeTableLabel(vpc: ec2.IVpc, routeTableId: string): string {
  if (!Token.isUnresolved(routeTableId)) {
    return routeTableId;
  }
  let labels = LABELS.get(vpc);
  if (!labels) {
    labels = new Map();
    LABELS.set(vpc, labels);
  }
  let label = labels.get(routeTableId);
  if (label === undefined) {
    label = tokenLabel(vpc, routeTableId);
    labels.set(routeTableId, label);
  }
  return label;
}

/** Labels of token route table ids, per VPC: a mesh asks for the same tables again and again. */
const LABELS = new WeakMap<ec2.IVpc, Map<string, string>>();

function tokenLabel(vpc: ec2.IVpc, routeTableId: string): string {
  const token = Tokenization.reverseString(routeTableId).firstToken;
  if (token instanceof Reference) {
    const target = token.target;
    const vpcPath = `${vpc.node.path}/`;
    const relative = target.node.path.startsWith(vpcPath) ? target.node.path.slice(vpcPath.length) : target.node.id;
    return relative.replace(/\//g, '');
  }
  // Any other token (an import, a parameter): name it after what it resolves to, which is stable.
  return `Table${fnv1a(JSON.stringify(Stack.of(vpc).resolve(routeTableId)))}`;
}

/** A short stable hash of a string (FNV-1a, 32 bit, hex). */
export function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
