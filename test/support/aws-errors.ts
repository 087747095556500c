/** A route as EC2's DescribeRouteTables returns it (the fields the handler reads). */
export interface FakeRoute {
  DestinationCidrBlock?: string;
  DestinationIpv6CidrBlock?: string;
  VpcPeeringConnectionId?: string;
  GatewayId?: string;
  State?: string;
}

/** An error as the AWS SDK v3 throws it: the error code is the `name`. */
export function awsError(name: string, message = name): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}
