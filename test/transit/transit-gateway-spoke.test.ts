import { App, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ConnectivityError } from '../../lib/errors';
import { TransitGatewayHub, TransitGatewaySpoke } from '../../lib/transit';
import { testVpc } from '../support/vpcs';

const NETWORK = { account: '111111111111', region: 'us-east-1' };
const DEV = { account: '222222222222', region: 'us-east-1' };
const PROD = { account: '333333333333', region: 'us-east-1' };

interface Network {
  app: App;
  networkStack: Stack;
  devStack: Stack;
  prodStack: Stack;
  hub: TransitGatewayHub;
  sharedVpc: ec2.Vpc;
  devVpc: ec2.Vpc;
  prodVpc: ec2.Vpc;
}

/** The issue's network: a hub with shared/prod/dev, shared services in its account, prod and dev in two others. */
function network(shareWith = { accounts: [DEV.account, PROD.account] }): Network {
  const app = new App();
  const networkStack = new Stack(app, 'Network', { env: NETWORK });
  const devStack = new Stack(app, 'Dev', { env: DEV });
  const prodStack = new Stack(app, 'Prod', { env: PROD });
  const hub = new TransitGatewayHub(networkStack, 'Hub', {
    segments: [{ name: 'shared' }, { name: 'prod', reaches: ['shared'] }, { name: 'dev', reaches: ['shared'] }],
    shareWith,
  });
  const sharedVpc = testVpc(networkStack, 'SharedServices', '10.0.0.0/16');
  hub.addSpoke(sharedVpc, { segment: 'shared' });
  const devVpc = testVpc(devStack, 'Vpc', '10.1.0.0/16');
  const prodVpc = testVpc(prodStack, 'Vpc', '10.2.0.0/16');
  return { app, networkStack, devStack, prodStack, hub, sharedVpc, devVpc, prodVpc };
}

function routesOf(stack: Stack): string[] {
  const routes = Template.fromStack(stack).findResources('AWS::EC2::Route', { Properties: { TransitGatewayId: Match.anyValue() } });
  return [...new Set(Object.values(routes).map((r) => r.Properties.DestinationCidrBlock as string))].sort();
}

