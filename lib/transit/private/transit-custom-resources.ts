import * as path from 'path';
import { Aspects, CustomResource, IAspect, Stack, Validations } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { nameTag } from '../../private/identifiers';
import { IStackProvider, PolicyStatementJson, PROVIDER_ROLE_PATH, PROVIDER_SERVICE_TIMEOUT, stackProvider } from '../../private/provider-function';

/**
 * The custom resources of the transit network (internal: not exported from the package). One
 * function per stack serves every type (lib/transit/private/handler/index.js, with the shared
 * entrypoint); each resource adds what its calls need to the function's role.
 */

/**
 * The association (and propagations) of a spoke: of another account, through the hub's role; of a
 * hub with segments in the hub's account, with the function's own role (no `RoleArn`, propagations
 * native), so that a move between segments is an update of this resource.
 */
export const SPOKE_ASSOCIATION_TYPE = 'Custom::TransitGatewaySpokeAssociation';
/** The ids of a hub's gateway, segment route tables and shares, read through the owner's role. */
export const TRANSIT_LOOKUP_TYPE = 'Custom::TransitGatewayLookup';
/** Acceptance of the RAM invitation of the gateway's share, in the spoke's account. */
export const INVITATION_ACCEPTER_TYPE = 'Custom::ResourceShareInvitationAccepter';
/** Acceptance of a peering attachment, its association and static routes, on the peer side. */
export const PEERING_ACCEPTER_TYPE = 'Custom::TransitGatewayPeeringAccepter';

/** The tag that names the hub on its gateway and route tables (found by the lookup). */
export const HUB_TAG_KEY = 'cdk-vpc-connect:hub';
/** The tag that names the segment of a hub's route table. */
export const SEGMENT_TAG_KEY = 'cdk-vpc-connect:segment';

/** The value of a hub's `cdk-vpc-connect:hub` tag: its construct path (unique in the app), shortened like a Name tag. */
export function hubTagOf(hub: IConstruct): string {
  return nameTag(hub.node.path);
}

/**
 * The IAM path of the function's role: the roles of a hub (`TransitGatewaySpoke`) trust the
 * roles under this path of the accounts they serve, and nothing else of those accounts.
 */
export const TRANSIT_PROVIDER_ROLE_PATH = PROVIDER_ROLE_PATH;

/** The construct id of the provider at the root of its stack. */
const PROVIDER_CONSTRUCT_ID = 'CdkVpcConnectTransitProvider';

/** CloudFormation's wait for an answer (ServiceTimeout): the function's timeout and a minute. */
const SERVICE_TIMEOUT = PROVIDER_SERVICE_TIMEOUT;

export type { PolicyStatementJson };

/** Why the provider role's `Resource: *` statements name no resource (cdk-nag's AwsSolutions-IAM5). */
const WILDCARD_REASON = 'RAM\'s invitation calls and EC2\'s Describe/Get calls of transit gateways support no resource-level permissions; ' +
  'changes are made through the hub\'s role (limited to the hub\'s route tables), or limited to the hub\'s route tables and this ' +
  'stack\'s attachments (associations of a hub with segments), or to the given route tables.';

/**
 * A custom resource `id` of `scope` on its stack's transit provider; `statements` go to the
 * function's role (once each).
 */
export function transitResource(scope: Construct, id: string, resourceType: string, properties: { [name: string]: unknown },
  statements: PolicyStatementJson[]): CustomResource {
  const provider = TransitProvider.of(scope);
  statements.forEach((s) => provider.addToRolePolicy(s));
  return new CustomResource(scope, id, {
    serviceToken: provider.serviceToken,
    serviceTimeout: SERVICE_TIMEOUT,
    resourceType,
    properties,
  });
}

/**
 * Run `action` once, at synth, when aspects visit `target`: for what needs every spoke of a hub,
 * including those added after `target` was made.
 */
export function whenSynthesized(target: IConstruct, action: () => void): void {
  Aspects.of(target).add(new WhenVisited(target, action));
}

class WhenVisited implements IAspect {
  private done = false;
  constructor(private readonly target: IConstruct, private readonly action: () => void) {}
  public visit(node: IConstruct): void {
    if (node !== this.target || this.done) { return; }
    this.done = true;
    this.action();
  }
}

/**
 * Acknowledge a cdk-nag finding of the function's role in `scope`'s stack, as for a wildcard
 * resource that only some resource types of that stack need.
 */
export function acknowledgeOnProvider(scope: Construct, id: string, reason: string): void {
  Validations.of(TransitProvider.of(scope) as unknown as IConstruct).acknowledge({ id, reason });
}

/**
 * The form in which cdk-nag names a resource of a policy in its finding ids
 * (`AwsSolutions-IAM5[Resource::<this>]`): the resolved ARN, with `<AWS::Partition>` for a
 * reference to a pseudo parameter.
 */
export function nagResourceName(scope: Construct, arn: string): string {
  const resolved = Stack.of(scope).resolve(arn);
  if (typeof resolved === 'string') { return resolved; }
  const parts: unknown[] = resolved?.['Fn::Join']?.[1] ?? [];
  return parts.map((p) => (typeof p === 'string' ? p : `<${(p as { Ref?: string }).Ref}>`)).join('');
}

/** The statement that lets the function act through `roleArn`. */
export function assumeRoleStatement(roleArn: string): PolicyStatementJson {
  return { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn };
}

/**
 * The stack's one function for the transit custom resources, with its role (`ProviderFunction`:
 * `iam.CfnRole` and `lambda.CfnFunction` L1s, so that rule packs such as cdk-nag inspect them).
 */
const TransitProvider = {
  of(scope: IConstruct): IStackProvider {
    return stackProvider(scope, {
      constructId: PROVIDER_CONSTRUCT_ID,
      brand: Symbol.for('cdk-vpc-connect.TransitProvider'),
      whenTaken: ': rename that construct (cdk-vpc-connect places its transit custom-resource function there).',
      handlerDir: path.join(__dirname, 'handler'),
      description: 'cdk-vpc-connect: transit gateway spoke associations (segments, other accounts) and peerings between transit gateways',
      wildcardReason: WILDCARD_REASON,
    });
  },
};
