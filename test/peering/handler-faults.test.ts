// Fault injection for the peering custom-resource handler: the real AWS SDK v3 clients, mocked with
// aws-sdk-client-mock over an in-memory EC2, driven through the function's real entrypoint
// (`__entrypoint__.js`, which PUTs its answer to a loopback server standing in for CloudFormation's
// response URL) with the event sequences CloudFormation sends (create, update, rollback, cleanup
// delete). Waits are instant and the clock is fake.
import {
  CreateRouteCommand, DeleteRouteCommand, DescribeRouteTablesCommand, DescribeVpcPeeringConnectionsCommand, EC2Client,
  ModifyVpcPeeringConnectionOptionsCommand, ReplaceRouteCommand,
} from '@aws-sdk/client-ec2';
import {
  AssumeRoleCommand, STSClient,
} from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError, FakeRoute } from '../support/aws-errors';
import { ResponseServer } from '../support/response-server';

// The peering handler and the function's entrypoint, wired to it in beforeEach (in the zip they sit side by side)
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS modules whose exports the tests replace
const handlerModule = require('../../lib/peering/private/handler/index.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
const entrypoint = require('../../lib/private/handler/__entrypoint__.js');

const CREATE_FAILED_MARKER = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';
const ROLE = 'arn:aws:iam::222222222222:role/accepter';

type Route = FakeRoute;


/** The accepter's EC2, in memory. */
class World {
  public readonly tables = new Map<string, Route[]>();
  public readonly peerings = new Map<string, string>();
  public readonly writes: Array<[string, Record<string, unknown>]> = [];
  /** Errors to throw, per command name, one per call, before the command runs. */
  public readonly faults = new Map<string, Error[]>();
  /** Milliseconds each call takes. */
  public callMs = 0;

  public fault(command: string, ...errors: Error[]): void {
    this.faults.set(command, [...(this.faults.get(command) ?? []), ...errors]);
  }

  public run(command: string, input: Record<string, unknown>): unknown {
    clock += this.callMs;
    const next = this.faults.get(command)?.shift();
    if (next) { throw next; }
    switch (command) {
      case 'DescribeVpcPeeringConnections': {
        const id = (input.VpcPeeringConnectionIds as string[])[0];
        const state = this.peerings.get(id);
        if (!state) { throw awsError('InvalidVpcPeeringConnectionID.NotFound'); }
        return { VpcPeeringConnections: [{ VpcPeeringConnectionId: id, Status: { Code: state, Message: state } }] };
      }
      case 'DescribeRouteTables': {
        const id = (input.RouteTableIds as string[])[0];
        const routes = this.tables.get(id);
        if (!routes) { throw awsError('InvalidRouteTableID.NotFound'); }
        return { RouteTables: [{ RouteTableId: id, Routes: routes.map((r) => ({ ...r, State: this.stateOf(r) })) }] };
      }
      case 'CreateRoute': {
        const routes = this.table(input);
        if (this.find(routes, input)) { throw awsError('RouteAlreadyExists'); }
        this.writes.push([command, input]);
        routes.push({ DestinationCidrBlock: input.DestinationCidrBlock as string | undefined, VpcPeeringConnectionId: input.VpcPeeringConnectionId as string });
        return {};
      }
      case 'ReplaceRoute': {
        const route = this.find(this.table(input), input);
        if (!route) { throw awsError('InvalidRoute.NotFound'); }
        this.writes.push([command, input]);
        route.VpcPeeringConnectionId = input.VpcPeeringConnectionId as string;
        delete route.GatewayId;
        return {};
      }
      case 'DeleteRoute': {
        const routes = this.table(input);
        const route = this.find(routes, input);
        if (!route) { throw awsError('InvalidRoute.NotFound'); }
        this.writes.push([command, input]);
        routes.splice(routes.indexOf(route), 1);
        return {};
      }
      case 'ModifyVpcPeeringConnectionOptions':
        this.writes.push([command, input]);
        return {};
      default:
        throw new Error(`unexpected ${command}`);
    }
  }

  /** The peering routes of a table, as `cidr>pcx`. */
  public routes(table: string): string[] {
    return (this.tables.get(table) ?? []).filter((r) => r.VpcPeeringConnectionId).map((r) => `${r.DestinationCidrBlock}>${r.VpcPeeringConnectionId}`);
  }

  public names(): string[] {
    return this.writes.map(([name]) => name);
  }

  private stateOf(route: Route): string {
    return route.VpcPeeringConnectionId && this.peerings.get(route.VpcPeeringConnectionId) !== 'active' ? 'blackhole' : 'active';
  }

  private table(input: Record<string, unknown>): Route[] {
    const routes = this.tables.get(input.RouteTableId as string);
    if (!routes) { throw awsError('InvalidRouteTableID.NotFound'); }
    return routes;
  }

  private find(routes: Route[], input: Record<string, unknown>): Route | undefined {
    return routes.find((r) => r.DestinationCidrBlock === input.DestinationCidrBlock);
  }
}

const ec2Mock = mockClient(EC2Client);
const stsMock = mockClient(STSClient);
let world: World;
let clock: number;
let sleeps: number[];
let logs: string[];
/** The resources of the stack, as cloudformation:ListStackResources returns them; undefined: AccessDenied. */
let stackResources: Array<{ LogicalResourceId: string; PhysicalResourceId?: string; ResourceType: string; ResourceStatus: string }> | undefined;

beforeEach(() => {
  world = new World();
  world.peerings.set('pcx-1', 'active');
  world.tables.set('rtb-1', [{ DestinationCidrBlock: '10.20.0.0/16', GatewayId: 'local' }]);
  world.tables.set('rtb-2', [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1' }]);
  clock = 1_000_000;
  sleeps = [];
  logs = [];
  stackResources = [];
  process.env.AWS_REGION = 'us-east-1';

  ec2Mock.reset();
  stsMock.reset();
  const commands = {
    DescribeVpcPeeringConnections: DescribeVpcPeeringConnectionsCommand,
    DescribeRouteTables: DescribeRouteTablesCommand,
    CreateRoute: CreateRouteCommand,
    ReplaceRoute: ReplaceRouteCommand,
    DeleteRoute: DeleteRouteCommand,
    ModifyVpcPeeringConnectionOptions: ModifyVpcPeeringConnectionOptionsCommand,
  };
  for (const [name, command] of Object.entries(commands)) {
     
    ec2Mock.on(command as any).callsFake((input: Record<string, unknown>) => world.run(name, input));
  }
  stsMock.on(AssumeRoleCommand).resolves({
    Credentials: { AccessKeyId: 'AKIA', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(0) },
  });

  // The CloudFormation client is not a dependency of the package (the Lambda runtime ships it): a fake.
  handlerModule.clients.cfn = () => ({
    listStackResources: async () => {
      if (!stackResources) { throw awsError('AccessDenied', 'not authorized to perform: cloudformation:ListStackResources'); }
      return { StackResourceSummaries: stackResources };
    },
  });
  handlerModule.now = () => clock;
  handlerModule.sleep = async (ms: number) => { sleeps.push(ms); clock += ms; };
  handlerModule.random = () => 0.5;
  handlerModule.log = (...args: unknown[]) => { logs.push(args.join(' ')); };
  handlerModule.settings = {
    initialDelayMs: 1000, maxDelayMs: 8000, safetyMarginMs: 60000, defaultBudgetMs: 14 * 60 * 1000,
    throttleBaseMs: 500, throttleMaxMs: 10000, throttleAttempts: 8,
  };
  entrypoint.log = () => undefined;
  // The function's zip holds the two files side by side (handlerCode); here they are wired by hand.
  entrypoint.userHandler = (event: unknown, context: unknown) => handlerModule.handler(event, context);
});

let server: ResponseServer;
beforeAll(async () => { server = await ResponseServer.start(); });
afterAll(async () => { await server.close(); });

/** Send one request through the entrypoint; the one response it PUT to the response URL. */
async function throughEntrypoint(event: Record<string, unknown>, context: Record<string, unknown>): Promise<Response> {
  const before = server.received.length;
  await entrypoint.handler({ ...event, ResponseURL: server.url }, context);
  expect(server.received.length - before).toBe(1);
  return server.received[server.received.length - 1].json;
}

const PROPS = {
  ServiceToken: 'arn:aws:lambda:us-east-1:111111111111:function:provider',
  PeeringConnectionId: 'pcx-1',
  Region: 'eu-west-1',
  RoleArn: ROLE,
  RouteTableIds: ['rtb-1', 'rtb-2'],
  DestinationCidrBlocks: ['10.0.0.0/16', '10.1.0.0/16'],
};

interface Response { Status: string; Reason: string; PhysicalResourceId: string }

/** One CloudFormation request through the provider entrypoint; the response it sends back. */
async function cfn(
  requestType: 'Create' | 'Update' | 'Delete',
  props: Record<string, unknown>,
  extra: { PhysicalResourceId?: string; OldResourceProperties?: Record<string, unknown>; LogicalResourceId?: string } = {},
  remainingMs = 15 * 60 * 1000,
): Promise<Response> {
  const start = clock;
  return throughEntrypoint({
    RequestType: requestType,
    ResourceType: 'Custom::VpcConnectPeeringRoutes',
    StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/Requester/1',
    RequestId: 'request',
    LogicalResourceId: 'PeeringRoutes',
    ResourceProperties: props,
    ...extra,
  }, { getRemainingTimeInMillis: () => remainingMs - (clock - start) });
}

const ALL_ROUTES = ['10.0.0.0/16>pcx-1', '10.1.0.0/16>pcx-1'];

describe('Create that fails halfway, and its rollback', () => {
  test('the created routes are undone, CloudFormation gets FAILED with the marker id, and the rollback delete touches nothing', async () => {
    // GIVEN: the third route fails
    let creates = 0;
    const run = world.run.bind(world);
    world.run = (command, input) => {
      if (command === 'CreateRoute' && ++creates === 3) { throw awsError('RouteLimitExceeded', 'route limit exceeded'); }
      return run(command, input);
    };

    // WHEN
    const create = await cfn('Create', PROPS);
    const rollback = await cfn('Delete', PROPS, { PhysicalResourceId: create.PhysicalResourceId });

    // THEN
    expect(create).toMatchObject({ Status: 'FAILED', PhysicalResourceId: CREATE_FAILED_MARKER });
    expect(create.Reason).toMatch(/Failed creating the route to 10.0.0.0\/16 in rtb-2 toward pcx-1: RouteLimitExceeded/);
    expect(world.names()).toEqual(['CreateRoute', 'CreateRoute', 'DeleteRoute', 'DeleteRoute']);
    expect(rollback.Status).toBe('SUCCESS');
    expect(world.routes('rtb-1')).toEqual([]);
    expect(world.routes('rtb-2')).toEqual([]);
  });

  test('a Create that never answered (the function died) leaves no record: its delete removes nothing and succeeds', async () => {
    // GIVEN: a route it made before it died, and a hand-made one
    world.tables.get('rtb-1')!.push({ DestinationCidrBlock: '10.0.0.0/16', VpcPeeringConnectionId: 'pcx-1' });

    const rollback = await cfn('Delete', PROPS, { PhysicalResourceId: 'PeeringRoutes-1A2B3C' });

    expect(rollback.Status).toBe('SUCCESS');
    expect(world.writes).toEqual([]);
    expect(logs.join('\n')).toMatch(/records no routes created by this resource \(its Create did not finish\): nothing to remove/);
  });

  test('the blackholes it left once its peering is deleted are replaced by the next Create', async () => {
    // GIVEN: routes of an interrupted Create toward pcx-0, whose peering was deleted by the rollback
    world.peerings.set('pcx-0', 'deleted');
    world.tables.get('rtb-1')!.push({ DestinationCidrBlock: '10.0.0.0/16', VpcPeeringConnectionId: 'pcx-0' });

    // WHEN
    const create = await cfn('Create', PROPS);

    // THEN
    expect(create.Status).toBe('SUCCESS');
    expect(world.writes[0]).toEqual(['ReplaceRoute', expect.objectContaining({ RouteTableId: 'rtb-1', DestinationCidrBlock: '10.0.0.0/16', VpcPeeringConnectionId: 'pcx-1' })]);
    expect(world.routes('rtb-1')).toEqual(ALL_ROUTES);
    // replaced, so owned: its delete removes it
    await cfn('Delete', PROPS, { PhysicalResourceId: create.PhysicalResourceId });
    expect(world.routes('rtb-1')).toEqual([]);
  });

  test('a route toward another peering that is still active is not replaced', async () => {
    world.peerings.set('pcx-9', 'active');
    world.tables.get('rtb-2')!.push({ DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: 'pcx-9' });

    const create = await cfn('Create', PROPS);

    expect(create.Reason).toMatch(/Route table rtb-2 already has a route to 10.1.0.0\/16 through pcx-9, so it cannot route it/);
    expect(world.routes('rtb-2')).toEqual(['10.1.0.0/16>pcx-9']);
    expect(world.routes('rtb-1')).toEqual([]);
  });
});

describe('Update with a bad property, and its rollback', () => {
  test('the update fails before writing; the rollback, which gets the bad properties as old ones, succeeds', async () => {
    // GIVEN
    const { PhysicalResourceId } = await cfn('Create', PROPS);
    world.writes.length = 0;
    const bad = { ...PROPS, RouteTableIds: ['rtb-1', ''] };

    // WHEN
    const update = await cfn('Update', bad, { PhysicalResourceId, OldResourceProperties: PROPS });
    const rollback = await cfn('Update', PROPS, { PhysicalResourceId, OldResourceProperties: bad });

    // THEN
    expect(update.Status).toBe('FAILED');
    expect(update.Reason).toMatch(/RouteTableIds must be a list of strings, got \["rtb-1",""\]/);
    expect(rollback).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId });
    expect(world.writes).toEqual([]);
    expect(world.routes('rtb-1')).toEqual(ALL_ROUTES);
    expect(world.routes('rtb-2')).toEqual(ALL_ROUTES);
  });

  test('a rollback whose old properties name no peering at all still puts back every route', async () => {
    const { PhysicalResourceId } = await cfn('Create', PROPS);
    world.tables.get('rtb-2')!.splice(1); // routes lost in the failed update

    const rollback = await cfn('Update', PROPS, { PhysicalResourceId, OldResourceProperties: { ...PROPS, PeeringConnectionId: 'garbage' } });

    expect(rollback).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId });
    expect(world.routes('rtb-2')).toEqual(ALL_ROUTES);
  });

  test('a delete with unreadable properties succeeds and says why it removes nothing', async () => {
    const response = await cfn('Delete', { ...PROPS, DestinationCidrBlocks: 'x' }, { PhysicalResourceId: 'vpc-connect-routes:eu-west-1:pcx-1' });

    expect(response.Status).toBe('SUCCESS');
    expect(logs.join('\n')).toMatch(/ResourceProperties ignored: DestinationCidrBlocks must be a list of strings[\s\S]*no route of this resource is known/);
  });
});

