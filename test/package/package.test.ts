import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// What `npm pack` ships, and the package used the way a user uses it: installed from the tarball
// into another project, imported by its name (`cdk-vpc-connect` and `cdk-vpc-connect/jest`).

const ROOT = path.join(__dirname, '..', '..');

let workDir: string;
let packedFiles: string[];

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'index.js'))) {
    throw new Error('The library is not built: run `npm run build` (npm test does) before jest.');
  }
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-vpc-connect-pack-'));
  // --ignore-scripts: npm test has just built dist/ and .jsii; prepack would build them again.
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', workDir], { cwd: ROOT, encoding: 'utf-8' });
  const [result] = JSON.parse(out) as Array<{ filename: string; files: Array<{ path: string }> }>;
  packedFiles = result.files.map((f) => f.path);
  const installed = path.join(workDir, 'node_modules', 'cdk-vpc-connect');
  fs.mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', path.join(workDir, path.basename(result.filename)), '-C', installed, '--strip-components', '1']);
});

afterAll(() => {
  if (workDir) { fs.rmSync(workDir, { recursive: true, force: true }); }
});

describe('npm pack', () => {
  test('ships the compiled library, its declarations, the jsii assembly, the Lambda handler, the jest entry, README, LICENSE and API.md', () => {
    expect(packedFiles).toEqual(expect.arrayContaining([
      'dist/index.js', 'dist/index.d.ts', '.jsii', 'dist/peering/private/handler/index.js', 'dist/private/handler/__entrypoint__.js', 'dist/private/handler/aws-calls.js',
      'dist/transit/private/handler/index.js',
      'dist/analysis/jest.js', 'jest.js', 'jest.d.ts', 'README.md', 'LICENSE', 'API.md', 'package.json',
    ]));
  });

  test('ships no tests, no TypeScript sources and no example or benchmark code', () => {
    const unwanted = packedFiles.filter((f) => /^(test|examples|bench|bin|lib)\//.test(f) || (/\.ts$/.test(f) && !/\.d\.ts$/.test(f)));
    expect(unwanted).toEqual([]);
  });

  test('LICENSE is the Apache License 2.0', () => {
    const license = fs.readFileSync(path.join(workDir, 'node_modules', 'cdk-vpc-connect', 'LICENSE'), 'utf-8');
    expect(license).toMatch(/Apache License\s+Version 2\.0, January 2004/);
  });
});

describe('installed from the tarball', () => {
  function runNode(script: string): string {
    // Peer dependencies (aws-cdk-lib, constructs) come from this repository's node_modules, as a user's app has its own.
    return execFileSync(process.execPath, ['-e', script], {
      cwd: workDir, encoding: 'utf-8', env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
    });
  }

  test('`cdk-vpc-connect` synthesizes a peering with routes on both sides', () => {
    const out = runNode(`
      const { App, Stack } = require('aws-cdk-lib');
      const ec2 = require('aws-cdk-lib/aws-ec2');
      const { VpcPeering } = require('cdk-vpc-connect');
      const app = new App();
      const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'us-east-1' } });
      const a = new ec2.Vpc(stack, 'A', { ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'), maxAzs: 1, subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }] });
      const b = new ec2.Vpc(stack, 'B', { ipAddresses: ec2.IpAddresses.cidr('10.1.0.0/16'), maxAzs: 1, subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }] });
      new VpcPeering(stack, 'AB', { requester: a, accepter: b });
      const resources = Object.values(app.synth().getStackByName('S').template.Resources);
      const routes = resources.filter((r) => r.Type === 'AWS::EC2::Route' && r.Properties.VpcPeeringConnectionId);
      console.log(JSON.stringify(routes.map((r) => r.Properties.DestinationCidrBlock).sort()));
    `);
    // One public subnet per VPC: its table gets a route to the other VPC, on both sides.
    expect(JSON.parse(out.trim())).toEqual(['10.0.0.0/16', '10.1.0.0/16']);
  });

  test('`cdk-vpc-connect/jest` resolves, and says where to import it from outside jest', () => {
    const out = runNode(`
      try { require('cdk-vpc-connect/jest'); console.log('loaded'); } catch (e) { console.log(e.message); }
    `);
    expect(out).toMatch(/jest setup file/);
  });
});
