import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Protocol } from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { FakeModel, finding, oneWayFinding, roundTrip, vpc } from './support-fake-model';
import { modelApp } from './support-model-app';
import { AnalyzeCliIo, EXIT, failingFindings, formatFindings, formatReachabilityMatrix, runAnalyzeCli, USAGE } from '../../lib/analysis/cli';
import { FindingRules, FindingSeverity, ReachOptions, TargetKind } from '../../lib/analysis/types';
import { VpcPeering } from '../../lib/peering/vpc-peering';
import { testVpc } from '../support/vpcs';

/** An io that records what the command printed and wrote. */
class RecordingIo implements AnalyzeCliIo {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  readonly files: Record<string, string> = {};
  constructor(private readonly failWrites = false) {}
  out(text: string) { this.stdout.push(text); }
  err(text: string) { this.stderr.push(text); }
  writeFile(file: string, text: string) {
    if (this.failWrites) {
      throw new Error(`EACCES: permission denied, open '${file}'`);
    }
    this.files[file] = text;
  }
  get out_(): string { return this.stdout.join('\n'); }
  get err_(): string { return this.stderr.join('\n'); }
}

function run(argv: string[], io = new RecordingIo()): { code: number; io: RecordingIo } {
  return { code: runAnalyzeCli(argv, io), io };
}

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'templates');

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'vc-cli-'));
}

/** Synthesize a stack with VPCs A and B and a peering with routes from A to B only, plus an unpeered VPC C. */
function oneWayAssembly(): string {
  const app = modelApp();
  const stack = new Stack(app, 'Net');
  const a = testVpc(stack, 'VpcA', '10.0.0.0/16', { groups: ['Isolated'], maxAzs: 1 });
  const b = testVpc(stack, 'VpcB', '10.1.0.0/16', { groups: ['Isolated'], maxAzs: 1 });
  testVpc(stack, 'VpcC', '10.2.0.0/16', { groups: ['Isolated'], maxAzs: 1 });
  const pcx = new ec2.CfnVPCPeeringConnection(stack, 'AtoB', { vpcId: a.vpcId, peerVpcId: b.vpcId });
  new ec2.CfnRoute(stack, 'AtoBRoute', {
    routeTableId: a.isolatedSubnets[0].routeTable.routeTableId,
    destinationCidrBlock: '10.1.0.0/16',
    vpcPeeringConnectionId: pcx.ref,
  });
  return app.synth().directory;
}

/**
 * Two VPCs peered by the library; B's subnets have a network ACL that admits TCP 443 from A only
 * (and sends anything to A): A reaches B on 443, not on 22; B's replies and requests to A come
 * back only on 443, so B reaches A on no port.
 */
function aclAssembly(): string {
  const app = modelApp({ 'aws:cdk:enable-path-metadata': true });
  const stack = new Stack(app, 'Acl');
  const a = testVpc(stack, 'VpcA', '10.0.0.0/16', { groups: ['Isolated'], maxAzs: 1 });
  const b = testVpc(stack, 'VpcB', '10.1.0.0/16', { groups: ['Isolated'], maxAzs: 1 });
  new VpcPeering(stack, 'AtoB', { requester: a, accepter: b });
  const acl = new ec2.NetworkAcl(stack, 'BAcl', { vpc: b, subnetSelection: { subnets: b.isolatedSubnets } });
  acl.addEntry('In443', { ruleNumber: 100, cidr: ec2.AclCidr.ipv4('10.0.0.0/16'), traffic: ec2.AclTraffic.tcpPort(443), direction: ec2.TrafficDirection.INGRESS });
  acl.addEntry('OutAll', { ruleNumber: 100, cidr: ec2.AclCidr.ipv4('10.0.0.0/16'), traffic: ec2.AclTraffic.allTraffic(), direction: ec2.TrafficDirection.EGRESS });
  return app.synth().directory;
}

