import { CfnOutput, RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EndpointBundle, EndpointPolicy, GatewayService, VpcEndpoints } from '../lib';

/**
 * The classic hands-on: an EC2 instance in a subnet whose route table has no internet route
 * (no internet gateway, no NAT gateway in the VPC at all) still lists an S3 bucket, through
 * the S3 gateway endpoint, and is reachable with Session Manager, through the ssm,
 * ssmmessages and ec2messages interface endpoints.
 *
 * The S3 gateway endpoint only lets the example bucket through (an endpoint policy).
 *
 * Try it: `aws ssm start-session --target <InstanceId>`, then `aws s3 ls s3://<BucketName>`.
 */
export class PrivateSubnetEndpointsStack extends Stack {
  public readonly vpc: ec2.Vpc;
  public readonly endpoints: VpcEndpoints;
  public readonly instance: ec2.Instance;
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.30.0.0/16'),
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'Workload', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      flowLogs: { All: {} },
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'A demo bucket that the hands-on only lists; server access logs would need a second bucket that outlives the example.',
    });

    this.endpoints = new VpcEndpoints(this, 'Endpoints', {
      vpc: this.vpc,
      gateways: [GatewayService.S3],
      interfaces: [EndpointBundle.SSM_SESSION_MANAGER],
    });
    this.endpoints.addGateway(GatewayService.S3, { policies: [EndpointPolicy.s3Buckets([this.bucket])] });

    const role = new iam.Role(this, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
      reason: 'AmazonSSMManagedInstanceCore is the policy AWS documents for Session Manager; it is what the example demonstrates.',
    });
    // The hands-on lists the bucket: s3:ListBucket on the bucket, nothing else.
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));

    const securityGroup = new ec2.SecurityGroup(this, 'InstanceSecurityGroup', {
      vpc: this.vpc,
      description: 'The example instance: no ingress (Session Manager needs none), HTTPS out to the endpoints',
      allowAllOutbound: false,
    });
    // There is no route to the internet: port 443 reaches only the interface endpoints (in the
    // VPC) and S3 through the gateway endpoint (whose prefix list is only known in the region).
    securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to the VPC endpoints and the S3 gateway endpoint');

    this.instance = new ec2.Instance(this, 'Instance', {
      vpc: this.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      role,
      securityGroup,
      requireImdsv2: true,
      detailedMonitoring: true,
      blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(8, { encrypted: true }) }],
    });
    Validations.of(this.instance).acknowledge({
      id: 'AwsSolutions-EC29',
      reason: 'A hands-on instance that cdk destroy must remove; termination protection would block the clean-up.',
    });

    new CfnOutput(this, 'InstanceId', { value: this.instance.instanceId, description: 'aws ssm start-session --target <this id>' });
    new CfnOutput(this, 'BucketName', { value: this.bucket.bucketName, description: 'in the session: aws s3 ls s3://<this name>' });
  }
}
