import { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { SharedEndpointsStack } from '../../examples/shared-endpoints';
import { synthesizedExampleApp, templateOf } from '../support/example-apps';
import { cdkJsonContext } from '../support/synth-app';

/** The example app, synthesized once per jest run (test/support/global-setup.ts). */
const examples = synthesizedExampleApp('examples');

describe('example: interface endpoints shared by three VPCs on a transit gateway hub', () => {
  // The stack's constructs, for their logical ids; its template is the example app's.
  const stack = new SharedEndpointsStack(new App({ context: cdkJsonContext() }), 'SharedEndpoints');
  const template = templateOf(examples, stack);
  const id = (construct: { node: { defaultChild?: unknown } } | ec2.CfnVPCEndpoint) =>
    stack.getLogicalId((('node' in construct && construct.node.defaultChild) || construct) as ec2.CfnVPCEndpoint);

  test('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('is in the example app, with no finding and no warning', () => {
    expect(examples.assembly.stacks.map((s) => s.stackName)).toContain('SharedEndpoints');
    expect(examples.findings.filter((f) => f.paths.some((p) => p.startsWith('/SharedEndpoints/')))).toEqual([]);
    expect(examples.warnings.filter((w) => w.startsWith('/SharedEndpoints/'))).toEqual([]);
  });

  test('the only interface endpoints are in the shared-services VPC, without private DNS', () => {
    const interfaces = Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } }));
    expect(interfaces).toHaveLength(7);
    for (const endpoint of interfaces) {
      expect(endpoint.Properties.VpcId).toEqual({ Ref: id(stack.sharedVpc) });
      expect(endpoint.Properties.PrivateDnsEnabled).toBe(false);
    }
    // each application VPC has its own S3 gateway endpoint for the image layers
    const gateways = Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Gateway' } }));
    expect(gateways.map((g) => g.Properties.VpcId).sort((a, b) => a.Ref.localeCompare(b.Ref)))
      .toEqual(stack.appVpcs.map((v) => ({ Ref: id(v) })).sort((a, b) => a.Ref.localeCompare(b.Ref)));
  });

  test('one private hosted zone per service, associated with the three VPCs', () => {
    const zones = Object.values(template.findResources('AWS::Route53::HostedZone'));
    const names = zones.map((z) => z.Properties.Name['Fn::Join'][1][0]).sort();
    expect(names).toEqual(['api.ecr.', 'dkr.ecr.', 'ec2messages.', 'logs.', 'sns.', 'ssm.', 'ssmmessages.']);
    for (const zone of zones) {
      expect(zone.Properties.VPCs.map((v: { VPCId: unknown }) => v.VPCId)).toEqual([stack.sharedVpc, ...stack.appVpcs].map((v) => ({ Ref: id(v) })));
    }
    // 7 apex records, plus the wildcard of dkr.ecr (<registry>.dkr.ecr.<region>.amazonaws.com)
    template.resourceCountIs('AWS::Route53::RecordSet', 8);
  });

  test('the endpoints admit HTTPS from the three VPCs and nothing else', () => {
    const group = template.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('^Interface VPC endpoints') } });
    const [properties] = Object.values(group).map((g) => g.Properties);
    expect(properties.SecurityGroupIngress.map((r: { CidrIp: string; FromPort: number; ToPort: number; IpProtocol: string }) => [r.CidrIp, r.IpProtocol, r.FromPort, r.ToPort]).sort())
      .toEqual([['10.60.0.0/16', 'tcp', 443, 443], ['10.61.0.0/16', 'tcp', 443, 443], ['10.62.0.0/16', 'tcp', 443, 443]]);
  });

  test('costs less than the same endpoints in both application VPCs', () => {
    const estimate = stack.endpoints.estimateMonthlyCost({ traffic: { gbPerMonth: 50 } });
    // 7 endpoints × 2 AZs × 730 h × $0.01 = 102.20; 50 GB × $0.01; 7 zones × $0.50; 50 GB × $0.02 through the hub
    expect(estimate.monthlyUsd).toBeCloseTo(102.2 + 0.5 + 3.5 + 1, 6);
    expect(estimate.alternative!.monthlyUsd).toBeCloseTo(2 * 102.2 + 0.5, 6);
    expect(estimate.monthlySavingsUsd).toBeCloseTo(97.7, 6);
  });
});
