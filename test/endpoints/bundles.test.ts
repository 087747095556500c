import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { EndpointBundle, GatewayService } from '../../lib';

const shortNames = (bundle: EndpointBundle) => bundle.services.map((s) => (s as ec2.InterfaceVpcEndpointAwsService).shortName);

describe('EndpointBundle', () => {
  // One table, one loop: each bundle is the documented list (README "Bundles" table).
  test.each([
    [EndpointBundle.SSM_SESSION_MANAGER, ['ssm', 'ssmmessages', 'ec2messages'], []],
    [EndpointBundle.ECR_IMAGE_PULL, ['ecr.api', 'ecr.dkr', 'logs'], [GatewayService.S3]],
    [EndpointBundle.ECS_FARGATE, ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'ssm'], [GatewayService.S3]],
    [EndpointBundle.CLOUDWATCH, ['logs', 'monitoring'], []],
    [EndpointBundle.SECRETS, ['secretsmanager', 'kms', 'ssm'], []],
  ])('%p holds its documented services', (bundle, interfaces, gateways) => {
    expect(shortNames(bundle)).toEqual(interfaces);
    expect(bundle.gateways).toEqual(gateways);
  });

  test('ECS_FARGATE is the image-pull set plus the secrets a task reads at start', () => {
    expect(shortNames(EndpointBundle.ECS_FARGATE)).toEqual(expect.arrayContaining(shortNames(EndpointBundle.ECR_IMAGE_PULL)));
  });

  test('custom bundles', () => {
    const bundle = EndpointBundle.custom('Messaging', [ec2.InterfaceVpcEndpointAwsService.SNS, ec2.InterfaceVpcEndpointAwsService.SQS]);
    expect(bundle.name).toBe('Messaging');
    expect(shortNames(bundle)).toEqual(['sns', 'sqs']);
    expect(bundle.gateways).toEqual([]);
  });

  test('custom bundles take gateway services as GatewayService or aws-cdk-lib services alike', () => {
    const bundle = EndpointBundle.custom('Data', [], [ec2.GatewayVpcEndpointAwsService.S3, GatewayService.DYNAMODB]);
    expect(bundle.gateways[0]).toBe(GatewayService.S3);
    expect(bundle.gateways[1]).toBe(GatewayService.DYNAMODB);
  });

  test('isEndpointBundle recognizes bundles by their brand', () => {
    expect(EndpointBundle.isEndpointBundle(EndpointBundle.CLOUDWATCH)).toBe(true);
    expect(EndpointBundle.isEndpointBundle(EndpointBundle.custom('Mine', []))).toBe(true);
    expect(EndpointBundle.isEndpointBundle(ec2.InterfaceVpcEndpointAwsService.SNS)).toBe(false);
    expect(EndpointBundle.isEndpointBundle(undefined)).toBe(false);
    // A bundle of another copy of the library carries the same brand.
    const copy = { name: 'Copy', services: [], gateways: [], [Symbol.for('cdk-vpc-connect.EndpointBundle')]: true };
    expect(EndpointBundle.isEndpointBundle(copy)).toBe(true);
  });
});

describe('GatewayService', () => {
  test('of() maps aws-cdk-lib services onto the static instances', () => {
    expect(GatewayService.of(ec2.GatewayVpcEndpointAwsService.S3)).toBe(GatewayService.S3);
    expect(GatewayService.of(ec2.GatewayVpcEndpointAwsService.DYNAMODB)).toBe(GatewayService.DYNAMODB);
    expect(GatewayService.of(GatewayService.S3)).toBe(GatewayService.S3);
  });

  test('isGatewayService recognizes gateway services by their brand', () => {
    expect(GatewayService.isGatewayService(GatewayService.S3)).toBe(true);
    expect(GatewayService.isGatewayService(ec2.GatewayVpcEndpointAwsService.S3)).toBe(false);
    expect(GatewayService.isGatewayService(null)).toBe(false);
  });

  test('other services keep their service name and have no readable name', () => {
    const other = GatewayService.of(ec2.GatewayVpcEndpointAwsService.S3_EXPRESS);
    expect(other.name).toBeUndefined();
    expect(other).not.toBe(GatewayService.S3);
    expect(GatewayService.isGatewayService(other)).toBe(true);
    expect(new Stack().resolve(other.service.name)).toEqual({ 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3express']] });
  });
});
