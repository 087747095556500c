// @ts-check
'use strict';
/*
 * Custom resources of cdk-vpc-connect's transit network (TransitGatewaySpoke, TransitGatewayPeering).
 *
 * The function's entrypoint (lib/private/handler/__entrypoint__.js, staged next to this file)
 * calls `handler(event, context)`, answers CloudFormation with `{ PhysicalResourceId, Data }` when
 * it resolves and FAILED with the error's message when it throws. A failed Create is answered with
 * a marker physical id whose Delete the entrypoint acknowledges without calling the handler, so a
 * Create undoes its own partial work before it throws.
 *
 * Never strand a stack: new properties are checked before anything is written; old properties
 * never fail an update (the rollback of a failed update gets them back); an Update that fails
 * leaves a state from which the rollback (an Update back to the old properties) restores the old
 * one, because every operation compares with what AWS reports, not with what it expects; Delete
 * succeeds when there is nothing it can or must clean (role gone, attachment gone), and logs it;
 * throttled calls are retried with jittered backoff; waiting and work share one budget from the
 * Lambda context, ending `safetyMarginMs` before the timeout.
 *
 * Resource types:
 * - Custom::TransitGatewaySpokeAssociation: in the gateway owner's account (through its role for a
 *   spoke of another account; with the function's own role, and no RoleArn, for a spoke of a hub
 *   with segments in the hub's account), accept a shared VPC attachment, associate it with its
 *   segment's route table (moving it from another table on Update: a segment move in one deploy)
 *   and enable the propagations it names (none for a spoke of the hub's account: those are native).
 * - Custom::TransitGatewayLookup: the ids of a hub's transit gateway, of its segment route tables
 *   (found by the tags `cdk-vpc-connect:hub` and `cdk-vpc-connect:segment`) and of the RAM shares of
 *   the gateway, read through the owner's role: a stack of another account cannot reference them.
 * - Custom::ResourceShareInvitationAccepter: in the spoke's account, accept the pending RAM
 *   invitation of the gateway's share (a share outside an organization); Delete does nothing.
 * - Custom::TransitGatewayPeeringAccepter: in the peer gateway's region (and account, through a
 *   role), accept a transit gateway peering attachment, wait until it is available, associate it
 *   with a route table of the peer and create the peer side's static routes over it (peering
 *   attachments do not propagate). CloudFormation deletes the requester side: Delete removes the
 *   routes and the association and leaves the attachment.
 *
 * Plain JavaScript on purpose: the directory is the Lambda asset as it is. Only the AWS SDK v3
 * clients that the Lambda Node.js runtime ships are used, loaded lazily so that tests can replace
 * `exports.clients` and run without them (@aws-sdk/client-ram is not a dependency of the package:
 * its shape is written here).
 */

/**
 * CloudFormation sends every property as a string or a list of strings; the handler checks what it reads.
 * @typedef {{ [name: string]: unknown }} ResourceProperties
 *
 * @typedef {object} EventCommon
 * @property {string} ResourceType
 * @property {ResourceProperties} ResourceProperties
 * @property {string} [StackId]
 * @property {string} [RequestId]
 * @property {string} [LogicalResourceId]
 *
 * @typedef {EventCommon & { RequestType: 'Create' }} CreateEvent
 * @typedef {EventCommon & { RequestType: 'Update', PhysicalResourceId: string, OldResourceProperties: ResourceProperties }} UpdateEvent
 * @typedef {EventCommon & { RequestType: 'Delete', PhysicalResourceId: string }} DeleteEvent
 * @typedef {CreateEvent | UpdateEvent | DeleteEvent} CustomResourceEvent
 *
 * @typedef {object} CustomResourceResponse
 * @property {string} PhysicalResourceId
 * @property {{ [name: string]: unknown }} [Data]
 *
 * @typedef {object} LambdaContext
 * @property {() => number} getRemainingTimeInMillis
 */

/**
 * The AWS SDK v3 calls the handler makes, narrowed so that tests can stand in fakes.
 * @typedef {Pick<import('@aws-sdk/client-ec2').EC2, 'describeTransitGatewayAttachments' | 'acceptTransitGatewayVpcAttachment'
 *   | 'acceptTransitGatewayPeeringAttachment' | 'associateTransitGatewayRouteTable' | 'disassociateTransitGatewayRouteTable'
 *   | 'getTransitGatewayAttachmentPropagations' | 'enableTransitGatewayRouteTablePropagation' | 'disableTransitGatewayRouteTablePropagation'
 *   | 'describeTransitGateways' | 'describeTransitGatewayRouteTables' | 'searchTransitGatewayRoutes' | 'createTransitGatewayRoute'
 *   | 'deleteTransitGatewayRoute'>} Ec2Api
 * @typedef {Pick<import('@aws-sdk/client-sts').STS, 'assumeRole'>} StsApi
 * @typedef {import('@aws-sdk/client-ec2').EC2ClientConfig['credentials']} Credentials
 * @typedef {import('@aws-sdk/client-ec2').TransitGatewayAttachment} Attachment
 *
 * AWS RAM (the Lambda runtime ships @aws-sdk/client-ram; it is not a dependency of this package).
 * @typedef {{ resourceShareInvitationArn?: string, resourceShareArn?: string, status?: string }} Invitation
 * @typedef {{ resourceShareArn?: string, status?: string }} ResourceShare
 * @typedef {{ resourceShareArn?: string, status?: string, associatedEntity?: string }} ShareAssociation
 * @typedef {object} RamApi
 * @property {(input: { resourceShareArns?: string[], nextToken?: string }) => Promise<{ resourceShareInvitations?: Invitation[], nextToken?: string }>} getResourceShareInvitations
 * @property {(input: { resourceShareInvitationArn: string }) => Promise<unknown>} acceptResourceShareInvitation
 * @property {(input: { resourceOwner: string, resourceShareArns?: string[], nextToken?: string }) => Promise<{ resourceShares?: ResourceShare[], nextToken?: string }>} getResourceShares
 * @property {(input: { associationType: string, resourceArn?: string, nextToken?: string }) => Promise<{ resourceShareAssociations?: ShareAssociation[], nextToken?: string }>} getResourceShareAssociations
 *
 * @typedef {object} Clients
 * @property {(region: string | undefined, credentials: Credentials) => Ec2Api} ec2
 * @property {(region: string | undefined) => StsApi} sts
 * @property {(region: string | undefined, credentials: Credentials) => RamApi} ram
 */

