import { App, Fn, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import {
  checkEndpointPolicyLength, checkOrganizationId, checkPeerCidr, classifyInterfaceService, InterfaceServiceKind, malformedConditionValues, normalizedServiceName,
} from '../../lib/endpoints/checks';
import { subnetsOfAnotherVpc } from '../../lib/routing/subnets';
import { testVpc } from '../support/vpcs';

describe('endpoint input checks (pure)', () => {
  test.each([
    ['o-a1b2c3d4e5', undefined],
    ['o-' + 'a'.repeat(32), undefined],
    ['o-abc123', /'o-abc123' is not an AWS Organizations id: expected 'o-' followed by 10 to 32 lowercase letters or digits/],
    ['o-' + 'a'.repeat(33), /is not an AWS Organizations id/],
    ['o-A1B2C3D4E5', /is not an AWS Organizations id/],
    ['r-a1b2c3d4e5', /is not an AWS Organizations id/],
  ])('checkOrganizationId(%s)', (value, problem) => {
    const result = checkOrganizationId(value);
    if (problem === undefined) { expect(result).toBeUndefined(); } else { expect(result).toMatch(problem); }
  });

  test('checkOrganizationId does not check a token, and never prints one raw', () => {
    expect(checkOrganizationId(Fn.importValue('OrgId'))).toBeUndefined();
  });

  test('malformedConditionValues: organization and account keys of any operator and case, lists included; wildcards and other keys skipped', () => {
    expect(malformedConditionValues({
      Condition: {
        'StringEquals': { 'aws:PrincipalOrgID': 'o-bad', 'aws:principalaccount': ['111111111111', '22'], 'aws:SourceVpc': 'vpc-1' },
        'ForAnyValue:StringEquals': { 'aws:ResourceOrgID': ['o-a1b2c3d4e5', 'org'] },
        'StringLike': { 'aws:PrincipalOrgID': 'o-*', 'aws:SourceAccount': '1111*' },
      },
    })).toEqual([
      "StringEquals aws:PrincipalOrgID: 'o-bad' is not an AWS Organizations id: expected 'o-' followed by 10 to 32 lowercase letters or digits (for example 'o-a1b2c3d4e5')",
      "StringEquals aws:principalaccount: '22' is not an AWS account id: an account id is 12 digits (for example '123456789012')",
      "ForAnyValue:StringEquals aws:ResourceOrgID: 'org' is not an AWS Organizations id: expected 'o-' followed by 10 to 32 lowercase letters or digits (for example 'o-a1b2c3d4e5')",
    ]);
    expect(malformedConditionValues({ Effect: 'Allow' })).toEqual([]);
  });

  test.each([
    ['com.amazonaws.us-east-1.sns', 'com.amazonaws.<region>.sns'],
    [{ 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.sns']] }, 'com.amazonaws.<region>.sns'],
    [{ 'Fn::Join': ['', ['com.amazonaws.vpce.', { Ref: 'AWS::Region' }, '.', { Ref: 'Service' }]] }, 'com.amazonaws.vpce.<region>.<deploy-time>'],
    ['com.amazonaws.s3-global.accesspoint', 'com.amazonaws.s3-global.accesspoint'],
    [{ 'Fn::ImportValue': 'Name' }, undefined],
  ])('normalizedServiceName(%j)', (resolved, normalized) => {
    expect(normalizedServiceName(resolved)).toEqual(normalized);
  });

  test('classifyInterfaceService: aws-cdk-lib\'s services, endpoint services, unknown names, deploy-time names', () => {
    const stack = new Stack(new App(), 'Stack');
    expect(classifyInterfaceService(stack, ec2.InterfaceVpcEndpointAwsService.SSM.name)).toBe(InterfaceServiceKind.KNOWN);
    expect(classifyInterfaceService(stack, ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_STUDIO.name)).toBe(InterfaceServiceKind.KNOWN);
    expect(classifyInterfaceService(stack, 'com.amazonaws.ap-southeast-2.ssm')).toBe(InterfaceServiceKind.KNOWN);
    expect(classifyInterfaceService(stack, 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0')).toBe(InterfaceServiceKind.ENDPOINT_SERVICE);
    expect(classifyInterfaceService(stack, new ec2.InterfaceVpcEndpointAwsService('snss').name)).toBe(InterfaceServiceKind.UNKNOWN);
    expect(classifyInterfaceService(stack, 'com.amazonaws.vpce.us-east-1.vpce-svc-XYZ')).toBe(InterfaceServiceKind.UNKNOWN);
    expect(classifyInterfaceService(stack, Fn.importValue('ServiceName'))).toBe(InterfaceServiceKind.UNRESOLVED);
  });

  test('checkPeerCidr: host bits in IPv4 and IPv6 blocks; other peers are not checked', () => {
    expect(checkPeerCidr(ec2.Peer.ipv4('10.2.0.1/16'))).toBe("'10.2.0.1/16' has host bits set; the network is 10.2.0.0/16");
    expect(checkPeerCidr(ec2.Peer.ipv6('2001:db8::1/64'))).toBe("'2001:db8::1/64' has host bits set; the network is 2001:db8::/64");
    expect(checkPeerCidr(ec2.Peer.ipv4('10.2.0.0/16'))).toBeUndefined();
    expect(checkPeerCidr(ec2.Peer.anyIpv4())).toBeUndefined();
    expect(checkPeerCidr(ec2.Peer.prefixList('pl-0123456789abcdef0'))).toBeUndefined();
  });

  test('subnetsOfAnotherVpc: the VPC\'s own subnets pass; another VPC\'s, and a subnet imported into a VPC made in the app, do not', () => {
    const stack = new Stack(new App(), 'Stack');
    const vpc = testVpc(stack, 'Vpc', '10.0.0.0/16');
    const other = testVpc(stack, 'Other', '10.1.0.0/16');
    const imported = ec2.Subnet.fromSubnetId(stack, 'Imported', 'subnet-0123456789abcdef0');
    const foreign = subnetsOfAnotherVpc(vpc, [...vpc.isolatedSubnets, other.publicSubnets[0], imported]);
    expect(foreign.map((f) => [f.text, f.vpc])).toEqual([['Stack/Other/PublicSubnet1', 'Stack/Other'], ['subnet-0123456789abcdef0', undefined]]);
    // an imported VPC's subnet list may be partial: a subnet imported by id is not reported
    const importedVpc = ec2.Vpc.fromVpcAttributes(stack, 'ImportedVpc', { vpcId: 'vpc-0a1b2c3d', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-0a1b2c3d'] });
    expect(subnetsOfAnotherVpc(importedVpc, [imported])).toEqual([]);
    expect(subnetsOfAnotherVpc(importedVpc, [other.publicSubnets[0]]).map((f) => f.vpc)).toEqual(['Stack/Other']);
  });

  test('checkEndpointPolicyLength: 20,480 characters at most; a policy with deploy-time values is not checked', () => {
    const policy = (n: number) => ({ Statement: [{ Resource: 'x'.repeat(n) }] });
    const overhead = JSON.stringify(policy(0)).length;
    expect(checkEndpointPolicyLength(policy(20480 - overhead))).toBeUndefined();
    expect(checkEndpointPolicyLength(policy(20481 - overhead))).toBe('has 20481 characters, more than the 20480 AWS allows in a VPC endpoint policy');
    expect(checkEndpointPolicyLength({ Statement: [{ Resource: { 'Fn::Join': ['', ['x'.repeat(30000)]] } }] })).toBeUndefined();
    expect(checkEndpointPolicyLength(undefined)).toBeUndefined();
  });
});
