import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';

/**
 * A service that a gateway VPC endpoint can serve: Amazon S3 or Amazon DynamoDB.
 *
 * Gateway endpoints are free and are a target in route tables (a route to the service's
 * prefix list); every other AWS service needs an interface endpoint. Wherever a
 * `GatewayService` is taken, aws-cdk-lib's `ec2.IGatewayVpcEndpointService` (for example
 * `ec2.GatewayVpcEndpointAwsService.S3`) is taken too.
 *
 * @example
 * new VpcEndpoints(this, 'Endpoints', { vpc, gateways: [GatewayService.S3] });
 */
export class GatewayService {
  // First: the static instances below are branded as they are created.
  private static readonly BRAND = Symbol.for('cdk-vpc-connect.GatewayService');

  /** Amazon S3 (`com.amazonaws.<region>.s3`). */
  public static readonly S3 = new GatewayService('S3', 's3', ec2.GatewayVpcEndpointAwsService.S3);

  /** Amazon DynamoDB (`com.amazonaws.<region>.dynamodb`). */
  public static readonly DYNAMODB = new GatewayService('DynamoDb', 'dynamodb', ec2.GatewayVpcEndpointAwsService.DYNAMODB);

  /**
   * Whether `x` is a `GatewayService`. A brand, not `instanceof`: it holds across two copies
   * of the library in one app.
   */
  public static isGatewayService(x: any): x is GatewayService {
    return x !== null && typeof x === 'object' && GatewayService.BRAND in x;
  }

  /**
   * The gateway service behind an `ec2.IGatewayVpcEndpointService`, for example
   * `ec2.GatewayVpcEndpointAwsService.S3`.
   *
   * Services other than S3 and DynamoDB are accepted here and rejected by
   * {@link VpcEndpoints} at synth, with the service's name in the message.
   */
  public static of(service: GatewayService | ec2.IGatewayVpcEndpointService): GatewayService {
    if (GatewayService.isGatewayService(service)) {
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

  /** The service as aws-cdk-lib's `ec2.GatewayVpcEndpoint` takes it. */
  public readonly service: ec2.IGatewayVpcEndpointService;

  /**
   * The key of the service (`s3`, `dynamodb`), when it is one of the two gateway services.
   *
   * @internal
   */
  public readonly _key: GatewayServiceKey | undefined;

  private constructor(name: string | undefined, key: GatewayServiceKey | undefined, service: ec2.IGatewayVpcEndpointService) {
    this.name = name;
    this._key = key;
    this.service = service;
    Object.defineProperty(this, GatewayService.BRAND, { value: true });
  }
}

/** The two services gateway endpoints serve. Internal: the public API names them by `GatewayService.S3` / `DYNAMODB`. */
type GatewayServiceKey = 's3' | 'dynamodb';

/** What a gateway service name stands for. Internal. */
export type GatewayServiceKind = GatewayServiceKey | 'other' | 'unknown';

/**
 * Classify a gateway service by its name: `com.amazonaws.<region>.s3` and
 * `com.amazonaws.<region>.dynamodb` are the only gateway services.
 *
 * `unknown` when the name is a token whose last segment cannot be read. Internal: not exported
 * from the package.
 */
export function classifyGatewayService(scope: IConstruct, service: GatewayService): GatewayServiceKind {
  if (service._key) {
    return service._key;
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
