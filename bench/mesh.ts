/**
 * `npm run bench`: synthesizes an N-VPC full mesh built with VpcPeering and the same network
 * hand-written with CfnVPCPeeringConnection / CfnRoute, in one run, and prints the time ratio
 * (library / hand-written, median of interleaved runs) and the resource counts.
 *
 * Both variants build the same ec2.Vpc networks (2 AZs, isolated subnets: 2 route tables each)
 * and synthesize with aws-cdk-lib's built-in template validation off, so the ratio shows the
 * library's own overhead rather than the validator's.
 */
import { performance } from 'perf_hooks';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { VpcPeering } from '../lib';

const SIZES = [2, 5, 10];
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

type Variant = 'library' | 'hand-written';

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

function handWritten(stack: Stack, vpcs: ec2.Vpc[]): void {
  const cidrOf = (vpc: ec2.Vpc) => (vpc.node.defaultChild as ec2.CfnVPC).cidrBlock!;
  for (const [i, j] of pairs(vpcs.length)) {
    const pcx = new ec2.CfnVPCPeeringConnection(stack, `Peering${i}to${j}`, { vpcId: vpcs[i].vpcId, peerVpcId: vpcs[j].vpcId });
    for (const [from, to] of [[i, j], [j, i]]) {
      vpcs[from].isolatedSubnets.forEach((subnet, k) => {
        new ec2.CfnRoute(stack, `Route${i}to${j}From${from}Table${k}`, {
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
  (variant === 'library' ? library : handWritten)(stack, vpcs);
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

function main(): void {
  // Warm up module loading and JIT for both variants.
  run('library', 3); run('hand-written', 3);
  console.log(`VPC full mesh, median of ${RUNS} interleaved runs (construct + synth)`);
  console.log('N  | peerings | library ms | hand-written ms | ratio | resources (library / hand-written)');
  let failed = false;
  for (const n of SIZES) {
    const times: Record<Variant, number[]> = { 'library': [], 'hand-written': [] };
    let counts: Record<Variant, Record<string, number>> = { 'library': {}, 'hand-written': {} };
    for (let r = 0; r < RUNS; r++) {
      const order: Variant[] = r % 2 === 0 ? ['library', 'hand-written'] : ['hand-written', 'library'];
      for (const variant of order) {
        const result = run(variant, n);
        times[variant].push(result.ms);
        counts = { ...counts, [variant]: result.resources };
      }
    }
    const lib = median(times.library);
    const hand = median(times['hand-written']);
    const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    const same = JSON.stringify(Object.entries(counts.library).sort()) === JSON.stringify(Object.entries(counts['hand-written']).sort());
    failed ||= !same;
    console.log(`${String(n).padEnd(2)} | ${String(pairs(n).length).padEnd(8)} | ${lib.toFixed(1).padStart(10)} | ${hand.toFixed(1).padStart(15)} | ${(lib / hand).toFixed(2)}  | ${total(counts.library)} / ${total(counts['hand-written'])}${same ? ' (identical by type)' : ' (DIFFERENT)'}`);
    if (!same) {
      console.log('  library:', counts.library, '\n  hand-written:', counts['hand-written']);
    }
  }
  if (failed) { process.exitCode = 1; }
}

main();
