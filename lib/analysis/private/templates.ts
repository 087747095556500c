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
  /**
   * Values given for the template's parameters (`NetworkModelOptions.parameters`, the CLI's
   * `--parameters`): they win over the parameters' `Default`.
   */
  readonly parameters?: { readonly [key: string]: string };
  /** The file the template was read from, when it was read from a file. */
  readonly file?: string;
}

/** The CloudFormation type of a nested stack resource. */
export const NESTED_STACK_TYPE = 'AWS::CloudFormation::Stack';

/**
 * cdk-vpc-connect's lookup of a hub's transit gateway and segment route tables by their tags
 * (`TransitGatewaySpoke`, `TransitGatewayPeering`; lib/transit/private/transit-custom-resources.ts):
 * its attributes `TransitGatewayId` and `RouteTableId.<segment>` resolve to the hub's resources
 * of the templates that carry the same tags, so the model sees one gateway.
 */
export const TRANSIT_LOOKUP_TYPE = 'Custom::TransitGatewayLookup';
/** The tag that names the hub on its gateway and route tables (`HUB_TAG_KEY` of lib/transit). */
export const HUB_TAG_KEY = 'cdk-vpc-connect:hub';
/** The tag that names the segment of a hub's route table (`SEGMENT_TAG_KEY` of lib/transit). */
export const SEGMENT_TAG_KEY = 'cdk-vpc-connect:segment';

/** The type of cdk-vpc-connect's reads of another stack's physical ids (`StackValues`). */
export const STACK_VALUES_TYPE = 'Custom::VpcConnectStackValues';

/** The parts of a CloudFormation template the model reads. */
export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResourceJson>;
  readonly Outputs?: Record<string, { Value?: unknown; Export?: { Name?: unknown }; Condition?: string }>;
  readonly Parameters?: Record<string, { Type?: string; Default?: unknown; AllowedValues?: unknown[] }>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  readonly Conditions?: Record<string, unknown>;
}

/** A resource of a template. */
export interface CfnResourceJson {
  readonly Type: string;
  readonly Condition?: string;
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
    /**
     * A stable identity: two unknowns with the same `id` are the same value at deploy time
     * (the same parameter of the same stack, the same index of the same list...), so they
     * compare equal although neither is known. Undefined: equal to nothing.
     */
    public readonly id?: string,
    /** The resource whose deploy-time attribute this is (or is taken from), when there is one. */
    public readonly source?: ResourceRef,
  ) {}
}

/** Whether two resolved values are the same at deploy time: `true`, `false`, or `undefined` when it cannot be told. */
export function sameValue(a: Value, b: Value): boolean | undefined {
  if (a instanceof Unknown || b instanceof Unknown) {
    return a instanceof Unknown && b instanceof Unknown && a.id !== undefined && a.id === b.id ? true : undefined;
  }
  if (a instanceof ResourceRef || b instanceof ResourceRef) {
    return a instanceof ResourceRef && b instanceof ResourceRef ? a.key === b.key : undefined;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) { return false; }
    if (a.length !== b.length) { return false; }
    let all: boolean | undefined = true;
    for (let i = 0; i < a.length; i++) {
      const same = sameValue(a[i], b[i]);
      if (same === false) { return false; }
      if (same === undefined) { all = undefined; }
    }
    return all;
  }
  if (a !== null && typeof a === 'object' || b !== null && typeof b === 'object') {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  return String(a) === String(b);
}

/** A resolved template value. */
export type Value = string | number | boolean | null | undefined | ResourceRef | Unknown | Value[] | { [key: string]: Value };

/** The intrinsic functions the resolver understands. */
const KNOWN_FUNCTIONS = new Set([
  'Ref', 'Fn::GetAtt', 'Fn::ImportValue', 'Fn::Select', 'Fn::Join', 'Fn::Sub', 'Fn::GetAZs', 'Fn::Cidr',
  'Fn::If', 'Fn::FindInMap', 'Fn::Split', 'Fn::Base64', 'Fn::Length', 'Fn::ToJsonString',
  'Fn::Equals', 'Fn::Not', 'Fn::And', 'Fn::Or',
]);

