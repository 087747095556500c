import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FindingRules, FindingSeverity, HopDirection, NetworkModel, TargetKind } from '../../lib/analysis';
import { pathKind } from '../../lib/analysis/matchers';

/**
 * Plain CloudFormation templates written as real-world ones are (test/fixtures/templates): a
 * quick-start-like VPC with Conditions and AZ parameters, routes written by a Lambda custom
 * resource, a nested stack by local TemplateURL, a route through a Network Firewall endpoint.
 */

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'templates');
const fixture = (file: string) => path.join(FIXTURES, file);

function subnetNames(model: NetworkModel): string[] {
  return [...(model as unknown as { graph: { subnets: Map<string, { name: string }> } }).graph.subnets.values()].map((s) => s.name);
}

function tmpTemplate(name: string, text: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vc-cfn-')), name);
  fs.writeFileSync(file, text);
  return file;
}

describe('a quick-start-like VPC (quickstart-vpc.yaml)', () => {
  const model = (parameters: { [key: string]: string } = {}) =>
    NetworkModel.fromTemplateFiles({ quickstart: fixture('quickstart-vpc.yaml') }, { parameters: { quickstart: parameters } });

  test('the defaults create 4 subnets (2 AZs, private subnets, no additional ones), not the 12 of the template', () => {
    expect(subnetNames(model())).toEqual(['quickstart/PublicSubnet1', 'quickstart/PublicSubnet2', 'quickstart/PrivateSubnet1A', 'quickstart/PrivateSubnet2A']);
    expect(subnetNames(model({ NumberOfAZs: '4', CreateAdditionalPrivateSubnets: 'true' }))).toHaveLength(12);
    expect(subnetNames(model({ NumberOfAZs: '3', CreatePrivateSubnets: 'false' }))).toEqual(['quickstart/PublicSubnet1', 'quickstart/PublicSubnet2', 'quickstart/PublicSubnet3']);
  });

  test('CIDR blocks come from the parameters\' defaults, or the values given', () => {
    expect(model().vpcs).toEqual([{ name: 'quickstart/VPC', stack: 'quickstart', cidrs: ['10.0.0.0/16'], certain: true }]);
    expect(model({ VPCCIDR: '10.8.0.0/16', PublicSubnetCIDRs: '10.8.0.0/24,10.8.1.0/24', PrivateSubnetACIDRs: '10.8.2.0/24,10.8.3.0/24' })
      .canReach('10.8.2.9', '10.8.1.9')).toMatchObject({ reachable: true, certain: true, fromSubnet: 'quickstart/PrivateSubnet1A' });
  });

  test('a private subnet reaches the internet through its NAT gateway, and S3 through the gateway endpoint', () => {
    const answer = model().canReach('quickstart/PrivateSubnet1A', '8.8.8.8');
    expect(answer).toMatchObject({ reachable: true, certain: true });
    expect(answer.path.filter((h) => h.direction === HopDirection.THERE).map((h) => [h.target, h.via]))
      .toEqual([[TargetKind.NAT, 'quickstart/NATGateway1'], [TargetKind.INTERNET_GATEWAY, 'quickstart/InternetGateway']]);
    expect(model().canReach('quickstart/PrivateSubnet2A', 's3').path[0]).toMatchObject({ target: TargetKind.GATEWAY_ENDPOINT, via: 'quickstart/S3Endpoint' });
  });

  test('CreateNATGateways=false drops the NAT gateways and their routes: a certain no', () => {
    const answer = model({ CreateNATGateways: 'false' }).canReach('quickstart/PrivateSubnet1A', '8.8.8.8');
    expect(answer).toMatchObject({ reachable: false, certain: true, reason: 'Route table quickstart/PrivateSubnet1ARouteTable of VPC quickstart/VPC has no route to 8.8.8.8/32.' });
  });

  test('CreateNATGateways without a value: the NAT route is kept, and the answer through it is not certain', () => {
    const text = fs.readFileSync(fixture('quickstart-vpc.yaml'), 'utf8').replace("    AllowedValues: ['true', 'false']\n    Default: 'true'\n  VPCCIDR:", "    AllowedValues: ['true', 'false']\n  VPCCIDR:");
    const uncertain = NetworkModel.fromTemplateFiles({ quickstart: tmpTemplate('quickstart.yaml', text) });
    const answer = uncertain.canReach('quickstart/PrivateSubnet1A', '8.8.8.8');
    expect(answer).toMatchObject({ reachable: true, certain: false });
    expect(answer.reason).toMatch(/quickstart\/PrivateSubnet1ARoute, which exists only if condition 'NATGatewaysCondition' holds/);
    expect(uncertain.findings.filter((f) => f.ruleId === FindingRules.UNKNOWN).map((f) => f.constructs[0]))
      .toEqual(['quickstart/PrivateSubnet1ARoute', 'quickstart/PrivateSubnet2ARoute', 'quickstart/NATGateway1', 'quickstart/NATGateway2']);
  });

  test('no finding: the zones are unknown, but nothing depends on them', () => {
    expect(model().findings).toEqual([]);
  });
});

