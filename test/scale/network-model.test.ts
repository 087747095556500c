import { NetworkModel } from '../../lib/analysis';

/**
 * A 40-VPC full mesh written as templates (one stack per VPC, 4 route tables each, 780 peerings,
 * 6,240 routes, accepter tables imported across stacks): the model answers the whole 40x40 matrix
 * correctly at that scale. How long it takes is measured by `npm run bench` (scale table), never
 * asserted in a test.
 */
function meshTemplates(n: number, tablesPerVpc: number): Record<string, unknown> {
  const templates: Record<string, { Resources: Record<string, unknown>; Outputs: Record<string, unknown> }> = {};
  for (let i = 0; i < n; i++) {
    const resources: Record<string, unknown> = { Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: `10.${i}.0.0/16` } } };
    const outputs: Record<string, unknown> = {};
    for (let t = 0; t < tablesPerVpc; t++) {
      resources[`Subnet${t}`] = { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: `10.${i}.${t}.0/24` } };
      resources[`Table${t}`] = { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' } } };
      resources[`Assoc${t}`] = { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { SubnetId: { Ref: `Subnet${t}` }, RouteTableId: { Ref: `Table${t}` } } };
      outputs[`Table${t}`] = { Value: { Ref: `Table${t}` }, Export: { Name: `Vpc${i}:Table${t}` } };
    }
    outputs.VpcId = { Value: { Ref: 'Vpc' }, Export: { Name: `Vpc${i}:VpcId` } };
    templates[`Vpc${i}`] = { Resources: resources, Outputs: outputs };
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const resources = templates[`Vpc${i}`].Resources;
      resources[`Peering${j}`] = { Type: 'AWS::EC2::VPCPeeringConnection', Properties: { VpcId: { Ref: 'Vpc' }, PeerVpcId: { 'Fn::ImportValue': `Vpc${j}:VpcId` } } };
      for (let t = 0; t < tablesPerVpc; t++) {
        resources[`Peering${j}Requester${t}`] = {
          Type: 'AWS::EC2::Route',
          Properties: { RouteTableId: { Ref: `Table${t}` }, DestinationCidrBlock: `10.${j}.0.0/16`, VpcPeeringConnectionId: { Ref: `Peering${j}` } },
        };
        resources[`Peering${j}Accepter${t}`] = {
          Type: 'AWS::EC2::Route',
          Properties: { RouteTableId: { 'Fn::ImportValue': `Vpc${j}:Table${t}` }, DestinationCidrBlock: `10.${i}.0.0/16`, VpcPeeringConnectionId: { Ref: `Peering${j}` } },
        };
      }
    }
  }
  return templates;
}

test('a 40-VPC mesh: every VPC reaches every other, with no finding', () => {
  // GIVEN
  const templates = meshTemplates(40, 4);

  // WHEN
  const model = NetworkModel.fromTemplates(templates);
  const findings = model.findings;
  let reachable = 0;
  for (const a of model.vpcs) {
    for (const b of model.vpcs) {
      if (a !== b && model.canReach(a.name, b.name).reachable) { reachable++; }
    }
  }

  // THEN
  expect(model.peerings).toHaveLength(780);
  expect(findings).toEqual([]);
  expect(reachable).toBe(40 * 39);
});