/** The condition functions (in the Conditions section, and in Fn::If's first argument by name). */
const CONDITION_FUNCTIONS = new Set(['Fn::Equals', 'Fn::Not', 'Fn::And', 'Fn::Or', 'Condition']);

/** Marks a value that `AWS::NoValue` removes, while templates are simplified. */
const REMOVED = Symbol('removed');

/** A resource kept although its Condition is not known, and why. */
export interface UncertainCondition {
  readonly stack: string;
  readonly logicalId: string;
  readonly condition: string;
  readonly reason: string;
}

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
  /** Transit gateways and their route tables that carry a `cdk-vpc-connect:hub` tag (built once). */
  private hubResources?: Array<{ readonly ref: ResourceRef; readonly type: string; readonly region?: string; readonly hub: string; readonly segment?: string }>;
  /** Each stack's conditions evaluated so far (`Unknown` when they depend on a value not known). */
  private readonly conditions = new Map<string, Map<string, boolean | Unknown>>();
  /** Resources (`<stack>/<logicalId>`) removed because their Condition is false, with the condition. */
  private readonly removed = new Map<string, string>();
  /** Resources kept although whether their Condition holds is not known. */
  public readonly uncertainConditions: UncertainCondition[] = [];
  private plain?: boolean;

  constructor(stacks: StackTemplate[]) {
    for (const stack of stacks) {
      if (this.stacks.has(stack.name)) {
        throw new Error(`Two stacks are named '${stack.name}': stack names must be unique in one network model.`);
      }
      this.stacks.set(stack.name, stack);
    }
    // Conditions evaluated once: resources and outputs whose condition is false are removed,
    // Fn::If with a known condition becomes its branch, AWS::NoValue removes what holds it.
    // (Evaluated over the templates as given: conditions read only parameters, pseudo parameters and mappings.)
    const simplified = stacks.map((stack) => this.simplify(stack));
    for (const stack of simplified) { this.stacks.set(stack.name, stack); }
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

  /**
   * Whether the stacks come from plain CloudFormation templates, not from a CDK app: no stack
   * has construct paths, none has aws-cdk-lib's bootstrap version parameter or rule, and no
   * resource carries `aws:cdk:path` or `aws:asset:path` metadata or is `AWS::CDK::Metadata`.
   */
  public get plainTemplates(): boolean {
    if (this.plain === undefined) {
      this.plain = [...this.stacks.values()].every((stack) => {
        const template = stack.template as CfnTemplate & { Rules?: Record<string, unknown> };
        if (stack.paths.size > 0 || template.Parameters?.BootstrapVersion !== undefined || template.Rules?.CheckBootstrapVersion !== undefined) { return false; }
        return Object.values(template.Resources ?? {}).every((resource) => resource?.Type !== 'AWS::CDK::Metadata'
          && typeof resource?.Metadata?.['aws:cdk:path'] !== 'string' && typeof resource?.Metadata?.['aws:asset:path'] !== 'string');
      });
    }
    return this.plain;
  }

  /** The template with its conditions applied (see the constructor). */
  private simplify(stack: StackTemplate): StackTemplate {
    const template = stack.template;
    if (template === null || typeof template !== 'object') { return stack; }
    const hasConditions = template.Conditions !== undefined && Object.keys(template.Conditions).length > 0;
    if (!hasConditions && !JSON.stringify(template.Resources ?? {}).includes('AWS::NoValue')) { return stack; }
    const resources: Record<string, CfnResourceJson> = {};
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      if (resource === null || typeof resource !== 'object') { resources[logicalId] = resource; continue; }
      const ctx: Ctx = { stack, logicalId, where: 'Condition', depth: 0 };
      if (resource.Condition !== undefined) {
        const holds = this.condition(ctx, resource.Condition);
        if (holds === false) {
          this.removed.set(`${stack.name}/${logicalId}`, String(resource.Condition));
          continue;
        }
        if (holds instanceof Unknown) {
          this.uncertainConditions.push({ stack: stack.name, logicalId, condition: String(resource.Condition), reason: holds.reason });
        }
      }
      const properties = resource.Properties === undefined ? undefined
        : this.prune({ ...ctx, where: 'Properties' }, resource.Properties);
      resources[logicalId] = { ...resource, Properties: properties === REMOVED ? undefined : properties as Record<string, unknown> | undefined };
    }
    const outputs: NonNullable<CfnTemplate['Outputs']> = {};
    for (const [outputId, output] of Object.entries(template.Outputs ?? {})) {
      const ctx: Ctx = { stack, logicalId: `Outputs.${outputId}`, where: 'Condition', depth: 0 };
      if (output?.Condition !== undefined && this.condition(ctx, output.Condition) === false) { continue; }
      const pruned = output ? this.prune({ ...ctx, where: 'Value' }, output) : output;
      if (pruned !== REMOVED) { outputs[outputId] = pruned as typeof output; }
    }
    return { ...stack, template: { ...template, Resources: resources, Outputs: template.Outputs ? outputs : undefined } };
  }

  /** `value` with Fn::If of known conditions replaced by their branch and `AWS::NoValue` removed. */
  private prune(ctx: Ctx, value: unknown): unknown {
    if (Array.isArray(value)) {
      return value.map((v) => this.prune(ctx, v)).filter((v) => v !== REMOVED);
    }
    if (value === null || typeof value !== 'object') { return value; }
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    if (keys.length === 1 && keys[0] === 'Ref' && object.Ref === 'AWS::NoValue') { return REMOVED; }
    if (keys.length === 1 && keys[0] === 'Fn::If') {
      const arg = object['Fn::If'];
      if (Array.isArray(arg) && arg.length === 3 && typeof arg[0] === 'string') {
        const holds = this.condition(ctx, arg[0]);
        if (typeof holds === 'boolean') { return this.prune(ctx, holds ? arg[1] : arg[2]); }
        return { 'Fn::If': [arg[0], this.prune(ctx, arg[1]), this.prune(ctx, arg[2])] };
      }
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const pruned = this.prune(ctx, object[key]);
      if (pruned !== REMOVED) { out[key] = pruned; }
    }
    return out;
  }

  /** Whether condition `name` of `ctx.stack` holds; `Unknown` when it depends on a value not known. */
  private condition(ctx: Ctx, name: unknown): boolean | Unknown {
    const stack = ctx.stack;
    if (typeof name !== 'string') { throw this.error(ctx, `names a condition with something that is not a string: ${JSON.stringify(name)}`); }
    const cache = this.conditions.get(stack.name) ?? new Map<string, boolean | Unknown>();
    this.conditions.set(stack.name, cache);
    const known = cache.get(name);
    if (known !== undefined) { return known; }
    const definition = stack.template.Conditions?.[name];
    if (definition === undefined) {
      // CloudFormation rejects such a template; the model says so rather than guess.
      return new Unknown(`condition '${name}' is not defined in the Conditions of stack ${stack.name}`, `\${Condition(${name})}`);
    }
    if (ctx.depth > 50) { throw this.error(ctx, `conditions nest more than 50 levels deep (is condition '${name}' defined by itself?)`); }
    // A condition the model cannot evaluate (malformed, or with an intrinsic it does not know) is
    // unknown rather than an error: a resource of a type the model does not read must not stop
    // the analysis, and one it reads is reported as kept on an unknown condition.
    let value: boolean | Unknown;
    try {
      value = this.conditionValue({ stack, logicalId: `Conditions.${name}`, where: name, depth: ctx.depth + 1 }, definition);
    } catch (e) {
      value = new Unknown(`the model cannot evaluate it (${(e as Error).message.replace(/\.$/, '')})`, `\${Condition(${name})}`);
    }
    const result = value instanceof Unknown
      ? new Unknown(`whether condition '${name}' holds is not known: ${value.reason}`, `\${Condition(${name})}`, `condition:${stack.name}/${name}`)
      : value;
    cache.set(name, result);
    return result;
  }

  /** The value of a condition function (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition). */
  private conditionValue(ctx: Ctx, value: unknown): boolean | Unknown {
    if (typeof value === 'boolean') { return value; }
    if (value === 'true' || value === 'false') { return value === 'true'; }
    const keys = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
    if (keys.length !== 1 || !CONDITION_FUNCTIONS.has(keys[0])) {
      throw this.error(ctx, `is not a condition function (Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition): ${JSON.stringify(value)}`);
    }
    const fn = keys[0];
    const arg = (value as Record<string, unknown>)[fn];
    const inner = { ...ctx, depth: ctx.depth + 1 };
    if (fn === 'Condition') { return this.condition(inner, arg); }
    if (fn === 'Fn::Equals') {
      if (!Array.isArray(arg) || arg.length !== 2) { throw this.error(ctx, `has a malformed Fn::Equals: ${JSON.stringify(arg)}`); }
      const [a, b] = arg.map((v) => this.resolveIn(inner, v));
      const same = sameValue(a, b);
      if (same !== undefined) { return same; }
      const unknown = [a, b].find((v) => v instanceof Unknown) as Unknown | undefined;
      return new Unknown(unknown?.reason ?? 'it compares values known only at deploy time', `\${Equals}`);
    }
    const list = fn === 'Fn::Not' ? (Array.isArray(arg) && arg.length === 1 ? arg : undefined) : (Array.isArray(arg) && arg.length >= 1 ? arg : undefined);
    if (!list) { throw this.error(ctx, `has a malformed ${fn}: ${JSON.stringify(arg)}`); }
    const values = list.map((v) => this.conditionValue(inner, v));
    if (fn === 'Fn::Not') { return values[0] instanceof Unknown ? values[0] : !values[0]; }
    const decisive = fn === 'Fn::And' ? false : true;
    if (values.includes(decisive)) { return decisive; }
    return values.find((v) => v instanceof Unknown) ?? !decisive;
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
      // AWS::NoValue in a list removes the item.
      return value.filter((v) => !isNoValue(v)).map((v) => this.resolveIn(ctx, v));
    }
    if (typeof value === 'object') {
      const keys = Object.keys(value as object);
      if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
        return this.intrinsic(ctx, keys[0], (value as Record<string, unknown>)[keys[0]]);
      }
      // `{ Condition: name }` (a condition function's argument); not an IAM statement's Condition block.
      if (keys.length === 1 && keys[0] === 'Condition' && typeof (value as Record<string, unknown>).Condition === 'string') {
        return this.condition(ctx, (value as Record<string, unknown>).Condition);
      }
      const out: Record<string, Value> = {};
      for (const k of keys) {
        const resolved = this.resolveIn(ctx, (value as Record<string, unknown>)[k]);
        if (resolved !== undefined) { out[k] = resolved; }
      }
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
      case 'Fn::GetAZs': return new Unknown('the availability zones of the region', '${AZs}', `azs:${ctx.stack.region ?? ctx.stack.name}`);
      case 'Fn::Select': {
        if (!Array.isArray(arg) || arg.length !== 2) { throw this.error(ctx, `has a malformed Fn::Select: ${JSON.stringify(arg)}`); }
        const index = this.resolveIn(inner, arg[0]);
        const list = this.resolveIn(inner, arg[1]);
        if (list instanceof Unknown) {
          const id = list.id !== undefined && (typeof index === 'number' || typeof index === 'string') ? `select(${index},${list.id})` : undefined;
          return new Unknown(list.reason, `\${Select(${String(index)}, ${list.text})}`, id, list.source);
        }
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
        if (typeof text !== 'string') {
          const unknown = unknownOf(text, 'a value split at deploy time');
          return new Unknown(unknown.reason, unknown.text, unknown.id !== undefined ? `split(${JSON.stringify(arg[0])},${unknown.id})` : undefined, unknown.source);
        }
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
        if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') { throw this.error(ctx, `has a malformed Fn::If: ${JSON.stringify(arg)}`); }
        const holds = this.condition(inner, arg[0]);
        if (typeof holds === 'boolean') { return this.resolveIn(inner, holds ? arg[1] : arg[2]); }
        const [yes, no] = [this.resolveIn(inner, arg[1]), this.resolveIn(inner, arg[2])];
        if (sameValue(yes, no) === true) { return yes; }
        return new Unknown(`it depends on the template condition '${arg[0]}': ${holds.reason}`, `\${If(${arg[0]})}`,
          holds.id !== undefined ? `if(${holds.id},${JSON.stringify(arg.slice(1))})` : undefined);
      }
      case 'Fn::Equals':
      case 'Fn::Not':
      case 'Fn::And':
      case 'Fn::Or': {
        const holds = this.conditionValue(ctx, { [fn]: arg });
        return holds;
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
    const removedBy = this.removed.get(`${ctx.stack.name}/${arg}`);
    if (removedBy !== undefined) {
      throw this.error(ctx, `has a Ref to '${arg}', which its condition '${removedBy}' removes (it is false): ` +
        `refer to it only inside an Fn::If on '${removedBy}', or give the parameters that decide it other values`);
    }
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
      return this.parameterValue(ctx.stack, arg, parameter);
    }
    throw this.error(ctx, `has a Ref to '${arg}', which is neither a resource nor a parameter of the stack`);
  }

  /**
   * A parameter's value: the one given (`NetworkModelOptions.parameters`), else its `Default`,
   * else unknown (the same unknown for every reference to it). List types are split at commas;
   * an `AWS::SSM::Parameter::Value<...>` parameter is read from SSM at deploy time (its default is the SSM name).
   */
  private parameterValue(stack: StackTemplate, name: string, parameter: { Type?: string; Default?: unknown }): Value {
    const type = typeof parameter.Type === 'string' ? parameter.Type : 'String';
    const given = stack.parameters?.[name];
    if (type.startsWith('AWS::SSM::Parameter::Value<') && given === undefined) {
      return new Unknown(`parameter '${name}' of stack ${stack.name} is read from SSM Parameter Store at deploy time`, `\${${name}}`, `param:${stack.name}/${name}`);
    }
    const raw = given ?? (parameter.Default !== undefined && parameter.Default !== null ? parameter.Default : undefined);
    if (raw === undefined) {
      return new Unknown(`parameter '${name}' of stack ${stack.name} has no value given and no Default`, `\${${name}}`, `param:${stack.name}/${name}`);
    }
    if (type === 'CommaDelimitedList' || type.startsWith('List<')) {
      return Array.isArray(raw) ? raw.map((v) => String(v)) : String(raw).split(',').map((v) => v.trim());
    }
    return typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
  }

  private pseudo(stack: StackTemplate, name: string): Value {
    switch (name) {
      case 'AWS::Region': return stack.region ?? new Unknown(`the region of stack ${stack.name} is not known`, '${AWS::Region}', `region:${stack.name}`);
      case 'AWS::AccountId': return stack.account ?? new Unknown(`the account of stack ${stack.name} is not known`, '${AWS::AccountId}', `account:${stack.name}`);
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
    const ref = new ResourceRef(ctx.stack.name, logicalId);
    if (typeof attr !== 'string') {
      return new Unknown(`an attribute of ${logicalId} chosen at deploy time`, `\${${logicalId}.?}`, undefined, ref);
    }
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
    // cdk-vpc-connect's lookup of a hub by its tags: the hub's gateway or route table of the templates.
    if (resource.Type === TRANSIT_LOOKUP_TYPE) {
      return this.transitLookup(ctx, ref, props, attr);
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
      || attr === 'InternetGatewayId' || attr === 'NatGatewayId' || attr === 'VpcEndpointId' || attr === 'PrefixListId'
      || attr === 'GroupId' || attr === 'NetworkAclId') {
      return ref;
    }
    if (attr === 'CidrBlock' && (resource.Type === 'AWS::EC2::VPC' || resource.Type === 'AWS::EC2::Subnet')) {
      return this.resolveIn(self, props.CidrBlock) ?? new Unknown(`the CIDR block of ${logicalId} is assigned at deploy time`, `\${${logicalId}.CidrBlock}`);
    }
    if (attr === 'Ipv6CidrBlock' && resource.Type === 'AWS::EC2::VPCCidrBlock' && props.Ipv6CidrBlock !== undefined) {
      return this.resolveIn(self, props.Ipv6CidrBlock);
    }
    return new Unknown(`${logicalId}.${attr} is known only at deploy time`, `\${${logicalId}.${attr}}`, `att:${ref.key}.${attr}`, ref);
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

  /**
   * Attribute `attr` of a `Custom::TransitGatewayLookup`: `TransitGatewayId` is the transit
   * gateway of the templates tagged `cdk-vpc-connect:hub` = `HubTag` (or the lookup's literal
   * `TransitGatewayId`, a hub over an existing gateway), `RouteTableId.<segment>` its route table
   * tagged with that segment too; in the lookup's `Region` when both regions are known. Anything
   * else (its share ARNs), or a hub not in the model (or tagged twice), is known only at deploy time.
   */
  private transitLookup(ctx: Ctx, ref: ResourceRef, props: Record<string, unknown>, attr: string): Value {
    const self = { ...ctx, logicalId: ref.logicalId, depth: ctx.depth + 1 };
    const deployTime = (why: string) => new Unknown(`${ref.logicalId}.${attr} is read at deploy time by a transit gateway lookup, and ${why}`,
      `\${${ref.logicalId}.${attr}}`, `att:${ref.key}.${attr}`, ref);
    if (attr === 'TransitGatewayId' && props.TransitGatewayId !== undefined) {
      return this.resolveIn({ ...self, where: 'TransitGatewayId' }, props.TransitGatewayId);
    }
    const segment = attr.startsWith('RouteTableId.') ? attr.slice('RouteTableId.'.length) : undefined;
    if (attr !== 'TransitGatewayId' && segment === undefined) { return deployTime('the model does not read it'); }
    const hub = this.resolveIn({ ...self, where: 'HubTag' }, props.HubTag);
    const region = this.resolveIn({ ...self, where: 'Region' }, props.Region);
    if (typeof hub !== 'string') { return deployTime('its HubTag is not known from the templates'); }
    const type = segment === undefined ? 'AWS::EC2::TransitGateway' : 'AWS::EC2::TransitGatewayRouteTable';
    const found = this.taggedHubResources().filter((r) => r.type === type && r.hub === hub && r.segment === segment
      && (typeof region !== 'string' || r.region === undefined || r.region === region));
    if (found.length === 1) { return found[0].ref; }
    const what = segment === undefined ? `transit gateway tagged ${HUB_TAG_KEY}=${hub}` : `route table tagged ${HUB_TAG_KEY}=${hub} and ${SEGMENT_TAG_KEY}=${segment}`;
    return deployTime(found.length === 0 ? `no ${what} is in the templates read` : `${found.length} resources are a ${what} (${found.map((r) => r.ref.key).join(', ')})`);
  }

  private taggedHubResources(): NonNullable<TemplateResolver['hubResources']> {
    if (!this.hubResources) {
      this.hubResources = [];
      for (const stack of this.stacks.values()) {
        for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
          if (resource?.Type !== 'AWS::EC2::TransitGateway' && resource?.Type !== 'AWS::EC2::TransitGatewayRouteTable') { continue; }
          const tags = resource.Properties?.Tags;
          if (!Array.isArray(tags)) { continue; }
          const tag = (key: string): string | undefined => {
            const found = tags.find((t) => t !== null && typeof t === 'object' && (t as Record<string, unknown>).Key === key) as Record<string, unknown> | undefined;
            const value = found === undefined ? undefined : this.resolve(stack, logicalId, 'Tags', found.Value);
            return typeof value === 'string' ? value : undefined;
          };
          const hub = tag(HUB_TAG_KEY);
          if (hub === undefined) { continue; }
          this.hubResources.push({
            ref: new ResourceRef(stack.name, logicalId), type: resource.Type, hub,
            region: stack.region && !stack.region.startsWith('${') ? stack.region : undefined,
            segment: resource.Type === 'AWS::EC2::TransitGatewayRouteTable' ? tag(SEGMENT_TAG_KEY) : undefined,
          });
        }
      }
    }
    return this.hubResources;
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
  // The same parts joined the same way are the same value.
  const ids = parts.map((p) => (typeof p === 'string' || typeof p === 'number' ? JSON.stringify(String(p))
    : p === undefined ? '' : p instanceof Unknown ? p.id : p instanceof ResourceRef ? `ref:${p.key}` : undefined));
  const id = ids.every((i) => i !== undefined) ? `join(${JSON.stringify(separator)},${ids.join(',')})` : undefined;
  return new Unknown(unknown?.reason ?? 'it joins a resource id known only at deploy time', text, id, unknown?.source);
}

function isNoValue(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    && Object.keys(value).length === 1 && (value as Record<string, unknown>).Ref === 'AWS::NoValue';
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
