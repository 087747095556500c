// Fault injection for the transit custom-resource handler (lib/transit/private/handler/index.js): the
// real AWS SDK v3 EC2 and STS clients, mocked with aws-sdk-client-mock over an in-memory transit
// gateway, driven through the shared entrypoint (lib/private/handler/__entrypoint__.js, which PUTs
// its answer to a loopback server standing in for CloudFormation's response URL) with the event
// sequences CloudFormation sends. RAM (not a dependency of the package) is a fake with the same
// method names. Waits are instant and the clock is fake.
import {
  AcceptTransitGatewayPeeringAttachmentCommand, AcceptTransitGatewayVpcAttachmentCommand, AssociateTransitGatewayRouteTableCommand,
  CreateTransitGatewayRouteCommand, DeleteTransitGatewayRouteCommand, DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewayRouteTablesCommand, DescribeTransitGatewaysCommand, DisableTransitGatewayRouteTablePropagationCommand,
  DisassociateTransitGatewayRouteTableCommand, EC2Client, EnableTransitGatewayRouteTablePropagationCommand,
  GetTransitGatewayAttachmentPropagationsCommand, SearchTransitGatewayRoutesCommand,
} from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError } from '../support/aws-errors';
import { ResponseServer } from '../support/response-server';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS modules whose exports the tests replace
const entrypoint = require('../../lib/private/handler/__entrypoint__.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const handlerModule = require('../../lib/transit/private/handler/index.js');

const CREATE_FAILED_MARKER = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';
const ROLE = 'arn:aws:iam::111111111111:role/hub-spokes';
const TGW = 'tgw-0123456789abcdef0';
const ATT = 'tgw-attach-0000000000000001';
const PEER_ATT = 'tgw-attach-00000000000000p1';
const SHARED = 'tgw-rtb-shared0000000000';
const PROD = 'tgw-rtb-prod00000000000000';
const DEV = 'tgw-rtb-dev000000000000000';

interface FakeAttachment {
  State: string;
  TransitGatewayId: string;
  ResourceType: string;
  Association?: { TransitGatewayRouteTableId: string; State: string };
  propagations: Map<string, string>;
}

/** The gateway owner's EC2, in memory. Transitions take one more look (`describe`) to finish. */
class World {
  public readonly attachments = new Map<string, FakeAttachment>();
  public readonly tables = new Set<string>([SHARED, PROD, DEV]);
  /** Static routes: `table|cidr` → attachment. */
  public readonly routes = new Map<string, string>();
  public readonly writes: string[] = [];
  public readonly faults = new Map<string, Error[]>();
  /** Whether a pending attachment never becomes available. */
  public stuck = false;

  public fault(command: string, ...errors: Error[]): void {
    this.faults.set(command, [...(this.faults.get(command) ?? []), ...errors]);
  }

  public run(command: string, input: Record<string, any>): unknown {
    clock += 10;
    const next = this.faults.get(command)?.shift();
    if (next) { throw next; }
    const att = () => {
      const a = this.attachments.get(input.TransitGatewayAttachmentId);
      if (!a) { throw awsError('InvalidTransitGatewayAttachmentID.NotFound'); }
      return a;
    };
    const table = () => {
      if (!this.tables.has(input.TransitGatewayRouteTableId)) { throw awsError('InvalidRouteTableID.NotFound'); }
      return input.TransitGatewayRouteTableId as string;
    };
    switch (command) {
      case 'DescribeTransitGatewayAttachments': {
        const id = input.TransitGatewayAttachmentIds[0];
        const a = this.attachments.get(id);
        if (!a) { throw awsError('InvalidTransitGatewayAttachmentID.NotFound'); }
        const seen = { TransitGatewayAttachmentId: id, State: a.State, TransitGatewayId: a.TransitGatewayId, ResourceType: a.ResourceType,
          Association: a.Association ? { ...a.Association } : undefined };
        this.advance(a);
        return { TransitGatewayAttachments: [seen] };
      }
      case 'AcceptTransitGatewayVpcAttachment':
      case 'AcceptTransitGatewayPeeringAttachment': {
        const a = att();
        if (a.State !== 'pendingAcceptance') { throw awsError('IncorrectState'); }
        this.writes.push(command);
        a.State = 'pending';
        return {};
      }
      case 'AssociateTransitGatewayRouteTable': {
        const a = att();
        const t = table();
        if (a.Association) { throw awsError('Resource.AlreadyAssociated'); }
        this.writes.push(`${command} ${t}`);
        a.Association = { TransitGatewayRouteTableId: t, State: 'associating' };
        return {};
      }
      case 'DisassociateTransitGatewayRouteTable': {
        const a = att();
        if (a.Association?.TransitGatewayRouteTableId !== input.TransitGatewayRouteTableId) { throw awsError('InvalidAssociation.NotFound'); }
        this.writes.push(`${command} ${input.TransitGatewayRouteTableId}`);
        a.Association!.State = 'disassociating';
        return {};
      }
      case 'GetTransitGatewayAttachmentPropagations': {
        const a = att();
        return { TransitGatewayAttachmentPropagations: [...a.propagations].map(([t, s]) => ({ TransitGatewayRouteTableId: t, State: s })) };
      }
      case 'EnableTransitGatewayRouteTablePropagation': {
        const a = att();
        const t = table();
        if (a.propagations.has(t)) { throw awsError('TransitGatewayRouteTablePropagation.Duplicate'); }
        this.writes.push(`${command} ${t}`);
        a.propagations.set(t, 'enabled');
        return {};
      }
      case 'DisableTransitGatewayRouteTablePropagation': {
        const a = att();
        const t = table();
        if (!a.propagations.has(t)) { throw awsError('TransitGatewayRouteTablePropagation.NotFound'); }
        this.writes.push(`${command} ${t}`);
        a.propagations.delete(t);
        return {};
      }
      case 'SearchTransitGatewayRoutes': {
        const t = table();
        const cidr = input.Filters[0].Values[0];
        const target = this.routes.get(`${t}|${cidr}`);
        return { Routes: target ? [{ DestinationCidrBlock: cidr, Type: 'static', State: 'active', TransitGatewayAttachments: [{ TransitGatewayAttachmentId: target }] }] : [] };
      }
      case 'CreateTransitGatewayRoute': {
        const t = table();
        const key = `${t}|${input.DestinationCidrBlock}`;
        if (this.routes.has(key)) { throw awsError('RouteAlreadyExists'); }
        this.writes.push(`${command} ${key}`);
        this.routes.set(key, input.TransitGatewayAttachmentId);
        return { Route: {} };
      }
      case 'DeleteTransitGatewayRoute': {
        const key = `${table()}|${input.DestinationCidrBlock}`;
        if (!this.routes.delete(key)) { throw awsError('InvalidRoute.NotFound'); }
        this.writes.push(`${command} ${key}`);
        return { Route: {} };
      }
      case 'DescribeTransitGateways': {
        const gateways = [{ TransitGatewayId: TGW, State: 'available', TransitGatewayArn: `arn:aws:ec2:us-east-1:111111111111:transit-gateway/${TGW}` },
          { TransitGatewayId: 'tgw-old', State: 'deleted' }];
        if (input.TransitGatewayIds) { return { TransitGateways: gateways.filter((g) => input.TransitGatewayIds.includes(g.TransitGatewayId)) }; }
        return { TransitGateways: input.Filters[0].Values[0] === 'App/Network/Hub' ? gateways : [] };
      }
      case 'DescribeTransitGatewayRouteTables': {
        const tag = (segment: string) => [{ Key: 'cdk-vpc-connect:hub', Value: 'App/Network/Hub' }, { Key: 'cdk-vpc-connect:segment', Value: segment }];
        if (!input.NextToken) {
          return { NextToken: 'page2', TransitGatewayRouteTables: [{ TransitGatewayRouteTableId: SHARED, State: 'available', Tags: tag('shared') }] };
        }
        return { TransitGatewayRouteTables: [{ TransitGatewayRouteTableId: PROD, State: 'available', Tags: tag('prod') },
          { TransitGatewayRouteTableId: DEV, State: 'available', Tags: tag('dev') }] };
      }
      default:
        throw new Error(`unexpected ${command}`);
    }
  }

  public association(id = ATT): string | undefined {
    const a = this.attachments.get(id)!.Association;
    return a ? `${a.TransitGatewayRouteTableId}:${a.State}` : undefined;
  }

  public propagations(id = ATT): string[] {
    return [...this.attachments.get(id)!.propagations.keys()].sort();
  }

  private advance(a: FakeAttachment): void {
    if (a.State === 'pending' && !this.stuck) { a.State = 'available'; }
    if (a.Association?.State === 'associating') { a.Association.State = 'associated'; }
    if (a.Association?.State === 'disassociating') { a.Association = undefined; }
  }
}

/** The spoke account's RAM, in memory. */
class FakeRam {
  public invitations: Array<{ resourceShareInvitationArn: string; resourceShareArn: string; status: string }> = [];
  public shares: Array<{ resourceShareArn: string; status: string }> = [];
  public accepted: string[] = [];
  /** Looks at the invitations before one appears. */
  public appearsAfter = 0;
  public readonly pending = { resourceShareInvitationArn: 'arn:aws:ram:us-east-1:111111111111:resource-share-invitation/i1', resourceShareArn: SHARE, status: 'PENDING' };

  public async getResourceShareInvitations(input: { resourceShareArns?: string[] }) {
    clock += 10;
    if (this.appearsAfter-- > 0) { return { resourceShareInvitations: [] }; }
    return { resourceShareInvitations: this.invitations.filter((i) => input.resourceShareArns?.includes(i.resourceShareArn)) };
  }
  public async acceptResourceShareInvitation(input: { resourceShareInvitationArn: string }) {
    const invitation = this.invitations.find((i) => i.resourceShareInvitationArn === input.resourceShareInvitationArn)!;
    invitation.status = 'ACCEPTED';
    this.accepted.push(input.resourceShareInvitationArn);
    return {};
  }
  public async getResourceShares(input: { resourceShareArns?: string[] }) {
    return { resourceShares: this.shares.filter((s) => input.resourceShareArns?.includes(s.resourceShareArn)) };
  }
  public async getResourceShareAssociations(input: { resourceArn?: string }) {
    return { resourceShareAssociations: input.resourceArn?.endsWith(TGW)
      ? [{ resourceShareArn: SHARE, status: 'ASSOCIATED' }, { resourceShareArn: 'arn:aws:ram:us-east-1:111111111111:resource-share/old', status: 'DISASSOCIATED' }]
      : [] };
  }
}

const SHARE = 'arn:aws:ram:us-east-1:111111111111:resource-share/7ab63972-b505-7e2a-420d-6f5d3EXAMPLE';
const ec2Mock = mockClient(EC2Client);
const stsMock = mockClient(STSClient);
let world: World;
let ram: FakeRam;
let clock: number;
let sleeps: number[];
let logs: string[];
let roleGone: boolean;
const ramCredentials: unknown[] = [];

beforeEach(() => {
  world = new World();
  world.attachments.set(ATT, { State: 'pendingAcceptance', TransitGatewayId: TGW, ResourceType: 'vpc', propagations: new Map() });
  world.attachments.set(PEER_ATT, { State: 'pendingAcceptance', TransitGatewayId: 'tgw-peer', ResourceType: 'peering', propagations: new Map() });
  ram = new FakeRam();
  clock = 1_000_000;
  sleeps = [];
  logs = [];
  roleGone = false;
  ramCredentials.length = 0;
  process.env.AWS_REGION = 'us-east-1';
  ec2Mock.reset();
  stsMock.reset();
  const commands = {
    DescribeTransitGatewayAttachments: DescribeTransitGatewayAttachmentsCommand,
    AcceptTransitGatewayVpcAttachment: AcceptTransitGatewayVpcAttachmentCommand,
    AcceptTransitGatewayPeeringAttachment: AcceptTransitGatewayPeeringAttachmentCommand,
    AssociateTransitGatewayRouteTable: AssociateTransitGatewayRouteTableCommand,
    DisassociateTransitGatewayRouteTable: DisassociateTransitGatewayRouteTableCommand,
    GetTransitGatewayAttachmentPropagations: GetTransitGatewayAttachmentPropagationsCommand,
    EnableTransitGatewayRouteTablePropagation: EnableTransitGatewayRouteTablePropagationCommand,
    DisableTransitGatewayRouteTablePropagation: DisableTransitGatewayRouteTablePropagationCommand,
    SearchTransitGatewayRoutes: SearchTransitGatewayRoutesCommand,
    CreateTransitGatewayRoute: CreateTransitGatewayRouteCommand,
    DeleteTransitGatewayRoute: DeleteTransitGatewayRouteCommand,
    DescribeTransitGateways: DescribeTransitGatewaysCommand,
    DescribeTransitGatewayRouteTables: DescribeTransitGatewayRouteTablesCommand,
  };
  for (const [name, command] of Object.entries(commands)) {
    ec2Mock.on(command as any).callsFake((input: Record<string, unknown>) => world.run(name, input));
  }
  stsMock.on(AssumeRoleCommand).callsFake(() => {
    if (roleGone) { throw awsError('AccessDenied', 'not authorized to perform: sts:AssumeRole'); }
    return { Credentials: { AccessKeyId: 'AKIA', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(0) } };
  });
  handlerModule.clients.ram = (_region: string, credentials: unknown) => { ramCredentials.push(credentials); return ram; };
  handlerModule.now = () => clock;
  handlerModule.sleep = async (ms: number) => { sleeps.push(ms); clock += ms; };
  handlerModule.random = () => 0.5;
  handlerModule.log = (...args: unknown[]) => { logs.push(args.join(' ')); };
  handlerModule.settings = {
    initialDelayMs: 1000, maxDelayMs: 8000, safetyMarginMs: 60000, defaultBudgetMs: 14 * 60 * 1000,
    throttleBaseMs: 500, throttleMaxMs: 10000, throttleAttempts: 8,
  };
  entrypoint.log = () => undefined;
  entrypoint.userHandler = (event: unknown, context: unknown) => handlerModule.handler(event, context);
});

let server: ResponseServer;
beforeAll(async () => { server = await ResponseServer.start(); });
afterAll(async () => { await server.close(); });

interface Response { Status: string; Reason: string; PhysicalResourceId: string; Data?: Record<string, string> }

async function cfn(
  resourceType: string,
  requestType: 'Create' | 'Update' | 'Delete',
  props: Record<string, unknown>,
  extra: { PhysicalResourceId?: string; OldResourceProperties?: Record<string, unknown> } = {},
  remainingMs = 15 * 60 * 1000,
): Promise<Response> {
  const start = clock;
  const before = server.received.length;
  await entrypoint.handler({
    RequestType: requestType,
    ResourceType: resourceType,
    StackId: 'arn:aws:cloudformation:us-east-1:222222222222:stack/Dev/1',
    RequestId: 'request',
    LogicalResourceId: 'Resource',
    ResourceProperties: props,
    ResponseURL: server.url,
    ...extra,
  }, { getRemainingTimeInMillis: () => remainingMs - (clock - start) });
  expect(server.received.length - before).toBe(1);
  return server.received[server.received.length - 1].json;
}

const ASSOCIATION = 'Custom::TransitGatewaySpokeAssociation';
const DEV_PROPS = {
  ServiceToken: 'arn:aws:lambda:us-east-1:222222222222:function:provider',
  RoleArn: ROLE,
  Region: 'us-east-1',
  TransitGatewayId: TGW,
  TransitGatewayAttachmentId: ATT,
  AssociationRouteTableId: DEV,
  PropagationRouteTableIds: [DEV, SHARED],
};
const PROD_PROPS = { ...DEV_PROPS, AssociationRouteTableId: PROD, PropagationRouteTableIds: [PROD, SHARED] };
const PHYSICAL_ID = `tgw-spoke-association:us-east-1:${ATT}`;

describe('Custom::TransitGatewaySpokeAssociation', () => {
  test('Create accepts the shared attachment, waits until it is available, associates it and enables its propagations', async () => {
    const response = await cfn(ASSOCIATION, 'Create', DEV_PROPS);

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID });
    expect(world.writes).toEqual([
      'AcceptTransitGatewayVpcAttachment',
      `AssociateTransitGatewayRouteTable ${DEV}`,
      `EnableTransitGatewayRouteTablePropagation ${DEV}`,
      `EnableTransitGatewayRouteTablePropagation ${SHARED}`,
    ]);
    expect(world.association()).toBe(`${DEV}:associated`);
    expect(world.propagations()).toEqual([DEV, SHARED].sort());
    expect(stsMock.commandCalls(AssumeRoleCommand)[0].args[0].input).toMatchObject({ RoleArn: ROLE });
  });

  test('a Create retried after it finished (a second invocation of the same request) writes nothing more', async () => {
    await cfn(ASSOCIATION, 'Create', DEV_PROPS);
    world.writes.length = 0;

    const again = await cfn(ASSOCIATION, 'Create', DEV_PROPS);

    expect(again).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID });
    expect(world.writes).toEqual([]);
  });

  test('a Create that fails halfway undoes its association and propagations; the rollback Delete touches nothing', async () => {
    let enables = 0;
    const run = world.run.bind(world);
    world.run = (command, input) => {
      if (command === 'EnableTransitGatewayRouteTablePropagation' && ++enables === 2) { throw awsError('UnauthorizedOperation', 'not authorized'); }
      return run(command, input);
    };

    const create = await cfn(ASSOCIATION, 'Create', DEV_PROPS);
    const writes = [...world.writes];
    const rollback = await cfn(ASSOCIATION, 'Delete', DEV_PROPS, { PhysicalResourceId: create.PhysicalResourceId });

    expect(create).toMatchObject({ Status: 'FAILED', PhysicalResourceId: CREATE_FAILED_MARKER });
    expect(create.Reason).toMatch(new RegExp(`Failed enabling the propagation of ${ATT} to route table ${SHARED}: UnauthorizedOperation`));
    expect(writes).toEqual([
      'AcceptTransitGatewayVpcAttachment',
      `AssociateTransitGatewayRouteTable ${DEV}`,
      `EnableTransitGatewayRouteTablePropagation ${DEV}`,
      `DisableTransitGatewayRouteTablePropagation ${DEV}`,
      `DisassociateTransitGatewayRouteTable ${DEV}`,
    ]);
    expect(rollback.Status).toBe('SUCCESS');
    expect(world.writes).toEqual(writes);
    expect(world.association()).toBeUndefined();
    expect(world.propagations()).toEqual([]);
  });

  test('Create fails, writing nothing, when the attachment is associated with another table already', async () => {
    world.attachments.get(ATT)!.State = 'available';
    world.attachments.get(ATT)!.Association = { TransitGatewayRouteTableId: PROD, State: 'associated' };

    const create = await cfn(ASSOCIATION, 'Create', DEV_PROPS);

    expect(create.Status).toBe('FAILED');
    expect(create.Reason).toMatch(new RegExp(`Attachment ${ATT} is associated with route table ${PROD}, not ${DEV}: an attachment has one association`));
    expect(world.writes).toEqual([]);
  });

  test('Create refuses an attachment of another transit gateway', async () => {
    world.attachments.get(ATT)!.TransitGatewayId = 'tgw-other';

    const create = await cfn(ASSOCIATION, 'Create', DEV_PROPS);

    expect(create.Reason).toMatch(/belongs to transit gateway tgw-other, not tgw-0123456789abcdef0/);
    expect(world.writes).toEqual([]);
  });

  test('an Update that moves the spoke to another segment moves the association and swaps the propagations in one deploy', async () => {
    await cfn(ASSOCIATION, 'Create', DEV_PROPS);
    world.writes.length = 0;

    const update = await cfn(ASSOCIATION, 'Update', PROD_PROPS, { PhysicalResourceId: PHYSICAL_ID, OldResourceProperties: DEV_PROPS });

    expect(update).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID });
    expect(world.writes).toEqual([
      `DisassociateTransitGatewayRouteTable ${DEV}`,
      `AssociateTransitGatewayRouteTable ${PROD}`,
      `EnableTransitGatewayRouteTablePropagation ${PROD}`,
      `DisableTransitGatewayRouteTablePropagation ${DEV}`,
    ]);
    expect(world.association()).toBe(`${PROD}:associated`);
    expect(world.propagations()).toEqual([PROD, SHARED].sort());
  });

  test('an Update that fails after the disassociation is restored by the rollback Update', async () => {
    await cfn(ASSOCIATION, 'Create', DEV_PROPS);
    world.fault('AssociateTransitGatewayRouteTable', awsError('UnauthorizedOperation', 'not authorized on the prod table'));

    const update = await cfn(ASSOCIATION, 'Update', PROD_PROPS, { PhysicalResourceId: PHYSICAL_ID, OldResourceProperties: DEV_PROPS });
    const afterFailure = world.association();
    const rollback = await cfn(ASSOCIATION, 'Update', DEV_PROPS, { PhysicalResourceId: PHYSICAL_ID, OldResourceProperties: PROD_PROPS });

    expect(update).toMatchObject({ Status: 'FAILED', PhysicalResourceId: PHYSICAL_ID });
    expect(update.Reason).toMatch(/Failed associating attachment .* with route table tgw-rtb-prod.*: UnauthorizedOperation/);
    expect(afterFailure).toBeUndefined();
    expect(rollback).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID });
    expect(world.association()).toBe(`${DEV}:associated`);
    expect(world.propagations()).toEqual([DEV, SHARED].sort());
  });

  test('the rollback of a segment move that succeeded, but whose stack failed elsewhere, moves the spoke back', async () => {
    await cfn(ASSOCIATION, 'Create', DEV_PROPS);
    await cfn(ASSOCIATION, 'Update', PROD_PROPS, { PhysicalResourceId: PHYSICAL_ID, OldResourceProperties: DEV_PROPS });

    const rollback = await cfn(ASSOCIATION, 'Update', DEV_PROPS, { PhysicalResourceId: PHYSICAL_ID, OldResourceProperties: PROD_PROPS });

    expect(rollback.Status).toBe('SUCCESS');
    expect(world.association()).toBe(`${DEV}:associated`);
    expect(world.propagations()).toEqual([DEV, SHARED].sort());
  });

  test('an Update with bad new properties fails before writing anything, and old properties that cannot be read never fail it', async () => {
    await cfn(ASSOCIATION, 'Create', DEV_PROPS);
    world.writes.length = 0;

    const bad = await cfn(ASSOCIATION, 'Update', { ...PROD_PROPS, AssociationRouteTableId: 'rtb-123' }, { PhysicalResourceId: PHYSICAL_ID, OldResourceProperties: DEV_PROPS });
    const rollback = await cfn(ASSOCIATION, 'Update', DEV_PROPS, { PhysicalResourceId: PHYSICAL_ID, OldResourceProperties: { AssociationRouteTableId: 'rtb-123' } });

    expect(bad.Reason).toMatch(/AssociationRouteTableId must be an id starting with tgw-rtb-, got "rtb-123"/);
    expect(rollback).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `tgw-spoke-association:us-east-1:${ATT}` });
    expect(world.writes).toEqual([]);
  });

  test('Delete disables the propagations and removes the association, and waits until the table lets the attachment go', async () => {
    await cfn(ASSOCIATION, 'Create', DEV_PROPS);
    world.writes.length = 0;

    const del = await cfn(ASSOCIATION, 'Delete', DEV_PROPS, { PhysicalResourceId: PHYSICAL_ID });

    expect(del).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID });
    expect(world.writes).toEqual([
      `DisableTransitGatewayRouteTablePropagation ${DEV}`,
      `DisableTransitGatewayRouteTablePropagation ${SHARED}`,
      `DisassociateTransitGatewayRouteTable ${DEV}`,
    ]);
    expect(world.association()).toBeUndefined();
  });

  test('Delete succeeds, and logs it, when the role is gone', async () => {
    await cfn(ASSOCIATION, 'Create', DEV_PROPS);
    world.writes.length = 0;
    roleGone = true;

    const del = await cfn(ASSOCIATION, 'Delete', DEV_PROPS, { PhysicalResourceId: PHYSICAL_ID });

    expect(del.Status).toBe('SUCCESS');
    expect(world.writes).toEqual([]);
    expect(logs.join('\n')).toMatch(/Could not assume role arn:aws:iam::111111111111:role\/hub-spokes \(AccessDenied.*Nothing can be cleaned/);
  });

  test('Delete succeeds when the attachment is gone, or deleted', async () => {
    await cfn(ASSOCIATION, 'Create', DEV_PROPS);
    world.attachments.get(ATT)!.State = 'deleted';
    const deleted = await cfn(ASSOCIATION, 'Delete', DEV_PROPS, { PhysicalResourceId: PHYSICAL_ID });
    world.attachments.delete(ATT);
    const gone = await cfn(ASSOCIATION, 'Delete', DEV_PROPS, { PhysicalResourceId: PHYSICAL_ID });

    expect(deleted.Status).toBe('SUCCESS');
    expect(gone.Status).toBe('SUCCESS');
    expect(logs.join('\n')).toMatch(/attachment tgw-attach-0000000000000001 is gone: its association and propagations went with it/);
  });

  test('Delete succeeds when the propagations and association went away meanwhile', async () => {
    await cfn(ASSOCIATION, 'Create', DEV_PROPS);
    world.fault('DisableTransitGatewayRouteTablePropagation', awsError('TransitGatewayRouteTablePropagation.NotFound'));
    world.fault('DisassociateTransitGatewayRouteTable', awsError('InvalidAssociation.NotFound'));

    const del = await cfn(ASSOCIATION, 'Delete', DEV_PROPS, { PhysicalResourceId: PHYSICAL_ID });

    expect(del.Status).toBe('SUCCESS');
  });

  test('throttled calls are retried with jittered backoff', async () => {
    world.fault('AssociateTransitGatewayRouteTable', awsError('RequestLimitExceeded'), awsError('Throttling'));

    const create = await cfn(ASSOCIATION, 'Create', DEV_PROPS);

    expect(create.Status).toBe('SUCCESS');
    expect(sleeps).toEqual(expect.arrayContaining([250, 500]));
    expect(world.association()).toBe(`${DEV}:associated`);
  });

  test('an attachment that never becomes available fails the Create before the function times out', async () => {
    world.stuck = true;

    const create = await cfn(ASSOCIATION, 'Create', DEV_PROPS, {}, 120_000);

    expect(create).toMatchObject({ Status: 'FAILED', PhysicalResourceId: CREATE_FAILED_MARKER });
    expect(create.Reason).toMatch(/Transit gateway attachment tgw-attach-0000000000000001 did not become available in time \(last seen: pending\)/);
    expect(clock - 1_000_000).toBeLessThan(120_000 - 60_000 + 10_000);
  });

  test('running out of time after the association undoes it within the safety margin', async () => {
    world.attachments.get(ATT)!.State = 'available';
    const run = world.run.bind(world);
    world.run = (command, input) => {
      // The association takes the whole budget.
      if (command === 'AssociateTransitGatewayRouteTable') { clock += 60_000; }
      return run(command, input);
    };

    const create = await cfn(ASSOCIATION, 'Create', DEV_PROPS, {}, 120_000);

    expect(create.Status).toBe('FAILED');
    expect(create.Reason).toMatch(/Out of time before|did not|still associating/);
    expect(world.association()).toBeUndefined();
  });
});

