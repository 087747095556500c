import { Annotations, CustomResource, IResource, Resource, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { aws_ec2 as ec2Refs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { Cidr, IpVersion } from '../cidr';
import { ConnectivityError } from '../errors';
import { IRemoteVpc, RemoteVpc } from './remote-vpc';
import { checkCidr, checkPeeringConnectionId, checkRegion, checkTagValue, describeValue } from '../private/identifiers';
import { valueFor } from '../routing/cross-stack';
import { companionStack } from '../routing/placement';
import { rejectRouteOption, RouteOptions, selectRouteTablesFor } from '../routing/route-options';
import { RouteRegistry } from '../routing/route-registry';
import { addRoutes, CreatedRoute, destinationLabel, RouteDestination } from '../routing/routes';
import { PeeringDnsResolution, PeeringRoutesResource } from './private/peering-custom-resources';
import {
  acknowledgeLookupPlaceholders, describeForMessage, describeVpc, overlappingOwnBlocks, skipWhenScanningForCidrBlocks, VpcCidrBlock, VpcNetwork,
} from '../routing/vpc-network';

/**
 * Properties of a {@link VpcPeering}.
 */
export interface VpcPeeringProps {
  /**
   * The VPC that requests the peering. It must be in the region of the stack that holds
   * the `VpcPeering`.
   */
  readonly requester: ec2.IVpc;

  /**
   * The VPC that accepts the peering: in this region or another (`PeerRegion` is set
   * from the VPC's stack or its imported `region`).
   */
  readonly accepter: ec2.IVpc;

  /**
   * Routes in the requester's route tables toward the accepter. `destinations` must lie inside
   * the accepter's blocks: peering is not transitive, so anything else would be a black hole.
   * `scope` must be in the requester's account and region.
   *
   * @default - every requester route table gets a route to every accepter CIDR block (IPv6 too
   * when both VPCs have one), created under the peering
   */
  readonly requesterRoutes?: RouteOptions;

  /**
   * Routes in the accepter's route tables toward the requester. `destinations` must lie inside
   * the requester's blocks; `scope` must be in the accepter's account and region. For a
   * `RemoteVpc` accepter, the route tables are its `routeTableIds` (no `subnets`, no `scope`:
   * a custom resource of the peering's stack makes the routes through the accepter role).
   *
   * @default - every accepter route table gets a route to every requester CIDR block (IPv6 too
   * when both VPCs have one), created under the peering, or in a generated stack of the
   * accepter's region when it is in another region
   */
  readonly accepterRoutes?: RouteOptions;

  /**
   * A `Name` tag for the peering connection.
   *
   * @default - no Name tag
   */
  readonly peeringName?: string;

  /**
   * Let each VPC resolve the other's private DNS hostnames to private IPs
   * (`AllowDnsResolutionFromRemoteVpc` on both sides). CloudFormation has no property for
   * it: a custom resource sets it once the connection is active (through the accepter
   * role for a `RemoteVpc` of another account) and reverts it on delete. Both VPCs need
   * DNS hostnames and DNS support enabled.
   *
   * @default false
   */
  readonly dnsResolution?: boolean;
}

/**
 * A VPC peering connection, created here or imported.
 *
 * It is also an `IVPCPeeringConnectionRef`, so it can be passed wherever aws-cdk-lib takes a
 * reference to a peering connection (for example `vpcPeeringConnectionId` of an `ec2.CfnRoute`).
 */
export interface IVpcPeering extends IResource, ec2Refs.IVPCPeeringConnectionRef {
  /**
   * The id of the peering connection (`pcx-...`).
   *
   * @attribute
   */
  readonly peeringConnectionId: string;
}

/**
 * What identifies an existing peering connection, to import it with
 * {@link VpcPeering.fromVpcPeeringAttributes}.
 */
export interface VpcPeeringAttributes {
  /** The id of the peering connection (`pcx-` followed by hexadecimal digits), or a token. */
  readonly peeringConnectionId: string;
}

/** The brand of a `VpcPeering`: a global symbol, so `isVpcPeering` works across copies of the library. */
const VPC_PEERING_BRAND = Symbol.for('cdk-vpc-connect.VpcPeering');

/**
 * A VPC peering connection between two VPCs, with routes on both sides.
 *
 * Checks at synth time that the VPCs' CIDR blocks are disjoint, that each route points
 * inside the peer, that every selected subnet has a known route table and that no route
 * table gets two routes to one destination.
 *
 * @example
 * const peering = new VpcPeering(this, 'Peering', { requester: vpcA, accepter: vpcB });
 * peering.allowFromAccepter(instance, ec2.Port.tcp(22));
 */
export class VpcPeering extends Resource implements IVpcPeering {
  /**
   * Import an existing peering connection.
   *
   * @throws ConnectivityError when `peeringConnectionId` is a literal that is not a peering connection id
   */
  public static fromVpcPeeringAttributes(scope: Construct, id: string, attrs: VpcPeeringAttributes): IVpcPeering {
    const peeringConnectionId = attrs.peeringConnectionId;
    const problem = checkPeeringConnectionId(peeringConnectionId);
    if (problem !== undefined) {
      throw new ConnectivityError(scope, `VpcPeering ${scope.node.path}/${id}: peeringConnectionId ${problem}. ` +
        'Pass the id of an existing peering connection (the VPC console lists them under Peering connections).');
    }
    class Import extends Resource implements IVpcPeering {
      public readonly peeringConnectionId = peeringConnectionId;
      public get vpcPeeringConnectionRef(): ec2Refs.VPCPeeringConnectionReference {
        return { vpcPeeringConnectionId: this.peeringConnectionId };
      }
    }
    return new Import(scope, id);
  }

  /**
   * Import an existing peering connection by id. Same as {@link VpcPeering.fromVpcPeeringAttributes}.
   *
   * @throws ConnectivityError when `peeringConnectionId` is a literal that is not a peering connection id
   */
  public static fromPeeringConnectionId(scope: Construct, id: string, peeringConnectionId: string): IVpcPeering {
    return VpcPeering.fromVpcPeeringAttributes(scope, id, { peeringConnectionId });
  }

  /**
   * Whether `x` is a `VpcPeering` (created by this copy of the library or another one in the
   * same app; an imported peering is not).
   */
  public static isVpcPeering(x: any): x is VpcPeering {
    return x !== null && typeof x === 'object' && VPC_PEERING_BRAND in x;
  }

  public readonly peeringConnectionId: string;

  /** The requester VPC. */
  public readonly requester: ec2.IVpc;

  /** The accepter VPC. */
  public readonly accepter: ec2.IVpc;

  /** The routes created in the requester's route tables (toward the accepter). */
  public readonly requesterRoutes: ec2.CfnRoute[];

  /** The routes created in the accepter's route tables (toward the requester). */
  public readonly accepterRoutes: ec2.CfnRoute[];

  /** The region of the accepter when it differs from the requester's, else `undefined`. */
  public readonly peerRegion?: string;

  /** The account of the accepter when the peering crosses accounts, else `undefined`. */
  public readonly peerOwnerId?: string;

  /**
   * The custom resource that manages the accepter's routes when the accepter is a
   * `RemoteVpc` (its route tables are out of this stack's reach), else `undefined`.
   */
  public readonly remoteAccepterRoutes?: CustomResource;

  /** The custom resources that enable DNS resolution on each side, when `dnsResolution` is on. */
  public readonly dnsResolutionResources: CustomResource[] = [];

  private readonly requesterNetwork: VpcNetwork;
  private readonly accepterNetwork: VpcNetwork;

  constructor(scope: Construct, id: string, props: VpcPeeringProps) {
    super(scope, id);
    Object.defineProperty(this, VPC_PEERING_BRAND, { value: true, enumerable: false });
    skipWhenScanningForCidrBlocks(this);
    this.requester = props.requester;
    this.accepter = props.accepter;

    const requester = describeVpc(props.requester);
    const accepter = describeVpc(props.accepter);
    this.requesterNetwork = requester;
    this.accepterNetwork = accepter;

    if (RemoteVpc.isRemoteVpc(props.requester)) {
      throw new ConnectivityError(this, `The requester ${requester.path} is a RemoteVpc: the requester must be a VPC of this stack's account. ` +
        'Swap requester and accepter, or create the VpcPeering in the other account.');
    }
    this.checkNotSelf(requester, accepter);
    for (const network of [requester, accepter]) {
      this.checkBlocksWellFormed(network);
    }
    if (props.peeringName !== undefined) {
      const problem = checkTagValue(props.peeringName);
      if (problem !== undefined) {
        throw new ConnectivityError(this, `peeringName ${problem} (the peering's Name tag). Use a shorter name.`);
      }
    }
    this.checkDisjoint(requester, accepter);
    this.peerRegion = this.checkRegions(requester, accepter);
    const remote = RemoteVpc.isRemoteVpc(props.accepter) ? props.accepter : undefined;
    const peerRoleArn = this.checkAccounts(accepter, remote);
    this.peerOwnerId = peerRoleArn !== undefined ? remote?.remoteAccount : undefined;
    this.checkNotAlreadyPeered(requester, accepter);
    if (requester.lookupPending || accepter.lookupPending) {
      acknowledgeLookupPlaceholders(this);
    }
    if (props.dnsResolution) {
      this.checkDnsEnabled(requester, accepter);
    }

    const resource = new ec2.CfnVPCPeeringConnection(this, 'Resource', {
      vpcId: valueFor(this, props.requester.vpcId),
      peerVpcId: valueFor(this, props.accepter.vpcId),
      peerRegion: this.peerRegion,
      peerOwnerId: this.peerOwnerId,
      peerRoleArn,
      tags: props.peeringName !== undefined ? [{ key: 'Name', value: props.peeringName }] : undefined,
    });
    // AWS checks every block of both VPCs for overlap when the connection is created: wait
    // for the associations of this stack. (One in a stack that depends on this one cannot be
    // waited for; AWS checks it for overlap with the peer when it is associated.)
    for (const block of [...requester.ipv4Blocks, ...accepter.ipv4Blocks, ...requester.ipv6Blocks, ...accepter.ipv6Blocks]) {
      if (block.association && Stack.of(block.association) === Stack.of(this)) { resource.node.addDependency(block.association); }
    }
    this.peeringConnectionId = resource.ref;

    this.requesterRoutes = this.addSideRoutes('Requester', requester, accepter, props.requesterRoutes);
    if (remote) {
      this.accepterRoutes = [];
      this.remoteAccepterRoutes = this.addRemoteRoutes(remote, accepter, requester, props.accepterRoutes);
    } else {
      this.accepterRoutes = this.addSideRoutes('Accepter', accepter, requester, props.accepterRoutes);
    }

    if (props.dnsResolution) {
      for (const side of ['requester', 'accepter'] as const) {
        const dns = new PeeringDnsResolution(this, side === 'requester' ? 'RequesterDnsResolution' : 'AccepterDnsResolution', {
          peeringConnectionId: this.peeringConnectionId,
          side,
          region: side === 'accepter' ? this.peerRegion : undefined,
          roleArn: side === 'accepter' ? peerRoleArn : undefined,
        });
        this.dnsResolutionResources.push(dns.resource);
      }
    }

    RouteRegistry.of(this).registerNetworkSeen(this, requester);
    RouteRegistry.of(this).registerNetworkSeen(this, accepter);
  }

  /** The reference aws-cdk-lib's L1s take for a peering connection. */
  public get vpcPeeringConnectionRef(): ec2Refs.VPCPeeringConnectionReference {
    return { vpcPeeringConnectionId: this.peeringConnectionId };
  }

  /** Every route this peering created, on both sides. */
  public get routes(): ec2.CfnRoute[] {
    return [...this.requesterRoutes, ...this.accepterRoutes];
  }

  /**
   * Allow traffic from every CIDR block of the accepter VPC into `target`
   * (a security group, or anything with connections such as an instance) on `port`.
   */
  public allowFromAccepter(target: ec2.IConnectable, port: ec2.Port, description?: string): void {
    allowFromBlocks(target, this.accepterNetwork, port, description ?? `from peer VPC ${this.accepterNetwork.path}`);
  }

  /**
   * Allow traffic from every CIDR block of the requester VPC into `target`
   * (a security group, or anything with connections such as an instance) on `port`.
   */
  public allowFromRequester(target: ec2.IConnectable, port: ec2.Port, description?: string): void {
    allowFromBlocks(target, this.requesterNetwork, port, description ?? `from peer VPC ${this.requesterNetwork.path}`);
  }

  private checkNotSelf(requester: VpcNetwork, accepter: VpcNetwork): void {
    const sameVpc = requester.vpc === accepter.vpc
      || (!requester.lookupPending && requester.vpc.vpcId === accepter.vpc.vpcId && requester.region === accepter.region);
    if (sameVpc) {
      throw new ConnectivityError(this, `VPC ${requester.path} cannot be peered with itself (requester and accepter are both VPC ${describeValue(requester.vpc.vpcId, requester.vpc)}). ` +
        'Pass two different VPCs.');
    }
  }

  private checkBlocksWellFormed(network: VpcNetwork): void {
    for (const block of [...network.ipv4Blocks, ...network.ipv6Blocks]) {
      if (block.malformed) {
        throw new ConnectivityError(this, `VPC ${network.path} has a malformed CIDR block: ${block.malformed}.`);
      }
    }
    const overlap = overlappingOwnBlocks(network);
    if (overlap !== undefined) {
      throw new ConnectivityError(this, overlap);
    }
  }

  private checkDisjoint(requester: VpcNetwork, accepter: VpcNetwork): void {
    if (requester.lookupPending || accepter.lookupPending) { return; }
    const unknown = [requester, accepter].filter((n) => n.ipv4Blocks.some((b) => !b.cidr));
    if (unknown.length > 0) {
      this.warn('overlapCheckSkipped', `The CIDR overlap check between ${requester.path} and ${accepter.path} was skipped: ` +
        `a CIDR block of ${unknown.map((n) => n.path).join(' and ')} is only known at deploy time. ` +
        'Give the VPC a literal CIDR (ec2.IpAddresses.cidr, or vpcCidrBlock when importing) to have it checked.');
    }
    for (const a of requester.ipv4Blocks) {
      for (const b of accepter.ipv4Blocks) {
        if (a.cidr && b.cidr && a.cidr.overlaps(b.cidr)) {
          throw new ConnectivityError(this, `VPC ${describeForMessage(requester)} and VPC ${describeForMessage(accepter)} overlap: ` +
            `${a.cidr} and ${b.cidr} share addresses. Peered VPCs need disjoint CIDR blocks (primary and secondary); ` +
            're-address one VPC or connect them through a transit gateway with NAT.');
        }
      }
    }
  }

  /** @returns the PeerRegion to set, if the accepter is in another region */
  private checkRegions(requester: VpcNetwork, accepter: VpcNetwork): string | undefined {
    const stack = Stack.of(this);
    const stackRegion = Token.isUnresolved(stack.region) ? undefined : stack.region;
    if (requester.region && stackRegion && requester.region !== stackRegion) {
      throw new ConnectivityError(this, `The requester VPC ${requester.path} is in ${requester.region}, but the peering is in stack ${stack.stackName} ` +
        `in ${stackRegion}. Create the VpcPeering in a stack of the requester's region (or swap requester and accepter).`);
    }
    const requesterRegion = requester.region ?? stackRegion;
    if (!accepter.region || accepter.region === requesterRegion) {
      return undefined;
    }
    const regionProblem = checkRegion(accepter.region);
    if (regionProblem !== undefined) {
      throw new ConnectivityError(this, `The region of the accepter VPC ${accepter.path}: ${regionProblem}. ` +
        'Give the VPC (or its stack) the region it is really in: it becomes the peering\'s PeerRegion.');
    }
    if (!requesterRegion) {
      throw new ConnectivityError(this, `The accepter VPC ${accepter.path} is in ${accepter.region}, but the region of stack ${stack.stackName} is not known. ` +
        'A cross-region peering needs a concrete region on the requester\'s stack: set env: { region } on it.');
    }
    // An accepter VPC of another stack is read through aws-cdk-lib's cross-region references (an
    // ExportWriter in the accepter's stack, an ExportsReader in this one). aws-cdk-lib 2.276 creates
    // them for any reference across regions, whether or not the stack sets crossRegionReferences.
    return accepter.region;
  }

  /** @returns the PeerRoleArn to set, when the peering crosses accounts */
  private checkAccounts(accepter: VpcNetwork, remote: IRemoteVpc | undefined): string | undefined {
    const stack = Stack.of(this);
    const stackAccount = Token.isUnresolved(stack.account) ? undefined : stack.account;
    if (!remote) {
      if (accepter.account && stackAccount && accepter.account !== stackAccount) {
        throw new ConnectivityError(this, `The accepter VPC ${accepter.path} is in account ${accepter.account}, the peering in ${stackAccount}. ` +
          'Peer across accounts with RemoteVpc.fromAttributes(...) as the accepter, after deploying a PeeringAccepterRole in that account.');
      }
      return undefined;
    }
    const crossAccount = remote.remoteAccount !== stackAccount;
    if (!crossAccount) {
      return undefined;
    }
    if (remote.roleArn === undefined) {
      const remoteAccount = describeValue(remote.remoteAccount, remote);
      throw new ConnectivityError(this, `RemoteVpc ${accepter.path} is in account ${Token.isUnresolved(remote.remoteAccount) ? remoteAccount : remote.remoteAccount}` +
        `${stackAccount ? `, the peering in ${stackAccount}` : ' (this stack\'s account is not known)'}, ` +
        'but has no roleArn. Deploy a stack with a PeeringAccepterRole for this VPC in account ' +
        `${Token.isUnresolved(remote.remoteAccount) ? remoteAccount : remote.remoteAccount} first, then pass its RoleArn output as roleArn.`);
    }
    return remote.roleArn;
  }

  private checkDnsEnabled(requester: VpcNetwork, accepter: VpcNetwork): void {
    for (const network of [requester, accepter]) {
      const cfnVpc = network.vpc.node.defaultChild;
      if (cfnVpc instanceof ec2.CfnVPC && (cfnVpc.enableDnsHostnames === false || cfnVpc.enableDnsSupport === false)) {
        throw new ConnectivityError(this, `dnsResolution needs DNS hostnames and DNS support in both VPCs, but VPC ${network.path} has ` +
          `enableDnsHostnames=${cfnVpc.enableDnsHostnames ?? false}, enableDnsSupport=${cfnVpc.enableDnsSupport ?? true}. Enable both on the VPC.`);
      }
    }
  }

  private addRemoteRoutes(remote: IRemoteVpc, self: VpcNetwork, peer: VpcNetwork, options: RouteOptions = {}): CustomResource | undefined {
    if (options.enabled === false) {
      return undefined;
    }
    rejectRouteOption(this, options, 'accepterRoutes', 'scope', `the routes of RemoteVpc ${self.path} are made in its account by a custom resource ` +
      'of the peering\'s stack, through the accepter role. Leave scope out.');
    rejectRouteOption(this, options, 'accepterRoutes', 'subnets', `the subnets of RemoteVpc ${self.path} are not known here. ` +
      'List the route tables to route in the RemoteVpc\'s routeTableIds instead.');
    this.checkDestinationsNotEmpty('accepterRoutes', self, options);
    if (remote.routeTableIds.length === 0) {
      throw new ConnectivityError(this, `RemoteVpc ${self.path} has no routeTableIds, so its side of the peering would get no route back and replies would be dropped. ` +
        'Pass routeTableIds to RemoteVpc.fromAttributes, or set accepterRoutes.enabled to false and route that side yourself.');
    }
    const destinations = options.destinations !== undefined
      ? this.explicitDestinations('accepterRoutes', self, peer, options.destinations)
      : this.defaultDestinations(self, peer);
    return new PeeringRoutesResource(this, 'AccepterRoutes', {
      peeringConnectionId: this.peeringConnectionId,
      region: this.peerRegion,
      roleArn: remote.roleArn,
      routeTableIds: remote.routeTableIds,
      destinations: destinations.map((d) => d.text),
    }).resource;
  }

  private checkNotAlreadyPeered(requester: VpcNetwork, accepter: VpcNetwork): void {
    if (requester.lookupPending || accepter.lookupPending) { return; }
    const key = (n: VpcNetwork) => `${n.region ?? ''}/${n.vpc.vpcId}`;
    const existing = RouteRegistry.of(this).registerConnection('peering', key(requester), key(accepter), this);
    if (existing) {
      throw new ConnectivityError(this, `VPCs ${requester.path} and ${accepter.path} are already peered by ${existing.node.path}. ` +
        'AWS allows one peering connection between two VPCs: add routes or destinations to the existing VpcPeering instead.');
    }
  }

  private addSideRoutes(side: 'Requester' | 'Accepter', self: VpcNetwork, peer: VpcNetwork, options: RouteOptions = {}): ec2.CfnRoute[] {
    const optionName = `${side.toLowerCase()}Routes`;
    if (options.enabled !== false) {
      this.checkDestinationsNotEmpty(optionName, self, options);
    }
    const selection = selectRouteTablesFor(this, self.vpc, self.path, options, optionName);
    if (selection.tables.length === 0) {
      return []; // enabled: false
    }
    const destinations = options.destinations !== undefined
      ? this.explicitDestinations(optionName, self, peer, options.destinations)
      : this.defaultDestinations(self, peer);

    const { scope, idPrefix } = options.scope ? this.givenRoutesScope(optionName, self, options.scope) : this.routesScope(side, self);
    const created = addRoutes(scope, selection.tables, destinations, { vpcPeeringConnectionId: this.peeringConnectionId }, idPrefix);
    const routes = created.map((c: CreatedRoute) => c.route);
    RouteRegistry.of(this).registerRoutes(this, routes);
    return routes;
  }

  /**
   * `destinations: []` routes nothing: that side could send but never receive a reply (or the
   * other way round). Say so rather than create a one-way peering without a word.
   */
  private checkDestinationsNotEmpty(optionName: string, self: VpcNetwork, options: RouteOptions): void {
    if (options.destinations !== undefined && !Token.isUnresolved(options.destinations) && options.destinations.length === 0) {
      throw new ConnectivityError(this, `${optionName}.destinations is empty, so VPC ${self.path} gets no route toward its peer and the peering ` +
        'would carry traffic one way only (replies are dropped). List the destinations to route, leave destinations out to route every block of the peer, ' +
        `or set ${optionName}.enabled to false if that side's routes are really managed elsewhere.`);
    }
  }

  private defaultDestinations(self: VpcNetwork, peer: VpcNetwork): RouteDestination[] {
    const blocks: VpcCidrBlock[] = [...peer.ipv4Blocks];
    if (self.ipv6Blocks.length > 0 && peer.ipv6Blocks.length > 0) {
      blocks.push(...peer.ipv6Blocks);
    }
    return blocks.map((b) => ({
      text: b.text,
      version: b.version,
      label: b.cidr ? b.cidr.toString() : `${b.label}Of${peer.vpc.node.id}`,
      dependsOn: b.association ? [b.association] : undefined,
    }));
  }

  private explicitDestinations(optionName: string, self: VpcNetwork, peer: VpcNetwork, texts: string[]): RouteDestination[] {
    const destinations = new Map<string, RouteDestination>();
    for (const text of texts) {
      if (Token.isUnresolved(text)) {
        this.warn('destinationCheckSkipped', `${optionName}.destinations: the check that a destination lies inside VPC ${peer.path} was skipped ` +
          'for a destination that is a token. Pass the CIDR as a literal string to have it checked.');
        destinations.set(text, { text, version: IpVersion.IPV4, label: destinationLabel(this, text) });
        continue;
      }
      const parsed = Cidr.tryParse(text);
      if (typeof parsed === 'string') {
        throw new ConnectivityError(this, `${optionName}.destinations: ${checkCidr(text) ?? parsed}. Route CIDR blocks of VPC ${peer.path}, written as network addresses.`);
      }
      const peerBlocks = parsed.version === IpVersion.IPV4 ? peer.ipv4Blocks : peer.ipv6Blocks;
      const inside = peerBlocks.some((b) => b.cidr?.contains(parsed));
      const unknownBlocks = peer.lookupPending || peerBlocks.some((b) => !b.cidr);
      if (!inside && unknownBlocks) {
        this.warn('destinationCheckSkipped', `${optionName}.destinations: the check that ${parsed} lies inside VPC ${peer.path} was skipped: ` +
          'some of its blocks are only known at deploy time. Give the VPC literal CIDR blocks to have it checked.');
      } else if (!inside) {
        throw new ConnectivityError(this, `${optionName}.destinations: ${parsed} is not inside VPC ${describeForMessage(peer)}` +
          `${parsed.version === IpVersion.IPV6 ? ` (IPv6: ${peer.ipv6Blocks.map((b) => b.cidr?.toString() ?? '<deploy-time>').join(', ') || 'none'})` : ''}. ` +
          'Peering is not transitive: traffic to any other address sent over this connection is dropped. Route only the peer VPC\'s blocks.');
      }
      if (parsed.version === IpVersion.IPV6 && self.ipv6Blocks.length === 0) {
        this.warn('ipv6WithoutIpv6Source', `${optionName}.destinations: ${parsed} is IPv6 but VPC ${self.path} has no IPv6 block, so nothing in it can use the route.`);
      }
      const key = parsed.toString();
      destinations.set(key, { text: key, version: parsed.version, label: key });
    }
    return [...destinations.values()];
  }

  /** A side's routes under the scope the user gave, checked to be in that side's region and account. */
  private givenRoutesScope(optionName: string, self: VpcNetwork, scope: Construct): { scope: Construct; idPrefix: string } {
    const stack = Stack.of(scope);
    const mismatch = (given: string, want: string | undefined) => want !== undefined && !Token.isUnresolved(given) && given !== want;
    if (mismatch(stack.region, self.region) || mismatch(stack.account, self.account)) {
      throw new ConnectivityError(this, `${optionName}.scope ${scope.node.path} is in stack ${stack.stackName} ` +
        `(${Token.isUnresolved(stack.account) ? describeValue(stack.account, stack) : stack.account}, ${Token.isUnresolved(stack.region) ? describeValue(stack.region, stack) : stack.region}), ` +
        `but VPC ${self.path} is in ${self.account ?? 'an unknown account'}, ${self.region ?? 'an unknown region'}: routes must be created in the account and region of their route table.`);
    }
    return { scope, idPrefix: `${this.node.id}-${optionName === 'requesterRoutes' ? 'Requester' : 'Accepter'}Route-` };
  }

  /**
   * Where a side's routes live. In the peering's stack when the side is in its region;
   * otherwise in a stack of the side's own region, created beside the peering's stack
   * (routes must be created in the region of their route table, and putting them in the
   * VPC's own stack would make the two stacks reference each other).
   */
  private routesScope(side: 'Requester' | 'Accepter', self: VpcNetwork): { scope: Construct; idPrefix: string } {
    const stack = Stack.of(this);
    if (!self.region || Token.isUnresolved(stack.region) || self.region === stack.region) {
      return { scope: this, idPrefix: `${side}Route-` };
    }
    const routesStack = companionStack(this, `${stack.stackName}-${this.node.id}-${self.region}`, { account: stack.account, region: self.region },
      `Routes of ${self.path} toward the peering ${this.node.path} (cdk-vpc-connect), in ${self.region}.`);
    return { scope: new Construct(routesStack, `${side}Routes`), idPrefix: '' };
  }

  private warn(id: string, message: string): void {
    Annotations.of(this).addWarningV2(`cdk-vpc-connect:${id}`, message);
  }
}

function allowFromBlocks(target: ec2.IConnectable, network: VpcNetwork, port: ec2.Port, description: string): void {
  for (const block of network.ipv4Blocks) {
    target.connections.allowFrom(ec2.Peer.ipv4(block.text), port, description);
  }
  for (const block of network.ipv6Blocks) {
    target.connections.allowFrom(ec2.Peer.ipv6(block.text), port, description);
  }
}
