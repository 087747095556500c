import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FindingRules, FindingSeverity, NetworkModel } from '../../lib/analysis';
import { parseParameterArgument } from '../../lib/analysis/private/parameters';
import { StackTemplate, TemplateResolver, Unknown } from '../../lib/analysis/private/templates';
import { parseTemplateText } from '../../lib/analysis/private/yaml';

/**
 * Plain CloudFormation: YAML with short tags, parameter values (given, defaults, unknown but
 * equal), and Conditions (resources dropped, Fn::If branches, AWS::NoValue).
 */

function tmpFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vc-cfn-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('YAML templates', () => {
  test('every short tag becomes its long form', () => {
    const parsed = parseTemplateText([
      'A: !Ref Vpc',
      'B: !GetAtt Vpc.CidrBlock',
      'C: !GetAtt [Vpc, Ipv6CidrBlocks]',
      "D: !Sub '${AWS::Region}-x'",
      'E: !Sub',
      "  - '${X}'",
      '  - X: !Ref Y',
      "F: !Join ['', [a, !Select [0, !GetAZs '']]]",
      'G: !If [Cond, !Ref AWS::NoValue, !Split [",", "a,b"]]',
      'H: !And [!Equals [a, b], !Not [!Condition C2], !Or [!Condition C3, !Condition C4]]',
      'I: !FindInMap [Map, !Ref AWS::Region, Cidr]',
      'J: !Cidr [10.0.0.0/16, 4, 8]',
      'K: !ImportValue shared-vpc',
      'L: !Base64 text',
      'M: 2010-09-09',
    ].join('\n'), 'test');

    expect(parsed).toEqual({
      A: { Ref: 'Vpc' },
      B: { 'Fn::GetAtt': ['Vpc', 'CidrBlock'] },
      C: { 'Fn::GetAtt': ['Vpc', 'Ipv6CidrBlocks'] },
      D: { 'Fn::Sub': '${AWS::Region}-x' },
      E: { 'Fn::Sub': ['${X}', { X: { Ref: 'Y' } }] },
      F: { 'Fn::Join': ['', ['a', { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }]] },
      G: { 'Fn::If': ['Cond', { Ref: 'AWS::NoValue' }, { 'Fn::Split': [',', 'a,b'] }] },
      H: { 'Fn::And': [{ 'Fn::Equals': ['a', 'b'] }, { 'Fn::Not': [{ Condition: 'C2' }] }, { 'Fn::Or': [{ Condition: 'C3' }, { Condition: 'C4' }] }] },
      I: { 'Fn::FindInMap': ['Map', { Ref: 'AWS::Region' }, 'Cidr'] },
      J: { 'Fn::Cidr': ['10.0.0.0/16', 4, 8] },
      K: { 'Fn::ImportValue': 'shared-vpc' },
      L: { 'Fn::Base64': 'text' },
      // The template format version stays a string (no YAML 1.1 timestamps).
      M: '2010-09-09',
    });
  });

  test('JSON text is read as JSON', () => {
    expect(parseTemplateText('{"Resources": {}}', 'test')).toEqual({ Resources: {} });
  });

  test('broken YAML: the file, the line and the column', () => {
    expect(() => parseTemplateText('Resources:\n  Vpc:\n    Type: [unclosed\n', 'Template /x/net.yaml'))
      .toThrow(/^Template \/x\/net\.yaml is neither JSON nor valid YAML at line \d+, column \d+: /);
  });

  test('an unknown tag: named, with the short forms CloudFormation knows', () => {
    expect(() => parseTemplateText('A: !Reference Vpc\n', 'Template /x/net.yaml'))
      .toThrow(/^Template \/x\/net\.yaml is neither JSON nor valid YAML at line 1, column 4: Unresolved tag: !Reference\. The short forms CloudFormation knows are !Ref, !Condition, !GetAtt/);
  });

  test('fromTemplateFiles reads .yaml, .yml and .template files; a .json file must be JSON', () => {
    const yaml = [
      'Resources:',
      '  Vpc:',
      '    Type: AWS::EC2::VPC',
      '    Properties:',
      '      CidrBlock: 10.9.0.0/16',
    ].join('\n');
    for (const name of ['net.yaml', 'net.yml', 'net.template']) {
      expect(NetworkModel.fromTemplateFiles({ Net: tmpFile(name, yaml) }).vpcs.map((v) => v.cidrs)).toEqual([['10.9.0.0/16']]);
    }
    expect(() => NetworkModel.fromTemplateFiles({ Net: tmpFile('net.json', yaml) })).toThrow(/net\.json is not valid JSON/);
    expect(() => NetworkModel.fromTemplateFiles({ Net: tmpFile('net.yaml', '- a\n- b\n') }))
      .toThrow(/net\.yaml is not a template: it holds a list, not a mapping of sections \(Resources\.\.\.\)\./);
  });
});

