import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { cdkJsonContext, newApp, synthApp, synthResultOf, SynthResult } from './synth-app';
import { SETUP_ERROR_FILE, SYNTHESIZED_APPS_DIR_ENV } from './synthesized-apps-dir';
import { addExampleStacks } from '../../examples';
import { CrossAccountPeeringStacks } from '../../examples/cross-account-peering';
import { DefaultVpcPeeringStack } from '../../examples/default-vpc-peering';

/**
 * The apps of examples/ that the tests read as synthesized cloud assemblies.
 *
 * Synthesizing them is the slow part of the example tests: aws-cdk-lib's CloudFormation
 * validator (on through cdk.json's `@aws-cdk/core:validateAgainstDefaultRules`) starts a
 * WebAssembly engine once per process, i.e. once per jest test file, and cdk-nag and the network
 * plugin then check every stack. So `global-setup.ts` synthesizes each of them once per jest run,
 * in one process, and every test file reads the same assemblies back from disk. A test file run
 * without the global setup (or a name the setup did not synthesize) synthesizes in its own process.
 *
 * Each app is built as `newApp()` builds it: cdk.json's context, the validator's findings fail synth.
 */
export const EXAMPLE_APPS = {
  /**
   * The CDK app of the repository (bin/app.ts): every example stack, cdk-nag and the network
   * plugin, as `npx cdk synth` builds it without credentials (no CDK_DEFAULT_ACCOUNT or
   * CDK_DEFAULT_REGION, whatever the environment of the tests).
   */
  examples: (app: App): App => {
    withoutCliEnvironment(() => addExampleStacks(app));
    return app;
  },
  /** The cross-account example with the accepter stack's outputs given (test/examples/peering-examples.test.ts). */
  crossAccountPeering: (app: App): CrossAccountPeeringStacks => new CrossAccountPeeringStacks(app, 'CrossAccountPeering', {
    requesterAccount: '111111111111', requesterRegion: 'us-east-1', accepterAccount: '222222222222', accepterRegion: 'eu-west-1',
    accepter: { vpcId: 'vpc-0acceacceacceacce', routeTableIds: ['rtb-0aaaaaaaaaaaaaaaa', 'rtb-0bbbbbbbbbbbbbbbb'], roleArn: 'arn:aws:iam::222222222222:role/AcceptPeering' },
  }),
  /**
   * `-c defaultVpc=lookup` before the CLI has run the lookup (test/examples/peering-examples.test.ts):
   * the default-VPC example in an explicit environment, looking up the account's default VPC.
   */
  defaultVpcLookup: (app: App): DefaultVpcPeeringStack => new DefaultVpcPeeringStack(app, 'DefaultVpcPeering', {
    lookupDefaultVpc: true, env: { account: '111111111111', region: 'us-east-1' },
  }),
};

/** Run `build` with the environment variables the CDK CLI sets from its credentials unset. */
function withoutCliEnvironment(build: () => void): void {
  const saved = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  delete process.env.CDK_DEFAULT_ACCOUNT;
  delete process.env.CDK_DEFAULT_REGION;
  try {
    build();
  } finally {
    if (saved.account !== undefined) { process.env.CDK_DEFAULT_ACCOUNT = saved.account; }
    if (saved.region !== undefined) { process.env.CDK_DEFAULT_REGION = saved.region; }
  }
}

/** The name of an app of {@link EXAMPLE_APPS}. */
export type ExampleAppName = keyof typeof EXAMPLE_APPS;

/** In `dir`: the cloud assembly of `name`, and the file holding why it failed to synthesize. */
function assemblyDir(dir: string, name: ExampleAppName): string {
  return path.join(dir, name);
}
function errorFile(dir: string, name: ExampleAppName): string {
  return path.join(dir, `${name}.error.txt`);
}

/**
 * Build `name` as the examples' users do and synthesize it into `dir/<name>`; when synthesis
 * throws, write the error to `dir/<name>.error.txt` instead, for the tests to report.
 * (Called by the global setup.)
 */
export function synthesizeExampleAppInto(dir: string, name: ExampleAppName): void {
  try {
    const app = newApp({}, assemblyDir(dir, name));
    EXAMPLE_APPS[name](app);
    app.synth();
  } catch (e) {
    fs.writeFileSync(errorFile(dir, name), e instanceof Error ? (e.stack ?? e.message) : String(e));
  }
}

const synthesizedHere = new Map<ExampleAppName, SynthResult>();

/**
 * The app `name`, synthesized: its assembly, validation findings and warnings, read from the
 * directory written by the global setup when there is one (else synthesized in this process,
 * once per test file). Throws the synthesis error, if synthesis failed.
 */
export function synthesizedExampleApp(name: ExampleAppName): SynthResult {
  const dir = process.env[SYNTHESIZED_APPS_DIR_ENV];
  for (const file of dir === undefined ? [] : [path.join(dir, SETUP_ERROR_FILE), errorFile(dir, name)]) {
    if (fs.existsSync(file)) {
      throw new Error(`Synthesizing the '${name}' app failed (in the jest global setup):\n${fs.readFileSync(file, 'utf8')}`);
    }
  }
  if (dir !== undefined && fs.existsSync(path.join(assemblyDir(dir, name), 'manifest.json'))) {
    return synthResultOf(new CloudAssembly(assemblyDir(dir, name)));
  }
  let result = synthesizedHere.get(name);
  if (result === undefined) {
    const app = newApp();
    EXAMPLE_APPS[name](app);
    result = synthApp(app);
    synthesizedHere.set(name, result);
  }
  return result;
}

/**
 * The app `name` built again in this process, not synthesized, for the assertions that need its
 * constructs (a construct's logical id, a stack's region): what its builder in
 * {@link EXAMPLE_APPS} returns. The same code and context as the synthesized app, so the same
 * construct paths and logical ids.
 */
export function constructExampleApp<N extends ExampleAppName>(name: N): ReturnType<(typeof EXAMPLE_APPS)[N]> {
  return EXAMPLE_APPS[name](new App({ context: cdkJsonContext() })) as ReturnType<(typeof EXAMPLE_APPS)[N]>;
}

/**
 * The template of `stack` (a stack of the app, or its artifact id) in a synthesized app: what
 * `Template.fromStack(stack)` returns for the same stack.
 */
export function templateOf(synthesized: SynthResult, stack: Stack | string): Template {
  const artifactId = typeof stack === 'string' ? stack : stack.artifactId;
  return Template.fromJSON(synthesized.assembly.getStackArtifact(artifactId).template);
}