/**
 * The time the handler may use (aws-calls.js).
 * @typedef {import('../../../private/handler/aws-calls').Budget} Budget
 *
 * @typedef {object} Target Where the resource acts.
 * @property {string | undefined} region
 * @property {string | undefined} roleArn
 *
 * @typedef {Target & { attachmentId: string, transitGatewayId: string, associationTableId: string, propagationTableIds: string[] }} AssociationProps
 * @typedef {{ table: string, cidr: string }} StaticRoute
 * @typedef {Target & { attachmentId: string, associationTableId: string | undefined, routes: StaticRoute[] }} PeeringProps
 * @typedef {Target & { hubTag: string, segments: string[], transitGatewayId: string | undefined }} LookupProps
 * @typedef {{ region: string | undefined, shareArns: string[] }} InvitationProps
 *
 * What one invocation wrote, so that a failing Create can undo it.
 * @typedef {{ undo: Array<{ what: string, run: () => Promise<unknown> }> }} Journal
 */

const ASSOCIATION_TYPE = 'Custom::TransitGatewaySpokeAssociation';
const LOOKUP_TYPE = 'Custom::TransitGatewayLookup';
const INVITATION_TYPE = 'Custom::ResourceShareInvitationAccepter';
const PEERING_ACCEPTER_TYPE = 'Custom::TransitGatewayPeeringAccepter';
const SESSION_NAME = 'cdk-vpc-connect';
/** The tags the lookup finds a hub's gateway and segment route tables by. */
const HUB_TAG = 'cdk-vpc-connect:hub';
const SEGMENT_TAG = 'cdk-vpc-connect:segment';

/** Attachment states that turn into `available` (or `pendingAcceptance`) by themselves. */
const ATTACHMENT_WAITING = ['initiating', 'initiatingRequest', 'pending', 'modifying'];
/** Attachment states from which it never becomes available. */
const ATTACHMENT_GONE = ['deleting', 'deleted', 'failed', 'failing', 'rejecting', 'rejected', 'rollingBack'];
const ATTACHMENT_NOT_FOUND = 'InvalidTransitGatewayAttachmentID.NotFound';
/** What EC2 answers for a route table (or its association, propagation, route) that is not there (any more). */
const GONE_CODES = ['InvalidRouteTableID.NotFound', 'InvalidTransitGatewayAttachmentID.NotFound', 'InvalidAssociation.NotFound',
  'InvalidRoute.NotFound', 'TransitGatewayRouteTablePropagation.NotFound', 'InvalidRouteTableId.NotFound'];

const crypto = require('crypto');

/** The calls shared by the library's handlers: beside this file in the function's zip, under private/handler in the source tree. */
/** @type {typeof import('../../../private/handler/aws-calls')} */
const shared = require(require('fs').existsSync(require('path').join(__dirname, 'aws-calls.js')) ? './aws-calls' : '../../../private/handler/aws-calls');
const { OutOfTime, RoleError, errorCode } = shared;

/**
 * Client factories; tests replace them.
 * @type {Clients}
 */
