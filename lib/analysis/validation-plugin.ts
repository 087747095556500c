import * as fs from 'fs';
import * as path from 'path';
import {
  CfnElement, IPolicyValidationContext, Stack, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolatingResource, PolicyViolation,
} from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { NetworkIntent, intentFailure } from './intents';
import { NetworkModel } from './network-model';
import { Finding, FindingRules, FindingSeverity } from './types';
import { ConnectivityQuotas, invalidQuotas, quotasOf } from '../routing/quotas';

/** Options of {@link NetworkValidationPlugin}. */
export interface NetworkValidationPluginProps {
  /**
   * The severity from which a finding fails the synthesis (`ERROR`: errors fail it, `WARNING`:
   * errors and warnings, `INFO`: every finding).
   *
   * Acknowledged findings never fail it. Note that once any finding of this plugin is
   * acknowledged, aws-cdk-lib itself decides from the severities: the synthesis then fails
   * exactly when an `error` finding remains, whatever `failOn` says.
   *
   * @default - never: findings are reported, the synth does not fail
   */
  readonly failOn?: FindingSeverity;
  /**
   * The account's quotas; the plugin checks `routesPerRouteTable` (not propagated, IPv4 and IPv6
   * counted separately) for `vpc-connect/route-quota`. Each value given overrides the app's.
   *
   * @default - the app's quotas (the context key `cdk-vpc-connect:quotas`, see `Quotas`), else
   *   AWS's defaults (500 routes per route table)
   */
  readonly quotas?: ConnectivityQuotas;
  /**
   * Rule ids (`FindingRules`) not to report at all, for example `[FindingRules.UNKNOWN]`. To accept one
   * finding rather than a whole rule, acknowledge it on the construct instead:
   * `Validations.of(construct).acknowledge({ id: 'cdk-vpc-connect::vpc-connect/one-way-route', reason })`.
   *
   * @default - every rule is reported
   */
  readonly ignore?: string[];
  /**
   * What must and must not reach what, checked at every synth: each violated intent is an
   * `error` violation of rule `vpc-connect/intent` (`FindingRules.INTENT`) in the validation
   * report, reported on the intent's first source construct. Sources and destinations are
   * construct paths (the model reads the templates' `aws:cdk:path` metadata).
   *
   * ```ts
   * intents: [
   *   { reach: { source: 'App/Net/Tasks', destination: 'sns', port: 443 } },
   *   { isolate: { groupA: ['App/Prod/Vpc'], groupB: ['App/Dev/Vpc'] } },
   * ]
   * ```
   *
   * @default - no intent
   */
  readonly intents?: NetworkIntent[];
}

/**
 * A CDK policy-validation plugin that builds the network model of the app's templates at synth
 * and reports its findings (one-way routes, transitive destinations, route quotas...) in the
 * validation report, next to cdk-nag's and the CloudFormation validator's.
 *
 * ```ts
 * Validations.of(app).addPlugins(new NetworkValidationPlugin({ failOn: FindingSeverity.ERROR }));
 * ```
 *
 * Each violation's rule is the finding's rule id (`vpc-connect/one-way-route`); acknowledge one
 * with the id `cdk-vpc-connect::<rule id>`.
 */
export class NetworkValidationPlugin implements IPolicyValidationPlugin {
  /** The plugin's name in the validation report, and the prefix of acknowledgement ids. */
  public static readonly PLUGIN_NAME = 'cdk-vpc-connect';

  /** The plugin's name in the validation report: `PLUGIN_NAME`. */
  public readonly name: string = NetworkValidationPlugin.PLUGIN_NAME;
  /** This package's version, when its package.json can be read. */
  public readonly version?: string = packageVersion();
  /** The rule ids the plugin reports (`FindingRules.all()`). */
  public readonly ruleIds?: string[] = FindingRules.all();

  private readonly failOn?: FindingSeverity;
  private readonly quotas?: ConnectivityQuotas;
  private readonly ignore: ReadonlySet<string>;
  private readonly intents: NetworkIntent[];

