import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { MeshConnection, MeshRoutesPlacement, PeeringMesh, Pricing, RemoteVpc } from '../../lib';
import { ConnectivityError, CostInputError } from '../../lib/errors';
import { nameTag } from '../../lib/private/identifiers';
import { newApp, synthApp } from '../support/synth-app';
import { logicalId, nineTableVpcsInOwnStacks, testVpc } from '../support/vpcs';

const ENV = { account: '111111111111', region: 'us-east-1' };

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; DependsOn?: unknown }>;

function resourcesOf(stack: Stack, ...types: string[]): Resources {
  const all = Template.fromStack(stack).toJSON().Resources as Resources;
  return Object.fromEntries(Object.entries(all).filter(([, r]) => types.includes(r.Type)));
}

/** A mesh of `cidrs.length` VPCs in one stack, named Vpc<letter> after their position in `names`. */
function meshInOneStack(names: string[], props: { connections?: (vpcs: Record<string, ec2.Vpc>) => MeshConnection[] } = {}) {
  const stack = new Stack(new App(), 'Stack', { env: ENV });
  const vpcs: Record<string, ec2.Vpc> = {};
  for (const name of names) {
    vpcs[name] = testVpc(stack, `Vpc${name}`, `10.${name.charCodeAt(0) - 64}.0.0/16`);
  }
  const mesh = new PeeringMesh(stack, 'Mesh', {
    vpcs: names.map((n) => vpcs[n]),
    connections: props.connections?.(vpcs),
  });
  return { stack, vpcs, mesh };
}

function tablesOf(stack: Stack, vpc: ec2.Vpc): unknown[] {
  return [...vpc.publicSubnets, ...vpc.isolatedSubnets].map((s) => stack.resolve(s.routeTable.routeTableId));
}

