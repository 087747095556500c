// Moving a spoke of a TransitGatewayHub between segments, deployed with `cdk deploy --all`: the
// templates before and after, stack by stack in the CLI's order, against CloudFormation's rules
// for exports and replacements (test/support/deploy-simulation.ts). A hub with `segments`
// associates through a custom resource whose update moves the spoke (one deploy); a hub without
// them keeps 0.1's L1 association, which CloudFormation replaces (two deploys).
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { NetworkModel } from '../../lib/analysis';
import { SharedEndpoints } from '../../lib/endpoints';
import { ConnectivityError } from '../../lib/errors';
import { SegmentRouteTarget, TransitGatewayHub } from '../../lib/transit';
import { DeployedStack, simulateDeployAll, stacksOf } from '../support/deploy-simulation';
import { testVpc } from '../support/vpcs';

const ENV = { account: '111111111111', region: 'us-east-1' };
const SEGMENTS = [{ name: 'shared' }, { name: 'prod', reaches: ['shared'] }, { name: 'dev', reaches: ['shared'] }];
const ASSOCIATION_TYPE = 'Custom::TransitGatewaySpokeAssociation';

/** The hub in stack Network, shared services in stack Shared, the moving VPC in stack App: one stack each. */
interface HubApp {
  readonly app: App;
  readonly hub: TransitGatewayHub;
  readonly shared: ec2.Vpc;
  readonly moving: ec2.Vpc;
}

/** A hub with segments; the App VPC joins `segment`. */
function segmentApp(segment: string): HubApp {
  const app = new App();
  const network = new Stack(app, 'Network', { env: ENV });
  const hub = new TransitGatewayHub(network, 'Hub', { segments: SEGMENTS });
  const shared = testVpc(new Stack(app, 'Shared', { env: ENV }), 'Vpc', '10.0.0.0/16');
  const moving = testVpc(new Stack(app, 'App', { env: ENV }), 'Vpc', '10.1.0.0/16');
  hub.addSpoke(shared, { segment: 'shared' });
  hub.addSpoke(moving, { segment });
  return { app, hub, shared, moving };
}

/** A hub without segments (0.1's shared and isolated); the App VPC is isolated or not, or not a spoke. */
function implicitApp(moving: 'shared' | 'isolated' | 'absent'): HubApp {
  const app = new App();
  const network = new Stack(app, 'Network', { env: ENV });
  const hub = new TransitGatewayHub(network, 'Hub');
  const shared = testVpc(new Stack(app, 'Shared', { env: ENV }), 'Vpc', '10.0.0.0/16');
  const vpc = testVpc(new Stack(app, 'App', { env: ENV }), 'Vpc', '10.1.0.0/16');
  hub.addSpoke(shared);
  if (moving !== 'absent') { hub.addSpoke(vpc, { isolated: moving === 'isolated' }); }
  return { app, hub, shared, moving: vpc };
}

function template(stacks: DeployedStack[], name: string): any {
  return stacks.find((s) => s.stackName === name)!.template;
}

/** `<logical id> of <type>` of the resources of `type` in a template, sorted. */
function logicalIds(t: any, type: string): string[] {
  return Object.entries<any>(t.Resources).filter(([, r]) => r.Type === type).map(([id]) => id).sort();
}

/** The logical id of `element` in its stack. */
function logicalIdOf(element: CfnResource): string {
  return Stack.of(element).resolve(element.logicalId);
}

/** The logical id of the segment table a value refers to (through the hub's export, or directly). */
function tableIn(value: unknown): string | undefined {
  return JSON.stringify(value).match(/Hub(Shared|Prod|Dev|Isolated)RouteTable[0-9A-F]{8}/)?.[0];
}

