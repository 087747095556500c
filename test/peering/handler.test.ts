// The custom-resource handler is plain JavaScript (the Lambda asset as it is); these tests run
// it with fake EC2 and STS clients, instant waits and a fake clock.
import { awsError, FakeRoute } from '../support/aws-errors';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS module whose exports the tests replace
const handlerModule = require('../../lib/peering/private/handler/index.js');

type Call = [string, object];


/** An EC2 API in memory: peering states to go through, route tables, and the calls made. */
class FakeEc2 {
  public readonly calls: Call[] = [];
  /** What DescribeVpcPeeringConnections returns, one entry per call (the last repeats); undefined = NotFound. */
  public peeringStates: Array<string | undefined> = ['active'];
  public readonly tables = new Map<string, FakeRoute[]>();
  public failCreateOn?: string;
  public modifyError?: Error;

  constructor(public readonly region: string, public readonly credentials: unknown) {}

  public async describeVpcPeeringConnections(input: { VpcPeeringConnectionIds: string[] }) {
    this.calls.push(['describeVpcPeeringConnections', input]);
    const state = this.peeringStates.length > 1 ? this.peeringStates.shift() : this.peeringStates[0];
    if (state === undefined) { throw awsError('InvalidVpcPeeringConnectionID.NotFound'); }
    return { VpcPeeringConnections: [{ VpcPeeringConnectionId: input.VpcPeeringConnectionIds[0], Status: { Code: state, Message: `is ${state}` } }] };
  }

  public async describeRouteTables(input: { RouteTableIds: string[] }) {
    this.calls.push(['describeRouteTables', input]);
    const routes = this.tables.get(input.RouteTableIds[0]);
    if (!routes) { throw awsError('InvalidRouteTableID.NotFound'); }
    return { RouteTables: [{ RouteTableId: input.RouteTableIds[0], Routes: routes.map((r) => ({ ...r })) }] };
  }

  public async createRoute(input: FakeRoute & { RouteTableId: string }) {
    this.calls.push(['createRoute', input]);
    const routes = this.table(input.RouteTableId);
    if (this.failCreateOn && (input.DestinationCidrBlock ?? input.DestinationIpv6CidrBlock) === this.failCreateOn) {
      throw awsError('RouteLimitExceeded', 'too many routes');
    }
    if (this.find(routes, input)) { throw awsError('RouteAlreadyExists', 'The route identified by ... already exists.'); }
    routes.push({ DestinationCidrBlock: input.DestinationCidrBlock, DestinationIpv6CidrBlock: input.DestinationIpv6CidrBlock, VpcPeeringConnectionId: input.VpcPeeringConnectionId, State: 'active' });
    return {};
  }

  public async replaceRoute(input: FakeRoute & { RouteTableId: string }) {
    this.calls.push(['replaceRoute', input]);
    const route = this.find(this.table(input.RouteTableId), input);
    if (!route) { throw awsError('InvalidRoute.NotFound'); }
    route.VpcPeeringConnectionId = input.VpcPeeringConnectionId;
    return {};
  }

  public async deleteRoute(input: FakeRoute & { RouteTableId: string }) {
    this.calls.push(['deleteRoute', input]);
    const routes = this.table(input.RouteTableId);
    const route = this.find(routes, input);
    if (!route) { throw awsError('InvalidRoute.NotFound'); }
    routes.splice(routes.indexOf(route), 1);
    return {};
  }

  public async modifyVpcPeeringConnectionOptions(input: Record<string, unknown>) {
    this.calls.push(['modifyVpcPeeringConnectionOptions', input]);
    if (this.modifyError) { throw this.modifyError; }
    return {};
  }

  public names(): string[] {
    return this.calls.map(([name]) => name);
  }

  public writes(): Call[] {
    return this.calls.filter(([name]) => !name.startsWith('describe'));
  }

  private table(id: string): FakeRoute[] {
    const routes = this.tables.get(id);
    if (!routes) { throw awsError('InvalidRouteTableID.NotFound'); }
    return routes;
  }

  private find(routes: FakeRoute[], input: FakeRoute): FakeRoute | undefined {
    return routes.find((r) => (input.DestinationCidrBlock !== undefined
      ? r.DestinationCidrBlock === input.DestinationCidrBlock
      : r.DestinationIpv6CidrBlock === input.DestinationIpv6CidrBlock));
  }
}

let ec2: FakeEc2;
let ec2Clients: Array<{ region: string; credentials: unknown }>;
let stsCalls: Array<{ region: string; input: unknown }>;
let clock: number;
let sleeps: number[];

