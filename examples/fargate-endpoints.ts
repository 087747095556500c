import { CfnOutput, RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { EndpointBundle, EndpointPolicy, GatewayService, VpcEndpoints } from '../lib';

/** Properties of {@link FargateEndpointsStack}. */
export interface FargateEndpointsStackProps extends StackProps {
  /**
   * How many copies of the task run. Deploy with 0, push an image to the repository
   * (see the README), then raise it: a service whose image does not exist yet never
   * becomes stable.
   *
   * @default 0
   */
  readonly desiredCount?: number;
}

/**
 * An ECS Fargate task in isolated subnets (no NAT gateway, no internet gateway) that
 * publishes to an SNS topic every five minutes through the SNS interface endpoint. It pulls
 * its image from an ECR repository of the stack through the ECR endpoints and the S3 gateway
 * endpoint, and logs through the CloudWatch Logs endpoint: `EndpointBundle.ECR_IMAGE_PULL`
 * plus SNS. The task takes no secrets, so it does not need `EndpointBundle.ECS_FARGATE`.
 */
export class FargateEndpointsStack extends Stack {
  public readonly vpc: ec2.Vpc;
  public readonly endpoints: VpcEndpoints;
  public readonly topic: sns.Topic;
  public readonly repository: ecr.Repository;
  public readonly service: ecs.FargateService;

  constructor(scope: Construct, id: string, props: FargateEndpointsStackProps = {}) {
    super(scope, id, props);

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.40.0.0/16'),
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'Tasks', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      flowLogs: { All: {} },
    });

    this.endpoints = new VpcEndpoints(this, 'Endpoints', {
      vpc: this.vpc,
      interfaces: [EndpointBundle.ECR_IMAGE_PULL, ec2.InterfaceVpcEndpointAwsService.SNS],
    });
    // The only S3 traffic is image layers: let nothing else through the gateway endpoint.
    this.endpoints.addGateway(GatewayService.S3, { policies: [EndpointPolicy.ecrImageLayers()] });

    const key = new kms.Key(this, 'TopicKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY });
    this.topic = new sns.Topic(this, 'Topic', { masterKey: key, enforceSSL: true });

    this.repository = new ecr.Repository(this, 'Repository', {
      imageScanOnPush: true,
      emptyOnDelete: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: this.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });

    const taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', { cpu: 256, memoryLimitMiB: 512 });
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_WEEK, removalPolicy: RemovalPolicy.DESTROY });
    taskDefinition.addContainer('Publisher', {
      image: ecs.ContainerImage.fromEcrRepository(this.repository, 'latest'),
      // The image is the AWS CLI (public.ecr.aws/aws-cli/aws-cli pushed to the repository).
      entryPoint: ['/bin/sh', '-c'],
      command: [`while true; do aws sns publish --region ${this.region} --topic-arn ${this.topic.topicArn} --message "hello from an isolated subnet"; sleep 300; done`],
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'publisher', logGroup }),
    });
    // Publishing to a topic encrypted with a customer managed key needs the key too.
    taskDefinition.addToTaskRolePolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [this.topic.topicArn] }));
    key.grant(taskDefinition.taskRole, 'kms:Decrypt', 'kms:GenerateDataKey');
    Validations.of(taskDefinition.obtainExecutionRole()).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken only exists on resource "*"; the execution role\'s other grants name the repository and the log group.',
    });

    const securityGroup = new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
      vpc: this.vpc,
      description: 'The publisher task: no ingress, HTTPS out to the endpoints',
      allowAllOutbound: false,
    });
    securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to the VPC endpoints and the S3 gateway endpoint');

    this.service = new ecs.FargateService(this, 'Service', {
      cluster,
      taskDefinition,
      desiredCount: props.desiredCount ?? 0,
      minHealthyPercent: 0,
      maxHealthyPercent: 100,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [securityGroup],
      assignPublicIp: false,
      circuitBreaker: { rollback: true },
    });

    new CfnOutput(this, 'RepositoryUri', { value: this.repository.repositoryUri, description: 'push the AWS CLI image here as :latest' });
    new CfnOutput(this, 'ClusterName', { value: cluster.clusterName });
    new CfnOutput(this, 'ServiceName', { value: this.service.serviceName });
    new CfnOutput(this, 'LogGroupName', { value: logGroup.logGroupName, description: 'the MessageId of each publish shows here' });
  }
}
