import { FindingRules, NetworkModel, TargetKind } from '../../lib/analysis';

/**
 * Routes whose destination is a customer-managed prefix list (`DestinationPrefixListId`): a list
 * of the templates routes each of its entries, and counts as its max entries against the
 * route quota; entries (or a list) the templates do not reveal make answers uncertain.
 */
function network(list: Record<string, unknown> | undefined, destination: unknown = { 'Fn::GetAtt': ['Spokes', 'PrefixListId'] }) {
  const vpc = (prefix: string, cidr: string, table: Record<string, unknown>) => ({
    [`${prefix}Vpc`]: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: cidr } },
    [`${prefix}Subnet`]: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: `${prefix}Vpc` }, CidrBlock: cidr.replace('/16', '/24') } },
    [`${prefix}Table`]: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: `${prefix}Vpc` } } },
    [`${prefix}Assoc`]: { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { SubnetId: { Ref: `${prefix}Subnet` }, RouteTableId: { Ref: `${prefix}Table` } } },
    ...table,
  });
  const resources: Record<string, unknown> = {
    ...vpc('Hub', '10.0.0.0/16', {}),
    ...vpc('A', '10.1.0.0/16', {}),
    ...vpc('B', '10.2.0.0/16', {}),
    ToA: { Type: 'AWS::EC2::VPCPeeringConnection', Properties: { VpcId: { Ref: 'HubVpc' }, PeerVpcId: { Ref: 'AVpc' } } },
    ToB: { Type: 'AWS::EC2::VPCPeeringConnection', Properties: { VpcId: { Ref: 'HubVpc' }, PeerVpcId: { Ref: 'BVpc' } } },
    // Hub -> A through the prefix list (which holds A's block), Hub -> B through a literal block.
    HubToA: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: 'HubTable' }, DestinationPrefixListId: destination, VpcPeeringConnectionId: { Ref: 'ToA' } } },
    HubToB: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: 'HubTable' }, DestinationCidrBlock: '10.2.0.0/16', VpcPeeringConnectionId: { Ref: 'ToB' } } },
    AToHub: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: 'ATable' }, DestinationCidrBlock: '10.0.0.0/16', VpcPeeringConnectionId: { Ref: 'ToA' } } },
    BToHub: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: 'BTable' }, DestinationCidrBlock: '10.0.0.0/16', VpcPeeringConnectionId: { Ref: 'ToB' } } },
  };
  if (list) { resources.Spokes = { Type: 'AWS::EC2::PrefixList', Properties: { PrefixListName: 'spokes', AddressFamily: 'IPv4', ...list } }; }
  return { Net: { Resources: resources, Parameters: { Extra: { Type: 'String' } } } };
}

describe('routes to a customer-managed prefix list', () => {
  test('a list of the templates routes each entry: the peer in the list is reached, with the entry named in the path', () => {
    const model = NetworkModel.fromTemplates(network({ MaxEntries: 5, Entries: [{ Cidr: '10.1.0.0/16', Description: 'A' }, { Cidr: '10.9.0.0/16' }] }));
    model.expectReach('Net/HubSubnet', 'Net/ASubnet');
    model.expectReach('Net/HubSubnet', 'Net/BSubnet');
    const there = model.canReach('Net/HubSubnet', 'Net/ASubnet').path[0];
    expect(there).toMatchObject({ routeTable: 'Net/HubTable', destination: '10.1.0.0/16 (Net/Spokes)', target: TargetKind.PEERING, via: 'Net/ToA' });
  });

  test('an address outside its entries has no route: a certain no (before, any address was a certain no)', () => {
    const model = NetworkModel.fromTemplates(network({ MaxEntries: 1, Entries: [{ Cidr: '10.7.0.0/16' }] }));
    expect(model.canReach('Net/HubSubnet', 'Net/ASubnet')).toMatchObject({
      reachable: false, certain: true, reason: 'Route table Net/HubTable of VPC Net/HubVpc has no route to 10.1.0.0/24.',
    });
  });

  test('an entry known only at deploy time: uncertain, naming the list', () => {
    const model = NetworkModel.fromTemplates(network({ MaxEntries: 2, Entries: [{ Cidr: { Ref: 'Extra' } }, { Cidr: '10.7.0.0/16' }] }));
    const answer = model.canReach('Net/HubSubnet', 'Net/ASubnet');
    expect(answer).toMatchObject({ reachable: false, certain: false });
    expect(answer.reason).toMatch(/Not certain: route table Net\/HubTable has routes whose destination is known only at deploy time \(Net\/HubToA \[\$\{Extra\} \(Net\/Spokes\)\]\)/);
    // The blocks it does hold are still routed.
    expect(NetworkModel.fromTemplates(network({ MaxEntries: 2, Entries: [{ Cidr: { Ref: 'Extra' } }, { Cidr: '10.1.0.0/16' }] }))
      .canReach('Net/HubSubnet', 'Net/ASubnet')).toMatchObject({ reachable: true, certain: false });
  });

  test('a prefix list not in the templates (a literal pl- id): its entries are not known, so answers through the table are uncertain', () => {
    const answer = NetworkModel.fromTemplates(network(undefined, 'pl-0123456789abcdef0')).canReach('Net/HubSubnet', 'Net/ASubnet');
    expect(answer).toMatchObject({ reachable: false, certain: false });
    expect(answer.reason).toMatch(/routes to prefix lists not defined in the templates, whose entries are not known \(Net\/HubToA: pl-0123456789abcdef0\)/);
  });

  test('the route counts as the list\'s max entries against the routes-per-table quota', () => {
    const model = NetworkModel.fromTemplates(network({ MaxEntries: 9, Entries: [{ Cidr: '10.1.0.0/16' }] }), { quotas: { routesPerRouteTable: 10 } });
    const quota = model.findings.filter((f) => f.ruleId === FindingRules.ROUTE_QUOTA);
    expect(quota.map((f) => f.message)).toEqual([
      'Route table Net/HubTable (VPC Net/HubVpc) holds 10 IPv4 routes (a route to a managed prefix list counts as its maximum entries); that is 100% of the quota of 10 per route table.',
    ]);
  });
});