beforeEach(() => {
  ec2 = new FakeEc2('eu-west-1', undefined);
  ec2.tables.set('rtb-1', [{ DestinationCidrBlock: '10.20.0.0/16', GatewayId: 'local', State: 'active' }]);
  ec2.tables.set('rtb-2', []);
  ec2Clients = [];
  stsCalls = [];
  clock = 0;
  sleeps = [];
  process.env.AWS_REGION = 'us-east-1';
  handlerModule.clients = {
    ec2: (region: string, credentials: unknown) => {
      ec2Clients.push({ region, credentials });
      return ec2;
    },
    sts: (region: string) => ({
      assumeRole: async (input: unknown) => {
        stsCalls.push({ region, input });
        return { Credentials: { AccessKeyId: 'AKIA', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(0) } };
      },
    }),
  };
  handlerModule.now = () => clock;
  handlerModule.sleep = async (ms: number) => { sleeps.push(ms); clock += ms; };
  handlerModule.log = () => undefined;
  handlerModule.settings = { ...handlerModule.settings, initialDelayMs: 1000, maxDelayMs: 8000, safetyMarginMs: 60000, defaultBudgetMs: 14 * 60 * 1000 };
});

const ROUTES = {
  ServiceToken: 'arn:aws:lambda:us-east-1:111111111111:function:x',
  PeeringConnectionId: 'pcx-1',
  Region: 'eu-west-1',
  RouteTableIds: ['rtb-1', 'rtb-2'],
  DestinationCidrBlocks: ['10.0.0.0/16'],
  DestinationIpv6CidrBlocks: ['2600:1f18:0:100::/56'],
};

function routesEvent(requestType: string, props: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { RequestType: requestType, ResourceType: 'Custom::VpcConnectPeeringRoutes', ResourceProperties: props, ...extra };
}

function dnsEvent(requestType: string, props: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { RequestType: requestType, ResourceType: 'Custom::VpcConnectPeeringDns', ResourceProperties: props, ...extra };
}

function pcxRoutes(table: string): FakeRoute[] {
  return ec2.tables.get(table)!.filter((r) => r.VpcPeeringConnectionId !== undefined);
}

