import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CloudFormationValidatePlugin, Validations } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';

/** A finding of a validation plugin (`@aws/cloudformation-validate`, cdk-nag) in `validation-report.json`. */
export interface ValidationFinding {
  readonly plugin: string;
  readonly rule: string;
  readonly severity: string;
  readonly description: string;
  readonly paths: string[];
}

/** What synthesizing an app produced, for assertions. */
export interface SynthResult {
  readonly assembly: CloudAssembly;
  /** Every finding of every validation plugin (acknowledged ones are not reported). */
  readonly findings: ValidationFinding[];
  /** Every warning annotation of every stack, as `path: message`. */
  readonly warnings: string[];
}

/**
 * A fresh app writing to its own temporary directory, with `cdk.json`'s context: aws-cdk-lib's
 * CloudFormation validator checks every template and its findings fail synth. (The validator
 * runs even where the test files turn aws-cdk-lib's built-in one off, see setup-env.ts.)
 */
export function newApp(context: Record<string, unknown> = {}, outdir?: string): App {
  const app = new App({
    outdir: outdir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-vpc-connect-')),
    context: { ...cdkJsonContext(), ...context },
  });
  if (process.env.CDK_VALIDATION === 'false') {
    Validations.of(app).addPlugins(cloudFormationValidator());
  }
  return app;
}

let sharedValidator: CloudFormationValidatePlugin | undefined;

/** One validator for every app of the test file, as aws-cdk-lib shares its built-in one: its engine starts once. */
function cloudFormationValidator(): CloudFormationValidatePlugin {
  sharedValidator ??= new CloudFormationValidatePlugin();
  return sharedValidator;
}

/**
 * The context `cdk synth` gives the app: `cdk.json`'s, plus the cached lookups of
 * `cdk.context.json` (which lets the examples with placeholder accounts synthesize offline).
 */
export function cdkJsonContext(): Record<string, unknown> {
  const root = path.join(__dirname, '..', '..');
  const cdkJson = JSON.parse(fs.readFileSync(path.join(root, 'cdk.json'), 'utf8'));
  const cached = path.join(root, 'cdk.context.json');
  const lookups = fs.existsSync(cached) ? JSON.parse(fs.readFileSync(cached, 'utf8')) : {};
  return { ...lookups, ...(cdkJson.context ?? {}) };
}

/** Synthesize `app` and collect the validation report and the warnings. */
export function synthApp(app: App): SynthResult {
  return synthResultOf(app.synth());
}

/** The validation report and the warnings of a synthesized cloud assembly (read back from its directory, or just synthesized). */
export function synthResultOf(assembly: CloudAssembly): SynthResult {
  const reportFile = path.join(assembly.directory, 'validation-report.json');
  const report = fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf8')) : { pluginReports: [] };
  const findings: ValidationFinding[] = [];
  for (const plugin of report.pluginReports ?? []) {
    for (const violation of plugin.violations ?? []) {
      findings.push({
        plugin: plugin.pluginName,
        rule: violation.ruleName,
        severity: violation.severity,
        description: violation.description,
        paths: (violation.violatingConstructs ?? []).map((c: { constructPath: string }) => c.constructPath),
      });
    }
  }
  const warnings = assembly.stacksRecursively.flatMap((stack) =>
    stack.messages.filter((m) => m.level === 'warning').map((m) => `${m.id}: ${String(m.entry.data)}`));
  return { assembly, findings, warnings };
}