/** A VPC with two subnets whose zones and blocks come from parameters. */
function parameterTemplate(): Record<string, unknown> {
  return {
    Parameters: {
      VpcCidr: { Type: 'String', Default: '10.0.0.0/16' },
      SubnetCidrs: { Type: 'CommaDelimitedList', Default: '10.0.1.0/24,10.0.2.0/24' },
      Az: { Type: 'AWS::EC2::AvailabilityZone::Name' },
      OtherAz: { Type: 'AWS::EC2::AvailabilityZone::Name' },
      PeerCidr: { Type: 'String' },
      Ssm: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/network/cidr' },
    },
    Resources: {
      Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: { Ref: 'VpcCidr' } } },
      A: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: { 'Fn::Select': [0, { Ref: 'SubnetCidrs' }] }, AvailabilityZone: { Ref: 'Az' } } },
      B: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: { 'Fn::Select': [1, { Ref: 'SubnetCidrs' }] }, AvailabilityZone: { Ref: 'Az' } } },
    },
  };
}

describe('parameters', () => {
  const stack = (parameters?: { [key: string]: string }): StackTemplate => ({ name: 'Net', stackName: 'Net', template: parameterTemplate(), paths: new Map(), parameters });

  test('a value given wins over the Default; lists are split at commas; without either the parameter is unknown', () => {
    const net = stack({ VpcCidr: '10.5.0.0/16' });
    const resolver = new TemplateResolver([net]);
    const resolve = (value: unknown) => resolver.resolve(net, 'Vpc', 'Test', value);

    expect(resolve({ Ref: 'VpcCidr' })).toBe('10.5.0.0/16');
    expect(resolve({ Ref: 'SubnetCidrs' })).toEqual(['10.0.1.0/24', '10.0.2.0/24']);
    const unknown = resolve({ Ref: 'PeerCidr' }) as Unknown;
    expect(unknown).toBeInstanceOf(Unknown);
    expect(unknown.reason).toBe("parameter 'PeerCidr' of stack Net has no value given and no Default");
    // An SSM parameter's Default is the parameter's name in SSM, not its value.
    expect((resolve({ Ref: 'Ssm' }) as Unknown).reason).toMatch(/read from SSM Parameter Store at deploy time/);
  });

  test('equal unknowns are equal: the same parameter, the same item of the same list', () => {
    const net = stack();
    const resolver = new TemplateResolver([net]);
    const resolve = (value: unknown) => resolver.resolve(net, 'Vpc', 'Test', value) as Unknown;

    expect(resolve({ Ref: 'Az' }).id).toBe(resolve({ Ref: 'Az' }).id);
    expect(resolve({ Ref: 'Az' }).id).not.toBe(resolve({ Ref: 'OtherAz' }).id);
    const first = { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] };
    expect(resolve({ 'Fn::Join': ['', [first]] }).id).toBe(resolve({ 'Fn::Join': ['', [first]] }).id);
    expect(resolve({ 'Fn::Select': [0, { Ref: 'PeerCidr' }] }).id).not.toBe(resolve({ 'Fn::Select': [1, { Ref: 'PeerCidr' }] }).id);
  });

  test('NetworkModelOptions.parameters reaches the model; subnets of one unknown zone parameter are in one zone', () => {
    const model = NetworkModel.fromTemplates({ Net: parameterTemplate() }, { parameters: { Net: { VpcCidr: '10.7.0.0/16', SubnetCidrs: '10.7.1.0/24, 10.7.2.0/24' } } });
    expect(model.vpcs[0].cidrs).toEqual(['10.7.0.0/16']);
    expect(model.canReach('Net/A', 'Net/B')).toMatchObject({ reachable: true, certain: true });
  });

  test('values for a stack or a parameter the model does not hold: an error naming what it holds', () => {
    expect(() => NetworkModel.fromTemplates({ Net: parameterTemplate() }, { parameters: { Nett: { VpcCidr: '10.0.0.0/16' } } }))
      .toThrow("Parameter values are given for stack 'Nett', which the model does not hold. Its stacks are: Net (a nested stack is named <parent>/<logicalId>).");
    expect(() => NetworkModel.fromTemplates({ Net: parameterTemplate() }, { parameters: { Net: { Cidr: '10.0.0.0/16' } } }))
      .toThrow("Stack 'Net' has no parameter 'Cidr' (a value is given for it). Its parameters are: VpcCidr, SubnetCidrs, Az, OtherAz, PeerCidr, Ssm (and the pseudo parameters AWS::Region, AWS::AccountId).");
    expect(() => NetworkModel.fromTemplates({ Net: parameterTemplate() }, { parameters: { Net: { VpcCidr: 16 as unknown as string } } }))
      .toThrow("The value of parameter 'VpcCidr' of stack 'Net' must be a string (as CloudFormation takes it; a list is comma-separated), got 16.");
  });

  test('--parameters Stack:Key=Value', () => {
    const values: { [stack: string]: { [key: string]: string } } = {};
    expect(parseParameterArgument('Net:VpcCidr=10.0.0.0/16', values)).toBeUndefined();
    expect(parseParameterArgument('Net:Azs=us-east-1a,us-east-1b', values)).toBeUndefined();
    expect(parseParameterArgument('Net/Nested:Cidr=a=b', values)).toBeUndefined();
    expect(parseParameterArgument('Net:AWS::Region=eu-west-1', values)).toBeUndefined();
    expect(values).toEqual({ 'Net': { 'VpcCidr': '10.0.0.0/16', 'Azs': 'us-east-1a,us-east-1b', 'AWS::Region': 'eu-west-1' }, 'Net/Nested': { Cidr: 'a=b' } });
    expect(parseParameterArgument('VpcCidr=10.0.0.0/16', values)).toMatch(/^--parameters 'VpcCidr=10\.0\.0\.0\/16' is not Stack:Key=Value/);
  });
});

