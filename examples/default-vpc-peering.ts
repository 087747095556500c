import { Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { VpcPeering } from '../lib';
import { DefaultVpcStandIn } from './support/default-vpc-stand-in';

/** Properties of {@link DefaultVpcPeeringStack}. */
export interface DefaultVpcPeeringStackProps extends StackProps {
  /**
   * Look the account's real default VPC up (needs a concrete account and region, and
   * credentials at synth). Otherwise a stand-in with the default VPC's shape is used.
   *
   * @default false
   */
  readonly lookupDefaultVpc?: boolean;
}

/**
 * The classic hands-on: VPC-1 with an EC2 instance, peered with the account's default VPC.
 * Both VPCs' route tables get a route to the other's CIDR, and security groups on both sides
 * admit ICMP (ping) and SSH from the peer VPC's CIDR.
 */
export class DefaultVpcPeeringStack extends Stack {
  public readonly peering: VpcPeering;

  constructor(scope: Construct, id: string, props: DefaultVpcPeeringStackProps = {}) {
    super(scope, id, props);

    const vpc1 = new ec2.Vpc(this, 'Vpc1', {
      ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'Workload', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      flowLogs: { All: {} },
    });
    const defaultVpc = props.lookupDefaultVpc
      ? ec2.Vpc.fromLookup(this, 'DefaultVpc', { isDefault: true })
      : new DefaultVpcStandIn(this, 'DefaultVpc').vpc;

    const instance = new ec2.Instance(this, 'Instance', {
      vpc: vpc1,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      requireImdsv2: true,
      detailedMonitoring: true,
      disableApiTermination: true,
      blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(8, { encrypted: true }) }],
    });

    this.peering = new VpcPeering(this, 'Vpc1ToDefaultVpc', {
      requester: vpc1,
      accepter: defaultVpc,
      peeringName: 'vpc1-to-default-vpc',
    });
    this.peering.allowFromAccepter(instance, ec2.Port.allIcmp(), 'ping from the default VPC');
    this.peering.allowFromAccepter(instance, ec2.Port.tcp(22), 'SSH from the default VPC');

    // Attach this group to instances in the default VPC so VPC-1 can reach them.
    const defaultVpcAccess = new ec2.SecurityGroup(this, 'DefaultVpcPeerAccess', {
      vpc: defaultVpc,
      description: 'Admits ping and SSH from VPC-1 over the peering',
      allowAllOutbound: false,
    });
    if (props.lookupDefaultVpc) {
      // The CLI's first synth pass runs before the lookup, with a placeholder VPC id (vpc-12345)
      // that the template validator flags; the lookup's pass has the real id. (VpcPeering
      // acknowledges this for its own resources.)
      Validations.of(defaultVpcAccess).acknowledge({
        id: 'CloudFormation-Validate::E1151',
        reason: 'Placeholder VPC id of an ec2.Vpc.fromLookup whose lookup has not run yet; the CLI looks the VPC up and synthesizes again.',
      });
    }
    this.peering.allowFromRequester(defaultVpcAccess, ec2.Port.allIcmp(), 'ping from VPC-1');
    this.peering.allowFromRequester(defaultVpcAccess, ec2.Port.tcp(22), 'SSH from VPC-1');
  }
}
