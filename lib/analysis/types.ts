/**
 * The public shapes of the network model (`NetworkModel`): what `canReach` answers and what a
 * finding says. Pure data (types only from aws-cdk-lib and constructs), so the CLI, the
 * validation plugin and the jest matchers share them with the model.
 */
import { Protocol, VpcEndpointType } from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';

/** What a route sends its traffic to. */
export enum TargetKind {
  /** The VPC's own local route (inside the VPC). */
  LOCAL = 'local',
  /** A VPC peering connection. */
  PEERING = 'pcx',
  /** A transit gateway. */
  TRANSIT_GATEWAY = 'tgw',
  /** A gateway VPC endpoint (S3, DynamoDB), through its prefix list. */
  GATEWAY_ENDPOINT = 'endpoint',
  /** An internet gateway or egress-only internet gateway. */
  INTERNET_GATEWAY = 'igw',
  /** A NAT gateway or NAT instance. */
  NAT = 'nat',
  /**
   * A Network Firewall endpoint or a Gateway Load Balancer endpoint of the templates: a
   * pass-through hop (no address translation); traffic continues by the route table of the
   * endpoint's subnet.
   */
  FIREWALL = 'firewall',
  /** A VPN gateway, network interface, carrier gateway, local gateway or anything else. */
  OTHER = 'other',
}

/** Which way a packet goes on a hop of a round trip. */
export enum HopDirection {
  /** The request, from the source to the destination. */
  THERE = 'there',
  /** The reply, from the destination back to the source. */
  BACK = 'back',
}

/** One hop of a path: the route a route table chose for the packet, and where it sent it. */
export interface Hop {
  /** `THERE` for the request, `BACK` for the reply. */
  readonly direction: HopDirection;
  /**
   * The VPC the packet is in when the route table is consulted (its construct path, or logical id).
   * For a transit gateway route table: the transit gateway's name.
   */
  readonly vpc: string;
  /**
   * The route table consulted (its construct path, or `<stack>/<logicalId>`). A VPC's implicit
   * main table is `<vpc> (main route table)`, a transit gateway's default one `<tgw> (default
   * route table)`; a reply entering from the internet or a gateway endpoint is `<gateway> (inbound)`.
   */
  readonly routeTable: string;
  /** The destination of the route that matched (longest prefix), for example `10.1.0.0/16`. */
  readonly destination: string;
  /** What the route targets. */
  readonly target: TargetKind;
  /** Which resource it targets: the peering, transit gateway, endpoint... (path or logical id); `local` for the local route. */
  readonly via: string;
}

/**
 * What `canReach` checks besides the routes: a port and a protocol. Given (even empty), the
 * answer also checks the security groups of the source and the destination (stateful: the reply
 * is allowed), the network ACLs of their subnets (stateless: the request both ways, and the
 * reply on the ephemeral ports 1024-65535), and resolves a service name to an interface
 * endpoint through private DNS.
 */
export interface ReachOptions {
  /**
   * The destination port (TCP, UDP); for ICMP, the ICMP type (8: echo request, `ping`).
   *
   * @default - 443 toward a service (an interface endpoint), else any port: the rules must
   *   admit every port (for ICMP: 8, echo request)
   */
  readonly port?: number;
  /**
   * The protocol (`Protocol.TCP`, `Protocol.UDP`, `Protocol.ICMP`, `Protocol.ALL`...).
   *
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
}

/** What an answer of `canReach` checked. */
export enum ReachabilityCheck {
  /** Only the routes (there and back): `canReach` without options. */
  ROUTES = 'routes',
  /** The routes, the security groups and the network ACLs for a port and a protocol: `canReach` with `ReachOptions`. */
  TRAFFIC = 'traffic',
}

/**
 * The stable codes of `Reachability.blockedBy`: what stops the traffic first, in the style of
 * VPC Reachability Analyzer's explanation codes.
 */
export class ReachabilityBlockers {
  /** A route table has no route to the destination (or a route to a black hole). */
  public static readonly NO_ROUTE = 'NO_ROUTE';
  /** Traffic arrives in another VPC or subnet than the one meant (overlapping CIDR blocks). */
  public static readonly WRONG_DESTINATION = 'WRONG_DESTINATION';
  /** The reply does not get back to the source (it is routed elsewhere, or not at all). */
  public static readonly REPLY_LOST = 'REPLY_LOST';
  /** Traffic would need a peer to forward it (transitive peering, or edge to edge to its gateway). */
  public static readonly EDGE_TO_EDGE = 'EDGE_TO_EDGE';
  /** No security group of the source admits the traffic out. */
  public static readonly SECURITY_GROUP_EGRESS = 'SECURITY_GROUP_EGRESS';
  /** No security group of the destination admits the traffic in. */
  public static readonly SECURITY_GROUP_INGRESS = 'SECURITY_GROUP_INGRESS';
  /** The network ACL of the source's subnet denies the request out. */
  public static readonly NACL_OUTBOUND = 'NACL_OUTBOUND';
  /** The network ACL of the destination's subnet denies the request in. */
  public static readonly NACL_INBOUND = 'NACL_INBOUND';
  /** A network ACL denies the reply (on the ephemeral ports 1024-65535) out of the destination's subnet or into the source's. */
  public static readonly NACL_REPLY = 'NACL_REPLY';
  /** The service has no interface endpoint the source resolves, and no path to its public endpoint. */
  public static readonly NO_ENDPOINT = 'NO_ENDPOINT';

