import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { FakeModel, vpc } from './support-fake-model';
import { modelApp } from './support-model-app';
import { escapeLabel, MERMAID_LIMITS, mermaidLimitWarnings, toMermaid } from '../../lib/analysis/diagram';
import { NetworkModel } from '../../lib/analysis/network-model';
import { VpcPeering } from '../../lib/peering/vpc-peering';
import { testVpc } from '../support/vpcs';

/** The diagram's lines, trimmed, without comments. */
function statements(diagram: string): string[] {
  return diagram.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('%%'));
}

/** Node id -> label, for every node of `diagram` (any shape). */
function nodes(diagram: string): Record<string, string> {
  const ret: Record<string, string> = {};
  for (const line of statements(diagram)) {
    const m = /^(\w+)(?:\["|\{\{"|\(\[")(.*?)(?:"\]|"\}\}|"\]\))(?::::\w+)?$/.exec(line);
    if (m) {
      ret[m[1]] = m[2];
    }
  }
  return ret;
}

/** Every link as `from kind to` (`vpc_A ---|pcx| vpc_B`). */
function links(diagram: string): string[] {
  return statements(diagram).filter((l) => /^\w+ (---|-\.-)/.test(l));
}

describe('toMermaid', () => {
  const twoPeered = () => new FakeModel({
    vpcs: [vpc('App/Net/VpcA', '10.0.0.0/16'), { name: 'App/Net/VpcB', stack: 'Net', cidrs: ['10.1.0.0/16', 'fd00::/56'], certain: true }],
    peerings: [{ name: 'App/Net/AtoB', requester: 'App/Net/VpcA', accepter: 'App/Net/VpcB' }],
  });

  test('is a left-to-right flowchart with a node per VPC: its name and blocks', () => {
    // WHEN
    const diagram = toMermaid(twoPeered());
    // THEN
    expect(diagram.split('\n')[0]).toBe('flowchart LR');
    expect(nodes(diagram)).toEqual({
      vpc_App_Net_VpcA: 'App/Net/VpcA<br/>10.0.0.0/16',
      vpc_App_Net_VpcB: 'App/Net/VpcB<br/>10.1.0.0/16<br/>fd00::/56',
    });
  });

  test('links the two VPCs of a peering, labelled pcx', () => {
    expect(links(toMermaid(twoPeered()))).toEqual(['vpc_App_Net_VpcA ---|pcx| vpc_App_Net_VpcB']);
  });

  test('draws a transit gateway as a hexagon linked to each attached VPC', () => {
    // GIVEN
    const model = new FakeModel({
      vpcs: [vpc('Hub/Spoke1', '10.0.0.0/16'), vpc('Hub/Spoke2', '10.1.0.0/16')],
      transitGateways: [{ name: 'Hub/Tgw', attachedVpcs: ['Hub/Spoke1', 'Hub/Spoke2'] }],
    });
    // WHEN
    const diagram = toMermaid(model);
    // THEN
    expect(statements(diagram)).toContain('tgw_Hub_Tgw{{"Hub/Tgw<br/>transit gateway"}}');
    expect(links(diagram)).toEqual(['tgw_Hub_Tgw --- vpc_Hub_Spoke1', 'tgw_Hub_Tgw --- vpc_Hub_Spoke2']);
  });

  test('links peered transit gateways once, labelled tgw peering', () => {
    // GIVEN
    const model = new FakeModel({
      vpcs: [vpc('Us/Spoke', '10.0.0.0/16'), vpc('Eu/Spoke', '10.100.0.0/16')],
      transitGateways: [
        { name: 'Us/Hub', attachedVpcs: ['Us/Spoke'], peeredWith: ['Eu/Hub'] },
        { name: 'Eu/Hub', attachedVpcs: ['Eu/Spoke'], peeredWith: ['Us/Hub'] },
      ],
    });
    // WHEN
    const diagram = toMermaid(model);
    // THEN
    expect(links(diagram)).toEqual(['tgw_Us_Hub --- vpc_Us_Spoke', 'tgw_Eu_Hub --- vpc_Eu_Spoke', 'tgw_Us_Hub ---|tgw peering| tgw_Eu_Hub']);
  });

  test('lists the endpoints of a VPC in one node, linked to it with a dotted line', () => {
    // GIVEN
    const model = new FakeModel({
      vpcs: [vpc('App/Vpc', '10.0.0.0/16')],
      endpoints: [
        { name: 'App/Vpc/S3', vpc: 'App/Vpc', service: 'com.amazonaws.us-east-1.s3', endpointType: ec2.VpcEndpointType.GATEWAY },
        { name: 'App/Vpc/Ssm', vpc: 'App/Vpc', service: 'com.amazonaws.us-east-1.ssm', endpointType: ec2.VpcEndpointType.INTERFACE },
        { name: 'App/Vpc/Api', vpc: 'App/Vpc', service: 'com.example.vpce.svc-123', endpointType: ec2.VpcEndpointType.INTERFACE },
      ],
    });
    // WHEN
    const diagram = toMermaid(model);
    // THEN
    expect(nodes(diagram).endpoints_App_Vpc).toBe('s3 (Gateway)<br/>ssm<br/>com.example.vpce.svc-123');
    expect(statements(diagram)).toContain('endpoints_App_Vpc(["s3 (Gateway)<br/>ssm<br/>com.example.vpce.svc-123"])');
    expect(links(diagram)).toEqual(['vpc_App_Vpc -.- endpoints_App_Vpc']);
  });

  test('adds a dashed node for a VPC that is only referenced, and dashes uncertain VPCs', () => {
    // GIVEN a peering to a VPC outside the templates, and a VPC whose CIDR is a deploy-time value
    const model = new FakeModel({
      vpcs: [vpc('App/Vpc', '10.0.0.0/16'), { name: 'App/Imported', stack: 'App', cidrs: [], certain: false }],
      peerings: [{ name: 'App/Pcx', requester: 'App/Vpc', accepter: 'vpc-0abc' }],
      transitGateways: [{ name: 'tgw-0123', attachedVpcs: ['App/Imported', 'vpc-0abc'] }],
    });
    // WHEN
    const diagram = toMermaid(model);
    // THEN the external VPC has one node, whatever references it
    expect(statements(diagram)).toEqual(expect.arrayContaining([
      'vpc_App_Imported["App/Imported<br/>CIDR unknown"]:::uncertain',
      'vpc_vpc_0abc["vpc-0abc<br/>not in the templates"]:::uncertain',
      'vpc_App_Vpc["App/Vpc<br/>10.0.0.0/16"]',
      'classDef uncertain stroke-dasharray: 5 5',
    ]));
    expect(Object.keys(nodes(diagram)).filter((id) => id.startsWith('vpc_vpc_0abc'))).toEqual(['vpc_vpc_0abc']);
    expect(links(diagram)).toEqual([
      'vpc_App_Vpc ---|pcx| vpc_vpc_0abc',
      'tgw_tgw_0123 --- vpc_App_Imported',
      'tgw_tgw_0123 --- vpc_vpc_0abc',
    ]);
  });

  test('ids are letters, digits and _ only, unique even when names sanitize alike', () => {
    // GIVEN names with / - . and spaces, two of which sanitize to the same id
    const model = new FakeModel({
      vpcs: [vpc('App/my-vpc', '10.0.0.0/16'), vpc('App/my.vpc', '10.1.0.0/16'), vpc('end', '10.2.0.0/16'), vpc('o x', '10.3.0.0/16')],
    });
    // WHEN
    const ids = Object.keys(nodes(toMermaid(model)));
    // THEN
    expect(ids).toEqual(['vpc_App_my_vpc', 'vpc_App_my_vpc_2', 'vpc_end', 'vpc_o_x']);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
    }
  });

  test('escapes labels so a name cannot end the label or inject HTML', () => {
    // GIVEN
    const model = new FakeModel({ vpcs: [vpc('App/"Prod" <b>#1</b> & `x`', '10.0.0.0/16')] });
    // WHEN
    const diagram = toMermaid(model);
    // THEN
    expect(Object.values(nodes(diagram))).toEqual(['App/#quot;Prod#quot; #lt;b#gt;#35;1#lt;/b#gt; #amp; #96;x#96;<br/>10.0.0.0/16']);
    expect(diagram).not.toContain('<b>');
  });

  test('an empty model is still a valid flowchart', () => {
    expect(statements(toMermaid(new FakeModel()))).toEqual(['flowchart LR', 'classDef uncertain stroke-dasharray: 5 5']);
  });

  test('is pure: the same model gives the same text', () => {
    const model = twoPeered();
    expect(toMermaid(model)).toBe(toMermaid(model));
  });
});