const PEERING = 'Custom::TransitGatewayPeeringAccepter';
const PEER_PROPS = {
  Region: 'eu-west-1',
  TransitGatewayAttachmentId: PEER_ATT,
  AssociationRouteTableId: SHARED,
  StaticRoutes: [`${SHARED}|10.0.0.0/16`, `${PROD}|10.0.0.0/16`, `${PROD}|10.1.0.0/16`],
};

describe('Custom::TransitGatewaySpokeAssociation of a spoke of the hub\'s account (a hub with segments)', () => {
  // No RoleArn (the function's own role) and no PropagationRouteTableIds: the propagations are
  // native AWS::EC2::TransitGatewayRouteTablePropagation resources of the spoke's stack.
  const OWN_DEV = { ServiceToken: DEV_PROPS.ServiceToken, TransitGatewayId: TGW, TransitGatewayAttachmentId: ATT, AssociationRouteTableId: DEV };
  const OWN_PROD = { ...OWN_DEV, AssociationRouteTableId: PROD };

  beforeEach(() => {
    // A same-account attachment is available without acceptance; its native propagations exist.
    world.attachments.set(ATT, { State: 'available', TransitGatewayId: TGW, ResourceType: 'vpc', propagations: new Map([[DEV, 'enabled'], [SHARED, 'enabled']]) });
  });

  test('Create associates with the function\'s own credentials, and neither reads nor touches propagations', async () => {
    const response = await cfn(ASSOCIATION, 'Create', OWN_DEV);

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID });
    expect(world.writes).toEqual([`AssociateTransitGatewayRouteTable ${DEV}`]);
    expect(world.association()).toBe(`${DEV}:associated`);
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(ec2Mock.commandCalls(GetTransitGatewayAttachmentPropagationsCommand)).toHaveLength(0);
  });

  test('an Update from dev to prod (the move of a segment hub\'s spoke) disassociates, waits, associates; the rollback moves it back', async () => {
    await cfn(ASSOCIATION, 'Create', OWN_DEV);
    world.writes.length = 0;

    const update = await cfn(ASSOCIATION, 'Update', OWN_PROD, { PhysicalResourceId: PHYSICAL_ID, OldResourceProperties: OWN_DEV });
    const moved = world.association();
    const rollback = await cfn(ASSOCIATION, 'Update', OWN_DEV, { PhysicalResourceId: PHYSICAL_ID, OldResourceProperties: OWN_PROD });

    expect(update).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID });
    expect(moved).toBe(`${PROD}:associated`);
    expect(rollback).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID });
    expect(world.writes).toEqual([
      `DisassociateTransitGatewayRouteTable ${DEV}`, `AssociateTransitGatewayRouteTable ${PROD}`,
      `DisassociateTransitGatewayRouteTable ${PROD}`, `AssociateTransitGatewayRouteTable ${DEV}`,
    ]);
    expect(world.association()).toBe(`${DEV}:associated`);
    // The native propagations are CloudFormation's: the resource leaves them alone.
    expect(world.propagations()).toEqual([DEV, SHARED].sort());
    expect(ec2Mock.commandCalls(GetTransitGatewayAttachmentPropagationsCommand)).toHaveLength(0);
  });

  test('an Update whose association fails (the new table refuses it) is restored by the rollback Update', async () => {
    await cfn(ASSOCIATION, 'Create', OWN_DEV);
    world.fault('AssociateTransitGatewayRouteTable', awsError('UnauthorizedOperation', 'not authorized on the prod table'));

    const update = await cfn(ASSOCIATION, 'Update', OWN_PROD, { PhysicalResourceId: PHYSICAL_ID, OldResourceProperties: OWN_DEV });
    const rollback = await cfn(ASSOCIATION, 'Update', OWN_DEV, { PhysicalResourceId: PHYSICAL_ID, OldResourceProperties: OWN_PROD });

    expect(update.Status).toBe('FAILED');
    expect(update.Reason).toMatch(/Failed associating attachment .* with route table tgw-rtb-prod.*: UnauthorizedOperation/);
    expect(rollback.Status).toBe('SUCCESS');
    expect(world.association()).toBe(`${DEV}:associated`);
  });

  test('Delete removes only the association (the propagations go with their own resources)', async () => {
    await cfn(ASSOCIATION, 'Create', OWN_DEV);
    world.writes.length = 0;

    const del = await cfn(ASSOCIATION, 'Delete', OWN_DEV, { PhysicalResourceId: PHYSICAL_ID });

    expect(del).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID });
    expect(world.writes).toEqual([`DisassociateTransitGatewayRouteTable ${DEV}`]);
    expect(world.association()).toBeUndefined();
    expect(world.propagations()).toEqual([DEV, SHARED].sort());
    expect(ec2Mock.commandCalls(GetTransitGatewayAttachmentPropagationsCommand)).toHaveLength(0);
  });
});