describe('subnets whose zone is the same unknown parameter are in the same zone', () => {
  const template = (attachmentZone: string) => [
    'Parameters:',
    '  AzA: { Type: "AWS::EC2::AvailabilityZone::Name" }',
    '  AzB: { Type: "AWS::EC2::AvailabilityZone::Name" }',
    'Resources:',
    '  Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.0.0.0/16 } }',
    '  Hub: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.9.0.0/16 } }',
    '  HubSubnet: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Hub, CidrBlock: 10.9.0.0/24 } }',
    '  AppA: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24, AvailabilityZone: !Ref AzA } }',
    '  Attach: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.9.0/28, AvailabilityZone: !Ref ' + attachmentZone + ' } }',
    '  Tgw: { Type: AWS::EC2::TransitGateway }',
    '  VpcAttachment: { Type: AWS::EC2::TransitGatewayAttachment, Properties: { TransitGatewayId: !Ref Tgw, VpcId: !Ref Vpc, SubnetIds: [!Ref Attach] } }',
    '  HubAttachment: { Type: AWS::EC2::TransitGatewayAttachment, Properties: { TransitGatewayId: !Ref Tgw, VpcId: !Ref Hub, SubnetIds: [!Ref HubSubnet] } }',
    '  AppTable: { Type: AWS::EC2::RouteTable, Properties: { VpcId: !Ref Vpc } }',
    '  AppAssociation: { Type: AWS::EC2::SubnetRouteTableAssociation, Properties: { SubnetId: !Ref AppA, RouteTableId: !Ref AppTable } }',
    '  ToHub: { Type: AWS::EC2::Route, Properties: { RouteTableId: !Ref AppTable, DestinationCidrBlock: 10.9.0.0/16, TransitGatewayId: !Ref Tgw } }',
    '  HubTable: { Type: AWS::EC2::RouteTable, Properties: { VpcId: !Ref Hub } }',
    '  HubAssociation: { Type: AWS::EC2::SubnetRouteTableAssociation, Properties: { SubnetId: !Ref HubSubnet, RouteTableId: !Ref HubTable } }',
    '  ToApp: { Type: AWS::EC2::Route, Properties: { RouteTableId: !Ref HubTable, DestinationCidrBlock: 10.0.0.0/16, TransitGatewayId: !Ref Tgw } }',
  ].join('\n');

  test('the attachment subnet and the app subnet both in !Ref AzA: certain; in AzA and AzB: not certain', () => {
    const same = NetworkModel.fromTemplateFiles({ Net: tmpTemplate('net.yaml', template('AzA')) });
    const different = NetworkModel.fromTemplateFiles({ Net: tmpTemplate('net.yaml', template('AzB')) });
    const from = (model: NetworkModel) => (model as unknown as { graph: { subnets: Map<string, { name: string; az?: { kind: string } }> } }).graph.subnets;

    expect(from(same).get('Net/AppA')!.az).toEqual(from(same).get('Net/Attach')!.az);
    expect(same.canReach('Net/AppA', 'Net/HubSubnet')).toMatchObject({ reachable: true, certain: true });
    expect(from(different).get('Net/AppA')!.az!.kind).not.toBe(from(different).get('Net/Attach')!.az!.kind);
    const answer = different.canReach('Net/AppA', 'Net/HubSubnet');
    expect(answer).toMatchObject({ reachable: true, certain: false });
    expect(answer.reason).toMatch(/whether the transit gateway attachment Net\/VpcAttachment has a subnet in the availability zone of subnet Net\/AppA \(the availability zone \$\{AzA\} \(parameter 'AzA' of stack Net has no value given and no Default\)\) is not known/);
  });
});

