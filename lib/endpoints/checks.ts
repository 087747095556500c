import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { checkAccountId, checkCidr, describeValue } from '../private/identifiers';

/**
 * Pure checks of the inputs of VpcEndpoints (no construct is created here); which VPC a subnet
 * belongs to is lib/routing/subnets.ts. Internal: not exported from the package.
 *
 * Formats:
 * - organization ids: `o-` followed by 10 to 32 lowercase letters or digits
 *   (https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html);
 * - account ids: 12 digits (lib/private/identifiers.ts);
 * - endpoint services of PrivateLink: `com.amazonaws.vpce.<region>.vpce-svc-<hex>`
 *   (https://docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html);
 * - a VPC endpoint policy: at most 20,480 characters, white space included, not adjustable
 *   (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-limits-endpoints.html).
 */

/** The most characters of a VPC endpoint policy (white space included; not adjustable). */
export const MAX_ENDPOINT_POLICY_LENGTH = 20480;

/**
 * The problem with the size of an endpoint policy (resolved, as CloudFormation JSON), if any.
 * A policy that holds deploy-time values is not checked: its final length is not known.
 */
export function checkEndpointPolicyLength(resolved: unknown): string | undefined {
  if (resolved === undefined || resolved === null) { return undefined; }
  const text = JSON.stringify(resolved);
  if (/"(Ref|Fn::[A-Za-z]+)":/.test(text)) { return undefined; }
  if (text.length > MAX_ENDPOINT_POLICY_LENGTH) {
    return `has ${text.length} characters, more than the ${MAX_ENDPOINT_POLICY_LENGTH} AWS allows in a VPC endpoint policy`;
  }
  return undefined;
}

/** What is known of an interface service's name. */
export enum InterfaceServiceKind {
  /** A service of aws-cdk-lib's `ec2.InterfaceVpcEndpointAwsService` list. */
  KNOWN = 'known',
  /** An endpoint service of PrivateLink (`com.amazonaws.vpce.<region>.vpce-svc-...`). */
  ENDPOINT_SERVICE = 'endpoint-service',
  /** A literal name that is neither. */
  UNKNOWN = 'unknown',
  /** A name only known at deploy time. */
  UNRESOLVED = 'unresolved',
}

/** The placeholder that stands for a region in a service name once normalized. */
const REGION = '<region>';

/** The names of aws-cdk-lib's interface services, by the stack region they were resolved for. */
const knownNamesByRegion = new Map<string, Set<string>>();

/** What stands for a part only known at deploy time in a normalized name. */
const UNKNOWN_PART = '<deploy-time>';

/**
 * A service name (resolved, as CloudFormation JSON or text) with its region written
 * `<region>` (`com.amazonaws.<region>.sns`) and every other part only known at deploy time
 * written `<deploy-time>`. `undefined` when the whole name is only known at deploy time.
 */
export function normalizedServiceName(resolved: unknown): string | undefined {
  let text: string | undefined;
  if (typeof resolved === 'string') {
    text = resolved;
  } else if (resolved !== null && typeof resolved === 'object' && Array.isArray((resolved as { [k: string]: unknown })['Fn::Join'])) {
    const [separator, parts] = (resolved as { [k: string]: [string, unknown[]] })['Fn::Join'];
    text = parts.map((p) => (typeof p === 'string' ? p : isRegionRef(p) ? REGION : UNKNOWN_PART)).join(separator);
  }
  if (text === undefined) { return undefined; }
  return text.split('.').map((part) => (isRegion(part) ? REGION : part)).join('.');
}

function isRegionRef(value: unknown): boolean {
  return value !== null && typeof value === 'object' && (value as { Ref?: unknown }).Ref === 'AWS::Region';
}

let regionNames: Set<string> | undefined;
function isRegion(part: string): boolean {
  regionNames ??= new Set(RegionInfo.regions.map((r) => r.name));
  return regionNames.has(part);
}

/**
 * What a service name is: one of aws-cdk-lib's interface services, a PrivateLink endpoint
 * service (`com.amazonaws.vpce.<region>.vpce-svc-...`, or the name of an endpoint service made in
 * the app), an unknown literal name (a typo such as `snss`, or a service newer than aws-cdk-lib),
 * or a name only known at deploy time.
 *
 * @param stack the stack of the endpoint (aws-cdk-lib names some services after its region)
 * @param name the service's `name`
 */
