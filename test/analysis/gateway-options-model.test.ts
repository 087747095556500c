import { NetworkModel, TargetKind } from '../../lib/analysis';

/**
 * Options of gateways that change where traffic may go: a private NAT gateway (no internet).
 * Hand-written templates.
 */

type Resources = Record<string, unknown>;

const ref = (id: string) => ({ Ref: id });
const res = (Type: string, Properties: Record<string, unknown>) => ({ Type, Properties });

/** A subnet with its own route table. */
function subnet(id: string, vpc: string, cidr: string, ipv6?: string): Resources {
  return {
    [id]: res('AWS::EC2::Subnet', { VpcId: ref(vpc), CidrBlock: cidr, ...(ipv6 ? { Ipv6CidrBlock: ipv6 } : {}) }),
    [`${id}Table`]: res('AWS::EC2::RouteTable', { VpcId: ref(vpc) }),
    [`${id}Assoc`]: res('AWS::EC2::SubnetRouteTableAssociation', { SubnetId: ref(id), RouteTableId: ref(`${id}Table`) }),
  };
}

function route(id: string, table: string, destination: string, target: Record<string, unknown>): Resources {
  const key = destination.includes(':') ? 'DestinationIpv6CidrBlock' : 'DestinationCidrBlock';
  return { [id]: res('AWS::EC2::Route', { RouteTableId: ref(table), [key]: destination, ...target }) };
}

/**
 * VPC V (10.0.0.0/16): subnet App (10.0.1.0/24) sends everything to the NAT gateway in subnet
 * Nat (10.0.0.0/24), whose table sends 0.0.0.0/0 to an internet gateway and 10.2.0.0/16 to a
 * transit gateway. VPC W (10.2.0.0/16) is attached to the transit gateway and routes 10.0.0.0/16 back.
 */
function natNetwork(connectivityType: 'private' | 'public'): Resources {
  return {
    V: res('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' }),
    W: res('AWS::EC2::VPC', { CidrBlock: '10.2.0.0/16' }),
    ...subnet('Nat', 'V', '10.0.0.0/24'),
    ...subnet('App', 'V', '10.0.1.0/24'),
    ...subnet('Far', 'W', '10.2.0.0/24'),
    Igw: res('AWS::EC2::InternetGateway', {}),
    IgwAttachment: res('AWS::EC2::VPCGatewayAttachment', { VpcId: ref('V'), InternetGatewayId: ref('Igw') }),
    NatGateway: res('AWS::EC2::NatGateway', { SubnetId: ref('Nat'), ConnectivityType: connectivityType }),
    Tgw: res('AWS::EC2::TransitGateway', {}),
    VAttachment: res('AWS::EC2::TransitGatewayAttachment', { TransitGatewayId: ref('Tgw'), VpcId: ref('V'), SubnetIds: [ref('Nat')] }),
    WAttachment: res('AWS::EC2::TransitGatewayAttachment', { TransitGatewayId: ref('Tgw'), VpcId: ref('W'), SubnetIds: [ref('Far')] }),
    ...route('AppDefault', 'AppTable', '0.0.0.0/0', { NatGatewayId: ref('NatGateway') }),
    ...route('NatDefault', 'NatTable', '0.0.0.0/0', { GatewayId: ref('Igw') }),
    ...route('NatToW', 'NatTable', '10.2.0.0/16', { TransitGatewayId: ref('Tgw') }),
    ...route('FarToV', 'FarTable', '10.0.0.0/16', { TransitGatewayId: ref('Tgw') }),
  };
}

describe('NetworkModel: private NAT gateway', () => {
  test('traffic through a private NAT gateway toward the internet gateway is not reachable', () => {
    // GIVEN
    const model = NetworkModel.fromTemplates({ S: { Resources: natNetwork('private') } });

    // WHEN
    const answer = model.canReach('S/App', '8.8.8.8');

    // THEN
    expect(answer).toMatchObject({ reachable: false, certain: true });
    expect(answer.reason).toMatch(/S\/NatGateway is a private NAT gateway.*cannot reach the internet/);
    expect(answer.path.map((h) => [h.routeTable, h.target])).toEqual([
      ['S/AppTable', TargetKind.NAT],
      ['S/NatTable', TargetKind.INTERNET_GATEWAY],
    ]);
  });

  test('a public NAT gateway in the same network reaches the internet', () => {
    // GIVEN
    const model = NetworkModel.fromTemplates({ S: { Resources: natNetwork('public') } });

    // WHEN
    const answer = model.canReach('S/App', '8.8.8.8');

    // THEN
    expect(answer).toMatchObject({ reachable: true, certain: true });
  });

  test('traffic through a private NAT gateway toward a transit gateway reaches the VPC behind it, and the reply returns', () => {
    // GIVEN
    const model = NetworkModel.fromTemplates({ S: { Resources: natNetwork('private') } });

    // WHEN
    const answer = model.canReach('S/App', 'S/Far');

    // THEN
    expect(answer).toMatchObject({ reachable: true, certain: true });
    expect(answer.path.filter((h) => h.direction === 'there').map((h) => h.target)).toEqual([
      TargetKind.NAT, TargetKind.TRANSIT_GATEWAY, TargetKind.TRANSIT_GATEWAY,
    ]);
    // The reply returns to the NAT gateway's subnet, then to the subnet that sent the request.
    expect(answer.path.filter((h) => h.direction === 'back').map((h) => h.destination)).toEqual(['10.0.0.0/16', '10.0.0.0/16', '10.0.0.0/16']);
  });
});