describe('conditions', () => {
  function conditional(parameters: Record<string, unknown>): Record<string, unknown> {
    return {
      Parameters: parameters,
      Conditions: {
        IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
        NotProd: { 'Fn::Not': [{ Condition: 'IsProd' }] },
        ProdInEu: { 'Fn::And': [{ Condition: 'IsProd' }, { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] }] },
        ProdOrEu: { 'Fn::Or': [{ Condition: 'IsProd' }, { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] }] },
      },
      Resources: {
        Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: { 'Fn::If': ['IsProd', '10.0.0.0/16', '10.100.0.0/16'] } } },
        Subnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: { 'Fn::If': ['IsProd', '10.0.0.0/24', '10.100.0.0/24'] } } },
        ProdSubnet: { Type: 'AWS::EC2::Subnet', Condition: 'IsProd', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.1.0/24' } },
        DevSubnet: { Type: 'AWS::EC2::Subnet', Condition: 'NotProd', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.100.1.0/24' } },
        EuSubnet: { Type: 'AWS::EC2::Subnet', Condition: 'ProdInEu', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.2.0/24' } },
        AnySubnet: { Type: 'AWS::EC2::Subnet', Condition: 'ProdOrEu', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: { 'Fn::If': ['IsProd', '10.0.3.0/24', '10.100.3.0/24'] } } },
        Table: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' } } },
        ProdAssociation: { Type: 'AWS::EC2::SubnetRouteTableAssociation', Condition: 'IsProd', Properties: { SubnetId: { Ref: 'ProdSubnet' }, RouteTableId: { Ref: 'Table' } } },
        Endpoint: {
          Type: 'AWS::EC2::VPCEndpoint',
          Properties: {
            VpcId: { Ref: 'Vpc' }, ServiceName: 'com.amazonaws.eu-west-1.s3',
            RouteTableIds: [{ 'Fn::If': ['IsProd', { Ref: 'Table' }, { Ref: 'AWS::NoValue' }] }],
          },
        },
      },
    };
  }
  const subnets = (model: NetworkModel) => model.canReach('Net/Vpc', 'Net/Vpc') && (model as unknown as { graph: { subnets: Map<string, unknown> } }).graph.subnets;

  test('a false condition drops its resources; Fn::If takes its branch; AWS::NoValue removes a list item', () => {
    const model = NetworkModel.fromTemplates({ Net: conditional({ Env: { Type: 'String', Default: 'dev' } }) });

    expect(model.vpcs[0].cidrs).toEqual(['10.100.0.0/16']);
    // AnySubnet: ProdOrEu does not hold for prod, and the region is not known: kept, and said.
    expect([...subnets(model).keys()]).toEqual(['Net/Subnet', 'Net/DevSubnet', 'Net/AnySubnet']);
    expect(model.canReach('Net/Subnet', 's3')).toMatchObject({ reachable: false, certain: true });
    expect(model.findings.map((f) => f.message)).toEqual([
      "Net/AnySubnet (AWS::EC2::Subnet) exists only if condition 'ProdOrEu' holds, and whether condition 'ProdOrEu' holds is not known: " +
        'the region of stack Net is not known: the model keeps it, so answers that depend on it may be wrong.',
    ]);
  });

  test('the value given decides: prod keeps the prod subnets and the endpoint route', () => {
    const model = NetworkModel.fromTemplates({ Net: conditional({ Env: { Type: 'String', Default: 'dev' } }) }, { parameters: { Net: { Env: 'prod' } } });

    expect(model.vpcs[0].cidrs).toEqual(['10.0.0.0/16']);
    // ProdInEu is not known (the region is not), but ProdOrEu holds (IsProd does).
    expect([...subnets(model).keys()]).toEqual(['Net/Subnet', 'Net/ProdSubnet', 'Net/EuSubnet', 'Net/AnySubnet']);
    expect(model.canReach('Net/Subnet', 's3')).toMatchObject({ reachable: false, certain: true });
    expect(model.canReach('Net/ProdSubnet', 's3')).toMatchObject({ reachable: true, certain: true });
  });

  test('AWS::Region given as a parameter value decides the conditions that read it', () => {
    const given = (region: string) => NetworkModel.fromTemplates({ Net: conditional({ Env: { Type: 'String', Default: 'prod' } }) },
      { parameters: { Net: { 'AWS::Region': region } } });
    const names = (model: NetworkModel) => [...subnets(model).keys()];

    expect(names(given('eu-west-1'))).toEqual(['Net/Subnet', 'Net/ProdSubnet', 'Net/EuSubnet', 'Net/AnySubnet']);
    expect(names(given('us-east-1'))).toEqual(['Net/Subnet', 'Net/ProdSubnet', 'Net/AnySubnet']);
    expect(given('us-east-1').findings).toEqual([]);
  });

  test('a condition on a parameter without a value: the resource is kept, an info finding says so, Fn::If is unknown', () => {
    const model = NetworkModel.fromTemplates({ Net: conditional({ Env: { Type: 'String' } }) });

    expect(model.vpcs[0]).toMatchObject({ cidrs: [], certain: false });
    expect([...subnets(model).keys()]).toEqual(['Net/Subnet', 'Net/ProdSubnet', 'Net/DevSubnet', 'Net/EuSubnet', 'Net/AnySubnet']);
    const kept = model.findings.filter((f) => f.ruleId === FindingRules.UNKNOWN && f.message.startsWith('Net/ProdSubnet '));
    expect(kept).toEqual([expect.objectContaining({
      severity: FindingSeverity.INFO,
      message: "Net/ProdSubnet (AWS::EC2::Subnet) exists only if condition 'IsProd' holds, and whether condition 'IsProd' holds is not known: " +
        "parameter 'Env' of stack Net has no value given and no Default: the model keeps it, so answers that depend on it may be wrong.",
      fix: "Give the parameters that decide condition 'IsProd' values (NetworkModelOptions.parameters, or --parameters Stack:Key=Value with the CLI), or Defaults in the template.",
    })]);
    expect(model.findings.some((f) => f.message.includes('Net/DevSubnet') && f.message.includes("condition 'NotProd'"))).toBe(true);
  });

  test('a Ref to a resource its condition removes: an error naming the condition', () => {
    const template = conditional({ Env: { Type: 'String', Default: 'dev' } });
    (template.Resources as Record<string, unknown>).Route = {
      Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: 'Table' }, DestinationCidrBlock: '0.0.0.0/0', GatewayId: { Ref: 'ProdSubnet' } },
    };
    expect(() => NetworkModel.fromTemplates({ Net: template }))
      .toThrow("Stack Net, resource Route (AWS::EC2::Route), GatewayId: has a Ref to 'ProdSubnet', which its condition 'IsProd' removes (it is false): " +
        "refer to it only inside an Fn::If on 'IsProd', or give the parameters that decide it other values.");
  });

  test('a malformed condition: the resource is kept, and the finding names what is wrong', () => {
    const template = conditional({ Env: { Type: 'String', Default: 'dev' } });
    (template.Conditions as Record<string, unknown>).IsProd = { 'Fn::Equals': ['only one'] };
    const model = NetworkModel.fromTemplates({ Net: template });
    expect(model.findings.find((f) => f.constructs[0] === 'Net/ProdSubnet')?.message)
      .toBe("Net/ProdSubnet (AWS::EC2::Subnet) exists only if condition 'IsProd' holds, and whether condition 'IsProd' holds is not known: " +
        'the model cannot evaluate it (Stack Net, resource Conditions.IsProd (?), IsProd: has a malformed Fn::Equals: ["only one"]): ' +
        'the model keeps it, so answers that depend on it may be wrong.');
  });
});
