import { App, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { RouteDestinationStyle, TransitGatewayHub, TransitGatewayHubProps } from '../../lib/transit';
import { checkPrefixListHeadroom, prefixListMaxEntries, prefixListName } from '../../lib/transit/prefix-lists';
import { newApp, synthApp } from '../support/synth-app';
import { testVpc } from '../support/vpcs';

const ENV = { account: '111111111111', region: 'us-east-1' };

/** shared, prod and dev (prod and dev reach shared only), routed through prefix lists. */
function issueHub(app: App = new App(), extra: Partial<TransitGatewayHubProps> = {}) {
  const stack = new Stack(app, 'Network', { env: ENV });
  const vpcs = { shared: testVpc(stack, 'Shared', '10.0.0.0/16'), prod: testVpc(stack, 'Prod', '10.1.0.0/16'), dev: testVpc(stack, 'Dev', '10.2.0.0/16') };
  const hub = new TransitGatewayHub(stack, 'Hub', {
    segments: [{ name: 'shared' }, { name: 'prod', reaches: ['shared'] }, { name: 'dev', reaches: ['shared'] }],
    routeWith: RouteDestinationStyle.PREFIX_LIST,
    ...extra,
  });
  for (const [segment, vpc] of Object.entries(vpcs)) { hub.addSpoke(vpc, { segment }); }
  return { app, stack, hub, ...vpcs };
}

describe('TransitGatewayHub routeWith: RouteDestinationStyle.PREFIX_LIST', () => {
  test('one prefix list per segment, of the blocks the segment reaches, sized to them', () => {
    const { stack, hub } = issueHub();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::PrefixList', 3);
    const entries = (segment: string) => {
      const props = template.toJSON().Resources[stack.getLogicalId(hub.prefixList(segment)!)].Properties;
      return { max: props.MaxEntries, cidrs: props.Entries.map((e: { Cidr: string }) => e.Cidr) };
    };
    expect(entries('shared')).toEqual({ max: 3, cidrs: ['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16'] });
    expect(entries('prod')).toEqual({ max: 2, cidrs: ['10.0.0.0/16', '10.1.0.0/16'] });
    expect(entries('dev')).toEqual({ max: 2, cidrs: ['10.0.0.0/16', '10.2.0.0/16'] });
    template.hasResourceProperties('AWS::EC2::PrefixList', {
      AddressFamily: 'IPv4', PrefixListName: 'Network/Hub prod', Tags: [{ Key: 'Name', Value: 'Network/Hub prod' }],
      Entries: Match.arrayWith([{ Cidr: '10.0.0.0/16', Description: 'Network/Shared' }]),
    });
  });

  test('one route per spoke route table, to its segment\'s prefix list, instead of one per block', () => {
    const { stack, hub, prod } = issueHub();
    const template = Template.fromStack(stack);
    template.resourcePropertiesCountIs('AWS::EC2::Route', { DestinationCidrBlock: Match.stringLikeRegexp('^10\\.'), TransitGatewayId: Match.anyValue() }, 0);
    // 3 spokes x 4 route tables
    template.resourcePropertiesCountIs('AWS::EC2::Route', { DestinationPrefixListId: Match.anyValue() }, 12);
    const prodRoutes = hub.spokeRoutes(prod);
    expect(prodRoutes).toHaveLength(4);
    for (const route of prodRoutes) {
      expect(stack.resolve(route.destinationPrefixListId)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(hub.prefixList('prod')!), 'PrefixListId'] });
      expect(stack.resolve(route.transitGatewayId)).toEqual({ Ref: stack.getLogicalId(hub.transitGateway!) });
      expect(route.obtainDependencies()).toEqual(expect.arrayContaining([hub.attachment(prod), hub.associationResource(prod)]));
    }
  });

  test('prefixListHeadroom adds free entries to every list', () => {
    const { stack, hub } = issueHub(new App(), { prefixListHeadroom: 5 });
    expect(stack.resolve(hub.prefixList('shared')!.maxEntries)).toBe(8);
    expect(stack.resolve(hub.prefixList('prod')!.maxEntries)).toBe(7);
  });

  test('spokes of other stacks route to the list of the hub\'s stack, which holds their literal blocks', () => {
    const app = newApp();
    const hubStack = new Stack(app, 'Network', { env: ENV });
    const spokeStack = new Stack(app, 'Spoke', { env: ENV });
    const hub = new TransitGatewayHub(hubStack, 'Hub', { routeWith: RouteDestinationStyle.PREFIX_LIST, spokes: [testVpc(hubStack, 'VpcA', '10.0.0.0/16')] });
    hub.addSpoke(testVpc(spokeStack, 'VpcB', '10.1.0.0/16'));
    Template.fromStack(spokeStack).resourcePropertiesCountIs('AWS::EC2::Route', { DestinationPrefixListId: { 'Fn::ImportValue': Match.anyValue() } }, 4);
    Template.fromStack(hubStack).hasResourceProperties('AWS::EC2::PrefixList', { Entries: [{ Cidr: '10.0.0.0/16', Description: 'Network/VpcA' }, { Cidr: '10.1.0.0/16', Description: 'Spoke/VpcB' }] });
    expect(synthApp(app).warnings).toEqual([]);
  });

  test('a deploy-time block of a spoke of another account is left out of the list, with a warning', () => {
    const app = new App();
    const stack = new Stack(app, 'Network', { env: ENV });
    const other = new Stack(app, 'Other', { env: { ...ENV, account: '222222222222' } });
    const hub = new TransitGatewayHub(stack, 'Hub', { routeWith: RouteDestinationStyle.PREFIX_LIST, spokes: [testVpc(stack, 'Vpc', '10.0.0.0/16')] });
    const remote = ec2.Vpc.fromVpcAttributes(other, 'Remote', {
      vpcId: 'vpc-0123456789abcdef0', vpcCidrBlock: Fn.importValue('RemoteCidr'), availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-0123456789abcdef0'],
    });
    hub._addRemoteSpoke({ vpc: remote, segment: 'shared', scope: other });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::PrefixList', { Entries: [{ Cidr: '10.0.0.0/16', Description: 'Network/Vpc' }], MaxEntries: 1 });
    Annotations.fromStack(stack).hasWarning('/Network/Hub', Match.stringLikeRegexp("The prefix list of segment 'shared' leaves out a block of spoke Other/Remote: it is only known at deploy time"));
  });

  describe('limits', () => {
    test('a prefix-list route counts as the list\'s max entries against the routes of a VPC route table', () => {
      const app = new App({ context: { 'cdk-vpc-connect:quotas': { routesPerRouteTable: 4 } } });
      issueHub(app, { prefixListHeadroom: 2 });
      // A public table also holds its default route to the internet gateway: it counts too.
      expect(() => synthApp(app)).toThrow(/Route table PublicSubnet1RouteTable of spoke Network\/Shared \(IPv4, the prefix list counted as its 5 max entries\) has 6 routes, above the quota of 4 routes per route table/);
      expect(() => synthApp(app)).toThrow(/Route table IsolatedSubnet1RouteTable of spoke Network\/Shared \(IPv4, the prefix list counted as its 5 max entries\) has 5 routes/);
    });

    test('max entries above the entries-per-prefix-list quota', () => {
      const app = new App({ context: { 'cdk-vpc-connect:quotas': { entriesPerPrefixList: 2 } } });
      issueHub(app);
      expect(() => synthApp(app)).toThrow(/Prefix list of segment 'shared' of Network\/Hub has 3 max entries, above the quota of 2 entries per prefix list/);
    });
  });

  describe('bad input', () => {
    test('prefixListHeadroom without PREFIX_LIST, or negative', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      expect(() => new TransitGatewayHub(stack, 'H1', { prefixListHeadroom: 3 }))
        .toThrow(/prefixListHeadroom \(3\) only applies with routeWith: RouteDestinationStyle.PREFIX_LIST/);
      expect(() => new TransitGatewayHub(stack, 'H2', { prefixListHeadroom: -1, routeWith: RouteDestinationStyle.PREFIX_LIST }))
        .toThrow(/prefixListHeadroom must be a whole number of entries, 0 or more, got -1/);
    });

    test('routes.destinations with PREFIX_LIST, on the hub or a spoke', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      expect(() => new TransitGatewayHub(stack, 'H1', { routeWith: RouteDestinationStyle.PREFIX_LIST, routes: { destinations: ['10.0.0.0/8'] } }))
        .toThrow(/routes.destinations \(summary blocks\) and routeWith: RouteDestinationStyle.PREFIX_LIST both shorten the spokes' route tables.*choose one/);
      const hub = new TransitGatewayHub(stack, 'H2', { routeWith: RouteDestinationStyle.PREFIX_LIST });
      expect(() => hub.addSpoke(testVpc(stack, 'Vpc', '10.0.0.0/16'), { routes: { destinations: ['10.0.0.0/8'] } }))
        .toThrow(/Spoke Stack\/Vpc: routes.destinations \(summary blocks\) and the hub's routeWith: RouteDestinationStyle.PREFIX_LIST/);
    });
  });

  describe('pure helpers', () => {
    test('max entries: the entries plus the headroom, at least 1', () => {
      expect(prefixListMaxEntries(3, 0)).toBe(3);
      expect(prefixListMaxEntries(3, 5)).toBe(8);
      expect(prefixListMaxEntries(0, 0)).toBe(1);
    });

    test('headroom: a whole number, 0 or more', () => {
      expect(checkPrefixListHeadroom(0)).toBeUndefined();
      expect(checkPrefixListHeadroom(1.5)).toMatch(/got 1.5/);
    });

    test('names: at most 255 characters, never starting with com.amazonaws', () => {
      expect(prefixListName('Network/Hub prod')).toBe('Network/Hub prod');
      expect([...prefixListName('x'.repeat(300))].length).toBeLessThanOrEqual(255);
      expect(prefixListName('x'.repeat(300))).not.toBe(prefixListName(`${'x'.repeat(299)}y`));
      expect(prefixListName('com.amazonaws.hub')).not.toMatch(/^com\.amazonaws/);
    });
  });
});