/** Synthesize two VPCs peered by the library, with path metadata as cdk synth writes it. */
function peeredAssembly(): string {
  const app = modelApp({ 'aws:cdk:enable-path-metadata': true });
  const stack = new Stack(app, 'Peered');
  const a = testVpc(stack, 'VpcA', '10.0.0.0/16');
  const b = testVpc(stack, 'VpcB', '10.1.0.0/16');
  new VpcPeering(stack, 'AtoB', { requester: a, accepter: b });
  return app.synth().directory;
}

describe('runAnalyzeCli', () => {
  describe('usage', () => {
    test.each([['--help'], ['-h'], ['help'], ['analyze', 'cdk.out', '--help']])('%s prints the usage and exits 0', (...argv) => {
      const { code, io } = run(argv);
      expect(code).toBe(EXIT.OK);
      expect(io.out_).toBe(USAGE);
      expect(io.stderr).toEqual([]);
    });

    test('the usage gives the default route table quota, 500', () => {
      expect(USAGE).toMatch(/--routes-per-route-table N +the route table quota of the route-quota rule \(default: 500\)/);
    });

    test.each<[string, string[], RegExp]>([
      ['no command', [], /no command; the command is analyze/],
      ['an unknown command', ['analyse', 'cdk.out'], /unknown command 'analyse'; the command is analyze/],
      ['an unknown option', ['analyze', '--diagarm', 'x.mmd'], /unknown option '--diagarm'/],
      ['--diagram without a file', ['analyze', '--diagram'], /--diagram needs a value/],
      ['--diagram followed by an option', ['analyze', '--diagram', '--fail-on', 'error'], /--diagram needs a value/],
      ['--diagram= empty', ['analyze', '--diagram='], /--diagram needs a value/],
      ['a bad --fail-on', ['analyze', '--fail-on', 'fatal'], /--fail-on is 'fatal'; use one of error, warning, info, never/],
      ['a bad --routes-per-route-table', ['analyze', '--routes-per-route-table=0'], /--routes-per-route-table is '0'; it must be a positive whole number/],
      ['a fractional --routes-per-route-table', ['analyze', '--routes-per-route-table', '2.5'], /is '2.5'/],
      ['a --routes-per-route-table above what AWS allows', ['analyze', '--routes-per-route-table', '1001'],
        /--routes-per-route-table is 1001; AWS allows at most 1000 routes per route table\./],
      ['a --parameters that is not Stack:Key=Value', ['analyze', '--parameters', 'Cidr=10.0.0.0/16'], /--parameters 'Cidr=10\.0\.0\.0\/16' is not Stack:Key=Value/],
      ['a --port that is not a number', ['analyze', '--port', 'https'], /--port is 'https'; it must be a whole number from 0 to 65535 \(for --protocol icmp, the ICMP type: 0 to 255\)\./],
      ['a --port above 65535', ['analyze', '--port=70000'], /--port is '70000'; it must be a whole number from 0 to 65535/],
      ['--port without a value', ['analyze', '--port'], /--port needs a value/],
      ['an unknown --protocol', ['analyze', '--protocol', 'sctp'], /--protocol is 'sctp'; use one of tcp, udp, icmp\./],
      ['an ICMP type above 255', ['analyze', '--protocol', 'icmp', '--port', '443'], /--port is 443 with --protocol icmp; for ICMP it is the ICMP type, 0 to 255 \(8: echo request\)\./],
    ])('%s: exit 2 with a message', (_name, argv, message) => {
      // WHEN
      const { code, io } = run(argv);
      // THEN
      expect(code).toBe(EXIT.USAGE);
      expect(io.err_).toMatch(message);
      expect(io.err_).toMatch(/Run cdk-vpc-connect --help for the usage/);
      expect(io.stdout).toEqual([]);
    });
  });

  describe('nothing that can be read: exit 2', () => {
    test('a missing directory', () => {
      const missing = path.join(tmpDir(), 'cdk.out');
      const { code, io } = run(['analyze', missing]);
      expect(code).toBe(EXIT.USAGE);
      expect(io.err_).toBe(`cdk-vpc-connect: ${missing} does not exist. Synthesize the app first (npx cdk synth), or name its cloud assembly directory: ` +
        'cdk-vpc-connect analyze DIR (or name template files: cdk-vpc-connect analyze vpc.yaml peering.yaml).');
    });

    test('the default directory is cdk.out in the working directory', () => {
      // GIVEN a working directory without cdk.out
      const cwd = process.cwd();
      process.chdir(tmpDir());
      try {
        // WHEN
        const { code, io } = run(['analyze']);
        // THEN
        expect(code).toBe(EXIT.USAGE);
        expect(io.err_).toMatch(/^cdk-vpc-connect: cdk.out does not exist\. Synthesize the app first/);
      } finally {
        process.chdir(cwd);
      }
    });

    test('the manifest of a cloud assembly', () => {
      const file = path.join(tmpDir(), 'manifest.json');
      fs.writeFileSync(file, '{}');
      const { code, io } = run(['analyze', file]);
      expect(code).toBe(EXIT.USAGE);
      expect(io.err_).toBe(`cdk-vpc-connect: ${file} is a cloud assembly's manifest, not a template; name the cloud assembly directory that holds it (cdk.out).`);
    });

    test('a directory without manifest.json nor templates', () => {
      const dir = tmpDir();
      const { code, io } = run(['analyze', dir]);
      expect(code).toBe(EXIT.USAGE);
      expect(io.err_).toBe(`cdk-vpc-connect: ${dir} holds no template file (*.json, *.yaml, *.yml, *.template) and is not a cloud assembly (no manifest.json).`);
    });

    test('a cloud assembly with other inputs', () => {
      const dir = tmpDir();
      fs.writeFileSync(path.join(dir, 'manifest.json'), '{}');
      const { code, io } = run(['analyze', dir, path.join(FIXTURES, 'firewall.yaml')]);
      expect(code).toBe(EXIT.USAGE);
      expect(io.err_).toMatch(/is a cloud assembly \(it has a manifest\.json\): analyse it alone, not with .*firewall\.yaml\.$/);
    });

    test('a template that is not YAML, or values for a parameter the template does not have', () => {
      const file = path.join(tmpDir(), 'net.yaml');
      fs.writeFileSync(file, 'Resources: [unclosed\n');
      expect(run(['analyze', file]).io.err_).toMatch(new RegExp(`^cdk-vpc-connect: cannot analyse the templates ${file}: Template ${file} is neither JSON nor valid YAML at line`));
      const { code, io } = run(['analyze', path.join(FIXTURES, 'firewall.yaml'), '--parameters', 'firewall:Nope=1']);
      expect(code).toBe(EXIT.USAGE);
      expect(io.err_).toMatch(/Stack 'firewall' has no parameter 'Nope' \(a value is given for it\)\. Its parameters are: Az/);
    });

    test('a manifest that is not JSON', () => {
      const dir = tmpDir();
      fs.writeFileSync(path.join(dir, 'manifest.json'), '{ not json');
      const { code, io } = run(['analyze', dir]);
      expect(code).toBe(EXIT.USAGE);
      expect(io.err_).toMatch(new RegExp(`^cdk-vpc-connect: cannot analyse the cloud assembly ${dir}: .*manifest.json is not valid JSON`));
    });
  });

  describe('on a synthesized app', () => {
    let oneWay: string;
    let peered: string;
    beforeAll(() => {
      oneWay = oneWayAssembly();
      peered = peeredAssembly();
    });

    test('prints the VPCs, the matrix and the findings; exits 1 on an error finding', () => {
      // WHEN
      const { code, io } = run(['analyze', oneWay]);
      // THEN
      expect(code).toBe(EXIT.FINDINGS);
      const out = io.out_;
      expect(out).toMatch(/^Cloud assembly .*: 3 VPCs, 1 peering connection, 0 transit gateways, 0 VPC endpoints\./);
      expect(out).toMatch(/ {2}1 {2}Net\/VpcA\w* {2}10\.0\.0\.0\/16\n {2}2 {2}Net\/VpcB\w* {2}10\.1\.0\.0\/16\n {2}3 {2}Net\/VpcC\w* {2}10\.2\.0\.0\/16/);
      // A to B is one way: no round trip either way; each VPC reaches itself
      expect(out).toContain([
        '     1      2      3',
        '  1  local  —      —',
        '  2  —      local  —',
        '  3  —      —      local',
      ].join('\n'));
      expect(out).toMatch(/\nERROR \(1\)\n {2}vpc-connect\/one-way-route {2}Net\/AtoBRoute.*\n {4}.*replies are dropped\.\n {4}Fix: Add routes toward 10\.0\.0\.0\/24/);
      expect(io.err_).toBe('cdk-vpc-connect: 1 finding at or above error.');
    });

    test('--fail-on never exits 0 with the same report', () => {
      const { code, io } = run(['analyze', oneWay, '--fail-on=never']);
      expect(code).toBe(EXIT.OK);
      expect(io.out_).toContain('vpc-connect/one-way-route');
      expect(io.stderr).toEqual([]);
    });

    test('a peered app: pcx both ways, construct paths from the metadata, no finding, exit 0', () => {
      // WHEN
      const { code, io } = run(['analyze', peered, '--fail-on', 'info']);
      // THEN
      expect(code).toBe(EXIT.OK);
      expect(io.out_).toContain('  1  Peered/VpcA  10.0.0.0/16\n  2  Peered/VpcB  10.1.0.0/16');
      expect(io.out_).toContain('  1  local  pcx\n  2  pcx    local');
      expect(io.out_).toContain('Findings: none.');
    });

    test('--port and --protocol: the matrix checks that traffic through the network ACLs too; without them, routes only', () => {
      // GIVEN
      const dir = aclAssembly();
      // WHEN
      const routesOnly = run(['analyze', dir]).io.out_;
      const https = run(['analyze', dir, '--port', '443']).io.out_;
      const ssh = run(['analyze', dir, '--port=22', '--protocol', 'tcp']).io.out_;
      const udp = run(['analyze', dir, '--protocol', 'udp']).io.out_;
      // THEN
      expect(routesOnly).toContain('Reachability (row: from, column: to; a round trip and the kinds of routes it takes):\n     1      2\n  1  local  pcx\n  2  pcx    local');
      expect(https).toContain('Reachability of tcp port 443 (row: from, column: to; a round trip through the routes,\n' +
        'security groups and network ACLs, and the kinds of routes it takes):\n     1      2\n  1  local  pcx\n  2  —      local');
      expect(ssh).toContain('Reachability of tcp port 22 (');
      expect(ssh).toContain('     1      2\n  1  local  —\n  2  —      local');
      expect(udp).toContain('Reachability of any udp port (');
      expect(udp).toContain('     1      2\n  1  local  —\n  2  —      local');
    });

    test('--routes-per-route-table reaches the model', () => {
      // GIVEN the peered app's route tables hold 2 routes (local, pcx)
      // WHEN
      const { code, io } = run(['analyze', peered, '--routes-per-route-table', '1']);
      // THEN
      expect(code).toBe(EXIT.FINDINGS);
      expect(io.out_).toMatch(/vpc-connect\/route-quota/);
    });

    test('--diagram writes the Mermaid diagram', () => {
      // WHEN
      const { code, io } = run(['analyze', peered, '--diagram', 'net.mmd']);
      // THEN
      expect(code).toBe(EXIT.OK);
      expect(Object.keys(io.files)).toEqual(['net.mmd']);
      expect(io.files['net.mmd']).toMatch(/^flowchart LR\n/);
      expect(io.files['net.mmd']).toContain('vpc_Peered_VpcA ---|pcx| vpc_Peered_VpcB');
      expect(io.out_).toMatch(/\nDiagram written to net.mmd\.$/);
    });

    test('--diagram FILE.md wraps it in a mermaid code block', () => {
      const { io } = run(['analyze', peered, '--diagram=docs/network.md']);
      expect(io.files['docs/network.md']).toMatch(/^```mermaid\nflowchart LR\n[\s\S]*\n```\n$/);
    });

    test('a diagram that cannot be written: exit 2 with the reason', () => {
      const { code, io } = run(['analyze', peered, '--diagram', '/readonly/net.mmd'], new RecordingIo(true));
      expect(code).toBe(EXIT.USAGE);
      expect(io.err_).toBe("cdk-vpc-connect: cannot write the diagram to /readonly/net.mmd: EACCES: permission denied, open '/readonly/net.mmd'");
    });
  });
});

