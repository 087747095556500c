/**
 * Pure checks of the identifiers and literal inputs the constructs take: account ids, regions,
 * resource ids, role ARNs, Name tags, CIDR blocks. Each `check*` function returns the problem,
 * worded to follow the value in a message (`'mars-1' is not ...`), or undefined when the value is
 * fine **or is a token** (a deploy-time value cannot be checked at synth; callers that want to
 * warn about it test `Token.isUnresolved` themselves).
 *
 * Not exported from the package. No construct is created here: everything is testable without
 * synthesis (test/private/identifiers.test.ts).
 *
 * Formats:
 * - resource ids: `<prefix>-` followed by 8 (older resources) or 17 lowercase hexadecimal digits
 *   (EC2 "longer resource IDs", https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html);
 * - account ids: 12 digits (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html);
 * - role ARNs: `arn:<partition>:iam::<account>:role/<path/><name>`, a name of 1 to 64 characters
 *   of `[A-Za-z0-9+=,.@_-]`, a path up to 512 characters
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html);
 * - tag values: at most 256 Unicode characters (EC2 allows any character in a tag value;
 *   https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#tag-restrictions);
 * - regions: the regions aws-cdk-lib's `region-info` knows (every partition it lists).
 */
import { Reference, Token, Tokenization } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { Cidr, blockWithHostBitsCleared } from '../cidr/cidr';
import { fnv1a } from '../routing/route-tables';

/** The most Unicode characters AWS accepts in a tag value (the `Name` tag included). */
export const MAX_TAG_VALUE_LENGTH = 256;

/**
 * Describe a value for a message without printing a token's raw `${Token[...]}` text.
 *
 * - a literal string is quoted: `'vpc-0123abcd'`;
 * - a token that references a resource is `<deploy-time value of Stack/Vpc>` (the path of the
 *   resource's construct, without its trailing `/Resource`);
 * - another token is `<deploy-time value of <scope path>>` when `scope` is given, else
 *   `<deploy-time value>`;
 * - a list is described element by element, between brackets;
 * - anything else is its `String()` (never `JSON.stringify`: constructs are circular).
 *
 * @param value the value to describe
 * @param scope the construct the value belongs to, named when the token does not say
 */
export function describeValue(value: unknown, scope?: IConstruct): string {
  if (Array.isArray(value)) {
    if (Token.isUnresolved(value)) { return describeToken(value, scope); }
    return `[${value.map((v) => describeValue(v, scope)).join(', ')}]`;
  }
  if (typeof value === 'string') {
    return Token.isUnresolved(value) ? describeToken(value, scope) : `'${value}'`;
  }
  if (typeof value === 'number') {
    return Token.isUnresolved(value) ? describeToken(value, scope) : String(value);
  }
  if (value === undefined || value === null) { return String(value); }
  if (typeof value === 'object' && Token.isUnresolved(value)) { return describeToken(value, scope); }
  if (typeof value === 'object' && isConstruct(value)) { return value.node.path || '<app>'; }
  return typeof value === 'object' ? Object.prototype.toString.call(value) : String(value);
}

/**
 * The construct path of a token's target when the value is (or contains) a reference to a
 * resource: `Stack/Vpc` for the `vpcId` of `Stack/Vpc`. Undefined otherwise.
 */
export function tokenTargetPath(value: unknown): string | undefined {
  for (const resolvable of resolvablesOf(value)) {
    if (Reference.isReference(resolvable)) {
      const path = resolvable.target.node.path;
      return path.endsWith('/Resource') ? path.slice(0, -'/Resource'.length) : path;
    }
  }
  return undefined;
}

function describeToken(value: unknown, scope: IConstruct | undefined): string {
  const path = tokenTargetPath(value) ?? (scope !== undefined ? (scope.node.path || '<app>') : undefined);
  return path !== undefined ? `<deploy-time value of ${path}>` : '<deploy-time value>';
}

function resolvablesOf(value: unknown): unknown[] {
  try {
    if (typeof value === 'string') { return Tokenization.reverseString(value).tokens; }
    if (typeof value === 'number') { return [Tokenization.reverseNumber(value)]; }
    if (Array.isArray(value)) { return [Tokenization.reverseList(value)]; }
    return [Tokenization.reverse(value)];
  } catch {
    return [];
  }
}

function isConstruct(value: object): value is IConstruct {
  const node = (value as { node?: { path?: unknown } }).node;
  return node !== undefined && node !== null && typeof node.path === 'string';
}

/** Whether the value is a deploy-time value (a token, or a string holding one). */
function isToken(value: unknown): boolean {
  return Token.isUnresolved(value);
}

/** The problem with an AWS account id (12 digits), if any. */
export function checkAccountId(value: string): string | undefined {
  if (isToken(value)) { return undefined; }
  if (typeof value !== 'string' || !/^\d{12}$/.test(value)) {
    return `${describeValue(value)} is not an AWS account id: an account id is 12 digits (for example '123456789012')`;
  }
  return undefined;
}

/** The regions aws-cdk-lib knows, in every partition it lists. */
function knownRegions(): string[] {
  return RegionInfo.regions.map((r) => r.name);
}

