/**
 * The templates the network model is built from, with the names of their resources, and the
 * intrinsic functions the model understands. Pure: no CDK imports.
 */

/** One stack's template and what is known of it. */
export interface StackTemplate {
  /** How the model names the stack (artifact id, or the key given to `fromTemplates`). */
  readonly name: string;
  /** The deployed stack name (for `AWS::StackName` and export names). */
  readonly stackName: string;
  /** The parsed template. */
  readonly template: CfnTemplate;
  /** The stack's region, when known. */
  readonly region?: string;
  /** The stack's account, when known. */
  readonly account?: string;
  /** The construct path of each logical id, when known (from outside the template). */
  readonly paths: Map<string, string>;
  /**
   * For a nested stack: the `AWS::CloudFormation::Stack` resource of its parent stack that
   * creates it (its `Parameters` feed the nested stack's parameters; the parent reads its
   * outputs as `Fn::GetAtt [resource, 'Outputs.X']`).
   */
  readonly parent?: { readonly stack: string; readonly logicalId: string };
}

/** The CloudFormation type of a nested stack resource. */
export const NESTED_STACK_TYPE = 'AWS::CloudFormation::Stack';

/** The type of cdk-vpc-connect's reads of another stack's physical ids (`StackValues`). */
export const STACK_VALUES_TYPE = 'Custom::VpcConnectStackValues';

/** The parts of a CloudFormation template the model reads. */
export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResourceJson>;
  readonly Outputs?: Record<string, { Value?: unknown; Export?: { Name?: unknown } }>;
  readonly Parameters?: Record<string, { Type?: string; Default?: unknown }>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  readonly Conditions?: Record<string, unknown>;
}

/** A resource of a template. */
export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

/** A reference to a resource of the templates. */
export class ResourceRef {
  constructor(
    /** The stack (model name). */
    public readonly stack: string,
    /** The logical id. */
    public readonly logicalId: string,
  ) {}

  /** `<stack>/<logicalId>`: the key of the resource in the model. */
  public get key(): string {
    return `${this.stack}/${this.logicalId}`;
  }
}

/** A value the templates do not reveal (a parameter, an SSM value, a deploy-time attribute). */
export class Unknown {
  constructor(
    /** Why it is not known, in plain words. */
    public readonly reason: string,
    /** A readable rendering, with the unknown parts as `${...}`. */
    public readonly text: string,
  ) {}
}

/** A resolved template value. */
export type Value = string | number | boolean | null | undefined | ResourceRef | Unknown | Value[] | { [key: string]: Value };

/** The intrinsic functions the resolver understands. */
const KNOWN_FUNCTIONS = new Set([
  'Ref', 'Fn::GetAtt', 'Fn::ImportValue', 'Fn::Select', 'Fn::Join', 'Fn::Sub', 'Fn::GetAZs', 'Fn::Cidr',
  'Fn::If', 'Fn::FindInMap', 'Fn::Split', 'Fn::Base64', 'Fn::Length', 'Fn::ToJsonString',
]);

/** Pseudo parameters that are not known from a template without its environment. */
const PSEUDO = new Set(['AWS::AccountId', 'AWS::Region', 'AWS::Partition', 'AWS::URLSuffix', 'AWS::StackName', 'AWS::StackId', 'AWS::NotificationARNs', 'AWS::NoValue']);

/**
 * Resolves the intrinsic functions of the templates: Ref and Fn::GetAtt to the resources of the
 * templates, Fn::ImportValue through the Outputs' export names, aws-cdk-lib's cross-region
 * references (its export reader and writer custom resources), Fn::Select / Join / Sub / Split /
 * FindInMap / Cidr over known values. Parameters, SSM dynamic references and deploy-time
 * attributes become {@link Unknown}. An intrinsic it does not know throws, naming where.
 */
export class TemplateResolver {
  private readonly stacks = new Map<string, StackTemplate>();
  /** Nested stacks by the key of the parent's resource that creates them. */
  private readonly nested = new Map<string, StackTemplate>();
  private exports?: Map<string, { stack: StackTemplate; value: unknown }>;
  private crossRegionExports?: Map<string, { stack: StackTemplate; value: unknown }>;