export function classifyInterfaceService(stack: Stack, name: string): InterfaceServiceKind {
  const normalized = normalizedServiceName(stack.resolve(name));
  if (normalized === undefined) { return InterfaceServiceKind.UNRESOLVED; }
  if (/^com\.amazonaws\.vpce\.(<region>|<deploy-time>)\.(vpce-svc-[0-9a-f]+|<deploy-time>)$/.test(normalized)) {
    return InterfaceServiceKind.ENDPOINT_SERVICE;
  }
  if (normalized.includes(UNKNOWN_PART)) { return InterfaceServiceKind.UNRESOLVED; }
  return knownInterfaceServiceNames(stack).has(normalized) ? InterfaceServiceKind.KNOWN : InterfaceServiceKind.UNKNOWN;
}

/** The normalized names of every service of aws-cdk-lib's `ec2.InterfaceVpcEndpointAwsService`. */
function knownInterfaceServiceNames(stack: Stack): Set<string> {
  const key = Token.isUnresolved(stack.region) ? '' : stack.region;
  let names = knownNamesByRegion.get(key);
  if (!names) {
    names = new Set<string>();
    for (const value of Object.values(ec2.InterfaceVpcEndpointAwsService)) {
      if (value instanceof ec2.InterfaceVpcEndpointAwsService) {
        const normalized = normalizedServiceName(stack.resolve(value.name));
        if (normalized !== undefined) { names.add(normalized); }
      }
    }
    knownNamesByRegion.set(key, names);
  }
  return names;
}

/** The condition keys whose values are organization ids. */
const ORGANIZATION_KEYS = ['aws:principalorgid', 'aws:resourceorgid', 'aws:sourceorgid'];
/** The condition keys whose values are account ids. */
const ACCOUNT_KEYS = ['aws:principalaccount', 'aws:resourceaccount', 'aws:sourceaccount'];

/** The problem with an AWS Organizations id (`o-` and 10 to 32 lowercase letters or digits), if any. */
export function checkOrganizationId(value: string): string | undefined {
  if (Token.isUnresolved(value)) { return undefined; }
  if (typeof value === 'string' && /^o-[a-z0-9]{10,32}$/.test(value)) { return undefined; }
  return `${describeValue(value)} is not an AWS Organizations id: expected 'o-' followed by 10 to 32 lowercase letters or digits ` +
    '(for example \'o-a1b2c3d4e5\')';
}

/**
 * The malformed values of the conditions of a policy statement (as `toStatementJson()` gives
 * it): organization ids under `aws:PrincipalOrgID`, `aws:ResourceOrgID` and `aws:SourceOrgID`,
 * account ids under `aws:PrincipalAccount`, `aws:ResourceAccount` and `aws:SourceAccount`.
 * Values with wildcards (`StringLike`) and tokens are not checked.
 */
export function malformedConditionValues(statement: { [key: string]: any }): string[] {
  const problems: string[] = [];
  const conditions = statement.Condition;
  if (conditions === null || typeof conditions !== 'object') { return problems; }
  for (const [operator, entries] of Object.entries(conditions as { [key: string]: unknown })) {
    if (entries === null || typeof entries !== 'object') { continue; }
    for (const [key, given] of Object.entries(entries as { [key: string]: unknown })) {
      const lower = key.toLowerCase();
      const check = ORGANIZATION_KEYS.includes(lower) ? checkOrganizationId : ACCOUNT_KEYS.includes(lower) ? checkAccountId : undefined;
      if (!check) { continue; }
      for (const value of Array.isArray(given) ? given : [given]) {
        if (typeof value !== 'string' || /[*?]/.test(value)) { continue; }
        const problem = check(value);
        if (problem) { problems.push(`${operator} ${key}: ${problem}`); }
      }
    }
  }
  return problems;
}

/**
 * The problem with the CIDR block of a security-group peer (`ec2.Peer.ipv4('10.2.0.1/16')`), if
 * any: a rule's block must not have host bits set. Other peers (security groups, prefix lists)
 * and tokens are not checked.
 */
export function checkPeerCidr(peer: ec2.IPeer): string | undefined {
  let config: ec2.IngressRuleConfig;
  try {
    config = peer.toIngressRuleConfig();
  } catch {
    return undefined;
  }
  for (const block of [config.cidrIp, config.cidrIpv6]) {
    if (typeof block !== 'string') { continue; }
    const problem = checkCidr(block);
    if (problem) { return problem; }
  }
  return undefined;
}
