import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { EndpointBundle, GatewayService, PeeringMesh, RemoteVpc, SharedEndpoints, TransitGatewayHub, VpcEndpoints, VpcPeering } from '../../lib';
import { ConnectivityError } from '../../lib/errors';
import { testVpc } from '../support/vpcs';

const svc = ec2.InterfaceVpcEndpointAwsService;
const QUOTAS = 'cdk-vpc-connect:quotas';

function setup(context: { [key: string]: unknown } = {}) {
  const app = new App({ context });
  const stack = new Stack(app, 'Stack');
  const shared = testVpc(stack, 'Shared', '10.0.0.0/16');
  const a = testVpc(stack, 'AppA', '10.1.0.0/16');
  const b = testVpc(stack, 'AppB', '10.2.0.0/16');
  return { app, stack, shared, a, b };
}

/** The zone whose name (resolved) starts with `prefix.` */
function zoneNamed(template: Template, prefix: string): { id: string; properties: any } {
  const zones = template.findResources('AWS::Route53::HostedZone');
  const found = Object.entries(zones).find(([, r]) => JSON.stringify(r.Properties.Name).startsWith(`{"Fn::Join":["",["${prefix}.",`));
  if (!found) { throw new Error(`no zone ${prefix} among ${Object.values(zones).map((z) => JSON.stringify(z.Properties.Name)).join(', ')}`); }
  return { id: found[0], properties: found[1].Properties };
}

function ingressOf(template: Template): Array<{ cidr: string; from: number; to: number }> {
  const [group] = Object.values(template.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('Interface VPC endpoints') } }));
  return group.Properties.SecurityGroupIngress.map((r: any) => ({ cidr: r.CidrIp, from: r.FromPort, to: r.ToPort }));
}

