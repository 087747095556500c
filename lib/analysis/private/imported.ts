/**
 * Imported VPCs of an app (`ec2.Vpc.fromVpcAttributes`, `ec2.Vpc.fromLookup`, `RemoteVpc`) whose
 * id, CIDR block, subnets and route tables are literal values: the templates name only their
 * ids, the constructs know the rest. Linking them makes the routes the app adds to those route
 * tables the VPC's routes, and its subnets the places replies start from.
 */
import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { GAz, GSubnet, GTable, Graph } from './graph';
import { Cidr, IpVersion } from '../../cidr';

/** What the app's constructs say of an imported VPC. */
export interface ImportedVpc {
  readonly vpcId: string;
  /** The construct path. */
  readonly name: string;
  readonly cidrs: string[];
  readonly subnets: ImportedSubnet[];
}

/** An imported subnet with literal values. */
export interface ImportedSubnet {
  readonly subnetId: string;
  readonly name: string;
  readonly routeTableId?: string;
  readonly cidr?: string;
  readonly az?: string;
}

interface VpcLike extends IConstruct {
  readonly vpcId?: unknown;
  readonly vpcCidrBlock?: unknown;
  readonly publicSubnets?: unknown;
  readonly privateSubnets?: unknown;
  readonly isolatedSubnets?: unknown;
}

interface SubnetLike extends IConstruct {
  readonly subnetId?: unknown;
  readonly availabilityZone?: unknown;
  readonly ipv4CidrBlock?: unknown;
  readonly routeTable?: { readonly routeTableId?: unknown };
}

/** The imported VPCs of the app with a literal id and CIDR block (those whose attributes are not all known are left out). */
export function importedVpcsOf(root: IConstruct): ImportedVpc[] {
  const out: ImportedVpc[] = [];
  const seen = new Set<string>();
  for (const construct of root.node.findAll()) {
    const vpc = construct as VpcLike;
    // A VPC the app defines has its CfnVPC as default child: only imports have none.
    if (construct.node.defaultChild !== undefined || !isLiteral(vpc.vpcId) || !Array.isArray(vpc.isolatedSubnets) || !Array.isArray(vpc.privateSubnets)) { continue; }
    const cidr = attempt(() => vpc.vpcCidrBlock);
    if (!isLiteral(cidr) || typeof Cidr.tryParse(cidr) === 'string' || seen.has(vpc.vpcId)) { continue; }
    const subnets: ImportedSubnet[] = [];
    for (const s of [...(vpc.publicSubnets as SubnetLike[]), ...(vpc.privateSubnets as SubnetLike[]), ...(vpc.isolatedSubnets as SubnetLike[])]) {
      if (!isLiteral(s.subnetId)) { continue; }
      const routeTableId = attempt(() => s.routeTable?.routeTableId);
      const subnetCidr = attempt(() => s.ipv4CidrBlock);
      const az = attempt(() => s.availabilityZone);
      subnets.push({
        subnetId: s.subnetId, name: s.node.path,
        routeTableId: isLiteral(routeTableId) ? routeTableId : undefined,
        cidr: isLiteral(subnetCidr) && typeof Cidr.tryParse(subnetCidr) !== 'string' ? subnetCidr : undefined,
        az: isLiteral(az) ? az : undefined,
      });
    }
    // Linked only when every subnet (one at least) names its route table: else where replies start is not known.
    if (subnets.length === 0 || subnets.some((s) => s.routeTableId === undefined)) { continue; }
    seen.add(vpc.vpcId);
    out.push({ vpcId: vpc.vpcId, name: construct.node.path, cidrs: [cidr], subnets });
  }
  return out;
}

/**
 * Link the imported VPCs to the VPCs the templates reference by id: their CIDR blocks become
 * known, their subnets exist (with their route tables, known by literal id: the routes the app
 * adds to them are the VPC's routes), and the VPC is no longer a guess.
 */
export function linkImportedVpcs(graph: Graph, imported: ImportedVpc[]): void {
  for (const hint of imported) {
    const vpc = graph.vpcByKey.get(hint.vpcId);
    if (!vpc || !vpc.external) { continue; }
    for (const text of hint.cidrs) {
      const cidr = Cidr.parse(text);
      if (!vpc.blocks.some((b) => b.isSameBlock(cidr))) { vpc.blocks.push(cidr); }
      if (!vpc.inferredBlocks.some((b) => b.isSameBlock(cidr))) { vpc.inferredBlocks.push(cidr); }
    }
    for (const s of hint.subnets) {
      if (graph.subnets.has(s.subnetId)) { continue; }
      let table: GTable | undefined = s.routeTableId ? graph.tables.get(s.routeTableId) : undefined;
      if (!table && s.routeTableId) {
        table = { key: s.routeTableId, name: s.routeTableId, routes: [], implicitMain: false, external: true, vpc };
        graph.tables.set(table.key, table);
      }
      if (table) {
        table.vpc ??= vpc;
        if (!vpc.tables.includes(table)) { vpc.tables.push(table); }
      }
      const az: GAz | undefined = s.az ? { kind: 'name', value: s.az, text: `the availability zone ${s.az}` } : undefined;
      const subnet: GSubnet = {
        key: s.subnetId, name: s.name, vpc, cidr: s.cidr ? Cidr.parse(s.cidr) : undefined,
        table: table ?? vpc.mainTable, explicitTable: table !== undefined, az,
      };
      vpc.subnets.push(subnet);
      graph.subnets.set(subnet.key, subnet);
    }
    // Known now: its IPv4 blocks and its subnets (its IPv6 blocks, if any, stay unknown).
    vpc.name = hint.name;
    (vpc as { external: boolean }).external = false;
    vpc.unknownBlocks.length = 0;
    vpc.unknownBlocks.push(`the IPv6 blocks of the imported VPC ${hint.name} (${hint.vpcId}), if any, are not known`);
    vpc.unknownVersions.delete(IpVersion.IPV4);
    const stale = graph.unknowns.findIndex((u) => u.message.startsWith(`VPC ${hint.vpcId} (`));
    if (stale >= 0) { graph.unknowns.splice(stale, 1); }
  }
}

function isLiteral(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && !Token.isUnresolved(value);
}

/** A construct attribute that throws when it was not given (an imported VPC's CIDR block). */
function attempt<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
