/**
 * Reading the stack templates of a cloud assembly: from a directory (`cdk.out`) with plain
 * JSON, or from the assembly an app's `synth()` returned.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { CfnResourceJson, CfnTemplate, NESTED_STACK_TYPE, StackTemplate } from './templates';
import { parseTemplateText } from './yaml';

const STACK = 'aws:cloudformation:stack';
const NESTED = 'cdk:cloud-assembly';

interface ManifestArtifact {
  readonly type?: string;
  readonly environment?: string;
  readonly displayName?: string;
  readonly properties?: { templateFile?: string; stackName?: string; directoryName?: string };
  readonly metadata?: Record<string, Array<{ type: string; data?: unknown }>>;
  readonly additionalMetadataFile?: string;
}

/** The stacks of the cloud assembly in `directory`, nested assemblies (stages) and nested stacks included. */
export function loadAssembly(directory: string): StackTemplate[] {
  const stacks: StackTemplate[] = [];
  readAssembly(path.resolve(directory), stacks, true);
  return stacks;
}

function readAssembly(directory: string, stacks: StackTemplate[], top: boolean): void {
  const manifestFile = path.join(directory, 'manifest.json');
  if (!fs.existsSync(directory) || !fs.statSync(directory).isDirectory()) {
    throw new Error(`${directory} is not a cloud assembly: it is not a directory. Pass the output directory of 'cdk synth' (cdk.out).`);
  }
  if (!fs.existsSync(manifestFile)) {
    throw new Error(`${directory} is not a cloud assembly: it has no manifest.json. ` +
      `Pass the output directory of 'cdk synth' (cdk.out)${top ? ', after running cdk synth' : ''}.`);
  }
  let manifest: { artifacts?: Record<string, ManifestArtifact> };
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  } catch (e) {
    throw new Error(`${directory} is not a cloud assembly: its manifest.json is not valid JSON (${(e as Error).message}).`);
  }
  if (manifest === null || typeof manifest !== 'object' || (manifest.artifacts !== undefined && typeof manifest.artifacts !== 'object')) {
    throw new Error(`${directory} is not a cloud assembly: its manifest.json has no artifacts object.`);
  }
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type === NESTED && artifact.properties?.directoryName) {
      readAssembly(path.join(directory, artifact.properties.directoryName), stacks, false);
      continue;
    }
    if (artifact.type !== STACK) { continue; }
    const templateFile = artifact.properties?.templateFile;
    if (!templateFile) {
      throw new Error(`Cloud assembly ${directory}: stack artifact ${id} has no templateFile.`);
    }
    const template = readTemplate(path.join(directory, templateFile), id);
    const metadata = { ...(artifact.metadata ?? {}) };
    if (artifact.additionalMetadataFile) {
      const file = path.join(directory, artifact.additionalMetadataFile);
      if (fs.existsSync(file)) {
        try {
          Object.assign(metadata, JSON.parse(fs.readFileSync(file, 'utf8')));
        } catch (e) {
          throw new Error(`Cloud assembly ${directory}: the metadata file ${file} of stack ${id} is not valid JSON (${(e as Error).message}).`);
        }
      }
    }
    const env = parseEnvironment(artifact.environment);
    // The metadata of a stack also names the resources of its nested stacks: each goes to the
    // innermost nested stack whose construct path holds it (logical ids may repeat across them).
    const paths = pathsFromMetadata(metadata);
    const stack: StackTemplate = {
      name: id,
      stackName: artifact.properties?.stackName ?? id,
      template,
      region: env.region,
      account: env.account,
      paths: paths.get('') ?? new Map(),
    };
    stacks.push(stack);
    addNestedStacks(stack, { directory, pathsOf: (_file, stackPath) => (stackPath !== undefined ? paths.get(stackPath) : undefined) }, stacks);
  }
}

/** Where the templates of nested stacks are, and the construct paths of their resources. */
interface NestedSource {
  /** The assembly directory: aws-cdk-lib writes nested templates there, as file assets. */
  readonly directory: string;
  /** Logical id → construct path in a nested template, by its file name or the nested stack's construct path. */
  pathsOf(file: string, stackPath: string | undefined): Map<string, string> | undefined;
}