describe('Custom::VpcConnectPeeringRoutes', () => {
  test('create without a role: EC2 client of the given region, one route per table and destination', async () => {
    // WHEN
    const response = await handlerModule.handler(routesEvent('Create', ROUTES));

    // THEN
    expect(response).toEqual({ PhysicalResourceId: 'vpc-connect-routes:eu-west-1:pcx-1' });
    expect(stsCalls).toEqual([]);
    expect(ec2Clients).toEqual([{ region: 'eu-west-1', credentials: undefined }]);
    expect(ec2.writes()).toEqual([
      ['createRoute', { RouteTableId: 'rtb-1', VpcPeeringConnectionId: 'pcx-1', DestinationCidrBlock: '10.0.0.0/16' }],
      ['createRoute', { RouteTableId: 'rtb-1', VpcPeeringConnectionId: 'pcx-1', DestinationIpv6CidrBlock: '2600:1f18:0:100::/56' }],
      ['createRoute', { RouteTableId: 'rtb-2', VpcPeeringConnectionId: 'pcx-1', DestinationCidrBlock: '10.0.0.0/16' }],
      ['createRoute', { RouteTableId: 'rtb-2', VpcPeeringConnectionId: 'pcx-1', DestinationIpv6CidrBlock: '2600:1f18:0:100::/56' }],
    ]);
  });

  test('create with a role: assumes it through the regional STS endpoint of the function and uses its credentials', async () => {
    await handlerModule.handler(routesEvent('Create', { ...ROUTES, RoleArn: 'arn:aws:iam::222222222222:role/accepter' }));

    expect(stsCalls).toEqual([{ region: 'us-east-1', input: { RoleArn: 'arn:aws:iam::222222222222:role/accepter', RoleSessionName: 'cdk-vpc-connect' } }]);
    expect(ec2Clients).toEqual([{
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIA', secretAccessKey: 'secret', sessionToken: 'token', expiration: new Date(0) },
    }]);
    expect(pcxRoutes('rtb-1')).toHaveLength(2);
  });

  test('without a Region, uses the function\'s region', async () => {
    const response = await handlerModule.handler(routesEvent('Create', { ...ROUTES, Region: undefined }));

    expect(ec2Clients[0].region).toBe('us-east-1');
    expect(response.PhysicalResourceId).toBe('vpc-connect-routes:us-east-1:pcx-1');
  });

  test('a role that cannot be assumed fails with what to deploy first', async () => {
    handlerModule.clients.sts = () => ({ assumeRole: async () => { throw awsError('AccessDenied', 'not authorized to perform sts:AssumeRole'); } });

    await expect(handlerModule.handler(routesEvent('Create', { ...ROUTES, RoleArn: 'arn:aws:iam::222222222222:role/accepter' })))
      .rejects.toThrow(/Could not assume role arn:aws:iam::222222222222:role\/accepter \(AccessDenied.*PeeringAccepterRole stack first/);
  });

  test('retries a peering that is not found yet, with growing waits, then creates the routes', async () => {
    // GIVEN: eventual consistency of a peering created a moment ago
    ec2.peeringStates = [undefined, undefined, undefined, 'active'];

    // WHEN
    await handlerModule.handler(routesEvent('Create', ROUTES));

    // THEN
    expect(sleeps).toEqual([1000, 2000, 4000]);
    expect(ec2.names().filter((n) => n === 'describeVpcPeeringConnections')).toHaveLength(4);
    expect(pcxRoutes('rtb-2')).toHaveLength(2);
  });

  test('waits through pending-acceptance and provisioning until active, backoff capped', async () => {
    ec2.peeringStates = ['pending-acceptance', 'pending-acceptance', 'provisioning', 'provisioning', 'provisioning', 'active'];

    await handlerModule.handler(routesEvent('Create', ROUTES));

    expect(sleeps).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect(ec2.writes().length).toBe(4);
    expect(ec2.names().indexOf('createRoute')).toBeGreaterThan(ec2.names().lastIndexOf('describeVpcPeeringConnections'));
  });

  test('gives up before the function times out, saying what it last saw', async () => {
    ec2.peeringStates = ['pending-acceptance'];

    await expect(handlerModule.handler(routesEvent('Create', ROUTES), { getRemainingTimeInMillis: () => 90000 }))
      .rejects.toThrow(/pcx-1 did not become active in time \(last seen: pending-acceptance\)\. It waits for the accepter/);
    // 90 s minus the 60 s margin leaves 30 s of waiting
    expect(clock).toBeLessThanOrEqual(30000);
    expect(ec2.writes()).toEqual([]);
  });

  test.each(['failed', 'rejected', 'expired', 'deleted'])('fails clearly on a peering that is %s', async (state) => {
    ec2.peeringStates = ['pending-acceptance', state];

    await expect(handlerModule.handler(routesEvent('Create', ROUTES)))
      .rejects.toThrow(new RegExp(`VPC peering connection pcx-1 is ${state}: is ${state}\\. It can never become active`));
    expect(ec2.writes()).toEqual([]);
  });

  test('a route that exists already toward the same peering is success', async () => {
    ec2.tables.get('rtb-2')!.push({ DestinationCidrBlock: '10.0.0.0/16', VpcPeeringConnectionId: 'pcx-1', State: 'active' });

    await handlerModule.handler(routesEvent('Create', ROUTES));

    expect(pcxRoutes('rtb-2')).toEqual([
      expect.objectContaining({ DestinationCidrBlock: '10.0.0.0/16', VpcPeeringConnectionId: 'pcx-1' }),
      expect.objectContaining({ DestinationIpv6CidrBlock: '2600:1f18:0:100::/56', VpcPeeringConnectionId: 'pcx-1' }),
    ]);
  });

  test('an existing IPv6 route is recognised in EC2\'s canonical form', async () => {
    ec2.tables.get('rtb-2')!.push({ DestinationIpv6CidrBlock: '2600:1f18:0:100::/56', VpcPeeringConnectionId: 'pcx-1' });

    await handlerModule.handler(routesEvent('Create', { ...ROUTES, DestinationIpv6CidrBlocks: ['2600:1F18:0000:0100:0:0:0:0/56'] }));
    // The route is taken as there already, not created a second time
    expect(ec2.tables.get('rtb-2')!.filter((r: { DestinationIpv6CidrBlock?: string }) => r.DestinationIpv6CidrBlock === '2600:1f18:0:100::/56')).toHaveLength(1);
    expect(handlerModule.canonicalIpv6('2001:DB8:0:0:1:0:0:0/64')).toBe('2001:db8:0:0:1::/64');
    expect(handlerModule.canonicalIpv6('::/0')).toBe('::/0');
  });

  test('a route that exists toward another target fails clearly and undoes the routes it created', async () => {
    // GIVEN
    ec2.tables.get('rtb-2')!.push({ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'igw-9', State: 'active' });

    // THEN
    await expect(handlerModule.handler(routesEvent('Create', ROUTES)))
      .rejects.toThrow(/Route table rtb-2 already has a route to 10.0.0.0\/16 through igw-9, so it cannot route it to the peering connection pcx-1/);
    expect(pcxRoutes('rtb-1')).toEqual([]);
    expect(ec2.tables.get('rtb-2')).toEqual([{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'igw-9', State: 'active' }]);
  });

  test('another create error undoes the routes created so far', async () => {
    ec2.failCreateOn = '2600:1f18:0:100::/56';

    await expect(handlerModule.handler(routesEvent('Create', ROUTES))).rejects.toThrow(/Failed creating the route to 2600:1f18:0:100::\/56 in rtb-1 toward pcx-1: RouteLimitExceeded/);
    expect(pcxRoutes('rtb-1')).toEqual([]);
  });

  test('update: creates added routes and deletes removed ones, keeping the physical id', async () => {
    // GIVEN
    await handlerModule.handler(routesEvent('Create', ROUTES));
    ec2.calls.length = 0;
    const updated = { ...ROUTES, RouteTableIds: ['rtb-1'], DestinationCidrBlocks: ['10.0.0.0/16', '10.1.0.0/16'] };

    // WHEN
    const response = await handlerModule.handler(routesEvent('Update', updated, { OldResourceProperties: ROUTES, PhysicalResourceId: 'vpc-connect-routes:eu-west-1:pcx-1' }));

    // THEN
    expect(response).toEqual({ PhysicalResourceId: 'vpc-connect-routes:eu-west-1:pcx-1' });
    expect(ec2.writes()).toEqual([
      ['createRoute', { RouteTableId: 'rtb-1', VpcPeeringConnectionId: 'pcx-1', DestinationCidrBlock: '10.1.0.0/16' }],
      ['deleteRoute', { RouteTableId: 'rtb-2', DestinationCidrBlock: '10.0.0.0/16' }],
      ['deleteRoute', { RouteTableId: 'rtb-2', DestinationIpv6CidrBlock: '2600:1f18:0:100::/56' }],
    ]);
    expect(pcxRoutes('rtb-2')).toEqual([]);
  });

  test('update with a new role only: same physical id, the new role is used', async () => {
    const withRole = { ...ROUTES, RoleArn: 'arn:aws:iam::222222222222:role/new' };

    const response = await handlerModule.handler(routesEvent('Update', withRole, { OldResourceProperties: ROUTES, PhysicalResourceId: 'vpc-connect-routes:eu-west-1:pcx-1' }));

    expect(response).toEqual({ PhysicalResourceId: 'vpc-connect-routes:eu-west-1:pcx-1' });
    expect(stsCalls).toEqual([expect.objectContaining({ input: expect.objectContaining({ RoleArn: 'arn:aws:iam::222222222222:role/new' }) })]);
    expect(ec2.writes()).toEqual([]);
  });

  test('update to another peering: new set under a new physical id, routes of the old peering switched; the old delete leaves them', async () => {
    // GIVEN
    await handlerModule.handler(routesEvent('Create', ROUTES));
    const replaced = { ...ROUTES, PeeringConnectionId: 'pcx-2' };
    ec2.calls.length = 0;

    // WHEN
    const response = await handlerModule.handler(routesEvent('Update', replaced, { OldResourceProperties: ROUTES, PhysicalResourceId: 'vpc-connect-routes:eu-west-1:pcx-1' }));
    // CloudFormation then deletes the old resource
    await handlerModule.handler(routesEvent('Delete', ROUTES, { PhysicalResourceId: 'vpc-connect-routes:eu-west-1:pcx-1' }));

    // THEN
    // the new physical id records the 4 routes switched over from pcx-1 (4 characters each), for the rollback
    expect(response.PhysicalResourceId).toMatch(/^vpc-connect-routes:eu-west-1:pcx-2;from=pcx-1;sw=[\w-]{16}$/);
    expect(ec2.names().filter((n) => n === 'replaceRoute')).toHaveLength(4);
    expect(ec2.names()).not.toContain('deleteRoute');
    for (const table of ['rtb-1', 'rtb-2']) {
      expect(pcxRoutes(table).map((r) => r.VpcPeeringConnectionId)).toEqual(['pcx-2', 'pcx-2']);
    }
  });

  test('update to another region: new physical id', async () => {
    const moved = { ...ROUTES, Region: 'eu-central-1', PeeringConnectionId: 'pcx-1' };

    const response = await handlerModule.handler(routesEvent('Update', moved, { OldResourceProperties: ROUTES, PhysicalResourceId: 'vpc-connect-routes:eu-west-1:pcx-1' }));

    expect(response).toEqual({ PhysicalResourceId: 'vpc-connect-routes:eu-central-1:pcx-1' });
    expect(ec2Clients.map((c) => c.region)).toEqual(['eu-central-1']);
  });

  test('delete: removes every route of the peering, ignoring routes, tables and peerings that are gone', async () => {
    // GIVEN
    await handlerModule.handler(routesEvent('Create', ROUTES));
    ec2.tables.get('rtb-1')!.splice(1, 1); // one route removed by hand
    ec2.peeringStates = [undefined]; // and the peering is gone too
    ec2.calls.length = 0;

    // WHEN
    const response = await handlerModule.handler(routesEvent('Delete', { ...ROUTES, RouteTableIds: ['rtb-1', 'rtb-2', 'rtb-gone'] }, { PhysicalResourceId: 'vpc-connect-routes:eu-west-1:pcx-1' }));

    // THEN
    expect(response).toEqual({ PhysicalResourceId: 'vpc-connect-routes:eu-west-1:pcx-1' });
    expect(pcxRoutes('rtb-1')).toEqual([]);
    expect(pcxRoutes('rtb-2')).toEqual([]);
    expect(ec2.tables.get('rtb-1')).toEqual([{ DestinationCidrBlock: '10.20.0.0/16', GatewayId: 'local', State: 'active' }]);
    expect(ec2.names()).not.toContain('describeVpcPeeringConnections');
  });

  test('delete: a route that disappears between the look and the delete is ignored', async () => {
    await handlerModule.handler(routesEvent('Create', ROUTES));
    const deleteRoute = ec2.deleteRoute.bind(ec2);
    ec2.deleteRoute = async (input) => { await deleteRoute(input); throw awsError('InvalidRoute.NotFound'); };

    await expect(handlerModule.handler(routesEvent('Delete', ROUTES, { PhysicalResourceId: 'vpc-connect-routes:eu-west-1:pcx-1' }))).resolves.toEqual({ PhysicalResourceId: 'vpc-connect-routes:eu-west-1:pcx-1' });
  });

  test('delete: leaves a route to the same destination that points at another target', async () => {
    ec2.tables.get('rtb-2')!.push({ DestinationCidrBlock: '10.0.0.0/16', VpcPeeringConnectionId: 'pcx-other' });

    await handlerModule.handler(routesEvent('Delete', ROUTES, { PhysicalResourceId: 'vpc-connect-routes:eu-west-1:pcx-1' }));

    expect(ec2.writes()).toEqual([]);
    expect(pcxRoutes('rtb-2')).toEqual([{ DestinationCidrBlock: '10.0.0.0/16', VpcPeeringConnectionId: 'pcx-other' }]);
  });

  test('rejects malformed properties', async () => {
    await expect(handlerModule.handler(routesEvent('Create', { ...ROUTES, PeeringConnectionId: 'vpc-1' }))).rejects.toThrow(/PeeringConnectionId must be a peering connection id/);
    await expect(handlerModule.handler(routesEvent('Create', { ...ROUTES, RouteTableIds: 'rtb-1' }))).rejects.toThrow(/RouteTableIds must be a list of strings/);
    await expect(handlerModule.handler({ RequestType: 'Create', ResourceType: 'Custom::Other', ResourceProperties: ROUTES })).rejects.toThrow(/Unsupported resource type Custom::Other/);
  });
});

describe('Custom::VpcConnectPeeringDns', () => {
  const DNS = { PeeringConnectionId: 'pcx-1', Region: 'eu-west-1', Side: 'accepter', AllowDnsResolutionFromRemoteVpc: 'true' };

  test.each([
    ['requester', 'RequesterPeeringConnectionOptions'],
    ['accepter', 'AccepterPeeringConnectionOptions'],
  ])('create on the %s side: waits until active, then sets its option', async (side, key) => {
    // GIVEN
    ec2.peeringStates = [undefined, 'provisioning', 'active'];

    // WHEN
    const response = await handlerModule.handler(dnsEvent('Create', { ...DNS, Side: side }));

    // THEN
    expect(response).toEqual({ PhysicalResourceId: `vpc-connect-dns:eu-west-1:pcx-1:${side}` });
    expect(sleeps).toEqual([1000, 2000]);
    expect(ec2.writes()).toEqual([['modifyVpcPeeringConnectionOptions', { VpcPeeringConnectionId: 'pcx-1', [key]: { AllowDnsResolutionFromRemoteVpc: true } }]]);
  });

  test('the accepter side goes through the role, in the accepter region', async () => {
    await handlerModule.handler(dnsEvent('Create', { ...DNS, RoleArn: 'arn:aws:iam::222222222222:role/accepter' }));

    expect(stsCalls).toHaveLength(1);
    expect(ec2Clients).toEqual([expect.objectContaining({ region: 'eu-west-1', credentials: expect.objectContaining({ accessKeyId: 'AKIA' }) })]);
  });

  test('a refused option says that both VPCs need DNS hostnames and support', async () => {
    ec2.modifyError = awsError('OperationNotPermitted', 'Peering pcx-1 is not authorized');

    await expect(handlerModule.handler(dnsEvent('Create', DNS))).rejects.toThrow(/was refused .*need DNS hostnames and DNS support enabled/);
  });

  test('update to false sets false and keeps the physical id; another side gets a new one', async () => {
    const same = await handlerModule.handler(dnsEvent('Update', { ...DNS, AllowDnsResolutionFromRemoteVpc: 'false' }, { OldResourceProperties: DNS, PhysicalResourceId: 'old-id' }));
    const moved = await handlerModule.handler(dnsEvent('Update', { ...DNS, Side: 'requester' }, { OldResourceProperties: DNS, PhysicalResourceId: 'old-id' }));

    expect(same).toEqual({ PhysicalResourceId: 'old-id' });
    expect(moved).toEqual({ PhysicalResourceId: 'vpc-connect-dns:eu-west-1:pcx-1:requester' });
    expect(ec2.writes()[0]).toEqual(['modifyVpcPeeringConnectionOptions', { VpcPeeringConnectionId: 'pcx-1', AccepterPeeringConnectionOptions: { AllowDnsResolutionFromRemoteVpc: false } }]);
  });

  test('delete reverts the option to false', async () => {
    const response = await handlerModule.handler(dnsEvent('Delete', DNS, { PhysicalResourceId: 'dns-id' }));

    expect(response).toEqual({ PhysicalResourceId: 'dns-id' });
    expect(ec2.writes()).toEqual([['modifyVpcPeeringConnectionOptions', { VpcPeeringConnectionId: 'pcx-1', AccepterPeeringConnectionOptions: { AllowDnsResolutionFromRemoteVpc: false } }]]);
  });

  test.each([['gone', undefined], ['deleted', 'deleted'], ['not accepted', 'pending-acceptance']])('delete does nothing when the peering is %s', async (_name, state) => {
    ec2.peeringStates = [state];

    await expect(handlerModule.handler(dnsEvent('Delete', DNS, { PhysicalResourceId: 'dns-id' }))).resolves.toEqual({ PhysicalResourceId: 'dns-id' });
    expect(ec2.writes()).toEqual([]);
    expect(sleeps).toEqual([]);
  });

  test('delete ignores a peering that goes away while the option is reverted', async () => {
    ec2.peeringStates = ['active', 'deleted'];
    ec2.modifyError = awsError('InvalidVpcPeeringConnectionID.NotFound');

    await expect(handlerModule.handler(dnsEvent('Delete', DNS, { PhysicalResourceId: 'dns-id' }))).resolves.toEqual({ PhysicalResourceId: 'dns-id' });
  });

  test('delete fails when an active peering refuses the revert', async () => {
    ec2.modifyError = awsError('UnauthorizedOperation', 'not authorized');

    await expect(handlerModule.handler(dnsEvent('Delete', DNS, { PhysicalResourceId: 'dns-id' }))).rejects.toThrow(/UnauthorizedOperation/);
  });

  test('rejects a side or a flag it does not know', async () => {
    await expect(handlerModule.handler(dnsEvent('Create', { ...DNS, Side: 'both' }))).rejects.toThrow(/Side must be 'requester' or 'accepter', got "both"/);
    await expect(handlerModule.handler(dnsEvent('Create', { ...DNS, AllowDnsResolutionFromRemoteVpc: 'yes' }))).rejects.toThrow(/must be 'true' or 'false', got "yes"/);
  });
});