describe('Custom::TransitGatewayPeeringAccepter', () => {
  test('Create accepts the peering in the peer region, waits until it is available, associates it and creates the static routes', async () => {
    const create = await cfn(PEERING, 'Create', PEER_PROPS);

    expect(create).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `tgw-peering-accepter:eu-west-1:${PEER_ATT}` });
    expect(world.writes).toEqual([
      'AcceptTransitGatewayPeeringAttachment',
      `AssociateTransitGatewayRouteTable ${SHARED}`,
      `CreateTransitGatewayRoute ${SHARED}|10.0.0.0/16`,
      `CreateTransitGatewayRoute ${PROD}|10.0.0.0/16`,
      `CreateTransitGatewayRoute ${PROD}|10.1.0.0/16`,
    ]);
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });

  test('a static route of the same block toward another attachment fails the Create, which undoes its work', async () => {
    world.routes.set(`${PROD}|10.1.0.0/16`, 'tgw-attach-someoneelse');

    const create = await cfn(PEERING, 'Create', PEER_PROPS);

    expect(create.Status).toBe('FAILED');
    expect(create.Reason).toMatch(/Route table tgw-rtb-prod00000000000000 already has a static route to 10.1.0.0\/16, toward tgw-attach-someoneelse/);
    expect([...world.routes.keys()]).toEqual([`${PROD}|10.1.0.0/16`]);
    expect(world.association(PEER_ATT)).toBeUndefined();
  });

  test('an Update removes the routes no longer wanted; Delete removes the rest and the association, and leaves the attachment', async () => {
    await cfn(PEERING, 'Create', PEER_PROPS);
    const id = `tgw-peering-accepter:eu-west-1:${PEER_ATT}`;
    const fewer = { ...PEER_PROPS, StaticRoutes: [`${SHARED}|10.0.0.0/16`] };

    const update = await cfn(PEERING, 'Update', fewer, { PhysicalResourceId: id, OldResourceProperties: PEER_PROPS });
    const routesAfterUpdate = [...world.routes.keys()];
    const del = await cfn(PEERING, 'Delete', fewer, { PhysicalResourceId: id });

    expect(update).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: id });
    expect(routesAfterUpdate).toEqual([`${SHARED}|10.0.0.0/16`]);
    expect(del.Status).toBe('SUCCESS');
    expect([...world.routes.keys()]).toEqual([]);
    expect(world.association(PEER_ATT)).toBeUndefined();
    expect(world.attachments.get(PEER_ATT)!.State).toBe('available');
  });

  test('a peering attachment that was rejected fails with what to do', async () => {
    world.attachments.get(PEER_ATT)!.State = 'rejected';

    const create = await cfn(PEERING, 'Create', PEER_PROPS);

    expect(create.Reason).toMatch(/attachment tgw-attach-00000000000000p1 is rejected: it can never become available. Check both gateways/);
  });

  test('Delete succeeds when the requester side deleted the attachment first', async () => {
    world.attachments.delete(PEER_ATT);

    const del = await cfn(PEERING, 'Delete', PEER_PROPS, { PhysicalResourceId: `tgw-peering-accepter:eu-west-1:${PEER_ATT}` });

    expect(del.Status).toBe('SUCCESS');
  });

  test('malformed static routes fail before anything is written', async () => {
    const create = await cfn(PEERING, 'Create', { ...PEER_PROPS, StaticRoutes: ['tgw-rtb-1:10.0.0.0/16'] });

    expect(create.Reason).toMatch(/StaticRoutes must hold '<tgw-rtb-...>\|<CIDR block>' entries, got "tgw-rtb-1:10.0.0.0\/16"/);
    expect(world.writes).toEqual([]);
  });
});

