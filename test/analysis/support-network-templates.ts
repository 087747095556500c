/**
 * Hand-made CloudFormation templates for the tests of security groups, network ACLs, interface
 * endpoints and intents: a small builder, so that each test shows only what it is about.
 */
import { NetworkModel } from '../../lib/analysis';

/** A CloudFormation `Ref`. */
export function ref(logicalId: string): { Ref: string } {
  return { Ref: logicalId };
}

/** `Fn::GetAtt [id, GroupId]`, as aws-cdk-lib writes a security group's id. */
export function groupId(logicalId: string): { 'Fn::GetAtt': [string, string] } {
  return { 'Fn::GetAtt': [logicalId, 'GroupId'] };
}

/** A security group rule. */
export interface Rule {
  readonly IpProtocol: string | number;
  readonly FromPort?: number;
  readonly ToPort?: number;
  readonly CidrIp?: string;
  readonly CidrIpv6?: string;
  readonly SourceSecurityGroupId?: unknown;
  readonly DestinationSecurityGroupId?: unknown;
  readonly SourcePrefixListId?: unknown;
  readonly DestinationPrefixListId?: unknown;
}

/** A template under construction. */
export class Net {
  public readonly Resources: { [logicalId: string]: { Type: string; Properties: { [key: string]: unknown } } } = {};

  /** A resource of any type. */
  public add(logicalId: string, type: string, properties: { [key: string]: unknown } = {}): this {
    this.Resources[logicalId] = { Type: type, Properties: properties };
    return this;
  }

  /** A VPC with one route table shared by its subnets, and subnets `<id>S1`, `<id>S2`... of the CIDRs given. */
  public vpc(id: string, cidr: string, subnets: string[]): this {
    this.add(id, 'AWS::EC2::VPC', { CidrBlock: cidr });
    this.add(`${id}Rt`, 'AWS::EC2::RouteTable', { VpcId: ref(id) });
    subnets.forEach((block, i) => {
      this.add(`${id}S${i + 1}`, 'AWS::EC2::Subnet', { VpcId: ref(id), CidrBlock: block, AvailabilityZone: `us-east-1${'abc'[i]}` });
      this.add(`${id}S${i + 1}Assoc`, 'AWS::EC2::SubnetRouteTableAssociation', { SubnetId: ref(`${id}S${i + 1}`), RouteTableId: ref(`${id}Rt`) });
    });
    return this;
  }

  /** A peering between two VPCs, with routes both ways to each other's CIDR. */
  public peer(id: string, a: string, aCidr: string, b: string, bCidr: string): this {
    this.add(id, 'AWS::EC2::VPCPeeringConnection', { VpcId: ref(a), PeerVpcId: ref(b) });
    this.add(`${id}RouteA`, 'AWS::EC2::Route', { RouteTableId: ref(`${a}Rt`), DestinationCidrBlock: bCidr, VpcPeeringConnectionId: ref(id) });
    this.add(`${id}RouteB`, 'AWS::EC2::Route', { RouteTableId: ref(`${b}Rt`), DestinationCidrBlock: aCidr, VpcPeeringConnectionId: ref(id) });
    return this;
  }

  /** A security group of `vpc` with inline rules (`egress` undefined: no inline egress, AWS's default egress). */
  public group(id: string, vpc: string, ingress: Rule[] = [], egress?: Rule[]): this {
    return this.add(id, 'AWS::EC2::SecurityGroup', {
      GroupDescription: id, VpcId: ref(vpc), SecurityGroupIngress: ingress, ...(egress ? { SecurityGroupEgress: egress } : {}),
    });
  }

  /** An instance in a subnet with security groups. */
  public instance(id: string, subnet: string, groups: string[]): this {
    return this.add(id, 'AWS::EC2::Instance', { SubnetId: ref(subnet), SecurityGroupIds: groups.map(groupId), ImageId: 'ami-12345678' });
  }

  /** A network ACL of `vpc` associated with `subnets`, with entries `[number, egress, allow, protocol, cidr, from?, to?]`. */
  public acl(id: string, vpc: string, subnets: string[], entries: Array<[number, boolean, boolean, number, string, number?, number?]>): this {
    this.add(id, 'AWS::EC2::NetworkAcl', { VpcId: ref(vpc) });
    for (const [number, egress, allow, protocol, cidr, from, to] of entries) {
      this.add(`${id}${egress ? 'Out' : 'In'}${number}`, 'AWS::EC2::NetworkAclEntry', {
        NetworkAclId: ref(id), RuleNumber: number, Egress: egress, RuleAction: allow ? 'allow' : 'deny', Protocol: protocol, CidrBlock: cidr,
        ...(from !== undefined ? { PortRange: { From: from, To: to ?? from } } : {}),
        ...(protocol === 1 ? { Icmp: { Type: -1, Code: -1 } } : {}),
      });
    }
    subnets.forEach((subnet) => this.add(`${id}${subnet}Assoc`, 'AWS::EC2::SubnetNetworkAclAssociation', { SubnetId: ref(subnet), NetworkAclId: ref(id) }));
    return this;
  }

  /** An interface endpoint. */
  public endpoint(id: string, vpc: string, service: string, subnets: string[], groups: string[], privateDns?: boolean): this {
    return this.add(id, 'AWS::EC2::VPCEndpoint', {
      VpcId: ref(vpc), ServiceName: `com.amazonaws.us-east-1.${service}`, VpcEndpointType: 'Interface', SubnetIds: subnets.map(ref),
      SecurityGroupIds: groups.map(groupId), ...(privateDns !== undefined ? { PrivateDnsEnabled: privateDns } : {}),
    });
  }

  /** The template. */
  public template(): { Resources: Net['Resources'] } {
    return { Resources: this.Resources };
  }
}

/** TCP from a port to a port. */
export function tcp(port: number, cidr: string, toPort = port): Rule {
  return { IpProtocol: 'tcp', FromPort: port, ToPort: toPort, CidrIp: cidr };
}

/** Two peered VPCs: A (10.0.0.0/16, subnets AS1 10.0.1.0/24, AS2 10.0.2.0/24) and B (10.1.0.0/16, subnet BS1 10.1.1.0/24). */
export function peered(): Net {
  return new Net()
    .vpc('A', '10.0.0.0/16', ['10.0.1.0/24', '10.0.2.0/24'])
    .vpc('B', '10.1.0.0/16', ['10.1.1.0/24'])
    .peer('AB', 'A', '10.0.0.0/16', 'B', '10.1.0.0/16');
}

/** The network model of the template `net` builds, as stack `Net`. */
export function modelOf(net: Net): NetworkModel {
  return NetworkModel.fromTemplates({ Net: net.template() });
}
