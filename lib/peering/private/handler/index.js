// @ts-check
'use strict';
/*
 * Custom resources of cdk-vpc-connect's peering.
 *
 * The function's entrypoint (`__entrypoint__.js`) calls `handler(event, context)`, sends
 * `{ PhysicalResourceId, Data }` to CloudFormation when it resolves and FAILED with the
 * error's message when it throws. A failed Create is answered with a marker physical id
 * whose Delete the entrypoint ignores, so a Create undoes its own routes before it throws.
 *
 * Never strand a stack: new properties are checked before anything is written, old ones never
 * fail an update (the rollback of a failed update gets them), Delete succeeds when there is
 * nothing it can or must clean (no record, role or peering gone) and fails only on an owned
 * route that cannot be removed; throttled calls are retried with jittered backoff; waiting and
 * work share one budget from the Lambda context, ending `safetyMarginMs` before the timeout so
 * that partial work is undone and CloudFormation answered. Routes ownership: see below.
 *
 * Resource types:
 * - Custom::VpcConnectPeeringRoutes: routes toward a peering connection in route tables of
 *   one side (typically the accepter's, in another account, through its role).
 * - Custom::VpcConnectPeeringDns: AllowDnsResolutionFromRemoteVpc on one side of a peering.
 *
 * Plain JavaScript on purpose: the directory is the Lambda asset as it is. Only the AWS SDK
 * v3 clients that the Lambda Node.js runtime ships are used, loaded lazily so that tests can
 * replace `exports.clients` and run without the SDK.
 *
 * Type-checked with `// @ts-check` and the JSDoc types below (`npm run typecheck:handler`,
 * tsconfig.handler.json); the SDK's types come from its packages, which are devDependencies.
 */

/**
 * A CloudFormation custom resource request, as the entrypoint passes it on (ResponseURL redacted).
 * CloudFormation sends every property as a string or a list of strings (ServiceToken included);
 * the handler checks the properties it reads, so they arrive untyped.
 * @typedef {{ [name: string]: unknown }} ResourceProperties
 *
 * @typedef {object} EventCommon
 * @property {string} ResourceType The custom resource type, `Custom::...`.
 * @property {ResourceProperties} ResourceProperties
 * @property {string} [ServiceToken]
 * @property {string} [ResponseURL]
 * @property {string} [StackId]
 * @property {string} [RequestId]
 * @property {string} [LogicalResourceId]
 *
 * @typedef {EventCommon & { RequestType: 'Create' }} CreateEvent
 * @typedef {EventCommon & { RequestType: 'Update', PhysicalResourceId: string, OldResourceProperties: ResourceProperties }} UpdateEvent
 * @typedef {EventCommon & { RequestType: 'Delete', PhysicalResourceId: string }} DeleteEvent
 * @typedef {CreateEvent | UpdateEvent | DeleteEvent} CustomResourceEvent
 *
 * What the provider entrypoint sends back to CloudFormation.
 * @typedef {object} CustomResourceResponse
 * @property {string} PhysicalResourceId
 * @property {{ [name: string]: unknown }} [Data]
 *
 * The part of the Lambda context that the handler reads.
 * @typedef {object} LambdaContext
 * @property {() => number} getRemainingTimeInMillis
 */

/**
 * The AWS SDK v3 calls that the handler makes: the aggregated clients narrowed to them, so that
 * tests can stand in fakes that implement just these.
 * @typedef {Pick<import('@aws-sdk/client-ec2').EC2, 'createRoute' | 'replaceRoute' | 'deleteRoute' | 'describeRouteTables'
 *   | 'describeVpcPeeringConnections' | 'modifyVpcPeeringConnectionOptions'>} Ec2Api
 * @typedef {Pick<import('@aws-sdk/client-sts').STS, 'assumeRole'>} StsApi
 * @typedef {import('@aws-sdk/client-ec2').EC2ClientConfig['credentials']} Ec2Credentials
 * @typedef {import('@aws-sdk/client-ec2').Route} Ec2Route
 * @typedef {import('@aws-sdk/client-ec2').VpcPeeringConnection} Peering
 * @typedef {import('@aws-sdk/client-ec2').VpcPeeringConnectionStateReason} PeeringStatus
 *
 * The CloudFormation call that finds the other resources of the stack (the Lambda runtime ships
 * `@aws-sdk/client-cloudformation`; it is not a dependency of this package, so its shape is written here).
 * @typedef {{ LogicalResourceId?: string, PhysicalResourceId?: string, ResourceType?: string, ResourceStatus?: string }} StackResourceSummary
 * @typedef {{ listStackResources(input: { StackName: string, NextToken?: string }):
 *   Promise<{ StackResourceSummaries?: StackResourceSummary[], NextToken?: string }> }} CfnApi
 *
 * @typedef {object} Clients
 * @property {(region: string | undefined, credentials: Ec2Credentials) => Ec2Api} ec2
 * @property {(region: string | undefined) => StsApi} sts
 * @property {(region: string | undefined) => CfnApi} cfn
 */

/**
 * The time the handler may use (aws-calls.js).
 * @typedef {import('../../../private/handler/aws-calls').Budget} Budget
 *
 * What a routes resource's physical id records (see "Ownership" below).
 * @typedef {object} RoutesRecord
 * @property {string | undefined} region
 * @property {string} peeringConnectionId
 * @property {string[]} keep Hashes of routes found pointing at the peering at Create, never removed.
 * @property {string[]} inh Hashes of routes taken over from another resource of the stack.
 * @property {string[]} sw Hashes of routes switched over from the peering `from` by a replacement.
 * @property {string | undefined} from
 */

