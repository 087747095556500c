import { Match } from 'aws-cdk-lib/assertions';
import { FIVE_VPCS } from '../../examples/mesh-and-hub';
import { synthesizedExampleApp, templateOf } from '../support/example-apps';

/** The example app, synthesized once per jest run (test/support/global-setup.ts). */
const examples = synthesizedExampleApp('examples');

describe('example: five VPCs as a full peering mesh', () => {
  const template = templateOf(examples, 'MeshNetwork');

  test('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('peers each of the 10 pairs once, and routes each VPC\'s 2 tables to its 4 peers', () => {
    template.resourceCountIs('AWS::EC2::VPCPeeringConnection', 10);
    const routes = Object.values(template.findResources('AWS::EC2::Route', { Properties: { VpcPeeringConnectionId: Match.anyValue() } }));
    expect(routes).toHaveLength(5 * 2 * 4);
    for (const { cidr } of FIVE_VPCS) {
      expect(routes.filter((r) => r.Properties.DestinationCidrBlock === cidr)).toHaveLength(4 * 2);
    }
  });

  test('has no transit gateway', () => {
    template.resourceCountIs('AWS::EC2::TransitGateway', 0);
  });
});

describe('example: the same five VPCs through a transit-gateway hub', () => {
  const template = templateOf(examples, 'HubNetwork');

  test('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('one transit gateway with its default route table off, one attachment per VPC', () => {
    template.resourceCountIs('AWS::EC2::TransitGateway', 1);
    template.hasResourceProperties('AWS::EC2::TransitGateway', {
      DefaultRouteTableAssociation: 'disable',
      DefaultRouteTablePropagation: 'disable',
      AutoAcceptSharedAttachments: 'disable',
    });
    template.resourceCountIs('AWS::EC2::TransitGatewayAttachment', 5);
    template.resourceCountIs('AWS::EC2::TransitGatewayRouteTableAssociation', 5);
    template.resourceCountIs('AWS::EC2::TransitGatewayRouteTablePropagation', 5);
    template.resourceCountIs('AWS::EC2::VPCPeeringConnection', 0);
  });

  test('routes each VPC\'s 2 tables to the 4 others via the transit gateway, after the attachment', () => {
    const routes = Object.values(template.findResources('AWS::EC2::Route', { Properties: { TransitGatewayId: Match.anyValue() } }));
    expect(routes).toHaveLength(5 * 2 * 4);
    for (const route of routes) {
      expect(JSON.stringify(route.DependsOn)).toMatch(/Attachment/);
    }
  });
});