  constructor(stacks: StackTemplate[]) {
    for (const stack of stacks) {
      if (this.stacks.has(stack.name)) {
        throw new Error(`Two stacks are named '${stack.name}': stack names must be unique in one network model.`);
      }
      this.stacks.set(stack.name, stack);
    }
    for (const stack of stacks) {
      if (!stack.parent) { continue; }
      const parent = this.stacks.get(stack.parent.stack);
      if (parent?.template.Resources?.[stack.parent.logicalId]?.Type !== NESTED_STACK_TYPE) {
        throw new Error(`Nested stack '${stack.name}': its parent ${stack.parent.stack}/${stack.parent.logicalId} is not an ${NESTED_STACK_TYPE} resource of the model.`);
      }
      this.nested.set(new ResourceRef(stack.parent.stack, stack.parent.logicalId).key, stack);
    }
  }

  /** The nested stack an `AWS::CloudFormation::Stack` resource creates, when its template is in the model. */
  public nestedStack(ref: ResourceRef): StackTemplate | undefined {
    return this.nested.get(ref.key);
  }

  /** Every stack. */
  public get all(): StackTemplate[] {
    return [...this.stacks.values()];
  }

  /** A stack by model name. */
  public stack(name: string): StackTemplate {
    const stack = this.stacks.get(name);
    if (!stack) { throw new Error(`No stack named '${name}' in the network model.`); }
    return stack;
  }

  /** The resource behind a reference, if it exists. */
  public resource(ref: ResourceRef): CfnResourceJson | undefined {
    return this.stacks.get(ref.stack)?.template.Resources?.[ref.logicalId];
  }

  /**
   * Resolve `value`, found in property `where` of resource `logicalId` of `stack`.
   */
  public resolve(stack: StackTemplate, logicalId: string, where: string, value: unknown): Value {
    return this.resolveIn({ stack, logicalId, where, depth: 0 }, value);
  }