describe('escapeLabel', () => {
  test.each([
    ['plain/path-1', 'plain/path-1'],
    ['a"b', 'a#quot;b'],
    ['#', '#35;'],
    ['#quot;', '#35;quot;'],
    ['line\nbreak', 'line break'],
  ])('%j -> %j', (text, escaped) => {
    expect(escapeLabel(text)).toBe(escaped);
  });
});

describe('mermaidLimitWarnings', () => {
  /** A full mesh of `n` VPCs. */
  function mesh(n: number): FakeModel {
    const vpcs = Array.from({ length: n }, (_, i) => vpc(`Mesh/Vpc${i}`, `10.${i}.0.0/16`));
    const peerings = vpcs.flatMap((a, i) => vpcs.slice(i + 1).map((b) => ({ name: `${a.name}-${b.name}`, requester: a.name, accepter: b.name })));
    return new FakeModel({ vpcs, peerings });
  }

  test('none for a small network', () => {
    expect(mermaidLimitWarnings(toMermaid(mesh(10)))).toEqual([]);
  });

  test('warns when a 40-VPC mesh has more links than GitHub draws', () => {
    // GIVEN 40 * 39 / 2 = 780 peerings
    const diagram = toMermaid(mesh(40));
    // THEN
    expect(links(diagram)).toHaveLength(780);
    expect(mermaidLimitWarnings(diagram)).toEqual([
      `The diagram has 780 links; GitHub's Mermaid renderer draws at most ${MERMAID_LIMITS.edges} and shows an error instead.`,
    ]);
  });

  test('warns when the text is too long', () => {
    const diagram = `flowchart LR\n  %% ${'x'.repeat(MERMAID_LIMITS.characters)}\n`;
    expect(mermaidLimitWarnings(diagram)).toEqual([expect.stringMatching(/characters; GitHub's Mermaid renderer accepts at most 50000/)]);
  });
});

describe('NetworkModel.toMermaid()', () => {
  test('two peered VPCs, one with endpoints, named by construct path', () => {
    // GIVEN
    const app = modelApp();
    const stack = new Stack(app, 'Net');
    const a = testVpc(stack, 'VpcA', '10.0.0.0/16', { groups: ['Isolated'], maxAzs: 1 });
    const b = testVpc(stack, 'VpcB', '10.1.0.0/16', { groups: ['Isolated'], maxAzs: 1 });
    new VpcPeering(stack, 'AtoB', { requester: a, accepter: b });
    a.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    // WHEN
    const model = NetworkModel.fromApp(app);
    const diagram = model.toMermaid();
    // THEN
    expect(model.endpoints.map((e) => e.endpointType)).toEqual([ec2.VpcEndpointType.GATEWAY]);
    expect(nodes(diagram)).toEqual({
      vpc_Net_VpcA: 'Net/VpcA<br/>10.0.0.0/16',
      vpc_Net_VpcB: 'Net/VpcB<br/>10.1.0.0/16',
      endpoints_Net_VpcA: 's3 (Gateway)',
    });
    expect(links(diagram)).toEqual(['vpc_Net_VpcA ---|pcx| vpc_Net_VpcB', 'vpc_Net_VpcA -.- endpoints_Net_VpcA']);
  });
});
