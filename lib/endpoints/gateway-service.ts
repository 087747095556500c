import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';

/**
 * A service that a gateway VPC endpoint can serve: Amazon S3 or Amazon DynamoDB.
 *
 * Gateway endpoints are free and are a target in route tables (a route to the service's
 * prefix list); every other AWS service needs an interface endpoint.
 *
 * @example
 * new VpcEndpoints(this, 'Endpoints', { vpc, gateways: [GatewayService.S3] });
 */
export class GatewayService {
  /** Amazon S3 (`com.amazonaws.<region>.s3`). */
  public static readonly S3 = new GatewayService('S3', 's3', ec2.GatewayVpcEndpointAwsService.S3);

  /** Amazon DynamoDB (`com.amazonaws.<region>.dynamodb`). */
  public static readonly DYNAMODB = new GatewayService('DynamoDb', 'dynamodb', ec2.GatewayVpcEndpointAwsService.DYNAMODB);

  /**
   * The gateway service behind an `ec2.IGatewayVpcEndpointService`, for example
   * `ec2.GatewayVpcEndpointAwsService.S3`.
   *
   * Services other than S3 and DynamoDB are accepted here and rejected by
   * {@link VpcEndpoints} at synth, with the service's name in the message.
   */
  public static of(service: ec2.IGatewayVpcEndpointService | GatewayService): GatewayService {
    if (service instanceof GatewayService) {
      return service;
    }
    if (service === ec2.GatewayVpcEndpointAwsService.S3) { return GatewayService.S3; }
    if (service === ec2.GatewayVpcEndpointAwsService.DYNAMODB) { return GatewayService.DYNAMODB; }
    return new GatewayService(undefined, undefined, service);
  }

  /**
   * A readable name, used in construct ids (`S3`, `DynamoDb`); `undefined` for a service
   * that is not one of the two gateway services.
   */
  public readonly name: string | undefined;

  /** The key of the service (`s3`, `dynamodb`), when it is one of the two gateway services. */
  public readonly key: 's3' | 'dynamodb' | undefined;

  /** The service as aws-cdk-lib's `ec2.GatewayVpcEndpoint` takes it. */
  public readonly service: ec2.IGatewayVpcEndpointService;

  private constructor(name: string | undefined, key: 's3' | 'dynamodb' | undefined, service: ec2.IGatewayVpcEndpointService) {
    this.name = name;
    this.key = key;
    this.service = service;
  }
}

/** What a gateway service name stands for. */
export type GatewayServiceKind = 's3' | 'dynamodb' | 'other' | 'unknown';

/**
 * Classify a gateway service by its name: `com.amazonaws.<region>.s3` and
 * `com.amazonaws.<region>.dynamodb` are the only gateway services.
 *
 * `unknown` when the name is a token whose last segment cannot be read.
 */
export function classifyGatewayService(scope: IConstruct, service: GatewayService): GatewayServiceKind {
  if (service.key) {
    return service.key;
  }
  const name = service.service.name;
  let lastSegment: string | undefined;
  if (!Token.isUnresolved(name)) {
    lastSegment = name.split('.').pop();
  } else {
    // `com.amazonaws.${Aws.REGION}.s3` keeps its literal tail after resolution.
    const resolved = Stack.of(scope).resolve(name);
    const text = typeof resolved === 'string' ? resolved : lastLiteral(resolved);
    lastSegment = text?.split('.').pop();
  }
  if (lastSegment === undefined || lastSegment === '') { return 'unknown'; }
  if (lastSegment === 's3') { return 's3'; }
  if (lastSegment === 'dynamodb') { return 'dynamodb'; }
  return 'other';
}

/** The last literal part of an `Fn::Join` with an empty separator, if that is what `value` is. */
function lastLiteral(value: unknown): string | undefined {
  if (value && typeof value === 'object' && 'Fn::Join' in value) {
    const join = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
    const parts = join[1];
    const last = parts[parts.length - 1];
    return typeof last === 'string' ? last : undefined;
  }
  return undefined;
}
