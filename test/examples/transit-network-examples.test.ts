import { Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { TransitNetworkStacks } from '../../examples/transit-network';
import { FindingSeverity, HopDirection, NetworkModel, NetworkValidationPlugin } from '../../lib';
import { newApp, SynthResult, synthApp } from '../support/synth-app';

/**
 * The transit network example (examples/transit-network.ts): three accounts, two regions, one
 * `cdk deploy --all`. Synthesized once here with cdk-nag and the network plugin, as the example
 * app checks every stack.
 */
const ACCOUNTS = { networkAccount: '111111111111', prodAccount: '222222222222', devAccount: '333333333333' };

let stacks: TransitNetworkStacks;
let result: SynthResult;
let app: ReturnType<typeof newApp>;

beforeAll(() => {
  app = newApp();
  stacks = new TransitNetworkStacks(app, 'TransitNetwork', { ...ACCOUNTS, region: 'us-east-1', peerRegion: 'eu-west-1' });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NetworkValidationPlugin({ failOn: FindingSeverity.ERROR }));
  result = synthApp(app);
});

describe('example: a transit network over three accounts and two regions', () => {
  test('synthesizes with no warning, no cdk-nag or validator finding left unacknowledged', () => {
    expect(result.warnings).toEqual([]);
    expect(result.findings).toEqual([]);
  });

  test.each(['Network', 'NetworkPeer', 'Prod', 'Dev'])('stack TransitNetwork-%s matches the snapshot', (name) => {
    const stack = [stacks.networkStack, stacks.peerStack, stacks.prodStack, stacks.devStack].find((s) => s.stackName === `TransitNetwork-${name}`)!;
    expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
  });

  test('deploys in dependency order: the peer hub, the network hub, then the spokes', () => {
    expect(stacks.networkStack.dependencies).toContain(stacks.peerStack);
    expect(stacks.prodStack.dependencies).toContain(stacks.networkStack);
    expect(stacks.devStack.dependencies).toContain(stacks.networkStack);
  });

  test('the network account shares the gateway with the prod and dev accounts and holds one role per spoke account', () => {
    const network = Template.fromStack(stacks.networkStack);
    network.hasResourceProperties('AWS::RAM::ResourceShare', { Principals: Match.arrayWith(['222222222222', '333333333333']) });
    expect(Object.keys(network.findResources('AWS::IAM::Role', { Properties: { RoleName: Match.anyValue() } })).sort())
      .toEqual([expect.stringMatching(/^HubSpokeRole222222222222/), expect.stringMatching(/^HubSpokeRole333333333333/)]);
    network.resourceCountIs('AWS::EC2::TransitGatewayPeeringAttachment', 1);
    network.resourceCountIs('Custom::TransitGatewayPeeringAccepter', 1);
  });

  test('each spoke account attaches its VPC, associated with its segment, and routes the one summary', () => {
    for (const [spokeStack, segment] of [[stacks.prodStack, 'prod'], [stacks.devStack, 'dev']] as const) {
      const template = Template.fromStack(spokeStack);
      template.resourceCountIs('AWS::EC2::TransitGatewayAttachment', 1);
      template.hasResourceProperties('Custom::TransitGatewaySpokeAssociation', {
        AssociationRouteTableId: { 'Fn::GetAtt': [Match.anyValue(), `RouteTableId.${segment}`] },
      });
      template.resourceCountIs('Custom::ResourceShareInvitationAccepter', 1);
      const routes = Object.values(template.findResources('AWS::EC2::Route', { Properties: { TransitGatewayId: Match.anyValue() } }));
      expect(routes.map((r) => r.Properties.DestinationCidrBlock)).toEqual(['10.0.0.0/8', '10.0.0.0/8']);
    }
  });

  test('the model\'s matrix: prod and dev isolated, both reaching shared services, and the other region\'s shared services', () => {
    const model = NetworkModel.fromApp(app);
    const { sharedServices: shared, prodVpc: prod, devVpc: dev, peerSharedServices: peerShared } = stacks;
    // One gateway across the three accounts (the spokes' lookups resolve to the hub by its tags): nothing unknown.
    expect(model.findings).toEqual([]);
    expect(model.transitGateways.map((t) => [t.name, t.attachedVpcs.length, t.peeredWith])).toEqual([
      ['TransitNetwork-NetworkPeer/Hub', 1, ['TransitNetwork-Network/Hub']],
      ['TransitNetwork-Network/Hub', 3, ['TransitNetwork-NetworkPeer/Hub']],
    ]);
    // The intent: dev never reaches prod (certain), whatever the port.
    model.expectIsolated([prod], [dev]);
    model.expectIsolated([prod], [dev], { port: 443 });
    // Shared services and the spokes of the other accounts: one gateway, each segment's table.
    for (const spoke of [prod, dev]) {
      model.expectReach(spoke, shared);
      model.expectReach(shared, spoke);
      model.expectReach(spoke, shared, { port: 443 });
    }
    // Across the gateway peering, the model follows the requester's static routes and the
    // accepter's association and StaticRoutes (Custom::TransitGatewayPeeringAccepter): every
    // request from this region arrives in the other region's shared services.
    for (const vpc of [shared, prod, dev]) {
      expect(model.canReach(vpc, peerShared).path.filter((h) => h.direction === HopDirection.THERE).map((h) => h.routeTable).slice(1)).toEqual([
        `TransitNetwork-Network/Hub/${vpc === shared ? 'Shared' : vpc === prod ? 'Prod' : 'Dev'}RouteTable`,
        'TransitNetwork-NetworkPeer/Hub/SharedRouteTable',
      ]);
    }
    // ... and back: the peer hub routes its only spoke's summary (10.0.0.0/8) toward the gateway,
    // so the other region's shared services reach every VPC of this region and answer them.
    for (const vpc of [shared, prod, dev]) {
      model.expectReach(vpc, peerShared);
      model.expectReach(peerShared, vpc);
    }
    const matrix: string[] = [];
    const vpcs = { shared, prod, dev, peerShared };
    for (const [from, a] of Object.entries(vpcs)) {
      for (const [to, b] of Object.entries(vpcs)) {
        if (a === b) { continue; }
        const r = model.canReach(a, b);
        matrix.push(`${from}->${to}: ${r.certain ? (r.reachable ? 'reaches' : 'never') : 'unknown'}`);
      }
    }
    expect(matrix).toEqual([
      'shared->prod: reaches', 'shared->dev: reaches', 'shared->peerShared: reaches',
      'prod->shared: reaches', 'prod->dev: never', 'prod->peerShared: reaches',
      'dev->shared: reaches', 'dev->prod: never', 'dev->peerShared: reaches',
      'peerShared->shared: reaches', 'peerShared->prod: reaches', 'peerShared->dev: reaches',
    ]);
  });
});
