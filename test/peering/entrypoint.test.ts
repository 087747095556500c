// The Lambda entrypoint of the peering provider (`__entrypoint__.js`): CloudFormation's custom
// resource response protocol, against a loopback HTTP server standing in for the pre-signed
// response URL. The handler it calls is replaced by a stub, except where the wiring to `index.js`
// is the point.
import * as path from 'path';
import { handlerCode } from '../../lib/private/handler-code';
import { ResponseServer } from '../support/response-server';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS module whose exports the tests replace
const entrypoint = require('../../lib/private/handler/__entrypoint__.js');

const CREATE_FAILED_MARKER = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';
const LOG_STREAM = '2026/11/29/[$LATEST]0123456789abcdef';
const CONTEXT = { logStreamName: LOG_STREAM, getRemainingTimeInMillis: () => 900_000 };
const ORIGINAL = { ...entrypoint, settings: { ...entrypoint.settings } };

let server: ResponseServer;
let logs: string[];
let sleeps: number[];
let calls: Array<{ event: Record<string, unknown>; context: unknown }>;
let consoleLog: jest.SpyInstance;

beforeAll(async () => { server = await ResponseServer.start(); });
afterAll(async () => { await server.close(); });

beforeEach(() => {
  server.received.length = 0;
  server.requests = 0;
  server.dropNext = 0;
  server.hangNext = 0;
  server.statuses.length = 0;
  logs = [];
  sleeps = [];
  calls = [];
  entrypoint.log = (...args: unknown[]) => { logs.push(args.map(String).join(' ')); };
  entrypoint.sleep = async (ms: number) => { sleeps.push(ms); };
  entrypoint.random = () => 0.5;
  entrypoint.settings = { ...ORIGINAL.settings };
  // Whatever else prints (the handler's own log), it is captured too.
  consoleLog = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => { logs.push(args.map(String).join(' ')); });
});

afterEach(() => {
  consoleLog.mockRestore();
  Object.assign(entrypoint, ORIGINAL, { settings: { ...ORIGINAL.settings } });
});

/** The handler of `index.js`, stubbed: records its calls and answers `answer()`. */
function stubHandler(answer: () => unknown): void {
  entrypoint.userHandler = async (event: Record<string, unknown>, context: unknown) => {
    calls.push({ event, context });
    return answer();
  };
}

function request(requestType: 'Create' | 'Update' | 'Delete', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    RequestType: requestType,
    ResponseURL: server.url,
    StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/Requester/guid',
    RequestId: 'request-1',
    ResourceType: 'Custom::VpcConnectPeeringRoutes',
    LogicalResourceId: 'PeeringRoutes',
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:111111111111:function:provider', PeeringConnectionId: 'pcx-1' },
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: 'physical-1' }),
    ...extra,
  };
}

/** Run one request through the entrypoint; the one response the server received. */
async function run(event: Record<string, unknown>, context: unknown = CONTEXT): Promise<any> {
  await entrypoint.handler(event, context);
  expect(server.received).toHaveLength(1);
  return server.received[0].json;
}

describe('success', () => {
  test('PUTs the handler\'s physical id, Data and NoEcho with the request\'s ids, as CloudFormation expects them', async () => {
    stubHandler(() => ({ PhysicalResourceId: 'vpc-connect-routes:us-east-1:pcx-1', Data: { Answer: '42' }, NoEcho: false }));

    const response = await run(request('Create'));

    expect(response).toEqual({
      Status: 'SUCCESS',
      PhysicalResourceId: 'vpc-connect-routes:us-east-1:pcx-1',
      StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/Requester/guid',
      RequestId: 'request-1',
      LogicalResourceId: 'PeeringRoutes',
      NoEcho: false,
      Data: { Answer: '42' },
    });
    const [put] = server.received;
    expect(put.method).toBe('PUT');
    expect(put.path).toBe(`/cloudformation-response/stack/request?X-Amz-Signature=${ResponseServer.SIGNATURE}`);
    // S3 rejects a pre-signed PUT whose content type differs from the signed one (none)
    expect(put.headers['content-type']).toBe('');
    expect(put.headers['content-length']).toBe(String(Buffer.byteLength(put.body, 'utf8')));
  });

  test.each([
    ['a Create', 'its RequestId', 'Create', 'request-1'],
    ['an Update', 'the request\'s physical id', 'Update', 'physical-1'],
    ['a Delete', 'the request\'s physical id', 'Delete', 'physical-1'],
  ] as const)('%s whose handler returns no physical id answers with %s', async (_name, _id, requestType, expected) => {
    stubHandler(() => undefined);

    const response = await run(request(requestType));

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: expected });
  });

  test('the handler gets the request without its ResponseURL, and the Lambda context', async () => {
    stubHandler(() => ({ PhysicalResourceId: 'p' }));
    const event = request('Create');

    await run(event);

    expect(calls).toHaveLength(1);
    expect(calls[0].event).toEqual({ ...event, ResponseURL: '(redacted)' });
    expect(calls[0].context).toBe(CONTEXT);
  });

  test('Data of a NoEcho response is sent to CloudFormation but not logged', async () => {
    stubHandler(() => ({ PhysicalResourceId: 'p', Data: { Password: 'hunter2' }, NoEcho: true }));

    const response = await run(request('Create'));

    expect(response).toMatchObject({ NoEcho: true, Data: { Password: 'hunter2' } });
    expect(logs.join('\n')).toMatch(/"Data":"\(redacted\)"/);
    expect(logs.join('\n')).not.toMatch(/hunter2/);
  });

  test('by default, the handler of index.js beside it answers (as in the function\'s zip)', async () => {
    // GIVEN the entrypoint staged with the peering handler, as handlerCode() packages the function
    const staged = handlerCode(path.join(__dirname, '../../lib/peering/private/handler')).path;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the staged copy, as Lambda loads it
    const packaged = require(path.join(staged, '__entrypoint__.js'));
    packaged.log = () => undefined;

    // WHEN a resource type the handler does not serve is sent
    const before = server.received.length;
    await packaged.handler({ ...request('Create', { ResourceType: 'Custom::Other' }), ResponseURL: server.url }, CONTEXT);
    const response = server.received[before].json;

    // THEN its error is the reason
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/^Unsupported resource type Custom::Other: this function serves Custom::VpcConnectPeeringRoutes, Custom::VpcConnectPeeringDns and Custom::VpcConnectStackValues\./);
  });
});

