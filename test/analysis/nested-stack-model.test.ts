import * as fs from 'fs';
import * as path from 'path';
import { App, NestedStack, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { modelApp } from './support-model-app';
import { Finding, FindingRules, NetworkModel } from '../../lib/analysis';
import { NetworkValidationPlugin } from '../../lib/analysis/validation-plugin';
import { VpcPeering } from '../../lib/peering/vpc-peering';
import { synthApp } from '../support/synth-app';

/**
 * Networks inside aws-cdk-lib NestedStacks: the nested templates are read from the assembly,
 * the parameters the parent passes and the outputs it reads connect the two.
 */

function vpc(scope: Stack, id: string, cidr: string): ec2.Vpc {
  return new ec2.Vpc(scope, id, {
    ipAddresses: ec2.IpAddresses.cidr(cidr), maxAzs: 1, natGateways: 0,
    subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
  });
}

/**
 * Parent stack P with VPCs Edge (10.2.0.0/16) and App (10.3.0.0/16); nested stack P/Net with
 * Shared (10.0.0.0/16) and App (10.1.0.0/16, the same construct id, so the same logical ids, as
 * the parent's App). Peerings: Shared–App inside the nested stack; Edge–Shared in the parent
 * (which reads the nested stack's outputs); Shared–parent App in the nested stack (which
 * receives the parent's VPC and route table as parameters). The nested App also routes Edge's
 * block over its peering with Shared: a transitive destination.
 */
function nestedNetwork(context: Record<string, unknown> = {}) {
  const app = modelApp(context);
  const stage = new Stage(app, 'Prod');
  const parent = new Stack(stage, 'P', { env: { account: '111111111111', region: 'us-east-1' } });
  const nested = new NestedStack(parent, 'Net');
  const edge = vpc(parent, 'Edge', '10.2.0.0/16');
  const parentApp = vpc(parent, 'App', '10.3.0.0/16');
  const shared = vpc(nested, 'Shared', '10.0.0.0/16');
  const nestedApp = vpc(nested, 'App', '10.1.0.0/16');
  const inside = new VpcPeering(nested, 'SharedApp', { requester: shared, accepter: nestedApp });
  new VpcPeering(parent, 'EdgeShared', { requester: edge, accepter: shared });
  new VpcPeering(nested, 'SharedParentApp', { requester: shared, accepter: parentApp });
  new ec2.CfnRoute(nested, 'AppToEdge', {
    routeTableId: nestedApp.isolatedSubnets[0].routeTable.routeTableId,
    destinationCidrBlock: '10.2.0.0/16',
    vpcPeeringConnectionId: inside.peeringConnectionId,
  });
  return { app, parent, edge, parentApp, shared, nestedApp };
}

function nestedTemplates(directory: string): string[] {
  return fs.readdirSync(directory).filter((f) => f.endsWith('.nested.template.json'));
}

const unknownsAbout = (findings: Finding[], text: RegExp) => findings.filter((f) => f.ruleId === FindingRules.UNKNOWN && text.test(f.message));

describe('NetworkModel with nested stacks', () => {
  const cases: Array<[string, Record<string, unknown>, (app: App) => NetworkModel]> = [
    ['fromApp', {}, (app) => NetworkModel.fromApp(app)],
    ['fromAssembly, nested templates found by the asset manifest', {},
      (app) => NetworkModel.fromAssembly(app.synth().directory)],
    ['fromAssembly, nested templates found by aws:asset:path metadata (as under the CLI)', { 'aws:cdk:enable-asset-metadata': true },
      (app) => {
        // Without the asset manifests: only the metadata names the nested template.
        const directory = path.join(app.synth().directory, 'assembly-Prod');
        fs.readdirSync(directory).filter((f) => f.endsWith('.assets.json')).forEach((f) => fs.unlinkSync(path.join(directory, f)));
        return NetworkModel.fromAssembly(app.synth().directory);
      }],
  ];

  test.each(cases)('%s: the VPCs, peerings and routes of the nested stack are modelled and connect to the parent', (_name, context, build) => {
    // GIVEN
    const { app, edge, parentApp, shared, nestedApp } = nestedNetwork(context);

    // WHEN
    const model = build(app);

    // THEN: the nested VPCs are there, by construct path, with their own resources (not the parent App's).
    expect(model.vpcs.map((v) => [v.name, v.cidrs])).toEqual(expect.arrayContaining([
      ['Prod/P/Edge', ['10.2.0.0/16']],
      ['Prod/P/App', ['10.3.0.0/16']],
      ['Prod/P/Net/Shared', ['10.0.0.0/16']],
      ['Prod/P/Net/App', ['10.1.0.0/16']],
    ]));
    expect(model.vpcs).toHaveLength(4);
    expect(model.peerings.map((p) => [p.name, p.requester, p.accepter]).sort()).toEqual([
      ['Prod/P/EdgeShared', 'Prod/P/Edge', 'Prod/P/Net/Shared'],
      ['Prod/P/Net/SharedApp', 'Prod/P/Net/Shared', 'Prod/P/Net/App'],
      ['Prod/P/Net/SharedParentApp', 'Prod/P/Net/Shared', 'Prod/P/App'],
    ]);
    // Inside the nested stack.
    expect(model.canReach(shared, nestedApp)).toMatchObject({ reachable: true, certain: true });
    // Parent → nested: the parent's peering reads the nested VPC and route table as outputs.
    const edgeToShared = model.canReach(edge, shared);
    expect(edgeToShared).toMatchObject({ reachable: true, certain: true });
    expect(edgeToShared.path.map((h) => [h.direction, h.routeTable, h.via])).toEqual([
      ['there', 'Prod/P/Edge/IsolatedSubnet1/RouteTable', 'Prod/P/EdgeShared'],
      ['back', 'Prod/P/Net/Shared/IsolatedSubnet1/RouteTable', 'Prod/P/EdgeShared'],
    ]);
    // Nested → parent: the nested peering receives the parent's VPC and route table as parameters.
    expect(model.canReach(shared, parentApp)).toMatchObject({ reachable: true, certain: true });
    expect(model.canReach(parentApp, nestedApp)).toMatchObject({ reachable: false, certain: true });
    // The nested stack's own mistake is found, and nothing is reported as unknown.
    const transitive = model.findings.filter((f) => f.ruleId === FindingRules.TRANSITIVE_DESTINATION);
    expect(transitive).toHaveLength(1);
    expect(transitive[0].constructs).toContain('Prod/P/Net/AppToEdge');
    expect(model.findings.filter((f) => f.ruleId === FindingRules.UNKNOWN)).toEqual([]);
  });

  test('fromAssembly: a nested stack whose template file is missing is reported as unknown, not skipped silently', () => {
    // GIVEN
    const { app } = nestedNetwork({ 'aws:cdk:enable-asset-metadata': true });
    const directory = path.join(app.synth().directory, 'assembly-Prod');
    const files = nestedTemplates(directory);
    expect(files).toHaveLength(1);
    fs.unlinkSync(path.join(directory, files[0]));

    // WHEN
    const model = NetworkModel.fromAssembly(app.synth().directory);

    // THEN
    expect(model.vpcs.map((v) => v.name)).not.toContain('Prod/P/Net/Shared');
    const unknown = unknownsAbout(model.findings, /^Nested stack Prod\/P\/Net /);
    expect(unknown).toHaveLength(1);
    expect(unknown[0].message).toMatch(/not modelled: its template is not among the templates read/);
    expect(unknown[0].constructs).toEqual(['Prod/P/Net']);
    // The parent's peering with the nested VPC is now toward a VPC it cannot see.
    expect(model.canReach('Prod/P/Edge', '10.0.0.10')).toMatchObject({ certain: false });
  });

  test('fromTemplates with only the parent template: each nested stack is reported as unknown', () => {
    // GIVEN
    const { app, parent } = nestedNetwork();
    const directory = path.join(app.synth().directory, 'assembly-Prod');
    const template = JSON.parse(fs.readFileSync(path.join(directory, parent.templateFile), 'utf8'));

    // WHEN
    const model = NetworkModel.fromTemplates({ P: template });

    // THEN
    const unknown = unknownsAbout(model.findings, /^Nested stack /);
    expect(unknown).toHaveLength(1);
    expect(unknown[0].fix).toMatch(/fromApp or NetworkModel.fromAssembly/);
    expect(unknown[0].resources).toEqual([{ stack: 'P', logicalId: expect.stringMatching(/^NetNestedStackNetNestedStackResource/) }]);
  });

  test('the validation plugin, which receives only the top-level templates, reports the nested stack as unknown', () => {
    // GIVEN
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const { app } = nestedNetwork({ 'aws:cdk:enable-path-metadata': true });
    Validations.of(app).addPlugins(new NetworkValidationPlugin());

    // WHEN
    const { findings } = synthApp(app);
    jest.restoreAllMocks();

    // THEN
    const nested = findings.filter((f) => f.plugin === 'cdk-vpc-connect' && f.rule === FindingRules.UNKNOWN && /^Nested stack /.test(f.description));
    expect(nested).toHaveLength(1);
    expect(nested[0].description).toMatch(/^Nested stack Prod\/P\/Net \(.*\) is not modelled/);
    expect(nested[0].paths).toEqual(['Prod/P/Net.NestedStack/Net.NestedStackResource']);
  });
});