  /** Every code, in the order above. */
  public static all(): string[] {
    return [
      ReachabilityBlockers.NO_ROUTE, ReachabilityBlockers.WRONG_DESTINATION, ReachabilityBlockers.REPLY_LOST, ReachabilityBlockers.EDGE_TO_EDGE,
      ReachabilityBlockers.SECURITY_GROUP_EGRESS, ReachabilityBlockers.SECURITY_GROUP_INGRESS, ReachabilityBlockers.NACL_OUTBOUND,
      ReachabilityBlockers.NACL_INBOUND, ReachabilityBlockers.NACL_REPLY, ReachabilityBlockers.NO_ENDPOINT,
    ];
  }

  private constructor() {}
}

/** The answer of `NetworkModel.canReach`. */
export interface Reachability {
  /** Whether traffic gets there and the reply gets back. */
  readonly reachable: boolean;
  /**
   * Whether the answer is certain. `false` when it depends on something the templates do not
   * reveal (an imported VPC, a CIDR only known at deploy time, routes managed outside the app):
   * `reason` says what.
   */
  readonly certain: boolean;
  /** The hops there and back (for an unreachable destination: up to the first missing or wrong hop). */
  readonly path: Hop[];
  /**
   * When not reachable (or not certain): the first missing or wrong hop, in plain words.
   *
   * @default - none: reachable and certain
   */
  readonly reason?: string;
  /**
   * The subnet the answer was found from (its name), when traffic starts in a subnet or a VPC
   * (for a VPC: the subnet of the pair found, or of the first pair tried when none works).
   *
   * @default - none: traffic starts at an address outside the subnets the model knows
   */
  readonly fromSubnet?: string;
  /**
   * The subnet the answer was found for (its name), when the destination is a subnet or a VPC.
   *
   * @default - none: the destination is an address, a CIDR block or a service
   */
  readonly toSubnet?: string;
  /**
   * What the answer covers: `ROUTES` (no `ReachOptions` given) or `TRAFFIC` (routes, security
   * groups and network ACLs for a port and protocol).
   *
   * @default - ReachabilityCheck.ROUTES
   */
  readonly coverage?: ReachabilityCheck;
  /**
   * When not reachable: the code of the first component that blocks (a `ReachabilityBlockers`
   * constant, for example `SECURITY_GROUP_INGRESS`).
   *
   * @default - none: reachable, or the model cannot tell
   */
  readonly blockedBy?: string;
  /**
   * What the answer assumed without making it uncertain, for example that a subnet as a source
   * has no security group (only the destination's ingress rules were checked).
   *
   * @default - nothing assumed
   */
  readonly assumptions?: string[];
}

/** How serious a finding is. */
export enum FindingSeverity {
  /** Traffic the user routed will not flow (or the deploy will fail). */
  ERROR = 'error',
  /** Likely a mistake, or close to a limit. */
  WARNING = 'warning',
  /** Something the model could not check. */
  INFO = 'info',
}

/** A routing problem found in the synthesized network. */
export interface Finding {
  /** A stable rule id, for example `vpc-connect/one-way-route`. */
  readonly ruleId: string;
  /** How serious it is. */
  readonly severity: FindingSeverity;
  /** What is wrong, with the values. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /** The construct paths (or `<stack>/<logicalId>` when no path is known) of the resources involved. */
  readonly constructs: string[];
  /**
   * The template resources involved, when the model knows them (a template's VPC, route, peering...),
   * the one that causes the finding first: the validation plugin reports the finding on it, so the
   * validation report points at the construct that created it and the user can acknowledge it there.
   *
   * @default - only `constructs`: the plugin looks the first one up in the templates (as
   *   `<stack>/<logicalId>` or by its `aws:cdk:path` metadata), else reports it by construct path
   */
  readonly resources?: FindingResource[];
}

/** A resource of a synthesized template that a finding is about. */
export interface FindingResource {
  /** The stack's name: the key of `NetworkModel.fromTemplates`, the artifact id of an assembly's stack. */
  readonly stack: string;
  /** The resource's logical id in that stack's template. */
  readonly logicalId: string;
}

/**
 * The stable rule ids of the findings (`Finding.ruleId`), for assertions, `ignore` lists and
 * acknowledgements (`cdk-vpc-connect::<rule id>`).
 */
export class FindingRules {
  /** A route targets a peering connection that does not connect the route table's VPC. */
  public static readonly PEERING_NOT_ATTACHED = 'vpc-connect/peering-not-attached';
  /** A route over a peering to a destination outside the peer VPC: it would need transitive peering. */
  public static readonly TRANSITIVE_DESTINATION = 'vpc-connect/transitive-destination';
  /** A route toward a peer with no route back from the peer: replies are dropped. */
  public static readonly ONE_WAY_ROUTE = 'vpc-connect/one-way-route';
  /** Two VPCs reachable from one route table at the same destination (overlapping peers). */
  public static readonly AMBIGUOUS_DESTINATION = 'vpc-connect/ambiguous-destination';
  /** Traffic that would need the peer to forward it to its internet gateway, NAT, VPN or gateway endpoint. */
  public static readonly EDGE_TO_EDGE = 'vpc-connect/edge-to-edge';
  /** A route table holds more routes than its quota. */
  public static readonly ROUTE_QUOTA = 'vpc-connect/route-quota';
  /** Part of the network is not known from the templates (imported VPC, deploy-time CIDR). */
  public static readonly UNKNOWN = 'vpc-connect/unknown';
  /**
   * A resource the model does not understand (a custom resource, a resource of a type outside
   * `AWS::`, a VPN route propagation) is given route tables: it may write routes the model
   * cannot see, so answers through those tables are not certain.
   */
  public static readonly UNMODELLED_ROUTES = 'vpc-connect/unmodelled-routes';
  /** An intent given to the validation plugin (`NetworkValidationPluginProps.intents`) does not hold. */
  public static readonly INTENT = 'vpc-connect/intent';
  /**
   * A VPC routes the same peer CIDR over different peerings from different subnets' route
   * tables, and a peer's route covers subnets whose replies leave through the other peering
   * (the AWS Peering Guide's reply-routing problem, in its two-table form).
   */
  public static readonly REPLY_ROUTING = 'vpc-connect/reply-routing';
  /** Security groups that admit nothing from a peer VPC their VPC routes to (both ways routed, nothing admitted). */
  public static readonly PEER_NOT_ADMITTED = 'vpc-connect/peer-not-admitted';
  /** An interface endpoint's security groups do not admit (TCP 443) a VPC that resolves the service to it. */
  public static readonly ENDPOINT_NOT_ADMITTED = 'vpc-connect/endpoint-not-admitted';
  /** A network ACL admits requests from a peer but drops their replies (no ephemeral ports out, or in). */
  public static readonly NACL_DROPS_REPLIES = 'vpc-connect/nacl-drops-replies';

