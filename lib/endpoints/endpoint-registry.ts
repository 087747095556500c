import { Annotations, IResolvable, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { AppRegistry } from '../private/app-registry';
import { checkQuota, quotasOf } from '../routing/quotas';

/**
 * The VPC endpoints of one app, for checks that look across constructs: two endpoints
 * that claim the private DNS name of one service in one VPC, two gateway endpoints of one
 * service in one route table. Hand-written endpoints (`vpc.addInterfaceEndpoint`,
 * `new ec2.CfnVPCEndpoint`) are found by scanning the app.
 *
 * One registry per construct tree root.
 */
export class EndpointRegistry extends AppRegistry {
  /** The registry of the app that `scope` belongs to. */
  public static of(scope: IConstruct): EndpointRegistry {
    return AppRegistry.forApp(scope, EndpointRegistry.registries, (root) => new EndpointRegistry(root));
  }

  private static readonly registries = new WeakMap<IConstruct, EndpointRegistry>();

  private readonly owners = new Map<ec2.CfnVPCEndpoint, IConstruct>();

  private constructor(root: IConstruct) {
    super(root);
  }

  /**
   * Record an endpoint the library created. The first owner carries the app-wide check,
   * which runs once at synth, after every construct exists.
   */
  public register(owner: IConstruct, endpoint: ec2.CfnVPCEndpoint): void {
    this.owners.set(endpoint, owner);
    this.anchor(owner);
  }

  protected validateApp(): string[] {
    return [...this.findConflicts(), ...this.checkInterfaceQuota()];
  }

  /**
   * How many interface and Gateway Load Balancer endpoints (one combined AWS quota) of the app
   * are in the VPC `vpcId` of `stack`, hand-written ones included.
   */
  public interfaceEndpointsInVpc(stack: Stack, vpcId: string): number {
    const vpc = keyOf(stack, vpcId);
    return this.endpoints().filter((e) => countsAgainstInterfaceQuota(e) && keyOf(Stack.of(e), e.vpcId) === vpc).length;
  }

  /**
   * The quota of interface and Gateway Load Balancer endpoints per VPC, over the whole app:
   * an error above it, a warning (on the VpcEndpoints of that VPC) at 80% of it.
   */
  private checkInterfaceQuota(): string[] {
    const byVpc = new Map<string, ec2.CfnVPCEndpoint[]>();
    for (const endpoint of this.endpoints().filter(countsAgainstInterfaceQuota)) {
      const key = keyOf(Stack.of(endpoint), endpoint.vpcId);
      byVpc.set(key, [...(byVpc.get(key) ?? []), endpoint]);
    }
    const limit = quotasOf(this.root).interfaceEndpointsPerVpc;
    const errors: string[] = [];
    for (const endpoints of byVpc.values()) {
      const owner = endpoints.map((e) => this.owners.get(e)).find((o) => o !== undefined);
      if (!owner) { continue; }
      const subject = `The VPC of ${owner.node.path} (${endpoints.length === 1 ? endpoints[0].node.path : `${endpoints[0].node.path} and others`})`;
      const check = checkQuota('interfaceEndpointsPerVpc', subject, endpoints.length, limit, INTERFACE_QUOTA_HINT);
      if (check?.level === 'error') { errors.push(check.message); }
      if (check?.level === 'warning') { Annotations.of(owner).addWarningV2('cdk-vpc-connect:interfaceEndpointQuota', check.message); }
    }
    return errors;
  }

  /** The other endpoints of the app that would conflict with `endpoint`, with why. */
  public conflictsOf(endpoint: ec2.CfnVPCEndpoint): string[] {
    const mine = describe(endpoint);
    if (!mine) { return []; }
    const conflicts: string[] = [];
    for (const other of this.endpoints()) {
      if (other === endpoint) { continue; }
      const theirs = describe(other);
      const reason = theirs && conflict(mine, theirs);
      if (reason) { conflicts.push(`${other.node.path} ${reason}`); }
    }
    return conflicts;
  }

  /** Every pair of conflicting endpoints of the app where one was created by the library. */
  public findConflicts(): string[] {
    const all = this.endpoints().map((e) => ({ endpoint: e, described: describe(e) }));
    const errors: string[] = [];
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length; j++) {
        // The library's endpoint first, so messages read the same whichever was created first.
        const [a, b] = this.owners.has(all[i].endpoint) ? [all[i], all[j]] : [all[j], all[i]];
        if (!a.described || !b.described) { continue; }
        if (!this.owners.has(a.endpoint) && !this.owners.has(b.endpoint)) { continue; }
        const reason = conflict(a.described, b.described);
        if (reason) {
          errors.push(`VPC endpoints ${this.label(a.endpoint)} and ${this.label(b.endpoint)} conflict: both ${reason}. ` +
            remedy(a.described));
        }
      }
    }
    return errors;
  }

  private label(endpoint: ec2.CfnVPCEndpoint): string {
    const owner = this.owners.get(endpoint);
    return owner ? `${endpoint.node.path} (from ${owner.node.path})` : endpoint.node.path;
  }

  private endpoints(): ec2.CfnVPCEndpoint[] {
    return this.root.node.findAll().filter((c): c is ec2.CfnVPCEndpoint => c instanceof ec2.CfnVPCEndpoint);
  }
}