/**
 * The properties both resource types share, checked.
 * @typedef {object} CommonProps
 * @property {string} peeringConnectionId
 * @property {string | undefined} region The resource's region; the function's own when undefined.
 * @property {string | undefined} roleArn The role to assume for the EC2 calls, if any.
 *
 * @typedef {CommonProps & { routeTableIds: string[], ipv4: string[], ipv6: string[] }} RoutesProps
 * @typedef {CommonProps & { side: 'requester' | 'accepter', allow: boolean }} DnsProps
 *
 * One route of a Custom::VpcConnectPeeringRoutes: `key` identifies it across updates.
 * @typedef {object} RouteKey
 * @property {string} key
 * @property {string} table
 * @property {string} cidr
 * @property {boolean} ipv6
 */

const ROUTES_TYPE = 'Custom::VpcConnectPeeringRoutes';
const DNS_TYPE = 'Custom::VpcConnectPeeringDns';
const STACK_VALUES_TYPE = 'Custom::VpcConnectStackValues';
const SESSION_NAME = 'cdk-vpc-connect';

/**
 * Peering states that turn into `active` by themselves or once the accepter accepts.
 * @type {ReadonlyArray<string | undefined>}
 */
const WAITING_STATES = ['initiating-request', 'pending-acceptance', 'provisioning'];
/**
 * Peering states from which the connection never becomes active.
 * @type {ReadonlyArray<string | undefined>}
 */
const FAILED_STATES = ['failed', 'rejected', 'expired', 'deleted', 'deleting'];


const crypto = require('crypto');

/** The calls shared by the library's handlers: beside this file in the function's zip, under private/handler in the source tree. */
/** @type {typeof import('../../../private/handler/aws-calls')} */
const shared = require(require('fs').existsSync(require('path').join(__dirname, 'aws-calls.js')) ? './aws-calls' : '../../../private/handler/aws-calls');
const { OutOfTime, RoleError, errorCode } = shared;

const PEERING_NOT_FOUND = 'InvalidVpcPeeringConnectionID.NotFound';
const ROUTE_NOT_FOUND = 'InvalidRoute.NotFound';
const TABLE_NOT_FOUND = 'InvalidRouteTableID.NotFound';

/**
 * Client factories. Each returns an object with the SDK v3 aggregated client's methods
 * (`describeVpcPeeringConnections(input)`, ... and `assumeRole(input)`); tests replace them.
 * @type {Clients}
 */
exports.clients = {
  ec2(region, credentials) {
    // eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda Node.js runtime ships the SDK v3
    const { EC2 } = require('@aws-sdk/client-ec2');
    return new EC2({ region, credentials });
  },
  sts(region) {
    // The regional endpoint of the function's own region (the SDK v3 default for a region).
    // eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda Node.js runtime ships the SDK v3
    const { STS } = require('@aws-sdk/client-sts');
    return new STS({ region });
  },
  cfn(region) {
    // Not a dependency of this package (the Lambda Node.js runtime ships it): loaded by a name
    // held in a variable, typed by CfnApi above.
    const name = '@aws-sdk/client-cloudformation';
    const { CloudFormation } = require(name);
    return new CloudFormation({ region });
  },
};

/** Waiting and backoff, the clock, randomness and the log (aws-calls.js). Tests make them instant. */
exports.settings = shared.defaultSettings();
/** @type {() => number} A number in [0, 1), for the jitter. */
exports.random = shared.random;
/** @type {(ms: number) => Promise<void>} */
exports.sleep = shared.sleep;
/** @type {() => number} */
exports.now = shared.now;
/** @type {(...args: unknown[]) => void} */
exports.log = shared.log;

/** AWS calls retried while throttled, within the budget, and the budget of an invocation (aws-calls.js). */
const { callAws, budgetOf, lookAgainLater } = shared.awsCalls(exports, '; if it runs out of time again, split the route tables or destinations over several peerings or stacks.');

/**
 * @param {CustomResourceEvent} event
 * @param {LambdaContext} [context]
 * @returns {Promise<CustomResourceResponse>}
 */
exports.handler = async function handler(event, context) {
  const budget = budgetOf(context);
  switch (event.ResourceType) {
    case ROUTES_TYPE: return onRoutes(event, budget);
    case DNS_TYPE: return onDns(event, budget);
    case STACK_VALUES_TYPE: return onStackValues(event, budget);
    default: throw new Error(`Unsupported resource type ${event.ResourceType}: this function serves ${ROUTES_TYPE}, ${DNS_TYPE} and ${STACK_VALUES_TYPE}.`);
  }
};

// ---------------------------------------------------------------------------------------
// Custom::VpcConnectStackValues
//
// The physical ids of resources of another stack of the same account and region (a mesh member's
// VPC id and route table ids), read at deploy time with cloudformation:ListStackResources in place
// of exports and Fn::ImportValue: an export cannot be removed while a stack imports it, so a mesh
// member could not leave the mesh in one deploy. Nothing is written: Delete has nothing to undo,
// and an Update (or its rollback) reads again.
//
//   Properties: StackName (the producer stack), Values: { <attribute>: <logical id> }, Fingerprint
//   (changes when a value may have changed, so the consumer reads again). Data: { <attribute>: <physical id> }.

/**
 * @param {CustomResourceEvent} event
 * @param {Budget} budget
 * @returns {Promise<CustomResourceResponse>}
 */