  constructor(props: NetworkValidationPluginProps = {}) {
    const failOn = props.failOn;
    if (failOn !== undefined && !Object.prototype.hasOwnProperty.call(SEVERITY_RANK, failOn)) {
      throw new Error(`NetworkValidationPlugin: failOn is '${String(failOn)}'; use one of ${Object.keys(SEVERITY_RANK).join(', ')} ` +
        '(FindingSeverity), or leave it unset to report findings without failing the synthesis.');
    }
    const problems = invalidQuotas(props.quotas ?? {});
    if (problems.length > 0) {
      throw new Error(`NetworkValidationPlugin: ${problems.join(' ')}`);
    }
    const rules = FindingRules.all();
    const unknown = (props.ignore ?? []).filter((id) => !rules.includes(id));
    if (unknown.length > 0) {
      throw new Error(`NetworkValidationPlugin: ignore names unknown rules (${unknown.join(', ')}); the rules are ${rules.join(', ')}.`);
    }
    for (const intent of props.intents ?? []) {
      if ((intent.reach === undefined) === (intent.isolate === undefined)) {
        throw new Error(`NetworkValidationPlugin: each intent sets exactly one of reach and isolate; one sets ${intent.reach === undefined ? 'neither' : 'both'}` +
          `${intent.description ? ` ('${intent.description}')` : ''}.`);
      }
    }
    this.intents = props.intents ?? [];
    this.failOn = failOn;
    this.quotas = props.quotas;
    this.ignore = new Set(props.ignore ?? []);
  }

  /**
   * Read the templates, build the model with the quotas in force, report its findings. Reads
   * only `templatePaths` and `appConstruct` (for the context key `cdk-vpc-connect:quotas`).
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    let stacks: StackFile[];
    let findings: Finding[];
    try {
      stacks = readStacks(context.templatePaths);
      const templates: { [stackName: string]: unknown } = {};
      for (const stack of stacks) {
        templates[stack.name] = stack.template;
      }
      if (this.intents.length > 0 && context.appConstruct) {
        // Intents name constructs by path: give every resource its path, as `cdk synth` writes it.
        addPathMetadata(templates, context.appConstruct);
      }
      const app: ConnectivityQuotas = context.appConstruct ? quotasOf(context.appConstruct) : {};
      const quotas: ConnectivityQuotas = {
        peeringsPerVpc: this.quotas?.peeringsPerVpc ?? app.peeringsPerVpc,
        routesPerRouteTable: this.quotas?.routesPerRouteTable ?? app.routesPerRouteTable,
        resourcesPerStack: this.quotas?.resourcesPerStack ?? app.resourcesPerStack,
      };
      const model = NetworkModel.fromTemplates(templates, { quotas });
      findings = [...model.findings, ...this.intents.flatMap((intent) => intentFindings(model, intent))];
    } catch (e) {
      if (this.failOn !== undefined) {
        throw e; // aws-cdk-lib reports the plugin as failed, and the synthesis fails.
      }
      // Report-only: a failure of the analysis must not stop a deployment the user did not ask it to guard.
      return {
        success: true,
        violations: [{
          ruleName: FindingRules.UNKNOWN,
          description: `The network analysis failed, nothing was checked: ${(e as Error).message}`,
          fix: 'Report this to cdk-vpc-connect with the template that fails; to stop the plugin, remove it from Validations.of(app).',
          severity: FindingSeverity.WARNING,
          violatingResources: [],
        }],
      };
    }
    const violations = findings
      .filter((finding) => !this.ignore.has(finding.ruleId))
      .map((finding) => toViolation(finding, stacks));
    const threshold = this.failOn !== undefined ? SEVERITY_RANK[this.failOn] : undefined;
    return {
      success: threshold === undefined || !violations.some((v) => SEVERITY_RANK[v.severity as FindingSeverity] >= threshold),
      violations,
    };
  }
}

/** The finding of a violated intent, about its first source (or member of `groupA`). */
function intentFindings(model: NetworkModel, intent: NetworkIntent): Finding[] {
  const failure = intentFailure(model, intent);
  if (failure === undefined) { return []; }
  const about = intent.reach ? [intent.reach.source, intent.reach.destination] : [...intent.isolate!.groupA, ...intent.isolate!.groupB];
  return [{
    ruleId: FindingRules.INTENT,
    severity: FindingSeverity.ERROR,
    message: failure,
    fix: 'Change the routes, security groups or network ACLs so that the intent holds, or change the intent if the network is right.',
    constructs: about,
  }];
}

/**
 * Add `aws:cdk:path` metadata to the resources of the in-memory templates that lack it (the
 * files are not touched), from the app's construct tree: the templates are keyed by artifact id.
 */
function addPathMetadata(templates: { [stackName: string]: unknown }, app: IConstruct): void {
  for (const construct of app.node.findAll()) {
    if (!CfnElement.isCfnElement(construct)) { continue; }
    const stack = Stack.of(construct);
    const template = templates[stack.artifactId] as { Resources?: Record<string, { Metadata?: Record<string, unknown> }> } | undefined;
    const resource = template?.Resources?.[stack.resolve((construct as CfnElement).logicalId)];
    if (resource && typeof resource.Metadata?.['aws:cdk:path'] !== 'string') {
      resource.Metadata = { ...resource.Metadata, 'aws:cdk:path': construct.node.path };
    }
  }
}

/** How serious each severity is. */
const SEVERITY_RANK: { [severity: string]: number } = {
  [FindingSeverity.INFO]: 1,
  [FindingSeverity.WARNING]: 2,
  [FindingSeverity.ERROR]: 3,
};

/** A template of the assembly, named as the model names stacks (the artifact id), with its resources by construct path. */
interface StackFile {
  readonly name: string;
  readonly templatePath: string;
  readonly template: { Resources?: Record<string, { Metadata?: Record<string, unknown> }> };
  /** `aws:cdk:path` metadata → logical id. */
  readonly logicalIdByPath: Map<string, string>;
}

function readStacks(templatePaths: string[]): StackFile[] {
  const used = new Set<string>();
  return templatePaths.map((templatePath) => {
    // `<artifact id>.template.json`; stacks of nested stages live in `assembly-<stage>/` and may repeat a name.
    const base = path.basename(templatePath).replace(/\.template\.json$/, '');
    let name = base;
    for (let i = 2; used.has(name); i++) {
      name = `${base}-${i}`;
    }
    used.add(name);
    const template = JSON.parse(fs.readFileSync(templatePath, 'utf8'));
    const logicalIdByPath = new Map<string, string>();
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {}) as [string, { Metadata?: Record<string, unknown> }][]) {
      const constructPath = resource?.Metadata?.['aws:cdk:path'];
      if (typeof constructPath === 'string') {
        logicalIdByPath.set(constructPath, logicalId);
      }
    }
    return { name, templatePath, template, logicalIdByPath };
  });
}

