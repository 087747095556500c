// @ts-check
'use strict';
/*
 * Custom resources of cdk-vpc-connect's peering, behind aws-cdk-lib's CustomResourceProvider.
 *
 * The provider's entrypoint (`__entrypoint__.js`) calls `handler(event, context)`, sends
 * `{ PhysicalResourceId, Data }` to CloudFormation when it resolves and FAILED with the
 * error's message when it throws. A failed Create is answered with a marker physical id
 * whose Delete the entrypoint ignores, so a Create undoes its own routes before it throws.
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
 * A CloudFormation custom resource request, as aws-cdk-lib's provider entrypoint passes it on.
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
 * @typedef {object} Clients
 * @property {(region: string | undefined, credentials: Ec2Credentials) => Ec2Api} ec2
 * @property {(region: string | undefined) => StsApi} sts
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
};

/** Waiting and backoff. Tests make them instant. */
exports.settings = {
  /** First wait between two looks at a peering that is not found yet or not active yet. */
  initialDelayMs: 2000,
  /** Longest wait between two looks. */
  maxDelayMs: 20000,
  /** Time kept free before the function's timeout, to undo partial work and answer CloudFormation. */
  safetyMarginMs: 60000,
  /** Time budget when the context does not tell the remaining time (the construct sets a 15-minute timeout). */
  defaultBudgetMs: 14 * 60 * 1000,
};
/** @type {(ms: number) => Promise<void>} */
exports.sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** @type {() => number} */
exports.now = () => Date.now();
/** @type {(...args: unknown[]) => void} */
// eslint-disable-next-line no-console -- the Lambda function's log (CloudWatch Logs)
exports.log = (...args) => console.log(...args);

/**
 * @param {CustomResourceEvent} event
 * @param {LambdaContext} [context]
 * @returns {Promise<CustomResourceResponse>}
 */
exports.handler = async function handler(event, context) {
  const deadline = exports.now() + budgetMs(context);
  switch (event.ResourceType) {
    case ROUTES_TYPE: return onRoutes(event, deadline);
    case DNS_TYPE: return onDns(event, deadline);
    default: throw new Error(`Unsupported resource type ${event.ResourceType}: this function serves ${ROUTES_TYPE} and ${DNS_TYPE}.`);
  }
};

// ---------------------------------------------------------------------------------------
// Custom::VpcConnectPeeringRoutes

/**
 * @param {CustomResourceEvent} event
 * @param {number} deadline Epoch milliseconds by which the waiting stops.
 * @returns {Promise<CustomResourceResponse>}
 */
