/**
 * jest `setupFiles`: runs in each test file's environment before the file.
 *
 * aws-cdk-lib (2.276) runs its built-in CloudFormation validator on every synthesis of every
 * app unless told otherwise. It starts a WebAssembly engine on the first synthesis of each test
 * file (1.5 to 2 s, more on a busy machine) and adds about 80 ms to every later synthesis; over
 * the suite that was half of jest's time (53 s with it, 28 s without, on 2 cores). In an app
 * without cdk.json's `@aws-cdk/core:validateAgainstDefaultRules` flag (`new App()`, the unit tests)
 * its findings are downgraded to warnings in `validation-report.json`: they never fail synth and
 * no test reads them. So it is off here, and on where a test asks for it: `newApp()`
 * (test/support/synth-app.ts) registers the validator explicitly, so its apps validate as
 * `npx cdk synth` does and its findings fail synth, as cdk.json says.
 */
process.env.CDK_VALIDATION = 'false';
