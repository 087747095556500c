import * as fs from 'fs';
import * as path from 'path';
import { NetworkValidationPlugin } from '../../lib';
import { synthesizedExampleApp } from '../support/example-apps';

/**
 * Every example stack, synthesized as `npx cdk synth` does (cdk.json context, cdk-nag
 * AwsSolutions as a validation plugin), passes @aws/cloudformation-validate and cdk-nag with
 * no finding left unacknowledged, and prints no warning. (Synthesized once per jest run, by
 * test/support/global-setup.ts.)
 */
describe('the example app', () => {
  const result = synthesizedExampleApp('examples');

  test('synthesizes every example stack', () => {
    expect(result.assembly.stacks.map((s) => s.stackName)).toEqual(expect.arrayContaining([
      'DefaultVpcPeering', 'CrossRegionPeering-Requester', 'CrossRegionPeering-Accepter',
      'CrossAccountPeering-Accepter', 'CrossAccountPeering-Requester', 'PrivateSubnetEndpoints', 'FargateEndpoints',
      'MeshNetwork', 'HubNetwork', 'SharedEndpoints',
      'TransitNetwork-Network', 'TransitNetwork-Prod', 'TransitNetwork-Dev', 'TransitNetwork-NetworkPeer',
    ]));
  });

  test('@aws/cloudformation-validate reports no error and no warning', () => {
    expect(result.findings.filter((f) => f.plugin === 'CloudFormation Validate')).toEqual([]);
  });

  test('cdk-nag AwsSolutions reports nothing that is not acknowledged with a reason', () => {
    expect(result.findings.filter((f) => f.plugin !== 'CloudFormation Validate')).toEqual([]);
  });

  test('the network analysis ran over the examples and found no routing problem left unacknowledged', () => {
    const report = JSON.parse(fs.readFileSync(path.join(result.assembly.directory, 'validation-report.json'), 'utf8'));
    const names = report.pluginReports.map((r: { pluginName: string }) => r.pluginName);
    expect(names).toContain(NetworkValidationPlugin.PLUGIN_NAME);
    expect(result.findings.filter((f) => f.plugin === NetworkValidationPlugin.PLUGIN_NAME)).toEqual([]);
  });

  test('needs no context lookup, so `npx cdk synth` works offline without credentials', () => {
    expect(result.assembly.manifest.missing).toBeUndefined();
  });

  test('no stack carries a warning', () => {
    expect(result.warnings).toEqual([]);
  });

  test('every acknowledgment carries a reason', () => {
    const acknowledgments = result.assembly.stacksRecursively.flatMap((stack) =>
      Object.values(stack.manifest.metadata ?? {}).flat()
        .filter((m) => m.type === 'aws:cdk:acknowledged-rules')
        .flatMap((m) => m.data as unknown as Array<{ id: string; reason: string }>));
    for (const ack of acknowledgments) {
      expect(ack.reason.trim().length).toBeGreaterThan(20);
    }
  });
});
