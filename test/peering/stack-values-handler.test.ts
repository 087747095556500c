// Custom::VpcConnectStackValues: the peering provider reads the physical ids of another stack's
// resources at deploy time (in place of exports and Fn::ImportValue). Fake CloudFormation client.
import { awsError } from '../support/aws-errors';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS module whose exports the tests replace
const handlerModule = require('../../lib/peering/private/handler/index.js');

interface Summary { LogicalResourceId: string; PhysicalResourceId?: string; ResourceStatus: string; ResourceType: string }

let pages: Summary[][];
let listCalls: Array<{ StackName: string; NextToken?: string }>;
let throttleFirst: number;
let clock: number;

beforeEach(() => {
  pages = [[
    { LogicalResourceId: 'VpcA', PhysicalResourceId: 'vpc-0a1b2c3d', ResourceStatus: 'CREATE_COMPLETE', ResourceType: 'AWS::EC2::VPC' },
    { LogicalResourceId: 'TableA', PhysicalResourceId: 'rtb-0a1b2c3d', ResourceStatus: 'UPDATE_COMPLETE', ResourceType: 'AWS::EC2::RouteTable' },
  ], [
    { LogicalResourceId: 'TableB', PhysicalResourceId: 'rtb-0e0e0e0e', ResourceStatus: 'CREATE_COMPLETE', ResourceType: 'AWS::EC2::RouteTable' },
    { LogicalResourceId: 'Gone', PhysicalResourceId: 'rtb-0f0f0f0f', ResourceStatus: 'DELETE_COMPLETE', ResourceType: 'AWS::EC2::RouteTable' },
  ]];
  listCalls = [];
  throttleFirst = 0;
  clock = 0;
  handlerModule.clients = {
    cfn: () => ({
      listStackResources: async (input: { StackName: string; NextToken?: string }) => {
        listCalls.push(input);
        if (throttleFirst > 0) { throttleFirst--; throw awsError('Throttling', 'Rate exceeded'); }
        const index = input.NextToken === undefined ? 0 : Number(input.NextToken);
        return { StackResourceSummaries: pages[index], NextToken: index + 1 < pages.length ? String(index + 1) : undefined };
      },
    }),
  };
  handlerModule.now = () => clock;
  handlerModule.sleep = async (ms: number) => { clock += ms; };
  handlerModule.log = () => undefined;
});

function event(requestType: string, props: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { RequestType: requestType, ResourceType: 'Custom::VpcConnectStackValues', ResourceProperties: props, ...extra };
}

const PROPS = { ServiceToken: 'arn:aws:lambda:us-east-1:111111111111:function:x', StackName: 'Network00', Values: { V1: 'VpcA', V2: 'TableB' }, Fingerprint: 'f' };

describe('Custom::VpcConnectStackValues', () => {
  test('create reads the physical ids of the named resources, through every page of the stack\'s resources', async () => {
    const result = await handlerModule.handler(event('Create', PROPS));

    expect(result).toEqual({ PhysicalResourceId: 'vpc-connect-stack-values:Network00', Data: { V1: 'vpc-0a1b2c3d', V2: 'rtb-0e0e0e0e' } });
    expect(listCalls).toEqual([{ StackName: 'Network00', NextToken: undefined }, { StackName: 'Network00', NextToken: '1' }]);
  });

  test('an update (and the rollback of one) reads again, under the same physical id', async () => {
    const result = await handlerModule.handler(event('Update', { ...PROPS, Values: { V3: 'TableA' } },
      { PhysicalResourceId: 'vpc-connect-stack-values:Network00', OldResourceProperties: PROPS }));

    expect(result).toEqual({ PhysicalResourceId: 'vpc-connect-stack-values:Network00', Data: { V3: 'rtb-0a1b2c3d' } });
  });

  test('a resource the stack does not have (yet), or has deleted, fails with what to deploy', async () => {
    await expect(handlerModule.handler(event('Create', { ...PROPS, Values: { V1: 'VpcA', V2: 'Missing', V3: 'Gone' } })))
      .rejects.toThrow(/^Stack Network00 has no resource Missing, Gone \(DELETE_COMPLETE\) to read: deploy that stack first/);
  });

  test('throttling is retried with backoff', async () => {
    throttleFirst = 2;

    const result = await handlerModule.handler(event('Create', PROPS));

    expect(result.Data).toEqual({ V1: 'vpc-0a1b2c3d', V2: 'rtb-0e0e0e0e' });
    expect(clock).toBeGreaterThan(0);
  });

  test('delete reads nothing and succeeds, whatever is left of the stack read', async () => {
    handlerModule.clients = { cfn: () => { throw new Error('must not be called'); } };

    const result = await handlerModule.handler(event('Delete', { StackName: 'not a name!' }, { PhysicalResourceId: 'vpc-connect-stack-values:Network00' }));

    expect(result).toEqual({ PhysicalResourceId: 'vpc-connect-stack-values:Network00' });
  });

  test.each([
    [{ ...PROPS, StackName: '' }, /StackName "" is not a stack name/],
    [{ ...PROPS, StackName: 'has space' }, /StackName "has space" is not a stack name/],
    [{ ...PROPS, Values: ['VpcA'] }, /Values \["VpcA"\] must map attribute names to logical ids/],
    [{ ...PROPS, Values: { V1: 'Vpc-A' } }, /Values.V1 "Vpc-A" is not a logical id/],
  ])('rejects malformed properties before reading anything (%#)', async (props, message) => {
    await expect(handlerModule.handler(event('Create', props))).rejects.toThrow(message);
    expect(listCalls).toEqual([]);
  });
});
