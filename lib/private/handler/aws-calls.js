// @ts-check
'use strict';
/*
 * The AWS calls of the library's custom-resource handlers: throttled calls retried with
 * jittered backoff inside the invocation's time budget, and errors that say what was being done.
 * Shared by every provider's handler: `handlerCode()` stages it beside each handler's `index.js`
 * in the function's zip, and in the source tree (and `dist/`) a handler finds it under
 * `private/handler/`. Each handler passes its own module as the runtime, whose settings, clock,
 * randomness, sleep and log its tests replace.
 *
 * Plain JavaScript, Node built-ins only, type-checked with `// @ts-check` (tsconfig.handler.json).
 */

/**
 * The waits of a handler, as deployed (each handler's tests replace its copy with instant ones).
 * @returns {{ initialDelayMs: number, maxDelayMs: number, safetyMarginMs: number, defaultBudgetMs: number,
 *   throttleBaseMs: number, throttleMaxMs: number, throttleAttempts: number }}
 */
function defaultSettings() {
  return {
    /** First wait between two looks at something that is not ready yet (a peering, an attachment, an association). */
    initialDelayMs: 2000,
    /** Longest wait between two looks. */
    maxDelayMs: 20000,
    /** Time kept free before the function's timeout, to undo partial work and answer CloudFormation. */
    safetyMarginMs: 60000,
    /** Time budget when the context does not tell the remaining time (the functions have a 15-minute timeout). */
    defaultBudgetMs: 14 * 60 * 1000,
    /** First backoff cap for a throttled request; each retry doubles it (full jitter: a random wait up to the cap). */
    throttleBaseMs: 500,
    /** Largest backoff cap for a throttled request. */
    throttleMaxMs: 10000,
    /** Attempts of a throttled request (the SDK's own retries come on top). */
    throttleAttempts: 8,
  };
}

/** @type {() => number} A number in [0, 1), for the jitter. */
const random = () => Math.random();
/** @type {(ms: number) => Promise<void>} */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** @type {() => number} */
const now = () => Date.now();
/** @type {(...args: unknown[]) => void} */
// eslint-disable-next-line no-console -- the Lambda function's log (CloudWatch Logs)
const log = (...args) => console.log(...args);

/** Error codes of throttled requests, retried with backoff. */
const THROTTLING = ['RequestLimitExceeded', 'Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestThrottled', 'SlowDown'];

/** A role that cannot be assumed (gone, or no longer trusting this account). */
class RoleError extends Error {}

/** The time budget is spent: the function stops before its timeout, with this message. */
class OutOfTime extends Error {}

/**
 * The time a handler may use: `deadline` for waiting and work, `finalDeadline` (the safety
 * margin later) for undoing partial work; the function answers CloudFormation before it times out.
 * @typedef {object} Budget
 * @property {number} deadline Epoch milliseconds by which waiting and work stop.
 * @property {number} finalDeadline Epoch milliseconds by which undoing stops.
 */

/**
 * What the calls read from the handler's module (its tests replace them).
 * @typedef {object} Runtime
 * @property {{ maxDelayMs: number, safetyMarginMs: number, defaultBudgetMs: number, throttleBaseMs: number, throttleMaxMs: number, throttleAttempts: number }} settings
 * @property {() => number} now
 * @property {() => number} random
 * @property {(ms: number) => Promise<void>} sleep
 * @property {(...args: unknown[]) => void} log
 */

/**
 * The calls of one handler.
 * @param {Runtime} runtime the handler's module
 * @param {string} outOfTimeAdvice what to do when the budget runs out, after "Retry the deployment"
 */