async function onRoutes(event, deadline) {
  const props = routesProps(event.ResourceProperties);
  if (event.RequestType === 'Create') {
    const ec2 = await ec2Client(props);
    await waitUntilActive(ec2, props.peeringConnectionId, deadline);
    await createRoutes(ec2, props, routeKeys(props), undefined);
    return { PhysicalResourceId: routesPhysicalId(props) };
  }
  if (event.RequestType === 'Update') {
    const old = routesProps(event.OldResourceProperties);
    const ec2 = await ec2Client(props);
    if (old.peeringConnectionId !== props.peeringConnectionId || old.region !== props.region) {
      // Replacement: the new set under a new physical id; CloudFormation then deletes the old
      // resource, which removes only the routes that still point at the old peering. Routes of
      // the old peering to the same destinations in the same region are taken over.
      await waitUntilActive(ec2, props.peeringConnectionId, deadline);
      const adoptFrom = old.region === props.region ? old.peeringConnectionId : undefined;
      await createRoutes(ec2, props, routeKeys(props), adoptFrom);
      return { PhysicalResourceId: routesPhysicalId(props) };
    }
    // Same peering (the role may have changed: routes are those of the same tables): add and remove.
    const before = new Map(routeKeys(old).map((r) => [r.key, r]));
    const after = new Map(routeKeys(props).map((r) => [r.key, r]));
    const added = [...after.values()].filter((r) => !before.has(r.key));
    const removed = [...before.values()].filter((r) => !after.has(r.key));
    if (added.length > 0) {
      await waitUntilActive(ec2, props.peeringConnectionId, deadline);
      await createRoutes(ec2, props, added, undefined);
    }
    await deleteRoutes(ec2, props.peeringConnectionId, removed);
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  // Delete: every route that still points at this peering, whatever the peering's state.
  const ec2 = await ec2Client(props);
  await deleteRoutes(ec2, props.peeringConnectionId, routeKeys(props));
  return { PhysicalResourceId: event.PhysicalResourceId };
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

/** @param {RoutesProps} props */
function routesPhysicalId(props) {
  return `vpc-connect-routes:${props.region}:${props.peeringConnectionId}`;
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
 * Create each route toward the peering. A route that exists already toward the same peering
 * is fine; one toward `adoptFrom` (the peering being replaced) is switched over; any other
 * target is an error. On an error, the routes created (or switched) by this call are undone.
 * @param {Ec2Api} ec2
 * @param {RoutesProps} props
 * @param {RouteKey[]} routes
 * @param {string | undefined} adoptFrom
 * @returns {Promise<void>}
 */
async function createRoutes(ec2, props, routes, adoptFrom) {
  const pcx = props.peeringConnectionId;
  /** @type {RouteKey[]} */
  const created = [];
  /** @type {RouteKey[]} */
  const switched = [];
  try {
    for (const route of routes) {
      try {
        await ec2.createRoute({ RouteTableId: route.table, VpcPeeringConnectionId: pcx, ...destination(route) });
        created.push(route);
        continue;
      } catch (e) {
        if (errorCode(e) !== 'RouteAlreadyExists') { throw explain(e, `creating the route to ${route.cidr} in ${route.table} toward ${pcx}`); }
      }
      const existing = await findRoute(ec2, route);
      if (existing && existing.VpcPeeringConnectionId === pcx) {
        exports.log(`route to ${route.cidr} in ${route.table} already points at ${pcx}`);
      } else if (existing && adoptFrom && existing.VpcPeeringConnectionId === adoptFrom) {
        await ec2.replaceRoute({ RouteTableId: route.table, VpcPeeringConnectionId: pcx, ...destination(route) });
        switched.push(route);
      } else {
        throw new Error(`Route table ${route.table} already has a route to ${route.cidr} through ${describeTarget(existing)}, ` +
          `so it cannot route it to the peering connection ${pcx}. A route table holds one route per destination: ` +
          'remove that route, or leave this table or destination out of the peering\'s routes.');
      }
    }
  } catch (e) {
    await undo(ec2, pcx, created, switched, adoptFrom);
    throw e;
  }
}

/**
 * @param {Ec2Api} ec2
 * @param {string} pcx
 * @param {RouteKey[]} created
 * @param {RouteKey[]} switched
 * @param {string | undefined} adoptFrom
 * @returns {Promise<void>}
 */
async function undo(ec2, pcx, created, switched, adoptFrom) {
  for (const route of created) {
    try {
      await ec2.deleteRoute({ RouteTableId: route.table, ...destination(route) });
    } catch (e) {
      exports.log(`could not undo the route to ${route.cidr} in ${route.table} toward ${pcx}: ${/** @type {Error} */ (e).message}`);
    }
  }
  for (const route of switched) {
    try {
      await ec2.replaceRoute({ RouteTableId: route.table, VpcPeeringConnectionId: adoptFrom, ...destination(route) });
    } catch (e) {
      exports.log(`could not point the route to ${route.cidr} in ${route.table} back at ${adoptFrom}: ${/** @type {Error} */ (e).message}`);
    }
  }
}

/**
 * Delete each route that points at `pcx`; routes and tables that are gone, or routes that point elsewhere, are left alone.
 * @param {Ec2Api} ec2
 * @param {string} pcx
 * @param {RouteKey[]} routes
 * @returns {Promise<void>}
 */
async function deleteRoutes(ec2, pcx, routes) {
  for (const route of routes) {
    const existing = await findRoute(ec2, route);
    if (!existing) {
      exports.log(`route to ${route.cidr} in ${route.table} is gone already`);
      continue;
    }
    if (existing.VpcPeeringConnectionId !== pcx) {
      exports.log(`route to ${route.cidr} in ${route.table} points at ${describeTarget(existing)}, not at ${pcx}: left in place`);
      continue;
    }
    try {
      await ec2.deleteRoute({ RouteTableId: route.table, ...destination(route) });
    } catch (e) {
      if (![ROUTE_NOT_FOUND, TABLE_NOT_FOUND].includes(errorCode(e))) { throw explain(e, `deleting the route to ${route.cidr} in ${route.table}`); }
    }
  }
}

/**
 * The route of `route.table` to `route.cidr`, or undefined when the table or the route does not exist.
 * @param {Ec2Api} ec2
 * @param {RouteKey} route
 * @returns {Promise<Ec2Route | undefined>}
 */
async function findRoute(ec2, route) {
  let response;
  try {
    response = await ec2.describeRouteTables({ RouteTableIds: [route.table] });
  } catch (e) {
    if (errorCode(e) === TABLE_NOT_FOUND) { return undefined; }
    throw explain(e, `reading route table ${route.table}`);
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
 * @param {number} deadline Epoch milliseconds by which the waiting stops.
 * @returns {Promise<CustomResourceResponse>}
 */
async function onDns(event, deadline) {
  const props = dnsProps(event.ResourceProperties);
  if (event.RequestType === 'Delete') {
    const ec2 = await ec2Client(props);
    await revertDns(ec2, props);
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const ec2 = await ec2Client(props);
  await waitUntilActive(ec2, props.peeringConnectionId, deadline);
  await setDns(ec2, props, props.allow);
  if (event.RequestType === 'Update') {
    const old = dnsProps(event.OldResourceProperties);
    const sameTarget = old.peeringConnectionId === props.peeringConnectionId && old.region === props.region && old.side === props.side;
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
 * @returns {Promise<void>}
 */
async function setDns(ec2, props, allow) {
  const options = { AllowDnsResolutionFromRemoteVpc: allow };
  const input = props.side === 'requester'
    ? { VpcPeeringConnectionId: props.peeringConnectionId, RequesterPeeringConnectionOptions: options }
    : { VpcPeeringConnectionId: props.peeringConnectionId, AccepterPeeringConnectionOptions: options };
  try {
    await ec2.modifyVpcPeeringConnectionOptions(input);
  } catch (e) {
    if (errorCode(e) === 'OperationNotPermitted') {
      throw new Error(`Setting AllowDnsResolutionFromRemoteVpc=${allow} on the ${props.side} side of ${props.peeringConnectionId} in ${props.region} ` +
        `was refused (${/** @type {Error} */ (e).message}). Both VPCs need DNS hostnames and DNS support enabled (enableDnsHostnames and enableDnsSupport).`);
    }
    throw explain(e, `setting AllowDnsResolutionFromRemoteVpc on the ${props.side} side of ${props.peeringConnectionId}`);
  }
}

/**
 * Set the option back to false, unless the peering is gone or no longer active (the option went with it).
 * @param {Ec2Api} ec2
 * @param {DnsProps} props
 * @returns {Promise<void>}
 */
async function revertDns(ec2, props) {
  const peering = await describePeering(ec2, props.peeringConnectionId);
  const status = peering && peering.Status && peering.Status.Code;
  if (status !== 'active') {
    exports.log(`peering ${props.peeringConnectionId} is ${status || 'gone'}: nothing to revert`);
    return;
  }
  try {
    await setDns(ec2, props, false);
  } catch (e) {
    const again = await describePeering(ec2, props.peeringConnectionId);
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
 * @returns {Promise<Ec2Api>}
 */
async function ec2Client(props) {
  if (!props.roleArn) {
    return exports.clients.ec2(props.region, undefined);
  }
  const sts = exports.clients.sts(process.env.AWS_REGION);
  let response;
  try {
    response = await sts.assumeRole({ RoleArn: props.roleArn, RoleSessionName: SESSION_NAME });
  } catch (e) {
    throw new Error(`Could not assume role ${props.roleArn} (${errorCode(e)}: ${/** @type {Error} */ (e).message}). Deploy the accepter account's ` +
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
 * @returns {Promise<Peering | undefined>}
 */
async function describePeering(ec2, id) {
  try {
    const response = await ec2.describeVpcPeeringConnections({ VpcPeeringConnectionIds: [id] });
    return (response.VpcPeeringConnections || [])[0];
  } catch (e) {
    if (errorCode(e) === PEERING_NOT_FOUND) { return undefined; }
    throw explain(e, `reading peering connection ${id}`);
  }
}

/**
 * Wait until the peering is active. A peering created a moment ago may not be visible yet
 * (eventual consistency: not found), and one waiting for acceptance or provisioning becomes
 * active later; both are retried with exponential backoff until the deadline.
 * @param {Ec2Api} ec2
 * @param {string} id
 * @param {number} deadline Epoch milliseconds by which the waiting stops.
 * @returns {Promise<Peering>}
 */
async function waitUntilActive(ec2, id, deadline) {
  let delay = exports.settings.initialDelayMs;
  let last = 'not found';
  for (;;) {
    const peering = await describePeering(ec2, id);
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
    if (exports.now() + delay > deadline) {
      throw new Error(`VPC peering connection ${id} did not become active in time (last seen: ${last}). ` +
        (last === 'pending-acceptance'
          ? 'It waits for the accepter: check that the accepter role (PeerRoleArn) may accept it.'
          : 'Retry the deployment.'));
    }
    exports.log(`peering ${id} is ${last}; looking again in ${delay} ms`);
    await exports.sleep(delay);
    delay = Math.min(delay * 2, exports.settings.maxDelayMs);
  }
}

/**
 * @param {LambdaContext | undefined} context
 * @returns {number}
 */
function budgetMs(context) {
  const remaining = context && typeof context.getRemainingTimeInMillis === 'function'
    ? context.getRemainingTimeInMillis()
    : exports.settings.defaultBudgetMs;
  return Math.max(0, remaining - exports.settings.safetyMarginMs);
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
 * @param {unknown} e
 * @param {string} doing
 * @returns {Error}
 */
function explain(e, doing) {
  const error = new Error(`Failed ${doing}: ${errorCode(e)}: ${e && /** @type {AwsError} */ (e).message}`);
  error.name = errorCode(e);
  return error;
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