async function onStackValues(event, budget) {
  if (event.RequestType === 'Delete') {
    exports.log('stack values are only read: nothing to delete');
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const props = stackValuesProps(event.ResourceProperties);
  const cfn = exports.clients.cfn(process.env.AWS_REGION);
  /** @type {Map<string, StackResourceSummary>} */
  const byLogicalId = new Map();
  /** @type {string | undefined} */
  let token;
  do {
    const page = await callAws(budget, `listing the resources of stack ${props.stackName}`,
      () => cfn.listStackResources({ StackName: props.stackName, NextToken: token }));
    for (const r of page.StackResourceSummaries || []) {
      if (r.LogicalResourceId) { byLogicalId.set(r.LogicalResourceId, r); }
    }
    token = page.NextToken;
  } while (token);

  /** @type {{ [name: string]: string }} */
  const data = {};
  const missing = [];
  for (const [attribute, logicalId] of Object.entries(props.values)) {
    const found = byLogicalId.get(logicalId);
    if (!found || !found.PhysicalResourceId || /^DELETE_/.test(found.ResourceStatus || '')) {
      missing.push(`${logicalId}${found ? ` (${found.ResourceStatus})` : ''}`);
    } else {
      data[attribute] = found.PhysicalResourceId;
    }
  }
  if (missing.length > 0) {
    throw new Error(`Stack ${props.stackName} has no resource ${missing.join(', ')} to read: deploy that stack first ` +
      '(cdk deploy --all deploys it first: this stack depends on it), or check that the resource was not removed from it.');
  }
  exports.log(`read ${Object.keys(data).length} value(s) of stack ${props.stackName}`);
  return { PhysicalResourceId: `vpc-connect-stack-values:${props.stackName}`, Data: data };
}

/**
 * @param {ResourceProperties} p
 * @returns {{ stackName: string, values: { [attribute: string]: string } }}
 */
function stackValuesProps(p) {
  const stackName = p.StackName;
  if (typeof stackName !== 'string' || !/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(stackName)) {
    throw new Error(`StackName ${JSON.stringify(stackName)} is not a stack name (letters, digits and dashes, starting with a letter).`);
  }
  const values = p.Values;
  if (values === null || typeof values !== 'object' || Array.isArray(values)) {
    throw new Error(`Values ${JSON.stringify(values)} must map attribute names to logical ids.`);
  }
  /** @type {{ [attribute: string]: string }} */
  const checked = {};
  for (const [attribute, logicalId] of Object.entries(values)) {
    if (typeof logicalId !== 'string' || !/^[A-Za-z0-9]{1,255}$/.test(logicalId)) {
      throw new Error(`Values.${attribute} ${JSON.stringify(logicalId)} is not a logical id (letters and digits).`);
    }
    checked[attribute] = logicalId;
  }
  return { stackName, values: checked };
}

// ---------------------------------------------------------------------------------------
// Custom::VpcConnectPeeringRoutes
//
// Ownership. A resource removes only the routes it owns, and only while they still point at
// its peering. It owns the routes of its tables and destinations except those that already
// pointed at the peering when it was created (`keep`: a hand-made route, or one of another
// resource). Its physical id records them, with 24-bit hashes of `table|destination`:
//
//   vpc-connect-routes:<region>:<pcx>[;keep=<hashes>][;inh=<hashes>][;from=<pcx>;sw=<hashes>]
//
// - keep: routes found pointing at the peering at Create, owned by no resource of this stack: never removed.
// - inh: routes found pointing at the peering at Create while another live resource of the same stack
//   served the same peering (a logical-id change: the new resource is created before the old one is
//   deleted). They are handed over: the old resource's Delete leaves them, and this resource removes
//   them once no other resource of the stack serves the peering (so a rollback that deletes this
//   resource leaves them to the old one).
// - from/sw: a replacement (another peering) switched these routes over from the peering `from`;
//   while `from` is still active (the rollback of that replacement), Delete points them back at it.
// The stack's resources are read with cloudformation:ListStackResources; without that permission
// the handover cannot be seen (logged) and every found route counts as `keep`.

const PHYSICAL_ID_LIMIT = 1000; // CloudFormation accepts up to 1 KB (custom resource response objects)
/** Resource statuses of a resource that stays in the stack (not being created or deleted). */
const LIVE_STATUS = /^(CREATE_COMPLETE|UPDATE_|IMPORT_COMPLETE|IMPORT_ROLLBACK_COMPLETE)/;

/**
 * @param {CustomResourceEvent} event
 * @param {Budget} budget
 * @returns {Promise<CustomResourceResponse>}
 */
async function onRoutes(event, budget) {
  if (event.RequestType === 'Delete') {
    return onRoutesDelete(event, budget);
  }
  // The new properties are checked before anything is written: a bad value fails here, and the
  // rollback (an Update back to the old properties) succeeds.
  const props = routesProps(event.ResourceProperties);
  if (event.RequestType === 'Create') {
    const ec2 = await ec2Client(props, budget);
    await waitUntilActive(ec2, props.peeringConnectionId, budget);
    const result = await createRoutes(ec2, props, routeKeys(props), undefined, budget);
    const record = await recordFound(event, props, result.found, budget);
    return { PhysicalResourceId: formatRecord(record) };
  }
  // Update. The old properties are those of the last successful state, or, in the rollback of a
  // failed update, the failed ones: they are read leniently and never fail the update.
  const old = tryProps(routesProps, event.OldResourceProperties, 'OldResourceProperties');
  const record = parseRecord(event.PhysicalResourceId);
  const oldPeering = record ? record.peeringConnectionId : old && old.peeringConnectionId;
  const oldRegion = record ? record.region : old && old.region;
  const ec2 = await ec2Client(props, budget);
  if (oldPeering !== props.peeringConnectionId || oldRegion !== props.region) {
    // Replacement: the new set under a new physical id; CloudFormation then deletes the old
    // resource, which removes only the routes that still point at the old peering. Routes of
    // the old peering to the same destinations in the same region are switched over.
    await waitUntilActive(ec2, props.peeringConnectionId, budget);
    const adoptFrom = oldRegion === props.region ? oldPeering : undefined;
    const result = await createRoutes(ec2, props, routeKeys(props), adoptFrom, budget);
    const next = await recordFound(event, props, result.found, budget);
    if (adoptFrom && result.switched.length > 0) {
      next.from = adoptFrom;
      next.sw = result.switched.map(hashOf);
    }
    return { PhysicalResourceId: formatRecord(next) };
  }
  // Same peering (the role may have changed: routes are those of the same tables): add and remove.
  // Without readable old properties, nothing is removed and every route is made sure of.
  const kept = new Set(record ? record.keep : []);
  const before = new Map((old ? routeKeys(old) : []).map((r) => [r.key, r]));
  const after = new Map(routeKeys(props).map((r) => [r.key, r]));
  const added = [...after.values()].filter((r) => !before.has(r.key));
  const removed = [...before.values()].filter((r) => !after.has(r.key) && !kept.has(hashOf(r)));
  if (added.length > 0) {
    await waitUntilActive(ec2, props.peeringConnectionId, budget);
    const result = await createRoutes(ec2, props, added, undefined, budget);
    for (const route of result.found) {
      // The physical id cannot change in an update, so such a route cannot be recorded as not this resource's.
      exports.log(`route to ${route.cidr} in ${route.table} already points at ${props.peeringConnectionId}: counted as this resource's`);
    }
  }
  for (const route of removed) {
    await deleteOwnedRoute(ec2, props.peeringConnectionId, route, budget);
  }
  return { PhysicalResourceId: event.PhysicalResourceId };
}

/**
 * Delete: the routes this resource owns that still point at its peering. Succeeds when there
 * is nothing left to clean (no record of a finished Create, unreadable properties, a role that
 * is gone, tables or routes that are gone); fails only when an owned route exists and cannot be removed.
 * @param {DeleteEvent} event
 * @param {Budget} budget
 * @returns {Promise<CustomResourceResponse>}
 */
async function onRoutesDelete(event, budget) {
  const done = { PhysicalResourceId: event.PhysicalResourceId };
  const record = parseRecord(event.PhysicalResourceId);
  if (!record) {
    // A Create that failed undoes its own routes before it answers; one that never answered (the
    // function died) left no record of what it created, so nothing is removed: the routes it may
    // have left point at the peering and, once the peering is gone, a later Create replaces them.
    exports.log(`physical id ${event.PhysicalResourceId} records no routes created by this resource (its Create did not finish): nothing to remove`);
    return done;
  }
  const props = tryProps(routesProps, event.ResourceProperties, 'ResourceProperties');
  if (!props) {
    exports.log('the properties cannot be read, so no route of this resource is known: nothing to remove');
    return done;
  }
  const pcx = record.peeringConnectionId;
  let ec2;
  try {
    ec2 = await ec2Client({ ...props, region: record.region }, budget);
  } catch (e) {
    if (!(e instanceof RoleError)) { throw e; }
    exports.log(`${e.message} Nothing can be cleaned: the routes of this resource, if any are left, stay in place ` +
      `(they stop working with the peering ${pcx}, and a later Create replaces them).`);
    return done;
  }
  const keep = new Set(record.keep);
  const inherited = new Set(record.inh);
  const switched = new Set(record.sw);
  const owned = routeKeys(props).filter((r) => !keep.has(hashOf(r)));
  /** @type {RoutesRecord[] | undefined} */
  let siblings;
  /** @type {boolean | undefined} */
  let fromActive;
  for (const route of owned) {
    const existing = await findRoute(ec2, route, budget);
    if (!existing || existing.VpcPeeringConnectionId !== pcx) {
      exports.log(existing
        ? `route to ${route.cidr} in ${route.table} points at ${describeTarget(existing)}, not at ${pcx}: left in place`
        : `route to ${route.cidr} in ${route.table} is gone already`);
      continue;
    }
    const hash = hashOf(route);
    siblings = siblings || await liveSiblings(event, record, budget);
    if (siblings.some((s) => s.inh.includes(hash))) {
      exports.log(`route to ${route.cidr} in ${route.table} was handed over to another resource of this stack for ${pcx}: left in place`);
      continue;
    }
    if (inherited.has(hash) && siblings.some((s) => !s.keep.includes(hash))) {
      exports.log(`route to ${route.cidr} in ${route.table} was taken over from another resource of this stack, which is still there: left to it`);
      continue;
    }
    if (record.from && switched.has(hash)) {
      if (fromActive === undefined) {
        const from = await describePeering(ec2, record.from, budget);
        fromActive = Boolean(from && from.Status && from.Status.Code === 'active');
      }
      if (fromActive) {
        // The rollback of a replacement: the old resource (and its peering) stay.
        await callAws(budget, `pointing the route to ${route.cidr} in ${route.table} back at ${record.from}`,
          () => ec2.replaceRoute({ RouteTableId: route.table, VpcPeeringConnectionId: record.from, ...destination(route) }));
        exports.log(`route to ${route.cidr} in ${route.table} pointed back at ${record.from}, from which it was switched`);
        continue;
      }
    }
    await deleteOwnedRoute(ec2, pcx, route, budget, existing);
  }
  return done;
}

/**
 * Sort the routes found pointing at the peering at Create into handed-over (`inh`) and foreign (`keep`).
 * @param {CreateEvent | UpdateEvent} event
 * @param {RoutesProps} props
 * @param {RouteKey[]} found
 * @param {Budget} budget
 * @returns {Promise<RoutesRecord>}
 */
async function recordFound(event, props, found, budget) {
  /** @type {RoutesRecord} */
  const record = { region: props.region, peeringConnectionId: props.peeringConnectionId, keep: [], inh: [], sw: [], from: undefined };
  if (found.length === 0) { return record; }
  const siblings = await liveSiblings(event, record, budget);
  for (const route of found) {
    const hash = hashOf(route);
    if (siblings.some((s) => !s.keep.includes(hash))) {
      exports.log(`route to ${route.cidr} in ${route.table} already points at ${props.peeringConnectionId}, ` +
        'created by another resource of this stack for the same peering: taken over when that one is deleted');
      record.inh.push(hash);
    } else {
      exports.log(`route to ${route.cidr} in ${route.table} already points at ${props.peeringConnectionId} ` +
        'and was not created by this resource: it will never remove it');
      record.keep.push(hash);
    }
  }
  return record;
}

/**
 * The other resources of this stack that serve the same peering in the same region and stay in it.
 * @param {CustomResourceEvent} event
 * @param {RoutesRecord} record
 * @param {Budget} budget
 * @returns {Promise<RoutesRecord[]>}
 */
async function liveSiblings(event, record, budget) {
  if (!event.StackId || !event.LogicalResourceId) { return []; }
  /** @type {StackResourceSummary[]} */
  const resources = [];
  try {
    const cfn = exports.clients.cfn(process.env.AWS_REGION);
    /** @type {string | undefined} */
    let token;
    do {
      const page = await callAws(budget, `listing the resources of stack ${event.StackId}`,
        () => cfn.listStackResources({ StackName: /** @type {string} */ (event.StackId), NextToken: token }));
      resources.push(...(page.StackResourceSummaries || []));
      token = page.NextToken;
    } while (token);
  } catch (e) {
    if (e instanceof OutOfTime) { throw e; }
    exports.log(`could not list the resources of stack ${event.StackId} (${errorCode(e)}: ${/** @type {Error} */ (e).message}): ` +
      'routes shared with another resource of the stack (a logical-id change) cannot be seen');
    return [];
  }
  /** @type {RoutesRecord[]} */
  const siblings = [];
  for (const r of resources) {
    if (r.ResourceType !== ROUTES_TYPE || r.LogicalResourceId === event.LogicalResourceId || !LIVE_STATUS.test(r.ResourceStatus || '')) { continue; }
    const other = parseRecord(r.PhysicalResourceId);
    if (other && other.peeringConnectionId === record.peeringConnectionId && other.region === record.region) { siblings.push(other); }
  }
  return siblings;
}

/**
 * @param {ResourceProperties} p
 * @returns {RoutesProps}
 */
function routesProps(p) {
  const props = commonProps(p);
  /** @type {(name: string) => string[]} */
  const list = (name) => {
    const value = p[name] === undefined || p[name] === '' ? [] : p[name];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
      throw new Error(`${name} must be a list of strings, got ${JSON.stringify(p[name])}.`);
    }
    return value;
  };
  return {
    ...props,
    routeTableIds: unique(list('RouteTableIds')),
    ipv4: unique(list('DestinationCidrBlocks')),
    ipv6: unique(list('DestinationIpv6CidrBlocks').map(canonicalIpv6)),
  };
}

