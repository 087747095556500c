import { Fn } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

/**
 * A VPC with the shape of an account's default VPC: 172.31.0.0/16, one public /20 subnet
 * per AZ, every subnet on one shared route table with the internet route. It lets the
 * default-VPC example synthesize offline, where `ec2.Vpc.fromLookup` cannot run.
 *
 * It is exposed the way a looked-up default VPC is: as an imported `ec2.IVpc`.
 */
export class DefaultVpcStandIn extends Construct {
  /** The stand-in, as an imported VPC. */
  public readonly vpc: ec2.IVpc;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const cidr = '172.31.0.0/16';
    const vpc = new ec2.CfnVPC(this, 'Resource', { cidrBlock: cidr, enableDnsHostnames: true, enableDnsSupport: true });
    const igw = new ec2.CfnInternetGateway(this, 'InternetGateway');
    const attachment = new ec2.CfnVPCGatewayAttachment(this, 'GatewayAttachment', { vpcId: vpc.ref, internetGatewayId: igw.ref });
    const table = new ec2.CfnRouteTable(this, 'MainRouteTable', { vpcId: vpc.ref });
    const internetRoute = new ec2.CfnRoute(this, 'InternetRoute', { routeTableId: table.ref, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.ref });
    internetRoute.node.addDependency(attachment);

    const azs = [0, 1].map((i) => Fn.select(i, Fn.getAzs()));
    const subnets = azs.map((az, i) => {
      const subnet = new ec2.CfnSubnet(this, `DefaultSubnet${i + 1}`, {
        vpcId: vpc.ref,
        availabilityZone: az,
        cidrBlock: `172.31.${i * 16}.0/20`,
        mapPublicIpOnLaunch: true,
      });
      new ec2.CfnSubnetRouteTableAssociation(this, `DefaultSubnet${i + 1}Association`, { subnetId: subnet.ref, routeTableId: table.ref });
      return subnet;
    });

    this.vpc = ec2.Vpc.fromVpcAttributes(this, 'Imported', {
      vpcId: vpc.ref,
      vpcCidrBlock: cidr,
      availabilityZones: azs,
      publicSubnetIds: subnets.map((s) => s.ref),
      publicSubnetRouteTableIds: subnets.map(() => table.ref),
    });
    new ec2.FlowLog(this, 'FlowLog', { resourceType: ec2.FlowLogResourceType.fromVpc(this.vpc) });
  }
}
