// @ts-check
'use strict';
/*
 * The Lambda entrypoint of cdk-vpc-connect's custom-resource providers (the function's handler
 * is `__entrypoint__.handler`): it answers CloudFormation for the handler of `index.js`. One file
 * for every provider: `handlerCode()` (lib/private/handler-code.ts) stages it next to each
 * provider's `index.js`.
 *
 * CloudFormation's custom resource protocol
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html): the
 * function is invoked with a request and answers with a JSON document PUT to the request's
 * `ResponseURL`, a pre-signed S3 URL. The handler of `index.js` resolves to
 * `{ PhysicalResourceId?, Data?, NoEcho? }` or throws; this entrypoint turns that into SUCCESS
 * or FAILED, as aws-cdk-lib's `CustomResourceProvider` entrypoint did in 0.1 (same contract, same
 * marker physical id for a failed Create, whose Delete it acknowledges without calling the
 * handler), so a deployed function is updated in place.
 *
 * - The response stays under CloudFormation's 4,096 bytes: a long error message is truncated.
 * - A failed Update or Delete keeps the request's physical id: a new one would tell CloudFormation
 *   that the resource was replaced.
 * - The ResponseURL is never logged, nor passed to the handler: its query string is a signature
 *   that lets anyone answer for the resource.
 * - The PUT is retried, with jittered backoff, on network errors and on 5xx/429 answers.
 *
 * Plain JavaScript on purpose, as `index.js`: Node built-ins only, type-checked with
 * `// @ts-check` (tsconfig.handler.json).
 */

const http = require('http');
const https = require('https');
const { URL } = require('url');

/**
 * A CloudFormation custom resource request
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requests.html).
 * @typedef {object} CloudFormationRequest
 * @property {'Create' | 'Update' | 'Delete'} RequestType
 * @property {string} ResponseURL The pre-signed URL the response is PUT to.
 * @property {string} StackId
 * @property {string} RequestId
 * @property {string} ResourceType
 * @property {string} LogicalResourceId
 * @property {string} [PhysicalResourceId] Sent with Update and Delete.
 * @property {{ [name: string]: unknown }} [ResourceProperties]
 * @property {{ [name: string]: unknown }} [OldResourceProperties] Sent with Update.
 *
 * What the handler of `index.js` resolves to (all optional).
 * @typedef {object} HandlerResult
 * @property {string} [PhysicalResourceId] The request's physical id (Update, Delete) or its RequestId (Create) when absent.
 * @property {{ [name: string]: unknown }} [Data] Attributes for `Fn::GetAtt`.
 * @property {boolean} [NoEcho] Mask `Data` in CloudFormation's outputs (and in this function's log).
 *
 * The response PUT to the ResponseURL
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html).
 * @typedef {object} CloudFormationResponse
 * @property {'SUCCESS' | 'FAILED'} Status
 * @property {string} [Reason] Why it failed (FAILED only).
 * @property {string} PhysicalResourceId
 * @property {string} StackId
 * @property {string} RequestId
 * @property {string} LogicalResourceId
 * @property {boolean} [NoEcho]
 * @property {{ [name: string]: unknown }} [Data]
 *
 * The part of the Lambda context that the entrypoint reads; passed on to the handler.
 * @typedef {object} EntrypointContext
 * @property {string} [logStreamName] Named in the reason of a failure, where the details are.
 * @property {() => number} [getRemainingTimeInMillis]
 *
 * The handler of `index.js` gets the request without its ResponseURL, and the Lambda context.
 * @typedef {(event: Omit<CloudFormationRequest, 'ResponseURL'>, context: EntrypointContext | undefined)
 *   => Promise<HandlerResult | undefined>} UserHandler
 */

/**
 * The physical id answered for a failed Create, whose Delete (CloudFormation's rollback) is then
 * acknowledged without calling the handler: nothing was created, and the handler could fail
 * again for the reason the Create failed, leaving the stack in ROLLBACK_FAILED. The value of
 * aws-cdk-lib's entrypoint, which 0.1 used: a rollback left unfinished by 0.1 ends the same way.
 */
const CREATE_FAILED_PHYSICAL_ID = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';

/** CloudFormation's limit on the size of a response (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html). */
const RESPONSE_LIMIT_BYTES = 4096;

/** What replaces the cut end of a truncated reason. */
const TRUNCATED = ' [...]';

/** What the handler and the log see instead of the ResponseURL. */
const REDACTED = '(redacted)';

/** The provider's handler, staged beside this file in the function's zip (`handlerCode`). */
const HANDLER_MODULE = './index';