/**
 * The properties, or undefined (logged) when they cannot be read.
 * @template T
 * @param {(p: ResourceProperties) => T} parse
 * @param {ResourceProperties | undefined} p
 * @param {string} what
 * @returns {T | undefined}
 */
function tryProps(parse, p, what) {
  try {
    return parse(p || {});
  } catch (e) {
    exports.log(`${what} ignored: ${/** @type {Error} */ (e).message}`);
    return undefined;
  }
}

/**
 * @param {RoutesRecord} record
 * @returns {string}
 */
function formatRecord(record) {
  let id = `vpc-connect-routes:${record.region}:${record.peeringConnectionId}`;
  if (record.keep.length > 0) { id += `;keep=${record.keep.join('')}`; }
  if (record.inh.length > 0) { id += `;inh=${record.inh.join('')}`; }
  if (record.from) { id += `;from=${record.from};sw=${record.sw.join('')}`; }
  if (id.length > PHYSICAL_ID_LIMIT) {
    throw new Error(`Too many routes to record: ${record.keep.length + record.inh.length} routes already pointed at ${record.peeringConnectionId} ` +
      `and ${record.sw.length} were switched over, more than the physical id (1 KB) can name. ` +
      'Split the route tables over several peering route resources, or remove the routes that already point at the peering.');
  }
  return id;
}