describe('Update with replacement (another peering), and its rollback', () => {
  beforeEach(() => { world.peerings.set('pcx-2', 'active'); });

  test('cleanup: the old resource\'s delete leaves the routes switched to the new peering', async () => {
    const create = await cfn('Create', PROPS);
    const update = await cfn('Update', { ...PROPS, PeeringConnectionId: 'pcx-2' }, { PhysicalResourceId: create.PhysicalResourceId, OldResourceProperties: PROPS });
    const cleanup = await cfn('Delete', PROPS, { PhysicalResourceId: create.PhysicalResourceId });

    expect(update.Status).toBe('SUCCESS');
    expect(update.PhysicalResourceId).toMatch(/^vpc-connect-routes:eu-west-1:pcx-2;from=pcx-1;sw=/);
    expect(cleanup.Status).toBe('SUCCESS');
    expect(world.routes('rtb-1')).toEqual(['10.0.0.0/16>pcx-2', '10.1.0.0/16>pcx-2']);
    expect(world.routes('rtb-2')).toEqual(['10.0.0.0/16>pcx-2', '10.1.0.0/16>pcx-2']);
  });

  test('rollback: deleting the new resource points the switched routes back at the old peering and removes the ones it created', async () => {
    // GIVEN: the new set adds a destination
    const create = await cfn('Create', PROPS);
    const newProps = { ...PROPS, PeeringConnectionId: 'pcx-2', DestinationCidrBlocks: ['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16'] };
    const update = await cfn('Update', newProps, { PhysicalResourceId: create.PhysicalResourceId, OldResourceProperties: PROPS });

    // WHEN: a later resource fails, CloudFormation rolls back and deletes the new resource
    const rollback = await cfn('Delete', newProps, { PhysicalResourceId: update.PhysicalResourceId });

    // THEN
    expect(rollback.Status).toBe('SUCCESS');
    expect(world.routes('rtb-1')).toEqual(ALL_ROUTES);
    expect(world.routes('rtb-2')).toEqual(ALL_ROUTES);
  });

  test('a rollback sent as an update back to the old peering switches the routes back, and the new one\'s delete removes what it added', async () => {
    const create = await cfn('Create', PROPS);
    const newProps = { ...PROPS, PeeringConnectionId: 'pcx-2', DestinationCidrBlocks: ['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16'] };
    const update = await cfn('Update', newProps, { PhysicalResourceId: create.PhysicalResourceId, OldResourceProperties: PROPS });

    const back = await cfn('Update', PROPS, { PhysicalResourceId: update.PhysicalResourceId, OldResourceProperties: newProps });
    const cleanup = await cfn('Delete', newProps, { PhysicalResourceId: update.PhysicalResourceId });

    expect(back.Status).toBe('SUCCESS');
    expect(back.PhysicalResourceId).toMatch(/^vpc-connect-routes:eu-west-1:pcx-1;from=pcx-2;sw=/);
    expect(cleanup.Status).toBe('SUCCESS');
    expect(world.routes('rtb-1')).toEqual(ALL_ROUTES);
    expect(world.routes('rtb-2')).toEqual(ALL_ROUTES);
  });

  test('once the old peering is gone, deleting the resource removes the routes it switched over', async () => {
    const create = await cfn('Create', PROPS);
    const update = await cfn('Update', { ...PROPS, PeeringConnectionId: 'pcx-2' }, { PhysicalResourceId: create.PhysicalResourceId, OldResourceProperties: PROPS });
    world.peerings.delete('pcx-1');

    await cfn('Delete', { ...PROPS, PeeringConnectionId: 'pcx-2' }, { PhysicalResourceId: update.PhysicalResourceId });

    expect(world.routes('rtb-1')).toEqual([]);
    expect(world.routes('rtb-2')).toEqual([]);
  });
});