describe('runAnalyzeCli on plain CloudFormation templates', () => {
  test('template files: stacks named after the files, conditions and defaults applied, exit 0', () => {
    // WHEN
    const { code, io } = run(['analyze', path.join(FIXTURES, 'quickstart-vpc.yaml'), path.join(FIXTURES, 'firewall.yaml'), '--fail-on', 'info']);
    // THEN
    expect(code).toBe(EXIT.OK);
    expect(io.out_).toMatch(/^Templates \S*quickstart-vpc\.yaml, \S*firewall\.yaml: 2 VPCs, 0 peering connections, 0 transit gateways, 1 VPC endpoint\./);
    expect(io.out_).toContain('  1  quickstart-vpc/VPC  10.0.0.0/16\n  2  firewall/Vpc  10.30.0.0/16');
    expect(io.out_).toContain('  1  local  —\n  2  —      local');
    expect(io.out_).toContain('Findings: none.');
    expect(io.stderr).toEqual([]);
  });

  test('a directory of templates: the nested stack is read through its parent, --parameters reach it', () => {
    // WHEN
    const { code, io } = run(['analyze', path.join(FIXTURES, 'nested'), '--parameters', 'parent:SharedCidr=10.2.0.0/16', '--fail-on=info']);
    // THEN
    expect(code).toBe(EXIT.OK);
    expect(io.out_).toMatch(/^Templates .*parent\.yaml, .*shared-services\.yaml: 2 VPCs, 1 peering connection/);
    expect(io.out_).toContain('  1  parent/AppVpc  10.1.0.0/16\n  2  parent/SharedServices/Vpc  10.2.0.0/16');
    expect(io.out_).toContain('  1  local  pcx\n  2  pcx    local');
  });

  test('without the parameter: uncertain cells and info findings whose fix names --parameters', () => {
    const { code, io } = run(['analyze', path.join(FIXTURES, 'nested', 'parent.yaml'), '--fail-on', 'info']);
    expect(code).toBe(EXIT.FINDINGS);
    expect(io.out_).toContain('(not all blocks known)');
    expect(io.out_).toMatch(/Fix: Give the template's AWS::EC2::VPC a literal CidrBlock, or the parameter it reads a value with --parameters Stack:Key=Value/);
    expect(io.err_).toBe('cdk-vpc-connect: 2 findings at or above info.');
  });

  test('routes written by a custom resource: uncertain cells through its table and the unmodelled-routes finding', () => {
    const { code, io } = run(['analyze', path.join(FIXTURES, 'route-writer.yaml')]);
    expect(code).toBe(EXIT.OK);
    // Within the accepter VPC too: a route more specific than the local one may be written.
    expect(io.out_).toContain('  1  local   ?\n  2  ?       local?');
    expect(io.out_).toMatch(/ {2}1 -> 2: The reply is lost: .*\(routes that route-writer\/AccepterRoutesBack \(Custom::PeeringRoutes\) may write\)\./);
    expect(io.out_).toMatch(/INFO \(1\)\n {2}vpc-connect\/unmodelled-routes {2}route-writer\/AccepterRoutesBack, route-writer\/AccepterRouteTable/);
  });

  test('the usage names template files and --parameters', () => {
    expect(USAGE).toMatch(/^Usage: cdk-vpc-connect analyze \[DIR \| TEMPLATE\.\.\.\] \[options\]/);
    expect(USAGE).toMatch(/--parameters STACK:KEY=VALUE {2}the value of a template parameter \(repeat it for each\);/);
  });
});

describe('formatReachabilityMatrix', () => {
  test('numbers the VPCs and prints one cell per pair: path kind, — or ?', () => {
    // GIVEN
    const model = new FakeModel({
      vpcs: [vpc('A', '10.0.0.0/16'), vpc('B', '10.1.0.0/16'), { name: 'C', stack: 'S', cidrs: [], certain: false }],
      peerings: [{ name: 'AB', requester: 'A', accepter: 'B' }],
      answers: {
        'A|C': { reachable: true, certain: false, path: roundTrip('A', 'C', TargetKind.TRANSIT_GATEWAY, 'tgw-1').path, reason: 'C is imported' },
        'C|A': { reachable: false, certain: false, path: [], reason: 'the routes of C are not known' },
      },
    });
    // WHEN
    const lines = formatReachabilityMatrix(model);
    // THEN
    expect(lines.slice(0, 4)).toEqual(['VPCs:', '  1  A  10.0.0.0/16', '  2  B  10.1.0.0/16', '  3  C  CIDR unknown (not all blocks known)']);
    expect(lines.slice(5, 10)).toEqual([
      'Reachability (row: from, column: to; a round trip and the kinds of routes it takes):',
      '     1      2      3',
      '  1  local  pcx    tgw?',
      '  2  pcx    local  —',
      '  3  ?      —      local',
    ]);
    expect(lines.slice(-3)).toEqual(['Why the model cannot tell:', '  1 -> 3: C is imported', '  3 -> 1: the routes of C are not known']);
    expect(model.questions).toHaveLength(9);
  });

  test('a 40-VPC network: column blocks within the width, reasons capped at 10', () => {
    // GIVEN 40 VPCs on a transit gateway, the first one uncertain toward all others
    const vpcs = Array.from({ length: 40 }, (_, i) => vpc(`Hub/Spoke${i + 1}`, `10.${i}.0.0/16`));
    const answers: Record<string, { reachable: boolean; certain: boolean; path: []; reason: string }> = {};
    for (const to of vpcs.slice(1)) {
      answers[`Hub/Spoke1|${to.name}`] = { reachable: false, certain: false, path: [], reason: `${to.name} is imported` };
    }
    const model = new FakeModel({ vpcs, transitGateways: [{ name: 'Hub/Tgw', attachedVpcs: vpcs.map((v) => v.name) }], answers });
    // WHEN
    const lines = formatReachabilityMatrix(model, 100);
    // THEN every line fits, the columns come in blocks, each block has a row per VPC
    expect(Math.max(...lines.filter((l) => !l.includes(' -> ')).map((l) => l.length))).toBeLessThanOrEqual(100);
    const blocks = lines.filter((l) => /^ {2}to \d+(-\d+)?:$/.test(l));
    expect(blocks).toEqual(['  to 1-13:', '  to 14-26:', '  to 27-39:', '  to 40:']);
    expect(lines).toContain('  40  tgw    tgw    tgw    tgw    tgw    tgw    tgw    tgw    tgw    tgw    tgw    tgw    tgw');
    expect(lines).toContain('   1  local  ?      ?      ?      ?      ?      ?      ?      ?      ?      ?      ?      ?');
    expect(lines.filter((l) => / {2}1 -> \d+: /.test(l))).toHaveLength(10);
    expect(lines[lines.length - 1]).toBe('  ... and 29 more');
  });

  test('with a port and protocol: each question carries them as ReachOptions', () => {
    // GIVEN
    const asked: Array<ReachOptions | undefined> = [];
    const model = new FakeModel({ vpcs: [vpc('A', '10.0.0.0/16'), vpc('B', '10.1.0.0/16')] });
    const canReach = model.canReach.bind(model);
    model.canReach = (from: string | IConstruct, to: string | IConstruct, options?: ReachOptions) => { asked.push(options); return canReach(from, to); };
    // WHEN
    const lines = formatReachabilityMatrix(model, 100, { port: 8, protocol: Protocol.ICMP });
    formatReachabilityMatrix(model);
    // THEN
    expect(asked).toEqual([...Array(4).fill({ port: 8, protocol: Protocol.ICMP }), ...Array(4).fill(undefined)]);
    expect(lines.join('\n')).toContain('Reachability of icmp type 8 (row: from, column: to; a round trip through the routes,\n' +
      'security groups and network ACLs, and the kinds of routes it takes):');
  });

  test('a model without VPCs', () => {
    expect(formatReachabilityMatrix(new FakeModel())).toEqual(['No VPC in the templates.']);
  });
});

describe('formatFindings', () => {
  test('groups by severity, errors first, with rule id, constructs, message and fix', () => {
    // GIVEN
    const findings = [
      finding(FindingRules.UNKNOWN, FindingSeverity.INFO, ['S/Imported'], 'vpc-1 is imported'),
      oneWayFinding(['App/Net/Route']),
      finding(FindingRules.ROUTE_QUOTA, FindingSeverity.WARNING, [], 'close to the quota'),
    ];
    // THEN
    expect(formatFindings(findings)).toEqual([
      'Findings: 1 error, 1 warning, 1 info.',
      '',
      'ERROR (1)',
      '  vpc-connect/one-way-route  App/Net/Route',
      '    App/Net/VpcA routes 10.1.0.0/16 to pcx App/Net/AtoB, but App/Net/VpcB has no route back to 10.0.0.0/16',
      '    Fix: fix vpc-connect/one-way-route',
      '',
      'WARNING (1)',
      '  vpc-connect/route-quota',
      '    close to the quota',
      '    Fix: fix vpc-connect/route-quota',
      '',
      'INFO (1)',
      '  vpc-connect/unknown  S/Imported',
      '    vpc-1 is imported',
      '    Fix: fix vpc-connect/unknown',
    ]);
  });

  test('none', () => {
    expect(formatFindings([])).toEqual(['Findings: none.']);
  });
});

describe('failingFindings', () => {
  const findings = [oneWayFinding(), finding(FindingRules.ROUTE_QUOTA, FindingSeverity.WARNING, []), finding(FindingRules.UNKNOWN, FindingSeverity.INFO, [])];
  test.each<[FindingSeverity | 'never', string[]]>([
    [FindingSeverity.ERROR, [FindingRules.ONE_WAY_ROUTE]],
    [FindingSeverity.WARNING, [FindingRules.ONE_WAY_ROUTE, FindingRules.ROUTE_QUOTA]],
    [FindingSeverity.INFO, [FindingRules.ONE_WAY_ROUTE, FindingRules.ROUTE_QUOTA, FindingRules.UNKNOWN]],
    ['never', []],
  ])('--fail-on %s', (failOn, rules) => {
    expect(failingFindings(findings, failOn).map((f) => f.ruleId)).toEqual(rules);
  });
});

describe('the cdk-vpc-connect launcher', () => {
  const root = path.join(__dirname, '..', '..');
  interface Launched { readonly status: number | null; readonly stdout: string; readonly stderr: string }
  function launch(...args: string[]): Promise<Launched> {
    return new Promise((resolve) => {
      const child = execFile(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(root, 'lib', 'analysis', 'cli-main.ts'), ...args], {
        cwd: root, encoding: 'utf8', timeout: 60_000,
      }, (_error, stdout, stderr) => resolve({ status: child.exitCode, stdout, stderr }));
    });
  }

  // Each launch compiles the command with ts-node (seconds): both run at once.
  let help: Launched;
  let badUsage: Launched;
  beforeAll(async () => {
    [help, badUsage] = await Promise.all([launch('--help'), launch('analyze', '--nope')]);
  });

  test('prints to stdout and exits 0 for --help', () => {
    expect(help.status).toBe(0);
    expect(help.stdout).toBe(`${USAGE}\n`);
  });

  test('prints to stderr and sets the exit code 2 for bad usage', () => {
    expect(badUsage.status).toBe(2);
    expect(badUsage.stderr).toMatch(/^cdk-vpc-connect: unknown option '--nope'\./);
  });

  test('starts with a shebang, so npm can link it as the package bin', () => {
    expect(fs.readFileSync(path.join(root, 'lib', 'analysis', 'cli-main.ts'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });
});
