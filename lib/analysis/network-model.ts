import { CfnElement, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import { VpcEndpointType } from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { Cidr, IpVersion } from '../cidr';
import { toMermaid } from './diagram';
import { findingsOf } from './findings';
import { NetworkIntent, intentFailure, isolationFailure } from './intents';
import { findingFailure, reachFailure } from './matchers';
import { ConnectivityQuotas, invalidQuotas, quotasOf, withDefaults } from '../routing/quotas';
import { serviceTargets } from './private/endpoints';
import { buildGraph, GSubnet, GTable, GVpc, Graph } from './private/graph';
import { ImportedVpc, importedVpcsOf, linkImportedVpcs } from './private/imported';
import { loadAssembly, loadTemplateFiles, templateFilesOf, templatesFromStage } from './private/load';
import { withParameters } from './private/parameters';
import { GWorkload, securityOf, trafficOf } from './private/security';
import { StackTemplate, TemplateResolver } from './private/templates';
import { Destination, reach, Source, Target } from './reachability';
import {
  Finding, FindingMatchOptions, INetworkModel, ModelEndpoint, ModelPeering, ModelTransitGateway, ModelVpc, NetworkEndpoint, Reachability,
  ReachabilityBlockers, ReachabilityCheck, ReachOptions,
} from './types';

/** Options of a {@link NetworkModel}. */
export interface NetworkModelOptions {
  /**
   * The account's quotas; the model checks `routesPerRouteTable` (not propagated; IPv4 and IPv6
   * counted separately) for the `vpc-connect/route-quota` finding. Each value given overrides
   * the one in force.
   *
   * @default - `fromApp`: the app's quotas (the context key `cdk-vpc-connect:quotas`, see
   *   `Quotas`), else AWS's defaults (500 routes per route table); `fromAssembly`,
   *   `fromTemplates`, `fromTemplateFiles`: AWS's defaults
   */
  readonly quotas?: ConnectivityQuotas;

  /**
   * Values for the templates' parameters: stack name → parameter name → value (as
   * CloudFormation takes it: a list type's items separated by commas). A parameter without a
   * value here takes its `Default`; one with neither is unknown, and answers that depend on it
   * are not certain (two references to the same unknown parameter are still equal: subnets
   * whose `AvailabilityZone` is the same parameter are in the same zone). A nested stack is
   * named `<parent>/<logicalId>` (`fromTemplateFiles`) and takes its parameters from its parent.
   *
   * @default - every parameter takes its Default, else is unknown
   */
  readonly parameters?: { [stackName: string]: { [key: string]: string } };
}

/** Where an endpoint string or construct led. */
type Resolved =
  | { readonly kind: 'vpc'; readonly vpc: GVpc }
  | { readonly kind: 'subnet'; readonly subnet: GSubnet }
  | { readonly kind: 'ip'; readonly cidr: Cidr; readonly vpc?: GVpc; readonly subnet?: GSubnet }
  | { readonly kind: 'service'; readonly service: string }
  | { readonly kind: 'workload'; readonly workload: GWorkload };

/**
 * A model of the synthesized network, built from the CloudFormation templates of every stack
 * of an app: VPCs and their CIDR blocks, subnets, route tables (explicit associations and the
 * main table), routes and their targets (peerings, transit gateways and their route tables,
 * gateway endpoints, internet and NAT gateways, firewall and Gateway Load Balancer endpoints as
 * pass-through hops), managed prefix lists as route destinations, references between stacks
 * (exports and aws-cdk-lib's cross-region references, nested stacks' parameters and outputs),
 * and what this library creates through custom resources: routes in another account's route
 * tables, a shared transit gateway found by its tags (one gateway across accounts), spokes'
 * associations and propagations, and the peer side of a transit gateway peering (its
 * association and static routes).
 *
 * What the templates do not reveal (an imported VPC, a CIDR known only at deploy time, a route
 * table of another account) is modelled as unknown: answers that depend on it say so
 * (`certain: false`) and are never guessed.
 *
 * Tests assert with `expectReach`, `expectNoReach`, `expectFinding` and `expectNoFinding` (in
 * every language; with jest, `import 'cdk-vpc-connect/jest'` adds the matchers `toReach` and
 * `toHaveFinding`).
 *
 * @example
 * const model = NetworkModel.fromApp(app);
 * model.expectReach(vpcA, vpcB); // throws with the path and the reason when it does not
 * model.expectReach(service, 'sns', { port: 443 }); // routes, security groups, network ACLs, the interface endpoint
 * model.expectIsolated([prodVpc], [devVpc]);
 * model.expectNoFinding(FindingRules.ONE_WAY_ROUTE);
 * const r = model.canReach(vpcA, vpcC);
 * if (!r.reachable) { console.log(r.reason); }
 * model.findings.forEach((f) => console.log(f.ruleId, f.message));
 */
export class NetworkModel implements INetworkModel {
  /**
   * Synthesize `app` (any stage) and model the templates of all its stacks, nested stages
   * and nested stacks (`NestedStack`, read from the assembly directory) included. Resources are
   * named by their construct paths; `canReach` also takes the constructs themselves (`ec2.IVpc`,
   * `ec2.ISubnet`). The quotas are the app's (context key `cdk-vpc-connect:quotas`) unless
   * `options.quotas` gives them.
   */
  public static fromApp(app: Stage, options: NetworkModelOptions = {}): NetworkModel {
    const quotas = resolveQuotas(options.quotas, quotasOf(app));
    const assembly = app.synth();
    const paths = new Map<string, Map<string, string>>();
    for (const construct of app.node.findAll()) {
      if (!CfnElement.isCfnElement(construct)) { continue; }
      const stack = Stack.of(construct);
      const stackPaths = paths.get(stack.artifactId) ?? new Map<string, string>();
      paths.set(stack.artifactId, stackPaths);
      stackPaths.set(stack.resolve((construct as CfnElement).logicalId), construct.node.path);
    }
    // A nested stack's template is a file of the assembly: its resources' paths by that file's name.
    const nestedPaths = new Map<string, Map<string, string>>();
    for (const construct of app.node.findAll()) {
      if (NestedStack.isNestedStack(construct)) {
        nestedPaths.set(construct.templateFile, paths.get(construct.artifactId) ?? new Map());
      }
    }
    return new NetworkModel(templatesFromStage(assembly, paths, nestedPaths), quotas, options, importedVpcsOf(app));
  }

  /**
   * Model the templates of a cloud assembly directory (`cdk.out`), nested assemblies (stages)
   * and nested stacks (their templates are file assets of the assembly) included. Resources are named by their `aws:cdk:path` metadata (in the template or the
   * assembly's metadata), else `<stack>/<logicalId>`.
   *
   * @throws when the directory is not a cloud assembly
   */
  public static fromAssembly(directory: string, options: NetworkModelOptions = {}): NetworkModel {
    const quotas = resolveQuotas(options.quotas);
    return new NetworkModel(loadAssembly(directory), quotas, options);
  }

  /**
   * Model parsed templates: stack name → template. Resources are named by their
   * `aws:cdk:path` metadata when present, else `<stack>/<logicalId>`. The templates of nested
   * stacks cannot be linked to their parents here: each `AWS::CloudFormation::Stack` resource is
   * reported as a `vpc-connect/unknown` finding (use `fromApp` or `fromAssembly` for them).
   */
  public static fromTemplates(templates: { [stackName: string]: any }, options: NetworkModelOptions = {}): NetworkModel {
    const quotas = resolveQuotas(options.quotas);
    const stacks: StackTemplate[] = Object.entries(templates).map(([name, template]) => {
      if (template === null || typeof template !== 'object' || Array.isArray(template)) {
        throw new Error(`The template of stack '${name}' is not a JSON object (got ${Array.isArray(template) ? 'an array' : typeof template}).`);
      }
      return { name, stackName: name, template: template as StackTemplate['template'], paths: new Map() };
    });
    return new NetworkModel(stacks, quotas, options);
  }

  /**
   * Model the templates of files: stack name → path of a template, JSON (`.template.json`, as the
   * validation plugin receives) or YAML with CloudFormation's short tags (`!Ref`, `!GetAtt`,
   * `!If`...). A nested stack (`AWS::CloudFormation::Stack`) whose `TemplateURL` is a local path,
   * relative to its parent's file (as `aws cloudformation package` takes it), is read and linked to
   * its parent (its parameters in, its outputs out), and named `<parent>/<logicalId>`.
   *
   * @throws when a file cannot be read or is neither JSON nor YAML
   */
  public static fromTemplateFiles(files: { [stackName: string]: string }, options: NetworkModelOptions = {}): NetworkModel {
    return new NetworkModel(loadTemplateFiles(files), resolveQuotas(options.quotas), options);
  }

  /**
   * Model the template files of a directory (`*.json`, `*.yaml`, `*.yml`, `*.template`), each a
   * stack named after its file without the extension (`vpc.yaml` → `vpc`); a file that another
   * names as its nested stack by a local `TemplateURL` is read as that nested stack. As
   * `fromTemplateFiles` otherwise.
   *
   * @throws when the directory does not exist or holds no template file
   */
  public static fromTemplateDirectory(directory: string, options: NetworkModelOptions = {}): NetworkModel {
    return NetworkModel.fromTemplateFiles(templateFilesOf([directory]), options);
  }

  /** Every VPC of the templates (and every VPC they reference by id, as uncertain). */
  public readonly vpcs: ModelVpc[];
  /** Every peering connection. */
  public readonly peerings: ModelPeering[];
  /** Every transit gateway (created or referenced by id). */
  public readonly transitGateways: ModelTransitGateway[];
  /** Every VPC endpoint. */
  public readonly endpoints: ModelEndpoint[];

  /** The quotas the findings use, every value set. */
  public readonly quotas: ConnectivityQuotas;

  private readonly graph: Graph;
  private cachedFindings?: Finding[];
  private readonly byName = new Map<string, GVpc | GSubnet>();

  private constructor(stacks: StackTemplate[], quotas: Required<ConnectivityQuotas>, options: NetworkModelOptions = {}, imported: ImportedVpc[] = []) {
    this.quotas = quotas;
    this.graph = buildGraph(new TemplateResolver(withParameters(stacks, options.parameters)));
    linkImportedVpcs(this.graph, imported);
    for (const vpc of this.graph.vpcs) {
      this.byName.set(vpc.name, vpc);
      this.byName.set(vpc.key, vpc);
      for (const key of vpc.resourceKeys) { this.byName.set(this.graph.names.get(key) ?? key, vpc); }
    }
    for (const subnet of this.graph.subnets.values()) {
      this.byName.set(subnet.name, subnet);
      this.byName.set(subnet.key, subnet);
    }
    this.vpcs = this.graph.vpcs.map((v) => ({
      name: v.name,
      stack: v.stack,
      cidrs: v.blocks.map((b) => b.toString()),
      certain: !v.external && v.unknownBlocks.length === 0,
    }));
    this.peerings = [...this.graph.peerings.values()].map((p) => ({ name: p.name, requester: p.requester.name, accepter: p.accepter.name }));
    const peerings = [...this.graph.tgwPeerings.values()];
    this.transitGateways = [...this.graph.tgws.values()].map((t) => {
      const peers = [...new Set(peerings.flatMap((p) => (p.requester === t ? [p.accepter.name] : p.accepter === t ? [p.requester.name] : [])))];
      return { name: t.name, attachedVpcs: [...new Set(t.attachments.map((a) => a.vpc.name))], ...(peers.length > 0 ? { peeredWith: peers } : {}) };
    });
    this.endpoints = this.graph.endpoints.map((e) => ({
      name: e.name, vpc: e.vpc.name, service: e.service,
      endpointType: e.type === 'Gateway' ? VpcEndpointType.GATEWAY : VpcEndpointType.INTERFACE,
    }));
  }

  /** The routing findings (computed once, on first use). */
  public get findings(): Finding[] {
    if (!this.cachedFindings) {
      this.cachedFindings = findingsOf(this.graph, { routesPerRouteTable: this.quotas.routesPerRouteTable! });
    }
    return this.cachedFindings;
  }

  /**
   * Whether traffic from `source` reaches `destination` and the reply gets back.
   *
   * - From a subnet: through its route table (its explicit association, else the VPC's main table).
   * - From a VPC: it reaches `to` when at least one of its subnets does, both ways; `path`,
   *   `fromSubnet` and `toSubnet` show the pair found. When none does, `reason` is that of
   *   the first subnet tried.
   * - To a VPC: any of its subnets (the first pair that works); to a subnet: its block. Traffic
   *   that lands in another VPC holding the same addresses does not count.
   * - To an IP or CIDR: that range, wherever the routes deliver it (a VPC of the model, or
   *   outside: the internet);
   *   to `s3`, `dynamodb` or a service name (`sns`, `com.amazonaws.<region>.sns`): the interface
   *   endpoint the source's VPC resolves the service's name to (the endpoint's private DNS in
   *   its own VPC, or a private hosted zone associated with the source's VPC), else the service
   *   through a gateway endpoint or the internet.
   * - From or to something with network interfaces (its construct or path: an instance, an ECS
   *   service, a Lambda function in a VPC, a database, a load balancer, an interface endpoint,
   *   or a security group standing for its members): its subnets (the first that works), with
   *   its security groups.
   *
   * Without `options`, only the routes are checked (`coverage: ROUTES`). With `options` (even
   * `{}`), for the port and protocol given (default: TCP; port 443 toward a service, else every
   * port): the security groups of the source (egress) and destination (ingress), stateful, and
   * the network ACLs of their subnets, stateless (the request both ways, the reply on the
   * ephemeral ports 1024-65535) (`coverage: TRAFFIC`). A source or destination that is a subnet,
   * a VPC or an address has no security group: `assumptions` says that only the other side's
   * were checked. Each "no" names what blocks first in `blockedBy` (`ReachabilityBlockers`).
   *
   * @param source where traffic starts
   * @param destination where it goes
   * @param options a port and protocol: also check security groups and network ACLs
   * @throws when a port is not from 0 to 65535, or an endpoint names nothing of the model
   */
  public canReach(source: string | IConstruct, destination: string | IConstruct, options?: ReachOptions): Reachability {
    const resolvedDestination = this.resolve(destination, 'destination');
    const traffic = options ? trafficOf(options, resolvedDestination.kind === 'service') : undefined;
    const sources = this.sourcesOf(this.resolve(source, 'source'), source);
    const fixedTargets = resolvedDestination.kind === 'service' ? undefined : this.targetsOf(resolvedDestination);
    let certainFailure: Reachability | undefined;
    let uncertainFailure: Reachability | undefined;
    let uncertainSuccess: Reachability | undefined;
    for (const s of sources) {
      // A service name resolves in the source's VPC: to an interface endpoint, else the public endpoint.
      const service = resolvedDestination.kind === 'service' ? serviceTargets(this.graph, resolvedDestination.service, s.vpc) : undefined;
      for (const t of fixedTargets ?? service!.targets) {
        let answer = reach(this.graph, s, t, traffic);
        if (!answer.reachable && service?.noEndpoint && answer.blockedBy === ReachabilityBlockers.NO_ROUTE) {
          answer = { ...answer, blockedBy: ReachabilityBlockers.NO_ENDPOINT, reason: `${answer.reason} No interface endpoint: ${service.noEndpoint}.` };
        }
        const detailed: Reachability = { ...answer, fromSubnet: s.subnet?.name, toSubnet: t.subnet?.name };
        if (answer.reachable && answer.certain) { return detailed; }
        if (answer.reachable) {
          uncertainSuccess ??= detailed;
        } else if (answer.certain) {
          certainFailure ??= detailed;
        } else {
          uncertainFailure ??= detailed;
        }
      }
    }
    // Not certainly reachable: a pair that may work, else one whose failure may be wrong (its
    // reason says what is unknown), else the first pair tried.
    const answer = uncertainSuccess ?? uncertainFailure ?? certainFailure;
    if (!answer) {
      return {
        reachable: false, certain: false, path: [], coverage: traffic ? ReachabilityCheck.TRAFFIC : ReachabilityCheck.ROUTES,
        reason: `Nothing to compare: ${describeEndpoint(source)} or ${describeEndpoint(destination)} has no known subnet or address.`,
      };
    }
    return answer;
  }

  /**
   * Assert that traffic from `source` reaches `destination` and the reply gets back
   * (`canReach` is reachable and certain): the assertion of tests in every language
   * (jest: `expect(model).toReach(source, destination)` with `cdk-vpc-connect/jest`).
   *
   * @param source where traffic starts, as for `canReach`
   * @param destination where it goes, as for `canReach`
   * @param options a port and protocol, as for `canReach`
   * @throws an Error whose message gives the path up to the missing hop and the reason, or
   *   why the model cannot tell (an uncertain answer never passes)
   */
  public expectReach(source: string | IConstruct, destination: string | IConstruct, options?: ReachOptions): void {
    throwIfFailed(reachFailure(this, source, destination, true, options));
  }

  /**
   * Assert that traffic from `source` does not reach `destination`, or its reply does not get
   * back (`canReach` is unreachable and certain).
   *
   * @param source where traffic starts, as for `canReach`
   * @param destination where it goes, as for `canReach`
   * @param options a port and protocol, as for `canReach`
   * @throws an Error whose message gives the path that exists, or why the model cannot tell
   *   (an uncertain answer never passes)
   */
  public expectNoReach(source: string | IConstruct, destination: string | IConstruct, options?: ReachOptions): void {
    throwIfFailed(reachFailure(this, source, destination, false, options));
  }

  /**
   * Assert that no member of `groupA` reaches any member of `groupB` and no member of `groupB`
   * reaches any member of `groupA` (every answer unreachable and certain), for example
   * `model.expectIsolated([prodVpc], [devVpcA, devVpcB])`.
   *
   * @param groupA constructs or strings, as the `source` of `canReach`
   * @param groupB the same
   * @param options a port and protocol: isolated on that traffic only (routes, security groups and network ACLs)
   * @throws an Error listing every pair that reaches (with its path) or that the model cannot tell
   */
  public expectIsolated(groupA: Array<string | IConstruct>, groupB: Array<string | IConstruct>, options?: ReachOptions): void {
    throwIfFailed(isolationFailure(this, groupA, groupB, options));
  }

  /**
   * Check intents (as the validation plugin does at synth): the messages of those violated.
   *
   * @param intents each sets `reach` or `isolate`
   * @returns one message per violated intent; empty when all hold
   * @throws an Error when an intent sets neither or both of `reach` and `isolate`
   */
  public checkIntents(intents: NetworkIntent[]): string[] {
    return intents.map((intent) => intentFailure(this, intent)).filter((m): m is string => m !== undefined);
  }

  /**
   * Assert that every intent holds.
   *
   * @param intents each sets `reach` or `isolate`
   * @throws an Error with the message of every violated intent
   */
  public expectIntents(intents: NetworkIntent[]): void {
    const failures = this.checkIntents(intents);
    throwIfFailed(failures.length > 0 ? failures.join('\n\n') : undefined);
  }

  /**
   * Assert that the model has a finding of rule `ruleId` (a `FindingRules` id), optionally
   * about a construct or of a severity.
   *
   * @param ruleId the rule, for example `FindingRules.ONE_WAY_ROUTE`
   * @param options the construct and severity the finding must have
   * @throws an Error listing the model's findings when none matches
   */
  public expectFinding(ruleId: string, options: FindingMatchOptions = {}): void {
    throwIfFailed(findingFailure(this, ruleId, options, true));
  }

  /**
   * Assert that the model has no finding of rule `ruleId` (a `FindingRules` id), optionally
   * only those about a construct or of a severity.
   *
   * @param ruleId the rule, for example `FindingRules.ONE_WAY_ROUTE`
   * @param options the construct and severity of the findings that must not exist
   * @throws an Error listing the findings that match, with their fix
   */
  public expectNoFinding(ruleId: string, options: FindingMatchOptions = {}): void {
    throwIfFailed(findingFailure(this, ruleId, options, false));
  }

  /**
   * The network as a Mermaid flowchart (GitHub renders it in a mermaid code block or a `.mmd` file):
   * one node per VPC with its CIDR blocks (dashed when the model does not know all of them),
   * a `pcx` link per peering connection, a hexagon per transit gateway linked to its attached
   * VPCs, and per VPC a node listing its endpoints. Node ids derive from the names, so the
   * diagram diffs well when the app changes. GitHub's renderer draws at most 500 links and
   * 50,000 characters.
   */
  public toMermaid(): string {
    return toMermaid(this);
  }

  private sourcesOf(resolved: Resolved, source: NetworkEndpoint): Source[] {
    const ofSubnet = (subnet: GSubnet): Source => (subnet.cidr
      ? { vpc: subnet.vpc, table: subnet.table, subnet, prefix: subnet.cidr }
      : {
        vpc: subnet.vpc, table: subnet.table, subnet, prefix: subnet.vpc.blocks.find((b) => b.version === IpVersion.IPV4),
        assumption: `the CIDR block of subnet ${subnet.name} is not known: the reply is routed to its VPC's block`,
      });
    switch (resolved.kind) {
      case 'subnet': return [ofSubnet(resolved.subnet)];
      case 'vpc': {
        const vpc = resolved.vpc;
        if (vpc.subnets.length > 0) { return vpc.subnets.map(ofSubnet); }
        const blocks = vpc.external ? vpc.inferredBlocks : vpc.blocks;
        const tables: GTable[] = vpc.tables.length > 0 ? vpc.tables : [vpc.mainTable];
        return tables.map((table) => ({ vpc, table, prefix: blocks.find((b) => b.version === IpVersion.IPV4) }));
      }
      case 'ip': {
        if (resolved.subnet) { return [{ ...ofSubnet(resolved.subnet), prefix: resolved.cidr }]; }
        if (resolved.vpc) {
          const vpc = resolved.vpc;
          return (vpc.tables.length > 0 ? vpc.tables : [vpc.mainTable]).map((table) => ({ vpc, table, prefix: resolved.cidr }));
        }
        throw new Error(`canReach: ${describeEndpoint(source)} is not inside any VPC of the model: traffic must start in a VPC.`);
      }
      case 'workload': {
        const workload = resolved.workload;
        if (workload.subnets.length === 0) {
          throw new Error(`canReach: ${workload.name} has no subnet known from the templates (${workload.unknown.join('; ') || 'it names none'}), so traffic cannot start there.`);
        }
        return workload.subnets.map((subnet) => ({ ...ofSubnet(subnet), groups: groupsOf(workload), label: workload.name }));
      }
      default:
        throw new Error(`canReach: traffic must start in a VPC, a subnet or an address inside one, not ${describeEndpoint(source)}.`);
    }
  }

  private targetsOf(resolved: Resolved): Target[] {
    const ofSubnet = (subnet: GSubnet): Target | undefined => (subnet.cidr ? { destination: { kind: 'ip', cidr: subnet.cidr }, vpc: subnet.vpc, subnet } : undefined);
    switch (resolved.kind) {
      case 'subnet': {
        const target = ofSubnet(resolved.subnet);
        if (target) { return [target]; }
        return resolved.subnet.vpc.blocks.map((cidr) => ({ destination: { kind: 'ip', cidr } as Destination, vpc: resolved.subnet.vpc }));
      }
      case 'vpc': {
        const vpc = resolved.vpc;
        const subnets = vpc.subnets.map(ofSubnet).filter((t): t is Target => !!t);
        if (subnets.length > 0) { return subnets; }
        const blocks = vpc.external ? vpc.inferredBlocks : vpc.blocks;
        return blocks.map((cidr) => ({ destination: { kind: 'ip', cidr } as Destination, vpc }));
      }
      case 'ip':
        // An address is reached wherever the routes deliver it (several VPCs may hold it).
        return [{ destination: { kind: 'ip', cidr: resolved.cidr }, at: resolved.subnet }];
      case 'service':
        return [{ destination: { kind: 'service', service: resolved.service } }];
      case 'workload': {
        const workload = resolved.workload;
        const targets = workload.subnets.filter((s) => s.cidr)
          .map((subnet): Target => ({ destination: { kind: 'ip', cidr: subnet.cidr! }, vpc: subnet.vpc, subnet, groups: groupsOf(workload), label: workload.name }));
        if (targets.length === 0) {
          throw new Error(`canReach: ${workload.name} has no subnet with a CIDR block known from the templates` +
            `${workload.unknown.length > 0 ? ` (${workload.unknown.join('; ')})` : ''}, so traffic to it cannot be followed.`);
        }
        return targets;
      }
    }
  }

  private resolve(endpoint: NetworkEndpoint, role: 'source' | 'destination'): Resolved {
    const text = typeof endpoint === 'string' ? endpoint : endpoint?.node?.path;
    if (typeof text !== 'string') {
      throw new Error(`canReach: '${role}' must be a construct, a construct path, a VPC name, an IP address or a CIDR block.`);
    }
    const named = this.byPath(text);
    if (named) { return 'blocks' in named ? { kind: 'vpc', vpc: named } : { kind: 'subnet', subnet: named }; }
    // Something with network interfaces (an instance, a task, a function, a database, a load
    // balancer, an interface endpoint), or a security group: in its subnets, with its groups.
    const workload = workloadByPath(this.graph, text);
    if (workload) { return { kind: 'workload', workload }; }
    // An imported VPC (ec2.Vpc.fromVpcAttributes, RemoteVpc): the VPC of the templates that use its literal id.
    const vpcId = typeof endpoint === 'object' ? (endpoint as { vpcId?: unknown }).vpcId : undefined;
    const imported = typeof vpcId === 'string' ? this.graph.vpcByKey.get(vpcId) : undefined;
    if (imported) { return { kind: 'vpc', vpc: imported }; }
    const cidr = Cidr.tryParse(text.includes('/') ? text : `${text}/${text.includes(':') ? 128 : 32}`);
    if (typeof cidr !== 'string') {
      const vpc = this.graph.vpcs.find((v) => v.blocks.some((b) => b.contains(cidr)))
        ?? this.graph.vpcs.find((v) => v.external && v.inferredBlocks.some((b) => b.contains(cidr)));
      const subnet = vpc?.subnets.find((s) => (cidr.version === IpVersion.IPV4 ? s.cidr : s.ipv6)?.contains(cidr));
      return { kind: 'ip', cidr, vpc, subnet };
    }
    if (/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(text) && !text.startsWith('vpc-') || /^com\.amazonaws\./.test(text)) {
      return { kind: 'service', service: text };
    }
    throw new Error(`canReach: '${text}' (${role}) is neither a VPC or subnet of the model, nor an IP address or CIDR block. ` +
      `Known VPCs: ${this.graph.vpcs.map((v) => v.name).join(', ') || 'none'}.`);
  }

  /** A VPC or subnet by name, key, construct path, or the path of a construct above exactly one of them. */
  private byPath(text: string): GVpc | GSubnet | undefined {
    const trimmed = text.replace(/^\//, '');
    // The L2's path, its L1's (`.../Resource`, a subnet's `.../Subnet`), or a resource key.
    const exact = this.byName.get(trimmed) ?? this.byName.get(trimmed.replace(/\/(Resource|Subnet)$/, ''));
    if (exact) { return exact; }
    const prefix = `${trimmed}/`;
    const vpcs = this.graph.vpcs.filter((v) => v.name.startsWith(prefix));
    if (vpcs.length === 1) { return vpcs[0]; }
    if (vpcs.length === 0) {
      const subnets = [...this.graph.subnets.values()].filter((s) => s.name.startsWith(prefix));
      if (subnets.length === 1) { return subnets[0]; }
    }
    return undefined;
  }
}

/**
 * The quotas in force: each value of `given`, else of `base` (the app's), else AWS's default.
 *
 * @throws when a value given is not a positive integer or above what AWS allows
 */
function resolveQuotas(given: ConnectivityQuotas | undefined, base?: ConnectivityQuotas): Required<ConnectivityQuotas> {
  const problems = invalidQuotas(given ?? {});
  if (problems.length > 0) {
    throw new Error(`NetworkModel: ${problems.join(' ')}`);
  }
  return withDefaults({
    peeringsPerVpc: given?.peeringsPerVpc ?? base?.peeringsPerVpc,
    routesPerRouteTable: given?.routesPerRouteTable ?? base?.routesPerRouteTable,
    resourcesPerStack: given?.resourcesPerStack ?? base?.resourcesPerStack,
  });
}

/** An assertion's failure thrown as an Error (nothing when it held). */
function throwIfFailed(failure: string | undefined): void {
  if (failure !== undefined) {
    throw new Error(failure);
  }
}

function describeEndpoint(endpoint: NetworkEndpoint): string {
  return typeof endpoint === 'string' ? `'${endpoint}'` : endpoint?.node?.path ?? String(endpoint);
}

/**
 * Something with network interfaces by name, construct path (or a path above exactly one), or
 * a security group (as everything of its VPC that has it: its VPC's subnets, that group).
 */
function workloadByPath(graph: Graph, text: string): GWorkload | undefined {
  const security = securityOf(graph);
  const trimmed = text.replace(/^\//, '').replace(/\/Resource$/, '');
  const exact = security.workloadsByName.get(trimmed);
  if (exact) { return exact; }
  const prefix = `${trimmed}/`;
  const below = [...security.workloads.values()].filter((w) => w.name.startsWith(prefix));
  if (below.length === 1) { return below[0]; }
  const groups = [...security.groups.values()].filter((g) => !g.external && (g.name === trimmed || g.name.startsWith(prefix)));
  if (groups.length === 1 && groups[0].vpc) {
    const group = groups[0];
    return { key: group.key, name: group.name, type: 'AWS::EC2::SecurityGroup', subnets: group.vpc!.subnets, groups: [group], unknown: [] };
  }
  return undefined;
}

/** A workload's security groups; undefined when it has none (a Network Load Balancer without groups filters nothing). */
function groupsOf(workload: GWorkload) {
  return workload.groups.length > 0 ? workload.groups : undefined;
}