describe('PeeringMesh', () => {
  describe('full mesh in one stack', () => {
    test('peers every pair and routes every table to every peer, both ways', () => {
      // GIVEN four VPCs with four route tables each / WHEN
      const { stack, vpcs } = meshInOneStack(['A', 'B', 'C', 'D']);

      // THEN 6 connections, and each table has one route to each of its 3 peers
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::EC2::VPCPeeringConnection', 6);
      const routes = Object.values(resourcesOf(stack, 'AWS::EC2::Route'))
        .map((r) => r.Properties!)
        .filter((p) => p.VpcPeeringConnectionId !== undefined);
      expect(routes).toHaveLength(6 * 2 * 4);
      for (const [name, vpc] of Object.entries(vpcs)) {
        const peers = Object.keys(vpcs).filter((n) => n !== name).map((n) => `10.${n.charCodeAt(0) - 64}.0.0/16`).sort();
        for (const table of tablesOf(stack, vpc)) {
          const destinations = routes.filter((r) => JSON.stringify(r.RouteTableId) === JSON.stringify(table)).map((r) => r.DestinationCidrBlock);
          expect(destinations.sort()).toEqual(peers);
        }
      }
    });

    test('names each connection after its pair', () => {
      const { stack } = meshInOneStack(['A', 'B', 'C']);
      const names = Object.values(resourcesOf(stack, 'AWS::EC2::VPCPeeringConnection'))
        .map((r) => (r.Properties!.Tags as Array<{ Value: string }>)[0].Value).sort();
      expect(names).toEqual(['VpcA <-> VpcB', 'VpcA <-> VpcC', 'VpcB <-> VpcC']);
    });

    test('peeringBetween returns the pair\'s peering in either order', () => {
      const { mesh, vpcs, stack } = meshInOneStack(['A', 'B', 'C', 'D']);
      const peering = mesh.peeringBetween(vpcs.A, vpcs.C);
      expect(mesh.peeringBetween(vpcs.C, vpcs.A)).toBe(peering);
      expect([peering.requester, peering.accepter]).toEqual(expect.arrayContaining([vpcs.A, vpcs.C]));
      expect(stack.resolve(peering.peeringConnectionId)).toEqual({ Ref: stack.getLogicalId(peering.node.defaultChild as ec2.CfnVPCPeeringConnection) });
      expect(mesh.peerings).toHaveLength(6);
      expect(mesh.routes).toHaveLength(48);
    });

    test('routes only the selected subnets', () => {
      // GIVEN
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.1.0.0/16');
      const b = testVpc(stack, 'VpcB', '10.2.0.0/16');

      // WHEN
      new PeeringMesh(stack, 'Mesh', { vpcs: [a, b], routes: { subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } } });

      // THEN only the isolated tables (2 per VPC) get routes
      const tables = Object.values(resourcesOf(stack, 'AWS::EC2::Route'))
        .filter((r) => r.Properties!.VpcPeeringConnectionId !== undefined)
        .map((r) => JSON.stringify(r.Properties!.RouteTableId));
      const isolated = [...a.isolatedSubnets, ...b.isolatedSubnets].map((s) => JSON.stringify(stack.resolve(s.routeTable.routeTableId)));
      expect(tables.sort()).toEqual(isolated.sort());
    });

    test('routes IPv6 blocks between dual-stack members', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.1.0.0/16', { ipProtocol: ec2.IpProtocol.DUAL_STACK, groups: ['Isolated'] });
      const b = testVpc(stack, 'VpcB', '10.2.0.0/16', { ipProtocol: ec2.IpProtocol.DUAL_STACK, groups: ['Isolated'] });
      new PeeringMesh(stack, 'Mesh', { vpcs: [a, b] });
      Template.fromStack(stack).resourcePropertiesCountIs('AWS::EC2::Route', {
        DestinationIpv6CidrBlock: Match.anyValue(), VpcPeeringConnectionId: Match.anyValue(),
      }, 4);
    });
  });

  describe('routes', () => {
    function twoVpcs() {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      return { stack, a: testVpc(stack, 'VpcA', '10.1.0.0/16'), b: testVpc(stack, 'VpcB', '10.2.0.0/16') };
    }

    test('routes.enabled false peers the VPCs and routes nothing', () => {
      // GIVEN / WHEN
      const { stack, a, b } = twoVpcs();
      const mesh = new PeeringMesh(stack, 'Mesh', { vpcs: [a, b], routes: { enabled: false } });

      // THEN
      Template.fromStack(stack).resourceCountIs('AWS::EC2::VPCPeeringConnection', 1);
      expect(Object.values(resourcesOf(stack, 'AWS::EC2::Route')).filter((r) => r.Properties!.VpcPeeringConnectionId !== undefined)).toEqual([]);
      expect(mesh.routes).toEqual([]);
    });

    test('routes.enabled false leaves a RemoteVpc member unrouted too', () => {
      const { stack, a } = twoVpcs();
      const remote = RemoteVpc.fromAttributes(stack, 'Remote', {
        vpcId: 'vpc-0a1a1a1a', cidrs: ['10.8.0.0/16'], account: '222222222222', region: 'us-east-1',
        routeTableIds: ['rtb-0111aaaa'], roleArn: 'arn:aws:iam::222222222222:role/accepter',
      });
      const mesh = new PeeringMesh(stack, 'Mesh', { vpcs: [a, remote], routes: { enabled: false } });
      expect(mesh.peeringBetween(a, remote).remoteAccepterRoutes).toBeUndefined();
      Template.fromStack(stack).resourceCountIs('Custom::VpcConnectPeeringRoutes', 0);
    });

    test('routes.destinations is rejected: a mesh routes each peer\'s own blocks', () => {
      const { stack, a, b } = twoVpcs();
      expect(() => new PeeringMesh(stack, 'Mesh', { vpcs: [a, b], routes: { destinations: ['10.2.0.0/24'] } }))
        .toThrow(/\[Stack\/Mesh\] routes.destinations is not supported here: a mesh routes each peer's own CIDR blocks, every one of them\. .*VpcPeering .*destinations/);
    });

    test('routes.scope is rejected: a mesh places its routes itself', () => {
      const { stack, a, b } = twoVpcs();
      expect(() => new PeeringMesh(stack, 'Mesh', { vpcs: [a, b], routes: { scope: stack } }))
        .toThrow(/\[Stack\/Mesh\] routes.scope is not supported here: a mesh places each pair's routes .*routesPlacement: MeshRoutesPlacement.VPC_ROUTES_STACK/);
    });
  });

  test('isPeeringMesh recognizes a mesh, and nothing else', () => {
    const { mesh, stack } = meshInOneStack(['A', 'B']);
    expect(PeeringMesh.isPeeringMesh(mesh)).toBe(true);
    expect([stack, mesh.peerings[0], undefined, null, {}].map((x) => PeeringMesh.isPeeringMesh(x))).toEqual([false, false, false, false, false]);
  });

  describe('estimateMonthlyCost', () => {
    test('without traffic: only the connections, which are free', () => {
      const { mesh } = meshInOneStack(['A', 'B', 'C']);
      const estimate = mesh.estimateMonthlyCost();
      expect(estimate.monthlyUsd).toBe(0);
      expect(estimate.lines.find((l) => l.item === 'VPC peering connections')?.quantity).toBe(3 * 730);
    });

    test('traffic across AZs is charged each way; other rates apply when given', () => {
      const { mesh } = meshInOneStack(['A', 'B', 'C']);
      const traffic = { gbPerMonth: 1000, crossAzShare: 0.5 };
      expect(mesh.estimateMonthlyCost({ traffic }).monthlyUsd).toBeCloseTo(500 * 0.01 * 2, 6);
      const pricing = Pricing.US_EAST_1.withRates({ crossAzPerGbEachDirection: 0.02 });
      expect(mesh.estimateMonthlyCost({ traffic, pricing }).monthlyUsd).toBeCloseTo(500 * 0.02 * 2, 6);
    });

    test('natGatewaysAvoided is rejected: it applies to VpcEndpoints only', () => {
      const { mesh } = meshInOneStack(['A', 'B']);
      expect(() => mesh.estimateMonthlyCost({ natGatewaysAvoided: 2 })).toThrow(CostInputError);
      expect(() => mesh.estimateMonthlyCost({ natGatewaysAvoided: 2 }))
        .toThrow(/natGatewaysAvoided is 2, but a PeeringMesh replaces no NAT gateway: it applies to the estimate of VpcEndpoints only/);
    });
  });

  describe('partial mesh', () => {
    test('peers only the listed pairs', () => {
      const { stack, mesh, vpcs } = meshInOneStack(['A', 'B', 'C'], { connections: (v) => [{ between: [v.A, v.B] }, { between: [v.B, v.C] }] });
      Template.fromStack(stack).resourceCountIs('AWS::EC2::VPCPeeringConnection', 2);
      expect(mesh.peeringBetween(vpcs.C, vpcs.B).accepter).toBeInstanceOf(ec2.Vpc);
      expect(() => mesh.peeringBetween(vpcs.A, vpcs.C)).toThrow(/VPCs Stack\/VpcA and Stack\/VpcC are not peered by this mesh/);
    });

    test.each([
      ['an empty list', (_v: Record<string, ec2.Vpc>): MeshConnection[] => [], /connections is empty/],
      ['a VPC paired with itself', (v: Record<string, ec2.Vpc>): MeshConnection[] => [{ between: [v.A, v.A] }], /pairs Stack\/VpcA with itself/],
      ['a pair listed twice', (v: Record<string, ec2.Vpc>): MeshConnection[] => [{ between: [v.A, v.B] }, { between: [v.B, v.A] }],
        /lists the pair Stack\/VpcB and Stack\/VpcA twice/],
      ['a connection of one VPC', (v: Record<string, ec2.Vpc>): MeshConnection[] => [{ between: [v.A] }],
        /\[Stack\/Mesh\] connections: a MeshConnection's between must name exactly two VPCs, got 1 \(Stack\/VpcA\)\. Write one connection per pair: \{ between: \[vpcA, vpcB\] \}/],
      ['a connection of three VPCs', (v: Record<string, ec2.Vpc>): MeshConnection[] => [{ between: [v.A, v.B, v.C] }],
        /between must name exactly two VPCs, got 3 \(Stack\/VpcA, Stack\/VpcB, Stack\/VpcC\)/],
      ['a connection of no VPC', (_v: Record<string, ec2.Vpc>): MeshConnection[] => [{ between: [] }],
        /between must name exactly two VPCs, got 0\. Write one connection per pair/],
    ])('rejects %s', (_, connections, message) => {
      expect(() => meshInOneStack(['A', 'B', 'C'], { connections })).toThrow(message);
    });

    test('rejects a pair with a VPC outside the mesh', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.1.0.0/16');
      const b = testVpc(stack, 'VpcB', '10.2.0.0/16');
      const outsider = testVpc(stack, 'Outsider', '10.9.0.0/16');
      expect(() => new PeeringMesh(stack, 'Mesh', { vpcs: [a, b], connections: [{ between: [a, outsider] }] }))
        .toThrow(/connections names Stack\/Outsider, which is not one of the mesh's vpcs \(Stack\/VpcA, Stack\/VpcB\)/);
    });
  });

  describe('errors', () => {
    test('needs two VPCs', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.1.0.0/16');
      expect(() => new PeeringMesh(stack, 'Mesh', { vpcs: [a] })).toThrow(ConnectivityError);
      expect(() => new PeeringMesh(stack, 'Mesh2', { vpcs: [a] })).toThrow(/\[Stack\/Mesh2\] A PeeringMesh needs at least two VPCs, got 1 \(Stack\/VpcA\)/);
    });

    test('rejects a VPC listed twice, as the same object or imported twice', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.1.0.0/16');
      const b = testVpc(stack, 'VpcB', '10.2.0.0/16');
      expect(() => new PeeringMesh(stack, 'Mesh', { vpcs: [a, b, a] })).toThrow(/VPC Stack\/VpcA is listed twice in vpcs/);
      const i1 = ec2.Vpc.fromVpcAttributes(stack, 'I1', { vpcId: 'vpc-1', vpcCidrBlock: '10.5.0.0/16', availabilityZones: ['us-east-1a'] });
      const i2 = ec2.Vpc.fromVpcAttributes(stack, 'I2', { vpcId: 'vpc-1', vpcCidrBlock: '10.5.0.0/16', availabilityZones: ['us-east-1a'] });
      expect(() => new PeeringMesh(stack, 'Mesh2', { vpcs: [a, i1, i2] })).toThrow(/VPC Stack\/I2 is listed twice in vpcs \(as Stack\/I1 too\)/);
    });

    test('rejects any two members that overlap, even when a partial mesh does not connect them', () => {
      // GIVEN B and C overlap; only A-B and A-C are connected
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const a = testVpc(stack, 'VpcA', '10.1.0.0/16');
      const b = testVpc(stack, 'VpcB', '10.2.0.0/16');
      const c = testVpc(stack, 'VpcC', '10.2.128.0/17');

      // THEN
      expect(() => new PeeringMesh(stack, 'Mesh', { vpcs: [a, b, c], connections: [{ between: [a, b] }, { between: [a, c] }] }))
        .toThrow(/VPCs Stack\/VpcB \(10.2.0.0\/16\) and Stack\/VpcC \(10.2.128.0\/17\) of the mesh overlap: 10.2.0.0\/16 and 10.2.128.0\/17/);
    });

    test('rejects two RemoteVpcs in one pair', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const attrs = { account: '222222222222', region: 'us-east-1', routeTableIds: ['rtb-0111aaaa'], roleArn: 'arn:aws:iam::222222222222:role/r' };
      const r1 = RemoteVpc.fromAttributes(stack, 'R1', { vpcId: 'vpc-0a1a1a1a', cidrs: ['10.8.0.0/16'], ...attrs });
      const r2 = RemoteVpc.fromAttributes(stack, 'R2', { vpcId: 'vpc-0b2b2b2b', cidrs: ['10.9.0.0/16'], ...attrs });
      expect(() => new PeeringMesh(stack, 'Mesh', { vpcs: [r1, r2] })).toThrow(/Stack\/R1 and Stack\/R2 are both RemoteVpcs/);
    });

    test('peeringBetween rejects a VPC that is not a member', () => {
      const { mesh, vpcs, stack } = meshInOneStack(['A', 'B']);
      const outsider = testVpc(stack, 'Outsider', '10.9.0.0/16');
      expect(() => mesh.peeringBetween(vpcs.A, outsider)).toThrow(/Stack\/Outsider is not a VPC of this mesh \(Stack\/VpcA, Stack\/VpcB\)/);
    });
  });

  test('a RemoteVpc member is always the accepter, its routes made through the accepter role', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const a = testVpc(stack, 'VpcA', '10.1.0.0/16');
    const remote = RemoteVpc.fromAttributes(stack, 'Remote', {
      vpcId: 'vpc-0a1a1a1a', cidrs: ['10.8.0.0/16'], account: '222222222222', region: 'us-east-1',
      routeTableIds: ['rtb-0111aaaa'], roleArn: 'arn:aws:iam::222222222222:role/accepter',
    });
    const mesh = new PeeringMesh(stack, 'Mesh', { vpcs: [remote, a] });
    const peering = mesh.peeringBetween(a, remote);
    expect(peering.requester).toBe(a);
    expect(peering.peerOwnerId).toBe('222222222222');
    Template.fromStack(stack).resourceCountIs('Custom::VpcConnectPeeringRoutes', 1);
  });

  test('dnsResolution turns on DNS resolution for every pair, both sides', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const vpcs = ['10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16'].map((cidr, i) => testVpc(stack, `Vpc${i}`, cidr, { groups: ['Isolated'] }));
    const mesh = new PeeringMesh(stack, 'Mesh', { vpcs, dnsResolution: true });
    Template.fromStack(stack).resourceCountIs('Custom::VpcConnectPeeringDns', 3 * 2);
    expect(mesh.peerings.every((p) => p.dnsResolutionResources.length === 2)).toBe(true);
  });

  test('members in two regions: the later stack requests across regions, the other side routed in its region', () => {
    // GIVEN one VPC per region; the later stack can read the other's VPC id across regions
    const app = new App();
    const east = new Stack(app, 'Network00', { env: ENV });
    const west = new Stack(app, 'Network01', { env: { account: ENV.account, region: 'eu-west-1' }, crossRegionReferences: true });
    const a = testVpc(east, 'Vpc', '10.0.0.0/16', { groups: ['Isolated'] });
    const b = testVpc(west, 'Vpc', '10.1.0.0/16', { groups: ['Isolated'] });

    // WHEN
    const mesh = new PeeringMesh(west, 'Mesh', { vpcs: [a, b] });

    // THEN
    const peering = mesh.peeringBetween(a, b);
    expect(peering.requester).toBe(b);
    expect(peering.peerRegion).toBe('us-east-1');
    Template.fromStack(west).hasResourceProperties('AWS::EC2::VPCPeeringConnection', { PeerRegion: 'us-east-1' });
    const routesStack = app.node.children.find((c) => c instanceof Stack && c.region === 'us-east-1' && c !== east) as Stack;
    expect(Template.fromStack(routesStack).findResources('AWS::EC2::Route')).not.toEqual({});
    expect(() => app.synth()).not.toThrow();
  });

  describe('stable identities', () => {
    function idsAndBodies(stack: Stack): Resources {
      const resources = resourcesOf(stack, 'AWS::EC2::VPCPeeringConnection', 'AWS::EC2::Route');
      return Object.fromEntries(Object.entries(resources).filter(([, r]) => r.Type !== 'AWS::EC2::Route' || r.Properties!.VpcPeeringConnectionId !== undefined));
    }

    test.each([
      ['appended', ['A', 'B', 'C', 'D'], ['A', 'B', 'C', 'D', 'E']],
      ['inserted first', ['A', 'B', 'C', 'D'], ['E', 'A', 'B', 'C', 'D']],
      ['reordered', ['A', 'B', 'C', 'D'], ['D', 'C', 'B', 'A']],
      ['removed', ['A', 'B', 'C', 'D', 'E'], ['A', 'B', 'D', 'E']],
    ])('a VPC %s leaves the other pairs\' peerings and routes untouched', (_, before, after) => {
      // GIVEN / WHEN
      const first = idsAndBodies(meshInOneStack(before).stack);
      const second = idsAndBodies(meshInOneStack(after).stack);

      // THEN every resource of a pair present in both meshes keeps its logical id and properties
      const kept = before.filter((n) => after.includes(n));
      const expectedPairs = (kept.length * (kept.length - 1)) / 2;
      const keptIds = Object.keys(first).filter((id) => id in second);
      expect(keptIds.filter((id) => first[id].Type === 'AWS::EC2::VPCPeeringConnection')).toHaveLength(expectedPairs);
      expect(keptIds.filter((id) => first[id].Type === 'AWS::EC2::Route')).toHaveLength(expectedPairs * 8);
      for (const id of keptIds) {
        expect(second[id]).toEqual(first[id]);
      }
    });
  });

  describe('VPCs in several stacks', () => {
    function meshAcrossStacks(count: number, makeVpc = (s: Stack, i: number) => testVpc(s, 'Vpc', `10.${i}.0.0/16`)) {
      const app = new App();
      const stacks = Array.from({ length: count }, (_, i) => new Stack(app, `Network${String(i).padStart(2, '0')}`, { env: ENV }));
      const vpcs = stacks.map((s, i) => makeVpc(s, i));
      // The mesh in the last stack: where the mesh is does not decide where its peerings go
      const mesh = new PeeringMesh(stacks[count - 1], 'Mesh', { vpcs });
      return { app, stacks, vpcs, mesh };
    }

    test('puts each peering and both sides\' routes into the later of its VPCs\' stacks', () => {
      // GIVEN four VPCs, one stack each / WHEN
      const { stacks, vpcs, mesh, app } = meshAcrossStacks(4);

      // THEN the stack of pair (i, j), i < j, holds its connection and its 8 routes
      for (let i = 0; i < 4; i++) {
        for (let j = i + 1; j < 4; j++) {
          const peering = mesh.peeringBetween(vpcs[i], vpcs[j]);
          expect(Stack.of(peering)).toBe(stacks[j]);
          expect(peering.requester).toBe(vpcs[j]);
          expect(peering.routes.every((r) => Stack.of(r) === stacks[j])).toBe(true);
          expect(peering.routes).toHaveLength(8);
        }
      }
      // Stack j holds j peerings; one chain of dependencies orders the stacks
      stacks.forEach((stack, j) => Template.fromStack(stack).resourceCountIs('AWS::EC2::VPCPeeringConnection', j));
      const assembly = app.synth();
      stacks.forEach((stack, j) => {
        const dependencies = assembly.getStackByName(stack.stackName).dependencies.map((d) => d.id).filter((id) => /^Network\d+$/.test(id)).sort();
        expect(dependencies).toEqual(j === 0 ? [] : [stacks[j - 1].artifactId]);
      });
    });

    test('the later stack reads the other VPC\'s id and route tables at deploy time, with no import', () => {
      const { stacks, vpcs } = meshAcrossStacks(2);
      const later = Template.fromStack(stacks[1]);

      // THEN one StackValues resource of the later stack reads Network00's resources by logical id
      const lookups = later.findResources('Custom::VpcConnectStackValues');
      expect(Object.keys(lookups)).toHaveLength(1);
      const [[lookupId, lookup]] = Object.entries(lookups) as Array<[string, any]>;
      expect(lookup.Properties.StackName).toBe('Network00');
      const readLogicalIds = Object.values(lookup.Properties.Values);
      expect(readLogicalIds).toContain(logicalId(vpcs[0]));
      expect(readLogicalIds).toHaveLength(1 + 4); // the VPC and its 4 route tables

      // and the peering and the routes use what it read
      const peering = Object.values(later.findResources('AWS::EC2::VPCPeeringConnection'))[0] as any;
      expect(peering.Properties.VpcId).toEqual({ Ref: logicalId(vpcs[1]) });
      const [peerLookup, peerAttribute] = peering.Properties.PeerVpcId['Fn::GetAtt'];
      expect(peerLookup).toBe(lookupId);
      expect(lookup.Properties.Values[peerAttribute]).toBe(logicalId(vpcs[0]));
      const routesIntoVpc0 = Object.values(later.findResources('AWS::EC2::Route', {
        Properties: { DestinationCidrBlock: '10.1.0.0/16' },
      })) as any[];
      expect(routesIntoVpc0).toHaveLength(4);
      for (const route of routesIntoVpc0) {
        expect(route.Properties.RouteTableId['Fn::GetAtt'][0]).toBe(lookupId);
      }
      expect(JSON.stringify(later.toJSON())).not.toMatch(/Fn::ImportValue/);
    });

    test('the earlier stack keeps the exports 1.0.0 imported, so stacks deployed with it update in one deploy', () => {
      const { stacks } = meshAcrossStacks(2);
      const outputs = Template.fromStack(stacks[0]).toJSON().Outputs ?? {};
      const exported = Object.values(outputs).filter((o: any) => o.Export !== undefined);
      expect(exported).toHaveLength(1 + 4);
    });

    test('follows a dependency the stacks already have', () => {
      // GIVEN Network00 already depends on Network01
      const app = new App();
      const s0 = new Stack(app, 'Network00', { env: ENV });
      const s1 = new Stack(app, 'Network01', { env: ENV });
      s0.addStackDependency(s1);
      const a = testVpc(s0, 'Vpc', '10.0.0.0/16');
      const b = testVpc(s1, 'Vpc', '10.1.0.0/16');

      // WHEN
      const mesh = new PeeringMesh(s1, 'Mesh', { vpcs: [a, b] });

      // THEN the peering goes to Network00, which deploys later, and the app has no cycle
      expect(Stack.of(mesh.peeringBetween(a, b))).toBe(s0);
      expect(() => app.synth()).not.toThrow();
    });

    describe('routesPlacement VPC_ROUTES_STACK', () => {
      test('each VPC\'s routes toward later VPCs go into a routes stack beside its own stack', () => {
        // GIVEN three VPCs, one stack each / WHEN
        const app = newApp();
        const stacks = [0, 1, 2].map((i) => new Stack(app, `Network${i}`, { env: ENV }));
        const vpcs = stacks.map((s, i) => testVpc(s, 'Vpc', `10.${i}.0.0/16`));
        const mesh = new PeeringMesh(stacks[0], 'Mesh', { vpcs, routesPlacement: MeshRoutesPlacement.VPC_ROUTES_STACK });

        // THEN the peering (0, 2) is in Network2 with Vpc2's routes; Vpc0's routes toward Vpc2 are in Network0-MeshRoutes
        const peering = mesh.peeringBetween(vpcs[0], vpcs[2]);
        expect(Stack.of(peering)).toBe(stacks[2]);
        expect(peering.requesterRoutes.every((r) => Stack.of(r) === stacks[2])).toBe(true);
        expect(new Set(peering.accepterRoutes.map((r) => Stack.of(r).stackName))).toEqual(new Set(['Network0-MeshRoutes']));
        // Network0-MeshRoutes holds Vpc0's routes toward Vpc1 and Vpc2 (4 tables each); the last VPC needs no routes stack
        const routesStacks = app.node.children.filter((c): c is Stack => c instanceof Stack && c.stackName.endsWith('-MeshRoutes'));
        expect(routesStacks.map((s) => s.stackName).sort()).toEqual(['Network0-MeshRoutes', 'Network1-MeshRoutes']);
        Template.fromStack(routesStacks.find((s) => s.stackName === 'Network0-MeshRoutes')!).resourceCountIs('AWS::EC2::Route', 8);
        const result = synthApp(app);
        expect(result.findings).toEqual([]);
        expect(result.warnings).toEqual([]);
        expect(result.assembly.getStackByName('Network0-MeshRoutes').dependencies.map((d) => d.id)).toEqual(expect.arrayContaining(['Network0', 'Network1', 'Network2']));
      });

      test('spreads a mesh whose last stack would exceed the resources-per-stack quota', () => {
        // GIVEN 8 VPCs with 9 route tables each (3 AZs x public, private, isolated), one stack each, and a
        // resources-per-stack quota of 150 so the case stays small (test/scale has the 30-VPC, 500-resource one)
        const build = (routesPlacement?: MeshRoutesPlacement) => {
          const app = new App({ context: { 'cdk-vpc-connect:quotas': { resourcesPerStack: 150 } } });
          const vpcs = nineTableVpcsInOwnStacks(app, 8, ENV);
          new PeeringMesh(Stack.of(vpcs[0]), 'Mesh', { vpcs, routesPlacement });
          return app;
        };

        // THEN with the routes beside the peerings, the last stack exceeds the quota: synth says so and names the fix
        expect(() => build().synth()).toThrow(/Stack Net07 has 1\d\d resources, above the quota of 150 resources per stack.*MeshRoutesPlacement.VPC_ROUTES_STACK/);
        // With a routes stack per VPC, every stack stays under it
        const assembly = build(MeshRoutesPlacement.VPC_ROUTES_STACK).synth();
        const counts = assembly.stacks.map((st) => Object.keys(st.template.Resources ?? {}).length);
        expect(assembly.stacks).toHaveLength(15);
        expect(Math.max(...counts)).toBeLessThan(150);
      });
    });

    test('synthesizes with no validator finding and no warning', () => {
      const app = newApp();
      const stacks = [0, 1, 2].map((i) => new Stack(app, `Network${i}`, { env: ENV }));
      const vpcs = stacks.map((s, i) => testVpc(s, 'Vpc', `10.${i}.0.0/16`));
      new PeeringMesh(stacks[0], 'Mesh', { vpcs });
      const result = synthApp(app);
      expect(result.findings).toEqual([]);
      expect(result.warnings).toEqual([]);
    });
  });
});