describe('SharedEndpoints', () => {
  describe('same-account consumers', () => {
    test('endpoints without private DNS, one zone per service with alias records, associated with the shared VPC and every consumer', () => {
      // GIVEN
      const { stack, shared, a, b } = setup();
      new VpcPeering(stack, 'PeerA', { requester: shared, accepter: a });
      new VpcPeering(stack, 'PeerB', { requester: shared, accepter: b });
      // WHEN
      const endpoints = new SharedEndpoints(stack, 'Shared Endpoints', { vpc: shared, interfaces: [svc.SNS, EndpointBundle.ECR_IMAGE_PULL], consumers: [a] });
      endpoints.addConsumer(b);
      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::EC2::VPCEndpoint', 4);
      template.allResourcesProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface', PrivateDnsEnabled: false, VpcId: stack.resolve(shared.vpcId) });
      template.resourceCountIs('AWS::Route53::HostedZone', 4);
      const sns = zoneNamed(template, 'sns');
      expect(sns.properties.Name).toEqual({ 'Fn::Join': ['', ['sns.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '.']] });
      expect(sns.properties.VPCs.map((v: any) => v.VPCId)).toEqual([shared, a, b].map((v) => stack.resolve(v.vpcId)));
      expect(zoneNamed(template, 'api.ecr').properties.VPCs).toHaveLength(3);
      zoneNamed(template, 'logs');
      // ecr.dkr answers on <registry>.dkr.ecr.<region>: apex and wildcard
      const dkr = zoneNamed(template, 'dkr.ecr');
      const dkrRecords = Object.values(template.findResources('AWS::Route53::RecordSet', { Properties: { HostedZoneId: { Ref: dkr.id } } }));
      expect(dkrRecords.map((r) => JSON.stringify(r.Properties.Name)).sort()).toEqual([
        JSON.stringify({ 'Fn::Join': ['', ['*.dkr.ecr.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '.']] }),
        JSON.stringify({ 'Fn::Join': ['', ['dkr.ecr.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '.']] }),
      ].sort());
      const snsRecords = Object.values(template.findResources('AWS::Route53::RecordSet', { Properties: { HostedZoneId: { Ref: sns.id } } }));
      expect(snsRecords).toHaveLength(1);
      expect(snsRecords[0].Properties.Type).toBe('A');
      const endpointId = stack.getLogicalId(endpoints.interfaceEndpoint(svc.SNS).node.defaultChild as ec2.CfnVPCEndpoint);
      const firstEntry = { 'Fn::Select': [0, { 'Fn::GetAtt': [endpointId, 'DnsEntries'] }] };
      expect(snsRecords[0].Properties.AliasTarget).toEqual({
        DNSName: { 'Fn::Select': [1, { 'Fn::Split': [':', firstEntry] }] },
        HostedZoneId: { 'Fn::Select': [0, { 'Fn::Split': [':', firstEntry] }] },
      });
      expect(endpoints.consumers).toEqual([a, b]);
      expect(endpoints.hostedZones).toHaveLength(4);
      expect(endpoints.hostedZone(svc.SNS).node.path).toBe('Stack/Shared Endpoints/SnsZone');
    });

    test('the security group admits TCP 443 from the shared VPC and each consumer, and nothing else', () => {
      const { stack, shared, a, b } = setup();
      const endpoints = new SharedEndpoints(stack, 'Endpoints', { vpc: shared, interfaces: [svc.SNS, svc.SSM] });
      endpoints.addConsumer(a, { routedElsewhere: true });
      endpoints.addConsumer(b, { routedElsewhere: true });
      const template = Template.fromStack(stack);
      expect(ingressOf(template).sort((x, y) => x.cidr.localeCompare(y.cidr))).toEqual([
        { cidr: '10.0.0.0/16', from: 443, to: 443 },
        { cidr: '10.1.0.0/16', from: 443, to: 443 },
        { cidr: '10.2.0.0/16', from: 443, to: 443 },
      ]);
      expect(endpoints.securityGroup).toBe(endpoints.endpoints.securityGroup);
    });

    test('a bundle\'s gateway endpoint is not made in the shared VPC (it could not serve the consumers)', () => {
      const { stack, shared, a } = setup();
      new VpcPeering(stack, 'Peer', { requester: shared, accepter: a });
      new VpcEndpoints(stack, 'AppAGateways', { vpc: a, gateways: [GatewayService.S3] });
      new SharedEndpoints(stack, 'Endpoints', { vpc: shared, interfaces: [EndpointBundle.ECR_IMAGE_PULL], consumers: [a] });
      const template = Template.fromStack(stack);
      const gateways = Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Gateway' } }));
      expect(gateways.map((g) => g.Properties.VpcId)).toEqual([stack.resolve(a.vpcId)]);
      Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    });

    test('warns when a consumer has no gateway endpoint of its own for a bundle\'s gateway service', () => {
      const { stack, shared, a } = setup();
      new VpcPeering(stack, 'Peer', { requester: shared, accepter: a });
      new SharedEndpoints(stack, 'Endpoints', { vpc: shared, interfaces: [EndpointBundle.ECR_IMAGE_PULL], consumers: [a] });
      Annotations.fromStack(stack).hasWarning('/Stack/Endpoints', Match.stringLikeRegexp(
        'Consumer Stack/AppA has no S3 gateway endpoint in this app, but a bundle of Stack/Endpoints needs one .*Give the consumer its own: ' +
        'new VpcEndpoints\\(this, \'Gateways\', \\{ vpc, gateways: \\[GatewayService.S3\\] \\}\\)'));
    });

    test('a service named twice (directly and in a bundle) gets one endpoint and one zone', () => {
      const { stack, shared, a } = setup();
      new VpcPeering(stack, 'Peer', { requester: shared, accepter: a });
      new SharedEndpoints(stack, 'Endpoints', { vpc: shared, interfaces: [svc.SSM, EndpointBundle.SSM_SESSION_MANAGER], consumers: [a] });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::EC2::VPCEndpoint', 3);
      template.resourceCountIs('AWS::Route53::HostedZone', 3);
    });

    test('dual-stack endpoints get A and AAAA alias records; IPv6 needs an IPv6 block', () => {
      const { stack, shared } = setup();
      new ec2.CfnVPCCidrBlock(stack, 'SharedIpv6', { vpcId: shared.vpcId, amazonProvidedIpv6CidrBlock: true });
      new SharedEndpoints(stack, 'Endpoints', { vpc: shared, interfaces: [svc.SNS, svc.ECR_DOCKER], ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK });
      const template = Template.fromStack(stack);
      template.allResourcesProperties('AWS::EC2::VPCEndpoint', { IpAddressType: 'dualstack' });
      const records = Object.values(template.findResources('AWS::Route53::RecordSet')).map((r) => r.Properties.Type).sort();
      expect(records).toEqual(['A', 'A', 'A', 'AAAA', 'AAAA', 'AAAA']);
      const other = setup();
      expect(() => new SharedEndpoints(other.stack, 'Endpoints', { vpc: other.shared, interfaces: [svc.SNS], ipAddressType: ec2.VpcEndpointIpAddressType.IPV6 }))
        .toThrow(/\[Stack\/Endpoints\] ipAddressType ipv6 needs IPv6 addresses, but VPC Stack\/Shared has no IPv6 block\. Give the VPC and its endpoint subnets IPv6 blocks/);
    });

    test('is recognized by its brand', () => {
      const { stack, shared } = setup();
      const endpoints = new SharedEndpoints(stack, 'Endpoints', { vpc: shared, interfaces: [svc.SNS] });
      expect(SharedEndpoints.isSharedEndpoints(endpoints)).toBe(true);
      expect(SharedEndpoints.isSharedEndpoints(endpoints.endpoints)).toBe(false);
    });
  });

  describe('routing to the shared VPC is checked at synth', () => {
    test('a consumer with no hub, peering or mesh toward the shared VPC is an error', () => {
      const { app, stack, shared, a } = setup();
      new SharedEndpoints(stack, 'Endpoints', { vpc: shared, interfaces: [svc.SNS], consumers: [a] });
      expect(() => app.synth()).toThrow(new RegExp(
        'Consumer Stack/AppA \\(10\\.1\\.0\\.0/16\\) has no route to the shared VPC Stack/Shared \\(10\\.0\\.0\\.0/16\\) in this app: ' +
        'no TransitGatewayHub routes between them \\(both spokes, its route tables leading each to the other: not two isolated spokes, not two segments ' +
        'that do not reach each other\\), and no VpcPeering or PeeringMesh connects them\\. ' +
        'Attach both to a hub \\(hub\\.addSpoke\\), peer them, or, when the route is made outside this app, add the consumer with ' +
        'addConsumer\\(vpc, \\{ routedElsewhere: true \\}\\)\\.'));
    });

    test('a peering added after the SharedEndpoints satisfies the check', () => {
      const { app, stack, shared, a } = setup();
      new SharedEndpoints(stack, 'Endpoints', { vpc: shared, interfaces: [svc.SNS], consumers: [a] });
      new VpcPeering(stack, 'Peer', { requester: a, accepter: shared });
      expect(app.synth().getStackByName('Stack').template.Resources).toBeInstanceOf(Object);
      expect(() => app.synth()).not.toThrow();
    });

    test('a peering mesh that holds both satisfies the check', () => {
      const { app, stack, shared, a, b } = setup();
      new PeeringMesh(stack, 'Mesh', { vpcs: [shared, a, b] });
      const endpoints = new SharedEndpoints(stack, 'Endpoints', { vpc: shared, interfaces: [svc.SNS], consumers: [a, b] });
      app.synth();
      expect(endpoints.consumers).toHaveLength(2);
    });

    test('a consumer routed elsewhere is not checked', () => {
      const { app, stack, shared, a } = setup();
      const endpoints = new SharedEndpoints(stack, 'Endpoints', { vpc: shared, interfaces: [svc.SNS] });
      endpoints.addConsumer(a, { routedElsewhere: true });
      app.synth();
      Template.fromStack(stack).resourceCountIs('AWS::Route53::HostedZone', 1);
    });

    test('spokes of one transit gateway hub satisfy the check; two isolated spokes do not', () => {
      // GIVEN a hub where the shared VPC is isolated with AppA, and shared with AppB
      const { app, stack, shared, a, b } = setup();
      const hub = new TransitGatewayHub(stack, 'Hub', { spokes: [shared, a, b], isolatedSpokes: [shared, a] });
      new SharedEndpoints(stack, 'Endpoints', { vpc: shared, interfaces: [svc.SNS], consumers: [a, b] });
      // THEN AppA (isolated, like the shared VPC) has no route; AppB has
      expect(hub.spokes).toHaveLength(3);
      expect(() => app.synth()).toThrow(/Consumer Stack\/AppA \(10\.1\.0\.0\/16\) has no route to the shared VPC/);
      expect(() => app.synth()).not.toThrow(/Consumer Stack\/AppB/);
    });
  });

  describe('warnings', () => {
    test('at 80% of the hosted-zone association quota', () => {
      const { stack, shared, a, b } = setup({ [QUOTAS]: { vpcsPerPrivateHostedZone: 5 } });
      const endpoints = new SharedEndpoints(stack, 'Endpoints', { vpc: shared, interfaces: [svc.SNS] });
      endpoints.addConsumer(a, { routedElsewhere: true });
      endpoints.addConsumer(b, { routedElsewhere: true });
      Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
      endpoints.addConsumer(testVpc(stack, 'AppC', '10.3.0.0/16'), { routedElsewhere: true });
      Annotations.fromStack(stack).hasWarning('/Stack/Endpoints', Match.stringLikeRegexp(
        'Each private hosted zone of Stack/Endpoints has 4 VPC associations, 80% of the quota of 5 VPCs per private hosted zone\\. Split the consumers'));
    });

    test('the region check is skipped, with a warning, when a consumer of another stack has no literal region', () => {
      const app = new App();
      const network = new Stack(app, 'Network');
      const workload = new Stack(app, 'Workload');
      const endpoints = new SharedEndpoints(network, 'Endpoints', { vpc: testVpc(network, 'Shared', '10.0.0.0/16'), interfaces: [svc.SNS] });
      endpoints.addConsumer(testVpc(workload, 'App', '10.1.0.0/16'), { routedElsewhere: true });
      Annotations.fromStack(network).hasWarning('/Network/Endpoints', Match.stringLikeRegexp(
        'The check that consumer Workload/App is in the region of the shared endpoints was skipped: a region is only known at deploy time\\. Give both stacks an explicit env'));
    });
  });

  describe('input checks', () => {
    test.each([
      ['GatewayService.S3', GatewayService.S3, /share the S3 interface endpoint \(ec2\.InterfaceVpcEndpointAwsService\.S3\)/],
      ['ec2.GatewayVpcEndpointAwsService.S3', ec2.GatewayVpcEndpointAwsService.S3, /share the S3 interface endpoint/],
      ['GatewayService.DYNAMODB', GatewayService.DYNAMODB, /interfaces includes the gateway endpoint service of Amazon DynamoDB/],
    ])('a gateway service (%s) is an error that says gateway endpoints work only inside their VPC', (_, gateway, message) => {
      const create = () => {
        const { stack, shared } = setup();
        return new SharedEndpoints(stack, 'Endpoints', { vpc: shared, interfaces: [gateway as unknown as ec2.IInterfaceVpcEndpointService] });
      };
      expect(create).toThrow(ConnectivityError);
      expect(create).toThrow(/\[Stack\/Endpoints\] interfaces includes the gateway endpoint service of .*Gateway endpoints cannot be shared: an S3 or DynamoDB gateway endpoint works only inside its own VPC/);
      expect(create).toThrow(message);
    });

    test('a VPC without DNS support or DNS hostnames is an error (the zones would not answer in it)', () => {
      const { stack, shared } = setup();
      const endpoints = new SharedEndpoints(stack, 'Endpoints', { vpc: shared, interfaces: [svc.SNS] });
      const noDns = new ec2.Vpc(stack, 'NoDns', { ipAddresses: ec2.IpAddresses.cidr('10.5.0.0/16'), natGateways: 0, enableDnsHostnames: false, subnetConfiguration: [{ name: 'W', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      expect(() => endpoints.addConsumer(noDns, { routedElsewhere: true }))
        .toThrow(/\[Stack\/Endpoints\] Consumer Stack\/NoDns has enableDnsHostnames off, so the shared private hosted zones would not answer in it\. Turn them on/);
      const other = setup();
      const sharedNoDns = new ec2.Vpc(other.stack, 'SharedNoDns', { ipAddresses: ec2.IpAddresses.cidr('10.6.0.0/16'), natGateways: 0, enableDnsSupport: false, enableDnsHostnames: false, subnetConfiguration: [{ name: 'W', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      expect(() => new SharedEndpoints(other.stack, 'Endpoints', { vpc: sharedNoDns, interfaces: [svc.SNS] }))
        .toThrow(/The shared VPC Stack\/SharedNoDns has enableDnsSupport and enableDnsHostnames off/);
    });

    test('no interfaces is an error', () => {
      const { stack, shared } = setup();
      expect(() => new SharedEndpoints(stack, 'Endpoints', { vpc: shared, interfaces: [] }))
        .toThrow(/\[Stack\/Endpoints\] interfaces is empty: name the interface endpoint services to share/);
    });

    test('a service without private DNS names to share is an error', () => {
      const { stack, shared } = setup();
      expect(() => new SharedEndpoints(stack, 'Endpoints', { vpc: shared, interfaces: [new ec2.InterfaceVpcEndpointService('com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0')] }))
        .toThrow(/\[Stack\/Endpoints\] The interface endpoint service com\.amazonaws\.vpce\.us-east-1\.vpce-svc-0123456789abcdef0 has no private DNS names the library can share/);
      expect(() => new SharedEndpoints(stack, 'Endpoints2', { vpc: shared, interfaces: [svc.ECS_AGENT] }))
        .toThrow(/\[Stack\/Endpoints2\] The interface endpoint service ecs-agent has no private DNS names to share \(its DNS names are not known to the library\)\. Leave it out of interfaces/);
      expect(() => new SharedEndpoints(stack, 'Endpoints3', { vpc: shared, interfaces: [new ec2.InterfaceVpcEndpointAwsService('codeartifact.repositories')] }))
        .toThrow(/The interface endpoint service codeartifact\.repositories has no private DNS names to share/);
    });

    test('the shared VPC as a consumer, and a consumer added twice, are errors', () => {
      const { stack, shared, a } = setup();
      const endpoints = new SharedEndpoints(stack, 'Endpoints', { vpc: shared, interfaces: [svc.SNS], consumers: [a] });
      expect(() => endpoints.addConsumer(shared)).toThrow(/\[Stack\/Endpoints\] VPC Stack\/Shared is the shared VPC of these endpoints: it uses them already/);
      expect(() => endpoints.addConsumer(a)).toThrow(/\[Stack\/Endpoints\] VPC Stack\/AppA is a consumer of these shared endpoints already\. Add each consumer once\./);
    });

    test('a consumer in another region is an error', () => {
      const app = new App();
      const east = new Stack(app, 'East', { env: { account: '111111111111', region: 'us-east-1' } });
      const west = new Stack(app, 'West', { env: { account: '111111111111', region: 'us-west-2' } });
      const endpoints = new SharedEndpoints(east, 'Endpoints', { vpc: testVpc(east, 'Shared', '10.0.0.0/16'), interfaces: [svc.SNS] });
      expect(() => endpoints.addConsumer(testVpc(west, 'App', '10.1.0.0/16')))
        .toThrow(/\[East\/Endpoints\] Consumer West\/App is in us-west-2, but the shared endpoints are in us-east-1\. An interface endpoint serves the services of its own region.*serviceRegion: 'us-east-1'/);
    });

    test('overlapping blocks (consumers, or a consumer and the shared VPC) are errors', () => {
      const { stack, shared, a } = setup();
      const endpoints = new SharedEndpoints(stack, 'Endpoints', { vpc: shared, interfaces: [svc.SNS], consumers: [a] });
      expect(() => endpoints.addConsumer(testVpc(stack, 'Inside', '10.1.128.0/17')))
        .toThrow(/\[Stack\/Endpoints\] Consumer Stack\/Inside \(10\.1\.128\.0\/17\) overlaps consumer Stack\/AppA \(10\.1\.0\.0\/16\) \(10\.1\.128\.0\/17 and 10\.1\.0\.0\/16\)\. .*the endpoints' security group would admit the two as one/);
      expect(() => endpoints.addConsumer(testVpc(stack, 'Same', '10.0.0.0/20')))
        .toThrow(/Consumer Stack\/Same \(10\.0\.0\.0\/20\) overlaps the shared VPC Stack\/Shared \(10\.0\.0\.0\/16\)/);
    });

    test('more consumers than the hosted-zone association quota is an error (the shared VPC counts)', () => {
      const { stack, shared, a, b } = setup({ [QUOTAS]: { vpcsPerPrivateHostedZone: 2 } });
      const endpoints = new SharedEndpoints(stack, 'Endpoints', { vpc: shared, interfaces: [svc.SNS], consumers: [a] });
      expect(() => endpoints.addConsumer(b)).toThrow(new RegExp(
        '\\[Stack/Endpoints\\] Adding consumer Stack/AppB: Each private hosted zone of Stack/Endpoints has 3 VPC associations, above the quota of 2 VPCs per private hosted zone ' +
        '\\(once Service Quotas has raised it for the account, set it in the context key cdk-vpc-connect:quotas \\(\\{"vpcsPerPrivateHostedZone": N\\}\\)\\)\\. Split the consumers'));
    });

    test('a consumer (or the shared VPC) with its own private-DNS endpoint for a shared service is an error at synth', () => {
      const { app, stack, shared, a, b } = setup();
      new PeeringMesh(stack, 'Mesh', { vpcs: [shared, a, b] });
      new SharedEndpoints(stack, 'Endpoints', { vpc: shared, interfaces: [svc.SNS, svc.SSM], consumers: [a, b] });
      new VpcEndpoints(stack, 'AppAEndpoints', { vpc: a, interfaces: [svc.SNS] });
      new ec2.CfnVPCEndpoint(stack, 'HandWritten', { vpcId: b.vpcId, serviceName: 'com.amazonaws.us-east-1.ssm', vpcEndpointType: 'Interface', privateDnsEnabled: true });
      expect(() => app.synth()).toThrow(/The interface endpoint Stack\/AppAEndpoints\/Sns\/Resource serves sns with private DNS in consumer Stack\/AppA, which Stack\/Endpoints shares: its private DNS and the shared zone sns\.<region>\.amazonaws\.com would claim the same name \(sns\.<region>\.amazonaws\.com\) in that VPC\. Remove that endpoint/);
      expect(() => app.synth()).toThrow(/The interface endpoint Stack\/HandWritten serves ssm with private DNS in consumer Stack\/AppB/);
    });

    test('an endpoint of the consumer without private DNS does not conflict', () => {
      const { app, stack, shared, a } = setup();
      new VpcPeering(stack, 'Peer', { requester: shared, accepter: a });
      new SharedEndpoints(stack, 'Endpoints', { vpc: shared, interfaces: [svc.SNS], consumers: [a] });
      new VpcEndpoints(stack, 'AppAEndpoints', { vpc: a, interfaces: [svc.SNS], privateDnsEnabled: false });
      expect(Object.keys(app.synth().getStackByName('Stack').template.Resources).length).toBeGreaterThan(0);
    });

    test('asking for a service that is not shared is an error naming the shared ones', () => {
      const { stack, shared } = setup();
      const endpoints = new SharedEndpoints(stack, 'Endpoints', { vpc: shared, interfaces: [svc.SNS] });
      expect(() => endpoints.hostedZone(svc.SQS)).toThrow(/\[Stack\/Endpoints\] The service sqs is not shared here \(shared: sns\)\. Add it to interfaces\./);
    });
  });

  describe('consumers in another stack of the same account', () => {
    function twoStacks() {
      const app = new App();
      const env = { account: '111111111111', region: 'us-east-1' };
      const network = new Stack(app, 'Network', { env });
      const workload = new Stack(app, 'Workload', { env });
      const shared = testVpc(network, 'Shared', '10.0.0.0/16');
      const consumer = testVpc(workload, 'App', '10.1.0.0/16');
      new TransitGatewayHub(network, 'Hub', { spokes: [shared, consumer] });
      const endpoints = new SharedEndpoints(network, 'Endpoints', { vpc: shared, interfaces: [svc.SNS, svc.SSM], consumers: [consumer], lookupSupportedAzs: false });
      return { app, network, workload, shared, consumer, endpoints };
    }

    test('the associations are made in the consumer\'s stack, so it depends on the shared one as a hub\'s spoke does (no cycle)', () => {
      const { app, network, workload, shared, consumer, endpoints } = twoStacks();
      app.synth();
      for (const zone of Object.values(Template.fromStack(network).findResources('AWS::Route53::HostedZone'))) {
        expect(zone.Properties.VPCs).toEqual([{ VPCId: network.resolve(shared.vpcId), VPCRegion: 'us-east-1' }]);
      }
      const template = Template.fromStack(workload);
      const resources = Object.values(template.findResources('Custom::AWS'));
      expect(resources).toHaveLength(2);
      for (const resource of resources) {
        const create = JSON.stringify(resource.Properties.Create);
        expect(create).toContain('\\"service\\":\\"Route53\\",\\"action\\":\\"associateVPCWithHostedZone\\"');
        expect(create).toContain('\\"VPCRegion\\":\\"us-east-1\\"');
        const remove = JSON.stringify(resource.Properties.Delete);
        expect(remove).toContain('\\"action\\":\\"disassociateVPCFromHostedZone\\"');
        expect(remove).toContain('VPCAssociationNotFound|NoSuchHostedZone');
      }
      const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
      expect(statements.map((st: any) => JSON.stringify([st.Action, typeof st.Resource === 'string' ? st.Resource : 'the zone'])).sort()).toEqual([
        '[["route53:AssociateVPCWithHostedZone","route53:DisassociateVPCFromHostedZone"],"the zone"]',
        '[["route53:AssociateVPCWithHostedZone","route53:DisassociateVPCFromHostedZone"],"the zone"]',
        '["ec2:DescribeVpcs","*"]',
        '["ec2:DescribeVpcs","*"]',
      ].sort());
      expect(workload.dependencies).toContain(network);
      expect(network.dependencies).not.toContain(workload);
      expect(endpoints.consumers).toEqual([consumer]);
    });
  });

  describe('consumers in another account', () => {
    function crossAccount() {
      const app = new App();
      const network = new Stack(app, 'Network', { env: { account: '111111111111', region: 'us-east-1' } });
      const workload = new Stack(app, 'Workload', { env: { account: '222222222222', region: 'us-east-1' } });
      const shared = testVpc(network, 'Shared', '10.0.0.0/16');
      const remote = testVpc(workload, 'App', '10.1.0.0/16');
      const endpoints = new SharedEndpoints(network, 'Endpoints', { vpc: shared, interfaces: [svc.SNS, svc.SSM], lookupSupportedAzs: false });
      endpoints.addConsumer(remote, { routedElsewhere: true });
      return { app, network, workload, shared, remote, endpoints };
    }

    test('the shared side: zones associated with the shared VPC only, a Route 53 Profile holding them, shared with the consumer account through RAM', () => {
      const { network, shared, endpoints } = crossAccount();
      const template = Template.fromStack(network);
      for (const zone of Object.values(template.findResources('AWS::Route53::HostedZone'))) {
        expect(zone.Properties.VPCs).toEqual([{ VPCId: network.resolve(shared.vpcId), VPCRegion: 'us-east-1' }]);
      }
      template.resourceCountIs('AWS::Route53Profiles::Profile', 1);
      const profileId = network.getLogicalId(endpoints.profile!);
      template.resourceCountIs('AWS::Route53Profiles::ProfileResourceAssociation', 2);
      template.allResourcesProperties('AWS::Route53Profiles::ProfileResourceAssociation', {
        ProfileId: { 'Fn::GetAtt': [profileId, 'Id'] },
        ResourceArn: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
      });
      template.hasResourceProperties('AWS::RAM::ResourceShare', {
        Name: endpoints.resourceShare!.name,
        ResourceArns: [{ 'Fn::GetAtt': [profileId, 'Arn'] }],
        Principals: ['222222222222'],
        AllowExternalPrincipals: false,
      });
      expect(endpoints.profile!.name).toBe(endpoints.resourceShare!.name);
      expect(endpoints.profile!.name).toMatch(/^Network-Endpoints-[0-9a-f]+$/);
      // the consumer's blocks are admitted as literals: no reference across accounts
      expect(ingressOf(template).map((r) => r.cidr).sort()).toEqual(['10.0.0.0/16', '10.1.0.0/16']);
    });

    test('a VPC of another account described in a stack of this account (RemoteVpc) cannot get the profile: an error says where to make it', () => {
      const app = new App();
      const network = new Stack(app, 'Network', { env: { account: '111111111111', region: 'us-east-1' } });
      const endpoints = new SharedEndpoints(network, 'Endpoints', { vpc: testVpc(network, 'Shared', '10.0.0.0/16'), interfaces: [svc.SNS], lookupSupportedAzs: false });
      const remote = RemoteVpc.fromAttributes(network, 'Remote', { vpcId: 'vpc-0123456789abcdef0', cidrs: ['10.9.0.0/16'], account: '222222222222', region: 'us-east-1' });
      expect(() => endpoints.addConsumer(remote, { routedElsewhere: true })).toThrow(new RegExp(
        '\\[Network/Endpoints\\] Consumer Network/Remote is a VPC of account 222222222222, described in stack Network of account 111111111111: ' +
        'the Route 53 Profile must be associated with it in its own account\\. Make the consumer VPC \\(or import it with ec2\\.Vpc\\.fromVpcAttributes\\) in a stack of account 222222222222'));
    });

    test('the consumer side: a lookup of the shared profile by the share\'s name, and the profile association with the VPC, after the shared stack', () => {
      const { network, workload, remote, endpoints } = crossAccount();
      const template = Template.fromStack(workload);
      const calls = Object.values(template.findResources('Custom::AWS')).map((r) => JSON.stringify(r.Properties.Update));
      expect(calls).toHaveLength(2);
      expect(calls[0]).toContain('\\"service\\":\\"RAM\\",\\"action\\":\\"getResourceShares\\"');
      expect(calls[0]).toContain(`\\"name\\":\\"${endpoints.resourceShare!.name}\\"`);
      expect(calls[0]).toContain('\\"resourceOwner\\":\\"OTHER-ACCOUNTS\\"');
      expect(calls[1]).toContain('\\"action\\":\\"listResources\\"');
      // least privilege: the two RAM reads, nothing else
      const policies = Object.values(template.findResources('AWS::IAM::Policy'));
      const actions = policies.flatMap((p) => p.Properties.PolicyDocument.Statement.map((s: any) => s.Action)).flat().sort();
      expect(actions).toEqual(['ram:GetResourceShares', 'ram:ListResources']);
      template.hasResourceProperties('AWS::Route53Profiles::ProfileAssociation', {
        ResourceId: workload.resolve(remote.vpcId),
        ProfileId: { 'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::GetAtt': [Match.anyValue(), 'resources.0.arn'] }] }] },
      });
      expect(workload.dependencies).toContain(network);
      // nothing of the consumer's stack is referenced by the shared one (no cross-account export)
      expect(JSON.stringify(Template.fromStack(network).toJSON())).not.toContain('Fn::ImportValue');
      expect(JSON.stringify(template.toJSON())).not.toContain('Fn::ImportValue');
    });
  });

  describe('cost', () => {
    test('the shared set against the same endpoints in every consumer, with the transit gateway\'s processing', () => {
      // GIVEN 3 services in 2 AZs, 2 consumers of 2 AZs, through a hub
      const { stack, shared, a, b } = setup();
      new TransitGatewayHub(stack, 'Hub', { spokes: [shared, a, b] });
      const endpoints = new SharedEndpoints(stack, 'Endpoints', { vpc: shared, interfaces: [EndpointBundle.SSM_SESSION_MANAGER], consumers: [a, b] });
      // WHEN
      const estimate = endpoints.estimateMonthlyCost({ traffic: { gbPerMonth: 100 } });
      // THEN shared: 6 endpoint-AZs × 730 h × $0.01 = 43.80, 100 GB × $0.01 = 1, 3 zones × $0.50 = 1.50, TGW 100 GB × $0.02 = 2
      expect(estimate.lines.map((l) => [l.item, Math.round(l.monthlyUsd * 100) / 100])).toEqual([
        ['Interface endpoint AZ-hours (shared set)', 43.8],
        ['Interface endpoint data processing', 1],
        ['Private hosted zones', 1.5],
        ['Transit gateway data processing (consumers to the shared VPC)', 2],
      ]);
      expect(estimate.monthlyUsd).toBeCloseTo(48.3, 6);
      // one set per consumer: 2 × 3 × 2 × 730 × 0.01 = 87.60 + 1
      expect(estimate.alternative!.monthlyUsd).toBeCloseTo(88.6, 6);
      expect(estimate.monthlySavingsUsd).toBeCloseTo(40.3, 6);
    });

    test('through a peering there is no transit gateway processing; natGatewaysAvoided does not apply', () => {
      const { stack, shared, a } = setup();
      new VpcPeering(stack, 'Peer', { requester: shared, accepter: a });
      const endpoints = new SharedEndpoints(stack, 'Endpoints', { vpc: shared, interfaces: [svc.SNS], consumers: [a] });
      const estimate = endpoints.estimateMonthlyCost({ traffic: { gbPerMonth: 1000 } });
      expect(estimate.lines[3].monthlyUsd).toBe(0);
      expect(() => endpoints.estimateMonthlyCost({ natGatewaysAvoided: 1 })).toThrow(/natGatewaysAvoided \(1\) only applies to the estimate of VpcEndpoints/);
    });

    test.each([
      // services, azs, GB per month, through a hub, break-even consumers
      [1, 2, 0, true, 2],
      [6, 2, 0, true, 2],
      [6, 2, 10_000, true, 4],
      [6, 3, 10_000, true, 3],
      [6, 2, 10_000, false, 2],
      [3, 2, 50_000, true, 24],
    ])('breakEvenVpcs(%p services, %p AZs, %p GB, hub %p) = %p', (services, azs, gbPerMonth, throughTransitGateway, expected) => {
      expect(SharedEndpoints.breakEvenVpcs({ services, azs, gbPerMonth, throughTransitGateway })).toBe(expected);
    });

    test('breakEvenVpcs rejects a count below 1', () => {
      expect(() => SharedEndpoints.breakEvenVpcs({ services: 0 })).toThrow(/services must be an integer ≥ 1, got 0/);
    });
  });
});
