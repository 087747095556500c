import { App, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EndpointPolicy, GatewayService, VpcEndpoints } from '../../lib';
import { ConnectivityError } from '../../lib/errors';
import { testVpc } from '../support/vpcs';

const svc = ec2.InterfaceVpcEndpointAwsService;
const ENV = { account: '111111111111', region: 'us-east-1' };
const QUOTAS = 'cdk-vpc-connect:quotas';

function setup(context: Record<string, unknown> = {}) {
  const app = new App({ context });
  const stack = new Stack(app, 'Stack');
  const vpc = testVpc(stack, 'Vpc', '10.0.0.0/16');
  const other = testVpc(stack, 'Other', '10.1.0.0/16');
  return { app, stack, vpc, other };
}

/** The warnings of one id in a stack. */
function warningsOf(stack: Stack, id: string): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(`\\[ack: cdk-vpc-connect:${id}\\]`))
    .map((w) => String(w.entry.data));
}

/** `count` distinct interface services of aws-cdk-lib's list (regional, com.amazonaws.<region>.x). */
function services(count: number): ec2.InterfaceVpcEndpointAwsService[] {
  const all = Object.values(ec2.InterfaceVpcEndpointAwsService)
    .filter((s): s is ec2.InterfaceVpcEndpointAwsService => s instanceof ec2.InterfaceVpcEndpointAwsService && /^[a-z0-9-]+$/.test(s.shortName));
  const unique = all.filter((s, i) => all.findIndex((o) => o.shortName === s.shortName) === i);
  return unique.slice(0, count);
}

