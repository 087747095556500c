/**
 * The code of the library's custom-resource providers: a provider's handler directory
 * (`index.js`, the handler) staged together with what every provider shares, in
 * `lib/private/handler/`: the entrypoint (`__entrypoint__.js`, which answers CloudFormation with
 * what the handler returns) and the AWS-call helpers (`aws-calls.js`), so they are written once
 * and each function's zip holds only its own handler besides them.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/** The function handler setting of every provider. */
export const ENTRYPOINT_HANDLER = '__entrypoint__.handler';

/** The directory of the shared entrypoint (copied next to the compiled library by `npm run build`). */
export const ENTRYPOINT_DIR = path.join(__dirname, 'handler');

/**
 * The code of a provider: the `.js` files of `handlerDir` and the shared files, staged in a
 * directory named by the hash of their contents (so every synth of the same code gets the same
 * asset, and concurrent synths never see a half-written directory).
 *
 * @param handlerDir the provider's handler directory, holding its `index.js`
 */
export function handlerCode(handlerDir: string): lambda.AssetCode {
  // Staged once per process and directory: a mesh of many stacks creates a provider in each.
  const cached = STAGED.get(handlerDir);
  if (cached !== undefined && fs.existsSync(cached)) {
    return lambda.Code.fromAsset(cached);
  }
  const staged = stage(handlerDir);
  STAGED.set(handlerDir, staged);
  return lambda.Code.fromAsset(staged);
}

/** The staged directory of each handler directory, in this process. */
const STAGED = new Map<string, string>();

function stage(handlerDir: string): string {
  const files = new Map<string, string>();
  for (const name of fs.readdirSync(handlerDir).filter((f) => f.endsWith('.js')).sort()) {
    files.set(name, path.join(handlerDir, name));
  }
  if (!files.has('index.js')) {
    throw new Error(`cdk-vpc-connect: the handler directory ${handlerDir} has no index.js (a packaging error).`);
  }
  // The shared files: the entrypoint and the modules every handler requires (aws-calls.js).
  for (const name of fs.readdirSync(ENTRYPOINT_DIR).filter((f) => f.endsWith('.js')).sort()) {
    files.set(name, path.join(ENTRYPOINT_DIR, name));
  }

  const hash = crypto.createHash('sha256');
  const contents = new Map<string, Buffer>();
  for (const [name, file] of files) {
    const content = fs.readFileSync(file);
    contents.set(name, content);
    hash.update(name).update('\0').update(content).update('\0');
  }
  const staged = path.join(os.tmpdir(), 'cdk-vpc-connect-handlers', hash.digest('hex').slice(0, 32));
  if (!fs.existsSync(staged)) {
    const partial = `${staged}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
    fs.mkdirSync(partial, { recursive: true });
    for (const [name, content] of contents) {
      fs.writeFileSync(path.join(partial, name), content);
    }
    try {
      fs.renameSync(partial, staged);
    } catch (e) {
      // Another process staged the same code first: its directory has the same files.
      fs.rmSync(partial, { recursive: true, force: true });
      if (!fs.existsSync(staged)) { throw e; }
    }
  }
  return staged;
}