describe('routes written by a Lambda custom resource (route-writer.yaml)', () => {
  const model = () => NetworkModel.fromTemplateFiles({ rw: fixture('route-writer.yaml') });

  test('the answer through the table it is given is uncertain, naming the custom resource', () => {
    const answer = model().canReach('rw/RequesterVpc', 'rw/AccepterVpc');
    expect(answer).toMatchObject({ reachable: false, certain: false });
    expect(answer.reason).toBe('The reply is lost: route table rw/AccepterRouteTable of VPC rw/AccepterVpc has no route to 10.10.0.0/24. ' +
      'Not certain: route table rw/AccepterRouteTable has routes whose destination is known only at deploy time ' +
      '(routes that rw/AccepterRoutesBack (Custom::PeeringRoutes) may write).');
  });

  test('an info finding of rule vpc-connect/unmodelled-routes, and no one-way-route error', () => {
    expect(model().findings).toEqual([{
      ruleId: FindingRules.UNMODELLED_ROUTES,
      severity: FindingSeverity.INFO,
      message: 'rw/AccepterRoutesBack (Custom::PeeringRoutes) is given the route table rw/AccepterRouteTable and may write routes there ' +
        'that the model cannot see: answers through that table are not certain.',
      fix: 'Nothing to fix if intended. To have the routes checked, declare them in the template as AWS::EC2::Route resources instead of writing them from rw/AccepterRoutesBack.',
      constructs: ['rw/AccepterRoutesBack', 'rw/AccepterRouteTable'],
      resources: [{ stack: 'rw', logicalId: 'AccepterRoutesBack' }, { stack: 'rw', logicalId: 'AccepterRouteTable' }],
    }]);
    expect(FindingRules.all()).toContain('vpc-connect/unmodelled-routes');
  });

  test('a literal rtb- id the model holds, a resource type outside AWS::, and the library\'s own route custom resource', () => {
    const base = (extra: Record<string, unknown>) => NetworkModel.fromTemplates({
      Net: {
        Resources: {
          Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
          Pcx: { Type: 'AWS::EC2::VPCPeeringConnection', Properties: { VpcId: { Ref: 'Vpc' }, PeerVpcId: 'vpc-0peer' } },
          Route: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: 'rtb-0shared', DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: { Ref: 'Pcx' } } },
          ...extra,
        },
      },
    });
    const writers = (model: NetworkModel) => model.findings.filter((f) => f.ruleId === FindingRules.UNMODELLED_ROUTES).map((f) => f.constructs);

    expect(writers(base({ Writer: { Type: 'Custom::AWS', Properties: { Create: '{"parameters":{"RouteTableId":"rtb-0shared"}}', Tables: ['rtb-0shared'] } } })))
      .toEqual([['Net/Writer', 'rtb-0shared']]);
    expect(writers(base({ Writer: { Type: 'MyOrg::Network::Routes', Properties: { RouteTable: 'rtb-0shared' } } }))).toEqual([['Net/Writer', 'rtb-0shared']]);
    expect(writers(base({ Writer: { Type: 'Custom::VpcConnectPeeringRoutes', Properties: { RouteTableIds: ['rtb-0shared'], PeeringConnectionId: { Ref: 'Pcx' } } } }))).toEqual([]);
    expect(writers(base({ Other: { Type: 'Custom::Tags', Properties: { Resource: 'rtb-0other' } } }))).toEqual([]);
  });
});