describe('moving a spoke between segments of a hub with segments', () => {
  test('dev to prod deploys in one cdk deploy --all: the custom association is updated, nothing is replaced', () => {
    // GIVEN the App VPC deployed in segment dev (its stack the only user of dev's table)
    const beforeApp = segmentApp('dev');
    const before = stacksOf(beforeApp.app);

    // WHEN it moves to prod
    const afterApp = segmentApp('prod');
    const after = stacksOf(afterApp.app);
    const simulation = simulateDeployAll(before, after);

    // THEN the hub's stack deploys first, no export is removed while imported, and nothing is replaced
    expect(simulation.order.indexOf('Network')).toBeLessThan(simulation.order.indexOf('App'));
    expect(simulation.problems).toEqual([]);
    expect(simulation.replaced).toEqual([]);

    // The association is the same custom resource (same logical id), updated from dev's table to prod's
    const id = logicalIdOf(beforeApp.hub.associationResource(beforeApp.moving));
    expect(logicalIdOf(afterApp.hub.associationResource(afterApp.moving))).toBe(id);
    expect(logicalIds(template(before, 'App'), ASSOCIATION_TYPE)).toEqual([id]);
    expect(logicalIds(template(after, 'App'), ASSOCIATION_TYPE)).toEqual([id]);
    const was = template(before, 'App').Resources[id].Properties;
    const is = template(after, 'App').Resources[id].Properties;
    expect(tableIn(was.AssociationRouteTableId)).toBe(logicalIdOf(beforeApp.hub.routeTable('dev')));
    expect(tableIn(is.AssociationRouteTableId)).toBe(logicalIdOf(afterApp.hub.routeTable('prod')));
    expect(is.TransitGatewayAttachmentId).toEqual(was.TransitGatewayAttachmentId);
    expect(is.RoleArn).toBeUndefined();
    expect(logicalIds(template(after, 'App'), 'AWS::EC2::TransitGatewayRouteTableAssociation')).toEqual([]);

    // Propagations stay native: shared's is kept, dev's deleted and prod's created (an attachment may
    // propagate into several tables at once, so creating prod's before deleting dev's is allowed)
    const propagations = (h: HubApp) => h.hub.propagations(h.moving).map((p) => [logicalIdOf(p), tableIn(p.stack.resolve(p.transitGatewayRouteTableId))]);
    expect(propagations(beforeApp)).toEqual([
      [expect.stringMatching(/SharedPropagation/), logicalIdOf(beforeApp.hub.routeTable('shared'))],
      [expect.stringMatching(/DevPropagation/), logicalIdOf(beforeApp.hub.routeTable('dev'))],
    ]);
    expect(propagations(afterApp)).toEqual([
      [propagations(beforeApp)[0][0], logicalIdOf(afterApp.hub.routeTable('shared'))],
      [expect.stringMatching(/ProdPropagation/), logicalIdOf(afterApp.hub.routeTable('prod'))],
    ]);

    // Why no export is removed: the spoke's stack refers to every segment table (its function may
    // associate with and disassociate from any of them), so the hub's stack keeps exporting dev's
    // table, which the spoke's stack imported before the move
    const exported = (stacks: DeployedStack[]) => Object.values<any>(template(stacks, 'Network').Outputs ?? {})
      .map((o) => tableIn(o.Value)).filter((t) => t !== undefined).sort();
    expect(exported(after)).toEqual(exported(before));
    expect(exported(after)).toEqual(['dev', 'prod', 'shared'].map((s) => logicalIdOf(afterApp.hub.routeTable(s))).sort());

    // and the moved spoke still reaches shared services in the model
    NetworkModel.fromApp(afterApp.app).expectReach(afterApp.moving, afterApp.shared);
  });

  test('the spoke stack\'s function may associate the attachment with any of the hub\'s tables, and only its stack\'s attachments', () => {
    const { app } = segmentApp('dev');
    const role = Object.values<any>(template(stacksOf(app), 'App').Resources)
      .find((r) => r.Type === 'AWS::IAM::Role' && JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('lambda.amazonaws.com')
        && r.Properties.Path === '/cdk-vpc-connect/');
    const statements: Array<{ Action: string | string[]; Resource: unknown }> = role.Properties.Policies[0].PolicyDocument.Statement;
    const associate = statements.find((s) => ([] as string[]).concat(s.Action).includes('ec2:AssociateTransitGatewayRouteTable'))!;
    expect(associate.Action).toEqual(['ec2:AssociateTransitGatewayRouteTable', 'ec2:DisassociateTransitGatewayRouteTable']);
    const text = JSON.stringify(associate.Resource);
    expect(text.match(/Hub(Shared|Prod|Dev)RouteTable/g)?.sort()).toEqual(['HubDevRouteTable', 'HubProdRouteTable', 'HubSharedRouteTable']);
    expect(text).toMatch(/transit-gateway-attachment\/",\{"Fn::GetAtt":\["HubVpcAttachment[0-9A-F]{8}","Id"\]\}/);
    expect(text).not.toContain('*');
    // No propagation call is needed: the propagations are native resources.
    expect(JSON.stringify(statements)).not.toMatch(/Propagation/);
  });
});

describe('moving a spoke between shared and isolated of a hub without segments', () => {
  test('in one deploy CloudFormation would replace the L1 association: it creates the new one first, which fails (two deploys)', () => {
    const beforeApp = implicitApp('shared');
    const before = stacksOf(beforeApp.app);
    const afterApp = implicitApp('isolated');
    const after = stacksOf(afterApp.app);

    const simulation = simulateDeployAll(before, after);

    // The exports are fine; the association is replaced (its TransitGatewayRouteTableId changes), and
    // AWS refuses a second association of the attachment while the first exists.
    expect(simulation.problems).toEqual([]);
    const association = afterApp.hub.association(afterApp.moving);
    expect(simulation.replaced).toEqual([`App/${logicalIdOf(association)}`]);
    expect(association.cfnResourceType).toBe('AWS::EC2::TransitGatewayRouteTableAssociation');
    expect(logicalIdOf(beforeApp.hub.association(beforeApp.moving))).toBe(logicalIdOf(association));
    expect(logicalIds(template(after, 'App'), ASSOCIATION_TYPE)).toEqual([]);
  });

  test('the two-step procedure (remove the spoke and deploy, add it back isolated and deploy) replaces nothing', () => {
    const before = stacksOf(implicitApp('shared').app);
    const removed = stacksOf(implicitApp('absent').app);
    const isolated = stacksOf(implicitApp('isolated').app);

    const first = simulateDeployAll(before, removed);
    const second = simulateDeployAll(removed, isolated);

    expect(first.problems).toEqual([]);
    expect(first.replaced).toEqual([]);
    expect(logicalIds(template(removed, 'App'), 'AWS::EC2::TransitGatewayRouteTableAssociation')).toEqual([]);
    expect(second.problems).toEqual([]);
    expect(second.replaced).toEqual([]);
    expect(logicalIds(template(isolated, 'App'), 'AWS::EC2::TransitGatewayRouteTableAssociation')).toHaveLength(1);
  });
});

describe('adding segments to a hub deployed without them', () => {
  test('CloudFormation refuses it in one deploy: each association changes type under its logical id (the README gives the two steps)', () => {
    // GIVEN a deployed hub without segments, and the same spokes on a hub with segments
    const without = stacksOf(implicitApp('shared').app);
    const withSegments = stacksOf(segmentApp('prod').app);

    // WHEN deployed in one go, THEN the spoke stacks' updates are refused, naming the resource and both types
    const direct = simulateDeployAll(without, withSegments);
    expect(direct.problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^App\/\w+: CloudFormation refuses to change a resource's type \(AWS::EC2::TransitGatewayRouteTableAssociation to Custom::TransitGatewaySpokeAssociation\)$/),
    ]));
  });
});