/** The problem with a region name, if any: it must be a region aws-cdk-lib's `region-info` knows. */
export function checkRegion(value: string): string | undefined {
  if (isToken(value)) { return undefined; }
  const regions = knownRegions();
  if (typeof value === 'string' && regions.includes(value)) { return undefined; }
  const near = typeof value === 'string' ? regions.filter((r) => r.split('-')[0] === value.split('-')[0]).slice(0, 6) : [];
  const examples = near.length > 0 ? near : ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
  return `${describeValue(value)} is not an AWS region known to aws-cdk-lib's region information ` +
    `(for example ${examples.join(', ')}); use the region's code as the AWS console shows it, ` +
    'or a newer aws-cdk-lib if the region is new';
}

/** The kinds of EC2 resource ids the library takes, by prefix. */
export enum ResourceIdKind {
  VPC = 'vpc',
  SUBNET = 'subnet',
  ROUTE_TABLE = 'rtb',
  PEERING_CONNECTION = 'pcx',
  TRANSIT_GATEWAY = 'tgw',
  TRANSIT_GATEWAY_ROUTE_TABLE = 'tgw-rtb',
  TRANSIT_GATEWAY_ATTACHMENT = 'tgw-attach',
  SECURITY_GROUP = 'sg',
  PREFIX_LIST = 'pl',
  VPC_ENDPOINT = 'vpce',
  VPC_ENDPOINT_SERVICE = 'vpce-svc',
}

const RESOURCE_ID_NAMES: { [prefix: string]: string } = {
  'vpc': 'a VPC id',
  'subnet': 'a subnet id',
  'rtb': 'a route table id',
  'pcx': 'a VPC peering connection id',
  'tgw': 'a transit gateway id',
  'tgw-rtb': 'a transit gateway route table id',
  'tgw-attach': 'a transit gateway attachment id',
  'sg': 'a security group id',
  'pl': 'a prefix list id',
  'vpce': 'a VPC endpoint id',
  'vpce-svc': 'a VPC endpoint service id',
};

/**
 * The problem with an EC2 resource id of the given kind, if any: `<prefix>-` and 8 or 17
 * lowercase hexadecimal digits (`vpc-0a1b2c3d`, `rtb-0123456789abcdef0`).
 */