describe('a nested stack by local TemplateURL (nested/parent.yaml)', () => {
  test('read and linked: parameters in, outputs out', () => {
    const model = NetworkModel.fromTemplateDirectory(path.join(FIXTURES, 'nested'), { parameters: { parent: { SharedCidr: '10.2.0.0/16' } } });

    expect(model.vpcs.map((v) => [v.name, v.stack, v.cidrs])).toEqual([
      ['parent/AppVpc', 'parent', ['10.1.0.0/16']],
      ['parent/SharedServices/Vpc', 'parent/SharedServices', ['10.2.0.0/16']],
    ]);
    expect(model.peerings).toEqual([{ name: 'parent/Peering', requester: 'parent/AppVpc', accepter: 'parent/SharedServices/Vpc' }]);
    expect(model.canReach('parent/AppSubnet', 'parent/SharedServices/Subnet')).toMatchObject({ reachable: true, certain: true });
    expect(model.findings).toEqual([]);
  });

  test('without a value for the parameter it passes in: the nested VPC\'s block is unknown, with a CloudFormation hint', () => {
    const model = NetworkModel.fromTemplateFiles({ parent: fixture('nested/parent.yaml') });
    const vpc = model.findings.find((f) => f.constructs.includes('parent/SharedServices/Vpc'));
    expect(vpc).toMatchObject({
      ruleId: FindingRules.UNKNOWN,
      message: "VPC parent/SharedServices/Vpc has CIDR blocks not known from the templates: a CIDR block (${SharedCidr}): parameter 'SharedCidr' " +
        'of stack parent has no value given and no Default. Reachability to and from them is not certain.',
      fix: "Give the template's AWS::EC2::VPC a literal CidrBlock, or the parameter it reads a value with --parameters Stack:Key=Value " +
        '(NetworkModelOptions.parameters in code) or a Default, to have it checked.',
    });
  });

  test('a TemplateURL that is not a local file: an unknown finding whose fix speaks CloudFormation', () => {
    const model = NetworkModel.fromTemplates({
      Parent: { Resources: { Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://s3.amazonaws.com/bucket/child.yaml' } } } },
    });
    expect(model.findings).toEqual([expect.objectContaining({
      ruleId: FindingRules.UNKNOWN,
      fix: "Give the nested stack's TemplateURL as a path to its template file, relative to the parent template (as `aws cloudformation package` takes it), " +
        'and read the parent with NetworkModel.fromTemplateFiles or the CLI.',
    })]);
  });
});

describe('a route through a Network Firewall endpoint (firewall.yaml)', () => {
  test('the firewall is in the template: a pass-through hop, then the firewall subnet\'s route table', () => {
    const model = NetworkModel.fromTemplateFiles({ fw: fixture('firewall.yaml') });
    const answer = model.canReach('fw/ProtectedSubnet', '8.8.8.8');

    expect(answer).toMatchObject({ reachable: true, certain: true });
    expect(answer.path.filter((h) => h.direction === HopDirection.THERE).map((h) => [h.routeTable, h.via])).toEqual([
      ['fw/ProtectedRouteTable', 'Network Firewall fw/Firewall (endpoint in fw/FirewallSubnet)'],
      ['fw/FirewallRouteTable', 'fw/InternetGateway'],
    ]);
    expect(model.findings).toEqual([]);
  });

  test('a pass-through hop (target firewall), not NAT: traffic to a peer keeps its source address, and the peer replies to it', () => {
    // The peer routes back only the protected subnet's block: with address translation to the
    // firewall subnet (10.30.0.0/28) the reply would be lost.
    const text = fs.readFileSync(fixture('firewall.yaml'), 'utf8').replace('  FirewallSubnetAssociation:\n', [
      '  PeerVpc:',
      '    Type: AWS::EC2::VPC',
      '    Properties: { CidrBlock: 10.40.0.0/16 }',
      '  PeerSubnet:',
      '    Type: AWS::EC2::Subnet',
      '    Properties: { VpcId: !Ref PeerVpc, CidrBlock: 10.40.0.0/24, AvailabilityZone: !Ref Az }',
      '  Peering:',
      '    Type: AWS::EC2::VPCPeeringConnection',
      '    Properties: { VpcId: !Ref Vpc, PeerVpcId: !Ref PeerVpc }',
      '  FirewallToPeer:',
      '    Type: AWS::EC2::Route',
      '    Properties: { RouteTableId: !Ref FirewallRouteTable, DestinationCidrBlock: 10.40.0.0/16, VpcPeeringConnectionId: !Ref Peering }',
      '  PeerRouteTable:',
      '    Type: AWS::EC2::RouteTable',
      '    Properties: { VpcId: !Ref PeerVpc }',
      '  PeerSubnetAssociation:',
      '    Type: AWS::EC2::SubnetRouteTableAssociation',
      '    Properties: { SubnetId: !Ref PeerSubnet, RouteTableId: !Ref PeerRouteTable }',
      '  PeerToProtected:',
      '    Type: AWS::EC2::Route',
      '    Properties: { RouteTableId: !Ref PeerRouteTable, DestinationCidrBlock: 10.30.1.0/24, VpcPeeringConnectionId: !Ref Peering }',
      '  FirewallSubnetAssociation:',
      '',
    ].join('\n'));
    const model = NetworkModel.fromTemplateFiles({ fw: tmpTemplate('fw.yaml', text) });
    const answer = model.canReach('fw/ProtectedSubnet', 'fw/PeerSubnet');

    expect(answer).toMatchObject({ reachable: true, certain: true });
    expect(answer.path.map((h) => [h.direction, h.routeTable, h.target])).toEqual([
      [HopDirection.THERE, 'fw/ProtectedRouteTable', TargetKind.FIREWALL],
      [HopDirection.THERE, 'fw/FirewallRouteTable', TargetKind.PEERING],
      [HopDirection.BACK, 'fw/PeerRouteTable', TargetKind.PEERING],
    ]);
    expect(pathKind(answer)).toBe('firewall+pcx');
  });

  test('the firewall subnet\'s table has no way out: a certain no, at that table', () => {
    const text = fs.readFileSync(fixture('firewall.yaml'), 'utf8').replace('      GatewayId: !Ref InternetGateway\n', '      GatewayId: !Ref InternetGateway\n    Condition: Never\n')
      .replace('Resources:\n', 'Conditions:\n  Never: !Equals [a, b]\nResources:\n');
    const answer = NetworkModel.fromTemplateFiles({ fw: tmpTemplate('fw.yaml', text) }).canReach('fw/ProtectedSubnet', '8.8.8.8');
    expect(answer).toMatchObject({ reachable: false, certain: true, reason: 'Route table fw/FirewallRouteTable of VPC fw/Vpc has no route to 8.8.8.8/32.' });
  });

  test('a firewall in two zones: the endpoint in the zone of the route\'s subnets; a table without subnets: uncertain, naming the firewall', () => {
    const text = fs.readFileSync(fixture('firewall.yaml'), 'utf8')
      .replace('  Az:\n    Type: AWS::EC2::AvailabilityZone::Name\n', '  Az:\n    Type: AWS::EC2::AvailabilityZone::Name\n  OtherAz:\n    Type: AWS::EC2::AvailabilityZone::Name\n')
      .replace('        - SubnetId: !Ref FirewallSubnet\n', '        - SubnetId: !Ref OtherFirewallSubnet\n        - SubnetId: !Ref FirewallSubnet\n')
      .replace('  FirewallPolicy:\n', [
        '  OtherFirewallSubnet:',
        '    Type: AWS::EC2::Subnet',
        '    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.30.0.16/28, AvailabilityZone: !Ref OtherAz }',
        '  OtherFirewallRouteTable:',
        '    Type: AWS::EC2::RouteTable',
        '    Properties: { VpcId: !Ref Vpc }',
        '  OtherFirewallSubnetAssociation:',
        '    Type: AWS::EC2::SubnetRouteTableAssociation',
        '    Properties: { SubnetId: !Ref OtherFirewallSubnet, RouteTableId: !Ref OtherFirewallRouteTable }',
        '  SpareRouteTable:',
        '    Type: AWS::EC2::RouteTable',
        '    Properties: { VpcId: !Ref Vpc }',
        '  SpareRoute:',
        '    Type: AWS::EC2::Route',
        '    Properties:',
        '      RouteTableId: !Ref SpareRouteTable',
        '      DestinationCidrBlock: 10.99.0.0/16',
        "      VpcEndpointId: !Select [1, !Split [':', !Select [1, !GetAtt Firewall.EndpointIds]]]",
        '  FirewallPolicy:',
        '',
      ].join('\n'));
    const model = NetworkModel.fromTemplateFiles({ fw: tmpTemplate('fw.yaml', text) });

    expect(model.canReach('fw/ProtectedSubnet', '8.8.8.8').path[0].via).toBe('Network Firewall fw/Firewall (endpoint in fw/FirewallSubnet)');
    const routes = (model as unknown as { graph: { routes: Array<{ name: string; target: TargetKind; via: string }> } }).graph.routes;
    expect(routes.find((r) => r.name === 'fw/SpareRoute')).toMatchObject({
      target: TargetKind.OTHER,
      via: "Network Firewall fw/Firewall (which of its endpoints' subnets, and so which route table, traffic continues from is not known from the templates)",
    });
    expect(model.findings.map((f) => f.message)).toContain('Route fw/SpareRoute sends traffic to an endpoint of the Network Firewall fw/Firewall, ' +
      'but which of its subnets (fw/OtherFirewallSubnet, fw/FirewallSubnet) holds that endpoint is not known from the templates: the model does not follow traffic beyond it.');
  });

  test('an endpoint not in the templates: uncertain, named as a firewall or Gateway Load Balancer endpoint', () => {
    const text = fs.readFileSync(fixture('firewall.yaml'), 'utf8')
      .replace("VpcEndpointId: !Select [1, !Split [':', !Select [0, !GetAtt Firewall.EndpointIds]]]", 'VpcEndpointId: vpce-0123456789abcdef0');
    const answer = NetworkModel.fromTemplateFiles({ fw: tmpTemplate('fw.yaml', text) }).canReach('fw/ProtectedSubnet', '8.8.8.8');
    expect(answer).toMatchObject({ reachable: false, certain: false });
    expect(answer.reason).toMatch(/^Traffic for 8\.8\.8\.8\/32 goes to vpce-0123456789abcdef0 \(a Network Firewall or Gateway Load Balancer endpoint not defined in the templates\), which the model does not follow\./);
    expect(NetworkModel.fromTemplateFiles({ fw: tmpTemplate('fw.yaml', text) }).findings.map((f) => [f.ruleId, f.message])).toEqual([[
      FindingRules.UNKNOWN,
      'Route fw/ProtectedDefaultRoute sends traffic to vpce-0123456789abcdef0, a Network Firewall or Gateway Load Balancer endpoint not defined in the templates: ' +
        'the model does not follow traffic beyond it, so answers through it are not certain.',
    ]]);
  });

  test('a Gateway Load Balancer endpoint of the templates is a pass-through hop too', () => {
    const text = fs.readFileSync(fixture('firewall.yaml'), 'utf8')
      .replace("VpcEndpointId: !Select [1, !Split [':', !Select [0, !GetAtt Firewall.EndpointIds]]]", 'VpcEndpointId: !Ref ApplianceEndpoint')
      .replace('  FirewallRouteTable:\n', [
        '  ApplianceEndpoint:',
        '    Type: AWS::EC2::VPCEndpoint',
        '    Properties:',
        '      VpcId: !Ref Vpc',
        '      VpcEndpointType: GatewayLoadBalancer',
        '      ServiceName: com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0',
        '      SubnetIds: [!Ref FirewallSubnet]',
        '  FirewallRouteTable:',
        '',
      ].join('\n'));
    const answer = NetworkModel.fromTemplateFiles({ fw: tmpTemplate('fw.yaml', text) }).canReach('fw/ProtectedSubnet', '8.8.8.8');
    expect(answer).toMatchObject({ reachable: true, certain: true });
    expect(answer.path[0].via).toBe('Gateway Load Balancer endpoint fw/ApplianceEndpoint (endpoint in fw/FirewallSubnet)');
  });
});

describe('hints for plain templates speak CloudFormation', () => {
  test('route quota: the CLI option, not the CDK context key', () => {
    const resources: Record<string, unknown> = {
      Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
      Table: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' } } },
      Igw: { Type: 'AWS::EC2::InternetGateway' },
      Route: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: 'Table' }, DestinationCidrBlock: '0.0.0.0/0', GatewayId: { Ref: 'Igw' } } },
    };
    const plain = NetworkModel.fromTemplates({ Net: { Resources: resources } }, { quotas: { routesPerRouteTable: 1 } });
    expect(plain.findings[0].fix).toMatch(/give the new value to the CLI with --routes-per-route-table \(NetworkModelOptions\.quotas in code\)\.$/);
    (resources.Vpc as { Metadata?: unknown }).Metadata = { 'aws:cdk:path': 'App/Net/Vpc/Resource' };
    const cdk = NetworkModel.fromTemplates({ Net: { Resources: resources } }, { quotas: { routesPerRouteTable: 1 } });
    expect(cdk.findings[0].fix).toMatch(/set the new value as routesPerRouteTable in the context key cdk-vpc-connect:quotas/);
  });
});