describe('failure', () => {
  test('a failed Create answers FAILED with the error and the log stream, and the marker id whose Delete is acknowledged without the handler', async () => {
    // GIVEN
    stubHandler(() => { throw new Error('Failed creating the route to 10.0.0.0/16 in rtb-2 toward pcx-1: RouteLimitExceeded'); });

    // WHEN
    const create = await run(request('Create'));
    server.received.length = 0;
    const rollback = await run(request('Delete', { PhysicalResourceId: create.PhysicalResourceId, RequestId: 'request-2' }));

    // THEN
    expect(create).toEqual({
      Status: 'FAILED',
      Reason: `Failed creating the route to 10.0.0.0/16 in rtb-2 toward pcx-1: RouteLimitExceeded (details in the function's log stream ${LOG_STREAM})`,
      PhysicalResourceId: CREATE_FAILED_MARKER,
      StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/Requester/guid',
      RequestId: 'request-1',
      LogicalResourceId: 'PeeringRoutes',
    });
    expect(rollback).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: CREATE_FAILED_MARKER, RequestId: 'request-2' });
    expect(calls).toHaveLength(1);
    expect(logs.join('\n')).toMatch(/Delete of a resource whose Create failed: nothing was created, nothing to delete/);
    // the stack trace is in the log
    expect(logs.join('\n')).toMatch(/Create failed: Error: Failed creating the route[^\n]*\n\s+at /);
  });

  test.each(['Update', 'Delete'] as const)('a failed %s keeps the request\'s physical id: CloudFormation must not see a replacement', async (requestType) => {
    stubHandler(() => { throw new Error('no luck'); });

    const response = await run(request(requestType));

    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'physical-1', Reason: `no luck (details in the function's log stream ${LOG_STREAM})` });
  });

  test('without a log stream name, the reason is the message alone; a thrown non-Error is its string', async () => {
    stubHandler(() => { throw 'plain string'; });

    const response = await run(request('Update'), { getRemainingTimeInMillis: () => 1000 });

    expect(response.Reason).toBe('plain string');
  });

  test('a Delete whose handler returns another physical id fails, with the request\'s id', async () => {
    stubHandler(() => ({ PhysicalResourceId: 'physical-2' }));

    const response = await run(request('Delete'));

    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'physical-1' });
    expect(response.Reason).toMatch(/^A Delete cannot change the physical id \(from "physical-1" to "physical-2"\)\./);
  });

  test.each([
    ['a physical id that is not a string', () => ({ PhysicalResourceId: 42 }), /^The handler returned the physical id 42, not a non-empty string\./],
    ['an empty physical id', () => ({ PhysicalResourceId: '' }), /^The handler returned the physical id "", not a non-empty string\./],
    ['a result that is not an object', () => 'done', /^The handler resolved to "done", not to an object\./],
  ])('a handler that resolves to %s fails the request', async (_name, answer, reason) => {
    stubHandler(answer);

    const response = await run(request('Update'));

    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'physical-1' });
    expect(response.Reason).toMatch(reason);
  });
});

