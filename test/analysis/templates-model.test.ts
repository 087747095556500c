import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FindingRules, HopDirection, NetworkModel } from '../../lib/analysis';

/**
 * NetworkModel.fromTemplates / fromAssembly on hand-written templates: intrinsics, references
 * between stacks, unknowns, the main route table, IPv6, the route quota, and malformed input.
 */

type Resources = Record<string, unknown>;

const ref = (id: string) => ({ Ref: id });

/** A VPC with one subnet (and its own route table when `table` is set). */
function vpc(id: string, cidr: unknown, subnetCidr: unknown, table = true): Resources {
  const resources: Resources = {
    [id]: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: cidr } },
    [`${id}Subnet`]: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: ref(id), CidrBlock: subnetCidr } },
  };
  if (table) {
    resources[`${id}Table`] = { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: ref(id) } };
    resources[`${id}Assoc`] = { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { SubnetId: ref(`${id}Subnet`), RouteTableId: ref(`${id}Table`) } };
  }
  return resources;
}

function peering(id: string, requester: unknown, accepter: unknown): Resources {
  return { [id]: { Type: 'AWS::EC2::VPCPeeringConnection', Properties: { VpcId: requester, PeerVpcId: accepter } } };
}

function route(id: string, table: unknown, destination: unknown, target: Record<string, unknown>): Resources {
  return { [id]: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: table, DestinationCidrBlock: destination, ...target } } };
}

/** Two VPCs A (10.0.0.0/16) and B (10.1.0.0/16) peered, with routes both ways. */
function peered(extra: Resources = {}): Resources {
  return {
    ...vpc('A', '10.0.0.0/16', '10.0.0.0/24'),
    ...vpc('B', '10.1.0.0/16', '10.1.0.0/24'),
    ...peering('AB', ref('A'), ref('B')),
    ...route('AtoB', ref('ATable'), '10.1.0.0/16', { VpcPeeringConnectionId: ref('AB') }),
    ...route('BtoA', ref('BTable'), '10.0.0.0/16', { VpcPeeringConnectionId: ref('AB') }),
    ...extra,
  };
}