describe('PeeringMesh input checks (issue 11)', () => {
  test('a member whose secondary block overlaps its own primary block', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const a = testVpc(stack, 'VpcA', '10.0.0.0/16');
    const b = testVpc(stack, 'VpcB', '10.1.0.0/16');
    new ec2.CfnVPCCidrBlock(stack, 'Overlapping', { vpcId: a.vpcId, cidrBlock: '10.0.0.0/20' });
    expect(() => new PeeringMesh(stack, 'Mesh', { vpcs: [a, b] }))
      .toThrow(/\[Stack\/Mesh\] VPC Stack\/VpcA: secondary block Stack\/Overlapping \(10\.0\.0\.0\/20\) overlaps its primary block 10\.0\.0\.0\/16/);
  });

  test('subnets named in routes must belong to each VPC they route: a mesh takes a selection by type or group instead', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const a = testVpc(stack, 'VpcA', '10.0.0.0/16');
    const b = testVpc(stack, 'VpcB', '10.1.0.0/16');
    expect(() => new PeeringMesh(stack, 'Mesh', { vpcs: [a, b], routes: { subnets: { subnets: a.isolatedSubnets } } }))
      .toThrow(/\[Stack\/Mesh\] routes\.subnets: subnet Stack\/VpcA\/IsolatedSubnet1 of VPC Stack\/VpcA, .* selected for the route tables of VPC Stack\/VpcB, but they are not subnets of that VPC/);
  });

  test('the Name tag of a pair with very long names is shortened to what AWS accepts, the construct ids stay whole', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const long = 'V'.repeat(200);
    const mesh = new PeeringMesh(stack, 'Mesh', { vpcs: [testVpc(stack, `${long}A`, '10.0.0.0/16'), testVpc(stack, `${long}B`, '10.1.0.0/16')] });
    expect(mesh.peerings[0].node.id).toBe(`${long}A-${long}B`);
    const tags = Template.fromStack(stack).findResources('AWS::EC2::VPCPeeringConnection');
    const name = (Object.values(tags)[0].Properties.Tags as Array<{ Key: string; Value: string }>).find((t) => t.Key === 'Name')!.Value;
    expect([...name]).toHaveLength(256);
    expect(name).toBe(nameTag(`${long}A <-> ${long}B`));
    expect(name).toMatch(/^V+\.\.\.~[0-9a-f]{8}~\.\.\.V+B$/);
  });
});
