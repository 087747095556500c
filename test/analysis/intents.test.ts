import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { modelApp } from './support-model-app';
import { FindingRules, FindingSeverity, NetworkModel, NetworkValidationPlugin } from '../../lib/analysis';
import { NetworkIntent } from '../../lib/analysis/intents';
import { VpcPeering } from '../../lib/peering/vpc-peering';
import { synthApp } from '../support/synth-app';
import { testVpc } from '../support/vpcs';

/** Prod, peered with Shared; Dev, peered with Shared; a server in Shared admitting HTTPS from Prod only. */
function network(app: App) {
  const stack = new Stack(app, 'Net');
  const prod = testVpc(stack, 'Prod', '10.0.0.0/16', { groups: ['Isolated'], maxAzs: 1 });
  const dev = testVpc(stack, 'Dev', '10.1.0.0/16', { groups: ['Isolated'], maxAzs: 1 });
  const shared = testVpc(stack, 'Shared', '10.2.0.0/16', { groups: ['Isolated'], maxAzs: 1 });
  new VpcPeering(stack, 'ProdShared', { requester: prod, accepter: shared });
  new VpcPeering(stack, 'DevShared', { requester: dev, accepter: shared });
  const group = new ec2.SecurityGroup(stack, 'ServerSg', { vpc: shared, allowAllOutbound: false });
  group.addIngressRule(ec2.Peer.ipv4('10.0.0.0/16'), ec2.Port.tcp(443));
  const server = new ec2.CfnNetworkInterface(stack, 'Server', { subnetId: shared.isolatedSubnets[0].subnetId, groupSet: [group.securityGroupId] });
  return { stack, prod, dev, shared, server };
}

describe('intents', () => {
  test('expectIsolated passes when no member of one group reaches the other, either way', () => {
    const app = modelApp();
    const { prod, dev } = network(app);
    const model = NetworkModel.fromApp(app);
    model.expectIsolated([prod], [dev]);
    expect(model.checkIntents([{ isolate: { groupA: ['Net/Prod'], groupB: ['Net/Dev'] } }])).toEqual([]);
  });

  test('expectIsolated lists every pair that reaches, with its path, both ways', () => {
    const app = modelApp();
    const { prod, dev, shared } = network(app);
    const model = NetworkModel.fromApp(app);
    expect(() => model.expectIsolated([prod, dev], [shared])).toThrow([
      'Expected the two groups to be isolated on the routes, but:',
      '  Net/Prod -> Net/Shared: reachable',
      '    there: in Net/Prod, Net/Prod/IsolatedSubnet1/RouteTable routes 10.2.0.0/16 -> pcx Net/ProdShared',
      '    back : in Net/Shared, Net/Shared/IsolatedSubnet1/RouteTable routes 10.0.0.0/16 -> pcx Net/ProdShared',
    ].join('\n'));
    // On a port, the security group isolates Dev from the server, not Prod.
    model.expectIsolated([dev], ['Net/Server'], { port: 443 });
    expect(() => model.expectIsolated([prod], ['Net/Server'], { port: 443 })).toThrow(/Expected the two groups to be isolated on tcp\/443, but:\n {2}Net\/Prod -> Net\/Server: reachable/);
  });

  test('expectReach and expectNoReach take a port, and say which component blocks', () => {
    const app = modelApp();
    const { prod, dev } = network(app);
    const model = NetworkModel.fromApp(app);
    model.expectReach(prod, 'Net/Server', { port: 443 });
    model.expectNoReach(dev, 'Net/Server', { port: 443 });
    expect(() => model.expectReach(dev, 'Net/Server', { port: 443 })).toThrow(
      'Expected Net/Dev to Net/Server on tcp/443 to be reachable, but it is not (SECURITY_GROUP_INGRESS): ' +
      'No ingress rule of the security group Net/ServerSg of Net/Server admits tcp/443 from Net/Dev/IsolatedSubnet1 (10.1.0.0/24).');
  });

  test('checkIntents returns a readable message per violated intent; an intent sets exactly one of reach and isolate', () => {
    const app = modelApp();
    network(app);
    const model = NetworkModel.fromApp(app);
    const intents: NetworkIntent[] = [
      { reach: { source: 'Net/Prod', destination: 'Net/Server', port: 443 } },
      { reach: { source: 'Net/Dev', destination: 'Net/Server', port: 443 }, description: 'dev uses the shared server' },
      { reach: { source: 'Net/Dev', destination: 'Net/Prod', reachable: false } },
    ];
    expect(model.checkIntents(intents)).toEqual([
      "Intent 'dev uses the shared server' is violated. Expected Net/Dev to Net/Server on tcp/443 to be reachable, but it is not (SECURITY_GROUP_INGRESS): " +
      'No ingress rule of the security group Net/ServerSg of Net/Server admits tcp/443 from Net/Dev/IsolatedSubnet1 (10.1.0.0/24).\n' +
      '  there: in Net/Dev, Net/Dev/IsolatedSubnet1/RouteTable routes 10.2.0.0/16 -> pcx Net/DevShared\n' +
      '  back : in Net/Shared, Net/Shared/IsolatedSubnet1/RouteTable routes 10.1.0.0/16 -> pcx Net/DevShared',
    ]);
    expect(() => model.expectIntents(intents)).toThrow(/^Intent 'dev uses the shared server' is violated/);
    expect(() => model.checkIntents([{ description: 'empty' }])).toThrow("A network intent sets exactly one of reach and isolate; got neither (intent 'empty').");
    expect(() => new NetworkValidationPlugin({ intents: [{ reach: intents[0].reach, isolate: { groupA: [], groupB: [] } }] }))
      .toThrow('NetworkValidationPlugin: each intent sets exactly one of reach and isolate; one sets both.');
  });

  test('the validation plugin reports a violated intent as an error of rule vpc-connect/intent, on the intent\'s source', () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const app = modelApp();
      network(app);
      Validations.of(app).addPlugins(new NetworkValidationPlugin({
        intents: [
          { isolate: { groupA: ['Net/Prod'], groupB: ['Net/Dev'] } },
          { reach: { source: 'Net/Server', destination: 'Net/Dev', reachable: false } },
          { reach: { source: 'Net/Dev', destination: 'Net/Server', port: 443 } },
        ],
      }));
      const { findings } = synthApp(app);
      const intents = findings.filter((f) => f.plugin === NetworkValidationPlugin.PLUGIN_NAME && f.rule === FindingRules.INTENT);
      expect(intents).toHaveLength(2);
      expect(intents.map((f) => f.severity)).toEqual([FindingSeverity.ERROR, FindingSeverity.ERROR]);
      expect(intents[0].description).toMatch(/^Expected Net\/Server to Net\/Dev to be unreachable, but it is reachable:/);
      expect(intents[0].paths).toEqual(['Net/Server']);
      expect(intents[1].description).toMatch(/^Expected Net\/Dev to Net\/Server on tcp\/443 to be reachable, but it is not \(SECURITY_GROUP_INGRESS\)/);
      expect(intents[1].paths).toEqual(['Net/Dev']);
      const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8'));
      expect(report.pluginReports[0].conclusion).toBe('success'); // report-only without failOn
    } finally {
      jest.restoreAllMocks();
    }
  });
});