/**
 * Add the nested stacks of `parent` (aws-cdk-lib's `NestedStack`: an `AWS::CloudFormation::Stack`
 * resource whose template is a file asset of the assembly), recursively. A nested stack whose
 * template cannot be found is left out: the model reports it as unknown.
 */
function addNestedStacks(parent: StackTemplate, source: NestedSource, stacks: StackTemplate[], depth = 0): void {
  if (depth > 20) { return; }
  let assets: Map<string, string> | undefined;
  for (const [logicalId, resource] of Object.entries(parent.template.Resources ?? {})) {
    if (resource?.Type !== NESTED_STACK_TYPE) { continue; }
    assets ??= assetFiles(source.directory);
    const file = nestedTemplateFile(resource, assets);
    if (file === undefined || !fs.existsSync(path.join(source.directory, file))) { continue; }
    const resourcePath = parent.paths.get(logicalId)
      ?? (typeof resource.Metadata?.['aws:cdk:path'] === 'string' ? (resource.Metadata['aws:cdk:path'] as string).replace(/^\//, '') : undefined);
    const stackPath = resourcePath !== undefined ? nestedStackPath(resourcePath) : undefined;
    const name = stackPath ?? `${parent.name}/${logicalId}`;
    const nested: StackTemplate = {
      name,
      stackName: name,
      template: readTemplate(path.join(source.directory, file), name),
      region: parent.region,
      account: parent.account,
      paths: source.pathsOf(file, stackPath) ?? new Map(),
      parent: { stack: parent.name, logicalId },
    };
    stacks.push(nested);
    addNestedStacks(nested, source, stacks, depth + 1);
  }
}

/**
 * The file of a nested stack's template: its `aws:asset:path` metadata (written when asset
 * metadata is on, as under the CLI), else the file asset whose hash its TemplateURL holds.
 */
function nestedTemplateFile(resource: CfnResourceJson, assets: Map<string, string>): string | undefined {
  const assetPath = resource.Metadata?.['aws:asset:path'];
  if (typeof assetPath === 'string') { return assetPath; }
  const url = JSON.stringify(resource.Properties?.TemplateURL ?? '');
  for (const [key, file] of assets) {
    if (url.includes(key)) { return file; }
  }
  return undefined;
}

/** Asset hash (and object key) → source file, from the asset manifests of an assembly directory. */
function assetFiles(directory: string): Map<string, string> {
  const files = new Map<string, string>();
  let names: string[];
  try {
    names = fs.readdirSync(directory).filter((f) => f.endsWith('.assets.json'));
  } catch {
    return files;
  }
  for (const name of names) {
    let manifest: { files?: Record<string, { source?: { path?: string; packaging?: string }; destinations?: Record<string, { objectKey?: string }> }> };
    try {
      manifest = JSON.parse(fs.readFileSync(path.join(directory, name), 'utf8'));
    } catch {
      continue;
    }
    for (const [hash, asset] of Object.entries(manifest.files ?? {})) {
      const file = asset?.source?.path;
      if (typeof file !== 'string' || (asset.source?.packaging ?? 'file') !== 'file' || !file.endsWith('.json')) { continue; }
      files.set(hash, file);
      for (const destination of Object.values(asset.destinations ?? {})) {
        if (typeof destination?.objectKey === 'string') { files.set(destination.objectKey, file); }
      }
    }
  }
  return files;
}

/** The construct path of a nested stack from that of its resource (`P/N.NestedStack/N.NestedStackResource` → `P/N`). */
export function nestedStackPath(resourcePath: string): string | undefined {
  const match = /^\/?(.*)\.NestedStack\/[^/]+\.NestedStackResource$/.exec(resourcePath);
  return match ? match[1] : undefined;
}

function readTemplate(file: string, stack: string): CfnTemplate {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`The template of stack ${stack} (${file}) cannot be read as JSON: ${(e as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`The template of stack ${stack} (${file}) is not a JSON object.`);
  }
  return parsed as CfnTemplate;
}

/** The extensions of the template files read from a directory. */
export const TEMPLATE_EXTENSIONS = ['.json', '.yaml', '.yml', '.template'];

/**
 * Read a template file: JSON, or YAML with CloudFormation's short tags (`.yaml`, `.yml`,
 * `.template`, or any file whose text is not JSON). A `.json` file must be JSON.
 */
export function readTemplateFile(file: string): CfnTemplate {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`Cannot read template ${path.resolve(file)}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  if (/\.json$/i.test(file)) {
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new Error(`Template ${path.resolve(file)} is not valid JSON: ${(e as Error).message}`);
    }
  } else {
    parsed = parseTemplateText(text, `Template ${path.resolve(file)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`Template ${path.resolve(file)} is not a template: it holds ${Array.isArray(parsed) ? 'a list' : parsed === null ? 'nothing' : `a ${typeof parsed}`}, not a mapping of sections (Resources...).`);
  }
  return parsed as CfnTemplate;
}

/** The stack name of a template file: its name without the extension (`vpc.template.json` → `vpc`). */
export function stackNameOfFile(file: string): string {
  return path.basename(file).replace(/(\.template)?\.(json|ya?ml|template)$/i, '');
}

/**
 * The stacks of plain CloudFormation template files (stack name → file), with their nested
 * stacks: an `AWS::CloudFormation::Stack` whose `TemplateURL` is a local path (relative to
 * the parent's file, as `aws cloudformation package` takes it) is read and linked to its parent.
 * A file that another one names as its nested stack is not also a stack of its own.
 */
export function loadTemplateFiles(files: { readonly [stack: string]: string }): StackTemplate[] {
  const stacks: StackTemplate[] = [];
  const read = new Map<string, CfnTemplate>();
  const templateOf = (file: string): CfnTemplate => {
    const key = path.resolve(file);
    let template = read.get(key);
    if (!template) {
      template = readTemplateFile(file);
      read.set(key, template);
    }
    return template;
  };
  // Files named as nested stacks by another file of the set.
  const nestedFiles = new Set<string>();
  for (const file of Object.values(files)) {
    for (const nested of localNestedTemplates(templateOf(file), file).values()) { nestedFiles.add(path.resolve(nested)); }
  }
  for (const [name, file] of Object.entries(files)) {
    if (nestedFiles.has(path.resolve(file)) && Object.keys(files).length > 1) { continue; }
    const stack: StackTemplate = { name, stackName: name, template: templateOf(file), paths: new Map(), file: path.resolve(file) };
    stacks.push(stack);
    addLocalNestedStacks(stack, templateOf, stacks, 0);
  }
  return stacks;
}

/** Logical id → file of each nested stack of `template` whose TemplateURL is a local path. */
function localNestedTemplates(template: CfnTemplate, file: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    if (resource?.Type !== NESTED_STACK_TYPE) { continue; }
    const url = resource.Properties?.TemplateURL;
    if (typeof url !== 'string' || /^[a-z][a-z0-9+.-]*:\/\//i.test(url)) { continue; }
    const local = path.resolve(path.dirname(file), url.replace(/^file:\/\//, ''));
    if (fs.existsSync(local) && fs.statSync(local).isFile()) { found.set(logicalId, local); }
  }
  return found;
}

function addLocalNestedStacks(parent: StackTemplate, templateOf: (file: string) => CfnTemplate, stacks: StackTemplate[], depth: number): void {
  if (depth > 20 || parent.file === undefined) { return; }
  for (const [logicalId, file] of localNestedTemplates(parent.template, parent.file)) {
    const name = `${parent.name}/${logicalId}`;
    const nested: StackTemplate = {
      name, stackName: name, template: templateOf(file), region: parent.region, account: parent.account, paths: new Map(),
      parent: { stack: parent.name, logicalId }, file,
    };
    stacks.push(nested);
    addLocalNestedStacks(nested, templateOf, stacks, depth + 1);
  }
}

/**
 * The template files of `inputs`: each a template file, or a directory whose template files
 * (`*.json`, `*.yaml`, `*.yml`, `*.template`, not `manifest.json` nor `*.assets.json`) are read;
 * stack name → file.
 *
 * @throws when an input does not exist, a directory holds no template, or two files give one stack name
 */
export function templateFilesOf(inputs: string[]): { [stack: string]: string } {
  const files: { [stack: string]: string } = {};
  const add = (file: string) => {
    const name = stackNameOfFile(file);
    if (files[name] !== undefined && path.resolve(files[name]) !== path.resolve(file)) {
      throw new Error(`${files[name]} and ${file} give the same stack name '${name}': rename one of them (the stack name is the file name without its extension).`);
    }
    files[name] = file;
  };
  for (const input of inputs) {
    if (!fs.existsSync(input)) { throw new Error(`${input} does not exist.`); }
    if (!fs.statSync(input).isDirectory()) {
      add(input);
      continue;
    }
    const found = fs.readdirSync(input).sort()
      .filter((f) => TEMPLATE_EXTENSIONS.some((e) => f.toLowerCase().endsWith(e)) && f !== 'manifest.json' && !f.endsWith('.assets.json') && f !== 'tree.json')
      .map((f) => path.join(input, f))
      .filter((f) => fs.statSync(f).isFile());
    if (found.length === 0) {
      throw new Error(`${input} holds no template file (${TEMPLATE_EXTENSIONS.map((e) => `*${e}`).join(', ')}) and is not a cloud assembly (no manifest.json).`);
    }
    found.forEach(add);
  }
  return files;
}

/**
 * Logical id → construct path, from the `aws:cdk:logicalId` metadata entries, per stack: the
 * key is the construct path of the nested stack that holds the resource, `''` for the stack itself.
 */
function pathsFromMetadata(metadata: Record<string, Array<{ type: string; data?: unknown }>>): Map<string, Map<string, string>> {
  const found: Array<[string, string]> = [];
  for (const [constructPath, entries] of Object.entries(metadata)) {
    for (const entry of entries ?? []) {
      if (entry?.type === 'aws:cdk:logicalId' && typeof entry.data === 'string') {
        found.push([constructPath.replace(/^\//, ''), entry.data]);
      }
    }
  }
  const nestedPaths = found.map(([p]) => nestedStackPath(p)).filter((p): p is string => p !== undefined)
    .sort((a, b) => b.length - a.length);
  const paths = new Map<string, Map<string, string>>();
  for (const [constructPath, logicalId] of found) {
    const owner = nestedPaths.find((n) => constructPath.startsWith(`${n}/`)) ?? '';
    const stackPaths = paths.get(owner) ?? new Map<string, string>();
    paths.set(owner, stackPaths);
    stackPaths.set(logicalId, constructPath);
  }
  return paths;
}

function parseEnvironment(environment: string | undefined): { account?: string; region?: string } {
  const match = /^aws:\/\/([^/]+)\/([^/]+)$/.exec(environment ?? '');
  if (!match) { return {}; }
  return {
    account: match[1].startsWith('unknown-') ? undefined : match[1],
    region: match[2].startsWith('unknown-') ? undefined : match[2],
  };
}

/**
 * The stacks of an assembly synthesized in this process, nested stacks included. `paths` maps
 * each stack's artifact id to its logical ids' construct paths, from the construct tree;
 * `nestedPaths` the same for each nested stack, by its template file name.
 */
export function templatesFromStage(
  assembly: CloudAssembly, paths: Map<string, Map<string, string>>, nestedPaths: Map<string, Map<string, string>> = new Map(),
): StackTemplate[] {
  const stacks: StackTemplate[] = [];
  for (const artifact of assembly.stacksRecursively) {
    const env = artifact.environment;
    const stack: StackTemplate = {
      name: artifact.id,
      stackName: artifact.stackName,
      template: artifact.template as CfnTemplate,
      region: env.region && !env.region.startsWith('unknown-') ? env.region : undefined,
      account: env.account && !env.account.startsWith('unknown-') ? env.account : undefined,
      paths: paths.get(artifact.id) ?? new Map(),
    };
    stacks.push(stack);
    addNestedStacks(stack, { directory: artifact.assembly.directory, pathsOf: (file) => nestedPaths.get(file) }, stacks);
  }
  return stacks;
}