/**
 * The violation of a finding, reported on its first resource (the route, the route table...):
 * the others are named in its message. One resource per violation, as cdk-nag does, prints the
 * finding once and lets the user acknowledge it on the construct that causes it.
 */
function toViolation(finding: Finding, stacks: StackFile[]): PolicyViolation {
  return {
    ruleName: finding.ruleId,
    description: finding.message,
    fix: finding.fix,
    severity: finding.severity,
    violatingResources: primaryResource(finding, stacks),
  };
}

function primaryResource(finding: Finding, stacks: StackFile[]): PolicyViolatingResource[] {
  for (const r of finding.resources ?? []) {
    const stack = stacks.find((s) => s.name === r.stack);
    if (stack) {
      return [{ resourceLogicalId: r.logicalId, templatePath: stack.templatePath, locations: [] }];
    }
  }
  return finding.constructs.length > 0 ? [resourceOf(finding.constructs[0], stacks)] : [];
}

/**
 * The template resource a finding's construct name stands for: `<stack>/<logicalId>`, or a
 * construct path found in the templates' `aws:cdk:path` metadata (`Path` or `Path/Resource`);
 * otherwise the construct path itself (aws-cdk-lib shows it as is). A name with a trailing
 * remark (`App/Vpc (main route table)`) is reported on the construct it names, so that it can
 * be acknowledged there.
 */
function resourceOf(construct: string, stacks: StackFile[]): PolicyViolatingResource {
  const slash = construct.indexOf('/');
  if (slash > 0) {
    const stack = stacks.find((s) => s.name === construct.slice(0, slash));
    const logicalId = construct.slice(slash + 1);
    if (stack?.template.Resources?.[logicalId] !== undefined) {
      return { resourceLogicalId: logicalId, templatePath: stack.templatePath, locations: [] };
    }
  }
  const constructPath = construct.replace(/ \([^()]*\)$/, '');
  for (const stack of stacks) {
    const logicalId = stack.logicalIdByPath.get(constructPath) ?? stack.logicalIdByPath.get(`${constructPath}/Resource`);
    if (logicalId !== undefined) {
      return { resourceLogicalId: logicalId, templatePath: stack.templatePath, locations: [] };
    }
  }
  return { constructPath, locations: [] };
}

/** This package's version, for the report; undefined if its package.json cannot be read. */
function packageVersion(): string | undefined {
  try {
    // lib/analysis (ts-node) and dist/analysis (compiled) are both two levels below the package.
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    return pkg.name === 'cdk-vpc-connect' ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}