describe('VpcEndpoints input checks', () => {
  describe('interface service names', () => {
    test('a service unknown to aws-cdk-lib (a typo such as snss) is a warning with an id, however it is written', () => {
      const { stack, vpc } = setup();
      const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc });
      endpoints.addInterface(new ec2.InterfaceVpcEndpointAwsService('snss'));
      endpoints.addInterface(new ec2.InterfaceVpcEndpointService('com.amazonaws.us-east-1.sqss', 443));

      const warnings = warningsOf(stack, 'unknownInterfaceService');
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toMatch(/The interface endpoint service snss \(com\.amazonaws\.\$\{AWS::Region\}\.snss\) is not one of aws-cdk-lib's ec2\.InterfaceVpcEndpointAwsService services, nor a PrivateLink endpoint service/);
      expect(warnings[0]).toMatch(/Check the name for a typo/);
      expect(warnings[1]).toMatch(/com\.amazonaws\.us-east-1\.sqss/);
    });

    test('no warning for aws-cdk-lib\'s services (other prefixes and global ones included), endpoint services, or a service of another region', () => {
      const app = new App();
      const stack = new Stack(app, 'Stack', { env: ENV });
      const vpc = testVpc(stack, 'Vpc', '10.0.0.0/16');
      const service = new ec2.VpcEndpointService(stack, 'Service', {
        vpcEndpointServiceLoadBalancers: [new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc })],
      });
      const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc, lookupSupportedAzs: false });
      endpoints.addInterface(svc.SNS);
      endpoints.addInterface(svc.SAGEMAKER_NOTEBOOK);
      endpoints.addInterface(svc.ECR, { serviceRegion: 'us-west-2' });
      endpoints.addInterface(new ec2.InterfaceVpcEndpointService('com.amazonaws.eu-west-1.sqs', 443));
      endpoints.addInterface(new ec2.InterfaceVpcEndpointService('com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0', 443));
      endpoints.addInterface(new ec2.InterfaceVpcEndpointService(service.vpcEndpointServiceName, 443));

      expect(warningsOf(stack, 'unknownInterfaceService')).toEqual([]);
      expect(warningsOf(stack, 'interfaceServiceCheckSkipped')).toEqual([]);
    });

    test('a name only known at deploy time is not checked, with a warning that says so (and no raw token)', () => {
      const { stack, vpc } = setup();
      new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: [new ec2.InterfaceVpcEndpointService(Fn.importValue('ServiceName'), 443)] });
      const warnings = warningsOf(stack, 'interfaceServiceCheckSkipped');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/The check that the interface endpoint service <deploy-time value of Stack\/Endpoints> exists was skipped/);
      expect(warnings[0]).not.toMatch(/\$\{Token/);
    });
  });

  describe('serviceRegion', () => {
    test('a region aws-cdk-lib does not know is an error', () => {
      const { stack, vpc } = setup();
      const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc });
      expect(() => endpoints.addInterface(svc.ECR, { serviceRegion: 'mars-1' })).toThrow(ConnectivityError);
      expect(() => endpoints.addInterface(svc.ECR, { serviceRegion: 'mars-1' }))
        .toThrow(/\[Stack\/Endpoints\] serviceRegion of the interface endpoint for ecr\.api: 'mars-1' is not an AWS region known to aws-cdk-lib's region information/);
      expect(() => endpoints.addInterface(svc.ECR, { serviceRegion: 'us-west-2' })).not.toThrow();
      expect(endpoints.interfaceEndpoint(svc.ECR, 'us-west-2')).toBeInstanceOf(ec2.InterfaceVpcEndpoint);
    });
  });

  describe('subnets of another VPC', () => {
    test('interfaceSubnets naming another VPC\'s subnets is an error naming them and their VPC', () => {
      const { stack, vpc, other } = setup();
      expect(() => new VpcEndpoints(stack, 'Endpoints', { vpc, interfaceSubnets: { subnets: other.isolatedSubnets }, interfaces: [svc.SNS] }))
        .toThrow(/\[Stack\/Endpoints\] Interface endpoint for sns: interfaceSubnets \{ subnets Stack\/Other\/IsolatedSubnet1, Stack\/Other\/IsolatedSubnet2 \} names subnet Stack\/Other\/IsolatedSubnet1 of VPC Stack\/Other, subnet Stack\/Other\/IsolatedSubnet2 of VPC Stack\/Other, which are not in VPC Stack\/Vpc/);
    });

    test('the subnets of one interface endpoint, and a subnet imported by id into a VPC made in the app', () => {
      const { stack, vpc, other } = setup();
      const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc });
      expect(() => endpoints.addInterface(svc.SNS, { subnets: { subnets: [vpc.isolatedSubnets[0], other.isolatedSubnets[1]] } }))
        .toThrow(/Interface endpoint for sns: subnets .* names subnet Stack\/Other\/IsolatedSubnet2 of VPC Stack\/Other, which are not in VPC Stack\/Vpc\. An endpoint's network interfaces go in subnets of its own VPC/);
      const imported = ec2.Subnet.fromSubnetAttributes(stack, 'Imported', { subnetId: 'subnet-0123456789abcdef0', availabilityZone: 'us-east-1a' });
      expect(() => endpoints.addInterface(svc.SQS, { subnets: { subnets: [imported] } }))
        .toThrow(/names subnet subnet-0123456789abcdef0, which are not in VPC Stack\/Vpc/);
      // the VPC's own subnets are fine
      endpoints.addInterface(svc.SQS, { subnets: { subnets: [vpc.isolatedSubnets[1]] } });
      Template.fromStack(stack).resourceCountIs('AWS::EC2::VPCEndpoint', 1);
    });
  });

  describe('gateway route tables of another VPC', () => {
    test('gatewayRoutes.subnets or routes.subnets naming another VPC\'s subnets is an error (the common route-table check)', () => {
      const { stack, vpc, other } = setup();
      expect(() => new VpcEndpoints(stack, 'Endpoints', { vpc, gateways: [GatewayService.S3], gatewayRoutes: { subnets: { subnets: [other.isolatedSubnets[0]] } } }))
        .toThrow(/\[Stack\/Endpoints\] gatewayRoutes\.subnets: subnet Stack\/Other\/IsolatedSubnet1 of VPC Stack\/Other selected for the route tables of VPC Stack\/Vpc/);
      const endpoints = new VpcEndpoints(stack, 'Endpoints2', { vpc });
      expect(() => endpoints.addGateway(GatewayService.DYNAMODB, { routes: { subnets: { subnets: [other.publicSubnets[0]] } } }))
        .toThrow(/\[Stack\/Endpoints2\] routes\.subnets: subnet Stack\/Other\/PublicSubnet1 of VPC Stack\/Other selected for the route tables of VPC Stack\/Vpc/);
    });
  });

  describe('security-group peers', () => {
    test('a CIDR block with host bits, in allowedPeers or allowFrom, is an error with the network address', () => {
      const { stack, vpc } = setup();
      expect(() => new VpcEndpoints(stack, 'Endpoints', { vpc, allowedPeers: [ec2.Peer.ipv4('10.2.0.1/16')], interfaces: [svc.SNS] }))
        .toThrow(/\[Stack\/Endpoints\] allowedPeers: '10\.2\.0\.1\/16' has host bits set; the network is 10\.2\.0\.0\/16\. A security-group rule takes a network block/);
      const endpoints = new VpcEndpoints(stack, 'Endpoints2', { vpc, interfaces: [svc.SNS], allowedPeers: [ec2.Peer.ipv4('10.2.0.0/16')] });
      expect(() => endpoints.allowFrom(ec2.Peer.ipv6('2001:db8::1/56')))
        .toThrow(/\[Stack\/Endpoints2\] allowFrom: '2001:db8::1\/56' has host bits set; the network is 2001:db8::\/56/);
      // single hosts, security groups and prefix lists are fine
      endpoints.allowFrom(ec2.Peer.ipv4('10.3.0.7/32'));
      endpoints.allowFrom(new ec2.SecurityGroup(stack, 'Callers', { vpc }));
      const ingress = Object.values(Template.fromStack(stack).findResources('AWS::EC2::SecurityGroup')).flatMap((r) => r.Properties.SecurityGroupIngress ?? []);
      expect(ingress.map((r: { CidrIp?: string }) => r.CidrIp)).toEqual(expect.arrayContaining(['10.2.0.0/16', '10.3.0.7/32']));
      expect(ingress.map((r: { CidrIp?: string }) => r.CidrIp)).not.toContain('10.2.0.1/16');
    });
  });

  test('a rule with host bits added around allowFrom (through connections) fails at synth', () => {
    const { app, stack, vpc } = setup();
    const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: [svc.SNS] });
    endpoints.connections.allowDefaultPortFrom(ec2.Peer.ipv4('10.9.0.1/16'));
    expect(() => app.synth()).toThrow(/The security group Stack\/Endpoints\/SecurityGroup of the interface endpoints has an ingress rule whose block '10\.9\.0\.1\/16' has host bits set; the network is 10\.9\.0\.0\/16/);
  });

  describe('endpoint policy conditions', () => {
    test.each([
      ['an organization id too short', EndpointPolicy.principalsInOrganization('o-abc'), /StringEquals aws:PrincipalOrgID: 'o-abc' is not an AWS Organizations id: expected 'o-' followed by 10 to 32 lowercase letters or digits/],
      ['an organization id in upper case', EndpointPolicy.resourcesInOrganization('o-ABCDEFGHIJ'), /aws:ResourceOrgID: 'o-ABCDEFGHIJ' is not an AWS Organizations id/],
      ['an account id of 11 digits', EndpointPolicy.principalsInAccount('12345678901'), /aws:PrincipalAccount: '12345678901' is not an AWS account id: an account id is 12 digits/],
      ['an account id among principalAccounts', EndpointPolicy.s3Buckets(['logs'], { principalAccounts: ['111111111111', 'acct-2'] }), /aws:PrincipalAccount: 'acct-2' is not an AWS account id/],
      ['a condition of a statement of your own', EndpointPolicy.fromStatements(new iam.PolicyStatement({
        principals: [new iam.AnyPrincipal()], actions: ['sns:Publish'], resources: ['*'], conditions: { StringEquals: { 'aws:SourceAccount': '42' } },
      })), /aws:SourceAccount: '42' is not an AWS account id/],
    ])('%s is an error', (_, policy, message) => {
      const { stack, vpc } = setup();
      const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc });
      const add = () => endpoints.addGateway(GatewayService.S3, { policies: [policy] });
      expect(add).toThrow(ConnectivityError);
      expect(add).toThrow(/\[Stack\/Endpoints\] The policy of the endpoint for Amazon S3 has malformed condition values: /);
      expect(add).toThrow(message);
    });

    test('well-formed ids, wildcards under StringLike and deploy-time values pass, and reach the policy', () => {
      const { stack, vpc } = setup();
      new VpcEndpoints(stack, 'Endpoints', { vpc }).addGateway(GatewayService.S3, {
        policies: [
          EndpointPolicy.principalsInOrganization('o-a1b2c3d4e5'),
          EndpointPolicy.principalsInAccount(), // the stack's account: a token
          EndpointPolicy.fromStatements(new iam.PolicyStatement({
            principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: ['*'], conditions: { StringLike: { 'aws:PrincipalOrgID': 'o-*' } },
          })),
        ],
      });
      const statements = Object.values(Template.fromStack(stack).findResources('AWS::EC2::VPCEndpoint'))[0].Properties.PolicyDocument.Statement;
      expect(statements.map((s: { Condition: unknown }) => s.Condition)).toEqual([
        { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
        { StringEquals: { 'aws:PrincipalAccount': { Ref: 'AWS::AccountId' } } },
        { StringLike: { 'aws:PrincipalOrgID': 'o-*' } },
      ]);
    });
  });

  test('a policy longer than AWS\'s 20,480 characters fails at synth, naming the endpoint', () => {
    const { app, stack, vpc } = setup();
    const buckets = Array.from({ length: 400 }, (_, i) => `bucket-of-team-${String(i).padStart(3, '0')}-logs`);
    new VpcEndpoints(stack, 'Endpoints', { vpc }).addGateway(GatewayService.S3, {
      policies: [EndpointPolicy.fromStatements(...buckets.map((b) => new iam.PolicyStatement({
        principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [`arn:aws:s3:::${b}/*`],
      })))],
    });
    expect(() => app.synth()).toThrow(/The policy of the endpoint for Amazon S3 \(Stack\/Endpoints\/S3\) has \d+ characters, more than the 20480 AWS allows in a VPC endpoint policy/);
  });

  describe('interface endpoints per VPC (quota)', () => {
    test('above the quota of 50 is an error naming the VPC, the count and how to raise it', () => {
      const { stack, vpc } = setup();
      const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: services(50) });
      expect(endpoints.interfaceEndpoints.length).toBe(50);
      expect(() => endpoints.addInterface(services(51)[50])).toThrow(ConnectivityError);
      // checked before the endpoint is created: a failed add leaves nothing behind
      expect(endpoints.interfaceEndpoints.length).toBe(50);
      expect(endpoints.node.findAll().filter((c) => c instanceof ec2.CfnVPCEndpoint).length).toBe(50);
      expect(() => endpoints.addInterface(services(52)[51]))
        .toThrow(/\[Stack\/Endpoints\] Adding the interface endpoint for .*: VPC Stack\/Vpc has 51 interface and Gateway Load Balancer endpoints, above the quota of 50 interface and Gateway Load Balancer endpoints per VPC \(once Service Quotas has raised it for the account, set it in the context key cdk-vpc-connect:quotas \(\{"interfaceEndpointsPerVpc": N\}\)\)\. Share interface endpoints between VPCs/);
    });

    test('counts hand-written interface and Gateway Load Balancer endpoints too, at synth', () => {
      const { app, stack, vpc } = setup();
      new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: services(49) });
      new ec2.CfnVPCEndpoint(stack, 'HandWritten', { vpcId: vpc.vpcId, serviceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0', vpcEndpointType: 'Interface' });
      new ec2.CfnVPCEndpoint(stack, 'Inspection', { vpcId: vpc.vpcId, serviceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0fedcba9876543210', vpcEndpointType: 'GatewayLoadBalancer' });
      // a gateway endpoint does not count
      new ec2.CfnVPCEndpoint(stack, 'Gateway', { vpcId: vpc.vpcId, serviceName: 'com.amazonaws.us-east-1.s3', vpcEndpointType: 'Gateway' });
      expect(() => app.synth()).toThrow(/The VPC of Stack\/Endpoints \(.* and others\) has 51 interface and Gateway Load Balancer endpoints, above the quota of 50/);
    });

    test('a raised quota in the context key applies; 80% of it is a warning with an id', () => {
      const { stack, vpc } = setup({ [QUOTAS]: { interfaceEndpointsPerVpc: 60 } });
      const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: services(55) });
      expect(endpoints.interfaceEndpoints.length).toBe(55);
      const warnings = warningsOf(stack, 'interfaceEndpointQuota');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/The VPC of Stack\/Endpoints .* has 55 interface and Gateway Load Balancer endpoints, 92% of the quota of 60/);
    });

    test('below 80% of the quota, no warning', () => {
      const { stack, vpc } = setup();
      new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: services(39) });
      expect(warningsOf(stack, 'interfaceEndpointQuota')).toEqual([]);
    });
  });

  describe('regressions: no crash on valid input', () => {
    test('addGateway with routes.subnets holding subnets, on an existing endpoint, is a clean error (no circular JSON)', () => {
      const { stack, vpc } = setup();
      const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc, gateways: [GatewayService.S3] });
      const again = () => endpoints.addGateway(GatewayService.S3, { routes: { subnets: { subnets: [vpc.isolatedSubnets[0]] } } });
      expect(again).toThrow(ConnectivityError);
      expect(again).toThrow(/already exists \(Stack\/Endpoints\/S3\), so its routes cannot be chosen again \(\{ subnets \{ subnets Stack\/Vpc\/IsolatedSubnet1 \} \}\)/);
    });

    test('a VPC imported without its CIDR block is a clean error naming the fix, for the endpoints and for allowFromVpc', () => {
      const { stack, vpc } = setup();
      const bare = ec2.Vpc.fromVpcAttributes(stack, 'Bare', { vpcId: 'vpc-0123abcd', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-0123abcd'] });
      expect(() => new VpcEndpoints(stack, 'Endpoints', { vpc: bare, interfaces: [svc.SNS] }))
        .toThrow(/\[Stack\/Endpoints\] VPC Stack\/Bare was imported without its CIDR block, which the endpoints' security group admits\. Import it with vpcCidrBlock/);
      const endpoints = new VpcEndpoints(stack, 'Endpoints2', { vpc, interfaces: [svc.SNS] });
      expect(() => endpoints.allowFromVpc(bare)).toThrow(/\[Stack\/Endpoints2\] VPC Stack\/Bare was imported without its CIDR block, which allowFromVpc admits/);
    });

    test('addGateway with routes.subnets holding subnets, on a new endpoint, attaches their tables', () => {
      const { stack, vpc } = setup();
      new VpcEndpoints(stack, 'Endpoints', { vpc }).addGateway(GatewayService.S3, { routes: { subnets: { subnets: [vpc.isolatedSubnets[0]] } } });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Gateway',
        RouteTableIds: [stack.resolve(vpc.isolatedSubnets[0].routeTable.routeTableId)],
      });
    });
  });
});
