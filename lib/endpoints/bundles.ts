import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { GatewayService } from './gateway-service';

const svc = ec2.InterfaceVpcEndpointAwsService;

/**
 * A documented set of endpoints that a kind of workload needs to run without a route to
 * the internet. Pass a bundle wherever {@link VpcEndpoints} takes interface services;
 * a service that two bundles share gets one endpoint.
 *
 * | Bundle | Interface endpoints | Gateway endpoints |
 * |---|---|---|
 * | `SSM_SESSION_MANAGER` | ssm, ssmmessages, ec2messages | - |
 * | `ECR_IMAGE_PULL` | ecr.api, ecr.dkr, logs | S3 |
 * | `ECS_FARGATE` | ecr.api, ecr.dkr, logs, secretsmanager, ssm | S3 |
 * | `CLOUDWATCH` | logs, monitoring | - |
 * | `SECRETS` | secretsmanager, kms, ssm | - |
 *
 * @example
 * new VpcEndpoints(this, 'Endpoints', { vpc, interfaces: [EndpointBundle.SSM_SESSION_MANAGER] });
 */
export class EndpointBundle {
  // First: the static instances below are branded as they are created.
  private static readonly BRAND = Symbol.for('cdk-vpc-connect.EndpointBundle');

  /**
   * AWS Systems Manager Session Manager: `ssm` (the agent registers and gets its
   * commands), `ssmmessages` (the session channel) and `ec2messages` (Run Command
   * messages of older agents).
   */
  public static readonly SSM_SESSION_MANAGER = new EndpointBundle('SsmSessionManager',
    [svc.SSM, svc.SSM_MESSAGES, svc.EC2_MESSAGES]);

  /**
   * Pulling a private Amazon ECR image and logging with the `awslogs` driver:
   * `ecr.api` (authorization and manifests), `ecr.dkr` (the Docker registry API),
   * `logs` (CloudWatch Logs) and the S3 gateway endpoint (ECR stores image layers in S3).
   */
  public static readonly ECR_IMAGE_PULL = new EndpointBundle('EcrImagePull',
    [svc.ECR, svc.ECR_DOCKER, svc.CLOUDWATCH_LOGS], [GatewayService.S3]);

  /**
   * Starting an Amazon ECS task on AWS Fargate (platform version 1.4.0 or later) that
   * takes secrets: the {@link ECR_IMAGE_PULL} set, plus `secretsmanager` and `ssm`,
   * which Fargate calls at task start to inject `ecs.Secret.fromSecretsManager` and
   * `ecs.Secret.fromSsmParameter` values. A task without secrets needs only
   * {@link ECR_IMAGE_PULL}: each interface endpoint is billed per AZ-hour.
   * ECS Exec additionally needs `ssmmessages`; the ECS agent endpoints (`ecs`,
   * `ecs-agent`, `ecs-telemetry`) are for the EC2 launch type, not Fargate.
   */
  public static readonly ECS_FARGATE = new EndpointBundle('EcsFargate',
    [svc.ECR, svc.ECR_DOCKER, svc.CLOUDWATCH_LOGS, svc.SECRETS_MANAGER, svc.SSM], [GatewayService.S3]);

  /** Amazon CloudWatch: `logs` (CloudWatch Logs) and `monitoring` (metrics). */
  public static readonly CLOUDWATCH = new EndpointBundle('CloudWatch',
    [svc.CLOUDWATCH_LOGS, svc.CLOUDWATCH_MONITORING]);

  /**
   * Reading secrets and keys: `secretsmanager` (AWS Secrets Manager), `kms` (AWS KMS,
   * for data keys and decrypting with customer managed keys) and `ssm` (Parameter Store).
   */
  public static readonly SECRETS = new EndpointBundle('Secrets',
    [svc.SECRETS_MANAGER, svc.KMS, svc.SSM]);

  /**
   * A bundle of your own, for a set you add to several VPCs.
   *
   * @param name a readable name (letters and digits)
   * @param interfaces the interface endpoint services
   * @param gateways the gateway endpoint services: `GatewayService.S3` or
   * `ec2.GatewayVpcEndpointAwsService.S3` alike
   */
  public static custom(name: string, interfaces: ec2.IInterfaceVpcEndpointService[],
    gateways: Array<GatewayService | ec2.IGatewayVpcEndpointService> = []): EndpointBundle {
    return new EndpointBundle(name, interfaces, gateways.map((g) => GatewayService.of(g)));
  }

  /**
   * Whether `x` is an `EndpointBundle`. A brand, not `instanceof`: it holds across two copies
   * of the library in one app.
   */
  public static isEndpointBundle(x: any): x is EndpointBundle {
    return x !== null && typeof x === 'object' && EndpointBundle.BRAND in x;
  }

  /**
   * @param name a readable name of the bundle
   * @param services the interface endpoint services of the bundle
   * @param gateways the gateway endpoint services of the bundle
   */
  private constructor(
    public readonly name: string,
    public readonly services: ec2.IInterfaceVpcEndpointService[],
    public readonly gateways: GatewayService[] = []) {
    Object.defineProperty(this, EndpointBundle.BRAND, { value: true });
  }
}
