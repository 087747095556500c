import { App, Aws, Fn, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import {
  MAX_TAG_VALUE_LENGTH, ResourceIdKind, canonicalCidr, checkAccountId, checkCidr, checkPeeringConnectionId, checkRegion, checkResourceId,
  checkRoleArn, checkRouteTableId, checkSubnetId, checkTagValue, checkTransitGatewayId, checkVpcId, describeValue, findDuplicates, nameTag,
} from '../../lib/private/identifiers';

// Each table: [input, expected problem (a regex) or undefined when the input is fine].
type Row = [string, RegExp | undefined];

function runTable(check: (value: string) => string | undefined, rows: Row[]): void {
  test.each(rows)('%s', (input, expected) => {
    const problem = check(input);
    if (expected === undefined) {
      expect(problem).toBeUndefined();
    } else {
      expect(problem).toMatch(expected);
    }
  });
}

const TOKEN = Token.asString({ Ref: 'Something' });

describe('checkAccountId', () => {
  runTable(checkAccountId, [
    ['123456789012', undefined],
    ['012345678901', undefined],
    ['12345678901', /'12345678901' is not an AWS account id: an account id is 12 digits/],
    ['1234567890123', /is not an AWS account id/],
    ['12345678901a', /is not an AWS account id/],
    ['', /'' is not an AWS account id/],
    [TOKEN, undefined],
    [Aws.ACCOUNT_ID, undefined],
  ]);
});

describe('checkRegion', () => {
  runTable(checkRegion, [
    ['us-east-1', undefined],
    ['eu-west-1', undefined],
    ['cn-north-1', undefined], // another partition that region-info lists
    ['us-gov-west-1', undefined],
    ['mars-1', /'mars-1' is not an AWS region known to aws-cdk-lib's region information \(for example us-east-1/],
    ['eu-west-9', /'eu-west-9' is not an AWS region known.*for example eu-/],
    ['US-EAST-1', /is not an AWS region/],
    ['', /'' is not an AWS region/],
    [TOKEN, undefined],
  ]);
});

describe('checkResourceId and its shorthands', () => {
  describe('checkVpcId', () => runTable(checkVpcId, [
    ['vpc-0a1b2c3d', undefined],
    ['vpc-0123456789abcdef0', undefined],
    ['subnet-123', /'subnet-123' is not a VPC id: expected 'vpc-' followed by 8 or 17 lowercase hexadecimal digits/],
    ['vpc-123', /is not a VPC id/],
    ['vpc-0A1B2C3D', /is not a VPC id/],
    ['vpc-0123456789abcdef', /is not a VPC id/], // 16 digits
    ['', /an empty string is not a VPC id/],
    [TOKEN, undefined],
  ]));
  describe('checkSubnetId', () => runTable(checkSubnetId, [
    ['subnet-0a1b2c3d', undefined],
    ['subnet-0123456789abcdef0', undefined],
    ['vpc-0a1b2c3d', /is not a subnet id: expected 'subnet-'/],
  ]));
  describe('checkRouteTableId', () => runTable(checkRouteTableId, [
    ['rtb-0a1b2c3d', undefined],
    ['rtb-0123456789abcdef0', undefined],
    ['', /an empty string is not a route table id/],
    [' ', /an empty string is not a route table id/],
    ['rtb-xyz', /'rtb-xyz' is not a route table id/],
  ]));
  describe('checkPeeringConnectionId', () => runTable(checkPeeringConnectionId, [
    ['pcx-0a1b2c3d', undefined],
    ['pcx-0123456789abcdef0', undefined],
    ['not-a-pcx', /'not-a-pcx' is not a VPC peering connection id: expected 'pcx-'/],
  ]));
  describe('checkTransitGatewayId', () => runTable(checkTransitGatewayId, [
    ['tgw-0a1b2c3d', undefined],
    ['tgw-0123456789abcdef0', undefined],
    ['garbage', /'garbage' is not a transit gateway id: expected 'tgw-'/],
    ['tgw-rtb-0123456789abcdef0', /is not a transit gateway id/],
  ]));
  describe('other kinds', () => runTable((v) => checkResourceId(ResourceIdKind.VPC_ENDPOINT_SERVICE, v), [
    ['vpce-svc-0123456789abcdef0', undefined],
    ['vpce-0123456789abcdef0', /is not a VPC endpoint service id: expected 'vpce-svc-'/],
  ]));
});

describe('checkRoleArn', () => {
  test.each([
    ['arn:aws:iam::123456789012:role/PeeringAccepter', '123456789012'],
    ['arn:aws:iam::123456789012:role/team/network/PeeringAccepter', '123456789012'],
    ['arn:aws-cn:iam::210987654321:role/x', '210987654321'],
    ['arn:aws-us-gov:iam::123456789012:role/a+b=c,d.e@f_g-h', '123456789012'],
  ])('%s is a role ARN of account %s', (arn, account) => {
    expect(checkRoleArn(arn)).toEqual({ account, partition: arn.split(':')[1] });
  });

  test.each<Row>([
    ['arn:aws:iam::12345:role/x', /'arn:aws:iam::12345:role\/x' is not an IAM role ARN: its account '12345' is not 12 digits/],
    ['arn:aws:iam::123456789012:user/x', /is not an IAM role ARN: expected 'arn:<partition>:iam::<12-digit account>:role\/<name>'/],
    ['arn:aws:s3:::bucket', /is not an IAM role ARN/],
    ['role/x', /is not an IAM role ARN/],
    ['', /an empty string is not an IAM role ARN/],
    [`arn:aws:iam::123456789012:role/${'n'.repeat(65)}`, /the role name 'n+' must be 1 to 64 characters/],
    ['arn:aws:iam::123456789012:role/bad name', /the role name 'bad name' must be/],
  ])('%s', (arn, expected) => {
    expect(checkRoleArn(arn).problem).toMatch(expected!);
  });

  test('a token is not checked, but the literal account of a partly tokenized ARN is read', () => {
    expect(checkRoleArn(TOKEN)).toEqual({ account: undefined });
    const stack = new Stack(new App(), 'S');
    const arn = stack.formatArn({ service: 'iam', region: '', account: '123456789012', resource: 'role', resourceName: 'x' });
    expect(checkRoleArn(arn)).toEqual({ account: '123456789012' });
    expect(checkRoleArn(`arn:aws:iam::${Aws.ACCOUNT_ID}:role/x`)).toEqual({ account: undefined });
  });
});

describe('checkTagValue', () => {
  runTable(checkTagValue, [
    ['peering-a-b', undefined],
    ['x'.repeat(MAX_TAG_VALUE_LENGTH), undefined],
    ['é'.repeat(MAX_TAG_VALUE_LENGTH), undefined], // Unicode characters, not bytes
    ['😀'.repeat(MAX_TAG_VALUE_LENGTH), undefined], // code points, not UTF-16 units
    ['x'.repeat(300), /\(300 characters\) is longer than the 256 characters AWS accepts in a tag value/],
    [TOKEN, undefined],
  ]);
});

describe('checkCidr', () => {
  runTable(checkCidr, [
    ['10.2.0.0/16', undefined],
    ['10.0.0.77/32', undefined],
    ['2600:1f18::/56', undefined],
    ['10.2.0.1/16', /^'10.2.0.1\/16' has host bits set; the network is 10\.2\.0\.0\/16$/],
    ['2600:1f18::1/56', /has host bits set; the network is 2600:1f18::\/56/],
    ['10.0.0.0/33', /the prefix length must be a number from 0 to 32/],
    ['10.0.0/16', /'10.0.0' is not a valid IPv4 address/],
    ['garbage', /expected <address>\/<prefix length>/],
    [TOKEN, undefined],
  ]);
});

describe('findDuplicates', () => {
  test.each([
    [['10.0.0.0/16', '10.1.0.0/16'], []],
    [['10.0.0.0/16', '10.1.0.0/16', '10.0.0.0/16', '10.0.0.0/16'], ['10.0.0.0/16']],
    [[TOKEN, TOKEN], [TOKEN]],
    [[TOKEN, Token.asString({ Ref: 'Other' })], []],
  ])('%j has duplicates %j', (values, duplicates) => {
    expect(findDuplicates(values)).toEqual(duplicates);
  });

  test('canonical forms are compared when asked', () => {
    expect(findDuplicates(['2600:1f18:0::/56', '2600:1f18::/56'], canonicalCidr)).toEqual(['2600:1f18:0::/56']);
    expect(findDuplicates(['2600:1f18:0::/56', '2600:1f18::/56'])).toEqual([]);
  });
});

describe('describeValue', () => {
  const app = new App();
  const stack = new Stack(app, 'Stack');
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0 });

  test.each<[string, unknown, string]>([
    ['a literal string is quoted', 'vpc-0a1b2c3d', "'vpc-0a1b2c3d'"],
    ['a number is printed', 42, '42'],
    ['a list is described element by element', ['a', 'b'], "['a', 'b']"],
    ['undefined is named', undefined, 'undefined'],
  ])('%s', (_name, value, expected) => {
    expect(describeValue(value)).toBe(expected);
  });

  test('a reference names the resource it comes from, never ${Token[...]}', () => {
    expect(describeValue(vpc.vpcId)).toBe('<deploy-time value of Stack/Vpc>');
    expect(describeValue(vpc.vpcCidrBlock)).toBe('<deploy-time value of Stack/Vpc>');
    expect(describeValue(`prefix-${vpc.vpcId}`)).toBe('<deploy-time value of Stack/Vpc>');
    expect(describeValue(Fn.select(0, vpc.vpcCidrBlockAssociations))).not.toMatch(/Token\[/);
  });

  test('another token names the scope when one is given', () => {
    expect(describeValue(Aws.REGION)).toBe('<deploy-time value>');
    expect(describeValue(Aws.REGION, vpc)).toBe('<deploy-time value of Stack/Vpc>');
    expect(describeValue(stack.account, stack)).toBe('<deploy-time value of Stack>');
    expect(describeValue(Token.asNumber({ Ref: 'N' }))).toBe('<deploy-time value>');
    expect(describeValue(Token.asList({ Ref: 'L' }), stack)).toBe('<deploy-time value of Stack>');
  });

  test('a construct is named by its path, not stringified', () => {
    expect(describeValue(vpc)).toBe('Stack/Vpc');
    expect(describeValue({ subnets: vpc.publicSubnets })).toBe('[object Object]');
  });
});

describe('nameTag', () => {
  test('keeps a value that fits and shortens a longer one to 256 characters, deterministically', () => {
    expect(nameTag('App/Hub shared')).toBe('App/Hub shared');
    expect(nameTag('x'.repeat(256))).toBe('x'.repeat(256));
    const long = `${'a'.repeat(200)}/${'b'.repeat(200)} shared`;
    const short = nameTag(long);
    expect(short).toHaveLength(256);
    expect(short).toMatch(/^a+\.\.\.~[0-9a-f]{8}~\.\.\.b+ shared$/);
    expect(nameTag(long)).toBe(short);
    // two paths that differ only in the middle keep different names
    expect(nameTag(`${'a'.repeat(200)}/X/${'b'.repeat(200)} shared`)).not.toBe(short);
    // counted in Unicode characters, as AWS counts them
    expect([...nameTag('é'.repeat(300))]).toHaveLength(256);
    const token = Fn.importValue('Name');
    expect(nameTag(token)).toBe(token);
  });
});