describe('Delete when there is nothing left to clean', () => {
  test('after the peering is gone: the blackhole routes it owns are removed', async () => {
    const { PhysicalResourceId } = await cfn('Create', PROPS);
    world.peerings.delete('pcx-1');

    const response = await cfn('Delete', PROPS, { PhysicalResourceId });

    expect(response.Status).toBe('SUCCESS');
    expect(world.routes('rtb-1')).toEqual([]);
  });

  test('after the role is gone: succeeds, and the log says that nothing could be cleaned', async () => {
    const { PhysicalResourceId } = await cfn('Create', PROPS);
    stsMock.on(AssumeRoleCommand).rejects(awsError('AccessDenied', 'is not authorized to perform: sts:AssumeRole'));

    const response = await cfn('Delete', PROPS, { PhysicalResourceId });

    expect(response.Status).toBe('SUCCESS');
    expect(logs.join('\n')).toMatch(/Could not assume role arn:aws:iam::222222222222:role\/accepter \(AccessDenied[\s\S]*Nothing can be cleaned/);
  });

  test('after the route tables are gone: succeeds', async () => {
    const { PhysicalResourceId } = await cfn('Create', PROPS);
    world.tables.clear();

    expect((await cfn('Delete', PROPS, { PhysicalResourceId })).Status).toBe('SUCCESS');
  });

  test('fails only when a route it owns is still there and cannot be removed', async () => {
    const { PhysicalResourceId } = await cfn('Create', PROPS);
    world.fault('DeleteRoute', awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'));

    const response = await cfn('Delete', PROPS, { PhysicalResourceId });

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/Failed deleting the route to 10.0.0.0\/16 in rtb-1: UnauthorizedOperation/);
  });
});

describe('Route ownership', () => {
  test('a route that pointed at the peering before the Create is recorded and never removed', async () => {
    // GIVEN: a hand-made route toward the same peering
    world.tables.get('rtb-2')!.push({ DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: 'pcx-1' });

    // WHEN
    const create = await cfn('Create', PROPS);
    const shrink = { ...PROPS, RouteTableIds: ['rtb-1'] };
    await cfn('Update', shrink, { PhysicalResourceId: create.PhysicalResourceId, OldResourceProperties: PROPS });

    // THEN: the update removed its own route of rtb-2, not the hand-made one
    expect(create.PhysicalResourceId).toMatch(/^vpc-connect-routes:eu-west-1:pcx-1;keep=[\w-]{4}$/);
    expect(world.routes('rtb-2')).toEqual(['10.1.0.0/16>pcx-1']);

    // and the delete leaves it too
    await cfn('Delete', shrink, { PhysicalResourceId: create.PhysicalResourceId });
    expect(world.routes('rtb-1')).toEqual([]);
    expect(world.routes('rtb-2')).toEqual(['10.1.0.0/16>pcx-1']);
  });

  test('a logical-id change (new resource created, then the old one deleted) keeps the routes, and the new one removes them later', async () => {
    // GIVEN: the old resource, live in the stack
    const old = await cfn('Create', PROPS, { LogicalResourceId: 'OldRoutes' });
    stackResources = [{ LogicalResourceId: 'OldRoutes', PhysicalResourceId: old.PhysicalResourceId, ResourceType: 'Custom::VpcConnectPeeringRoutes', ResourceStatus: 'CREATE_COMPLETE' }];

    // WHEN: the new one is created, then the old one deleted in the cleanup
    const created = await cfn('Create', PROPS, { LogicalResourceId: 'NewRoutes' });
    stackResources = [
      { LogicalResourceId: 'NewRoutes', PhysicalResourceId: created.PhysicalResourceId, ResourceType: 'Custom::VpcConnectPeeringRoutes', ResourceStatus: 'CREATE_COMPLETE' },
      { LogicalResourceId: 'OldRoutes', PhysicalResourceId: old.PhysicalResourceId, ResourceType: 'Custom::VpcConnectPeeringRoutes', ResourceStatus: 'DELETE_IN_PROGRESS' },
    ];
    const cleanup = await cfn('Delete', PROPS, { PhysicalResourceId: old.PhysicalResourceId, LogicalResourceId: 'OldRoutes' });

    // THEN
    expect(created.PhysicalResourceId).toMatch(/^vpc-connect-routes:eu-west-1:pcx-1;inh=[\w-]{16}$/);
    expect(cleanup.Status).toBe('SUCCESS');
    expect(world.routes('rtb-1')).toEqual(ALL_ROUTES);
    expect(world.routes('rtb-2')).toEqual(ALL_ROUTES);

    // and the routes now belong to the new resource
    stackResources = [];
    await cfn('Delete', PROPS, { PhysicalResourceId: created.PhysicalResourceId, LogicalResourceId: 'NewRoutes' });
    expect(world.routes('rtb-1')).toEqual([]);
  });

  test('the rollback of a logical-id change (the new resource deleted, the old one stays) leaves the routes to the old one', async () => {
    const old = await cfn('Create', PROPS, { LogicalResourceId: 'OldRoutes' });
    const live = { LogicalResourceId: 'OldRoutes', PhysicalResourceId: old.PhysicalResourceId, ResourceType: 'Custom::VpcConnectPeeringRoutes', ResourceStatus: 'UPDATE_COMPLETE' };
    stackResources = [live];
    const created = await cfn('Create', PROPS, { LogicalResourceId: 'NewRoutes' });

    const rollback = await cfn('Delete', PROPS, { PhysicalResourceId: created.PhysicalResourceId, LogicalResourceId: 'NewRoutes' });

    expect(rollback.Status).toBe('SUCCESS');
    expect(world.routes('rtb-1')).toEqual(ALL_ROUTES);
    expect(world.names().filter((n) => n === 'DeleteRoute')).toEqual([]);
  });

  test('without cloudformation:ListStackResources, found routes count as not its own, and the log says why', async () => {
    world.tables.get('rtb-1')!.push({ DestinationCidrBlock: '10.0.0.0/16', VpcPeeringConnectionId: 'pcx-1' });
    stackResources = undefined;

    const create = await cfn('Create', PROPS);

    expect(create.PhysicalResourceId).toMatch(/;keep=[\w-]{4}$/);
    expect(logs.join('\n')).toMatch(/could not list the resources of stack .*AccessDenied/);
  });
});

describe('Throttling', () => {
  test('throttled calls are retried with growing, jittered waits', async () => {
    world.fault('CreateRoute', awsError('RequestLimitExceeded', 'Request limit exceeded.'), awsError('RequestLimitExceeded'), awsError('Throttling'));
    world.fault('DescribeVpcPeeringConnections', awsError('RequestLimitExceeded'));
    stsMock.on(AssumeRoleCommand)
      .rejectsOnce(awsError('Throttling', 'Rate exceeded'))
      .resolves({ Credentials: { AccessKeyId: 'AKIA', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(0) } });

    const create = await cfn('Create', PROPS);

    expect(create.Status).toBe('SUCCESS');
    // half of the cap (random 0.5): 500, 1000, 2000 ms for the three CreateRoute retries
    expect(sleeps).toEqual([250, 250, 250, 500, 1000]);
    expect(world.routes('rtb-2')).toEqual(ALL_ROUTES);
  });

  test('a call still throttled after the attempts fails, and the routes created are undone', async () => {
    world.tables.get('rtb-2')!.length = 0;
    let creates = 0;
    const run = world.run.bind(world);
    world.run = (command, input) => {
      if (command === 'CreateRoute' && ++creates > 2) { throw awsError('RequestLimitExceeded', 'Request limit exceeded.'); }
      return run(command, input);
    };

    const create = await cfn('Create', PROPS);

    expect(create.Status).toBe('FAILED');
    expect(create.Reason).toMatch(/Failed creating the route to 10.0.0.0\/16 in rtb-2 toward pcx-1 \(still throttled after 8 attempts\): RequestLimitExceeded/);
    expect(sleeps).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
    expect(world.routes('rtb-1')).toEqual([]);
  });
});

describe('Time', () => {
  test('a peering that never becomes active fails before the timeout, with nothing written', async () => {
    world.peerings.set('pcx-1', 'pending-acceptance');

    const create = await cfn('Create', PROPS, {}, 5 * 60 * 1000);

    expect(create.Status).toBe('FAILED');
    expect(create.Reason).toMatch(/pcx-1 did not become active in time \(last seen: pending-acceptance\)\. It waits for the accepter/);
    expect(clock - 1_000_000).toBeLessThanOrEqual(4 * 60 * 1000);
    expect(world.writes).toEqual([]);
  });

  test('waiting and work share one budget: a peering that becomes active late leaves less time for the routes', async () => {
    // GIVEN: 2 minutes left (60 s of budget after the margin), 47 s of waiting, then 2 s per call
    world.peerings.set('pcx-1', 'pending-acceptance');
    let looks = 0;
    const run = world.run.bind(world);
    world.run = (command, input) => {
      if (command === 'DescribeVpcPeeringConnections' && ++looks === 9) { world.peerings.set('pcx-1', 'active'); world.callMs = 2000; }
      return run(command, input);
    };
    const tables = Array.from({ length: 10 }, (_, i) => `rtb-${i + 10}`);
    tables.forEach((t) => world.tables.set(t, []));

    // WHEN
    const start = clock;
    const create = await cfn('Create', { ...PROPS, RouteTableIds: tables }, {}, 2 * 60 * 1000);

    // THEN
    expect(sleeps).toEqual([1000, 2000, 4000, 8000, 8000, 8000, 8000, 8000]);
    expect(create.Status).toBe('FAILED');
    expect(create.Reason).toMatch(/Out of time before creating the route to \S+ in rtb-\d+ toward pcx-1: the function stops 60 s before its timeout to undo its partial work/);
    expect(clock - start).toBeLessThan(2 * 60 * 1000);
    expect(tables.flatMap((t) => world.routes(t))).toEqual([]);
  });

  test('work that outlasts the budget stops before the timeout, undoes its routes in the margin and says what to do', async () => {
    // GIVEN: 50 tables, 4 destinations, each call takes 2 s, 10 minutes left
    const tables = Array.from({ length: 50 }, (_, i) => `rtb-${i + 10}`);
    tables.forEach((t) => world.tables.set(t, []));
    world.callMs = 2000;
    const props = { ...PROPS, RouteTableIds: tables, DestinationCidrBlocks: ['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16'] };
    const remaining = 10 * 60 * 1000;

    // WHEN
    const start = clock;
    const create = await cfn('Create', props, {}, remaining);

    // THEN
    expect(create.Status).toBe('FAILED');
    expect(create.Reason).toMatch(/Out of time before creating the route to \S+ in rtb-\d+: undoing the \d+ routes written so far takes the rest of the time/);
    expect(world.names().filter((n) => n === 'CreateRoute').length).toBeGreaterThan(100);
    expect(clock - start).toBeLessThan(remaining);
    expect(tables.flatMap((t) => world.routes(t))).toEqual([]);
  });
});

describe('Custom::VpcConnectPeeringDns', () => {
  const DNS = { ServiceToken: 'x', PeeringConnectionId: 'pcx-1', Region: 'eu-west-1', RoleArn: ROLE, Side: 'accepter', AllowDnsResolutionFromRemoteVpc: 'true' };

  async function dns(requestType: string, props: Record<string, unknown>, extra: Record<string, unknown>): Promise<Response> {
    return throughEntrypoint({
      RequestType: requestType, ResourceType: 'Custom::VpcConnectPeeringDns',
      StackId: 's', RequestId: 'r', LogicalResourceId: 'Dns', ResourceProperties: props, ...extra,
    }, { getRemainingTimeInMillis: () => 15 * 60 * 1000 });
  }

  test('an update with a bad side fails, and its rollback succeeds on the same physical id', async () => {
    const id = 'vpc-connect-dns:eu-west-1:pcx-1:accepter';
    const update = await dns('Update', { ...DNS, Side: 'both' }, { PhysicalResourceId: id, OldResourceProperties: DNS });
    const rollback = await dns('Update', DNS, { PhysicalResourceId: id, OldResourceProperties: { ...DNS, Side: 'both' } });

    expect(update.Status).toBe('FAILED');
    expect(rollback).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: id });
  });

  test('a Create refused by EC2 fails with the marker id, and its rollback delete is acknowledged without another call (which could fail the rollback too)', async () => {
    // GIVEN the accepter's role may not change the option
    world.fault('ModifyVpcPeeringConnectionOptions', awsError('UnauthorizedOperation', 'not authorized'), awsError('UnauthorizedOperation', 'not authorized'));

    // WHEN
    const create = await dns('Create', DNS, {});
    const rollback = await dns('Delete', DNS, { PhysicalResourceId: create.PhysicalResourceId });

    // THEN
    expect(create).toMatchObject({ Status: 'FAILED', PhysicalResourceId: CREATE_FAILED_MARKER });
    expect(create.Reason).toMatch(/not authorized/);
    expect(rollback).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: CREATE_FAILED_MARKER });
    expect(ec2Mock.commandCalls(ModifyVpcPeeringConnectionOptionsCommand)).toHaveLength(1);
  });

  test('a delete whose role is gone succeeds and says so', async () => {
    stsMock.on(AssumeRoleCommand).rejects(awsError('AccessDenied', 'not authorized'));

    const response = await dns('Delete', DNS, { PhysicalResourceId: 'vpc-connect-dns:eu-west-1:pcx-1:accepter' });

    expect(response.Status).toBe('SUCCESS');
    expect(logs.join('\n')).toMatch(/Could not assume role .* The option is left as it is/);
  });
});
