// Adding and removing a member of a PeeringMesh spread over stacks, deployed with one
// `cdk deploy --all`: the templates before and after, stack by stack in the CLI's order, against
// CloudFormation's rules for exports and replacements (test/support/deploy-simulation.ts).
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { MeshRoutesPlacement, NetworkModel, PeeringMesh } from '../../lib';
import { DeployedStack, simulateDeployAll, stacksOf } from '../support/deploy-simulation';
import { testVpc } from '../support/vpcs';

const ENV = { account: '111111111111', region: 'us-east-1' };

/** Four VPCs, one stack each (Network00..03), all of them kept; the mesh joins `members`. */
function meshApp(members: number[], routesPlacement?: MeshRoutesPlacement): App {
  const app = new App();
  const stacks = [0, 1, 2, 3].map((i) => new Stack(app, `Network0${i}`, { env: ENV }));
  const vpcs = stacks.map((s, i) => testVpc(s, 'Vpc', `10.${i}.0.0/16`));
  new PeeringMesh(stacks[3], 'Mesh', { vpcs: members.map((i) => vpcs[i]), routesPlacement });
  return app;
}

/**
 * The templates as 1.0.0 wrote them: each StackValues read replaced by the import of the export
 * that the stack read still makes of the same value.
 */
function asImports(stacks: DeployedStack[]): DeployedStack[] {
  const exportNameOf = (stackName: string, logicalId: string): string => {
    const producer = stacks.find((s) => s.stackName === stackName)!.template;
    const output = Object.values<any>(producer.Outputs ?? {}).find((o) => o.Value?.Ref === logicalId && o.Export);
    if (!output) { throw new Error(`${stackName} does not export ${logicalId}`); }
    return output.Export.Name;
  };
  return stacks.map((stack) => {
    const template = JSON.parse(JSON.stringify(stack.template));
    const reads = Object.entries<any>(template.Resources ?? {}).filter(([, r]) => r.Type === 'Custom::VpcConnectStackValues');
    const rewrite = (value: any): any => {
      if (Array.isArray(value)) { return value.map(rewrite); }
      if (value === null || typeof value !== 'object') { return value; }
      const read = reads.find(([id]) => Array.isArray(value['Fn::GetAtt']) && value['Fn::GetAtt'][0] === id);
      if (read) {
        const props = read[1].Properties;
        return { 'Fn::ImportValue': exportNameOf(props.StackName, props.Values[value['Fn::GetAtt'][1]]) };
      }
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v)]));
    };
    template.Resources = rewrite(template.Resources);
    for (const [id] of reads) { delete template.Resources[id]; }
    return { ...stack, template };
  });
}

describe('PeeringMesh lifecycle across stacks', () => {
  test.each([
    ['peerings in the later stack (WITH_PEERING)', undefined],
    ['routes stacks (VPC_ROUTES_STACK)', MeshRoutesPlacement.VPC_ROUTES_STACK],
  ])('removing a member deploys in one cdk deploy --all, with %s, and replaces nothing that stays', (_name, placement) => {
    // GIVEN a deployed mesh of four VPCs in four stacks
    const before = stacksOf(meshApp([0, 1, 2, 3], placement));

    // WHEN Vpc 1 leaves the mesh (its stack and VPC stay)
    const afterApp = meshApp([0, 2, 3], placement);
    const after = stacksOf(afterApp);
    const simulation = simulateDeployAll(before, after);

    // THEN no stack holds an export another still imports, every read finds its resource,
    // and the peerings and routes of the remaining pairs are not replaced
    expect(simulation.problems).toEqual([]);
    expect(simulation.replaced).toEqual([]);
    expect(simulation.order).toEqual(expect.arrayContaining(['Network00', 'Network01', 'Network02', 'Network03']));
    // and the remaining members still reach each other, across the stacks
    const model = NetworkModel.fromApp(afterApp);
    model.expectReach('Network00/Vpc', 'Network02/Vpc');
    model.expectReach('Network00/Vpc', 'Network03/Vpc');
    model.expectNoReach('Network00/Vpc', 'Network01/Vpc');
  });

  test('a routes stack of a member that left stays deployed (the CLI never deletes a stack) and locks nothing', () => {
    const before = stacksOf(meshApp([0, 1, 2, 3], MeshRoutesPlacement.VPC_ROUTES_STACK));
    const after = stacksOf(meshApp([0, 2, 3], MeshRoutesPlacement.VPC_ROUTES_STACK));

    expect(before.map((s) => s.stackName)).toContain('Network01-MeshRoutes');
    expect(after.map((s) => s.stackName)).not.toContain('Network01-MeshRoutes');
    const leftBehind = before.find((s) => s.stackName === 'Network01-MeshRoutes')!.template;
    expect(JSON.stringify(leftBehind)).not.toMatch(/Fn::ImportValue/);
    expect(simulateDeployAll(before, after).problems).toEqual([]);
  });

  test('adding a member in the middle deploys in one cdk deploy --all and replaces nothing', () => {
    const before = stacksOf(meshApp([0, 2, 3]));
    const after = stacksOf(meshApp([0, 1, 2, 3]));

    const simulation = simulateDeployAll(before, after);

    expect(simulation.problems).toEqual([]);
    expect(simulation.replaced).toEqual([]);
  });

  test('stacks deployed with 1.0.0 (imports) update to reads in one deploy, replacing nothing', () => {
    const current = stacksOf(meshApp([0, 1, 2, 3]));

    const simulation = simulateDeployAll(asImports(current), current);

    expect(simulation.problems).toEqual([]);
    expect(simulation.replaced).toEqual([]);
  });

  test('with 1.0.0\'s imports, the same removal fails: the left member\'s stack deploys first and drops exports in use', () => {
    const before = asImports(stacksOf(meshApp([0, 1, 2, 3])));
    const after = asImports(stacksOf(meshApp([0, 2, 3])));

    const simulation = simulateDeployAll(before, after);

    expect(simulation.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^Network01 cannot remove export \S+: stack Network0[23] imports it$/)]));
  });

  test('the simulation sees a plain cross-stack reference dropped in the wrong order', () => {
    // GIVEN stack B uses stack A's VPC id (an automatic export), then stops using it
    const build = (useIt: boolean): DeployedStack[] => {
      const app = new App();
      const a = new Stack(app, 'A', { env: ENV });
      const b = new Stack(app, 'B', { env: ENV });
      const vpc = testVpc(a, 'Vpc', '10.0.0.0/16');
      new ec2.CfnRouteTable(b, 'Table', { vpcId: useIt ? vpc.vpcId : 'vpc-0123456789abcdef0' });
      return stacksOf(app);
    };

    // WHEN deployed in the CLI's order (A first: B no longer depends on it)
    const simulation = simulateDeployAll(build(true), build(false));

    // THEN A's update would fail, and B's table is replaced
    expect(simulation.order).toEqual(['A', 'B']);
    expect(simulation.problems).toEqual([expect.stringMatching(/^A cannot remove export \S+: stack B imports it$/)]);
    expect(simulation.replaced).toEqual(['B/Table']);
  });
});