/** Calls the handler of `index.js`; tests replace it. @type {UserHandler} */
exports.userHandler = (event, context) => require(HANDLER_MODULE).handler(event, context);

/** Answering CloudFormation. Tests make the waits short. */
exports.settings = {
  /** Attempts of the PUT to the ResponseURL. */
  attempts: 5,
  /** Backoff cap before the second attempt; each further attempt doubles it (full jitter: a random wait up to the cap). */
  retryBaseMs: 1000,
  /** How long one attempt may stay without activity on its socket before it is abandoned (and retried). */
  requestTimeoutMs: 30000,
};
/** @type {() => number} A number in [0, 1), for the jitter. */
exports.random = () => Math.random();
/** @type {(ms: number) => Promise<void>} */
exports.sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** @type {(...args: unknown[]) => void} */
// eslint-disable-next-line no-console -- the Lambda function's log (CloudWatch Logs)
exports.log = (...args) => console.log(...args);

/**
 * The function's handler: run the handler of `index.js` and answer CloudFormation.
 * @param {CloudFormationRequest} event
 * @param {EntrypointContext} [context]
 * @returns {Promise<void>}
 */
exports.handler = async function handler(event, context) {
  const request = { ...event, ResponseURL: REDACTED };
  exports.log('request:', JSON.stringify(request));

  if (event.RequestType === 'Delete' && event.PhysicalResourceId === CREATE_FAILED_PHYSICAL_ID) {
    exports.log('Delete of a resource whose Create failed: nothing was created, nothing to delete');
    await respond(event, success(event, {}));
    return;
  }

  /** @type {CloudFormationResponse} */
  let response;
  try {
    const result = await exports.userHandler(request, context);
    response = success(event, result || {});
  } catch (e) {
    exports.log(`${event.RequestType} failed:`, e instanceof Error ? (e.stack || e.message) : String(e));
    response = failure(event, messageOf(e), context);
  }
  await respond(event, response, context);
};

/**
 * A SUCCESS response with what the handler resolved to; throws when CloudFormation would not take it.
 * @param {CloudFormationRequest} event
 * @param {HandlerResult} result
 * @returns {CloudFormationResponse}
 */
function success(event, result) {
  if (typeof result !== 'object' || result === null) {
    throw new Error(`The handler resolved to ${JSON.stringify(result)}, not to an object.`);
  }
  const physicalResourceId = result.PhysicalResourceId ?? event.PhysicalResourceId ?? event.RequestId;
  if (typeof physicalResourceId !== 'string' || physicalResourceId === '') {
    throw new Error(`The handler returned the physical id ${JSON.stringify(physicalResourceId)}, not a non-empty string.`);
  }
  if (event.RequestType === 'Delete' && physicalResourceId !== event.PhysicalResourceId) {
    throw new Error(`A Delete cannot change the physical id (from ${JSON.stringify(event.PhysicalResourceId)} to ${JSON.stringify(physicalResourceId)}).`);
  }
  return {
    Status: 'SUCCESS',
    PhysicalResourceId: physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: result.NoEcho,
    Data: result.Data,
  };
}

/**
 * A FAILED response. A failed Update or Delete keeps the request's physical id (a new one would
 * mean a replacement); a failed Create gets the marker whose Delete is acknowledged.
 * @param {CloudFormationRequest} event
 * @param {string} message
 * @param {EntrypointContext | undefined} context
 * @returns {CloudFormationResponse}
 */
function failure(event, message, context) {
  return {
    Status: 'FAILED',
    Reason: message + logStreamSuffix(context),
    PhysicalResourceId: event.PhysicalResourceId || (event.RequestType === 'Create' ? CREATE_FAILED_PHYSICAL_ID : event.RequestId),
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  };
}

/**
 * @param {EntrypointContext | undefined} context
 * @returns {string}
 */
function logStreamSuffix(context) {
  return context && context.logStreamName ? ` (details in the function's log stream ${context.logStreamName})` : '';
}

/**
 * @param {unknown} e
 * @returns {string}
 */
function messageOf(e) {
  if (e instanceof Error) { return e.message || e.name; }
  return String(e);
}

/**
 * PUT the response to the request's ResponseURL, made to fit CloudFormation's limit.
 * @param {CloudFormationRequest} event
 * @param {CloudFormationResponse} response
 * @param {EntrypointContext} [context]
 * @returns {Promise<void>}
 */
async function respond(event, response, context) {
  const body = responseBody(event, response, context);
  const logged = JSON.parse(body);
  if (logged.NoEcho && logged.Data !== undefined) { logged.Data = REDACTED; }
  /** @type {URL} */
  let url;
  try {
    url = new URL(event.ResponseURL);
  } catch {
    throw new Error('The request\'s ResponseURL is not a URL: CloudFormation cannot be answered.');
  }
  exports.log(`response to ${url.protocol}//${url.host}:`, JSON.stringify(logged));
  await put(url, body);
}