const LOOKUP = 'Custom::TransitGatewayLookup';
const LOOKUP_PROPS = { RoleArn: ROLE, Region: 'us-east-1', HubTag: 'App/Network/Hub', Segments: ['dev', 'shared'] };

describe('Custom::TransitGatewayLookup', () => {
  test('finds the gateway and the segment tables by their tags, through the role, and the gateway\'s shares', async () => {
    const create = await cfn(LOOKUP, 'Create', LOOKUP_PROPS);

    expect(create).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: `tgw-lookup:us-east-1:${TGW}`,
      Data: { 'TransitGatewayId': TGW, 'RouteTableId.dev': DEV, 'RouteTableId.shared': SHARED, 'ResourceShareArns': SHARE },
    });
    expect(ramCredentials[0]).toMatchObject({ accessKeyId: 'AKIA' });
  });

  test('fails with what to do when the hub is not deployed, or lacks a segment', async () => {
    const noHub = await cfn(LOOKUP, 'Create', { ...LOOKUP_PROPS, HubTag: 'App/Other/Hub' });
    const noSegment = await cfn(LOOKUP, 'Create', { ...LOOKUP_PROPS, Segments: ['dev', 'staging'] });

    expect(noHub.Reason).toMatch(/Found 0 transit gateways tagged cdk-vpc-connect:hub=App\/Other\/Hub in us-east-1 \(none\): deploy the hub's stack first/);
    expect(noSegment.Reason).toMatch(/No route table of tgw-0123456789abcdef0 is tagged cdk-vpc-connect:segment=staging \(found: shared, prod, dev\)/);
  });

  test('Delete does nothing', async () => {
    const del = await cfn(LOOKUP, 'Delete', LOOKUP_PROPS, { PhysicalResourceId: 'tgw-lookup:us-east-1:tgw-1' });

    expect(del.Status).toBe('SUCCESS');
    expect(ec2Mock.calls()).toHaveLength(0);
  });
});