/**
 * @param {string | undefined} id
 * @returns {RoutesRecord | undefined}
 */
function parseRecord(id) {
  const match = /^vpc-connect-routes:([^:;]*):(pcx-[0-9a-zA-Z]+)((?:;[a-z]+=[^;]*)*)$/.exec(id || '');
  if (!match) { return undefined; }
  /** @type {{ [name: string]: string }} */
  const fields = {};
  for (const part of match[3].split(';').filter((x) => x)) {
    const [name, value] = part.split('=');
    fields[name] = value;
  }
  /** @type {(value: string | undefined) => string[]} */
  const hashes = (value) => (value ? value.match(/.{4}/g) || [] : []);
  return {
    region: match[1],
    peeringConnectionId: match[2],
    keep: hashes(fields.keep),
    inh: hashes(fields.inh),
    sw: hashes(fields.sw),
    from: fields.from && fields.from.startsWith('pcx-') ? fields.from : undefined,
  };
}

/**
 * 24 bits of SHA-256 of `table|destination`, in base64url (4 characters).
 * @param {RouteKey} route
 * @returns {string}
 */
function hashOf(route) {
  return crypto.createHash('sha256').update(route.key).digest().subarray(0, 3).toString('base64url');
}

/**
 * One entry per (route table, destination), with a key that identifies it across updates.
 * @param {RoutesProps} props
 * @returns {RouteKey[]}
 */
function routeKeys(props) {
  /** @type {RouteKey[]} */
  const keys = [];
  for (const table of props.routeTableIds) {
    for (const cidr of props.ipv4) { keys.push({ key: `${table}|${cidr}`, table, cidr, ipv6: false }); }
    for (const cidr of props.ipv6) { keys.push({ key: `${table}|${cidr}`, table, cidr, ipv6: true }); }
  }
  return keys;
}

/** @param {RouteKey} route */
function destination(route) {
  return route.ipv6 ? { DestinationIpv6CidrBlock: route.cidr } : { DestinationCidrBlock: route.cidr };
}

