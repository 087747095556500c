import { App, Fn, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describeForMessage, describeVpc, overlappingOwnBlocks } from '../../lib/routing/vpc-network';
import { testVpc } from '../support/vpcs';

const ENV = { account: '111111111111', region: 'us-east-1' };

describe('describeForMessage', () => {
  test('literal blocks are listed; a deploy-time block is described, never printed as ${Token[...]}', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const vpc = testVpc(stack, 'Vpc', '10.0.0.0/16');
    new ec2.CfnVPCCidrBlock(stack, 'FromImport', { vpcId: vpc.vpcId, cidrBlock: Fn.importValue('SecondaryBlock') });
    expect(describeForMessage(describeVpc(vpc))).toBe('Stack/Vpc (10.0.0.0/16, <deploy-time value of Stack/Vpc>)');
  });
});

describe('overlappingOwnBlocks', () => {
  test.each<[string, string[], RegExp | undefined]>([
    ['disjoint secondary blocks', ['10.1.0.0/16', '10.2.0.0/16'], undefined],
    ['a secondary block inside the primary', ['10.0.128.0/17'], /VPC Stack\/Vpc: secondary block Stack\/Block0 \(10\.0\.128\.0\/17\) overlaps its primary block 10\.0\.0\.0\/16/],
    ['the primary block again', ['10.0.0.0/16'], /secondary block Stack\/Block0 \(10\.0\.0\.0\/16\) overlaps its primary block 10\.0\.0\.0\/16/],
    ['two secondary blocks that overlap', ['10.1.0.0/16', '10.1.4.0/24'], /secondary block Stack\/Block1 \(10\.1\.4\.0\/24\) overlaps secondary block Stack\/Block0 \(10\.1\.0\.0\/16\)/],
  ])('%s', (_name, secondaries, expected) => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const vpc = testVpc(stack, 'Vpc', '10.0.0.0/16');
    secondaries.forEach((cidrBlock, i) => new ec2.CfnVPCCidrBlock(stack, `Block${i}`, { vpcId: vpc.vpcId, cidrBlock }));
    const problem = overlappingOwnBlocks(describeVpc(vpc));
    if (expected === undefined) {
      expect(problem).toBeUndefined();
    } else {
      expect(problem).toMatch(expected);
    }
  });

  test('a block known only at deploy time is not compared', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const vpc = testVpc(stack, 'Vpc', '10.0.0.0/16');
    new ec2.CfnVPCCidrBlock(stack, 'Imported', { vpcId: vpc.vpcId, cidrBlock: Fn.importValue('Block') });
    expect(overlappingOwnBlocks(describeVpc(vpc))).toBeUndefined();
  });
});