  private resolveIn(ctx: Ctx, value: unknown): Value {
    if (ctx.depth > 50) {
      throw this.error(ctx, 'references nest more than 50 levels deep (a reference cycle?)');
    }
    if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') {
      return value as Value;
    }
    if (typeof value === 'string') {
      if (value.includes('{{resolve:')) {
        return new Unknown(`'${value}' is a dynamic reference, resolved only at deploy time`, value);
      }
      return value;
    }
    if (Array.isArray(value)) {
      return value.map((v) => this.resolveIn(ctx, v));
    }
    if (typeof value === 'object') {
      const keys = Object.keys(value as object);
      if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
        return this.intrinsic(ctx, keys[0], (value as Record<string, unknown>)[keys[0]]);
      }
      if (keys.length === 1 && keys[0].startsWith('Fn::') === false && keys[0] === 'Condition') {
        return new Unknown('a condition', '${Condition}');
      }
      const out: Record<string, Value> = {};
      for (const k of keys) { out[k] = this.resolveIn(ctx, (value as Record<string, unknown>)[k]); }
      return out;
    }
    return String(value);
  }

  private intrinsic(ctx: Ctx, fn: string, arg: unknown): Value {
    if (!KNOWN_FUNCTIONS.has(fn)) {
      throw this.error(ctx, `uses the intrinsic function '${fn}', which the network model does not understand ` +
        `(it understands ${[...KNOWN_FUNCTIONS].join(', ')})`);
    }
    const inner = { ...ctx, depth: ctx.depth + 1 };
    switch (fn) {
      case 'Ref': return this.ref(inner, arg);
      case 'Fn::GetAtt': return this.getAtt(inner, arg);
      case 'Fn::ImportValue': return this.importValue(inner, arg);
      case 'Fn::GetAZs': return new Unknown('the availability zones of the region', '${AZs}');
      case 'Fn::Select': {
        if (!Array.isArray(arg) || arg.length !== 2) { throw this.error(ctx, `has a malformed Fn::Select: ${JSON.stringify(arg)}`); }
        const index = this.resolveIn(inner, arg[0]);
        const list = this.resolveIn(inner, arg[1]);
        if (list instanceof Unknown) { return new Unknown(list.reason, `\${Select(${String(index)}, ${list.text})}`); }
        if (typeof index !== 'number' && typeof index !== 'string') { return new Unknown('an index not known from the template', '${Select}'); }
        if (!Array.isArray(list)) { throw this.error(ctx, `has an Fn::Select over something that is not a list: ${JSON.stringify(arg)}`); }
        const item = list[Number(index)];
        if (item === undefined) { throw this.error(ctx, `has an Fn::Select index ${index} outside its list of ${list.length}`); }
        return item;
      }
      case 'Fn::Join': {
        if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string') { throw this.error(ctx, `has a malformed Fn::Join: ${JSON.stringify(arg)}`); }
        const parts = this.resolveIn(inner, arg[1]);
        if (parts instanceof Unknown) { return parts; }
        if (!Array.isArray(parts)) { throw this.error(ctx, `has an Fn::Join over something that is not a list: ${JSON.stringify(arg)}`); }
        return joinValues(arg[0], parts);
      }
      case 'Fn::Split': {
        if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string') { throw this.error(ctx, `has a malformed Fn::Split: ${JSON.stringify(arg)}`); }
        const text = this.resolveIn(inner, arg[1]);
        if (typeof text !== 'string') { return unknownOf(text, 'a value split at deploy time'); }
        return text.split(arg[0]);
      }
      case 'Fn::Sub': return this.sub(inner, arg);
      case 'Fn::Cidr': {
        if (!Array.isArray(arg) || arg.length !== 3) { throw this.error(ctx, `has a malformed Fn::Cidr: ${JSON.stringify(arg)}`); }
        const [block, count, bits] = arg.map((a) => this.resolveIn(inner, a));
        if (typeof block !== 'string' || (typeof count !== 'number' && typeof count !== 'string') || (typeof bits !== 'number' && typeof bits !== 'string')) {
          return unknownOf([block, count, bits].find((v) => v instanceof Unknown), 'an Fn::Cidr over a block known only at deploy time');
        }
        const cidrs = fnCidr(block, Number(count), Number(bits));
        if (typeof cidrs === 'string') { throw this.error(ctx, `has an Fn::Cidr that fails: ${cidrs}`); }
        return cidrs;
      }
      case 'Fn::FindInMap': {
        if (!Array.isArray(arg) || arg.length < 3) { throw this.error(ctx, `has a malformed Fn::FindInMap: ${JSON.stringify(arg)}`); }
        const [map, k1, k2] = arg.slice(0, 3).map((a) => this.resolveIn(inner, a));
        if (typeof map !== 'string' || typeof k1 !== 'string' || typeof k2 !== 'string') {
          return unknownOf([map, k1, k2].find((v) => v instanceof Unknown), 'a mapping key known only at deploy time');
        }
        const found = ctx.stack.template.Mappings?.[map]?.[k1]?.[k2];
        if (found === undefined) { throw this.error(ctx, `has an Fn::FindInMap of ${map}.${k1}.${k2}, which the Mappings do not hold`); }
        return this.resolveIn(inner, found);
      }
      case 'Fn::If': {
        const name = Array.isArray(arg) ? String(arg[0]) : '?';
        return new Unknown(`it depends on the template condition '${name}'`, `\${If(${name})}`);
      }
      default:
        // Fn::Base64, Fn::Length, Fn::ToJsonString: never a network value.
        return new Unknown(`${fn} is not evaluated by the network model`, `\${${fn}}`);
    }
  }

  private ref(ctx: Ctx, arg: unknown): Value {
    if (typeof arg !== 'string') { throw this.error(ctx, `has a malformed Ref: ${JSON.stringify(arg)}`); }
    if (PSEUDO.has(arg)) { return this.pseudo(ctx.stack, arg); }
    if (ctx.stack.template.Resources?.[arg]) { return new ResourceRef(ctx.stack.name, arg); }
    const parameter = ctx.stack.template.Parameters?.[arg];
    if (parameter && ctx.stack.parent) {
      // A nested stack's parameter: the value its parent passes in the nested stack resource's Parameters.
      const parent = this.stacks.get(ctx.stack.parent.stack)!;
      const passed = parent.template.Resources?.[ctx.stack.parent.logicalId]?.Properties?.Parameters as Record<string, unknown> | undefined;
      if (passed !== null && typeof passed === 'object' && passed[arg] !== undefined) {
        return this.resolveIn({ stack: parent, logicalId: ctx.stack.parent.logicalId, where: `Parameters.${arg}`, depth: ctx.depth + 1 }, passed[arg]);
      }
    }
    if (parameter) {
      return new Unknown(`it is the value of parameter '${arg}' of stack ${ctx.stack.name}, known only at deploy time`, `\${${arg}}`);
    }
    throw this.error(ctx, `has a Ref to '${arg}', which is neither a resource nor a parameter of the stack`);
  }

  private pseudo(stack: StackTemplate, name: string): Value {
    switch (name) {
      case 'AWS::Region': return stack.region ?? new Unknown(`the region of stack ${stack.name} is not known`, '${AWS::Region}');
      case 'AWS::AccountId': return stack.account ?? new Unknown(`the account of stack ${stack.name} is not known`, '${AWS::AccountId}');
      case 'AWS::StackName': return stack.parent
        ? new Unknown(`the name of the nested stack ${stack.name} is chosen by CloudFormation at deploy time`, '${AWS::StackName}')
        : stack.stackName;
      case 'AWS::NoValue': return undefined;
      case 'AWS::Partition': return 'aws';
      case 'AWS::URLSuffix': return 'amazonaws.com';
      default: return new Unknown(`${name} is known only at deploy time`, `\${${name}}`);
    }
  }

  private getAtt(ctx: Ctx, arg: unknown): Value {
    let logicalId: unknown;
    let attribute: unknown;
    if (Array.isArray(arg) && arg.length === 2) {
      [logicalId, attribute] = arg;
    } else if (typeof arg === 'string' && arg.includes('.')) {
      [logicalId, attribute] = [arg.slice(0, arg.indexOf('.')), arg.slice(arg.indexOf('.') + 1)];
    } else {
      throw this.error(ctx, `has a malformed Fn::GetAtt: ${JSON.stringify(arg)}`);
    }
    if (typeof logicalId !== 'string') { throw this.error(ctx, `has a malformed Fn::GetAtt: ${JSON.stringify(arg)}`); }
    const resource = ctx.stack.template.Resources?.[logicalId];
    if (!resource) { throw this.error(ctx, `has an Fn::GetAtt of '${logicalId}', which is not a resource of the stack`); }
    const attr = this.resolveIn(ctx, attribute);
    if (typeof attr !== 'string') {
      return new Unknown(`an attribute of ${logicalId} chosen at deploy time`, `\${${logicalId}.?}`);
    }
    const ref = new ResourceRef(ctx.stack.name, logicalId);
    const props = resource.Properties ?? {};
    const self = { ...ctx, logicalId, where: attr, depth: ctx.depth + 1 };
    // aws-cdk-lib's cross-region references: the reader's attribute named after the SSM parameter.
    if (resource.Type === 'Custom::CrossRegionExportReader') {
      return this.crossRegionImport(ctx, attr);
    }
    // cdk-vpc-connect's reads of another stack's physical ids (in place of imports): the resource read.
    if (resource.Type === STACK_VALUES_TYPE) {
      return this.stackValue(ctx, props, attr);
    }
    // A nested stack's output, read by its parent.
    if (resource.Type === NESTED_STACK_TYPE && attr.startsWith('Outputs.')) {
      const outputId = attr.slice('Outputs.'.length);
      const nested = this.nested.get(ref.key);
      if (!nested) {
        return new Unknown(`it is output ${outputId} of the nested stack ${logicalId}, whose template is not in the model`, `\${${logicalId}.${attr}}`);
      }
      const output = nested.template.Outputs?.[outputId];
      if (!output) { throw this.error(ctx, `reads output ${outputId} of the nested stack ${nested.name}, which has no such output`); }
      return this.resolveIn({ stack: nested, logicalId: `Outputs.${outputId}`, where: 'Value', depth: ctx.depth + 1 }, output.Value);
    }
    if (attr === 'Id' || attr === 'VpcId' || attr === 'SubnetId' || attr === 'RouteTableId' || attr === 'AllocationId'
      || attr === 'TransitGatewayId' || attr === 'TransitGatewayRouteTableId' || attr === 'TransitGatewayAttachmentId'
      || attr === 'InternetGatewayId' || attr === 'NatGatewayId' || attr === 'VpcEndpointId' || attr === 'PrefixListId') {
      return ref;
    }
    if (attr === 'CidrBlock' && (resource.Type === 'AWS::EC2::VPC' || resource.Type === 'AWS::EC2::Subnet')) {
      return this.resolveIn(self, props.CidrBlock) ?? new Unknown(`the CIDR block of ${logicalId} is assigned at deploy time`, `\${${logicalId}.CidrBlock}`);
    }
    if (attr === 'Ipv6CidrBlock' && resource.Type === 'AWS::EC2::VPCCidrBlock' && props.Ipv6CidrBlock !== undefined) {
      return this.resolveIn(self, props.Ipv6CidrBlock);
    }
    return new Unknown(`${logicalId}.${attr} is known only at deploy time`, `\${${logicalId}.${attr}}`);
  }

  private importValue(ctx: Ctx, arg: unknown): Value {
    const name = this.resolveIn(ctx, arg);
    if (typeof name !== 'string') {
      return new Unknown('an Fn::ImportValue whose export name is known only at deploy time', '${ImportValue}');
    }
    const found = this.exportsByName().get(name);
    if (!found) {
      return new Unknown(`it imports '${name}', which no stack of the app exports`, `\${ImportValue(${name})}`);
    }
    return this.resolveIn({ stack: found.stack, logicalId: `Outputs.${name}`, where: 'Value', depth: ctx.depth + 1 }, found.value);
  }

  private crossRegionImport(ctx: Ctx, parameter: string): Value {
    const found = this.crossRegionByName().get(parameter);
    if (!found) {
      return new Unknown(`it reads the cross-region reference '${parameter}', which no stack of the app writes`, `\${${parameter}}`);
    }
    return this.resolveIn({ stack: found.stack, logicalId: `ExportsWriter.${parameter}`, where: 'Value', depth: ctx.depth + 1 }, found.value);
  }

  private sub(ctx: Ctx, arg: unknown): Value {
    let text: unknown;
    let vars: Record<string, unknown> = {};
    if (typeof arg === 'string') {
      text = arg;
    } else if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === 'string' && typeof arg[1] === 'object') {
      [text, vars] = arg as [string, Record<string, unknown>];
    } else {
      throw this.error(ctx, `has a malformed Fn::Sub: ${JSON.stringify(arg)}`);
    }
    const parts: Value[] = [];
    const pattern = /\$\{([^}]*)\}/g;
    let last = 0;
    for (let m = pattern.exec(text as string); m; m = pattern.exec(text as string)) {
      parts.push((text as string).slice(last, m.index));
      last = m.index + m[0].length;
      const name = m[1];
      if (name.startsWith('!')) { parts.push('${' + name.slice(1) + '}'); continue; }
      if (name in vars) { parts.push(this.resolveIn(ctx, vars[name])); continue; }
      if (name.includes('.') && !PSEUDO.has(name)) {
        parts.push(this.getAtt(ctx, name));
      } else {
        parts.push(this.ref(ctx, name));
      }
    }
    parts.push((text as string).slice(last));
    return joinValues('', parts);
  }

  private exportsByName(): Map<string, { stack: StackTemplate; value: unknown }> {
    if (!this.exports) {
      this.exports = new Map();
      for (const stack of this.stacks.values()) {
        for (const [outputId, output] of Object.entries(stack.template.Outputs ?? {})) {
          if (output?.Export?.Name === undefined) { continue; }
          const name = this.resolve(stack, `Outputs.${outputId}`, 'Export.Name', output.Export.Name);
          if (typeof name === 'string') { this.exports.set(name, { stack, value: output.Value }); }
        }
      }
    }
    return this.exports;
  }

  /**
   * Attribute `attr` of a `Custom::VpcConnectStackValues` (cdk-vpc-connect's `StackValues`): the
   * physical id of the resource `Values[attr]` of the stack `StackName` of the same account and
   * region, as a reference to that resource.
   */
  private stackValue(ctx: Ctx, props: Record<string, unknown>, attr: string): Value {
    const stackName = props.StackName;
    const logicalId = (props.Values as Record<string, unknown> | undefined)?.[attr];
    if (typeof stackName !== 'string' || typeof logicalId !== 'string') {
      throw this.error(ctx, `reads ${attr} of a Custom::VpcConnectStackValues without a literal StackName and Values.${attr}`);
    }
    const producer = [...this.stacks.values()].find((s) => s.stackName === stackName && !s.parent
      && (s.account === undefined || ctx.stack.account === undefined || s.account === ctx.stack.account)
      && (s.region === undefined || ctx.stack.region === undefined || s.region === ctx.stack.region));
    if (!producer) {
      return new Unknown(`it is read from stack ${stackName}, which is not in the model`, `\${${stackName}.${logicalId}}`);
    }
    if (!producer.template.Resources?.[logicalId]) {
      throw this.error(ctx, `reads resource ${logicalId} of stack ${stackName}, which has no such resource`);
    }
    return new ResourceRef(producer.name, logicalId);
  }

  private crossRegionByName(): Map<string, { stack: StackTemplate; value: unknown }> {
    if (!this.crossRegionExports) {
      this.crossRegionExports = new Map();
      for (const stack of this.stacks.values()) {
        for (const resource of Object.values(stack.template.Resources ?? {})) {
          if (resource.Type !== 'Custom::CrossRegionExportWriter') { continue; }
          const writerProps = resource.Properties?.WriterProps as { exports?: Record<string, unknown> } | undefined;
          for (const [name, value] of Object.entries(writerProps?.exports ?? {})) {
            this.crossRegionExports.set(name, { stack, value });
          }
        }
      }
    }
    return this.crossRegionExports;
  }

  private error(ctx: Ctx, what: string): Error {
    return new Error(`Stack ${ctx.stack.name}, ${ctx.logicalId.startsWith('Outputs.') ? 'output' : 'resource'} ` +
      `${ctx.logicalId}${ctx.logicalId.startsWith('Outputs.') ? '' : ` (${ctx.stack.template.Resources?.[ctx.logicalId]?.Type ?? '?'})`}, ${ctx.where}: ${what}.`);
  }
}

