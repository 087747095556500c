/**
 * `cdk deploy --all` from one synthesized app to the next, simulated stack by stack in the order
 * the CLI deploys them (dependencies first, then assembly order), against CloudFormation's rules
 * for exports (an export cannot be removed or changed while another stack imports it; an import
 * needs the export to exist) and for cdk-vpc-connect's StackValues reads (the stack read must have
 * the resources when the reader deploys). Stacks of the first app that the second no longer has
 * are not touched (the CLI never deletes them): they keep their imports.
 *
 * A resource whose type changes under the same logical id is a problem (CloudFormation refuses
 * it: "Update of resource type is not permitted"). Also lists the resources each update would
 * replace, for the property changes that replace the
 * resource types involved, comparing values across stacks by what they refer to (an import, a
 * StackValues read and a Ref of the same resource are the same value).
 */
import { App } from 'aws-cdk-lib';
import { CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';

/** One stack of a synthesized app. */
export interface DeployedStack {
  readonly stackName: string;
  readonly template: any;
  readonly dependencies: string[];
}

/** What the simulated deploy found. */
export interface DeploySimulation {
  /** The stack names in deploy order. */
  readonly order: string[];
  /** Each update CloudFormation would fail, in words. */
  readonly problems: string[];
  /** `<stack>/<logicalId>` of each resource replaced. */
  readonly replaced: string[];
}

/** Properties whose change replaces a resource (CloudFormation resource reference, "Update requires: Replacement"). */
const REPLACED_BY: { [type: string]: string[] } = {
  'AWS::EC2::VPCPeeringConnection': ['VpcId', 'PeerVpcId', 'PeerOwnerId', 'PeerRegion', 'PeerRoleArn'],
  'AWS::EC2::Route': ['RouteTableId', 'DestinationCidrBlock', 'DestinationIpv6CidrBlock', 'DestinationPrefixListId'],
  'AWS::EC2::RouteTable': ['VpcId'],
  'AWS::EC2::Subnet': ['VpcId', 'CidrBlock', 'AvailabilityZone'],
  'AWS::EC2::VPC': ['CidrBlock', 'Ipv4IpamPoolId', 'Ipv4NetmaskLength'],
  'AWS::EC2::TransitGatewayRouteTableAssociation': ['TransitGatewayAttachmentId', 'TransitGatewayRouteTableId'],
  'AWS::EC2::TransitGatewayRouteTablePropagation': ['TransitGatewayAttachmentId', 'TransitGatewayRouteTableId'],
  'AWS::EC2::TransitGatewayAttachment': ['TransitGatewayId', 'VpcId'],
};

/** The stacks of `app`, synthesized, in assembly order. */
export function stacksOf(app: App): DeployedStack[] {
  const assembly = app.synth();
  return assembly.stacks.map((stack) => ({
    stackName: stack.stackName,
    template: stack.template,
    dependencies: stack.dependencies.filter((d): d is CloudFormationStackArtifact => d instanceof CloudFormationStackArtifact).map((d) => d.stackName),
  }));
}

/** Deploy `after` over `before` as `cdk deploy --all` would. */
export function simulateDeployAll(before: DeployedStack[], after: DeployedStack[]): DeploySimulation {
  const deployed = new Map<string, any>(before.map((s) => [s.stackName, s.template]));
  const order = deployOrder(after);
  const problems: string[] = [];
  const replaced: string[] = [];
  for (const name of order) {
    const next = after.find((s) => s.stackName === name)!.template;
    const previous = deployed.get(name);

    for (const imported of importsOf(next)) {
      if (!exporterOf(deployed, imported, name)) {
        problems.push(`${name} imports ${imported}, which no deployed stack exports`);
      }
    }
    for (const read of stackValueReads(next)) {
      const producer = deployed.get(read.stackName);
      const missing = read.logicalIds.filter((id) => producer?.Resources?.[id] === undefined);
      if (missing.length > 0) {
        problems.push(`${name} reads ${missing.join(', ')} of stack ${read.stackName}, which ${producer ? 'has no such resource' : 'is not deployed'}`);
      }
    }
    const oldExports = exportsOf(previous);
    const newExports = exportsOf(next);
    for (const [exportName, value] of oldExports) {
      const changed = !newExports.has(exportName) || JSON.stringify(newExports.get(exportName)) !== JSON.stringify(value);
      if (!changed) { continue; }
      for (const [other, template] of deployed) {
        if (other !== name && importsOf(template).includes(exportName)) {
          problems.push(`${name} cannot ${newExports.has(exportName) ? 'change' : 'remove'} export ${exportName}: stack ${other} imports it`);
        }
      }
    }
    if (previous) {
      for (const [logicalId, resource] of Object.entries<any>(previous.Resources ?? {})) {
        const updated = next.Resources?.[logicalId];
        if (!updated) { continue; }
        if (updated.Type !== resource.Type) {
          problems.push(`${name}/${logicalId}: CloudFormation refuses to change a resource's type (${resource.Type} to ${updated.Type})`);
          continue;
        }
        for (const property of REPLACED_BY[resource.Type] ?? []) {
          const was = canonical(resource.Properties?.[property], name, previous, deployed);
          const is = canonical(updated.Properties?.[property], name, next, deployed);
          if (JSON.stringify(was) !== JSON.stringify(is)) { replaced.push(`${name}/${logicalId}`); break; }
        }
      }
    }
    deployed.set(name, next);
  }
  return { order, problems, replaced };
}

/** Dependencies first, else assembly order (the CLI's order with one stack at a time). */
function deployOrder(stacks: DeployedStack[]): string[] {
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (stack: DeployedStack): void => {
    if (order.includes(stack.stackName)) { return; }
    if (visiting.has(stack.stackName)) { throw new Error(`dependency cycle through ${stack.stackName}`); }
    visiting.add(stack.stackName);
    for (const dependency of stack.dependencies) {
      const found = stacks.find((s) => s.stackName === dependency);
      if (found) { visit(found); }
    }
    order.push(stack.stackName);
  };
  stacks.forEach(visit);
  return order;
}

function exportsOf(template: any): Map<string, unknown> {
  const found = new Map<string, unknown>();
  for (const output of Object.values<any>(template?.Outputs ?? {})) {
    if (typeof output.Export?.Name === 'string') { found.set(output.Export.Name, output.Value); }
  }
  return found;
}

function exporterOf(deployed: Map<string, any>, exportName: string, except: string): { stackName: string; value: unknown } | undefined {
  for (const [stackName, template] of deployed) {
    if (stackName === except) { continue; }
    const exports = exportsOf(template);
    if (exports.has(exportName)) { return { stackName, value: exports.get(exportName) }; }
  }
  return undefined;
}

function importsOf(template: any): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) { value.forEach(walk); return; }
    if (value === null || typeof value !== 'object') { return; }
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Fn::ImportValue' && typeof inner === 'string') { found.push(inner); } else { walk(inner); }
    }
  };
  walk(template?.Resources);
  walk(template?.Outputs);
  return found;
}

