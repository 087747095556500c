import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { cdkJsonContext } from '../support/synth-app';

/**
 * An app for the tests of the network analysis: `cdk.json`'s context (as `newApp`), in its own
 * temporary directory, without aws-cdk-lib's built-in CloudFormation validation. That validator
 * starts a WebAssembly engine on the first synth of each test file (3 to 8 s on a busy 2-core
 * runner) and checks template syntax, which is not what these tests are about: they assert the
 * model, the findings and what the plugins report. Validation plugins added with
 * `Validations.of(app).addPlugins` (this library's, cdk-nag) still run, and the example stacks are
 * validated by test/examples.
 */
export function modelApp(context: Record<string, unknown> = {}): App {
  return new App({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-vpc-connect-')),
    context: { ...cdkJsonContext(), ...context },
    builtinCloudFormationValidation: false,
  });
}
