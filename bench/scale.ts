/**
 * The scale part of `npm run bench`: how synthesis and analysis grow with the size of the network.
 *
 * Cases: a full PeeringMesh of 10, 20 and 40 VPCs, a TransitGatewayHub of 50 and 100 spokes, and
 * a transit network of 300 spokes in 30 accounts and 3 regions (three peered hubs, segments, see
 * buildNetwork), each VPC in a stack of its own (the mesh and the hubs in more stacks), every VPC the same
 * shape: 2 AZs, public + private subnets, one NAT gateway, so 4 route tables that each get a
 * route toward every other VPC. The hub's spoke tables hold 99 routes each, within AWS's default
 * quota of 500 routes per route table, so no case sets the quotas context.
 *
 * Measured per case (median of BENCH_SCALE_RUNS runs, default 3, each in a fresh App):
 * - synth: constructing the VPCs and the mesh/hub plus app.synth(), with aws-cdk-lib's built-in
 *   CloudFormation validation off (as in bench/mesh.ts), so the time is the library's and CDK's.
 * - ms/route: synth time per route the library created. Routes are what grows fastest (n(n-1)
 *   per table), so flat ms/route from the smallest to the largest case means synthesis grows
 *   linearly with the work; a rising one points at something superlinear (a pairwise check, a
 *   scan of the whole app per construct).
 * - lib ms/route: the same after subtracting the synth time of the same VPCs and stacks without
 *   the mesh or hub ("VPCs alone"). The VPCs cost the same per VPC whatever the routes, so they
 *   make plain ms/route fall as cases grow and could hide a superlinear library; this one cannot.
 * - analysis: NetworkModel.fromAssembly on the synthesized cloud assembly plus its findings
 *   ("model"), then canReach for every ordered pair of VPCs ("matrix"), and again on port 443
 *   (":443": security groups and network ACLs too): what `cdk-vpc-connect analyze` and the
 *   network matchers do on that app.
 *
 * Checks (exit code 1, with the reason, when one fails): every stack under 500 resources
 * (CloudFormation's quota); the 40-VPC mesh is analysed (model, findings, and both matrices,
 * routes only and on port 443) in under a tenth of its synthesis time; ms/route
 * and lib ms/route of the case with the most routes at most 2x those of the case with the
 * fewest; every ordered pair of VPCs reachable in the model (a full mesh and a hub without
 * isolated spokes connect everything: a model that missed routes would analyse faster for the
 * wrong reason).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { NetworkModel, PeeringMesh, TransitGatewayHub, TransitGatewayPeering, TransitGatewaySpoke } from '../lib';

const RUNS = Math.max(1, Number(process.env.BENCH_SCALE_RUNS ?? 3));
const ENV = { account: '111111111111', region: 'us-east-1' };
const STACK_RESOURCE_LIMIT = 500;

type Kind = 'mesh' | 'hub' | 'network';
interface Case { readonly kind: Kind; readonly n: number }

const CASES: Case[] = [
  { kind: 'mesh', n: 10 },
  { kind: 'mesh', n: 20 },
  { kind: 'mesh', n: 40 },
  { kind: 'hub', n: 50 },
  { kind: 'hub', n: 100 },
  { kind: 'network', n: 300 },
];

/**
 * The multi-account, multi-region case (issue 14): three regions, a hub in each, in one network
 * account, peered with each other; 300 spokes spread over 30 accounts (10 per region), attached
 * with TransitGatewaySpoke through RAM; segments shared, prod and dev (prod and dev reach shared).
 */
const NETWORK_ACCOUNT = '111111111111';
const NETWORK_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const NETWORK_ACCOUNTS = 30;

function spokeEnv(i: number): { account: string; region: string } {
  const account = i % NETWORK_ACCOUNTS;
  return { account: String(200000000000 + account), region: NETWORK_REGIONS[account % NETWORK_REGIONS.length] };
}

function spokeSegment(i: number): string {
  return i % 10 === 0 ? 'shared' : i % 2 === 1 ? 'prod' : 'dev';
}

/** A /20 per spoke inside 10.0.0.0/8 (16 per /16), so 300 spokes never overlap. */
function spokeCidr(i: number): string {
  return `10.${Math.floor(i / 16)}.${(i % 16) * 16}.0/20`;
}

