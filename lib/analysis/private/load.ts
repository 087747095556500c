/**
 * Reading the stack templates of a cloud assembly: from a directory (`cdk.out`) with plain
 * JSON, or from the assembly an app's `synth()` returned.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { CfnTemplate, StackTemplate } from './templates';

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

/** The stacks of the cloud assembly in `directory`, nested assemblies (stages) included. */
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
    stacks.push({
      name: id,
      stackName: artifact.properties?.stackName ?? id,
      template,
      region: env.region,
      account: env.account,
      paths: pathsFromMetadata(metadata),
    });
  }
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

/** Logical id → construct path, from the `aws:cdk:logicalId` metadata entries. */
function pathsFromMetadata(metadata: Record<string, Array<{ type: string; data?: unknown }>>): Map<string, string> {
  const paths = new Map<string, string>();
  for (const [constructPath, entries] of Object.entries(metadata)) {
    for (const entry of entries ?? []) {
      if (entry?.type === 'aws:cdk:logicalId' && typeof entry.data === 'string') {
        paths.set(entry.data, constructPath.replace(/^\//, ''));
      }
    }
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
 * The stacks of an assembly synthesized in this process. `paths` maps each stack's artifact id
 * to its logical ids' construct paths, from the construct tree.
 */
export function templatesFromStage(assembly: CloudAssembly, paths: Map<string, Map<string, string>>): StackTemplate[] {
  return assembly.stacksRecursively.map((artifact) => {
    const env = artifact.environment;
    return {
      name: artifact.id,
      stackName: artifact.stackName,
      template: artifact.template as CfnTemplate,
      region: env.region && !env.region.startsWith('unknown-') ? env.region : undefined,
      account: env.account && !env.account.startsWith('unknown-') ? env.account : undefined,
      paths: paths.get(artifact.id) ?? new Map(),
    };
  });
}