/**
 * Create each route toward the peering. A route that exists already toward the same peering is
 * found (not created by this call); a blackhole route (its target, typically a deleted peering,
 * is gone) is replaced; one toward `adoptFrom` (the peering being replaced) is switched over;
 * any other target is an error. On an error (time out included), the routes created, replaced
 * or switched by this call are undone, so that the rollback finds nothing of it.
 * @param {Ec2Api} ec2
 * @param {RoutesProps} props
 * @param {RouteKey[]} routes
 * @param {string | undefined} adoptFrom
 * @param {Budget} budget
 * @returns {Promise<{ found: RouteKey[], switched: RouteKey[] }>}
 */
async function createRoutes(ec2, props, routes, adoptFrom, budget) {
  const pcx = props.peeringConnectionId;
  /** @type {RouteKey[]} */
  const created = [];
  /** @type {RouteKey[]} */
  const switched = [];
  /** @type {RouteKey[]} */
  const found = [];
  // The longest write so far: the undo of what was written must still fit before the final deadline.
  let slowestMs = 0;
  try {
    for (const route of routes) {
      const undoMs = (created.length + switched.length + 1) * slowestMs;
      if (exports.now() + undoMs >= budget.finalDeadline) {
        throw new OutOfTime(`Out of time before creating the route to ${route.cidr} in ${route.table}: undoing the ` +
          `${created.length + switched.length} routes written so far takes the rest of the time before the function's timeout. ` +
          'Retry the deployment; if it runs out of time again, split the route tables or destinations over several peerings or stacks.');
      }
      const started = exports.now();
      try {
        await callAws(budget, `creating the route to ${route.cidr} in ${route.table} toward ${pcx}`,
          () => ec2.createRoute({ RouteTableId: route.table, VpcPeeringConnectionId: pcx, ...destination(route) }));
        created.push(route);
        continue;
      } catch (e) {
        if (errorCode(e) !== 'RouteAlreadyExists') { throw e; }
      } finally {
        slowestMs = Math.max(slowestMs, exports.now() - started);
      }
      const existing = await findRoute(ec2, route, budget);
      if (existing && existing.VpcPeeringConnectionId === pcx) {
        found.push(route);
      } else if (existing && adoptFrom && existing.VpcPeeringConnectionId === adoptFrom) {
        await callAws(budget, `switching the route to ${route.cidr} in ${route.table} from ${adoptFrom} to ${pcx}`,
          () => ec2.replaceRoute({ RouteTableId: route.table, VpcPeeringConnectionId: pcx, ...destination(route) }));
        switched.push(route);
      } else if (existing && existing.State === 'blackhole') {
        exports.log(`route to ${route.cidr} in ${route.table} is a blackhole through ${describeTarget(existing)}: replaced by one toward ${pcx}`);
        await callAws(budget, `replacing the blackhole route to ${route.cidr} in ${route.table}`,
          () => ec2.replaceRoute({ RouteTableId: route.table, VpcPeeringConnectionId: pcx, ...destination(route) }));
        created.push(route);
      } else {
        throw new Error(`Route table ${route.table} already has a route to ${route.cidr} through ${describeTarget(existing)}, ` +
          `so it cannot route it to the peering connection ${pcx}. A route table holds one route per destination: ` +
          'remove that route, or leave this table or destination out of the peering\'s routes.');
      }
    }
  } catch (e) {
    await undo(ec2, pcx, created, switched, adoptFrom, budget);
    throw e;
  }
  return { found, switched };
}

/**
 * @param {Ec2Api} ec2
 * @param {string} pcx
 * @param {RouteKey[]} created
 * @param {RouteKey[]} switched
 * @param {string | undefined} adoptFrom
 * @param {Budget} budget
 * @returns {Promise<void>}
 */
async function undo(ec2, pcx, created, switched, adoptFrom, budget) {
  // The undo runs in the safety margin kept for it.
  const margin = { ...budget, deadline: budget.finalDeadline };
  for (const route of created) {
    try {
      await callAws(margin, `undoing the route to ${route.cidr} in ${route.table}`,
        () => ec2.deleteRoute({ RouteTableId: route.table, ...destination(route) }));
    } catch (e) {
      exports.log(`could not undo the route to ${route.cidr} in ${route.table} toward ${pcx}: ${/** @type {Error} */ (e).message}`);
    }
  }
  for (const route of switched) {
    try {
      await callAws(margin, `pointing the route to ${route.cidr} in ${route.table} back at ${adoptFrom}`,
        () => ec2.replaceRoute({ RouteTableId: route.table, VpcPeeringConnectionId: adoptFrom, ...destination(route) }));
    } catch (e) {
      exports.log(`could not point the route to ${route.cidr} in ${route.table} back at ${adoptFrom}: ${/** @type {Error} */ (e).message}`);
    }
  }
}

/**
 * Delete a route this resource owns, if it still points at `pcx`; a route or table that is gone is fine.
 * @param {Ec2Api} ec2
 * @param {string} pcx
 * @param {RouteKey} route
 * @param {Budget} budget
 * @param {Ec2Route} [seen] The route as just read, if it was.
 * @returns {Promise<void>}
 */
async function deleteOwnedRoute(ec2, pcx, route, budget, seen) {
  const existing = seen || await findRoute(ec2, route, budget);
  if (!existing) {
    exports.log(`route to ${route.cidr} in ${route.table} is gone already`);
    return;
  }
  if (existing.VpcPeeringConnectionId !== pcx) {
    exports.log(`route to ${route.cidr} in ${route.table} points at ${describeTarget(existing)}, not at ${pcx}: left in place`);
    return;
  }
  try {
    await callAws(budget, `deleting the route to ${route.cidr} in ${route.table}`,
      () => ec2.deleteRoute({ RouteTableId: route.table, ...destination(route) }));
  } catch (e) {
    if (![ROUTE_NOT_FOUND, TABLE_NOT_FOUND].includes(errorCode(e))) { throw e; }
  }
}