export function checkResourceId(kind: ResourceIdKind, value: string): string | undefined {
  if (isToken(value)) { return undefined; }
  const prefix = kind as string;
  if (typeof value === 'string' && new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`).test(value)) {
    return undefined;
  }
  const what = RESOURCE_ID_NAMES[prefix];
  if (typeof value === 'string' && value.trim() === '') {
    return `an empty string is not ${what}: expected '${prefix}-' followed by 8 or 17 hexadecimal digits`;
  }
  return `${describeValue(value)} is not ${what}: expected '${prefix}-' followed by 8 or 17 lowercase hexadecimal digits ` +
    `(for example '${prefix}-0123456789abcdef0')`;
}

/** The problem with a VPC id (`vpc-` and 8 or 17 hexadecimal digits), if any. */
export function checkVpcId(value: string): string | undefined {
  return checkResourceId(ResourceIdKind.VPC, value);
}

/** The problem with a subnet id (`subnet-` and 8 or 17 hexadecimal digits), if any. */
export function checkSubnetId(value: string): string | undefined {
  return checkResourceId(ResourceIdKind.SUBNET, value);
}

/** The problem with a route table id (`rtb-` and 8 or 17 hexadecimal digits), if any. */
export function checkRouteTableId(value: string): string | undefined {
  return checkResourceId(ResourceIdKind.ROUTE_TABLE, value);
}

/** The problem with a VPC peering connection id (`pcx-` and 8 or 17 hexadecimal digits), if any. */
export function checkPeeringConnectionId(value: string): string | undefined {
  return checkResourceId(ResourceIdKind.PEERING_CONNECTION, value);
}

/** The problem with a transit gateway id (`tgw-` and 8 or 17 hexadecimal digits), if any. */
export function checkTransitGatewayId(value: string): string | undefined {
  return checkResourceId(ResourceIdKind.TRANSIT_GATEWAY, value);
}

/** An IAM role ARN taken apart, or the problem with it. */
export interface RoleArnCheck {
  /** What is wrong with the ARN, worded to follow it in a message; undefined when it is fine or a token. */
  readonly problem?: string;
  /** The ARN's account id, when the ARN is a literal (or its account part is). */
  readonly account?: string;
  /** The ARN's partition (`aws`, `aws-cn`, `aws-us-gov`...), when literal. */
  readonly partition?: string;
}

const ROLE_ARN = /^arn:(aws(?:-[a-z]+)*):iam::(\d{12}):role\/(.+)$/;

/**
 * Check an IAM role ARN (`arn:<partition>:iam::<account>:role/<path/><name>`) and return its
 * account. A token is not checked, but when only the partition is a token
 * (`arn:${AWS::Partition}:iam::123456789012:role/x`, as `Stack.formatArn` writes it) the account
 * is still read.
 */
export function checkRoleArn(value: string): RoleArnCheck {
  if (typeof value === 'string' && isToken(value)) {
    // Read the literal account of an ARN whose partition (or name) is a token.
    const literal = Tokenization.reverseString(value)
      .mapTokens({ mapToken: () => '\u0000' })
      .join({ join: (left: unknown, right: unknown) => `${left}${right}` });
    const account = /:iam::(\d{12}):role\//.exec(literal)?.[1];
    return { account };
  }
  const expected = "expected 'arn:<partition>:iam::<12-digit account>:role/<name>' (for example 'arn:aws:iam::123456789012:role/PeeringAccepter')";
  if (typeof value !== 'string' || value.trim() === '') {
    return { problem: `${value === '' ? 'an empty string' : describeValue(value)} is not an IAM role ARN: ${expected}` };
  }
  const match = ROLE_ARN.exec(value);
  if (!match) {
    const accountPart = /^arn:[^:]*:iam::([^:]*):/.exec(value)?.[1];
    if (accountPart !== undefined && !/^\d{12}$/.test(accountPart)) {
      return { problem: `${describeValue(value)} is not an IAM role ARN: its account '${accountPart}' is not 12 digits` };
    }
    return { problem: `${describeValue(value)} is not an IAM role ARN: ${expected}` };
  }
  const [, partition, account, resource] = match;
  const slash = resource.lastIndexOf('/');
  const name = resource.slice(slash + 1);
  const path = slash >= 0 ? `/${resource.slice(0, slash + 1)}` : '/';
  if (!/^[\w+=,.@-]{1,64}$/.test(name)) {
    return {
      account,
      partition,
      problem: `${describeValue(value)} is not an IAM role ARN: the role name '${name}' must be 1 to 64 characters of letters, digits and + = , . @ _ -`,
    };
  }
  if (path.length > 512 || !/^\/([\x21-\x7e]+\/)*$/.test(path) || path.includes('//')) {
    return { account, partition, problem: `${describeValue(value)} is not an IAM role ARN: the role path '${path}' is not a valid IAM path` };
  }
  return { account, partition };
}

/**
 * The problem with a tag value (the `Name` tag of a resource), if any: AWS accepts at most
 * 256 Unicode characters.
 */
export function checkTagValue(value: string): string | undefined {
  if (isToken(value) || typeof value !== 'string') { return undefined; }
  const length = [...value].length;
  if (length > MAX_TAG_VALUE_LENGTH) {
    return `'${value.slice(0, 40)}...' (${length} characters) is longer than the ${MAX_TAG_VALUE_LENGTH} characters AWS accepts in a tag value`;
  }
  return undefined;
}

/**
 * A tag value (a `Name`) that fits AWS's limit of 256 characters: `text` itself when it fits, else
 * its start and its end around a hash of the whole text (`App/Very/Long...~1a2b3c4d~...Hub shared`),
 * so that the result is the same at every synth and two long paths that differ only in the
 * middle still get different names.
 */
export function nameTag(text: string): string {
  if (Token.isUnresolved(text)) { return text; }
  const chars = [...text];
  if (chars.length <= MAX_TAG_VALUE_LENGTH) { return text; }
  const marker = `...~${fnv1a(text)}~...`;
  const room = MAX_TAG_VALUE_LENGTH - marker.length;
  const head = Math.floor(room / 2);
  const tail = room - head;
  return `${chars.slice(0, head).join('')}${marker}${chars.slice(chars.length - tail).join('')}`;
}

/**
 * The problem with a CIDR block, if any. A block whose address has host bits set is worded
 * with the block it lies in: `'10.2.0.1/16' has host bits set; the network is 10.2.0.0/16`.
 */
export function checkCidr(value: string): string | undefined {
  if (isToken(value)) { return undefined; }
  if (typeof value === 'string') {
    const cleared = blockWithHostBitsCleared(value);
    if (cleared !== undefined) {
      return `'${value}' has host bits set; the network is ${cleared}`;
    }
  }
  const parsed = Cidr.tryParse(value);
  return typeof parsed === 'string' ? parsed : undefined;
}

/**
 * The values that appear more than once in `values`, each once, in first-seen order. Tokens
 * are compared by their text (the same token is a duplicate; two different tokens are not).
 *
 * @param canonical maps a value to the form compared (for example a CIDR block's canonical text)
 */
export function findDuplicates(values: readonly string[], canonical: (value: string) => string = (v) => v): string[] {
  const seen = new Map<string, string>();
  const duplicates: string[] = [];
  for (const value of values) {
    const key = Token.isUnresolved(value) ? value : canonical(value);
    if (seen.has(key)) {
      if (!duplicates.includes(seen.get(key)!)) { duplicates.push(seen.get(key)!); }
    } else {
      seen.set(key, value);
    }
  }
  return duplicates;
}

/** The canonical text of a CIDR block, or the text itself when it does not parse. */
export function canonicalCidr(value: string): string {
  const parsed = Cidr.tryParse(value);
  return typeof parsed === 'string' ? value : parsed.toString();
}