/**
 * The JSON body of a response, at most {@link RESPONSE_LIMIT_BYTES} bytes: the reason of a
 * failure is truncated (the log stream stays named); a success too large for CloudFormation (its
 * Data) becomes a failure that says so.
 * @param {CloudFormationRequest} event
 * @param {CloudFormationResponse} response
 * @param {EntrypointContext} [context]
 * @returns {string}
 */
function responseBody(event, response, context) {
  const body = JSON.stringify(response);
  const size = Buffer.byteLength(body, 'utf8');
  if (size <= RESPONSE_LIMIT_BYTES) { return body; }
  if (response.Status === 'SUCCESS') {
    const failed = failure(event, `The response to CloudFormation would be ${size} bytes, more than the ${RESPONSE_LIMIT_BYTES} it accepts: ` +
      'return less Data.', context);
    // The handler did its work: the physical id it returned is kept, so that CloudFormation's
    // Delete (the rollback) reaches the handler and undoes it.
    return responseBody(event, { ...failed, PhysicalResourceId: response.PhysicalResourceId }, context);
  }
  const reason = response.Reason || '';
  const suffix = logStreamSuffix(context);
  const message = reason.endsWith(suffix) ? reason.slice(0, reason.length - suffix.length) : reason;
  /** @type {(kept: number) => string} */
  const withMessage = (kept) => JSON.stringify({ ...response, Reason: cut(message, kept) + TRUNCATED + suffix });
  /** @type {(text: string) => boolean} */
  const fits = (text) => Buffer.byteLength(text, 'utf8') <= RESPONSE_LIMIT_BYTES;
  // The longest head of the message that fits (characters escape and encode to 1 to 6 bytes);
  // the request's ids take under 2 KB (a physical id is 1 KB at most), so the log stream's name always fits.
  let low = 0;
  let high = message.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(withMessage(middle))) { low = middle; } else { high = middle - 1; }
  }
  return withMessage(low);
}

/**
 * The first `length` characters of `text`, without splitting a surrogate pair.
 * @param {string} text
 * @param {number} length
 * @returns {string}
 */
function cut(text, length) {
  const head = text.slice(0, length);
  const last = head.charCodeAt(head.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? head.slice(0, -1) : head;
}

/**
 * PUT `body` to `url`, retried on network errors and on 5xx and 429 answers.
 * @param {URL} url
 * @param {string} body
 * @returns {Promise<void>}
 */
async function put(url, body) {
  const attempts = Math.max(1, exports.settings.attempts);
  let cap = exports.settings.retryBaseMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await putOnce(url, body);
      return;
    } catch (e) {
      const error = /** @type {Error & { retryable?: boolean }} */ (e);
      if (error.retryable === false || attempt >= attempts) {
        exports.log(`answering CloudFormation failed (attempt ${attempt} of ${attempts}): ${error.message}`);
        throw new Error(`Answering CloudFormation failed after ${attempt} attempt(s): ${error.message}`);
      }
      const wait = Math.floor(exports.random() * cap);
      exports.log(`answering CloudFormation failed (attempt ${attempt} of ${attempts}): ${error.message}; retrying in ${wait} ms`);
      await exports.sleep(wait);
      cap *= 2;
    }
  }
}

/**
 * One PUT; rejects with `retryable: false` on an answer that a retry does not change (4xx but 429).
 * Error messages never hold the URL.
 * @param {URL} url
 * @param {string} body
 * @returns {Promise<void>}
 */
function putOnce(url, body) {
  return new Promise((resolve, reject) => {
    const transport = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
    if (!transport) {
      reject(Object.assign(new Error(`the ResponseURL's protocol ${url.protocol} is not https`), { retryable: false }));
      return;
    }
    const request = transport.request(url, {
      method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body, 'utf8') },
      timeout: exports.settings.requestTimeoutMs,
    }, (response) => {
      response.resume();
      const status = response.statusCode || 0;
      if (status >= 200 && status < 300) {
        resolve();
      } else {
        reject(Object.assign(new Error(`the ResponseURL answered HTTP ${status}`), { retryable: status >= 500 || status === 429 }));
      }
    });
    request.on('timeout', () => request.destroy(new Error(`no answer from the ResponseURL in ${exports.settings.requestTimeoutMs} ms`)));
    request.on('error', (e) => reject(new Error(`${e.name}: ${e.message}`)));
    request.end(body);
  });
}