function stackValueReads(template: any): Array<{ stackName: string; logicalIds: string[] }> {
  return Object.values<any>(template?.Resources ?? {})
    .filter((r) => r.Type === 'Custom::VpcConnectStackValues')
    .map((r) => ({ stackName: r.Properties.StackName, logicalIds: Object.values<string>(r.Properties.Values) }));
}

/** `value` with each reference to a resource written `{ ref: '<stack>/<logicalId>' }`, wherever the resource is. */
function canonical(value: unknown, stackName: string, template: any, deployed: Map<string, any>): unknown {
  if (Array.isArray(value)) { return value.map((v) => canonical(v, stackName, template, deployed)); }
  if (value === null || typeof value !== 'object') { return value; }
  const entries = Object.entries(value);
  if (entries.length === 1) {
    const [key, inner] = entries[0] as [string, any];
    if (key === 'Ref' && typeof inner === 'string' && template?.Resources?.[inner]) { return { ref: `${stackName}/${inner}` }; }
    if (key === 'Fn::ImportValue' && typeof inner === 'string') {
      const exporter = exporterOf(deployed, inner, stackName);
      return exporter ? canonical(exporter.value, exporter.stackName, deployed.get(exporter.stackName), deployed) : { import: inner };
    }
    if (key === 'Fn::GetAtt' && Array.isArray(inner) && template?.Resources?.[inner[0]]?.Type === 'Custom::VpcConnectStackValues') {
      const props = template.Resources[inner[0]].Properties;
      return { ref: `${props.StackName}/${props.Values[inner[1]]}` };
    }
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v, stackName, template, deployed)]));
}