function newSpokeVpc(app: App, i: number): ec2.Vpc {
  const stack = new Stack(app, `Spoke${i}`, { env: spokeEnv(i) });
  return new ec2.Vpc(stack, 'Vpc', { ipAddresses: ec2.IpAddresses.cidr(spokeCidr(i)), maxAzs: 2, natGateways: 1 });
}

/** The hubs, spokes and peerings of the network case; returns the count of connections and a route counter. */
function buildNetwork(app: App, n: number): { connections: number; routes: () => number } {
  const hubs = NETWORK_REGIONS.map((region) => {
    const accounts = Array.from({ length: NETWORK_ACCOUNTS }, (_, a) => a).filter((a) => NETWORK_REGIONS[a % NETWORK_REGIONS.length] === region)
      .map((a) => String(200000000000 + a));
    return new TransitGatewayHub(new Stack(app, `Network-${region}`, { env: { account: NETWORK_ACCOUNT, region } }), 'Hub', {
      segments: [{ name: 'shared' }, { name: 'prod', reaches: ['shared'] }, { name: 'dev', reaches: ['shared'] }],
      shareWith: { accounts },
    });
  });
  const spokes = Array.from({ length: n }, (_, i) => {
    const vpc = newSpokeVpc(app, i);
    const hub = hubs[NETWORK_REGIONS.indexOf(spokeEnv(i).region)];
    return new TransitGatewaySpoke(Stack.of(vpc), 'Spoke', { hub, vpc, segment: spokeSegment(i) });
  });
  const peerings = [[0, 1], [1, 2], [0, 2]].map(([a, b]) =>
    new TransitGatewayPeering(Stack.of(hubs[a]), `To-${NETWORK_REGIONS[b]}`, { hubs: [hubs[a], hubs[b]] }));
  return {
    connections: spokes.length + peerings.length,
    routes: () => spokes.reduce((sum, s) => sum + s.routes.length, 0) + hubs.reduce((sum, h) => sum + h.routes.length, 0),
  };
}

interface Measure {
  readonly connections: number;
  readonly routes: number;
  readonly stacks: number;
  readonly resources: number;
  readonly largestStack: string;
  readonly largest: number;
  readonly synthMs: number;
  readonly modelMs: number;
  readonly matrixMs: number;
  readonly portMatrixMs: number;
  readonly pairs: number;
  readonly reachable: number;
  readonly reachableOn443: number;
  readonly findings: number;
}

function newVpc(app: App, id: string, i: number): ec2.Vpc {
  const stack = new Stack(app, id, { env: ENV });
  return new ec2.Vpc(stack, 'Vpc', { ipAddresses: ec2.IpAddresses.cidr(`10.${i}.0.0/16`), maxAzs: 2, natGateways: 1 });
}

