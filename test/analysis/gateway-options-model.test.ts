import { HopDirection, NetworkModel, TargetKind } from '../../lib/analysis';

/**
 * Options of gateways that change where traffic may go: a private NAT gateway (no internet),
 * a transit gateway attachment's Ipv6Support (no IPv6 without it) and its subnets' availability
 * zones (no transit gateway from another AZ). Hand-written templates.
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
    expect(answer.path.filter((h) => h.direction === HopDirection.THERE).map((h) => h.target)).toEqual([
      TargetKind.NAT, TargetKind.TRANSIT_GATEWAY, TargetKind.TRANSIT_GATEWAY,
    ]);
    // The reply returns to the NAT gateway's subnet, then to the subnet that sent the request.
    expect(answer.path.filter((h) => h.direction === HopDirection.BACK).map((h) => h.destination)).toEqual(['10.0.0.0/16', '10.0.0.0/16', '10.0.0.0/16']);
  });
});

/**
 * Dual-stack VPCs One (10.1.0.0/16, 2600:1f18:1::/56) and Two (10.2.0.0/16, 2600:1f18:2::/56)
 * attached to a transit gateway with its default route table, routing each other's blocks
 * (both versions) to it; `options` are each attachment's Options.
 */
function dualStack(options: { one?: unknown; two?: unknown }): Resources {
  const attachment = (vpc: string, subnetId: string, opts: unknown) => res('AWS::EC2::TransitGatewayVpcAttachment', {
    TransitGatewayId: ref('Tgw'), VpcId: ref(vpc), SubnetIds: [ref(subnetId)], ...(opts !== undefined ? { Options: opts } : {}),
  });
  return {
    One: res('AWS::EC2::VPC', { CidrBlock: '10.1.0.0/16' }),
    OneV6: res('AWS::EC2::VPCCidrBlock', { VpcId: ref('One'), Ipv6CidrBlock: '2600:1f18:1::/56' }),
    Two: res('AWS::EC2::VPC', { CidrBlock: '10.2.0.0/16' }),
    TwoV6: res('AWS::EC2::VPCCidrBlock', { VpcId: ref('Two'), Ipv6CidrBlock: '2600:1f18:2::/56' }),
    ...subnet('OneSubnet', 'One', '10.1.0.0/24', '2600:1f18:1::/64'),
    ...subnet('TwoSubnet', 'Two', '10.2.0.0/24', '2600:1f18:2::/64'),
    Tgw: res('AWS::EC2::TransitGateway', {}),
    OneAttachment: attachment('One', 'OneSubnet', options.one),
    TwoAttachment: attachment('Two', 'TwoSubnet', options.two),
    ...route('OneToTwo', 'OneSubnetTable', '10.2.0.0/16', { TransitGatewayId: ref('Tgw') }),
    ...route('OneToTwo6', 'OneSubnetTable', '2600:1f18:2::/56', { TransitGatewayId: ref('Tgw') }),
    ...route('TwoToOne', 'TwoSubnetTable', '10.1.0.0/16', { TransitGatewayId: ref('Tgw') }),
    ...route('TwoToOne6', 'TwoSubnetTable', '2600:1f18:1::/56', { TransitGatewayId: ref('Tgw') }),
  };
}

