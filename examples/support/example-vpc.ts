import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

/**
 * The VPC of the peering examples: two AZs of isolated /24 subnets (no NAT, no internet
 * gateway), with flow logs to CloudWatch Logs.
 */
export function exampleVpc(scope: Construct, id: string, cidr: string): ec2.Vpc {
  return new ec2.Vpc(scope, id, {
    ipAddresses: ec2.IpAddresses.cidr(cidr),
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Workload', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    flowLogs: { All: {} },
  });
}
