// Scale cases of the transit gateway hub: run by `npm run test:scale`, not by the default `jest`
// (jest.config.js ignores test/scale/); `npm run bench` measures the same hubs' synth time.
import { App, Stack } from 'aws-cdk-lib';
import { TransitGatewayHub } from '../../lib/transit';
import { testVpc } from '../support/vpcs';

const ENV = { account: '111111111111', region: 'us-east-1' };

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

describe('TransitGatewayHub at scale', () => {
  test('a hub of 100 spokes, one stack each with public and isolated subnets in 2 AZs, keeps every stack under 500 resources', () => {
    // Each spoke table gets 99 routes: within AWS's default quota of 500 routes per route table.
    const app = new App();
    const hubStack = new Stack(app, 'HubStack', { env: ENV });
    const vpcs = Array.from({ length: 100 }, (_, i) => testVpc(new Stack(app, `Spoke${i}`, { env: ENV }), 'Vpc', `10.${i}.0.0/16`));
    const hub = new TransitGatewayHub(hubStack, 'Hub', { spokes: vpcs.slice(0, 50) });
    // The other half added one by one, as an app that grows would.
    for (const vpc of vpcs.slice(50)) { hub.addSpoke(vpc); }

    const assembly = app.synth();
    expect(assembly.stacks).toHaveLength(101);
    const counts = assembly.stacks.map((s) => ({ stack: s.stackName, resources: Object.keys(s.template.Resources).length }));
    expect(counts.filter((c) => c.resources >= 500)).toEqual([]);
    expect(counts.find((c) => c.stack === 'HubStack')!.resources).toBe(2);
    for (const name of ['Spoke0', 'Spoke42', 'Spoke99']) {
      const spoke = assembly.getStackByName(name).template.Resources as Resources;
      expect(Object.values(spoke).filter((r) => r.Type === 'AWS::EC2::Route' && r.Properties?.TransitGatewayId)).toHaveLength(4 * 99);
    }
  }, 300_000);
});