describe('TransitGatewaySpoke in another account', () => {
  test('the spoke stack gets the lookup, the invitation acceptance, the attachment, the association and the routes', () => {
    const n = network();
    const spoke = new TransitGatewaySpoke(n.devStack, 'Dev', { hub: n.hub, vpc: n.devVpc, segment: 'dev' });
    const dev = Template.fromStack(n.devStack);

    expect(spoke.crossAccount).toBe(true);
    dev.hasResourceProperties('Custom::TransitGatewayLookup', {
      HubTag: 'Network/Hub',
      Segments: ['dev', 'shared'],
      Region: 'us-east-1',
      RoleArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, Match.stringLikeRegexp(':iam::111111111111:role/network')]] },
    });
    dev.hasResourceProperties('Custom::ResourceShareInvitationAccepter', {
      ResourceShareArns: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DevLookup'), 'ResourceShareArns'] },
    });
    const attachments = dev.findResources('AWS::EC2::TransitGatewayAttachment');
    expect(Object.values(attachments)).toHaveLength(1);
    const [attachment] = Object.values(attachments);
    expect(attachment.Properties.TransitGatewayId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DevLookup/), 'TransitGatewayId'] });
    expect(attachment.DependsOn).toEqual([expect.stringMatching(/^DevShareInvitation/)]);
    dev.hasResourceProperties('Custom::TransitGatewaySpokeAssociation', {
      AssociationRouteTableId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DevLookup'), 'RouteTableId.dev'] },
      PropagationRouteTableIds: [
        { 'Fn::GetAtt': [Match.stringLikeRegexp('^DevLookup'), 'RouteTableId.shared'] },
        { 'Fn::GetAtt': [Match.stringLikeRegexp('^DevLookup'), 'RouteTableId.dev'] },
      ],
      TransitGatewayAttachmentId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DevAttachment'), 'Id'] },
    });
    // Dev reaches shared services only.
    expect(routesOf(n.devStack)).toEqual(['10.0.0.0/16']);
    expect(spoke.routes).toHaveLength(4);
    // The function may assume the hub's role, and accept RAM invitations.
    dev.hasResourceProperties('AWS::IAM::Role', {
      Path: '/cdk-vpc-connect/',
      Policies: [{ PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sts:AssumeRole' }),
        Match.objectLike({ Action: ['ram:GetResourceShareInvitations', 'ram:AcceptResourceShareInvitation', 'ram:GetResourceShares'] })]) } }],
    });
    expect(n.devStack.dependencies).toContain(n.networkStack);
  });

  test('the hub\'s stack gets one role per spoke account, trusting only that account\'s cdk-vpc-connect functions, limited to the segment\'s tables', () => {
    const n = network();
    new TransitGatewaySpoke(n.devStack, 'Dev', { hub: n.hub, vpc: n.devVpc, segment: 'dev' });
    new TransitGatewaySpoke(n.prodStack, 'Prod', { hub: n.hub, vpc: n.prodVpc, segment: 'prod' });
    const hub = Template.fromStack(n.networkStack);

    // The spoke roles (named, for the other accounts' trust), beside the stack's transit provider's role.
    expect(Object.keys(hub.findResources('AWS::IAM::Role', { Properties: { RoleName: Match.anyValue() } }))).toHaveLength(2);
    hub.hasResourceProperties('AWS::IAM::Role', {
      RoleName: Match.stringLikeRegexp('^network'),
      AssumeRolePolicyDocument: { Statement: [{
        Action: 'sts:AssumeRole',
        Condition: { ArnLike: { 'aws:PrincipalArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::222222222222:role/cdk-vpc-connect/*']] } } },
        Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::222222222222:root']] } },
      }] },
    });
    const policies = Object.values(hub.findResources('AWS::IAM::Policy'));
    const devPolicy = policies.find((p) => JSON.stringify(p).includes('SpokeRole222222222222'))!;
    const statements: Array<{ Action: string | string[]; Resource: unknown }> = devPolicy.Properties.PolicyDocument.Statement;
    const tablesOf = (action: string) => JSON.stringify(statements.filter((st) => ([] as string[]).concat(st.Action).includes(action)).map((st) => st.Resource))
      .match(/Hub\w+RouteTable/g)?.map((t) => t.replace(/RouteTable$/, '')).sort();
    // Joining: its segment's table and those it propagates into; leaving: any table of the hub
    // (a spoke moved to another segment leaves the old one after the hub's stack deployed).
    expect(tablesOf('ec2:AssociateTransitGatewayRouteTable')).toEqual(['HubDev', 'HubShared']);
    expect(tablesOf('ec2:EnableTransitGatewayRouteTablePropagation')).toEqual(['HubDev', 'HubShared']);
    expect(tablesOf('ec2:DisassociateTransitGatewayRouteTable')).toEqual(['HubDev', 'HubProd', 'HubShared']);
    expect(tablesOf('ec2:DisableTransitGatewayRouteTablePropagation')).toEqual(['HubDev', 'HubProd', 'HubShared']);
  });

  test('two spokes of one account share the role; its statements are not repeated', () => {
    const n = network();
    new TransitGatewaySpoke(n.devStack, 'Dev', { hub: n.hub, vpc: n.devVpc, segment: 'dev' });
    new TransitGatewaySpoke(n.devStack, 'Dev2', { hub: n.hub, vpc: testVpc(n.devStack, 'Vpc2', '10.3.0.0/16'), segment: 'dev' });
    const hub = Template.fromStack(n.networkStack);

    expect(Object.keys(hub.findResources('AWS::IAM::Role', { Properties: { RoleName: Match.anyValue() } }))).toHaveLength(1);
    const [policy] = Object.values(hub.findResources('AWS::IAM::Policy'));
    const statements = policy.Properties.PolicyDocument.Statement.map((st: unknown) => JSON.stringify(st));
    expect(new Set(statements).size).toBe(statements.length);
  });

  test('the hub\'s gateway and the tables the lookup reads are tagged with the hub and their segment', () => {
    const n = network();
    new TransitGatewaySpoke(n.devStack, 'Dev', { hub: n.hub, vpc: n.devVpc, segment: 'dev' });
    const hub = Template.fromStack(n.networkStack);

    hub.hasResourceProperties('AWS::EC2::TransitGateway', { Tags: Match.arrayWith([{ Key: 'cdk-vpc-connect:hub', Value: 'Network/Hub' }]) });
    hub.hasResourceProperties('AWS::EC2::TransitGatewayRouteTable', {
      Tags: Match.arrayWith([{ Key: 'cdk-vpc-connect:hub', Value: 'Network/Hub' }, { Key: 'cdk-vpc-connect:segment', Value: 'dev' }]),
    });
  });

  test('the hub\'s spokes of the segments that reach the spoke get routes toward it; segments that do not reach it stay apart', () => {
    const n = network();
    new TransitGatewaySpoke(n.devStack, 'Dev', { hub: n.hub, vpc: n.devVpc, segment: 'dev' });
    new TransitGatewaySpoke(n.prodStack, 'Prod', { hub: n.hub, vpc: n.prodVpc, segment: 'prod' });

    expect(routesOf(n.networkStack)).toEqual(['10.1.0.0/16', '10.2.0.0/16']);
    expect(routesOf(n.devStack)).toEqual(['10.0.0.0/16']);
    expect(routesOf(n.prodStack)).toEqual(['10.0.0.0/16']);
  });

  test('a spoke added to the hub after the remote spoke is still routed from it', () => {
    const n = network();
    new TransitGatewaySpoke(n.devStack, 'Dev', { hub: n.hub, vpc: n.devVpc, segment: 'dev' });
    n.hub.addSpoke(testVpc(n.networkStack, 'Tools', '10.9.0.0/16'), { segment: 'shared' });

    expect(routesOf(n.devStack)).toEqual(['10.0.0.0/16', '10.9.0.0/16']);
  });

  test('routes.destinations routes summaries instead; routes.enabled false makes none', () => {
    const n = network();
    new TransitGatewaySpoke(n.devStack, 'Dev', { hub: n.hub, vpc: n.devVpc, segment: 'dev', routes: { destinations: ['10.0.0.0/8'] } });
    new TransitGatewaySpoke(n.prodStack, 'Prod', { hub: n.hub, vpc: n.prodVpc, segment: 'prod', routes: { enabled: false } });

    expect(routesOf(n.devStack)).toEqual(['10.0.0.0/8']);
    expect(routesOf(n.prodStack)).toEqual([]);
  });

  test('a spoke of an organization-wide share is accepted the same way', () => {
    const n = network({ organizationArn: 'arn:aws:organizations::111111111111:organization/o-abc123def4' } as any);
    new TransitGatewaySpoke(n.devStack, 'Dev', { hub: n.hub, vpc: n.devVpc, segment: 'dev' });

    Template.fromStack(n.devStack).resourceCountIs('Custom::ResourceShareInvitationAccepter', 1);
  });
});