describe('NetworkModel.fromTemplates', () => {
  test('names resources <stack>/<logicalId>, or by their aws:cdk:path metadata', () => {
    const resources = peered();
    (resources.B as { Metadata?: unknown }).Metadata = { 'aws:cdk:path': 'App/Net/B/Resource' };

    const model = NetworkModel.fromTemplates({ Net: { Resources: resources } });

    expect(model.vpcs.map((v) => v.name)).toEqual(['Net/A', 'App/Net/B']);
    expect(model.vpcs[0]).toEqual({ name: 'Net/A', stack: 'Net', cidrs: ['10.0.0.0/16'], certain: true });
    expect(model.peerings).toEqual([{ name: 'Net/AB', requester: 'Net/A', accepter: 'App/Net/B' }]);
    expect(model.canReach('Net/A', 'App/Net/B')).toMatchObject({ reachable: true, certain: true, fromSubnet: 'Net/ASubnet', toSubnet: 'Net/BSubnet' });
    expect(model.canReach('Net/ASubnet', '10.1.0.9').reachable).toBe(true);
    expect(model.canReach('10.1.0.5', 'Net/A').reachable).toBe(true);
  });

  test('resolves Fn::Select over Fn::Cidr, Fn::Join, Fn::Sub and Fn::GetAtt CidrBlock', () => {
    const resources = peered();
    (resources.ASubnet as { Properties: Record<string, unknown> }).Properties.CidrBlock = { 'Fn::Select': [1, { 'Fn::Cidr': [{ 'Fn::GetAtt': ['A', 'CidrBlock'] }, 4, 8] }] };
    (resources.AtoB as { Properties: Record<string, unknown> }).Properties.DestinationCidrBlock = { 'Fn::Join': ['', ['10.1.', '0.0/16']] };
    (resources.BtoA as { Properties: Record<string, unknown> }).Properties.DestinationCidrBlock = { 'Fn::Sub': ['${Net}.0.0/16', { Net: '10.0' }] };

    const model = NetworkModel.fromTemplates({ Net: { Resources: resources } });

    const answer = model.canReach('Net/A', 'Net/B');
    expect(answer).toMatchObject({ reachable: true, fromSubnet: 'Net/ASubnet' });
    expect(answer.path.find((h) => h.direction === HopDirection.BACK)?.destination).toBe('10.0.0.0/16');
    expect(model.canReach('10.0.1.4', 'Net/B').reachable).toBe(true);
  });

  test('follows Fn::ImportValue to the exporting stack', () => {
    const model = NetworkModel.fromTemplates({
      Vpcs: {
        Resources: vpc('B', '10.1.0.0/16', '10.1.0.0/24'),
        Outputs: {
          BId: { Value: ref('B'), Export: { Name: { 'Fn::Sub': '${AWS::StackName}:BId' } } },
          BTableId: { Value: ref('BTable'), Export: { Name: 'Vpcs:BTable' } },
        },
      },
      Net: {
        Resources: {
          ...vpc('A', '10.0.0.0/16', '10.0.0.0/24'),
          ...peering('AB', ref('A'), { 'Fn::ImportValue': 'Vpcs:BId' }),
          ...route('AtoB', ref('ATable'), '10.1.0.0/16', { VpcPeeringConnectionId: ref('AB') }),
          ...route('BtoA', { 'Fn::ImportValue': 'Vpcs:BTable' }, '10.0.0.0/16', { VpcPeeringConnectionId: ref('AB') }),
        },
      },
    });

    expect(model.peerings).toEqual([{ name: 'Net/AB', requester: 'Net/A', accepter: 'Vpcs/B' }]);
    expect(model.canReach('Net/A', 'Vpcs/B')).toMatchObject({ reachable: true, certain: true });
    expect(model.findings).toEqual([]);
  });

  test('subnets without an explicit association use the VPC\'s main route table, which holds only the local route', () => {
    const resources = peered(vpc('C', '10.2.0.0/16', '10.2.0.0/24', false));
    Object.assign(resources, peering('AC', ref('A'), ref('C')), route('AtoC', ref('ATable'), '10.2.0.0/16', { VpcPeeringConnectionId: ref('AC') }));
    // A table with the route back, associated with no subnet.
    Object.assign(resources, { CTable: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: ref('C') } } },
      route('CtoA', ref('CTable'), '10.0.0.0/16', { VpcPeeringConnectionId: ref('AC') }));

    const model = NetworkModel.fromTemplates({ Net: { Resources: resources } });

    const answer = model.canReach('Net/A', 'Net/C');
    expect(answer.reachable).toBe(false);
    expect(answer.reason).toMatch(/reply is lost: route table Net\/C \(main route table\) .*has no route to 10\.0\.0\.0\/24/);
    expect(model.findings.map((f) => f.ruleId)).toEqual([FindingRules.ONE_WAY_ROUTE]);
  });

  test('IPv6: blocks of AWS::EC2::VPCCidrBlock and IPv6 routes', () => {
    const resources = peered({
      A6: { Type: 'AWS::EC2::VPCCidrBlock', Properties: { VpcId: ref('A'), Ipv6CidrBlock: '2600:1f18:1::/56' } },
      B6: { Type: 'AWS::EC2::VPCCidrBlock', Properties: { VpcId: ref('B'), Ipv6CidrBlock: '2600:1f18:2::/56' } },
      AtoB6: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: ref('ATable'), DestinationIpv6CidrBlock: '2600:1f18:2::/56', VpcPeeringConnectionId: ref('AB') } },
    });
    (resources.ASubnet as { Properties: Record<string, unknown> }).Properties.Ipv6CidrBlock = '2600:1f18:1::/64';
    (resources.BSubnet as { Properties: Record<string, unknown> }).Properties.Ipv6CidrBlock = '2600:1f18:2::/64';

    const model = NetworkModel.fromTemplates({ Net: { Resources: resources } });

    expect(model.vpcs[0].cidrs).toEqual(['10.0.0.0/16', '2600:1f18:1::/56']);
    const answer = model.canReach('2600:1f18:1::5', '2600:1f18:2::9');
    expect(answer.reachable).toBe(false);
    expect(answer.reason).toMatch(/reply is lost: route table Net\/BTable .*has no route to 2600:1f18:1::5\/128/);
    expect(model.findings.find((f) => f.ruleId === FindingRules.ONE_WAY_ROUTE)?.message).toMatch(/sends 2600:1f18:2::\/56 over the peering Net\/AB/);
  });

  test('a route table over its quota of routes (the quota is an option, 500 by default)', () => {
    const resources = peered();
    for (const i of [1, 2, 3]) {
      Object.assign(resources, route(`AtoB${i}`, ref('ATable'), `10.1.${i}.0/24`, { VpcPeeringConnectionId: ref('AB') }));
    }

    expect(NetworkModel.fromTemplates({ Net: { Resources: resources } }).findings).toEqual([]);
    const findings = NetworkModel.fromTemplates({ Net: { Resources: resources } }, { quotas: { routesPerRouteTable: 3 } }).findings;
    expect(findings).toEqual([expect.objectContaining({ ruleId: FindingRules.ROUTE_QUOTA, severity: 'error', constructs: ['Net/ATable'] })]);
    expect(findings[0].message).toMatch(/holds 4 IPv4 routes; the quota is 3/);
    // At 80% of the quota or more: a warning.
    const close = NetworkModel.fromTemplates({ Net: { Resources: resources } }, { quotas: { routesPerRouteTable: 5 } }).findings;
    expect(close).toEqual([expect.objectContaining({ ruleId: FindingRules.ROUTE_QUOTA, severity: 'warning' })]);
    expect(close[0].message).toMatch(/holds 4 IPv4 routes; that is 80% of the quota of 5/);
    expect(() => NetworkModel.fromTemplates({ Net: { Resources: resources } }, { quotas: { routesPerRouteTable: 0 } }))
      .toThrow(/^NetworkModel: quotas\.routesPerRouteTable must be a positive integer, got 0\.$/);
    expect(() => NetworkModel.fromTemplates({ Net: { Resources: resources } }, { quotas: { routesPerRouteTable: 1001 } }))
      .toThrow(/^NetworkModel: quotas\.routesPerRouteTable is 1001, but AWS allows at most 1000 routes per route table\.$/);
    expect(NetworkModel.fromTemplates({ Net: { Resources: resources } }).quotas.routesPerRouteTable).toBe(500);
    expect(findings[0].resources).toEqual(expect.arrayContaining([{ stack: 'Net', logicalId: 'ATable' }, { stack: 'Net', logicalId: 'AtoB3' }]));
  });

  describe('what the templates do not reveal', () => {
    test('a VPC CIDR from a parameter: uncertain, never guessed', () => {
      const model = NetworkModel.fromTemplates({
        Net: {
          Parameters: { BCidr: { Type: 'String' } },
          Resources: peered(vpc('B', ref('BCidr'), { 'Fn::Select': [0, { 'Fn::Cidr': [ref('BCidr'), 2, 8] }] })),
        },
      });

      expect(model.vpcs.find((v) => v.name === 'Net/B')).toEqual({ name: 'Net/B', stack: 'Net', cidrs: [], certain: false });
      const answer = model.canReach('Net/A', '10.1.0.7');
      expect(answer).toMatchObject({ reachable: false, certain: false });
      expect(answer.reason).toMatch(/parameter 'BCidr'/);
      expect(model.findings.filter((f) => f.ruleId === FindingRules.UNKNOWN).map((f) => f.message).join('\n')).toMatch(/VPC Net\/B has CIDR blocks not known/);
    });

    test('a peer VPC referenced by a literal id and an SSM dynamic reference', () => {
      const model = NetworkModel.fromTemplates({
        Net: {
          Resources: {
            ...vpc('A', '10.0.0.0/16', '10.0.0.0/24'),
            ...peering('AX', ref('A'), 'vpc-0123456789abcdef0'),
            ...peering('AY', ref('A'), '{{resolve:ssm:/vpcs/y}}'),
            ...route('AtoX', ref('ATable'), '10.5.0.0/16', { VpcPeeringConnectionId: ref('AX') }),
          },
        },
      });

      expect(model.vpcs.map((v) => [v.name, v.certain])).toEqual([['Net/A', true], ['vpc-0123456789abcdef0', false], ['(VPC {{resolve:ssm:/vpcs/y}})', false]]);
      const answer = model.canReach('Net/A', 'vpc-0123456789abcdef0');
      expect(answer.certain).toBe(false);
      expect(answer.reason).toMatch(/VPC vpc-0123456789abcdef0 is not defined in the templates/);
      expect(model.findings.filter((f) => f.ruleId === FindingRules.UNKNOWN)).toHaveLength(2);
      expect(model.findings.every((f) => f.severity === 'info')).toBe(true);
    });

    test('an Fn::ImportValue of an export no stack makes', () => {
      const model = NetworkModel.fromTemplates({
        Net: { Resources: peered(route('Elsewhere', { 'Fn::ImportValue': 'Other:Table' }, '10.0.0.0/16', { VpcPeeringConnectionId: ref('AB') })) },
      });

      const unknown = model.findings.filter((f) => f.ruleId === FindingRules.UNKNOWN);
      expect(unknown).toHaveLength(1);
      expect(unknown[0].message).toMatch(/Other:Table.*not defined in the templates|imports 'Other:Table', which no stack of the app exports/);
    });
  });

  describe('malformed input gives clear messages', () => {
    test('an intrinsic function the model does not know names the stack, the resource and the function', () => {
      const resources = peered();
      (resources.B as { Properties: Record<string, unknown> }).Properties.CidrBlock = { 'Fn::Transmogrify': ['10.1.0.0/16'] };

      expect(() => NetworkModel.fromTemplates({ Net: { Resources: resources } }))
        .toThrow(/^Stack Net, resource B \(AWS::EC2::VPC\), CidrBlock: uses the intrinsic function 'Fn::Transmogrify', which the network model does not understand/);
    });

    test('a Ref to nothing', () => {
      expect(() => NetworkModel.fromTemplates({ Net: { Resources: peered(route('Bad', ref('Nope'), '10.9.0.0/16', { GatewayId: 'igw-1' })) } }))
        .toThrow(/Stack Net, resource Bad \(AWS::EC2::Route\), RouteTableId: has a Ref to 'Nope', which is neither a resource nor a parameter of the stack/);
    });

    test('a malformed CIDR block', () => {
      expect(() => NetworkModel.fromTemplates({ Net: { Resources: peered(route('Bad', ref('ATable'), '10.9.0.1/16', { GatewayId: 'igw-1' })) } }))
        .toThrow(/Net\/Bad: '10\.9\.0\.1\/16' is not a CIDR block: it has host bits set/);
    });

    test('a template that is not an object, and a resource without a type', () => {
      expect(() => NetworkModel.fromTemplates({ Net: [] })).toThrow(/The template of stack 'Net' is not a JSON object \(got an array\)/);
      expect(() => NetworkModel.fromTemplates({ Net: { Resources: { X: { Properties: {} } } } })).toThrow(/Stack Net, resource X: no Type/);
    });

    test('canReach with a name the model does not know', () => {
      const model = NetworkModel.fromTemplates({ Net: { Resources: peered() } });
      expect(() => model.canReach('Net/Nope', 'Net/A')).toThrow(/'Net\/Nope' \(source\) is neither a VPC or subnet of the model, nor an IP address or CIDR block\. Known VPCs: Net\/A, Net\/B/);
      expect(() => model.canReach('s3', 'Net/A')).toThrow(/traffic must start in a VPC, a subnet or an address inside one/);
    });
  });
});

