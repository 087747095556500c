import { CfnOutput, RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { EndpointBundle, EndpointPolicy, GatewayService, SharedEndpoints, TransitGatewayHub, VpcEndpoints } from '../lib';
import { exampleVpc } from './support/example-vpc';

/** Properties of {@link SharedEndpointsStack}. */
export interface SharedEndpointsStackProps extends StackProps {
  /**
   * How many copies of the publisher task run. Deploy with 0, push an image to the repository
   * (as for the FargateEndpoints example), then raise it.
   *
   * @default 0
   */
  readonly desiredCount?: number;
}

/**
 * Three VPCs on a transit gateway hub, one of them a shared-services VPC that holds the only
 * interface endpoints: Session Manager (`EndpointBundle.SSM_SESSION_MANAGER`), ECR image pulls
 * (`EndpointBundle.ECR_IMAGE_PULL`) and SNS. The two application VPCs (isolated spokes: they
 * reach the shared VPC, not each other) resolve the services' names to those endpoints through
 * the private hosted zones of `SharedEndpoints`. An ECS Fargate task in one of them pulls its
 * image and publishes to an SNS topic through the shared endpoints; ECR's image layers come from
 * S3 through the application VPC's own gateway endpoint (gateway endpoints cannot be shared).
 */
export class SharedEndpointsStack extends Stack {
  public readonly sharedVpc: ec2.Vpc;
  public readonly appVpcs: ec2.Vpc[];
  public readonly hub: TransitGatewayHub;
  public readonly endpoints: SharedEndpoints;
  public readonly topic: sns.Topic;
  public readonly service: ecs.FargateService;

  constructor(scope: Construct, id: string, props: SharedEndpointsStackProps = {}) {
    super(scope, id, props);

    this.sharedVpc = exampleVpc(this, 'SharedServices', '10.60.0.0/16');
    const publisherVpc = exampleVpc(this, 'AppA', '10.61.0.0/16');
    const otherVpc = exampleVpc(this, 'AppB', '10.62.0.0/16');
    this.appVpcs = [publisherVpc, otherVpc];

    this.hub = new TransitGatewayHub(this, 'Hub', { spokes: [this.sharedVpc, ...this.appVpcs], isolatedSpokes: this.appVpcs });

    this.endpoints = new SharedEndpoints(this, 'Endpoints', {
      vpc: this.sharedVpc,
      interfaces: [EndpointBundle.SSM_SESSION_MANAGER, EndpointBundle.ECR_IMAGE_PULL, ec2.InterfaceVpcEndpointAwsService.SNS],
      consumers: this.appVpcs,
    });

    // Gateway endpoints work only inside their VPC: each application VPC has its own (free) S3
    // gateway endpoint for the ECR image layers, and lets nothing else through it.
    for (const vpc of this.appVpcs) {
      const gateways = new VpcEndpoints(this, `${vpc.node.id}Gateways`, { vpc });
      gateways.addGateway(GatewayService.S3, { policies: [EndpointPolicy.ecrImageLayers()] });
    }

    const key = new kms.Key(this, 'TopicKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY });
    this.topic = new sns.Topic(this, 'Topic', { masterKey: key, enforceSSL: true });
    const repository = new ecr.Repository(this, 'Repository', { imageScanOnPush: true, emptyOnDelete: true, removalPolicy: RemovalPolicy.DESTROY });

    const cluster = new ecs.Cluster(this, 'Cluster', { vpc: publisherVpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    const taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', { cpu: 256, memoryLimitMiB: 512 });
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_WEEK, removalPolicy: RemovalPolicy.DESTROY });
    taskDefinition.addContainer('Publisher', {
      image: ecs.ContainerImage.fromEcrRepository(repository, 'latest'),
      // The image is the AWS CLI (public.ecr.aws/aws-cli/aws-cli pushed to the repository).
      entryPoint: ['/bin/sh', '-c'],
      command: [`while true; do aws sns publish --region ${this.region} --topic-arn ${this.topic.topicArn} --message "hello through the shared endpoints"; sleep 300; done`],
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'publisher', logGroup }),
    });
    taskDefinition.addToTaskRolePolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [this.topic.topicArn] }));
    key.grant(taskDefinition.taskRole, 'kms:Decrypt', 'kms:GenerateDataKey');
    Validations.of(taskDefinition.obtainExecutionRole()).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken only exists on resource "*"; the execution role\'s other grants name the repository and the log group.',
    });

    const securityGroup = new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
      vpc: publisherVpc,
      description: 'The publisher task: no ingress, HTTPS out to the shared endpoints and the S3 gateway endpoint',
      allowAllOutbound: false,
    });
    securityGroup.addEgressRule(ec2.Peer.ipv4('10.60.0.0/16'), ec2.Port.tcp(443), 'HTTPS to the shared interface endpoints');
    securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to the S3 gateway endpoint (S3 prefix list)');

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

    new CfnOutput(this, 'RepositoryUri', { value: repository.repositoryUri, description: 'push the AWS CLI image here as :latest' });
    new CfnOutput(this, 'LogGroupName', { value: logGroup.logGroupName, description: 'the MessageId of each publish shows here' });
  }
}