/** Construct and synthesize the same VPCs and stacks without the mesh or hub: the time the library's routes come on top of. */
function runVpcsAlone({ kind, n }: Case): number {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-vpc-connect-bench-'));
  try {
    const start = performance.now();
    const app = new App({ outdir, builtinCloudFormationValidation: false } as ConstructorParameters<typeof App>[0]);
    if (kind === 'network') {
      Array.from({ length: n }, (_, i) => newSpokeVpc(app, i));
      NETWORK_REGIONS.forEach((region) => new Stack(app, `Network-${region}`, { env: { account: NETWORK_ACCOUNT, region } }));
    } else {
      Array.from({ length: n }, (_, i) => newVpc(app, `${kind === 'mesh' ? 'Vpc' : 'Spoke'}${i}`, i));
      new Stack(app, kind === 'mesh' ? 'Mesh' : 'Hub', { env: ENV });
    }
    app.synth();
    return performance.now() - start;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function runCase({ kind, n }: Case): Measure {
  if (kind !== 'network' && n > 256) { throw new Error(`${n} VPCs do not fit in 10.x.0.0/16 with x < 256`); }
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-vpc-connect-bench-'));
  try {
    const start = performance.now();
    const app = new App({ outdir, builtinCloudFormationValidation: false } as ConstructorParameters<typeof App>[0]);
    let connections: number;
    let routes: () => number;
    if (kind === 'mesh') {
      const vpcs = Array.from({ length: n }, (_, i) => newVpc(app, `Vpc${i}`, i));
      const mesh = new PeeringMesh(new Stack(app, 'Mesh', { env: ENV }), 'Mesh', { vpcs });
      connections = mesh.peerings.length;
      routes = () => mesh.routes.length;
    } else if (kind === 'network') {
      ({ connections, routes } = buildNetwork(app, n));
    } else {
      const spokes = Array.from({ length: n }, (_, i) => newVpc(app, `Spoke${i}`, i));
      const hub = new TransitGatewayHub(new Stack(app, 'Hub', { env: ENV }), 'Hub', { spokes });
      connections = hub.spokes.length;
      routes = () => hub.routes.length;
    }
    const assembly = app.synth();
    const synthMs = performance.now() - start;

    let t = performance.now();
    const model = NetworkModel.fromAssembly(assembly.directory);
    const findings = model.findings.length;
    const modelMs = performance.now() - t;
    t = performance.now();
    let pairs = 0;
    let reachable = 0;
    for (const from of model.vpcs) {
      for (const to of model.vpcs) {
        if (from === to) { continue; }
        pairs++;
        if (model.canReach(from.name, to.name).reachable) { reachable++; }
      }
    }
    const matrixMs = performance.now() - t;
    // The same matrix with a port: security groups and network ACLs checked too (issue 12).
    t = performance.now();
    let reachableOn443 = 0;
    for (const from of model.vpcs) {
      for (const to of model.vpcs) {
        if (from !== to && model.canReach(from.name, to.name, { port: 443 }).reachable) { reachableOn443++; }
      }
    }
    const portMatrixMs = performance.now() - t;

    let resources = 0;
    let largest = 0;
    let largestStack = '';
    for (const stack of assembly.stacks) {
      const count = Object.keys(stack.template.Resources ?? {}).length;
      resources += count;
      if (count > largest) { largest = count; largestStack = stack.stackName; }
    }
    return {
      connections, routes: routes(), stacks: assembly.stacks.length, resources, largestStack, largest,
      synthMs, modelMs, matrixMs, portMatrixMs, pairs, reachable, reachableOn443, findings,
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function label(c: Case): string {
  return `${c.kind} ${c.n}`;
}

export function main(): void {
  const benchStart = performance.now();
  // Warm up module loading and JIT on both constructs.
  runCase({ kind: 'mesh', n: 3 });
  runCase({ kind: 'hub', n: 3 });

  console.log(`\nScale: one stack per VPC (2 AZs, public + private subnets: 4 route tables), median of ${RUNS} run${RUNS > 1 ? 's' : ''}, compiled JS`);
  console.log('synth = construct + app.synth() (built-in validation off); model = NetworkModel.fromAssembly + findings; matrix = canReach for every ordered pair of VPCs (routes only); :443 = the same with { port: 443 } (security groups and network ACLs too)');
  console.log('VPCs alone = the same VPCs and stacks without the mesh/hub; lib ms/route = (synth - VPCs alone) / routes');
  const header = ['case', 'VPCs', 'peerings/attach.', 'routes', 'stacks', 'resources', 'largest stack', 'synth ms', 'ms/route', 'VPCs alone ms', 'lib ms/route', 'model ms', 'matrix ms', ':443 ms', 'analysis/synth', 'reachable pairs'];
  const widths = [8, 4, 16, 6, 6, 9, 19, 8, 8, 13, 12, 8, 9, 7, 14, 15];
  const row = (cells: string[]) => cells.map((c, i) => (i === 0 || i === 6 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ');
  console.log(row(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));

  const results: Array<{ c: Case; m: Measure; msPerRoute: number; libMsPerRoute: number; analysisMs: number }> = [];
  // BENCH_SCALE_CASES=network (or mesh, hub, or a label such as "mesh 40") runs only those cases.
  const only = process.env.BENCH_SCALE_CASES?.split(',').map((x) => x.trim()).filter((x) => x !== '');
  for (const c of CASES.filter((x) => !only || only.some((o) => o === x.kind || o === label(x)))) {
    const alone: number[] = [];
    const runs = Array.from({ length: RUNS }, () => {
      alone.push(runVpcsAlone(c));
      return runCase(c);
    });
    const last = runs[runs.length - 1];
    const synthMs = median(runs.map((r) => r.synthMs));
    const modelMs = median(runs.map((r) => r.modelMs));
    const matrixMs = median(runs.map((r) => r.matrixMs));
    const portMatrixMs = median(runs.map((r) => r.portMatrixMs));
    const m: Measure = { ...last, synthMs, modelMs, matrixMs, portMatrixMs };
    const aloneMs = median(alone);
    const msPerRoute = synthMs / m.routes;
    const libMsPerRoute = (synthMs - aloneMs) / m.routes;
    const analysisMs = modelMs + matrixMs + portMatrixMs;
    results.push({ c, m, msPerRoute, libMsPerRoute, analysisMs });
    console.log(row([
      label(c), String(c.n), String(m.connections), String(m.routes), String(m.stacks), String(m.resources),
      `${m.largest} (${m.largestStack})`, synthMs.toFixed(0), msPerRoute.toFixed(3), aloneMs.toFixed(0), libMsPerRoute.toFixed(3), modelMs.toFixed(0), matrixMs.toFixed(0), portMatrixMs.toFixed(0),
      (analysisMs / synthMs).toFixed(2), `${m.reachable}/${m.pairs}${m.reachableOn443 === m.reachable ? '' : ` (:443 ${m.reachableOn443})`}`,
    ]));
  }

  const failures: string[] = [];
  for (const { c, m } of results) {
    if (m.largest >= STACK_RESOURCE_LIMIT) {
      failures.push(`${label(c)}: stack ${m.largestStack} has ${m.largest} resources, not under ${STACK_RESOURCE_LIMIT}`);
    }
    // A full mesh and a hub without isolated spokes connect everything; the network case's
    // segments keep prod and dev apart, so its count is reported, not checked.
    if (c.kind !== 'network' && (m.reachable !== m.pairs || m.reachableOn443 !== m.pairs)) {
      failures.push(`${label(c)}: the model finds ${m.reachable} (on 443: ${m.reachableOn443}) of ${m.pairs} ordered pairs of VPCs reachable; every pair should be`);
    }
  }
  const mesh40 = results.find((r) => r.c.kind === 'mesh' && r.c.n === 40);
  // Issue 12: the model with ports and its full matrices stay under a tenth of the synthesis time.
  if (mesh40 && mesh40.analysisMs >= mesh40.m.synthMs / 10) {
    failures.push(`mesh 40: analysis takes ${mesh40.analysisMs.toFixed(0)} ms, not under a tenth of synth's ${mesh40.m.synthMs.toFixed(0)} ms`);
  }
  if (results.length === 0) { throw new Error(`BENCH_SCALE_CASES=${process.env.BENCH_SCALE_CASES} matches no case`); }
  const byRoutes = [...results].sort((a, b) => a.m.routes - b.m.routes);
  const smallest = byRoutes[0];
  const largest = byRoutes[byRoutes.length - 1];
  const growth = largest.msPerRoute / smallest.msPerRoute;
  if (growth > 2) {
    failures.push(`ms/route grows ${growth.toFixed(2)}x from ${label(smallest.c)} (${smallest.m.routes} routes, ${smallest.msPerRoute.toFixed(3)}) ` +
      `to ${label(largest.c)} (${largest.m.routes} routes, ${largest.msPerRoute.toFixed(3)}): synthesis grows faster than the routes`);
  }
  // The VPCs' own cost per route shrinks as routes grow n(n-1), which could hide a superlinear
  // library: check the library's share alone too.
  const libGrowth = largest.libMsPerRoute / smallest.libMsPerRoute;
  if (libGrowth > 2) {
    failures.push(`lib ms/route grows ${libGrowth.toFixed(2)}x from ${label(smallest.c)} (${smallest.libMsPerRoute.toFixed(3)}) ` +
      `to ${label(largest.c)} (${largest.libMsPerRoute.toFixed(3)}): the library's synthesis grows faster than its routes`);
  }

  const maxStack = Math.max(...results.map((r) => r.m.largest));
  console.log(`\nchecks: every stack < ${STACK_RESOURCE_LIMIT} resources (largest: ${maxStack})` +
    (mesh40 ? `; mesh 40 analysis ${mesh40.analysisMs.toFixed(0)} ms vs synth ${mesh40.m.synthMs.toFixed(0)} ms (limit a tenth)` : '') +
    `; ${label(smallest.c)} -> ${label(largest.c)}: ms/route ${growth.toFixed(2)}x, lib ms/route ${libGrowth.toFixed(2)}x (limit 2x); every pair of the meshes and hubs reachable in the model`);
  console.log(`scale part took ${((performance.now() - benchStart) / 1000).toFixed(0)} s`);
  if (failures.length > 0) {
    failures.forEach((f) => console.log(`FAIL ${f}`));
    process.exitCode = 1;
  } else {
    console.log('all scale checks pass');
  }
}

if (require.main === module) {
  main();
}
