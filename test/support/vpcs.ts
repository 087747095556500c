import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

/** Options of {@link testVpc}. */
export interface TestVpcOptions {
  /** Subnet groups, all isolated unless named 'Public'. @default ['Public', 'Isolated'] */
  readonly groups?: string[];
  /** AZs. @default 2 */
  readonly maxAzs?: number;
  /** IP protocol. @default IPv4 only */
  readonly ipProtocol?: ec2.IpProtocol;
}

/** An `ec2.Vpc` with a literal CIDR, no NAT gateways and one route table per subnet. */
export function testVpc(scope: Construct, id: string, cidr: string, options: TestVpcOptions = {}): ec2.Vpc {
  const groups = options.groups ?? ['Public', 'Isolated'];
  return new ec2.Vpc(scope, id, {
    ipAddresses: ec2.IpAddresses.cidr(cidr),
    maxAzs: options.maxAzs ?? 2,
    natGateways: 0,
    ipProtocol: options.ipProtocol,
    subnetConfiguration: groups.map((name) => ({
      name,
      subnetType: name === 'Public' ? ec2.SubnetType.PUBLIC : ec2.SubnetType.PRIVATE_ISOLATED,
      cidrMask: 24,
      ipv6AssignAddressOnCreation: options.ipProtocol === ec2.IpProtocol.DUAL_STACK ? false : undefined,
    })),
  });
}

/** An imported VPC whose `count` public subnets all share the route table `routeTableId`. */
export function sharedTableVpc(scope: Construct, id: string, cidr: string, routeTableId = 'rtb-main', count = 3): ec2.IVpc {
  const azs = ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d'].slice(0, count);
  return ec2.Vpc.fromVpcAttributes(scope, id, {
    vpcId: `vpc-${id.toLowerCase()}`,
    vpcCidrBlock: cidr,
    availabilityZones: azs,
    publicSubnetIds: azs.map((_, i) => `subnet-${id.toLowerCase()}${i}`),
    publicSubnetRouteTableIds: azs.map(() => routeTableId),
  });
}

/** The logical id of a construct's L1 in its stack. */
export function logicalId(construct: Construct): string {
  const child = construct.node.defaultChild as ec2.CfnVPC;
  return Stack.of(construct).getLogicalId(child);
}

/**
 * `count` VPCs of 9 route tables each (3 AZs x public, private and isolated subnets), each in its
 * own stack `Net00`, `Net01`...: the shape whose mesh outgrows a stack.
 */
export function nineTableVpcsInOwnStacks(app: Construct, count: number, env: { account: string; region: string }): ec2.Vpc[] {
  return Array.from({ length: count }, (_, i) => new ec2.Vpc(new Stack(app, `Net${String(i).padStart(2, '0')}`, { env }), 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr(`10.${i}.0.0/16`), maxAzs: 3, natGateways: 1,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  }));
}