test('a block of a reached spoke known only at deploy time is not routed from the spoke of another account, with a warning', () => {
  const n = network();
  const imported = ec2.Vpc.fromVpcAttributes(n.networkStack, 'Imported', {
    vpcId: 'vpc-0123456789abcdef0', vpcCidrBlock: Fn.importValue('ImportedCidr'), availabilityZones: ['us-east-1a'],
    isolatedSubnetIds: ['subnet-0123456789abcdef0'], isolatedSubnetRouteTableIds: ['rtb-0123456789abcdef0'],
  });
  n.hub.addSpoke(imported, { segment: 'shared' });
  new TransitGatewaySpoke(n.devStack, 'Dev', { hub: n.hub, vpc: n.devVpc, segment: 'dev' });

  expect(routesOf(n.devStack)).toEqual(['10.0.0.0/16']);
  const warnings = Annotations.fromStack(n.devStack).findWarning('/Dev/Dev', Match.stringLikeRegexp('crossAccountDestinationSkipped'));
  expect(warnings.map((w) => w.entry.data)).toEqual([expect.stringMatching(
    /No route from spoke Dev\/Vpc to a block of Network\/Imported: the block is only known at deploy time, in another account's stack/)]);
});

describe('TransitGatewaySpoke in the hub\'s account', () => {
  test('delegates to hub.addSpoke: the same resources as addSpoke, associated by the hub\'s custom resource without a role', () => {
    const app = new App();
    const networkStack = new Stack(app, 'Network', { env: NETWORK });
    const appStack = new Stack(app, 'App', { env: NETWORK });
    const hub = new TransitGatewayHub(networkStack, 'Hub', { segments: [{ name: 'shared' }, { name: 'dev', reaches: ['shared'] }] });
    hub.addSpoke(testVpc(networkStack, 'Shared', '10.0.0.0/16'), { segment: 'shared' });
    const vpc = testVpc(appStack, 'Vpc', '10.1.0.0/16');

    const spoke = new TransitGatewaySpoke(appStack, 'Dev', { hub, vpc, segment: 'dev' });

    expect(spoke.crossAccount).toBe(false);
    expect(spoke.attachment).toBe(hub.attachment(vpc));
    expect(hub.segmentOf(vpc)).toBe('dev');
    const template = Template.fromStack(appStack);
    // A hub with segments associates through its custom resource (a move is one deploy), in the
    // spoke's stack, with the function's own role: no lookup, no role of the hub's, no invitation.
    template.resourceCountIs('AWS::EC2::TransitGatewayRouteTableAssociation', 0);
    expect(Object.values(template.findResources('Custom::TransitGatewaySpokeAssociation'))).toEqual([expect.objectContaining({
      Properties: expect.not.objectContaining({ RoleArn: expect.anything(), PropagationRouteTableIds: expect.anything() }),
    })]);
    expect(hub.associationResource(vpc).cfnResourceType).toBe('Custom::TransitGatewaySpokeAssociation');
    template.resourceCountIs('Custom::TransitGatewayLookup', 0);
    template.resourceCountIs('Custom::ResourceShareInvitationAccepter', 0);
    template.resourceCountIs('AWS::EC2::TransitGatewayRouteTablePropagation', 2);
  });
});

describe('TransitGatewaySpoke errors', () => {
  test('an account the hub does not share with', () => {
    const n = network({ accounts: [PROD.account] });
    expect(() => new TransitGatewaySpoke(n.devStack, 'Dev', { hub: n.hub, vpc: n.devVpc, segment: 'dev' }))
      .toThrow(ConnectivityError);
    expect(() => new TransitGatewaySpoke(n.devStack, 'Dev2', { hub: n.hub, vpc: n.devVpc, segment: 'dev' }))
      .toThrow(/hub Network\/Hub does not share its transit gateway with account 222222222222: add it to the hub's shareWith \(shareWith: \{ accounts: \['222222222222'\] \}/);
  });

  test('a segment the hub does not have', () => {
    const n = network();
    expect(() => new TransitGatewaySpoke(n.devStack, 'Dev', { hub: n.hub, vpc: n.devVpc, segment: 'staging' }))
      .toThrow(/segment 'staging' is not a segment of hub Network\/Hub \(segments: shared, prod, dev\): use one of those, or declare it in the hub's segments/);
  });

  test('a spoke in another region than the hub', () => {
    const n = network();
    const euStack = new Stack(n.app, 'DevEu', { env: { account: DEV.account, region: 'eu-west-1' } });
    const vpc = testVpc(euStack, 'Vpc', '10.5.0.0/16');
    expect(() => new TransitGatewaySpoke(euStack, 'Dev', { hub: n.hub, vpc, segment: 'dev' }))
      .toThrow(/stack DevEu is in 222222222222, eu-west-1, but hub Network\/Hub is in 111111111111, us-east-1: a transit gateway is regional.*TransitGatewayPeering/);
  });

  test('an environment-agnostic spoke stack', () => {
    const n = network();
    const agnostic = new Stack(n.app, 'Agnostic');
    const vpc = testVpc(agnostic, 'Vpc', '10.5.0.0/16');
    expect(() => new TransitGatewaySpoke(agnostic, 'Dev', { hub: n.hub, vpc, segment: 'dev' }))
      .toThrow(/stack Agnostic \(account not set, region not set\) and the hub's stack Network \(111111111111, us-east-1\) must both have a literal account/);
  });

  test('a VPC of another stack\'s environment', () => {
    const n = network();
    expect(() => new TransitGatewaySpoke(n.devStack, 'Dev', { hub: n.hub, vpc: n.prodVpc, segment: 'dev' }))
      .toThrow(/VPC Prod\/Vpc is in stack Prod \(333333333333, us-east-1\), but this spoke is in stack Dev \(222222222222, us-east-1\): create the TransitGatewaySpoke in a stack of the VPC's account and region/);
  });

  test('an overlapping spoke of another account is refused by the hub', () => {
    const n = network();
    const vpc = testVpc(n.devStack, 'Overlapping', '10.0.128.0/17');
    expect(() => new TransitGatewaySpoke(n.devStack, 'Dev', { hub: n.hub, vpc, segment: 'dev' })).toThrow(/overlap/);
  });

  test('routes.scope is refused: the routes of a spoke of another account are created in its own stack', () => {
    const n = network();
    expect(() => new TransitGatewaySpoke(n.devStack, 'Dev', { hub: n.hub, vpc: n.devVpc, segment: 'dev', routes: { scope: n.devStack } }))
      .toThrow(/scope.*the routes of a spoke of another account are created in its own stack/);
  });

  test('two attachment subnets in one AZ', () => {
    const n = network();
    const vpc = testVpc(n.devStack, 'TwoGroups', '10.7.0.0/16', { groups: ['A', 'B'] });
    expect(() => new TransitGatewaySpoke(n.devStack, 'Dev', {
      hub: n.hub, vpc, segment: 'dev', attachmentSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    })).toThrow(/selects several subnets of Dev\/TwoGroups in .*: AWS allows one attachment subnet per Availability Zone/);
  });

  test('an imported hub', () => {
    const n = network();
    const imported = TransitGatewayHub.fromTransitGatewayHubAttributes(n.networkStack, 'Imported', { transitGatewayId: 'tgw-0123456789abcdef0' });
    expect(() => new TransitGatewaySpoke(n.devStack, 'Dev', { hub: imported as TransitGatewayHub, vpc: n.devVpc, segment: 'dev' }))
      .toThrow(/hub must be a TransitGatewayHub made in this app \(an imported hub has no segments to join\)/);
  });

  test('a hub on an existing gateway: the lookup reads it by its literal id; a token id is refused', () => {
    const app = new App();
    const networkStack = new Stack(app, 'Network', { env: NETWORK });
    const devStack = new Stack(app, 'Dev', { env: DEV });
    const segments = [{ name: 'shared' }, { name: 'dev', reaches: ['shared'] }];
    const hub = new TransitGatewayHub(networkStack, 'Hub', { transitGatewayId: 'tgw-0123456789abcdef0', segments, shareWith: { accounts: [DEV.account] } });
    new TransitGatewaySpoke(devStack, 'Dev', { hub, vpc: testVpc(devStack, 'Vpc', '10.1.0.0/16'), segment: 'dev' });
    Template.fromStack(devStack).hasResourceProperties('Custom::TransitGatewayLookup', { TransitGatewayId: 'tgw-0123456789abcdef0' });

    const other = network();
    const tokenHub = new TransitGatewayHub(other.networkStack, 'TokenHub', {
      transitGatewayId: new ec2.CfnTransitGateway(other.networkStack, 'Gateway').ref, segments, shareWith: { accounts: [DEV.account] },
    });
    expect(() => new TransitGatewaySpoke(other.devStack, 'Dev2', { hub: tokenHub, vpc: other.devVpc, segment: 'dev' }))
      .toThrow(/hub Network\/TokenHub uses an existing transit gateway whose id is only known at deploy time \(.*\): a spoke of another account cannot read it/);
  });

  test('synthesizes without warnings', () => {
    const n = network();
    new TransitGatewaySpoke(n.devStack, 'Dev', { hub: n.hub, vpc: n.devVpc, segment: 'dev' });
    Template.fromStack(n.devStack);
    expect(Annotations.fromStack(n.devStack).findWarning('*', Match.anyValue())).toEqual([]);
    expect(Annotations.fromStack(n.networkStack).findWarning('*', Match.anyValue())).toEqual([]);
  });
});
