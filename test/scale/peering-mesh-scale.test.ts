import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { MeshRoutesPlacement, PeeringMesh } from '../../lib';
import { nineTableVpcsInOwnStacks } from '../support/vpcs';

// Scale cases of PeeringMesh: run by `npm run test:scale` (and measured by `npm run bench`), not by
// the default `npm test`, which must stay under 2 minutes on a 2-core machine.

const ENV = { account: '111111111111', region: 'us-east-1' };

describe('PeeringMesh at scale', () => {
  test('spreads a mesh whose last stack would exceed 500 resources', () => {
    // GIVEN 30 VPCs with 9 route tables each (3 AZs x public, private, isolated), one stack each
    const build = (routesPlacement?: MeshRoutesPlacement) => {
      const app = new App();
      const vpcs = nineTableVpcsInOwnStacks(app, 30, ENV);
      new PeeringMesh(Stack.of(vpcs[0]), 'Mesh', { vpcs, routesPlacement });
      return app;
    };

    // THEN with the routes beside the peerings, the last stacks exceed CloudFormation's limit: synth says so
    expect(() => build().synth()).toThrow(/Stack Net\d+ has 5\d\d resources, above the quota of 500 resources per stack.*MeshRoutesPlacement.VPC_ROUTES_STACK/);
    // With a routes stack per VPC, every stack stays under it
    const assembly = build(MeshRoutesPlacement.VPC_ROUTES_STACK).synth();
    const counts = assembly.stacks.map((s) => Object.keys(s.template.Resources ?? {}).length);
    expect(assembly.stacks).toHaveLength(59);
    expect(Math.max(...counts)).toBeLessThan(400);
  });

  test('a mesh of 40 VPCs (2 AZs, public and private subnets) keeps every stack under 500 resources', () => {
    // GIVEN the shape: 40 VPCs, one stack each, 2 AZs, public + private subnets (4 route tables)
    const app = new App();
    const stacks = Array.from({ length: 40 }, (_, i) => new Stack(app, `Network${String(i).padStart(2, '0')}`, { env: ENV }));
    const vpcs = stacks.map((s, i) => new ec2.Vpc(s, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(`10.${i}.0.0/16`), maxAzs: 2, natGateways: 1,
    }));
    new PeeringMesh(stacks[39], 'Mesh', { vpcs });

    // WHEN
    const assembly = app.synth();

    // THEN 780 connections in all, no stack at 500 resources
    const counts = assembly.stacks.map((s) => Object.keys(s.template.Resources ?? {}).length);
    const peerings = assembly.stacks.map((s) => Object.values<{ Type: string }>(s.template.Resources ?? {})
      .filter((r) => r.Type === 'AWS::EC2::VPCPeeringConnection').length).reduce((a, b) => a + b, 0);
    expect(peerings).toBe(780);
    expect(Math.max(...counts)).toBeLessThan(500);
  });
});