describe('TransitGatewayHub association(vpc) and associationResource(vpc)', () => {
  test('a hub with segments: association(vpc) fails, naming the custom resource and associationResource(vpc)', () => {
    const { hub, moving } = segmentApp('dev');
    expect(() => hub.association(moving)).toThrow(ConnectivityError);
    expect(() => hub.association(moving)).toThrow(
      'association(App/Vpc): hub Network/Hub declares segments (shared, prod, dev), so the association of spoke App/Vpc with the table of ' +
      'segment \'dev\' is a custom resource (Custom::TransitGatewaySpokeAssociation, which moves it between segments in one deploy), not an ' +
      'AWS::EC2::TransitGatewayRouteTableAssociation. Use associationResource(vpc), which returns the association of any hub\'s spoke.');
    const resource = hub.associationResource(moving);
    expect(resource.cfnResourceType).toBe(ASSOCIATION_TYPE);
    expect(resource.node.scope!.node.id).toBe('Association');
    // Routes toward the gateway wait for the association
    expect(hub.spokeRoutes(moving)).not.toHaveLength(0);
    for (const route of hub.spokeRoutes(moving)) {
      expect(route.node.dependencies).toEqual(expect.arrayContaining([hub.attachment(moving), resource]));
    }
  });

  test('a hub without segments: associationResource(vpc) is the L1 association(vpc) returns', () => {
    const { hub, moving } = implicitApp('isolated');
    expect(hub.associationResource(moving)).toBe(hub.association(moving));
    expect(hub.associationResource(moving).cfnResourceType).toBe('AWS::EC2::TransitGatewayRouteTableAssociation');
    expect(tableIn(hub.association(moving).stack.resolve(hub.association(moving).transitGatewayRouteTableId))).toBe(logicalIdOf(hub.isolatedRouteTable!));
  });

  test('a VPC that is not a spoke: both fail the same way', () => {
    const { hub, app } = segmentApp('dev');
    const other = testVpc(new Stack(app, 'Other', { env: ENV }), 'Vpc', '10.9.0.0/16');
    expect(() => hub.associationResource(other)).toThrow(/VPC Other\/Vpc is not a spoke of this transit gateway hub \(spokes: Shared\/Vpc, App\/Vpc\)/);
    expect(() => hub.association(other)).toThrow(/VPC Other\/Vpc is not a spoke of this transit gateway hub/);
  });
});

