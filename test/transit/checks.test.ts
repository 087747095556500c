import { Fn } from 'aws-cdk-lib';
import { checkAccountId } from '../../lib/private/identifiers';
import { checkOrganizationalUnitArn, checkOrganizationArn, checkTransitGatewayDescription, sharingProblems } from '../../lib/transit/checks';

describe('transit gateway hub input checks (pure)', () => {
  test('checkTransitGatewayDescription: at most 255 characters; tokens are not checked', () => {
    expect(checkTransitGatewayDescription('d'.repeat(255))).toBeUndefined();
    expect(checkTransitGatewayDescription('d'.repeat(256))).toBe(`'${'d'.repeat(40)}...' has 256 characters, more than the 255 a transit gateway description takes`);
    expect(checkTransitGatewayDescription(Fn.importValue('Description'))).toBeUndefined();
  });
});

describe('shareWith checks (pure)', () => {
  test.each([
    'arn:aws:organizations::111111111111:organization/o-abcdefghij',
    'arn:aws-cn:organizations::111111111111:organization/o-abcdefghij0123456789abcdefghij01',
    'arn:aws-us-gov:organizations::111111111111:organization/o-a1b2c3d4e5',
  ])('%s is an organization ARN', (arn) => {
    expect(checkOrganizationArn(arn)).toBeUndefined();
  });

  test.each([
    'o-abcdefghij', 'arn:aws:organizations::111111111111:organization/o-abc', 'arn:aws:organizations::1111:organization/o-abcdefghij',
    'arn:aws:organizations::111111111111:organization/o-ABCDEFGHIJ', 'arn:aws:iam::111111111111:organization/o-abcdefghij',
  ])('%s is not an organization ARN', (arn) => {
    expect(checkOrganizationArn(arn)).toMatch(/is not an organization ARN/);
  });

  test('organizational unit ARNs', () => {
    expect(checkOrganizationalUnitArn('arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-ab12-cdefgh34')).toBeUndefined();
    expect(checkOrganizationalUnitArn('arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-ab1-cdefgh34')).toMatch(/is not an organizational unit ARN/);
    expect(checkOrganizationalUnitArn('arn:aws:organizations::111111111111:ou/ou-ab12-cdefgh34')).toMatch(/is not an organizational unit ARN/);
    expect(checkOrganizationalUnitArn(Fn.importValue('Ou'))).toBeUndefined();
  });

  test('sharingProblems lists every problem at once', () => {
    expect(sharingProblems({ accounts: ['1', '222222222222'], organizationArn: 'org' }, checkAccountId)).toEqual([
      expect.stringMatching(/^shareWith.accounts: '1' is not an AWS account id/),
      expect.stringMatching(/^shareWith.organizationArn: 'org' is not an organization ARN/),
    ]);
    expect(sharingProblems({ accounts: ['222222222222'] }, checkAccountId)).toEqual([]);
  });
});