const INVITATION = 'Custom::ResourceShareInvitationAccepter';

describe('Custom::ResourceShareInvitationAccepter', () => {
  test('accepts the pending invitation once it arrives, with the function\'s own credentials', async () => {
    ram.invitations.push({ ...ram.pending });
    ram.appearsAfter = 2;

    const create = await cfn(INVITATION, 'Create', { ResourceShareArns: SHARE });
    const again = await cfn(INVITATION, 'Create', { ResourceShareArns: SHARE });

    expect(create.Status).toBe('SUCCESS');
    expect(again).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: create.PhysicalResourceId });
    expect(ram.accepted).toEqual([ram.pending.resourceShareInvitationArn]);
    expect(sleeps).toEqual([1000, 2000]);
    expect(ramCredentials).toEqual([undefined, undefined]);
  });

  test('a share within an organization needs no invitation: an active share is enough', async () => {
    ram.shares.push({ resourceShareArn: SHARE, status: 'ACTIVE' });

    const create = await cfn(INVITATION, 'Create', { ResourceShareArns: SHARE });

    expect(create.Status).toBe('SUCCESS');
    expect(ram.accepted).toEqual([]);
  });

  test('no invitation and no share: fails in time, saying to check shareWith', async () => {
    const create = await cfn(INVITATION, 'Create', { ResourceShareArns: SHARE }, {}, 180_000);

    expect(create.Reason).toMatch(/No invitation to .* reached this account in time.*check that the hub's shareWith lists this account/);
  });

  test('a rejected invitation fails with the fix; no share ARN at all fails at once', async () => {
    ram.invitations.push({ ...ram.pending, status: 'REJECTED' });

    const rejected = await cfn(INVITATION, 'Create', { ResourceShareArns: SHARE });
    const none = await cfn(INVITATION, 'Create', { ResourceShareArns: '' });

    expect(rejected.Reason).toMatch(/The invitation to .* is REJECTED: ask the gateway's owner to share it again/);
    expect(none.Reason).toMatch(/ResourceShareArns must list RAM resource share ARNs, got "": the hub's gateway is shared with no account/);
  });

  test('Delete does nothing (leaving a share is the owner\'s decision)', async () => {
    const del = await cfn(INVITATION, 'Delete', { ResourceShareArns: SHARE }, { PhysicalResourceId: 'ram-share-accepted:x' });

    expect(del.Status).toBe('SUCCESS');
    expect(ram.accepted).toEqual([]);
  });
});

test('an unknown resource type fails with the types the function serves', async () => {
  const response = await cfn('Custom::Other', 'Create', {});

  expect(response.Reason).toMatch(/Unsupported resource type Custom::Other: this function serves Custom::TransitGatewaySpokeAssociation/);
});