/** What to do when a VPC has too many interface endpoints (the same words as VpcEndpoints). */
export const INTERFACE_QUOTA_HINT = 'Share interface endpoints between VPCs (one VPC of endpoints reached through peering or a transit gateway, ' +
  'with private hosted zones), drop endpoints the workloads do not use, or use gateway endpoints for S3 and DynamoDB (they do not count).';

/** Whether an endpoint counts against the quota of interface and Gateway Load Balancer endpoints per VPC. */
function countsAgainstInterfaceQuota(endpoint: ec2.CfnVPCEndpoint): boolean {
  return endpoint.vpcEndpointType === 'Interface' || endpoint.vpcEndpointType === 'GatewayLoadBalancer';
}

/** What matters of an endpoint for conflicts, as comparable keys. */
interface DescribedEndpoint {
  readonly vpc: string;
  readonly service: string;
  readonly serviceText: string;
  readonly type: 'Interface' | 'Gateway' | 'Other';
  readonly privateDns: boolean;
  readonly routeTables: string[];
}

function describe(endpoint: ec2.CfnVPCEndpoint): DescribedEndpoint | undefined {
  if (endpoint.serviceName === undefined) { return undefined; }
  const stack = Stack.of(endpoint);
  const type = endpoint.vpcEndpointType === undefined || endpoint.vpcEndpointType === 'Gateway' ? 'Gateway'
    : endpoint.vpcEndpointType === 'Interface' ? 'Interface' : 'Other';
  const resolvedService = stack.resolve(endpoint.serviceName);
  const serviceText = readable(resolvedService);
  return {
    vpc: keyOf(stack, endpoint.vpcId),
    service: `${JSON.stringify(resolvedService)}|${endpoint.serviceRegion ?? ''}`,
    serviceText: endpoint.serviceRegion ? `${serviceText} (service region ${endpoint.serviceRegion})` : serviceText,
    type,
    privateDns: isTrue(endpoint.privateDnsEnabled),
    routeTables: (endpoint.routeTableIds ?? []).map((id) => keyOf(stack, id)),
  };
}

function conflict(a: DescribedEndpoint, b: DescribedEndpoint): string | undefined {
  if (a.vpc !== b.vpc || a.service !== b.service || a.type !== b.type) { return undefined; }
  if (a.type === 'Interface' && a.privateDns && b.privateDns) {
    return `serve ${a.serviceText} with private DNS in the same VPC`;
  }
  if (a.type === 'Gateway') {
    const shared = a.routeTables.filter((t) => b.routeTables.includes(t));
    if (shared.length > 0) {
      return `attach a gateway endpoint of ${a.serviceText} to the same route table(s)`;
    }
  }
  return undefined;
}

function remedy(a: DescribedEndpoint): string {
  return a.type === 'Interface'
    ? 'AWS allows private DNS for a service on one endpoint per VPC: keep one endpoint (add the service to one VpcEndpoints), or set privateDnsEnabled: false on the other.'
    : 'A route table takes one route per prefix list: attach the endpoints to disjoint subnets, or keep one endpoint.';
}

/**
 * A comparable key for an id. References to one resource resolve to the same value in one
 * stack, but logical ids repeat across stacks, so unresolved ids key on their token text
 * (identical for every use of one reference) and literals on their value.
 */
function keyOf(stack: Stack, id: string): string {
  if (Token.isUnresolved(id)) {
    return `token:${id}`;
  }
  return `${Token.isUnresolved(stack.region) ? '' : stack.region}/${id}`;
}

/** A CloudFormation value as text: `com.amazonaws.${AWS::Region}.ssm`. */
export function readable(value: unknown): string {
  if (typeof value === 'string') { return value; }
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (Array.isArray(record['Fn::Join'])) {
      const [separator, parts] = record['Fn::Join'] as [string, unknown[]];
      return parts.map(readable).join(separator);
    }
    if (typeof record.Ref === 'string') { return `\${${record.Ref}}`; }
  }
  return JSON.stringify(value);
}

function isTrue(value: boolean | IResolvable | undefined): boolean {
  return value === true;
}