interface Ctx {
  readonly stack: StackTemplate;
  readonly logicalId: string;
  readonly where: string;
  readonly depth: number;
}

function joinValues(separator: string, parts: Value[]): Value {
  if (parts.every((p) => typeof p === 'string' || typeof p === 'number' || p === undefined)) {
    return parts.filter((p) => p !== undefined).join(separator);
  }
  const unknown = parts.find((p) => p instanceof Unknown) as Unknown | undefined;
  const text = parts.map((p) => (typeof p === 'string' || typeof p === 'number' ? String(p)
    : p instanceof Unknown ? p.text : p instanceof ResourceRef ? `\${${p.logicalId}}` : '${?}')).join(separator);
  return new Unknown(unknown?.reason ?? 'it joins a resource id known only at deploy time', text);
}

function unknownOf(value: Value | undefined, reason: string): Unknown {
  return value instanceof Unknown ? value : new Unknown(reason, '${?}');
}

/** CloudFormation's Fn::Cidr over a literal block: `count` blocks of `bits` host bits. */
function fnCidr(block: string, count: number, bits: number): string[] | string {
  const slash = block.indexOf('/');
  if (slash < 0) { return `'${block}' is not a CIDR block`; }
  const ipv6 = block.includes(':');
  const total = ipv6 ? 128 : 32;
  const prefix = total - bits;
  const base = ipv6 ? parseIpv6(block.slice(0, slash)) : parseIpv4(block.slice(0, slash));
  if (base === undefined || prefix < Number(block.slice(slash + 1)) || count < 1) {
    return `cannot cut ${count} blocks of ${bits} host bits from ${block}`;
  }
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const network = base + (BigInt(i) << BigInt(bits));
    out.push(`${ipv6 ? formatIpv6(network) : formatIpv4(network)}/${prefix}`);
  }
  return out;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) { return undefined; }
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) { return undefined; }
  const head = halves[0] === '' ? [] : halves[0].split(':');
  const tail = halves.length === 2 && halves[1] !== '' ? halves[1].split(':') : [];
  const all = halves.length === 2 ? [...head, ...Array(8 - head.length - tail.length).fill('0'), ...tail] : head;
  if (all.length !== 8 || all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) { return undefined; }
  return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

function formatIpv6(value: bigint): string {
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) { groups.push(((value >> BigInt(i * 16)) & 0xffffn).toString(16)); }
  return groups.join(':');
}
