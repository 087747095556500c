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
});

describe('GatewayService', () => {
  test('of() maps aws-cdk-lib services onto the static instances', () => {
    expect(GatewayService.of(ec2.GatewayVpcEndpointAwsService.S3)).toBe(GatewayService.S3);
    expect(GatewayService.of(ec2.GatewayVpcEndpointAwsService.DYNAMODB)).toBe(GatewayService.DYNAMODB);
    expect(GatewayService.of(GatewayService.S3)).toBe(GatewayService.S3);
  });

  test('other services keep their name and no key', () => {
    const other = GatewayService.of(ec2.GatewayVpcEndpointAwsService.S3_EXPRESS);
    expect(other.key).toBeUndefined();
    expect(new Stack().resolve(other.service.name)).toEqual({ 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3express']] });
  });
});
