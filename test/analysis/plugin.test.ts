import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { FakeModel, finding } from './support-fake-model';
import { modelApp } from './support-model-app';
import { NetworkModel } from '../../lib/analysis/network-model';
import { FindingRules, FindingSeverity } from '../../lib/analysis/types';
import { NetworkValidationPlugin, NetworkValidationPluginProps } from '../../lib/analysis/validation-plugin';
import { VpcPeering } from '../../lib/peering/vpc-peering';
import { synthApp, ValidationFinding } from '../support/synth-app';
import { testVpc } from '../support/vpcs';

const PLUGIN = 'cdk-vpc-connect';

/** Two VPCs and a peering with routes from A to B only: B's replies are dropped. */
function oneWayApp(props: NetworkValidationPluginProps = {}, context: Record<string, unknown> = {}) {
  const app = modelApp(context);
  const stack = new Stack(app, 'Net');
  const a = testVpc(stack, 'VpcA', '10.0.0.0/16', { groups: ['Isolated'], maxAzs: 1 });
  const b = testVpc(stack, 'VpcB', '10.1.0.0/16', { groups: ['Isolated'], maxAzs: 1 });
  const pcx = new ec2.CfnVPCPeeringConnection(stack, 'AtoB', { vpcId: a.vpcId, peerVpcId: b.vpcId });
  const route = new ec2.CfnRoute(stack, 'AtoBRoute', {
    routeTableId: a.isolatedSubnets[0].routeTable.routeTableId,
    destinationCidrBlock: '10.1.0.0/16',
    vpcPeeringConnectionId: pcx.ref,
  });
  Validations.of(app).addPlugins(new NetworkValidationPlugin(props));
  return { app, stack, route };
}

/** Two VPCs peered by the library's VpcPeering: routes on both sides. */
function cleanApp(props: NetworkValidationPluginProps = {}) {
  const app = modelApp();
  const stack = new Stack(app, 'Net');
  const a = testVpc(stack, 'VpcA', '10.0.0.0/16');
  const b = testVpc(stack, 'VpcB', '10.1.0.0/16');
  new VpcPeering(stack, 'AtoB', { requester: a, accepter: b });
  Validations.of(app).addPlugins(new NetworkValidationPlugin(props));
  return app;
}

function ours(findings: ValidationFinding[]): ValidationFinding[] {
  return findings.filter((f) => f.plugin === PLUGIN);
}

function report(app: App): { pluginName: string; conclusion: string; suppressedViolations?: { ruleName: string }[] }[] {
  const file = path.join(app.outdir, 'validation-report.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')).pluginReports;
}