describe('NetworkModel.fromAssembly', () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'network-model-'));

  test('a directory that does not exist, or has no manifest.json, is not a cloud assembly', () => {
    const missing = path.join(tmp(), 'nope');
    expect(() => NetworkModel.fromAssembly(missing)).toThrow(`${missing} is not a cloud assembly: it is not a directory`);
    const empty = tmp();
    expect(() => NetworkModel.fromAssembly(empty)).toThrow(/is not a cloud assembly: it has no manifest\.json\. Pass the output directory of 'cdk synth'/);
  });

  test('a manifest that is not JSON, and a stack whose template is missing', () => {
    const broken = tmp();
    fs.writeFileSync(path.join(broken, 'manifest.json'), '{ not json');
    expect(() => NetworkModel.fromAssembly(broken)).toThrow(/its manifest\.json is not valid JSON/);
    const noTemplate = tmp();
    fs.writeFileSync(path.join(noTemplate, 'manifest.json'), JSON.stringify({
      version: '55.0.0', artifacts: { Net: { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile: 'Net.template.json' } } },
    }));
    expect(() => NetworkModel.fromAssembly(noTemplate)).toThrow(/The template of stack Net \(.*Net\.template\.json\) cannot be read as JSON/);
  });

  test('fromTemplateFiles reads template files, with clear errors for missing or broken ones', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'Net.template.json'), JSON.stringify({ Resources: peered() }));
    fs.writeFileSync(path.join(dir, 'Broken.template.json'), '{');

    expect(NetworkModel.fromTemplateFiles({ Net: path.join(dir, 'Net.template.json') }).canReach('Net/A', 'Net/B').reachable).toBe(true);
    expect(() => NetworkModel.fromTemplateFiles({ Broken: path.join(dir, 'Broken.template.json') })).toThrow(/Broken\.template\.json is not valid JSON/);
    expect(() => NetworkModel.fromTemplateFiles({ Gone: path.join(dir, 'Gone.template.json') })).toThrow(/Cannot read template .*Gone\.template\.json/);
  });

  test('reads stacks of nested assemblies, their regions and the construct paths of the metadata', () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, 'assembly-Prod'));
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
      version: '55.0.0',
      artifacts: { 'assembly-Prod': { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Prod', displayName: 'Prod' } } },
    }));
    fs.writeFileSync(path.join(dir, 'assembly-Prod', 'manifest.json'), JSON.stringify({
      version: '55.0.0',
      artifacts: {
        ProdNet: {
          type: 'aws:cloudformation:stack', environment: 'aws://111111111111/eu-west-1', displayName: 'Prod/Net',
          properties: { templateFile: 'ProdNet.template.json' },
          metadata: { '/Prod/Net/VpcA/Resource': [{ type: 'aws:cdk:logicalId', data: 'A' }] },
        },
      },
    }));
    fs.writeFileSync(path.join(dir, 'assembly-Prod', 'ProdNet.template.json'), JSON.stringify({ Resources: peered() }));

    const model = NetworkModel.fromAssembly(dir);

    expect(model.vpcs.map((v) => `${v.stack} ${v.name}`)).toEqual(['ProdNet Prod/Net/VpcA', 'ProdNet ProdNet/B']);
    expect(model.canReach('Prod/Net/VpcA', 'ProdNet/B').reachable).toBe(true);
  });
});
