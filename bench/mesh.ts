/**
 * `npm run bench`: synthesizes an N-VPC full mesh built with VpcPeering and the same network
 * hand-written with CfnVPCPeeringConnection / CfnRoute, in one run, and prints the time ratios
 * (median of interleaved runs) and the resource counts.
 *
 * Every variant builds the same ec2.Vpc networks (2 AZs, isolated subnets: 2 route tables each)
 * and synthesizes with aws-cdk-lib's built-in template validation off, so the ratios show the
 * library's own overhead rather than the validator's. It runs compiled (tsconfig.bench.json), as
 * the library ships. Two hand-written variants: "flat" puts every L1 at the top of the stack,
 * "nested" groups each peering's L1s in a plain Construct, as a construct library must; aws-cdk-lib
 * hashes the path of every nested resource into its logical id, which flat resources skip.
 */
import { performance } from 'perf_hooks';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { VpcPeering } from '../lib';

const SIZES = [2, 5, 10];
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

const VARIANTS = ['library', 'hand-written', 'hand-written nested'] as const;
type Variant = typeof VARIANTS[number];

function buildVpcs(stack: Stack, n: number): ec2.Vpc[] {
  return Array.from({ length: n }, (_, i) => new ec2.Vpc(stack, `Vpc${i}`, {
    ipAddresses: ec2.IpAddresses.cidr(`10.${i}.0.0/16`),
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
  }));
}

function pairs(n: number): Array<[number, number]> {
  const result: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) { for (let j = i + 1; j < n; j++) { result.push([i, j]); } }
  return result;
}

function library(stack: Stack, vpcs: ec2.Vpc[]): void {
  for (const [i, j] of pairs(vpcs.length)) {
    new VpcPeering(stack, `Peering${i}to${j}`, { requester: vpcs[i], accepter: vpcs[j] });
  }
}

function handWritten(stack: Stack, vpcs: ec2.Vpc[], nested: boolean): void {
  const cidrOf = (vpc: ec2.Vpc) => (vpc.node.defaultChild as ec2.CfnVPC).cidrBlock!;
  for (const [i, j] of pairs(vpcs.length)) {
    const scope = nested ? new Construct(stack, `Peering${i}to${j}`) : stack;
    const pcx = new ec2.CfnVPCPeeringConnection(scope, nested ? 'Resource' : `Peering${i}to${j}`, { vpcId: vpcs[i].vpcId, peerVpcId: vpcs[j].vpcId });
    for (const [from, to] of [[i, j], [j, i]]) {
      vpcs[from].isolatedSubnets.forEach((subnet, k) => {
        new ec2.CfnRoute(scope, `Route${i}to${j}From${from}Table${k}`, {
          routeTableId: subnet.routeTable.routeTableId,
          destinationCidrBlock: cidrOf(vpcs[to]),
          vpcPeeringConnectionId: pcx.ref,
        });
      });
    }
  }
}

function run(variant: Variant, n: number): { ms: number; resources: Record<string, number> } {
  const start = performance.now();
  const app = new App({ builtinCloudFormationValidation: false } as ConstructorParameters<typeof App>[0]);
  const stack = new Stack(app, 'Mesh', { env: { account: '111111111111', region: 'us-east-1' } });
  const vpcs = buildVpcs(stack, n);
  if (variant === 'library') {
    library(stack, vpcs);
  } else {
    handWritten(stack, vpcs, variant === 'hand-written nested');
  }
  const template = app.synth().getStackByName('Mesh').template;
  const ms = performance.now() - start;
  const resources: Record<string, number> = {};
  for (const r of Object.values<{ Type: string }>(template.Resources)) {
    resources[r.Type] = (resources[r.Type] ?? 0) + 1;
  }
  return { ms, resources };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function main(): void {
  // Warm up module loading and JIT for every variant.
  VARIANTS.forEach((v) => run(v, 3));
  console.log(`VPC full mesh, median of ${RUNS} interleaved runs (construct + synth), compiled JS`);
  console.log('N  | peerings | library ms | hand-written ms (flat / nested) | ratio vs flat | ratio vs nested | resources');
  let failed = false;
  for (const n of SIZES) {
    const times = new Map<Variant, number[]>(VARIANTS.map((v) => [v, []]));
    const counts = new Map<Variant, Record<string, number>>();
    for (let r = 0; r < RUNS; r++) {
      const order = r % 2 === 0 ? [...VARIANTS] : [...VARIANTS].reverse();
      for (const variant of order) {
        const result = run(variant, n);
        times.get(variant)!.push(result.ms);
        counts.set(variant, result.resources);
      }
    }
    const [lib, flat, nested] = VARIANTS.map((v) => median(times.get(v)!));
    const signature = (v: Variant) => JSON.stringify(Object.entries(counts.get(v)!).sort());
    const same = VARIANTS.every((v) => signature(v) === signature('library'));
    failed ||= !same;
    const total = Object.values(counts.get('library')!).reduce((a, b) => a + b, 0);
    console.log(`${String(n).padEnd(2)} | ${String(pairs(n).length).padEnd(8)} | ${lib.toFixed(1).padStart(10)} | ${flat.toFixed(1).padStart(14)} / ${nested.toFixed(1).padStart(14)} | ${(lib / flat).toFixed(2).padStart(13)} | ${(lib / nested).toFixed(2).padStart(15)} | ${total}${same ? ' each, identical by type' : ' DIFFERENT'}`);
    if (!same) {
      VARIANTS.forEach((v) => console.log(`  ${v}:`, counts.get(v)));
    }
  }
  if (failed) { process.exitCode = 1; }
}

if (require.main === module) {
  main();
}