/**
 * The route of `route.table` to `route.cidr`, or undefined when the table or the route does not exist.
 * @param {Ec2Api} ec2
 * @param {RouteKey} route
 * @param {Budget} budget
 * @returns {Promise<Ec2Route | undefined>}
 */
async function findRoute(ec2, route, budget) {
  let response;
  try {
    response = await callAws(budget, `reading route table ${route.table}`, () => ec2.describeRouteTables({ RouteTableIds: [route.table] }));
  } catch (e) {
    if (errorCode(e) === TABLE_NOT_FOUND) { return undefined; }
    throw e;
  }
  const table = (response.RouteTables || [])[0];
  return ((table && table.Routes) || []).find((r) => route.ipv6
    ? r.DestinationIpv6CidrBlock !== undefined && canonicalIpv6(r.DestinationIpv6CidrBlock) === route.cidr
    : r.DestinationCidrBlock === route.cidr);
}

/** @param {Ec2Route | undefined} route */
function describeTarget(route) {
  if (!route) { return 'an unknown target'; }
  const target = route.VpcPeeringConnectionId || route.GatewayId || route.NatGatewayId || route.TransitGatewayId
    || route.NetworkInterfaceId || route.InstanceId || route.EgressOnlyInternetGatewayId || route.LocalGatewayId
    || route.CarrierGatewayId || route.CoreNetworkArn || 'an unknown target';
  return route.State === 'blackhole' ? `${target} (blackhole: that target no longer exists)` : target;
}

// ---------------------------------------------------------------------------------------
// Custom::VpcConnectPeeringDns

/**
 * @param {CustomResourceEvent} event
 * @param {Budget} budget
 * @returns {Promise<CustomResourceResponse>}
 */
async function onDns(event, budget) {
  if (event.RequestType === 'Delete') {
    // Nothing to revert without readable properties or a role to act through: say so, and succeed.
    const done = { PhysicalResourceId: event.PhysicalResourceId };
    const props = tryProps(dnsProps, event.ResourceProperties, 'ResourceProperties');
    if (!props) { return done; }
    let ec2;
    try {
      ec2 = await ec2Client(props, budget);
    } catch (e) {
      if (!(e instanceof RoleError)) { throw e; }
      exports.log(`${e.message} The option is left as it is (it goes with the peering ${props.peeringConnectionId}).`);
      return done;
    }
    await revertDns(ec2, props, budget);
    return done;
  }
  // The new properties are checked first; the old ones never fail the update (its rollback gets the failed ones).
  const props = dnsProps(event.ResourceProperties);
  const ec2 = await ec2Client(props, budget);
  await waitUntilActive(ec2, props.peeringConnectionId, budget);
  await setDns(ec2, props, props.allow, budget);
  if (event.RequestType === 'Update') {
    const old = tryProps(dnsProps, event.OldResourceProperties, 'OldResourceProperties');
    const sameTarget = old
      ? old.peeringConnectionId === props.peeringConnectionId && old.region === props.region && old.side === props.side
      : event.PhysicalResourceId === dnsPhysicalId(props);
    // Another peering, region or side: a new physical id makes CloudFormation delete (revert) the old one.
    return { PhysicalResourceId: sameTarget ? event.PhysicalResourceId : dnsPhysicalId(props) };
  }
  return { PhysicalResourceId: dnsPhysicalId(props) };
}

/**
 * @param {ResourceProperties} p
 * @returns {DnsProps}
 */
function dnsProps(p) {
  const props = commonProps(p);
  if (p.Side !== 'requester' && p.Side !== 'accepter') {
    throw new Error(`Side must be 'requester' or 'accepter', got ${JSON.stringify(p.Side)}.`);
  }
  const allow = String(p.AllowDnsResolutionFromRemoteVpc);
  if (allow !== 'true' && allow !== 'false') {
    throw new Error(`AllowDnsResolutionFromRemoteVpc must be 'true' or 'false', got ${JSON.stringify(p.AllowDnsResolutionFromRemoteVpc)}.`);
  }
  return { ...props, side: p.Side, allow: allow === 'true' };
}

/** @param {DnsProps} props */
function dnsPhysicalId(props) {
  return `vpc-connect-dns:${props.region}:${props.peeringConnectionId}:${props.side}`;
}

/**
 * @param {Ec2Api} ec2
 * @param {DnsProps} props
 * @param {boolean} allow
 * @param {Budget} budget
 * @returns {Promise<void>}
 */
async function setDns(ec2, props, allow, budget) {
  const options = { AllowDnsResolutionFromRemoteVpc: allow };
  const input = props.side === 'requester'
    ? { VpcPeeringConnectionId: props.peeringConnectionId, RequesterPeeringConnectionOptions: options }
    : { VpcPeeringConnectionId: props.peeringConnectionId, AccepterPeeringConnectionOptions: options };
  try {
    await callAws(budget, `setting AllowDnsResolutionFromRemoteVpc on the ${props.side} side of ${props.peeringConnectionId}`,
      () => ec2.modifyVpcPeeringConnectionOptions(input));
  } catch (e) {
    if (errorCode(e) === 'OperationNotPermitted') {
      throw new Error(`Setting AllowDnsResolutionFromRemoteVpc=${allow} on the ${props.side} side of ${props.peeringConnectionId} in ${props.region} ` +
        `was refused (${/** @type {Error} */ (e).message}). Both VPCs need DNS hostnames and DNS support enabled (enableDnsHostnames and enableDnsSupport).`);
    }
    throw e;
  }
}

/**
 * Set the option back to false, unless the peering is gone or no longer active (the option went with it).
 * @param {Ec2Api} ec2
 * @param {DnsProps} props
 * @param {Budget} budget
 * @returns {Promise<void>}
 */