function awsCalls(runtime, outOfTimeAdvice) {
  /**
   * An AWS call, retried while it is throttled (exponential backoff with full jitter, bounded in
   * attempts and by the budget), and not started once the budget is spent. Undoing uses the final deadline.
   * @template T
   * @param {Budget} budget
   * @param {string} doing
   * @param {() => Promise<T>} call
   * @param {boolean} [undoing]
   * @returns {Promise<T>}
   */
  async function callAws(budget, doing, call, undoing) {
    const settings = runtime.settings;
    const deadline = undoing ? budget.finalDeadline : budget.deadline;
    for (let attempt = 1; ; attempt++) {
      if (runtime.now() >= deadline) {
        throw new OutOfTime(`Out of time before ${doing}: the function stops ${Math.round(settings.safetyMarginMs / 1000)} s ` +
          `before its timeout to undo its partial work and answer CloudFormation. Retry the deployment${outOfTimeAdvice}`);
      }
      try {
        return await call();
      } catch (e) {
        const code = errorCode(e);
        if (!THROTTLING.includes(code)) { throw explain(e, doing); }
        const cap = Math.min(settings.throttleMaxMs, settings.throttleBaseMs * 2 ** (attempt - 1));
        const wait = Math.floor(runtime.random() * cap);
        if (attempt >= settings.throttleAttempts || runtime.now() + wait >= deadline) {
          throw explain(e, `${doing} (still throttled after ${attempt} attempts)`);
        }
        runtime.log(`${doing}: throttled (${code}); attempt ${attempt + 1} in ${wait} ms`);
        await runtime.sleep(wait);
      }
    }
  }

  /**
   * The invocation's budget: what the Lambda context says is left (else the default), less the
   * safety margin; undoing gets most of the margin, the rest is for answering CloudFormation.
   * @param {{ getRemainingTimeInMillis?: () => number } | undefined} context
   * @returns {Budget}
   */
  function budgetOf(context) {
    const remaining = context && typeof context.getRemainingTimeInMillis === 'function'
      ? context.getRemainingTimeInMillis()
      : runtime.settings.defaultBudgetMs;
    const start = runtime.now();
    return {
      deadline: start + Math.max(0, remaining - runtime.settings.safetyMarginMs),
      finalDeadline: start + Math.max(0, remaining - runtime.settings.safetyMarginMs / 4),
    };
  }

  /**
   * Between two looks at something that is not ready yet: wait `delay`, unless that would pass
   * `deadline` (then OutOfTime with `outOfTime`), and return the next, doubled, delay (capped).
   * @param {number} deadline
   * @param {number} delay
   * @param {string} outOfTime the message when the time is up
   * @param {string} seen what was seen, for the log
   * @returns {Promise<number>}
   */
  async function lookAgainLater(deadline, delay, outOfTime, seen) {
    if (runtime.now() + delay > deadline) { throw new OutOfTime(outOfTime); }
    runtime.log(`${seen}; looking again in ${delay} ms`);
    await runtime.sleep(delay);
    return Math.min(delay * 2, runtime.settings.maxDelayMs);
  }

  return { callAws, budgetOf, lookAgainLater };
}

/**
 * An error as the AWS SDK v3 throws it (`name` is the error code), or as older code shapes it.
 * @typedef {{ name?: string, Code?: string, code?: string, message?: string }} AwsError
 */

/**
 * @param {unknown} e
 * @returns {string}
 */
function errorCode(e) {
  const error = /** @type {AwsError | null | undefined} */ (e);
  return (error && (error.name || error.Code || error.code)) || 'Error';
}

/**
 * An error that names what was being done; keeps the code as its name.
 * @param {unknown} e
 * @param {string} doing
 * @returns {Error}
 */
function explain(e, doing) {
  if (e instanceof OutOfTime || e instanceof RoleError) { return e; }
  const error = new Error(`Failed ${doing}: ${errorCode(e)}: ${e && /** @type {AwsError} */ (e).message}`);
  error.name = errorCode(e);
  return error;
}

module.exports = { THROTTLING, RoleError, OutOfTime, awsCalls, errorCode, explain, defaultSettings, random, sleep, now, log };