describe('NetworkModel: IPv6 over a transit gateway', () => {
  const enabled = { Ipv6Support: 'enable' };

  test('with Ipv6Support on both attachments, IPv6 and IPv4 cross the transit gateway both ways', () => {
    // GIVEN
    const model = NetworkModel.fromTemplates({ S: { Resources: dualStack({ one: enabled, two: enabled }) } });

    // WHEN
    const v6 = model.canReach('2600:1f18:1::10', '2600:1f18:2::10');
    const v4 = model.canReach('S/OneSubnet', 'S/TwoSubnet');

    // THEN
    expect(v6).toMatchObject({ reachable: true, certain: true });
    expect(v6.path.filter((h) => h.target === TargetKind.TRANSIT_GATEWAY && h.vpc === 'S/Tgw').map((h) => [h.direction, h.destination, h.via]))
      .toEqual([['there', '2600:1f18:2::/56', 'S/TwoAttachment'], ['back', '2600:1f18:1::/56', 'S/OneAttachment']]);
    expect(v4).toMatchObject({ reachable: true, certain: true });
  });

  test('without Ipv6Support (the default), IPv6 does not enter the transit gateway from the attachment; IPv4 still does', () => {
    // GIVEN
    const model = NetworkModel.fromTemplates({ S: { Resources: dualStack({ two: enabled }) } });

    // WHEN
    const v6 = model.canReach('2600:1f18:1::10', '2600:1f18:2::10');
    const v4 = model.canReach('S/OneSubnet', 'S/TwoSubnet');

    // THEN
    expect(v6).toMatchObject({ reachable: false, certain: true });
    expect(v6.reason).toMatch(/attachment S\/OneAttachment of VPC S\/One has Ipv6Support off/);
    expect(v6.reason).toMatch(/into the transit gateway/);
    expect(v4).toMatchObject({ reachable: true, certain: true });
  });

  test('IPv6 is not delivered out of an attachment with Ipv6Support disabled, whose IPv6 block is not propagated', () => {
    // GIVEN: One supports IPv6, Two says disable; a static route sends Two's IPv6 block to Two's attachment anyway.
    const resources = {
      ...dualStack({ one: enabled, two: { Ipv6Support: 'disable' } }),
      StaticToTwo: res('AWS::EC2::TransitGatewayRoute', {
        TransitGatewayRouteTableId: ref('Table'), DestinationCidrBlock: '2600:1f18:2::/56', TransitGatewayAttachmentId: ref('TwoAttachment'),
      }),
    };
    const withStatic = {
      ...resources,
      Tgw: res('AWS::EC2::TransitGateway', { DefaultRouteTableAssociation: 'disable', DefaultRouteTablePropagation: 'disable' }),
      Table: res('AWS::EC2::TransitGatewayRouteTable', { TransitGatewayId: ref('Tgw') }),
      OneAssoc: res('AWS::EC2::TransitGatewayRouteTableAssociation', { TransitGatewayAttachmentId: ref('OneAttachment'), TransitGatewayRouteTableId: ref('Table') }),
      TwoAssoc: res('AWS::EC2::TransitGatewayRouteTableAssociation', { TransitGatewayAttachmentId: ref('TwoAttachment'), TransitGatewayRouteTableId: ref('Table') }),
      OneProp: res('AWS::EC2::TransitGatewayRouteTablePropagation', { TransitGatewayAttachmentId: ref('OneAttachment'), TransitGatewayRouteTableId: ref('Table') }),
      TwoProp: res('AWS::EC2::TransitGatewayRouteTablePropagation', { TransitGatewayAttachmentId: ref('TwoAttachment'), TransitGatewayRouteTableId: ref('Table') }),
    };
    const propagatedOnly = { ...withStatic };
    delete (propagatedOnly as Resources).StaticToTwo;

    // WHEN
    const overStatic = NetworkModel.fromTemplates({ S: { Resources: withStatic } }).canReach('2600:1f18:1::10', '2600:1f18:2::10');
    const overPropagation = NetworkModel.fromTemplates({ S: { Resources: propagatedOnly } }).canReach('2600:1f18:1::10', '2600:1f18:2::10');

    // THEN
    expect(overStatic).toMatchObject({ reachable: false, certain: true });
    expect(overStatic.reason).toMatch(/attachment S\/TwoAttachment of VPC S\/Two has Ipv6Support off.*out of the transit gateway/);
    // Without the static route, Two's IPv6 block is not propagated: the table has no route to it.
    expect(overPropagation).toMatchObject({ reachable: false, certain: true });
    expect(overPropagation.reason).toMatch(/S\/Table.*has no route to 2600:1f18:2::10\/128/);
  });

  test('an Ipv6Support known only at deploy time makes the IPv6 answer uncertain', () => {
    // GIVEN
    const resources = dualStack({ one: { Ipv6Support: ref('Ipv6Param') }, two: enabled });

    // WHEN
    const answer = NetworkModel.fromTemplates({ S: { Parameters: { Ipv6Param: { Type: 'String' } }, Resources: resources } })
      .canReach('2600:1f18:1::10', '2600:1f18:2::10');

    // THEN
    expect(answer.certain).toBe(false);
    expect(answer.reason).toMatch(/Ipv6Support of the transit gateway attachment S\/OneAttachment is known only at deploy time/);
  });
});

/**
 * VPCs One (10.1.0.0/16) and Two (10.2.0.0/16) with a subnet in each of two availability zones
 * (`azs`: what each template says), attached to a transit gateway by their first subnet only;
 * every subnet routes the other VPC to the transit gateway.
 */
