import { App, Fn, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RouteDestinationStyle, TransitGatewayHub } from '../../lib/transit';
import { testVpc } from '../support/vpcs';

const ENV = { account: '111111111111', region: 'us-east-1' };
const ORG = 'arn:aws:organizations::111111111111:organization/o-abcdefghij';
const OU = 'arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-ab12-cdefgh34';

function hubStack(): Stack {
  return new Stack(new App(), 'Network', { env: ENV });
}

describe('TransitGatewayHub shareWith (AWS RAM)', () => {
  test('shares the transit gateway with the accounts listed, in one resource share named after the hub', () => {
    const stack = hubStack();
    const hub = new TransitGatewayHub(stack, 'Hub', { shareWith: { accounts: ['222222222222', '333333333333'] }, spokes: [testVpc(stack, 'Vpc', '10.0.0.0/16')] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::RAM::ResourceShare', 1);
    template.hasResourceProperties('AWS::RAM::ResourceShare', {
      Name: 'Network/Hub',
      Principals: ['222222222222', '333333333333'],
      ResourceArns: [{ 'Fn::GetAtt': [stack.getLogicalId(hub.transitGateway!), 'TransitGatewayArn'] }],
      AllowExternalPrincipals: Match.absent(),
    });
    expect(hub.resourceShare?.node.id).toBe('ResourceShare');
    // Shared attachments are accepted by the spokes that make them, never automatically.
    template.hasResourceProperties('AWS::EC2::TransitGateway', { AutoAcceptSharedAttachments: 'disable' });
  });

  test('an organization, organizational units, and allowExternalPrincipals', () => {
    const stack = hubStack();
    new TransitGatewayHub(stack, 'Hub', { shareWith: { organizationArn: ORG, organizationalUnitArns: [OU], allowExternalPrincipals: false }, spokes: [testVpc(stack, 'Vpc', '10.0.0.0/16')] });
    Template.fromStack(stack).hasResourceProperties('AWS::RAM::ResourceShare', { Principals: [ORG, OU], AllowExternalPrincipals: false });
  });

  test('an existing gateway is shared by its ARN in the hub\'s account and region', () => {
    const stack = hubStack();
    new TransitGatewayHub(stack, 'Hub', { transitGatewayId: 'tgw-0123456789abcdef0', shareWith: { accounts: ['222222222222'] }, spokes: [testVpc(stack, 'Vpc', '10.0.0.0/16')] });
    Template.fromStack(stack).hasResourceProperties('AWS::RAM::ResourceShare', {
      ResourceArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:us-east-1:111111111111:transit-gateway/tgw-0123456789abcdef0']] }],
    });
  });

  test('the segments\' prefix lists join the share', () => {
    const stack = hubStack();
    const hub = new TransitGatewayHub(stack, 'Hub', {
      shareWith: { accounts: ['222222222222'] },
      routeWith: RouteDestinationStyle.PREFIX_LIST,
      spokes: [testVpc(stack, 'VpcA', '10.0.0.0/16'), testVpc(stack, 'VpcB', '10.1.0.0/16')],
    });
    const list = hub.prefixList('shared')!;
    Template.fromStack(stack).hasResourceProperties('AWS::RAM::ResourceShare', {
      ResourceArns: [Match.anyValue(), { 'Fn::GetAtt': [stack.getLogicalId(list), 'Arn'] }],
    });
  });

  test('no hub without shareWith has a share', () => {
    const stack = hubStack();
    const hub = new TransitGatewayHub(stack, 'Hub', { spokes: [testVpc(stack, 'Vpc', '10.0.0.0/16')] });
    Template.fromStack(stack).resourceCountIs('AWS::RAM::ResourceShare', 0);
    expect(hub.resourceShare).toBeUndefined();
  });

  describe('bad input', () => {
    test.each<[string, object, RegExp]>([
      ['no principal', {}, /\[Network\/Hub\] shareWith names no principal: give accounts, organizationArn or organizationalUnitArns/],
      ['a malformed account id', { accounts: ['2222'] }, /shareWith.accounts: '2222' is not an AWS account id: an account id is 12 digits/],
      ['an account listed twice', { accounts: ['222222222222', '222222222222'] }, /shareWith.accounts lists 222222222222 twice/],
      ['a malformed organization ARN', { organizationArn: 'o-abcdefghij' }, /shareWith.organizationArn: 'o-abcdefghij' is not an organization ARN: it looks like arn:aws:organizations::111111111111:organization\/o-exampleorgid/],
      ['an OU ARN given as the organization', { organizationArn: OU }, /shareWith.organizationArn: .* is not an organization ARN/],
      ['a malformed OU ARN', { organizationalUnitArns: ['ou-ab12-cdefgh34'] }, /shareWith.organizationalUnitArns: 'ou-ab12-cdefgh34' is not an organizational unit ARN/],
      ['an OU of another organization', { organizationArn: ORG, organizationalUnitArns: ['arn:aws:organizations::111111111111:ou/o-zzzzzzzzzz/ou-ab12-cdefgh34'] },
        /organizationalUnitArns: arn:aws:organizations::111111111111:ou\/o-zzzzzzzzzz\/ou-ab12-cdefgh34 is in organization o-zzzzzzzzzz, not in o-abcdefghij of organizationArn/],
    ])('%s', (_, shareWith, message) => {
      expect(() => new TransitGatewayHub(hubStack(), 'Hub', { shareWith })).toThrow(message);
    });

    test('deploy-time values are not checked', () => {
      const stack = hubStack();
      new TransitGatewayHub(stack, 'Hub', { shareWith: { accounts: [Fn.importValue('Account')], organizationArn: Fn.importValue('Org') }, spokes: [testVpc(stack, 'Vpc', '10.0.0.0/16')] });
      Template.fromStack(stack).hasResourceProperties('AWS::RAM::ResourceShare', { Principals: [{ 'Fn::ImportValue': 'Account' }, { 'Fn::ImportValue': 'Org' }] });
    });
  });
});