  /** Every rule id, in the order above. */
  public static all(): string[] {
    return [
      FindingRules.PEERING_NOT_ATTACHED, FindingRules.TRANSITIVE_DESTINATION, FindingRules.ONE_WAY_ROUTE,
      FindingRules.AMBIGUOUS_DESTINATION, FindingRules.EDGE_TO_EDGE, FindingRules.ROUTE_QUOTA, FindingRules.UNKNOWN,
      FindingRules.UNMODELLED_ROUTES, FindingRules.INTENT, FindingRules.REPLY_ROUTING, FindingRules.PEER_NOT_ADMITTED,
      FindingRules.ENDPOINT_NOT_ADMITTED, FindingRules.NACL_DROPS_REPLIES,
    ];
  }

  private constructor() {}
}

/** A VPC of the model, for listings, matrices and diagrams. */
export interface ModelVpc {
  /** Its name: the construct path when known, else `<stack>/<logicalId>`. */
  readonly name: string;
  /** The stack (artifact id) that defines it. */
  readonly stack: string;
  /** Its CIDR blocks known from the templates (IPv4 and IPv6). */
  readonly cidrs: string[];
  /** Whether all of its blocks are known (false for a deploy-time CIDR). */
  readonly certain: boolean;
}

/** A peering connection of the model. */
export interface ModelPeering {
  /** Its name (construct path or `<stack>/<logicalId>`). */
  readonly name: string;
  /** The requester VPC's name (a VPC outside the app is named by what the template holds, e.g. its id). */
  readonly requester: string;
  /** The accepter VPC's name. */
  readonly accepter: string;
}

/** A transit gateway of the model. */
export interface ModelTransitGateway {
  /** Its name (construct path, `<stack>/<logicalId>`, or the literal `tgw-...` id of an existing one). */
  readonly name: string;
  /** The names of the VPCs attached to it. */
  readonly attachedVpcs: string[];
  /**
   * The names of the transit gateways it is peered with (transit gateway peering attachments,
   * usually across regions).
   *
   * @default - none
   */
  readonly peeredWith?: string[];
}

/** A VPC endpoint of the model. */
export interface ModelEndpoint {
  /** Its name (construct path or `<stack>/<logicalId>`). */
  readonly name: string;
  /** The VPC it is in. */
  readonly vpc: string;
  /** The service, for example `com.amazonaws.us-east-1.s3` (or `unknown`). */
  readonly service: string;
  /** `GATEWAY` or `INTERFACE` (Gateway Load Balancer endpoints are not modelled). */
  readonly endpointType: VpcEndpointType;
}

/** Which findings an assertion looks for, besides the rule id. */
export interface FindingMatchOptions {
  /**
   * A construct the finding must be about: the path of one of its `constructs`, or a path above
   * it (`App/Net` matches `App/Net/VpcA/Route`, and `App/Net/VpcA` matches `App/Net/VpcA (main route table)`).
   *
   * @default - any construct
   */
  readonly constructPath?: string;
  /**
   * The severity the finding must have.
   *
   * @default - any severity
   */
  readonly severity?: FindingSeverity;
}

/**
 * What a network model offers: implemented by `NetworkModel`; the CLI, the validation plugin,
 * the diagram and the jest matchers depend only on this.
 */
export interface INetworkModel {
  /** Every VPC of the templates (and every VPC they reference by id, as uncertain). */
  readonly vpcs: ModelVpc[];
  /** Every peering connection. */
  readonly peerings: ModelPeering[];
  /** Every transit gateway (created or referenced by id). */
  readonly transitGateways: ModelTransitGateway[];
  /** Every VPC endpoint. */
  readonly endpoints: ModelEndpoint[];
  /** The routing findings. */
  readonly findings: Finding[];
  /**
   * Whether traffic from `source` reaches `destination` and the reply gets back.
   *
   * @param source a VPC or subnet: a construct of the app (`fromApp` only), a construct path, a VPC
   *   name of `vpcs`, or an IP address inside a VPC
   * @param destination the same kinds, or any IP address / CIDR (for example `0.0.0.0/0` or `8.8.8.8`)
   * @param options a port and protocol: also check security groups and network ACLs
   */
  canReach(source: string | IConstruct, destination: string | IConstruct, options?: ReachOptions): Reachability;
}

/**
 * Where traffic starts or ends: an `ec2.IVpc` / `ec2.ISubnet` of the app (any construct),
 * or a string: a construct path, a model VPC name, an IP address or a CIDR.
 * (TypeScript's name for the parameters of `canReach`; internal to the library.)
 */
export type NetworkEndpoint = string | IConstruct;