function twoZones(azs: [unknown, unknown], attachmentAz: unknown = azs[0]): Resources {
  const zoned = (id: string, vpc: string, cidr: string, az: unknown): Resources => {
    const resources = subnet(id, vpc, cidr);
    (resources[id] as { Properties: Record<string, unknown> }).Properties.AvailabilityZone = az;
    return resources;
  };
  return {
    One: res('AWS::EC2::VPC', { CidrBlock: '10.1.0.0/16' }),
    Two: res('AWS::EC2::VPC', { CidrBlock: '10.2.0.0/16' }),
    ...zoned('OneA', 'One', '10.1.0.0/24', attachmentAz), ...zoned('OneB', 'One', '10.1.1.0/24', azs[1]),
    ...zoned('TwoA', 'Two', '10.2.0.0/24', attachmentAz), ...zoned('TwoB', 'Two', '10.2.1.0/24', azs[1]),
    Tgw: res('AWS::EC2::TransitGateway', {}),
    OneAttachment: res('AWS::EC2::TransitGatewayAttachment', { TransitGatewayId: ref('Tgw'), VpcId: ref('One'), SubnetIds: [ref('OneA')] }),
    TwoAttachment: res('AWS::EC2::TransitGatewayAttachment', { TransitGatewayId: ref('Tgw'), VpcId: ref('Two'), SubnetIds: [ref('TwoA')] }),
    ...route('OneAToTwo', 'OneATable', '10.2.0.0/16', { TransitGatewayId: ref('Tgw') }),
    ...route('OneBToTwo', 'OneBTable', '10.2.0.0/16', { TransitGatewayId: ref('Tgw') }),
    ...route('TwoAToOne', 'TwoATable', '10.1.0.0/16', { TransitGatewayId: ref('Tgw') }),
    ...route('TwoBToOne', 'TwoBTable', '10.1.0.0/16', { TransitGatewayId: ref('Tgw') }),
  };
}

describe('NetworkModel: availability zones of transit gateway attachments', () => {
  const getAz = (i: number) => ({ 'Fn::Select': [i, { 'Fn::GetAZs': '' }] });

  test.each([
    ['AZ names', ['us-east-1a', 'us-east-1b'], 'the availability zone us-east-1b'],
    ['Fn::Select over Fn::GetAZs', [getAz(0), getAz(1)], 'the availability zone at index 1'],
  ] as Array<[string, [unknown, unknown], string]>)('%s: a subnet in an AZ the attachment does not cover cannot use the transit gateway', (_kind, azs, uncoveredText) => {
    // GIVEN
    const model = NetworkModel.fromTemplates({ S: { Resources: twoZones(azs) } });

    // WHEN
    const covered = model.canReach('S/OneA', 'S/TwoA');
    const fromUncovered = model.canReach('S/OneB', 'S/TwoA');
    const replyFromUncovered = model.canReach('S/OneA', 'S/TwoB');

    // THEN
    expect(covered).toMatchObject({ reachable: true, certain: true });
    expect(fromUncovered).toMatchObject({ reachable: false, certain: true });
    expect(fromUncovered.reason).toContain(`Subnet S/OneB is in ${uncoveredText}`);
    expect(fromUncovered.reason).toMatch(/attachment S\/OneAttachment of VPC S\/One has no subnet.*cannot reach the transit gateway/);
    // The request reaches TwoB (traffic from the transit gateway enters through any attachment subnet); its reply cannot leave.
    expect(replyFromUncovered).toMatchObject({ reachable: false, certain: true });
    expect(replyFromUncovered.reason).toMatch(/^The reply is lost: subnet S\/TwoB is in .*attachment S\/TwoAttachment/);
  });

  test('AZs the templates give in different forms make the answer uncertain, not unreachable', () => {
    // GIVEN: the attachment subnets by index, the other subnets by name.
    const model = NetworkModel.fromTemplates({ S: { Resources: twoZones(['us-east-1a', 'us-east-1b'], getAz(0)) } });

    // WHEN
    const answer = model.canReach('S/OneB', 'S/TwoA');

    // THEN
    expect(answer).toMatchObject({ reachable: true, certain: false });
    expect(answer.reason).toMatch(/whether the transit gateway attachment S\/OneAttachment has a subnet in the availability zone of subnet S\/OneB/);
  });
});
