import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SETUP_ERROR_FILE, SYNTHESIZED_APPS_DIR_ENV } from './synthesized-apps-dir';

/** What this setup reads of jest's global configuration. */
interface JestGlobalConfig {
  /** The regular expression of the test paths on the command line ('' for all). */
  readonly testPathPattern?: string;
}

/** What this setup reads of jest's project configuration. */
interface JestProjectConfig {
  readonly roots: string[];
  readonly testPathIgnorePatterns: string[];
}

/**
 * jest's global setup: synthesize the apps of `example-apps.ts` once for the whole run, before
 * the test files start, into a temporary directory that the test files read back
 * (`synthesizedExampleApp`). Skipped, without even loading the examples, when no test file of
 * the run reads them (`npx jest test/cidr`).
 */
export default async function globalSetup(globalConfig: JestGlobalConfig, projectConfig: JestProjectConfig): Promise<void> {
  if (!runIncludesAReader(globalConfig, projectConfig)) {
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-vpc-connect-apps-'));
  process.env[SYNTHESIZED_APPS_DIR_ENV] = dir;
  let exampleApps: typeof import('./example-apps');
  try {
    exampleApps = await import('./example-apps');
  } catch (e) {
    // The examples or the library do not load (a file mid-edit): the tests that read the apps
    // report it (synthesizedExampleApp), the others run.
    fs.writeFileSync(path.join(dir, SETUP_ERROR_FILE), e instanceof Error ? (e.stack ?? e.message) : String(e));
    return;
  }
  for (const name of Object.keys(exampleApps.EXAMPLE_APPS) as Array<keyof typeof exampleApps.EXAMPLE_APPS>) {
    exampleApps.synthesizeExampleAppInto(dir, name);
  }
}

/** Whether the run includes a test file that reads the synthesized apps. */
function runIncludesAReader(globalConfig: JestGlobalConfig, projectConfig: JestProjectConfig): boolean {
  const pattern = globalConfig.testPathPattern ? new RegExp(globalConfig.testPathPattern, 'i') : undefined;
  const ignored = projectConfig.testPathIgnorePatterns.map((p) => new RegExp(p));
  return projectConfig.roots.flatMap(testFiles)
    .filter((file) => !ignored.some((re) => re.test(file)))
    .filter((file) => pattern === undefined || pattern.test(file))
    .some((file) => fs.readFileSync(file, 'utf8').includes('support/example-apps'));
}

/** The `*.test.ts` files under `dir`. */
function testFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) { return []; }
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) { return testFiles(file); }
    return entry.name.endsWith('.test.ts') ? [file] : [];
  });
}