describe('who the hub routes between, for other constructs (they cannot compare the table ids of custom associations)', () => {
  /** One stack: shared services, prod and dev reaching shared, lab reaching no other segment but routing 10.0.0.0/16 to shared statically. */
  function segmentHub() {
    const app = new App();
    const stack = new Stack(app, 'Network', { env: ENV });
    const [shared, prod, dev, lab] = ['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16']
      .map((cidr, i) => testVpc(stack, ['Shared', 'Prod', 'Dev', 'Lab'][i], cidr));
    const hub = new TransitGatewayHub(stack, 'Hub', {
      segments: [...SEGMENTS, { name: 'lab', routes: [{ destination: '10.0.0.0/16', to: SegmentRouteTarget.spoke(shared) }] }],
    });
    hub.addSpoke(shared, { segment: 'shared' });
    hub.addSpoke(prod, { segment: 'prod' });
    hub.addSpoke(dev, { segment: 'dev' });
    hub.addSpoke(lab, { segment: 'lab', routes: { enabled: false } });
    return { app, stack, hub, shared, prod, dev, lab };
  }

  test('propagations and static routes toward a spoke count; segments that do not reach each other do not', () => {
    const { hub, shared, prod, dev, lab } = segmentHub();
    expect(hub._routesBetween(prod, shared)).toBe(true);
    expect(hub._routesBetween(shared, prod)).toBe(true);
    expect(hub._routesBetween(prod, dev)).toBe(false);
    // lab's table routes to shared's attachment statically; shared's table has nothing of lab
    expect(hub._routesBetween(lab, shared)).toBe(true);
    expect(hub._routesBetween(shared, lab)).toBe(false);
  });

  test('SharedEndpoints checks its consumers against a hub with segments, whose association(vpc) it no longer calls', () => {
    const { app, stack, shared, prod, dev, lab } = segmentHub();
    new SharedEndpoints(stack, 'Endpoints', { vpc: shared, interfaces: [ec2.InterfaceVpcEndpointAwsService.SNS], consumers: [prod, dev, lab] });
    expect(() => app.synth()).toThrow(/Consumer Network\/Lab \(10\.3\.0\.0\/16\) has no route to the shared VPC Network\/Shared/);
    expect(() => app.synth()).not.toThrow(/Consumer Network\/(Prod|Dev)/);
  });
});
