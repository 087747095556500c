import { ResourceRef, StackTemplate, TemplateResolver, Unknown } from '../../lib/analysis/private/templates';

/** The intrinsic functions the network model resolves, one stack at a time or across stacks. */
function stack(name: string, template: Record<string, unknown>, env: { region?: string; account?: string } = {}): StackTemplate {
  return { name, stackName: name, template, paths: new Map(), ...env };
}

const VPC = { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } };

describe('TemplateResolver', () => {
  const net = stack('Net', {
    Parameters: { Cidr: { Type: 'String' } },
    Mappings: { Blocks: { Prod: { Vpc: '10.7.0.0/16' } } },
    Resources: { Vpc: VPC },
  }, { region: 'eu-west-1' });
  const resolver = new TemplateResolver([net]);
  const resolve = (value: unknown) => resolver.resolve(net, 'Vpc', 'Test', value);

  test.each([
    ['Fn::Select over a literal list', { 'Fn::Select': [1, ['a', 'b']] }, 'b'],
    ['Fn::Join', { 'Fn::Join': ['-', ['a', { Ref: 'AWS::Region' }]] }, 'a-eu-west-1'],
    ['Fn::Sub with a pseudo parameter and a variable', { 'Fn::Sub': ['${AWS::Region}/${X}', { X: 'x' }] }, 'eu-west-1/x'],
    ['Fn::Split', { 'Fn::Select': [1, { 'Fn::Split': [',', 'rtb-1,rtb-2'] }] }, 'rtb-2'],
    ['Fn::FindInMap', { 'Fn::FindInMap': ['Blocks', 'Prod', 'Vpc'] }, '10.7.0.0/16'],
    ['Fn::Cidr over a literal block', { 'Fn::Select': [2, { 'Fn::Cidr': ['10.0.0.0/16', 4, 8] }] }, '10.0.2.0/24'],
    ['Fn::GetAtt CidrBlock of a VPC', { 'Fn::GetAtt': ['Vpc', 'CidrBlock'] }, '10.0.0.0/16'],
  ])('%s', (_, value, expected) => {
    expect(resolve(value)).toEqual(expected);
  });

  test('Ref and Fn::GetAtt of an id give a reference to the resource', () => {
    expect(resolve({ Ref: 'Vpc' })).toEqual(new ResourceRef('Net', 'Vpc'));
    expect((resolve({ 'Fn::GetAtt': ['Vpc', 'VpcId'] }) as ResourceRef).key).toBe('Net/Vpc');
  });

  test.each([
    ['a parameter', { Ref: 'Cidr' }, /parameter 'Cidr' of stack Net/],
    ['an SSM dynamic reference', '{{resolve:ssm:/cidr}}', /dynamic reference/],
    ['a deploy-time attribute', { 'Fn::GetAtt': ['Vpc', 'Ipv6CidrBlocks'] }, /Vpc\.Ipv6CidrBlocks is known only at deploy time/],
    ['the AZs', { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }, /availability zones/],
    ['Fn::Cidr over a deploy-time block', { 'Fn::Cidr': [{ 'Fn::GetAtt': ['Vpc', 'Ipv6CidrBlocks'] }, 2, 64] }, /known only at deploy time/],
    ['a condition', { 'Fn::If': ['IsProd', '10.0.0.0/16', '10.1.0.0/16'] }, /condition 'IsProd'/],
    ['the account of an environment-agnostic stack', { Ref: 'AWS::AccountId' }, /account of stack Net is not known/],
  ])('%s: unknown, with the reason', (_, value, reason) => {
    const resolved = resolve(value);
    expect(resolved).toBeInstanceOf(Unknown);
    expect((resolved as Unknown).reason).toMatch(reason);
  });

  test('Fn::ImportValue and aws-cdk-lib\'s cross-region references resolve in the exporting stack', () => {
    const accepter = stack('Accepter', {
      Resources: {
        Vpc: VPC,
        Writer: {
          Type: 'Custom::CrossRegionExportWriter',
          Properties: { WriterProps: { region: 'us-east-1', exports: { '/cdk/exports/Requester/VpcRef': { Ref: 'Vpc' } } } },
        },
      },
      Outputs: { VpcOut: { Value: { Ref: 'Vpc' }, Export: { Name: { 'Fn::Join': [':', [{ Ref: 'AWS::StackName' }, 'Vpc']] } } } },
    });
    const requester = stack('Requester', {
      Resources: {
        Reader: { Type: 'Custom::CrossRegionExportReader', Properties: { ReaderProps: { imports: { '/cdk/exports/Requester/VpcRef': '{{resolve:ssm:/cdk/exports/Requester/VpcRef}}' } } } },
        Pcx: { Type: 'AWS::EC2::VPCPeeringConnection', Properties: {} },
      },
    });
    const across = new TemplateResolver([accepter, requester]);

    expect(across.resolve(requester, 'Pcx', 'PeerVpcId', { 'Fn::ImportValue': 'Accepter:Vpc' })).toEqual(new ResourceRef('Accepter', 'Vpc'));
    expect(across.resolve(requester, 'Pcx', 'PeerVpcId', { 'Fn::GetAtt': ['Reader', '/cdk/exports/Requester/VpcRef'] })).toEqual(new ResourceRef('Accepter', 'Vpc'));
    const missing = across.resolve(requester, 'Pcx', 'PeerVpcId', { 'Fn::GetAtt': ['Reader', '/cdk/exports/Requester/Other'] });
    expect((missing as Unknown).reason).toMatch(/reads the cross-region reference '\/cdk\/exports\/Requester\/Other', which no stack of the app writes/);
  });

  test.each([
    ['an unknown intrinsic', { 'Fn::Frobnicate': 'x' }, /^Stack Net, resource Vpc \(AWS::EC2::VPC\), Test: uses the intrinsic function 'Fn::Frobnicate'/],
    ['an Fn::GetAtt of nothing', { 'Fn::GetAtt': ['Nope', 'Id'] }, /has an Fn::GetAtt of 'Nope', which is not a resource of the stack/],
    ['a malformed Fn::Select', { 'Fn::Select': [0] }, /has a malformed Fn::Select/],
    ['an Fn::Select out of range', { 'Fn::Select': [3, ['a']] }, /index 3 outside its list of 1/],
    ['an Fn::FindInMap of a missing key', { 'Fn::FindInMap': ['Blocks', 'Dev', 'Vpc'] }, /Blocks\.Dev\.Vpc, which the Mappings do not hold/],
  ])('%s: throws, naming the stack, the resource and the property', (_, value, message) => {
    expect(() => resolve(value)).toThrow(message);
  });

  test('two stacks with one name', () => {
    expect(() => new TemplateResolver([net, net])).toThrow(/Two stacks are named 'Net'/);
  });
});
