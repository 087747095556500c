import { App, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EndpointBundle, EndpointPolicy, GatewayService, VpcEndpoints } from '../../lib';
import { ConnectivityError } from '../../lib/errors';
import { newApp, synthApp } from '../support/synth-app';

const svc = ec2.InterfaceVpcEndpointAwsService;
const ACCOUNT = '111111111111';

function stackWithVpc(options: { env?: boolean; subnets?: ec2.SubnetConfiguration[] } = {}): { app: App; stack: Stack; vpc: ec2.Vpc } {
  const app = new App();
  const stack = new Stack(app, 'Stack', options.env ? { env: { account: ACCOUNT, region: 'us-east-1' } } : undefined);
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
    maxAzs: 2,
    natGateways: (options.subnets ?? []).some((s) => s.subnetType === ec2.SubnetType.PUBLIC) || !options.subnets ? 1 : 0,
    subnetConfiguration: options.subnets ?? [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 },
      { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
    ],
  });
  return { app, stack, vpc };
}

function endpointsOf(stack: Stack, type: 'Interface' | 'Gateway'): Array<Record<string, any>> {
  return Object.values(Template.fromStack(stack).findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: type } }))
    .map((r) => r.Properties);
}

function serviceNames(stack: Stack, type: 'Interface' | 'Gateway'): string[] {
  return endpointsOf(stack, type).map((p) => {
    const parts = p.ServiceName['Fn::Join']?.[1];
    return parts ? parts[parts.length - 1].replace(/^\./, '') : p.ServiceName;
  }).sort();
}

function ingressOf(stack: Stack, endpoints: VpcEndpoints): Array<Record<string, any>> {
  const id = stack.getLogicalId(endpoints.securityGroup.node.defaultChild as ec2.CfnSecurityGroup);
  return Template.fromStack(stack).toJSON().Resources[id].Properties.SecurityGroupIngress;
}