describe('the 4,096-byte limit of a response', () => {
  test('a huge error message is truncated; the log stream stays named', async () => {
    // GIVEN a message of 20,000 characters, with characters that JSON escapes and multi-byte ones
    const message = 'Route table rtb-1 "quoted"\n' + 'é€😀'.repeat(5000);
    stubHandler(() => { throw new Error(message); });

    // WHEN
    await entrypoint.handler(request('Create'), CONTEXT);

    // THEN
    const [put] = server.received;
    expect(Buffer.byteLength(put.body, 'utf8')).toBeLessThanOrEqual(4096);
    expect(Buffer.byteLength(put.body, 'utf8')).toBeGreaterThan(4096 - 12); // cut at most one character (up to 12 bytes escaped)
    const reason: string = put.json.Reason;
    expect(reason.startsWith('Route table rtb-1 "quoted"\né€😀')).toBe(true);
    expect(reason.endsWith(` [...] (details in the function's log stream ${LOG_STREAM})`)).toBe(true);
    expect(reason).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/); // no surrogate pair cut in half
    expect(put.json).toMatchObject({ Status: 'FAILED', PhysicalResourceId: CREATE_FAILED_MARKER });
  });

  test('a success too large for CloudFormation (its Data) fails, keeping the physical id so that the rollback cleans up', async () => {
    stubHandler(() => ({ PhysicalResourceId: 'made-1', Data: { Big: 'x'.repeat(5000) } }));

    await entrypoint.handler(request('Create'), CONTEXT);

    const [put] = server.received;
    expect(Buffer.byteLength(put.body, 'utf8')).toBeLessThanOrEqual(4096);
    expect(put.json).toEqual(expect.objectContaining({ Status: 'FAILED', PhysicalResourceId: 'made-1' }));
    expect(put.json.Data).toBeUndefined();
    expect(put.json.Reason).toMatch(/^The response to CloudFormation would be \d{4} bytes, more than the 4096 it accepts: return less Data\./);
  });
});

describe('the ResponseURL', () => {
  test('is never logged, on success, on failure or on retries', async () => {
    // GIVEN a failing handler and a first attempt dropped
    stubHandler(() => { throw new Error('no luck'); });
    server.dropNext = 1;

    // WHEN
    await run(request('Create'));

    // THEN the log has the host, never the path or the signature
    const log = logs.join('\n');
    expect(log).toMatch(/response to http:\/\/127\.0\.0\.1:\d+:/);
    expect(log).toMatch(/retrying/);
    expect(log).not.toMatch(new RegExp(ResponseServer.SIGNATURE));
    expect(log).not.toMatch(/cloudformation-response/);
    expect(log).not.toMatch(/X-Amz-Signature/);
  });

  test('a ResponseURL that is not a URL is an error that does not quote it', async () => {
    stubHandler(() => ({ PhysicalResourceId: 'p' }));

    await expect(entrypoint.handler(request('Create', { ResponseURL: `not a url ${ResponseServer.SIGNATURE}` }), CONTEXT))
      .rejects.toThrow(/^The request's ResponseURL is not a URL: CloudFormation cannot be answered\.$/);
  });

  test('a ResponseURL of another protocol is refused without retries', async () => {
    stubHandler(() => ({ PhysicalResourceId: 'p' }));

    await expect(entrypoint.handler(request('Create', { ResponseURL: 'ftp://127.0.0.1/response' }), CONTEXT))
      .rejects.toThrow(/^Answering CloudFormation failed after 1 attempt\(s\): the ResponseURL's protocol ftp: is not https$/);
    expect(sleeps).toEqual([]);
  });
});

describe('retries', () => {
  beforeEach(() => stubHandler(() => ({ PhysicalResourceId: 'p' })));

  test('after the server drops the first request, the PUT is sent again', async () => {
    server.dropNext = 1;

    const response = await run(request('Create'));

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'p' });
    expect(server.requests).toBe(2);
    expect(sleeps).toEqual([500]); // full jitter: half of the first cap (1 s)
    expect(logs.join('\n')).toMatch(/answering CloudFormation failed \(attempt 1 of 5\): Error: socket hang up; retrying in 500 ms/);
  });

  test('5xx and 429 answers are retried, with a doubling backoff cap', async () => {
    server.statuses.push(503, 500, 429);

    await run(request('Create'));

    expect(server.requests).toBe(4);
    expect(sleeps).toEqual([500, 1000, 2000]);
  });

  test('a 4xx answer (an expired or tampered URL) is not retried', async () => {
    server.statuses.push(403);

    await expect(entrypoint.handler(request('Create'), CONTEXT))
      .rejects.toThrow(/^Answering CloudFormation failed after 1 attempt\(s\): the ResponseURL answered HTTP 403$/);
    expect(server.requests).toBe(1);
  });

  test('after the last attempt, the invocation fails (Lambda retries it)', async () => {
    server.dropNext = 5;

    await expect(entrypoint.handler(request('Create'), CONTEXT))
      .rejects.toThrow(/^Answering CloudFormation failed after 5 attempt\(s\): Error: socket hang up$/);
    expect(server.requests).toBe(5);
    expect(sleeps).toEqual([500, 1000, 2000, 4000]);
  });

  test('an attempt left unanswered is abandoned after the request timeout, and retried', async () => {
    entrypoint.settings = { ...ORIGINAL.settings, requestTimeoutMs: 100 };
    server.hangNext = 1;

    const response = await run(request('Create'));

    expect(response.Status).toBe('SUCCESS');
    expect(server.requests).toBe(2);
    expect(logs.join('\n')).toMatch(/attempt 1 of 5\): Error: no answer from the ResponseURL in 100 ms; retrying/);
  });
});