exports.clients = {
  ec2(region, credentials) {
    // eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda Node.js runtime ships the SDK v3
    const { EC2 } = require('@aws-sdk/client-ec2');
    return new EC2({ region, credentials });
  },
  sts(region) {
    // eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda Node.js runtime ships the SDK v3
    const { STS } = require('@aws-sdk/client-sts');
    return new STS({ region });
  },
  ram(region, credentials) {
    // Not a dependency of this package (the Lambda Node.js runtime ships it): loaded by a name held in a variable.
    const name = '@aws-sdk/client-ram';
    const { RAM } = require(name);
    return new RAM({ region, credentials });
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
const { callAws, budgetOf, lookAgainLater } = shared.awsCalls(exports, '.');

/**
 * @param {CustomResourceEvent} event
 * @param {LambdaContext} [context]
 * @returns {Promise<CustomResourceResponse>}
 */
exports.handler = async function handler(event, context) {
  const budget = budgetOf(context);
  switch (event.ResourceType) {
    case ASSOCIATION_TYPE: return onAssociation(event, budget);
    case LOOKUP_TYPE: return onLookup(event, budget);
    case INVITATION_TYPE: return onInvitation(event, budget);
    case PEERING_ACCEPTER_TYPE: return onPeeringAccepter(event, budget);
    default: throw new Error(`Unsupported resource type ${event.ResourceType}: this function serves ${ASSOCIATION_TYPE}, ` +
      `${LOOKUP_TYPE}, ${INVITATION_TYPE} and ${PEERING_ACCEPTER_TYPE}.`);
  }
};

// ---------------------------------------------------------------------------------------
// Custom::TransitGatewaySpokeAssociation
//
// The physical id names the attachment (`tgw-spoke-association:<region>:<attachment>`) and stays
// the same while the attachment does: what the resource owns is in its properties (the association
// with AssociationRouteTableId, the propagations to PropagationRouteTableIds), and a new physical id
// would make CloudFormation delete the old one, undoing what the update just did.

/**
 * @param {CustomResourceEvent} event
 * @param {Budget} budget
 * @returns {Promise<CustomResourceResponse>}
 */
async function onAssociation(event, budget) {
  if (event.RequestType === 'Delete') {
    return onAssociationDelete(event, budget);
  }
  const props = associationProps(event.ResourceProperties);
  const physicalId = `tgw-spoke-association:${props.region}:${props.attachmentId}`;
  const ec2 = await ec2Client(props, budget);
  if (event.RequestType === 'Create') {
    /** @type {Journal} */
    const journal = { undo: [] };
    try {
      await acceptAndWait(ec2, props.attachmentId, props.transitGatewayId, 'vpc', budget);
      await ensureAssociation(ec2, props.attachmentId, props.associationTableId, false, journal, budget);
      await setPropagations(ec2, props.attachmentId, props.propagationTableIds, [], journal, budget);
    } catch (e) {
      await undo(journal, budget);
      throw e;
    }
    return { PhysicalResourceId: physicalId };
  }
  // Update. The old properties are read leniently: in a rollback they are the failed ones.
  const old = tryProps(associationProps, event.OldResourceProperties, 'OldResourceProperties');
  const sameAttachment = old !== undefined && old.attachmentId === props.attachmentId && old.region === props.region;
  await acceptAndWait(ec2, props.attachmentId, props.transitGatewayId, 'vpc', budget);
  if (!sameAttachment) {
    // Another attachment (the VPC's attachment was replaced): a new physical id; CloudFormation
    // then deletes the old resource, which cleans the old attachment if it is still there.
    /** @type {Journal} */
    const journal = { undo: [] };
    try {
      await ensureAssociation(ec2, props.attachmentId, props.associationTableId, false, journal, budget);
      await setPropagations(ec2, props.attachmentId, props.propagationTableIds, [], journal, budget);
    } catch (e) {
      await undo(journal, budget);
      throw e;
    }
    return { PhysicalResourceId: physicalId };
  }
  // Same attachment: move the association if the segment changed, enable the new propagations,
  // then disable the old ones that are no longer wanted. No undo: the rollback restores the old state.
  /** @type {Journal} */
  const none = { undo: [] };
  await ensureAssociation(ec2, props.attachmentId, props.associationTableId, true, none, budget);
  const dropped = old.propagationTableIds.filter((t) => !props.propagationTableIds.includes(t));
  await setPropagations(ec2, props.attachmentId, props.propagationTableIds, dropped, none, budget);
  return { PhysicalResourceId: event.PhysicalResourceId };
}

/**
 * Delete: the propagations and the association the properties name, where they still exist.
 * Succeeds when the role or the attachment is gone.
 * @param {DeleteEvent} event
 * @param {Budget} budget
 * @returns {Promise<CustomResourceResponse>}
 */
async function onAssociationDelete(event, budget) {
  const done = { PhysicalResourceId: event.PhysicalResourceId };
  const props = tryProps(associationProps, event.ResourceProperties, 'ResourceProperties');
  if (!props) {
    exports.log('the properties cannot be read, so nothing of this resource is known: nothing to remove');
    return done;
  }
  if (!event.PhysicalResourceId.endsWith(`:${props.attachmentId}`)) {
    exports.log(`physical id ${event.PhysicalResourceId} is not this resource's for ${props.attachmentId}: nothing to remove`);
    return done;
  }
  const ec2 = await tryEc2Client(props, budget, `the association of ${props.attachmentId} stays (it goes with the attachment)`);
  if (!ec2) { return done; }
  const attachment = await describeAttachment(ec2, props.attachmentId, budget);
  if (!attachment || ATTACHMENT_GONE.includes(String(attachment.State))) {
    exports.log(`attachment ${props.attachmentId} is ${attachment ? attachment.State : 'gone'}: its association and propagations went with it`);
    return done;
  }
  const enabled = props.propagationTableIds.length === 0 ? [] : await currentPropagations(ec2, props.attachmentId, budget);
  for (const table of props.propagationTableIds.filter((t) => enabled.includes(t))) {
    await disablePropagation(ec2, props.attachmentId, table, budget);
  }
  const association = currentAssociation(attachment);
  if (association === props.associationTableId) {
    await disassociate(ec2, props.attachmentId, association, budget);
  } else {
    exports.log(`attachment ${props.attachmentId} is associated with ${association || 'no route table'}, not ${props.associationTableId}: left as it is`);
  }
  return done;
}

/**
 * @param {ResourceProperties | undefined} p
 * @returns {AssociationProps}
 */
function associationProps(p) {
  const target = targetProps(p);
  const props = /** @type {ResourceProperties} */ (p);
  return {
    ...target,
    attachmentId: checkedId(props, 'TransitGatewayAttachmentId', 'tgw-attach-'),
    transitGatewayId: checkedId(props, 'TransitGatewayId', 'tgw-'),
    associationTableId: checkedId(props, 'AssociationRouteTableId', 'tgw-rtb-'),
    propagationTableIds: idList(props, 'PropagationRouteTableIds', 'tgw-rtb-'),
  };
}

// ---------------------------------------------------------------------------------------
// Custom::TransitGatewayPeeringAccepter

/**
 * @param {CustomResourceEvent} event
 * @param {Budget} budget
 * @returns {Promise<CustomResourceResponse>}
 */
async function onPeeringAccepter(event, budget) {
  if (event.RequestType === 'Delete') {
    return onPeeringAccepterDelete(event, budget);
  }
  const props = peeringProps(event.ResourceProperties);
  const physicalId = `tgw-peering-accepter:${props.region}:${props.attachmentId}`;
  const ec2 = await ec2Client(props, budget);
  const old = event.RequestType === 'Update' ? tryProps(peeringProps, event.OldResourceProperties, 'OldResourceProperties') : undefined;
  const same = old !== undefined && old.attachmentId === props.attachmentId && old.region === props.region;
  /** @type {Journal} */
  const journal = { undo: [] };
  try {
    await acceptAndWait(ec2, props.attachmentId, undefined, 'peering', budget);
    if (props.associationTableId) {
      await ensureAssociation(ec2, props.attachmentId, props.associationTableId, same, same ? { undo: [] } : journal, budget);
    }
    for (const route of props.routes) {
      await ensureStaticRoute(ec2, props.attachmentId, route, same ? { undo: [] } : journal, budget);
    }
  } catch (e) {
    if (!same) { await undo(journal, budget); }
    throw e;
  }
  if (same) {
    const kept = new Set(props.routes.map(routeKey));
    for (const route of old.routes.filter((r) => !kept.has(routeKey(r)))) {
      await deleteStaticRoute(ec2, props.attachmentId, route, budget);
    }
    if (old.associationTableId && !props.associationTableId && currentAssociation(await describeAttachment(ec2, props.attachmentId, budget)) === old.associationTableId) {
      await disassociate(ec2, props.attachmentId, old.associationTableId, budget);
    }
  }
  return { PhysicalResourceId: same && event.RequestType === 'Update' ? event.PhysicalResourceId : physicalId };
}

/**
 * Delete: the static routes and the association, where they still point at the attachment. The
 * attachment stays: CloudFormation deletes the requester side, which deletes it.
 * @param {DeleteEvent} event
 * @param {Budget} budget
 * @returns {Promise<CustomResourceResponse>}
 */
async function onPeeringAccepterDelete(event, budget) {
  const done = { PhysicalResourceId: event.PhysicalResourceId };
  const props = tryProps(peeringProps, event.ResourceProperties, 'ResourceProperties');
  if (!props || !event.PhysicalResourceId.endsWith(`:${props.attachmentId}`)) {
    exports.log(`physical id ${event.PhysicalResourceId}: nothing of this resource is known, nothing to remove`);
    return done;
  }
  const ec2 = await tryEc2Client(props, budget, `the routes toward ${props.attachmentId} stay (they go with the peering attachment)`);
  if (!ec2) { return done; }
  const attachment = await describeAttachment(ec2, props.attachmentId, budget);
  if (!attachment || ATTACHMENT_GONE.includes(String(attachment.State))) {
    exports.log(`peering attachment ${props.attachmentId} is ${attachment ? attachment.State : 'gone'}: its routes and association went with it`);
    return done;
  }
  for (const route of props.routes) {
    await deleteStaticRoute(ec2, props.attachmentId, route, budget);
  }
  if (props.associationTableId && currentAssociation(attachment) === props.associationTableId) {
    await disassociate(ec2, props.attachmentId, props.associationTableId, budget);
  }
  return done;
}

/**
 * @param {ResourceProperties | undefined} p
 * @returns {PeeringProps}
 */
function peeringProps(p) {
  const target = targetProps(p);
  const props = /** @type {ResourceProperties} */ (p);
  const association = props.AssociationRouteTableId === undefined || props.AssociationRouteTableId === ''
    ? undefined : checkedId(props, 'AssociationRouteTableId', 'tgw-rtb-');
  const routes = listOf(props, 'StaticRoutes').map((text) => {
    const [table, cidr] = text.split('|');
    if (!table || !table.startsWith('tgw-rtb-') || !cidr || !/^[0-9a-fA-F.:]+\/\d{1,3}$/.test(cidr)) {
      throw new Error(`StaticRoutes must hold '<tgw-rtb-...>|<CIDR block>' entries, got ${JSON.stringify(text)}.`);
    }
    return { table, cidr };
  });
  return { ...target, attachmentId: checkedId(props, 'TransitGatewayAttachmentId', 'tgw-attach-'), associationTableId: association, routes };
}

/** @param {StaticRoute} route */
function routeKey(route) {
  return `${route.table}|${route.cidr}`;
}

/**
 * The static route exists toward the attachment: created, or found there already. A static route
 * of the same block toward another attachment is an error (a route table holds one per block).
 * @param {Ec2Api} ec2
 * @param {string} attachmentId
 * @param {StaticRoute} route
 * @param {Journal} journal
 * @param {Budget} budget
 */
async function ensureStaticRoute(ec2, attachmentId, route, journal, budget) {
  const existing = await findStaticRoute(ec2, route, budget);
  if (existing) {
    const targets = (existing.TransitGatewayAttachments || []).map((a) => a.TransitGatewayAttachmentId);
    if (targets.includes(attachmentId)) { return; }
    throw new Error(`Route table ${route.table} already has a static route to ${route.cidr}, toward ${targets.join(', ') || existing.State}: ` +
      `it cannot also route it toward ${attachmentId}. Remove that route, or leave the block out of what reaches across the peering.`);
  }
  await callAws(budget, `creating the route to ${route.cidr} in ${route.table}`, () => ec2.createTransitGatewayRoute({
    TransitGatewayRouteTableId: route.table, DestinationCidrBlock: route.cidr, TransitGatewayAttachmentId: attachmentId,
  }));
  journal.undo.push({ what: `the route to ${route.cidr} in ${route.table}`, run: () => deleteStaticRoute(ec2, attachmentId, route, budget, true) });
}

/**
 * Remove the static route if it still points at the attachment.
 * @param {Ec2Api} ec2
 * @param {string} attachmentId
 * @param {StaticRoute} route
 * @param {Budget} budget
 * @param {boolean} [undoing]
 */
async function deleteStaticRoute(ec2, attachmentId, route, budget, undoing) {
  const existing = await findStaticRoute(ec2, route, budget, undoing);
  const targets = ((existing && existing.TransitGatewayAttachments) || []).map((a) => a.TransitGatewayAttachmentId);
  if (!existing || !targets.includes(attachmentId)) {
    exports.log(`route to ${route.cidr} in ${route.table} ${existing ? `points at ${targets.join(', ')}` : 'is gone'}: left as it is`);
    return;
  }
  try {
    await callAws(budget, `deleting the route to ${route.cidr} in ${route.table}`, () => ec2.deleteTransitGatewayRoute({
      TransitGatewayRouteTableId: route.table, DestinationCidrBlock: route.cidr,
    }), undoing);
  } catch (e) {
    if (!GONE_CODES.includes(errorCode(e))) { throw e; }
  }
}

/**
 * @param {Ec2Api} ec2
 * @param {StaticRoute} route
 * @param {Budget} budget
 * @param {boolean} [undoing]
 * @returns {Promise<import('@aws-sdk/client-ec2').TransitGatewayRoute | undefined>}
 */
async function findStaticRoute(ec2, route, budget, undoing) {
  try {
    const response = await callAws(budget, `reading the route to ${route.cidr} in ${route.table}`, () => ec2.searchTransitGatewayRoutes({
      TransitGatewayRouteTableId: route.table,
      Filters: [{ Name: 'route-search.exact-match', Values: [route.cidr] }, { Name: 'type', Values: ['static'] }],
    }), undoing);
    return (response.Routes || []).find((r) => r.DestinationCidrBlock === route.cidr && r.Type === 'static');
  } catch (e) {
    if (GONE_CODES.includes(errorCode(e))) { return undefined; }
    throw e;
  }
}

// ---------------------------------------------------------------------------------------
// Custom::TransitGatewayLookup

/**
 * @param {CustomResourceEvent} event
 * @param {Budget} budget
 * @returns {Promise<CustomResourceResponse>}
 */
async function onLookup(event, budget) {
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const props = lookupProps(event.ResourceProperties);
  const credentials = await credentialsFor(props, budget);
  const ec2 = exports.clients.ec2(props.region, credentials);
  const filters = props.transitGatewayId
    ? { TransitGatewayIds: [props.transitGatewayId] }
    : { Filters: [{ Name: `tag:${HUB_TAG}`, Values: [props.hubTag] }] };
  const gateways = ((await callAws(budget, `finding the transit gateway of hub ${props.hubTag}`,
    () => ec2.describeTransitGateways(filters))).TransitGateways || [])
    .filter((g) => !['deleting', 'deleted'].includes(String(g.State)));
  if (gateways.length !== 1) {
    throw new Error(`Found ${gateways.length} transit gateways tagged ${HUB_TAG}=${props.hubTag} in ${props.region} ` +
      `(${gateways.map((g) => g.TransitGatewayId).join(', ') || 'none'}): deploy the hub's stack first (cdk deploy --all deploys it first), ` +
      'and do not copy its tags to another gateway.');
  }
  const gateway = gateways[0];
  const gatewayId = /** @type {string} */ (gateway.TransitGatewayId);
  /** @type {{ [name: string]: unknown }} */
  const data = { TransitGatewayId: gatewayId };
  /** @type {Map<string, string>} */
  const tables = new Map();
  /** @type {string | undefined} */
  let token;
  do {
    const page = await callAws(budget, `finding the route tables of ${gatewayId}`, () => ec2.describeTransitGatewayRouteTables({
      Filters: [{ Name: 'transit-gateway-id', Values: [gatewayId] }, { Name: `tag:${HUB_TAG}`, Values: [props.hubTag] }],
      NextToken: token,
    }));
    for (const table of page.TransitGatewayRouteTables || []) {
      if (['deleting', 'deleted'].includes(String(table.State))) { continue; }
      const segment = (table.Tags || []).find((t) => t.Key === SEGMENT_TAG);
      if (segment && segment.Value !== undefined && table.TransitGatewayRouteTableId) { tables.set(segment.Value, table.TransitGatewayRouteTableId); }
    }
    token = page.NextToken;
  } while (token);
  const missing = props.segments.filter((s) => !tables.has(s));
  if (missing.length > 0) {
    throw new Error(`No route table of ${gatewayId} is tagged ${SEGMENT_TAG}=${missing.join(', ')} (found: ${[...tables.keys()].join(', ') || 'none'}): ` +
      'deploy the hub\'s stack with those segments first.');
  }
  for (const segment of props.segments) {
    data[`RouteTableId.${segment}`] = tables.get(segment);
  }
  data.ResourceShareArns = (await shareArnsOf(props, credentials, gateway.TransitGatewayArn, budget)).join(',');
  return { PhysicalResourceId: `tgw-lookup:${props.region}:${gatewayId}`, Data: data };
}

/**
 * The RAM shares of the gateway (the accepter in the spoke's account accepts their invitation).
 * @param {LookupProps} props
 * @param {Credentials} credentials
 * @param {string | undefined} arn
 * @param {Budget} budget
 * @returns {Promise<string[]>}
 */
async function shareArnsOf(props, credentials, arn, budget) {
  if (!arn) { return []; }
  const ram = exports.clients.ram(props.region, credentials);
  /** @type {string[]} */
  const arns = [];
  /** @type {string | undefined} */
  let token;
  do {
    const page = await callAws(budget, `listing the resource shares of ${arn}`,
      () => ram.getResourceShareAssociations({ associationType: 'RESOURCE', resourceArn: arn, nextToken: token }));
    for (const association of page.resourceShareAssociations || []) {
      if (association.status === 'ASSOCIATED' && association.resourceShareArn) { arns.push(association.resourceShareArn); }
    }
    token = page.nextToken;
  } while (token);
  return unique(arns).sort();
}

/**
 * @param {ResourceProperties | undefined} p
 * @returns {LookupProps}
 */
function lookupProps(p) {
  const target = targetProps(p);
  const props = /** @type {ResourceProperties} */ (p);
  if (typeof props.HubTag !== 'string' || props.HubTag === '') {
    throw new Error(`HubTag must be the value of the hub's ${HUB_TAG} tag, got ${JSON.stringify(props.HubTag)}.`);
  }
  const segments = listOf(props, 'Segments');
  const transitGatewayId = props.TransitGatewayId === undefined || props.TransitGatewayId === '' ? undefined : checkedId(props, 'TransitGatewayId', 'tgw-');
  return { ...target, hubTag: props.HubTag, segments, transitGatewayId };
}

// ---------------------------------------------------------------------------------------
// Custom::ResourceShareInvitationAccepter

/**
 * @param {CustomResourceEvent} event
 * @param {Budget} budget
 * @returns {Promise<CustomResourceResponse>}
 */
async function onInvitation(event, budget) {
  if (event.RequestType === 'Delete') {
    // Leaving the share is the owner's decision (it removes the account from the share): nothing to do.
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const p = event.ResourceProperties || {};
  const props = {
    region: /** @type {string | undefined} */ (p.Region) || process.env.AWS_REGION,
    shareArns: listOf(p, 'ResourceShareArns').flatMap((s) => s.split(',')).filter((s) => s !== ''),
  };
  if (props.shareArns.length === 0 || props.shareArns.some((a) => !a.startsWith('arn:') || !a.includes(':resource-share/'))) {
    throw new Error(`ResourceShareArns must list RAM resource share ARNs, got ${JSON.stringify(p.ResourceShareArns)}: ` +
      'the hub\'s gateway is shared with no account (check shareWith) or its stack is not deployed.');
  }
  const ram = exports.clients.ram(props.region, undefined);
  const physicalId = `ram-share-accepted:${props.region}:${hashOf(props.shareArns.join(','))}`;
  let delay = exports.settings.initialDelayMs;
  for (;;) {
    const invitations = await listInvitations(ram, props.shareArns, budget);
    const failed = invitations.filter((i) => i.status === 'REJECTED' || i.status === 'EXPIRED');
    let accepted = invitations.some((i) => i.status === 'ACCEPTED');
    for (const invitation of invitations.filter((i) => i.status === 'PENDING')) {
      const arn = /** @type {string} */ (invitation.resourceShareInvitationArn);
      try {
        await callAws(budget, `accepting the invitation ${arn}`, () => ram.acceptResourceShareInvitation({ resourceShareInvitationArn: arn }));
      } catch (e) {
        if (errorCode(e) !== 'ResourceShareInvitationAlreadyAcceptedException') { throw e; }
      }
      exports.log(`accepted the invitation ${arn} to ${invitation.resourceShareArn}`);
      accepted = true;
    }
    if (accepted || await shareActive(ram, props.shareArns, budget)) {
      return { PhysicalResourceId: physicalId };
    }
    if (failed.length > 0) {
      throw new Error(`The invitation to ${failed.map((i) => i.resourceShareArn).join(', ')} is ${failed.map((i) => i.status).join(', ')}: ` +
        'ask the gateway\'s owner to share it again (remove this account from shareWith, deploy, add it back), then deploy this stack again.');
    }
    delay = await lookAgainLater(budget.deadline, delay,
      `No invitation to ${props.shareArns.join(', ')} reached this account in time, and the share is not active for it: ` +
      'check that the hub\'s shareWith lists this account (or its organization) and that the hub\'s stack is deployed, then deploy again.',
      `no invitation to ${props.shareArns.join(', ')} yet`);
  }
}

/**
 * @param {RamApi} ram
 * @param {string[]} shareArns
 * @param {Budget} budget
 * @returns {Promise<Invitation[]>}
 */
async function listInvitations(ram, shareArns, budget) {
  /** @type {Invitation[]} */
  const all = [];
  /** @type {string | undefined} */
  let token;
  do {
    const page = await callAws(budget, 'listing resource share invitations', () => ram.getResourceShareInvitations({ resourceShareArns: shareArns, nextToken: token }));
    all.push(...(page.resourceShareInvitations || []));
    token = page.nextToken;
  } while (token);
  return all;
}

/**
 * Whether one of the shares is active for this account (a share within an organization needs no invitation).
 * @param {RamApi} ram
 * @param {string[]} shareArns
 * @param {Budget} budget
 * @returns {Promise<boolean>}
 */
async function shareActive(ram, shareArns, budget) {
  const page = await callAws(budget, 'reading the resource shares', () => ram.getResourceShares({ resourceOwner: 'OTHER-ACCOUNTS', resourceShareArns: shareArns }));
  return (page.resourceShares || []).some((s) => s.status === 'ACTIVE');
}

// ---------------------------------------------------------------------------------------
// Attachments, associations, propagations

/**
 * @param {Ec2Api} ec2
 * @param {string} id
 * @param {Budget} budget
 * @param {boolean} [undoing]
 * @returns {Promise<Attachment | undefined>}
 */
async function describeAttachment(ec2, id, budget, undoing) {
  try {
    const response = await callAws(budget, `reading attachment ${id}`,
      () => ec2.describeTransitGatewayAttachments({ TransitGatewayAttachmentIds: [id] }), undoing);
    return (response.TransitGatewayAttachments || [])[0];
  } catch (e) {
    if (errorCode(e) === ATTACHMENT_NOT_FOUND) { return undefined; }
    throw e;
  }
}

/**
 * The route table an attachment is associated with (or being associated with), if any.
 * @param {Attachment | undefined} attachment
 * @returns {string | undefined}
 */
function currentAssociation(attachment) {
  const association = attachment && attachment.Association;
  if (!association || association.State === 'disassociated' || association.State === 'disassociating') { return undefined; }
  return association.TransitGatewayRouteTableId;
}

/**
 * Wait until the attachment is available, accepting it when it waits for acceptance. An
 * attachment created a moment ago may not be visible yet (eventual consistency).
 * @param {Ec2Api} ec2
 * @param {string} id
 * @param {string | undefined} transitGatewayId The gateway it must belong to, when known.
 * @param {'vpc' | 'peering'} kind
 * @param {Budget} budget
 * @returns {Promise<Attachment>}
 */
async function acceptAndWait(ec2, id, transitGatewayId, kind, budget) {
  let delay = exports.settings.initialDelayMs;
  let accepted = false;
  for (;;) {
    const attachment = await describeAttachment(ec2, id, budget);
    const state = attachment ? String(attachment.State) : 'not found';
    if (attachment && transitGatewayId && attachment.TransitGatewayId !== transitGatewayId) {
      throw new Error(`Attachment ${id} belongs to transit gateway ${attachment.TransitGatewayId}, not ${transitGatewayId}: ` +
        'the role may only act on the hub\'s gateway. Check the spoke\'s hub.');
    }
    if (attachment && state === 'available') { return attachment; }
    if (ATTACHMENT_GONE.includes(state)) {
      throw new Error(`Transit gateway attachment ${id} is ${state}: it can never become available. ` +
        (kind === 'peering' ? 'Check both gateways (same ASN? a rejected request?) and create the peering again.' : 'Check the VPC\'s subnets and create the attachment again.'));
    }
    if (attachment && state === 'pendingAcceptance' && !accepted) {
      try {
        await callAws(budget, `accepting attachment ${id}`, () => (kind === 'vpc'
          ? ec2.acceptTransitGatewayVpcAttachment({ TransitGatewayAttachmentId: id })
          : ec2.acceptTransitGatewayPeeringAttachment({ TransitGatewayAttachmentId: id })));
        exports.log(`accepted attachment ${id}`);
      } catch (e) {
        // Accepted meanwhile (another invocation of this request): the next look shows it.
        if (errorCode(e) !== 'IncorrectState') { throw e; }
      }
      accepted = true;
      continue;
    }
    if (attachment && !ATTACHMENT_WAITING.includes(state) && state !== 'pendingAcceptance') {
      throw new Error(`Transit gateway attachment ${id} is in an unexpected state '${state}'.`);
    }
    delay = await lookAgainLater(budget.deadline, delay,
      `Transit gateway attachment ${id} did not become available in time (last seen: ${state}). Retry the deployment.`,
      `attachment ${id} is ${state}`);
  }
}

/**
 * The attachment is associated with `table`. When it is associated with another table: moved
 * (disassociated, then associated) if `move`, else an error.
 * @param {Ec2Api} ec2
 * @param {string} attachmentId
 * @param {string} table
 * @param {boolean} move
 * @param {Journal} journal
 * @param {Budget} budget
 */
async function ensureAssociation(ec2, attachmentId, table, move, journal, budget) {
  const attachment = await describeAttachment(ec2, attachmentId, budget);
  const current = currentAssociation(attachment);
  if (current === table) {
    await waitAssociation(ec2, attachmentId, table, true, budget);
    return;
  }
  if (current) {
    if (!move) {
      throw new Error(`Attachment ${attachmentId} is associated with route table ${current}, not ${table}: an attachment has one association. ` +
        'Disassociate it from that table (or remove what associated it) and deploy again.');
    }
    exports.log(`attachment ${attachmentId} moves from route table ${current} to ${table}`);
    await disassociate(ec2, attachmentId, current, budget);
  }
  try {
    await callAws(budget, `associating attachment ${attachmentId} with route table ${table}`,
      () => ec2.associateTransitGatewayRouteTable({ TransitGatewayAttachmentId: attachmentId, TransitGatewayRouteTableId: table }));
  } catch (e) {
    if (errorCode(e) !== 'Resource.AlreadyAssociated') { throw e; }
  }
  journal.undo.push({ what: `the association with ${table}`, run: () => disassociate(ec2, attachmentId, table, budget, true) });
  await waitAssociation(ec2, attachmentId, table, true, budget);
}

/**
 * Disassociate and wait until it is done (a table keeps an attachment until then: associating
 * it elsewhere or deleting the table fails meanwhile). Gone is done.
 * @param {Ec2Api} ec2
 * @param {string} attachmentId
 * @param {string} table
 * @param {Budget} budget
 * @param {boolean} [undoing]
 */
async function disassociate(ec2, attachmentId, table, budget, undoing) {
  try {
    await callAws(budget, `disassociating attachment ${attachmentId} from route table ${table}`,
      () => ec2.disassociateTransitGatewayRouteTable({ TransitGatewayAttachmentId: attachmentId, TransitGatewayRouteTableId: table }), undoing);
  } catch (e) {
    if (!GONE_CODES.includes(errorCode(e))) { throw e; }
    exports.log(`the association of ${attachmentId} with ${table} is gone already`);
    return;
  }
  await waitAssociation(ec2, attachmentId, table, false, budget, undoing);
}

/**
 * Wait until the attachment is (`associated`) or is no longer (`!associated`) associated with `table`.
 * @param {Ec2Api} ec2
 * @param {string} attachmentId
 * @param {string} table
 * @param {boolean} associated
 * @param {Budget} budget
 * @param {boolean} [undoing]
 */
async function waitAssociation(ec2, attachmentId, table, associated, budget, undoing) {
  let delay = exports.settings.initialDelayMs;
  const deadline = undoing ? budget.finalDeadline : budget.deadline;
  for (;;) {
    const attachment = await describeAttachment(ec2, attachmentId, budget, undoing);
    const association = attachment && attachment.Association;
    const state = association && association.TransitGatewayRouteTableId === table ? association.State : 'disassociated';
    if (associated ? state === 'associated' : state === 'disassociated' || !attachment) { return; }
    if (associated && state === 'disassociated') {
      throw new Error(`The association of attachment ${attachmentId} with route table ${table} disappeared while it was being made. Retry the deployment.`);
    }
    delay = await lookAgainLater(deadline, delay,
      `The association of attachment ${attachmentId} with route table ${table} is still ${state} (waiting for ` +
      `${associated ? 'associated' : 'disassociated'}). Retry the deployment.`,
      `association of ${attachmentId} with ${table} is ${state}`);
  }
}

/**
 * @param {Ec2Api} ec2
 * @param {string} attachmentId
 * @param {Budget} budget
 * @returns {Promise<string[]>} The route tables the attachment propagates to (enabled or enabling).
 */
async function currentPropagations(ec2, attachmentId, budget) {
  /** @type {string[]} */
  const tables = [];
  /** @type {string | undefined} */
  let token;
  do {
    const page = await callAws(budget, `reading the propagations of ${attachmentId}`,
      () => ec2.getTransitGatewayAttachmentPropagations({ TransitGatewayAttachmentId: attachmentId, NextToken: token }));
    for (const p of page.TransitGatewayAttachmentPropagations || []) {
      if ((p.State === 'enabled' || p.State === 'enabling') && p.TransitGatewayRouteTableId) { tables.push(p.TransitGatewayRouteTableId); }
    }
    token = page.NextToken;
  } while (token);
  return tables;
}

/**
 * Enable the propagations to `wanted` that are not enabled, then disable those to `dropped`
 * (never one of `wanted`) that are.
 * @param {Ec2Api} ec2
 * @param {string} attachmentId
 * @param {string[]} wanted
 * @param {string[]} dropped
 * @param {Journal} journal
 * @param {Budget} budget
 */
async function setPropagations(ec2, attachmentId, wanted, dropped, journal, budget) {
  // A spoke of a hub's own account (no RoleArn) names no propagation: they are native resources.
  if (wanted.length === 0 && dropped.length === 0) { return; }
  const current = await currentPropagations(ec2, attachmentId, budget);
  for (const table of wanted.filter((t) => !current.includes(t))) {
    try {
      await callAws(budget, `enabling the propagation of ${attachmentId} to route table ${table}`,
        () => ec2.enableTransitGatewayRouteTablePropagation({ TransitGatewayAttachmentId: attachmentId, TransitGatewayRouteTableId: table }));
    } catch (e) {
      if (errorCode(e) !== 'TransitGatewayRouteTablePropagation.Duplicate') { throw e; }
      continue;
    }
    journal.undo.push({ what: `the propagation to ${table}`, run: () => disablePropagation(ec2, attachmentId, table, budget, true) });
  }
  for (const table of dropped.filter((t) => current.includes(t) && !wanted.includes(t))) {
    await disablePropagation(ec2, attachmentId, table, budget);
  }
}

/**
 * @param {Ec2Api} ec2
 * @param {string} attachmentId
 * @param {string} table
 * @param {Budget} budget
 * @param {boolean} [undoing]
 */
async function disablePropagation(ec2, attachmentId, table, budget, undoing) {
  try {
    await callAws(budget, `disabling the propagation of ${attachmentId} to route table ${table}`,
      () => ec2.disableTransitGatewayRouteTablePropagation({ TransitGatewayAttachmentId: attachmentId, TransitGatewayRouteTableId: table }), undoing);
  } catch (e) {
    if (!GONE_CODES.includes(errorCode(e))) { throw e; }
    exports.log(`the propagation of ${attachmentId} to ${table} is gone already`);
  }
}

/**
 * Undo what a failing invocation wrote, last first, until the final deadline; failures are logged
 * (the error that made the invocation fail is the one CloudFormation sees).
 * @param {Journal} journal
 * @param {Budget} _budget
 */
async function undo(journal, _budget) {
  for (const step of [...journal.undo].reverse()) {
    try {
      await step.run();
      exports.log(`undone: ${step.what}`);
    } catch (e) {
      exports.log(`could not undo ${step.what}: ${/** @type {Error} */ (e).message}`);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Shared

/**
 * @param {ResourceProperties | undefined} p
 * @returns {Target}
 */
function targetProps(p) {
  if (!p) { throw new Error('The resource has no properties.'); }
  const roleArn = p.RoleArn === undefined || p.RoleArn === '' ? undefined : p.RoleArn;
  if (roleArn !== undefined && (typeof roleArn !== 'string' || !/^arn:[a-z-]+:iam::\d{12}:role\/.+$/.test(roleArn))) {
    throw new Error(`RoleArn must be the ARN of an IAM role, got ${JSON.stringify(roleArn)}.`);
  }
  return { region: /** @type {string | undefined} */ (p.Region) || process.env.AWS_REGION, roleArn };
}

/**
 * @param {ResourceProperties} p
 * @param {string} name
 * @param {string} prefix
 * @returns {string}
 */
function checkedId(p, name, prefix) {
  const value = p[name];
  if (typeof value !== 'string' || !value.startsWith(prefix) || value.length <= prefix.length) {
    throw new Error(`${name} must be an id starting with ${prefix}, got ${JSON.stringify(value)}.`);
  }
  return value;
}

/**
 * @param {ResourceProperties} p
 * @param {string} name
 * @returns {string[]}
 */
function listOf(p, name) {
  const value = p[name];
  if (value === undefined || value === '') { return []; }
  const list = Array.isArray(value) ? value : [value];
  if (list.some((v) => typeof v !== 'string')) {
    throw new Error(`${name} must be a list of strings, got ${JSON.stringify(value)}.`);
  }
  return unique(/** @type {string[]} */ (list));
}

/**
 * @param {ResourceProperties} p
 * @param {string} name
 * @param {string} prefix
 * @returns {string[]}
 */
function idList(p, name, prefix) {
  const list = listOf(p, name);
  const bad = list.filter((v) => !v.startsWith(prefix));
  if (bad.length > 0) {
    throw new Error(`${name} must list ids starting with ${prefix}, got ${JSON.stringify(bad)}.`);
  }
  return list;
}

/**
 * Properties read leniently: `undefined` (logged) when they cannot be read.
 * @template T
 * @param {(p: ResourceProperties | undefined) => T} parse
 * @param {ResourceProperties | undefined} p
 * @param {string} what
 * @returns {T | undefined}
 */
function tryProps(parse, p, what) {
  try {
    return parse(p);
  } catch (e) {
    exports.log(`${what} cannot be read (${/** @type {Error} */ (e).message})`);
    return undefined;
  }
}



/**
 * The credentials of the role the properties name, or undefined (the function's own).
 * @param {Target} props
 * @param {Budget} budget
 * @returns {Promise<Credentials>}
 */
async function credentialsFor(props, budget) {
  if (!props.roleArn) { return undefined; }
  const roleArn = props.roleArn;
  const sts = exports.clients.sts(process.env.AWS_REGION);
  let response;
  try {
    response = await callAws(budget, `assuming role ${roleArn}`, () => sts.assumeRole({ RoleArn: roleArn, RoleSessionName: SESSION_NAME }));
  } catch (e) {
    if (e instanceof OutOfTime) { throw e; }
    throw new RoleError(`Could not assume role ${roleArn} (${errorCode(e)}: ${/** @type {Error} */ (e).message}). Deploy the hub's stack ` +
      'first (cdk deploy --all deploys it first), keep it until this stack is deleted, and check that the hub shares with this account.');
  }
  const c = /** @type {import('@aws-sdk/client-sts').Credentials} */ (response.Credentials);
  return /** @type {Credentials} */ ({
    accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration,
  });
}

/**
 * @param {Target} props
 * @param {Budget} budget
 * @returns {Promise<Ec2Api>}
 */
async function ec2Client(props, budget) {
  return exports.clients.ec2(props.region, await credentialsFor(props, budget));
}

/**
 * The EC2 client for a Delete: undefined (logged) when the role cannot be assumed any more.
 * @param {Target} props
 * @param {Budget} budget
 * @param {string} consequence
 * @returns {Promise<Ec2Api | undefined>}
 */
async function tryEc2Client(props, budget, consequence) {
  try {
    return await ec2Client(props, budget);
  } catch (e) {
    if (!(e instanceof RoleError)) { throw e; }
    exports.log(`${e.message} Nothing can be cleaned: ${consequence}.`);
    return undefined;
  }
}





/**
 * @param {string[]} values
 * @returns {string[]}
 */
function unique(values) {
  return [...new Set(values)];
}

/** @param {string} text */
function hashOf(text) {
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 16);
}