describe('VpcEndpoints', () => {
  describe('gateway endpoints', () => {
    test('attach to the route table of every subnet, each table once', () => {
      // GIVEN a VPC with public, private and isolated subnets in 2 AZs: 6 route tables
      const { stack, vpc } = stackWithVpc();

      // WHEN
      const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc, gateways: [GatewayService.S3, GatewayService.DYNAMODB] });

      // THEN
      const gateways = endpointsOf(stack, 'Gateway');
      expect(gateways).toHaveLength(2);
      for (const gateway of gateways) {
        expect(gateway.RouteTableIds).toHaveLength(6);
        expect(new Set(gateway.RouteTableIds.map((r: { Ref: string }) => r.Ref)).size).toBe(6);
      }
      expect(serviceNames(stack, 'Gateway')).toEqual(['dynamodb', 's3']);
      expect(endpoints.gatewayEndpoint(GatewayService.S3).node.id).toBe('S3');
      expect(endpoints.gatewayEndpoint(ec2.GatewayVpcEndpointAwsService.DYNAMODB).node.id).toBe('DynamoDb');
    });

    test('attach a route table shared by several subnets once (default-VPC shape)', () => {
      // GIVEN an imported VPC whose three subnets share one route table
      const stack = new Stack();
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
        vpcId: 'vpc-0a1b2c3d4e5f60718', vpcCidrBlock: '172.31.0.0/16',
        availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
        publicSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb', 'subnet-0cccccccccccccccc'],
        publicSubnetRouteTableIds: ['rtb-0eeeeeeeeeeeeeeee', 'rtb-0eeeeeeeeeeeeeeee', 'rtb-0eeeeeeeeeeeeeeee'],
      });

      // WHEN
      new VpcEndpoints(stack, 'Endpoints', { vpc, gateways: [GatewayService.S3] });

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', { RouteTableIds: ['rtb-0eeeeeeeeeeeeeeee'], VpcId: 'vpc-0a1b2c3d4e5f60718' });
    });

    test('attach only to the tables of gatewayRoutes.subnets', () => {
      const { stack, vpc } = stackWithVpc();
      new VpcEndpoints(stack, 'Endpoints', { vpc, gateways: [GatewayService.S3], gatewayRoutes: { subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } } });
      const [gateway] = endpointsOf(stack, 'Gateway');
      expect(gateway.RouteTableIds).toHaveLength(2);
      expect(gateway.RouteTableIds.every((r: { Ref: string }) => r.Ref.startsWith('VpcIsolatedSubnet'))).toBe(true);
    });

    test.each([
      ['SQS', { name: 'com.amazonaws.us-east-1.sqs' }, /Gateway endpoints serve only Amazon S3 and Amazon DynamoDB, not com\.amazonaws\.us-east-1\.sqs/],
      ['S3 Express', ec2.GatewayVpcEndpointAwsService.S3_EXPRESS, /Gateway endpoints serve only Amazon S3 and Amazon DynamoDB, not .*s3express/],
    ])('a gateway endpoint for %s is an error', (_name, service, message) => {
      const { stack, vpc } = stackWithVpc();
      expect(() => new VpcEndpoints(stack, 'Endpoints', { vpc, gateways: [service] })).toThrow(ConnectivityError);
      expect(() => new VpcEndpoints(stack, 'Endpoints2', { vpc, gateways: [service] })).toThrow(message);
    });

    test('a gateway service whose name is a token is warned about, not rejected', () => {
      const { stack, vpc } = stackWithVpc();
      new VpcEndpoints(stack, 'Endpoints', { vpc, gateways: [{ name: Fn.importValue('GatewayServiceName') }] });
      Annotations.fromStack(stack).hasWarning('/Stack/Endpoints', Match.stringLikeRegexp('is Amazon S3 or DynamoDB was skipped'));
    });

    test('subnets of an imported VPC without route table ids are an error', () => {
      const stack = new Stack();
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
        vpcId: 'vpc-0a1b2c3d4e5f60718', vpcCidrBlock: '10.0.0.0/16', availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa'],
      });
      expect(() => new VpcEndpoints(stack, 'Endpoints', { vpc, gateways: [GatewayService.S3] }))
        .toThrow(/gatewayRoutes: the route table of subnet\(s\) subnet-0aaaaaaaaaaaaaaaa of VPC .* is not known. Import the VPC with its route table ids.*set gatewayRoutes.enabled to false/);
    });

    test('a gateway endpoint of the same service in the same route table as a hand-written one is an error', () => {
      const { stack, vpc } = stackWithVpc();
      vpc.addGatewayEndpoint('HandWrittenS3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      expect(() => new VpcEndpoints(stack, 'Endpoints', { vpc, gateways: [GatewayService.S3] }))
        .toThrow(/conflicts with .*HandWrittenS3.* attach a gateway endpoint of .* to the same route table/);
    });

    test('choosing routes again for an existing gateway endpoint is an error', () => {
      const { stack, vpc } = stackWithVpc();
      const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc, gateways: [GatewayService.S3] });
      expect(() => endpoints.addGateway(GatewayService.S3, { routes: { subnets: { subnetType: ec2.SubnetType.PUBLIC } } }))
        .toThrow(/gateway endpoint for Amazon S3 already exists .* its routes cannot be chosen again \(\{ subnets \{ subnetType Public \} \}\)/);
      // A selection of subnet constructs is described, not stringified (subnets are circular).
      expect(() => endpoints.addGateway(GatewayService.S3, { routes: { subnets: { subnets: [vpc.isolatedSubnets[0]] } } }))
        .toThrow(/its routes cannot be chosen again \(\{ subnets \{ subnets Stack\/Vpc\/IsolatedSubnet1 \} \}\)\. Pass routes where it is first added/);
      expect(() => endpoints.addGateway(ec2.GatewayVpcEndpointAwsService.S3, { routes: { enabled: false } }))
        .toThrow(/its routes cannot be chosen again \(\{ enabled false \}\)/);
    });

    test('routes of addGateway replace gatewayRoutes for that endpoint', () => {
      // GIVEN gateway endpoints on the isolated tables by default
      const { stack, vpc } = stackWithVpc();
      const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc, gatewayRoutes: { subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } } });

      // WHEN S3 goes on the private tables, and DynamoDB takes the default
      endpoints.addGateway(GatewayService.S3, { routes: { subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } } });
      endpoints.addGateway(ec2.GatewayVpcEndpointAwsService.DYNAMODB);

      // THEN
      const tablesOf = (service: GatewayService) => stack.resolve((endpoints.gatewayEndpoint(service).node.defaultChild as ec2.CfnVPCEndpoint).routeTableIds)
        .map((r: { Ref: string }) => r.Ref);
      expect(tablesOf(GatewayService.S3)).toEqual([expect.stringMatching(/^VpcPrivateSubnet1/), expect.stringMatching(/^VpcPrivateSubnet2/)]);
      expect(tablesOf(GatewayService.DYNAMODB)).toEqual([expect.stringMatching(/^VpcIsolatedSubnet1/), expect.stringMatching(/^VpcIsolatedSubnet2/)]);
    });

    test('gatewayRoutes.enabled: false creates the endpoints without route tables, even when the tables are not known', () => {
      // GIVEN an imported VPC without route table ids: its tables are attached outside the app
      const stack = new Stack();
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
        vpcId: 'vpc-0a1b2c3d4e5f60718', vpcCidrBlock: '10.0.0.0/16', availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa'],
      });

      // WHEN
      new VpcEndpoints(stack, 'Endpoints', { vpc, gateways: [GatewayService.S3, GatewayService.DYNAMODB], gatewayRoutes: { enabled: false } });

      // THEN
      const gateways = endpointsOf(stack, 'Gateway');
      expect(gateways).toHaveLength(2);
      for (const gateway of gateways) {
        expect(gateway).toEqual({ ServiceName: expect.anything(), VpcEndpointType: 'Gateway', VpcId: 'vpc-0a1b2c3d4e5f60718' });
      }
    });

    test('routes.enabled: false leaves one endpoint without route tables', () => {
      const { stack, vpc } = stackWithVpc();
      const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc, gateways: [GatewayService.S3] });
      endpoints.addGateway(GatewayService.DYNAMODB, { routes: { enabled: false } });
      const cfn = (service: GatewayService) => endpoints.gatewayEndpoint(service).node.defaultChild as ec2.CfnVPCEndpoint;
      expect(cfn(GatewayService.DYNAMODB).routeTableIds).toBeUndefined();
      expect(cfn(GatewayService.S3).routeTableIds).toHaveLength(6);
      Template.fromStack(stack).resourceCountIs('AWS::EC2::VPCEndpoint', 2);
    });

    test('a gatewayRoutes selection that matches no route table is an error', () => {
      const { stack, vpc } = stackWithVpc();
      expect(() => new VpcEndpoints(stack, 'Endpoints', { vpc, gateways: [GatewayService.S3], gatewayRoutes: { subnets: { subnets: [] } } }))
        .toThrow(/gatewayRoutes: the subnet selection \{ subnets \(none\) \} matches no route table in VPC Stack\/Vpc \(0 subnet\(s\) matched\)/);
      const endpoints = new VpcEndpoints(stack, 'Other', { vpc });
      expect(() => endpoints.addGateway(GatewayService.S3, { routes: { subnets: { subnets: [] } } }))
        .toThrow(/\[Stack\/Other\] routes: the subnet selection \{ subnets \(none\) \} matches no route table/);
    });

    test.each([
      ['destinations', { destinations: ['10.1.0.0/16'] }, /gatewayRoutes\.destinations is not supported here: a gateway endpoint's routes always lead to the service's prefix list/],
      ['scope', { scope: new Stack() }, /gatewayRoutes\.scope is not supported here: the route tables of a gateway endpoint are a property of the endpoint resource/],
    ])('gatewayRoutes.%s is rejected', (_field, routes, message) => {
      const { stack, vpc } = stackWithVpc();
      expect(() => new VpcEndpoints(stack, 'Endpoints', { vpc, gateways: [GatewayService.S3], gatewayRoutes: routes })).toThrow(ConnectivityError);
      expect(() => new VpcEndpoints(stack, 'Endpoints2', { vpc, gatewayRoutes: routes })).toThrow(message);
    });

    test.each([
      ['destinations', { destinations: ['10.1.0.0/16'] }, /\[Stack\/Endpoints\] routes\.destinations is not supported here: .*Remove routes\.destinations; choose the route tables with routes\.subnets/],
      ['scope', { scope: new Stack() }, /\[Stack\/Endpoints\] routes\.scope is not supported here: .*RouteTableIds.*Remove routes\.scope/],
    ])('routes.%s of addGateway is rejected', (_field, routes, message) => {
      const { stack, vpc } = stackWithVpc();
      const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc });
      expect(() => endpoints.addGateway(GatewayService.S3, { routes })).toThrow(message);
      Template.fromStack(stack).resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    });

    test('asking for a gateway endpoint that was not added is an error', () => {
      const { stack, vpc } = stackWithVpc();
      const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc, gateways: [GatewayService.S3] });
      expect(() => endpoints.gatewayEndpoint(GatewayService.DYNAMODB)).toThrow(/no gateway endpoint for Amazon DynamoDB here \(gateway endpoints: Amazon S3\)/);
    });
  });

  describe('interface endpoints', () => {
    test('go in one private subnet per AZ, with private DNS and the shared security group', () => {
      const { stack, vpc } = stackWithVpc();
      const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: [svc.SNS, svc.SQS] });

      const interfaces = endpointsOf(stack, 'Interface');
      expect(interfaces).toHaveLength(2);
      const sgId = stack.getLogicalId(endpoints.securityGroup.node.defaultChild as ec2.CfnSecurityGroup);
      for (const endpoint of interfaces) {
        expect(endpoint.PrivateDnsEnabled).toBe(true);
        expect(endpoint.SubnetIds).toHaveLength(2);
        expect(endpoint.SubnetIds.every((s: { Ref: string }) => s.Ref.startsWith('VpcPrivateSubnet'))).toBe(true);
        expect(endpoint.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [sgId, 'GroupId'] }]);
      }
      Template.fromStack(stack).resourceCountIs('AWS::EC2::SecurityGroup', 1);
      expect(endpoints.interfaceEndpoint(svc.SNS).node.id).toBe('Sns');
    });

    test('default to the isolated subnets when the VPC has no private subnets', () => {
      const { stack, vpc } = stackWithVpc({ subnets: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }] });
      new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: [svc.SNS] });
      const [endpoint] = endpointsOf(stack, 'Interface');
      expect(endpoint.SubnetIds.map((s: { Ref: string }) => s.Ref)).toEqual([
        expect.stringMatching(/^VpcIsolatedSubnet1/), expect.stringMatching(/^VpcIsolatedSubnet2/),
      ]);
    });

    test('the security group admits 443 from every CIDR block of the VPC, primary and secondary, and has no real egress', () => {
      // GIVEN a VPC with a secondary block
      const { stack, vpc } = stackWithVpc();
      new ec2.CfnVPCCidrBlock(stack, 'Secondary', { vpcId: vpc.vpcId, cidrBlock: '100.64.0.0/16' });

      // WHEN
      const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: [svc.SNS] });

      // THEN
      const sgId = stack.getLogicalId(endpoints.securityGroup.node.defaultChild as ec2.CfnSecurityGroup);
      const sg = Template.fromStack(stack).toJSON().Resources[sgId].Properties;
      expect(sg.SecurityGroupIngress).toHaveLength(2);
      expect(sg.SecurityGroupIngress.map((r: { CidrIp: string }) => r.CidrIp)).toEqual(['10.0.0.0/16', '100.64.0.0/16']);
      expect(sg.SecurityGroupIngress.every((r: { FromPort: number; ToPort: number; IpProtocol: string }) =>
        r.FromPort === 443 && r.ToPort === 443 && r.IpProtocol === 'tcp')).toBe(true);
      // allowAllOutbound: false; aws-cdk-lib's placeholder rule matches no traffic
      expect(sg.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' })]);
      Template.fromStack(stack).resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    });

    test('allowedPeers, allowFrom and allowFromVpc admit more callers', () => {
      const { stack, vpc } = stackWithVpc();
      const peerVpc = new ec2.Vpc(stack, 'PeerVpc', { ipAddresses: ec2.IpAddresses.cidr('10.9.0.0/16'), maxAzs: 1, natGateways: 0 });
      const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: [svc.SNS], allowedPeers: [ec2.Peer.ipv4('10.1.0.0/16')] });
      endpoints.allowFrom(ec2.Peer.ipv4('10.2.0.0/16'));
      endpoints.allowFromVpc(peerVpc);
      expect(ingressOf(stack, endpoints).map((r) => r.CidrIp)).toEqual(['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16', '10.9.0.0/16']);
    });

    test('a service on another port gets that port admitted too', () => {
      const { stack, vpc } = stackWithVpc();
      const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: [svc.SNS, new ec2.InterfaceVpcEndpointService('com.amazonaws.vpce.us-east-1.vpce-svc-0123', 8443)] });
      expect(ingressOf(stack, endpoints).map((r) => `${r.CidrIp}:${r.FromPort}`)).toEqual(['10.0.0.0/16:443', '10.0.0.0/16:8443']);
      expect(endpoints.interfaceEndpoint(new ec2.InterfaceVpcEndpointService('com.amazonaws.vpce.us-east-1.vpce-svc-0123', 8443)).node.id).toBe('VpceUsEast1VpceSvc0123');
    });

    test('privateDnsEnabled: false turns private DNS off', () => {
      const { stack, vpc } = stackWithVpc();
      new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: [svc.SNS], privateDnsEnabled: false });
      expect(endpointsOf(stack, 'Interface')[0].PrivateDnsEnabled).toBe(false);
    });

    test('a VPC with no private or isolated subnet selects no subnet: an error', () => {
      const { stack, vpc } = stackWithVpc({ subnets: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 }] });
      expect(() => new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: [svc.SNS] }))
        .toThrow(/Interface endpoint for sns: VPC Stack\/Vpc has no private or isolated subnet, so no subnet is selected/);
    });

    test('a selection that matches no subnet is an error', () => {
      const { stack, vpc } = stackWithVpc();
      expect(() => new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: [svc.SNS], interfaceSubnets: { subnetGroupName: 'Nope' } }))
        .toThrow(/Interface endpoint for sns: the subnet selection \{ subnetGroupName Nope \} selects no subnet/);
      expect(() => new VpcEndpoints(stack, 'Endpoints2', { vpc, interfaces: [svc.SNS], interfaceSubnets: { subnets: [] } }))
        .toThrow(/selects no subnet of VPC Stack\/Vpc\. Select at least one subnet/);
    });

    test('a selection with two subnets in one AZ is an error, unless onePerAz', () => {
      // GIVEN two private subnet groups: two private subnets per AZ
      const { stack, vpc } = stackWithVpc({ subnets: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'AppA', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 },
        { name: 'AppB', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 },
      ] });

      // THEN
      expect(() => new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: [svc.SNS], interfaceSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } }))
        .toThrow(/more than one subnet in one availability zone \(AZ .*: Stack\/Vpc\/AppASubnet1, Stack\/Vpc\/AppBSubnet1; .*\)\. An endpoint takes at most one subnet per AZ/);
      new VpcEndpoints(stack, 'Fine', { vpc, interfaces: [svc.SNS], interfaceSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, onePerAz: true } });
      new VpcEndpoints(stack, 'Default', { vpc, interfaces: [svc.SQS] });
      for (const endpoint of endpointsOf(stack, 'Interface')) {
        expect(endpoint.SubnetIds).toHaveLength(2);
      }
    });

    test('an imported VPC with literal AZs: two subnets in one AZ is an error naming the AZ', () => {
      const stack = new Stack();
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
        vpcId: 'vpc-0a1b2c3d4e5f60718', vpcCidrBlock: '10.0.0.0/16', availabilityZones: ['us-east-1a'],
        privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa'], isolatedSubnetIds: ['subnet-0bbbbbbbbbbbbbbbb'],
      });
      const subnets = [...vpc.privateSubnets, ...vpc.isolatedSubnets];
      expect(() => new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: [svc.SNS], interfaceSubnets: { subnets } }))
        .toThrow(/more than one subnet in one availability zone \(us-east-1a: /);
    });

    test('asking for an interface endpoint that was not added is an error', () => {
      const { stack, vpc } = stackWithVpc();
      const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: [svc.SNS] });
      expect(() => endpoints.interfaceEndpoint(svc.SQS)).toThrow(/no interface endpoint for sqs here \(interface endpoints: sns\)/);
    });

    test('ids derive from the service: adding a service renames nothing', () => {
      const { stack, vpc } = stackWithVpc();
      const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: [svc.SNS] });
      const before = stack.getLogicalId(endpoints.interfaceEndpoint(svc.SNS).node.defaultChild as ec2.CfnVPCEndpoint);
      endpoints.addInterface(svc.ECR);
      endpoints.addInterface(svc.SQS);
      expect(stack.getLogicalId(endpoints.interfaceEndpoint(svc.SNS).node.defaultChild as ec2.CfnVPCEndpoint)).toBe(before);
      expect(endpoints.interfaceEndpoints.map((e) => e.node.id)).toEqual(['Sns', 'EcrApi', 'Sqs']);
    });
  });

  describe('bundles and reuse', () => {
    test('a service named twice, directly or through bundles, gets one endpoint', () => {
      const { stack, vpc } = stackWithVpc();
      const endpoints = new VpcEndpoints(stack, 'Endpoints', {
        vpc,
        gateways: [GatewayService.S3],
        interfaces: [EndpointBundle.SSM_SESSION_MANAGER, EndpointBundle.SECRETS, EndpointBundle.ECR_IMAGE_PULL, EndpointBundle.CLOUDWATCH, svc.SSM, svc.SNS],
      });
      endpoints.addInterface(svc.CLOUDWATCH_LOGS);
      endpoints.addBundle(EndpointBundle.ECR_IMAGE_PULL);

      expect(serviceNames(stack, 'Interface')).toEqual([
        'ec2messages', 'ecr.api', 'ecr.dkr', 'kms', 'logs', 'monitoring', 'secretsmanager', 'sns', 'ssm', 'ssmmessages',
      ]);
      expect(serviceNames(stack, 'Gateway')).toEqual(['s3']);
      expect(endpoints.addInterface(svc.SSM)).toBe(endpoints.interfaceEndpoint(svc.SSM));
    });

    test('the contract: gateways, bundles and single services, with accessors', () => {
      const { stack, vpc } = stackWithVpc();
      const endpoints = new VpcEndpoints(stack, 'Endpoints', {
        vpc,
        gateways: [GatewayService.S3, GatewayService.DYNAMODB],
        interfaces: [EndpointBundle.SSM_SESSION_MANAGER, EndpointBundle.ECR_IMAGE_PULL, svc.SNS],
      });
      expect(endpoints.gatewayEndpoint(GatewayService.S3)).toBeInstanceOf(ec2.GatewayVpcEndpoint);
      expect(endpoints.interfaceEndpoint(svc.SNS)).toBeInstanceOf(ec2.InterfaceVpcEndpoint);
      expect(endpoints.securityGroup).toBeInstanceOf(ec2.SecurityGroup);
      Template.fromStack(stack).resourceCountIs('AWS::EC2::VPCEndpoint', 2 + 3 + 3 + 1);
    });

    test('adding an existing service with another privateDnsEnabled or subnets is an error', () => {
      const { stack, vpc } = stackWithVpc();
      const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: [svc.SNS] });
      expect(() => endpoints.addInterface(svc.SNS, { privateDnsEnabled: false }))
        .toThrow(/already exists .* with privateDnsEnabled true, and it is added again with privateDnsEnabled false/);
      expect(() => endpoints.addInterface(svc.SNS, { subnets: { subnetType: ec2.SubnetType.PUBLIC } }))
        .toThrow(/interface endpoint for sns already exists .* its subnets cannot be chosen again \(\{ subnetType Public \}\)/);
      expect(() => endpoints.addInterface(svc.SNS, { subnets: { subnets: [vpc.publicSubnets[0]] } }))
        .toThrow(/its subnets cannot be chosen again \(\{ subnets Stack\/Vpc\/PublicSubnet1 \}\)/);
    });
  });

  describe('private DNS across constructs', () => {
    test('two VpcEndpoints serving one service with private DNS in one VPC is an error', () => {
      const { stack, vpc } = stackWithVpc();
      new VpcEndpoints(stack, 'Workload', { vpc, interfaces: [EndpointBundle.SSM_SESSION_MANAGER] });
      expect(() => new VpcEndpoints(stack, 'Secrets', { vpc, interfaces: [EndpointBundle.SECRETS] }))
        .toThrow(/\[Stack\/Secrets\] The endpoint for ssm in VPC Stack\/Vpc conflicts with Stack\/Workload\/Ssm\/Resource serve com\.amazonaws\.\$\{AWS::Region\}\.ssm with private DNS in the same VPC/);
    });

    test('the second one without private DNS is fine', () => {
      const { stack, vpc } = stackWithVpc();
      new VpcEndpoints(stack, 'Workload', { vpc, interfaces: [svc.SSM] });
      new VpcEndpoints(stack, 'Other', { vpc, interfaces: [svc.SSM], privateDnsEnabled: false });
      expect(endpointsOf(stack, 'Interface').map((e) => e.PrivateDnsEnabled).sort()).toEqual([false, true]);
    });

    test('the same service in two different VPCs is fine', () => {
      const { stack, vpc } = stackWithVpc();
      const other = new ec2.Vpc(stack, 'Other', { ipAddresses: ec2.IpAddresses.cidr('10.1.0.0/16'), maxAzs: 1, natGateways: 0 });
      new VpcEndpoints(stack, 'A', { vpc, interfaces: [svc.SSM] });
      new VpcEndpoints(stack, 'B', { vpc: other, interfaces: [svc.SSM] });
      expect(endpointsOf(stack, 'Interface')).toHaveLength(2);
    });

    test('a hand-written endpoint added later with private DNS fails synth', () => {
      const { app, stack, vpc } = stackWithVpc();
      new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: [svc.SNS] });
      vpc.addInterfaceEndpoint('HandWrittenSns', { service: svc.SNS });
      expect(() => app.synth()).toThrow(/VPC endpoints Stack\/Endpoints\/Sns\/Resource \(from Stack\/Endpoints\) and Stack\/Vpc\/HandWrittenSns\/Resource conflict: both serve .*sns with private DNS/);
    });

    test('a hand-written endpoint added before is an error at construction', () => {
      const { stack, vpc } = stackWithVpc();
      vpc.addInterfaceEndpoint('HandWrittenSns', { service: svc.SNS });
      expect(() => new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: [svc.SNS] })).toThrow(/conflicts with Stack\/Vpc\/HandWrittenSns\/Resource/);
    });
  });

  describe('policies', () => {
    test('an S3 gateway endpoint restricted to named buckets and the stack account', () => {
      const { stack, vpc } = stackWithVpc();
      const bucket = new s3.Bucket(stack, 'Bucket');
      const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc, gateways: [GatewayService.S3] });
      endpoints.addGateway(GatewayService.S3, {
        policies: [EndpointPolicy.s3Buckets([bucket, 'other-bucket'], { principalAccounts: [stack.account] }), EndpointPolicy.ecrImageLayers()],
      });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Gateway',
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:*',
              Resource: [
                { 'Fn::GetAtt': [Match.stringLikeRegexp('^Bucket'), 'Arn'] },
                { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Bucket'), 'Arn'] }, '/*']] },
                { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::other-bucket']] },
                { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::other-bucket/*']] },
              ],
              Condition: { StringEquals: { 'aws:PrincipalAccount': { Ref: 'AWS::AccountId' } } },
            },
            Match.objectLike({ Sid: 'EcrImageLayers', Action: 's3:GetObject' }),
          ],
        },
      });
    });

    test('a DynamoDB gateway endpoint restricted to named tables and an organization', () => {
      const { stack, vpc } = stackWithVpc({ env: true });
      const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc });
      endpoints.addGateway(GatewayService.DYNAMODB, {
        policies: [EndpointPolicy.dynamoDbTables(['Orders'], { principalOrgId: 'o-abc123def4' }), EndpointPolicy.resourcesInOrganization('o-abc123def4')],
      });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', {
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Allow', Principal: { AWS: '*' }, Action: 'dynamodb:*',
              Resource: [
                { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:dynamodb:us-east-1:${ACCOUNT}:table/Orders`]] },
                { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:dynamodb:us-east-1:${ACCOUNT}:table/Orders/index/*`]] },
                { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:dynamodb:us-east-1:${ACCOUNT}:table/Orders/stream/*`]] },
              ],
              Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } },
            },
            { Sid: 'ResourcesInOrganization', Effect: 'Allow', Principal: { AWS: '*' }, Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:ResourceOrgID': 'o-abc123def4' } } },
          ],
        },
      });
    });

    test('account and organization restrictions default to the stack account', () => {
      const { stack, vpc } = stackWithVpc({ env: true });
      new VpcEndpoints(stack, 'Endpoints', { vpc }).addGateway(GatewayService.S3, {
        policies: [EndpointPolicy.principalsInAccount(), EndpointPolicy.resourcesInAccount('222222222222'), EndpointPolicy.principalsInOrganization('o-abc123def4')],
      });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', {
        PolicyDocument: {
          Statement: [
            Match.objectLike({ Sid: 'PrincipalsInAccount', Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } } }),
            Match.objectLike({ Sid: 'ResourcesInAccount', Condition: { StringEquals: { 'aws:ResourceAccount': '222222222222' } } }),
            Match.objectLike({ Sid: 'PrincipalsInOrganization', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } } }),
          ],
        },
      });
    });

    test('an interface endpoint policy', () => {
      const { stack, vpc } = stackWithVpc();
      new VpcEndpoints(stack, 'Endpoints', { vpc }).addInterface(svc.SNS, {
        policies: [EndpointPolicy.fromStatements(new iam.PolicyStatement({
          principals: [new iam.AnyPrincipal()], actions: ['sns:Publish'], resources: ['*'],
        }))],
      });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Interface',
        PolicyDocument: { Statement: [Match.objectLike({ Action: 'sns:Publish', Principal: { AWS: '*' } })] },
      });
    });

    test('a statement without a principal is an error', () => {
      const { stack, vpc } = stackWithVpc();
      const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc, gateways: [GatewayService.S3] });
      expect(() => endpoints.addGateway(GatewayService.S3, {
        policies: [EndpointPolicy.fromStatements(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }))],
      })).toThrow(/policy of the endpoint for Amazon S3 has statement\(s\) without a Principal: .*s3:GetObject.*VPC endpoint policies require a Principal/);
    });

    test('a policy written for another service is an error', () => {
      const { stack, vpc } = stackWithVpc();
      const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc, gateways: [GatewayService.S3] });
      expect(() => endpoints.addGateway(GatewayService.S3, { policies: [EndpointPolicy.dynamoDbTables(['Orders'])] }))
        .toThrow(/endpoint for Amazon S3 was given a policy written for dynamodb/);
      expect(() => endpoints.addInterface(svc.SNS, { policies: [EndpointPolicy.ecrImageLayers()] }))
        .toThrow(/endpoint for sns was given a policy written for s3/);
    });
  });

  describe('cross-region interface endpoints', () => {
    test('serviceRegion sets ServiceRegion and names the service in that region, beside the local one', () => {
      const { stack, vpc } = stackWithVpc({ env: true });
      const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: [svc.ECR], lookupSupportedAzs: false });
      endpoints.addInterface(svc.ECR, { serviceRegion: 'us-west-2' });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', {
        ServiceName: 'com.amazonaws.us-west-2.ecr.api', ServiceRegion: 'us-west-2', PrivateDnsEnabled: true,
      });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', {
        ServiceName: 'com.amazonaws.us-east-1.ecr.api', ServiceRegion: Match.absent(),
      });
      expect(endpoints.interfaceEndpoint(svc.ECR, 'us-west-2').node.id).toBe('EcrApiUsWest2');
      expect(endpoints.interfaceEndpoint(svc.ECR, 'us-east-1').node.id).toBe('EcrApi');
    });
  });

  describe('supported AZs', () => {
    const lookupKey = (service: string) =>
      `endpoint-service-availability-zones:account=${ACCOUNT}:region=us-east-1:serviceName=com.amazonaws.us-east-1.${service}`;

    function concreteStack(context: Record<string, unknown>): { app: App; stack: Stack; vpc: ec2.IVpc } {
      const app = new App({ context });
      const stack = new Stack(app, 'Stack', { env: { account: ACCOUNT, region: 'us-east-1' } });
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
        vpcId: 'vpc-0a1b2c3d4e5f60718', vpcCidrBlock: '10.0.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'],
        privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'],
      });
      return { app, stack, vpc };
    }

    test('with a concrete environment only the AZs that offer the service are used', () => {
      const { stack, vpc } = concreteStack({ [lookupKey('sns')]: ['us-east-1b', 'us-east-1c'] });
      new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: [svc.SNS] });
      expect(endpointsOf(stack, 'Interface')[0].SubnetIds).toEqual(['subnet-0bbbbbbbbbbbbbbbb']);
    });

    test('before the lookup has run, the lookup is requested and every subnet is used', () => {
      const { app, stack, vpc } = concreteStack({});
      new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: [svc.SNS] });
      expect(endpointsOf(stack, 'Interface')[0].SubnetIds).toEqual(['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb']);
      expect(app.synth().manifest.missing?.map((m) => m.key)).toEqual([lookupKey('sns')]);
    });

    test('a service offered in none of the selected AZs is an error', () => {
      const { stack, vpc } = concreteStack({ [lookupKey('sns')]: ['us-east-1c'] });
      expect(() => new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: [svc.SNS] }))
        .toThrow(/Interface endpoint for sns: the service is offered in us-east-1c of us-east-1, but the selected subnets are in us-east-1a, us-east-1b/);
    });

    test('lookupSupportedAzs: false skips the lookup; environment-agnostic stacks never look up', () => {
      const { app, stack, vpc } = concreteStack({});
      new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: [svc.SNS], lookupSupportedAzs: false });
      expect(app.synth().manifest.missing).toBeUndefined();
      const agnostic = stackWithVpc();
      new VpcEndpoints(agnostic.stack, 'Endpoints', { vpc: agnostic.vpc, interfaces: [svc.SNS] });
      expect(agnostic.app.synth().manifest.missing).toBeUndefined();
    });

    test('lookupSupportedAzs: true on an environment-agnostic stack is an error', () => {
      const { stack, vpc } = stackWithVpc();
      expect(() => new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: [svc.SNS], lookupSupportedAzs: true }))
        .toThrow(/lookupSupportedAzs needs a stack with a concrete account and region/);
    });

    test('subnets with deploy-time AZs skip the lookup with a warning', () => {
      const { stack } = concreteStack({});
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'TokenVpc', {
        vpcId: 'vpc-0a1b2c3d4e5f60719', vpcCidrBlock: '10.0.0.0/16', availabilityZones: [Fn.importValue('Az')], privateSubnetIds: ['subnet-0dddddddddddddddd'],
      });
      new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: [svc.SNS] });
      Annotations.fromStack(stack).hasWarning('/Stack/Endpoints', Match.stringLikeRegexp('lookup of the AZs that offer sns was skipped'));
    });
  });

  describe('imported VPCs', () => {
    test('fromVpcAttributes with a literal CIDR: ingress from that CIDR', () => {
      const stack = new Stack();
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
        vpcId: 'vpc-0a1b2c3d4e5f60718', vpcCidrBlock: '10.5.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'],
        isolatedSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'], isolatedSubnetRouteTableIds: ['rtb-0aaaaaaaaaaaaaaaa', 'rtb-0bbbbbbbbbbbbbbbb'],
      });
      const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc, gateways: [GatewayService.S3], interfaces: [svc.SNS] });
      expect(ingressOf(stack, endpoints).map((r) => r.CidrIp)).toEqual(['10.5.0.0/16']);
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', { SubnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'], VpcId: 'vpc-0a1b2c3d4e5f60718' });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', { RouteTableIds: ['rtb-0aaaaaaaaaaaaaaaa', 'rtb-0bbbbbbbbbbbbbbbb'] });
    });

    test('a CIDR that is a token does not crash', () => {
      const stack = new Stack();
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
        vpcId: Fn.importValue('VpcId'), vpcCidrBlock: Fn.importValue('VpcCidr'), availabilityZones: ['us-east-1a'],
        privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa'], privateSubnetRouteTableIds: ['rtb-0aaaaaaaaaaaaaaaa'],
      });
      const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc, gateways: [GatewayService.S3], interfaces: [svc.SNS] });
      expect(ingressOf(stack, endpoints)).toEqual([expect.objectContaining({ CidrIp: { 'Fn::ImportValue': 'VpcCidr' }, FromPort: 443 })]);
    });

    test('fromLookup before the lookup has run does not fail, even with validation errors on, so the CLI can run the lookup', () => {
      // GIVEN cdk.json's context (validator findings are errors)
      const app = newApp();
      const stack = new Stack(app, 'Stack', { env: { account: ACCOUNT, region: 'us-east-1' } });
      const vpc = ec2.Vpc.fromLookup(stack, 'Vpc', { vpcId: 'vpc-0a1b2c3d4e5f6071a' });

      // WHEN
      new VpcEndpoints(stack, 'Endpoints', { vpc, gateways: [GatewayService.S3], interfaces: [EndpointBundle.SSM_SESSION_MANAGER] });

      // THEN the placeholder VPC id is not reported and the lookup is requested
      const result = synthApp(app);
      expect(result.findings).toEqual([]);
      expect(result.assembly.manifest.missing?.map((m) => m.provider)).toContain('vpc-provider');
    });
  });

  describe('monthly cost', () => {
    test('interface endpoints per AZ-hour and per GB of traffic; gateway endpoints free; the NAT gateways avoided as the alternative', () => {
      // GIVEN Session Manager's 3 interface endpoints in 2 AZs and the S3 gateway endpoint
      const { stack, vpc } = stackWithVpc();
      const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc, gateways: [GatewayService.S3], interfaces: [EndpointBundle.SSM_SESSION_MANAGER] });

      // WHEN
      const estimate = endpoints.estimateMonthlyCost({ traffic: { gbPerMonth: 100 }, natGatewaysAvoided: 2 });

      // THEN
      const endpointsUsd = 3 * 2 * 730 * 0.01 + 100 * 0.01;
      expect(estimate.monthlyUsd).toBeCloseTo(endpointsUsd, 6);
      expect(estimate.title).toBe('VPC endpoints: 3 interface in 2 AZ(s), 1 gateway');
      expect(estimate.lines.find((l) => l.item === 'Gateway endpoint hours')?.monthlyUsd).toBe(0);
      expect(estimate.alternative?.monthlyUsd).toBeCloseTo(2 * 730 * 0.045 + 100 * 0.045, 6);
      expect(estimate.monthlySavingsUsd).toBeCloseTo(2 * 730 * 0.045 + 100 * 0.045 - endpointsUsd, 6);
    });

    test('without options: the hourly charges only, and no alternative', () => {
      const { stack, vpc } = stackWithVpc();
      const estimate = new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: [svc.SNS] }).estimateMonthlyCost();
      expect(estimate.monthlyUsd).toBeCloseTo(2 * 730 * 0.01, 6);
      expect(estimate.alternative).toBeUndefined();
      expect(estimate.monthlySavingsUsd).toBeUndefined();
    });
  });

  test('isVpcEndpoints recognizes the construct by its brand', () => {
    const { stack, vpc } = stackWithVpc();
    const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc });
    expect(VpcEndpoints.isVpcEndpoints(endpoints)).toBe(true);
    expect(VpcEndpoints.isVpcEndpoints(vpc)).toBe(false);
    expect(VpcEndpoints.isVpcEndpoints(undefined)).toBe(false);
  });

  test('a secondary block added after the VpcEndpoints fails synth', () => {
    const { app, stack, vpc } = stackWithVpc();
    new VpcEndpoints(stack, 'Endpoints', { vpc, interfaces: [svc.SNS] });
    new ec2.CfnVPCCidrBlock(stack, 'Late', { vpcId: vpc.vpcId, cidrBlock: '100.64.0.0/16' });
    expect(() => app.synth()).toThrow(/CIDR block\(s\) Stack\/Late were added to VPC Stack\/Vpc after the VpcEndpoints Stack\/Endpoints/);
  });
});
