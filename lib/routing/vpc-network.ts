import { Fn, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { Cidr, IpVersion } from '../cidr';
import { checkCidr, describeValue } from '../private/identifiers';

/**
 * The placeholder CIDR that `ec2.Vpc.fromLookup` returns before its context lookup has run.
 * Checks must never turn it into an error, or the lookup never gets its chance to run.
 */
const LOOKUP_PLACEHOLDER_CIDR = '1.2.3.4/5';
const LOOKUP_PLACEHOLDER_VPC_ID = 'vpc-12345';

/** One CIDR block of a VPC, as far as it is known at synth time. */
export interface VpcCidrBlock {
  /** The block as text: a literal, or a token string. */
  readonly text: string;
  /** IPv4 or IPv6. */
  readonly version: IpVersion;
  /** A stable name for the block, used to derive construct ids: the literal, or what the token stands for. */
  readonly label: string;
  /** The parsed block, when `text` is a literal that parses. */
  readonly cidr?: Cidr;
  /** Why `text` is not a valid block, when it is a literal that does not parse. */
  readonly malformed?: string;
  /**
   * The resource that associates the block with the VPC (an `AWS::EC2::VPCCidrBlock`),
   * which routes and peerings toward the block must wait for.
   */
  readonly association?: ec2.CfnVPCCidrBlock;
}

/** What the library knows about a VPC at synth time. */
export interface VpcNetwork {
  /** The VPC. */
  readonly vpc: ec2.IVpc;
  /** Its construct path, for messages. */
  readonly path: string;
  /** Whether the VPC is defined in this app (its L1 is an `AWS::EC2::VPC` of the app). */
  readonly definedInApp: boolean;
  /** Whether it is an `ec2.Vpc.fromLookup` whose lookup has not run yet (values are placeholders). */
  readonly lookupPending: boolean;
  /** Every IPv4 block: the primary block first, then each secondary association. */
  readonly ipv4Blocks: VpcCidrBlock[];
  /** Every IPv6 block known at synth time. */
  readonly ipv6Blocks: VpcCidrBlock[];
  /** The region of the VPC, when it is a literal. */
  readonly region?: string;
  /** The account of the VPC, when it is a literal. */
  readonly account?: string;
}

/**
 * Describe a VPC's CIDR blocks and environment.
 *
 * For VPCs defined in the app, the literal primary block is read from the L1
 * (`vpc.vpcCidrBlock` is a `Fn::GetAtt` token there) and every `AWS::EC2::VPCCidrBlock`
 * of the VPC's stack that points at the VPC is added as a secondary block.
 */
export function describeVpc(vpc: ec2.IVpc): VpcNetwork {
  const remote = remoteNetworkOf(vpc);
  if (remote) {
    return {
      vpc,
      path: vpc.node.path,
      definedInApp: false,
      lookupPending: false,
      ipv4Blocks: remote.cidrs.map((c, i) => block(c, IpVersion.IPV4, `Cidr${i}`)),
      ipv6Blocks: remote.ipv6Cidrs.map((c, i) => block(c, IpVersion.IPV6, `Ipv6Cidr${i}`)),
      region: Token.isUnresolved(remote.region) ? undefined : remote.region,
      account: Token.isUnresolved(remote.account) ? undefined : remote.account,
    };
  }
  const cfnVpc = vpc.node.defaultChild instanceof ec2.CfnVPC ? vpc.node.defaultChild : undefined;
  const lookupPending = !cfnVpc && vpc.vpcId === LOOKUP_PLACEHOLDER_VPC_ID && vpc.vpcCidrBlock === LOOKUP_PLACEHOLDER_CIDR;

  const ipv4Blocks: VpcCidrBlock[] = [];
  const ipv6Blocks: VpcCidrBlock[] = [];
  if (!lookupPending) {
    const primary = cfnVpc?.cidrBlock ?? vpc.vpcCidrBlock;
    ipv4Blocks.push(block(primary, IpVersion.IPV4, 'PrimaryCidrBlock'));
  }

  if (cfnVpc) {
    const amazonIpv6: ec2.CfnVPCCidrBlock[] = [];
    for (const association of secondaryAssociations(vpc)) {
      if (association.cidrBlock !== undefined) {
        ipv4Blocks.push(block(association.cidrBlock, IpVersion.IPV4, association.node.id, association));
      } else if (association.ipv4IpamPoolId !== undefined) {
        ipv4Blocks.push(block(Token.asString(association.getAtt('CidrBlock')), IpVersion.IPV4, association.node.id, association));
      } else if (association.ipv6CidrBlock !== undefined) {
        ipv6Blocks.push(block(association.ipv6CidrBlock, IpVersion.IPV6, association.node.id, association));
      } else {
        amazonIpv6.push(association);
      }
    }
    // Amazon-provided and IPAM-allocated IPv6 blocks are only known at deploy time, through
    // the VPC's Ipv6CidrBlocks attribute. They come after any literal (BYOIP) ones there.
    amazonIpv6.forEach((association) => {
      const index = ipv6Blocks.length;
      ipv6Blocks.push({
        text: Fn.select(index, cfnVpc.attrIpv6CidrBlocks),
        version: IpVersion.IPV6,
        label: association.node.id,
        association,
      });
    });
  }

  return {
    vpc,
    path: vpc.node.path,
    definedInApp: cfnVpc !== undefined,
    lookupPending,
    ipv4Blocks,
    ipv6Blocks,
    region: Token.isUnresolved(vpc.env.region) ? undefined : vpc.env.region,
    account: Token.isUnresolved(vpc.env.account) ? undefined : vpc.env.account,
  };
}

/**
 * The `AWS::EC2::VPCCidrBlock` resources of the app that attach a block to the VPC (in its own
 * stack or, through a cross-stack reference, in another).
 *
 * Walks the app but skips the subtrees of other VPCs and of constructs marked with
 * {@link skipWhenScanningForCidrBlocks} (the library's own, which never hold one): in a
 * mesh those are most of the tree. The app-wide check of the route registry walks the whole
 * app once at synth to catch a block placed where this walk does not look.
 */
export function secondaryAssociations(vpc: ec2.IVpc): ec2.CfnVPCCidrBlock[] {
  const found: ec2.CfnVPCCidrBlock[] = [];
  const visit = (construct: IConstruct): void => {
    if (construct instanceof ec2.CfnVPCCidrBlock) {
      if (construct.vpcId === vpc.vpcId) { found.push(construct); }
      return;
    }
    if (construct !== vpc && (isSkipped(construct) || construct.node.defaultChild instanceof ec2.CfnVPC)) {
      return;
    }
    for (const child of construct.node.children) { visit(child); }
  };
  visit(vpc.node.root);
  return found;
}

/** What is known of a VPC in another account: its attributes, not its constructs. */
export interface RemoteNetworkAttributes {
  readonly account: string;
  readonly region: string;
  readonly cidrs: string[];
  readonly ipv6Cidrs: string[];
}

// Marks are properties under global symbols, not module-level WeakSets or WeakMaps, so that
// two copies of the library in one app (two versions pulled in by different packages) see
// each other's marks: a RemoteVpc made by one is described by attributes in the other too.
const REMOTE_NETWORK = Symbol.for('cdk-vpc-connect.RemoteNetwork');
const SKIP_CIDR_BLOCK_SCAN = Symbol.for('cdk-vpc-connect.SkipCidrBlockScan');

/** Describe `vpc` by attributes (a `RemoteVpc`) rather than by its constructs. */
export function registerRemoteNetwork(vpc: ec2.IVpc, attributes: RemoteNetworkAttributes): void {
  Object.defineProperty(vpc, REMOTE_NETWORK, { value: attributes, enumerable: false, configurable: true });
}

/** The attributes `vpc` was registered with by {@link registerRemoteNetwork}, if any. */
export function remoteNetworkOf(vpc: ec2.IVpc): RemoteNetworkAttributes | undefined {
  return (vpc as unknown as { [REMOTE_NETWORK]?: RemoteNetworkAttributes })[REMOTE_NETWORK];
}

/** Mark a construct whose subtree never holds an `AWS::EC2::VPCCidrBlock`, so scans skip it. */
export function skipWhenScanningForCidrBlocks(construct: IConstruct): void {
  Object.defineProperty(construct, SKIP_CIDR_BLOCK_SCAN, { value: true, enumerable: false, configurable: true });
}

function isSkipped(construct: IConstruct): boolean {
  return (construct as unknown as { [SKIP_CIDR_BLOCK_SCAN]?: boolean })[SKIP_CIDR_BLOCK_SCAN] === true;
}

/**
 * The first pair of a VPC's own blocks that overlap (a secondary block that overlaps the primary
 * or another secondary), worded for a message, or undefined. AWS refuses such an association
 * (`AWS::EC2::VPCCidrBlock` fails at deploy), and every check that reasons about the VPC's
 * blocks would be wrong meanwhile. Blocks only known at deploy time are not compared.
 */
export function overlappingOwnBlocks(network: VpcNetwork): string | undefined {
  for (const blocks of [network.ipv4Blocks, network.ipv6Blocks]) {
    for (let i = 0; i < blocks.length; i++) {
      for (let j = i + 1; j < blocks.length; j++) {
        const a = blocks[i].cidr;
        const b = blocks[j].cidr;
        if (a && b && a.overlaps(b)) {
          const what = (block: VpcCidrBlock, index: number) => index === 0 && block.association === undefined
            ? `its primary block ${block.cidr}`
            : `${block.association ? `secondary block ${block.association.node.path} (${block.cidr})` : `block ${block.cidr}`}`;
          return `VPC ${network.path}: ${what(blocks[j], j)} overlaps ${what(blocks[i], i)}. A VPC's blocks must be disjoint ` +
            '(AWS rejects the association at deploy): give the secondary block a range outside the VPC\'s other blocks.';
        }
      }
    }
  }
  return undefined;
}

/** A one-line description of the VPC for messages: `App/VpcA (10.0.0.0/16, 10.1.0.0/16)`. */
export function describeForMessage(network: VpcNetwork): string {
  const blocks = network.ipv4Blocks.map((b) => b.cidr?.toString() ?? (Token.isUnresolved(b.text) ? describeValue(b.text, network.vpc) : b.text));
  return `${network.path} (${blocks.join(', ') || 'CIDR unknown'})`;
}

function block(text: string, version: IpVersion, tokenLabel: string, association?: ec2.CfnVPCCidrBlock): VpcCidrBlock {
  if (Token.isUnresolved(text)) {
    return { text, version, label: tokenLabel, association };
  }
  const parsed = Cidr.tryParse(text);
  return typeof parsed === 'string'
    ? { text, version, label: text, association, malformed: checkCidr(text) ?? parsed }
    : { text: parsed.toString(), version, label: parsed.toString(), association, cidr: parsed };
}

/**
 * Before `ec2.Vpc.fromLookup` has run, its VPC and route table ids are placeholders
 * (`vpc-12345`, `rtb-12345s`) that the template validator flags. With validation errors
 * failing synth, that first pass would stop the CLI before it ever runs the lookup; the
 * next pass has the real ids and no acknowledgment. Call it on constructs that use such
 * a VPC while {@link VpcNetwork.lookupPending} is true.
 */
export function acknowledgeLookupPlaceholders(scope: IConstruct): void {
  Validations.of(scope).acknowledge({
    id: 'CloudFormation-Validate::E1151',
    reason: 'Placeholder ids of an ec2.Vpc.fromLookup whose lookup has not run yet; the CLI looks the VPC up and synthesizes again.',
  });
}

/** Whether `vpc` is an `ec2.Vpc.fromLookup` whose lookup has not run yet. */
export function isLookupPending(vpc: ec2.IVpc): boolean {
  return describeVpc(vpc).lookupPending;
}