async function revertDns(ec2, props, budget) {
  const peering = await describePeering(ec2, props.peeringConnectionId, budget);
  const status = peering && peering.Status && peering.Status.Code;
  if (status !== 'active') {
    exports.log(`peering ${props.peeringConnectionId} is ${status || 'gone'}: nothing to revert`);
    return;
  }
  try {
    await setDns(ec2, props, false, budget);
  } catch (e) {
    const again = await describePeering(ec2, props.peeringConnectionId, budget);
    if (again && again.Status && again.Status.Code === 'active') { throw e; }
    exports.log(`peering ${props.peeringConnectionId} went away while reverting: ${/** @type {Error} */ (e).message}`);
  }
}

// ---------------------------------------------------------------------------------------
// Shared

/**
 * @param {ResourceProperties | undefined} p
 * @returns {CommonProps}
 */
function commonProps(p) {
  if (!p || typeof p.PeeringConnectionId !== 'string' || !p.PeeringConnectionId.startsWith('pcx-')) {
    throw new Error(`PeeringConnectionId must be a peering connection id (pcx-...), got ${JSON.stringify(p && p.PeeringConnectionId)}.`);
  }
  return {
    peeringConnectionId: p.PeeringConnectionId,
    region: /** @type {string | undefined} */ (p.Region) || process.env.AWS_REGION,
    roleArn: /** @type {string | undefined} */ (p.RoleArn) || undefined,
  };
}



/**
 * The EC2 client of the resource's region, with the credentials of its role when it names one.
 * @param {CommonProps} props
 * @param {Budget} budget
 * @returns {Promise<Ec2Api>}
 */
async function ec2Client(props, budget) {
  if (!props.roleArn) {
    return exports.clients.ec2(props.region, undefined);
  }
  const sts = exports.clients.sts(process.env.AWS_REGION);
  const roleArn = props.roleArn;
  let response;
  try {
    response = await callAws(budget, `assuming role ${roleArn}`, () => sts.assumeRole({ RoleArn: roleArn, RoleSessionName: SESSION_NAME }));
  } catch (e) {
    if (e instanceof OutOfTime) { throw e; }
    throw new RoleError(`Could not assume role ${roleArn} (${errorCode(e)}: ${/** @type {Error} */ (e).message}). Deploy the accepter account's ` +
      'PeeringAccepterRole stack first (and keep it until this stack is deleted), and check that it trusts this account.');
  }
  // AssumeRole answers with credentials whenever it succeeds.
  const c = /** @type {import('@aws-sdk/client-sts').Credentials} */ (response.Credentials);
  return exports.clients.ec2(props.region, /** @type {Ec2Credentials} */ ({
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration,
  }));
}

/**
 * @param {Ec2Api} ec2
 * @param {string} id
 * @param {Budget} budget
 * @returns {Promise<Peering | undefined>}
 */
async function describePeering(ec2, id, budget) {
  try {
    const response = await callAws(budget, `reading peering connection ${id}`,
      () => ec2.describeVpcPeeringConnections({ VpcPeeringConnectionIds: [id] }));
    return (response.VpcPeeringConnections || [])[0];
  } catch (e) {
    if (errorCode(e) === PEERING_NOT_FOUND) { return undefined; }
    throw e;
  }
}

/**
 * Wait until the peering is active. A peering created a moment ago may not be visible yet
 * (eventual consistency: not found), and one waiting for acceptance or provisioning becomes
 * active later; both are retried with exponential backoff until the deadline.
 * @param {Ec2Api} ec2
 * @param {string} id
 * @param {Budget} budget
 * @returns {Promise<Peering>}
 */
async function waitUntilActive(ec2, id, budget) {
  let delay = exports.settings.initialDelayMs;
  let last = 'not found';
  for (;;) {
    const peering = await describePeering(ec2, id, budget);
    const status = peering && peering.Status && peering.Status.Code;
    if (status === 'active') { return /** @type {Peering} */ (peering); }
    if (FAILED_STATES.includes(status)) {
      // A status was read, so the peering and its Status are there.
      const reason = /** @type {PeeringStatus} */ (/** @type {Peering} */ (peering).Status);
      const message = reason.Message ? `: ${reason.Message}` : '';
      throw new Error(`VPC peering connection ${id} is ${status}${message}. It can never become active; ` +
        'check the accepter (overlapping CIDR blocks, a rejected or expired request) and create the peering again.');
    }
    if (status && !WAITING_STATES.includes(status)) {
      throw new Error(`VPC peering connection ${id} is in an unexpected state '${status}'.`);
    }
    last = status || 'not found';
    delay = await lookAgainLater(budget.deadline, delay,
      `VPC peering connection ${id} did not become active in time (last seen: ${last}). ` +
      (last === 'pending-acceptance'
        ? 'It waits for the accepter: check that the accepter role (PeerRoleArn) may accept it.'
        : 'Retry the deployment.'),
      `peering ${id} is ${last}`);
  }
}





/**
 * @param {string[]} values
 * @returns {string[]}
 */
function unique(values) {
  return [...new Set(values)];
}

/**
 * The form in which EC2 reports an IPv6 CIDR block: lower case, longest run of zero groups compressed.
 * @param {unknown} cidr
 * @returns {string}
 */
function canonicalIpv6(cidr) {
  const [address, length] = String(cidr).toLowerCase().split('/');
  const halves = address.split('::');
  if (halves.length > 2) { return String(cidr).toLowerCase(); }
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array(Math.max(fill, 0)).fill('0'), ...tail].map((g) => (parseInt(g, 16) || 0).toString(16));
  if (groups.length !== 8) { return String(cidr).toLowerCase(); }
  let best = { start: -1, len: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') { j++; }
    if (j - i > best.len && j - i > 1) { best = { start: i, len: j - i }; }
    i = j;
  }
  const text = best.start < 0
    ? groups.join(':')
    : `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.len).join(':')}`;
  return length !== undefined ? `${text}/${length}` : text;
}

exports.canonicalIpv6 = canonicalIpv6;