describe('NetworkValidationPlugin', () => {
  // aws-cdk-lib prints each validation report to stderr; the tests read validation-report.json instead.
  beforeEach(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  test('reports a one-way route in the validation report, with its rule id and the route', () => {
    // GIVEN
    const { app } = oneWayApp();
    // WHEN
    const { findings } = synthApp(app);
    // THEN
    const oneWay = ours(findings).filter((f) => f.rule === FindingRules.ONE_WAY_ROUTE);
    expect(oneWay).toHaveLength(1);
    expect(oneWay[0]).toMatchObject({ severity: 'error', description: expect.stringMatching(/back|reply|return/i) });
    expect(oneWay[0].paths).toEqual(['Net/AtoBRoute']);
    expect(report(app).find((r) => r.pluginName === PLUGIN)?.conclusion).toBe('success');
  });

  test('names the same constructs with and without aws:cdk:path metadata (as cdk synth writes it)', () => {
    // GIVEN
    const plain = oneWayApp();
    const withPaths = oneWayApp({}, { 'aws:cdk:enable-path-metadata': true });
    // WHEN
    const a = ours(synthApp(plain.app).findings).filter((f) => f.rule === FindingRules.ONE_WAY_ROUTE);
    const b = ours(synthApp(withPaths.app).findings).filter((f) => f.rule === FindingRules.ONE_WAY_ROUTE);
    // THEN
    expect(b.map((f) => f.paths)).toEqual(a.map((f) => f.paths));
    expect(b[0].paths).toEqual(['Net/AtoBRoute']);
  });

  test('analyses the stacks of nested stages too', () => {
    // GIVEN the one-way route in a stack of a stage, the plugin on the app
    const app = modelApp();
    const stage = new Stage(app, 'Prod');
    const stack = new Stack(stage, 'Net');
    const a = testVpc(stack, 'VpcA', '10.0.0.0/16', { groups: ['Isolated'], maxAzs: 1 });
    const b = testVpc(stack, 'VpcB', '10.1.0.0/16', { groups: ['Isolated'], maxAzs: 1 });
    const pcx = new ec2.CfnVPCPeeringConnection(stack, 'AtoB', { vpcId: a.vpcId, peerVpcId: b.vpcId });
    new ec2.CfnRoute(stack, 'AtoBRoute', {
      routeTableId: a.isolatedSubnets[0].routeTable.routeTableId,
      destinationCidrBlock: '10.1.0.0/16',
      vpcPeeringConnectionId: pcx.ref,
    });
    Validations.of(app).addPlugins(new NetworkValidationPlugin());
    // WHEN
    const { findings } = synthApp(app);
    // THEN
    expect(ours(findings).filter((f) => f.rule === FindingRules.ONE_WAY_ROUTE).map((f) => f.paths)).toEqual([['Prod/Net/AtoBRoute']]);
  });

  test('fails the synthesis on an error with failOn error', () => {
    // GIVEN
    const { app } = oneWayApp({ failOn: FindingSeverity.ERROR });
    // THEN
    expect(() => app.synth()).toThrow(/ERROR .* replies are dropped\. \(cdk-vpc-connect\)/);
    expect(report(app).find((r) => r.pluginName === PLUGIN)?.conclusion).toBe('failure');
  });

  test('does not fail with failOn error when the error is acknowledged on the route', () => {
    // GIVEN
    const { app, route } = oneWayApp({ failOn: FindingSeverity.ERROR });
    Validations.of(route).acknowledge({ id: `${PLUGIN}::${FindingRules.ONE_WAY_ROUTE}`, reason: 'B answers through a VPN' });
    // WHEN
    const { findings } = synthApp(app);
    // THEN
    expect(ours(findings).filter((f) => f.rule === FindingRules.ONE_WAY_ROUTE)).toEqual([]);
    const ourReport = report(app).find((r) => r.pluginName === PLUGIN)!;
    expect(ourReport.conclusion).toBe('success');
    expect(ourReport.suppressedViolations?.map((v) => v.ruleName)).toContain(FindingRules.ONE_WAY_ROUTE);
  });

  test('reports nothing for a peering with routes on both sides', () => {
    const { findings } = synthApp(cleanApp({ failOn: FindingSeverity.INFO }));
    expect(ours(findings)).toEqual([]);
  });

  test('ignore drops a rule entirely', () => {
    const { app } = oneWayApp({ ignore: [FindingRules.ONE_WAY_ROUTE], failOn: FindingSeverity.ERROR });
    const { findings } = synthApp(app);
    expect(ours(findings).map((f) => f.rule)).not.toContain(FindingRules.ONE_WAY_ROUTE);
  });

  describe('quotas.routesPerRouteTable is the quota of the route-quota rule', () => {
    /** A table with its local route and three to a transit gateway. */
    function crowdedApp(props: NetworkValidationPluginProps, context: Record<string, unknown> = {}) {
      const app = modelApp(context);
      const stack = new Stack(app, 'Net');
      const vpc = testVpc(stack, 'Vpc', '10.0.0.0/16', { groups: ['Isolated'], maxAzs: 1 });
      const tableId = vpc.isolatedSubnets[0].routeTable.routeTableId;
      for (const [i, cidr] of ['192.168.1.0/24', '192.168.2.0/24', '192.168.3.0/24'].entries()) {
        new ec2.CfnRoute(stack, `Route${i}`, { routeTableId: tableId, destinationCidrBlock: cidr, transitGatewayId: 'tgw-0123456789abcdef0' });
      }
      Validations.of(app).addPlugins(new NetworkValidationPlugin(props));
      return app;
    }

    test('over a quota of 2: an error on the route table, which fails the synthesis with failOn error', () => {
      // GIVEN
      const app = crowdedApp({ quotas: { routesPerRouteTable: 2 }, failOn: FindingSeverity.ERROR });
      // THEN
      expect(() => app.synth()).toThrow(/holds \d IPv4 routes; the quota is 2 per route table/);
      const quota = report(app).find((r) => r.pluginName === PLUGIN) as unknown as { violations: { ruleName: string; severity: string }[] };
      expect(quota.violations.filter((v) => v.ruleName === FindingRules.ROUTE_QUOTA)).toEqual([expect.objectContaining({ severity: 'error' })]);
    });

    test('by default, the quota of the app\'s context key cdk-vpc-connect:quotas', () => {
      // GIVEN no quota on the plugin, 2 routes per table in the app's context
      const app = crowdedApp({ failOn: FindingSeverity.ERROR }, { 'cdk-vpc-connect:quotas': { routesPerRouteTable: 2 } });
      // THEN
      expect(() => app.synth()).toThrow(/holds \d IPv4 routes; the quota is 2 per route table/);
    });

    test('the plugin\'s quotas override the context\'s', () => {
      const app = crowdedApp({ quotas: { routesPerRouteTable: 500 }, failOn: FindingSeverity.ERROR }, { 'cdk-vpc-connect:quotas': { routesPerRouteTable: 2 } });
      const { findings } = synthApp(app);
      expect(ours(findings).map((f) => f.rule)).not.toContain(FindingRules.ROUTE_QUOTA);
    });

    test('under the default quota: no finding', () => {
      const { findings } = synthApp(crowdedApp({ failOn: FindingSeverity.ERROR }));
      expect(ours(findings).map((f) => f.rule)).not.toContain(FindingRules.ROUTE_QUOTA);
    });
  });

  describe('rejects bad options in the constructor', () => {
    test.each<[string, NetworkValidationPluginProps, RegExp]>([
      ['failOn', { failOn: 'fatal' as FindingSeverity }, /failOn is 'fatal'; use one of info, warning, error \(FindingSeverity\), or leave it unset to report findings without failing the synthesis/],
      ['failOn never (0.1): leave it unset', { failOn: 'never' as FindingSeverity }, /failOn is 'never'; use one of info, warning, error \(FindingSeverity\), or leave it unset/],
      ['failOn a property of every object', { failOn: 'constructor' as FindingSeverity }, /failOn is 'constructor'/],
      ['a zero quota', { quotas: { routesPerRouteTable: 0 } }, /^NetworkValidationPlugin: quotas\.routesPerRouteTable must be a positive integer, got 0\.$/],
      ['a fractional quota', { quotas: { routesPerRouteTable: 2.5 } }, /quotas\.routesPerRouteTable must be a positive integer, got 2\.5\./],
      ['a quota above what AWS allows', { quotas: { routesPerRouteTable: 1001 } }, /quotas\.routesPerRouteTable is 1001, but AWS allows at most 1000 routes per route table\./],
      ['an unknown rule', { ignore: [FindingRules.UNKNOWN, 'vpc-connect/one-way'] }, /ignore names unknown rules \(vpc-connect\/one-way\); the rules are vpc-connect\/peering-not-attached/],
    ])('%s', (_name, props, error) => {
      expect(() => new NetworkValidationPlugin(props)).toThrow(error);
    });
  });

  test('declares its name and every rule id', () => {
    const plugin = new NetworkValidationPlugin();
    expect(plugin.name).toBe(PLUGIN);
    expect(plugin.ruleIds).toEqual([
      'vpc-connect/peering-not-attached', 'vpc-connect/transitive-destination', 'vpc-connect/one-way-route',
      'vpc-connect/ambiguous-destination', 'vpc-connect/edge-to-edge', 'vpc-connect/route-quota', 'vpc-connect/unknown',
      'vpc-connect/unmodelled-routes', 'vpc-connect/intent', 'vpc-connect/reply-routing', 'vpc-connect/peer-not-admitted',
      'vpc-connect/endpoint-not-admitted', 'vpc-connect/nacl-drops-replies',
    ]);
    expect(plugin.ruleIds).toEqual(FindingRules.all());
    expect(plugin.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  describe('when the analysis fails', () => {
    function brokenTemplate(): string {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vc-plugin-'));
      const file = path.join(dir, 'Broken.template.json');
      fs.writeFileSync(file, JSON.stringify({ Resources: { Vpc: { Properties: { CidrBlock: '10.0.0.0/16' } } } }));
      return file;
    }

    test('report-only (failOn unset): one warning, and the synthesis goes on', () => {
      // WHEN
      const result = new NetworkValidationPlugin().validate({ templatePaths: [brokenTemplate()], appConstruct: new App(), stackTemplates: [] });
      // THEN
      expect(result.success).toBe(true);
      expect(result.violations).toEqual([expect.objectContaining({
        ruleName: FindingRules.UNKNOWN,
        severity: 'warning',
        description: expect.stringMatching(/^The network analysis failed, nothing was checked: .*no Type/),
      })]);
    });

    test('report-only: a template that cannot be read is one warning too', () => {
      const result = new NetworkValidationPlugin().validate({ templatePaths: [path.join(os.tmpdir(), 'missing', 'X.template.json')], appConstruct: new App(), stackTemplates: [] });
      expect(result).toEqual({ success: true, violations: [expect.objectContaining({ description: expect.stringMatching(/analysis failed.*ENOENT/) })] });
    });

    test('guarding (failOn set): the error propagates, and aws-cdk-lib fails the plugin', () => {
      const plugin = new NetworkValidationPlugin({ failOn: FindingSeverity.ERROR });
      expect(() => plugin.validate({ templatePaths: [brokenTemplate()], appConstruct: new App(), stackTemplates: [] })).toThrow(/no Type/);
    });
  });

  describe('maps each finding to its violating resources', () => {
    let spy: jest.SpyInstance;
    afterEach(() => spy.mockRestore());

    function validate(...findings: ReturnType<typeof finding>[]) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vc-plugin-'));
      const file = path.join(dir, 'Net.template.json');
      fs.writeFileSync(file, JSON.stringify({
        Resources: {
          VpcA1234: { Type: 'AWS::EC2::VPC', Metadata: { 'aws:cdk:path': 'Net/VpcA/Resource' } },
          Rtb5678: { Type: 'AWS::EC2::RouteTable', Metadata: { 'aws:cdk:path': 'Net/VpcA/Private/RouteTable' } },
        },
      }));
      spy = jest.spyOn(NetworkModel, 'fromTemplates').mockReturnValue(new FakeModel({ findings }) as unknown as NetworkModel);
      const result = new NetworkValidationPlugin({ failOn: FindingSeverity.WARNING }).validate({ templatePaths: [file], appConstruct: new App(), stackTemplates: [] });
      return { file, result };
    }

    test('on the first resource the model names, else on its first construct; the report says the rest', () => {
      // GIVEN
      const withResources = {
        ...finding(FindingRules.ROUTE_QUOTA, FindingSeverity.WARNING, ['ignored']),
        resources: [{ stack: 'Other', logicalId: 'Unknown' }, { stack: 'Net', logicalId: 'Rtb5678' }, { stack: 'Net', logicalId: 'VpcA1234' }],
      };
      const byNames = finding(FindingRules.ONE_WAY_ROUTE, FindingSeverity.ERROR, ['Net/VpcA1234', 'Net/VpcA/Private/RouteTable']);
      // WHEN
      const { file, result } = validate(withResources, byNames);
      // THEN
      expect(spy).toHaveBeenCalledWith({ Net: expect.objectContaining({ Resources: expect.any(Object) }) },
        { quotas: { peeringsPerVpc: 50, routesPerRouteTable: 500, resourcesPerStack: 500 } });
      expect(result.success).toBe(false);
      expect(result.violations).toEqual([
        {
          ruleName: FindingRules.ROUTE_QUOTA, description: `${FindingRules.ROUTE_QUOTA} here`, fix: `fix ${FindingRules.ROUTE_QUOTA}`, severity: 'warning',
          violatingResources: [{ resourceLogicalId: 'Rtb5678', templatePath: file, locations: [] }],
        },
        {
          ruleName: FindingRules.ONE_WAY_ROUTE, description: `${FindingRules.ONE_WAY_ROUTE} here`, fix: `fix ${FindingRules.ONE_WAY_ROUTE}`, severity: 'error',
          violatingResources: [{ resourceLogicalId: 'VpcA1234', templatePath: file, locations: [] }],
        },
      ]);
    });

    test.each([
      ['<stack>/<logicalId>', 'Net/Rtb5678', { resourceLogicalId: 'Rtb5678' }],
      ['an aws:cdk:path', 'Net/VpcA/Private/RouteTable', { resourceLogicalId: 'Rtb5678' }],
      ['the path of an L2 whose L1 is its Resource', 'Net/VpcA', { resourceLogicalId: 'VpcA1234' }],
      ['a name with a remark, by the construct it names', 'Net/VpcA (main route table)', { resourceLogicalId: 'VpcA1234' }],
      ['a path not in the templates, as is', 'Other/Thing', { constructPath: 'Other/Thing' }],
      ['a remark on a path not in the templates, on that path', 'Other/Thing (main route table)', { constructPath: 'Other/Thing' }],
    ])('a construct named by %s', (_how, construct, resource) => {
      const { result } = validate(finding(FindingRules.ONE_WAY_ROUTE, FindingSeverity.ERROR, [construct, 'Net/VpcA1234']));
      expect(result.violations[0].violatingResources).toEqual([expect.objectContaining({ ...resource, locations: [] })]);
    });

    test('a finding without constructs has no violating resource', () => {
      const { result } = validate(finding(FindingRules.UNKNOWN, FindingSeverity.INFO, []));
      expect(result.violations[0].violatingResources).toEqual([]);
    });

    test('success follows failOn', () => {
      const { result } = validate(finding(FindingRules.UNKNOWN, FindingSeverity.INFO, ['x']));
      expect(result.success).toBe(true);
    });
  });
});
