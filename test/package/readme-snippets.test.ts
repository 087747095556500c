import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

// Every TypeScript snippet of README.md compiles against the library, inside the fixture
// rosetta/default.ts-fixture (jsii-rosetta's format: the snippet replaces `/// here`, its imports are
// hoisted). A README example that drifts from the API fails here, not in a user's editor.

const ROOT = path.join(__dirname, '..', '..');

interface Snippet {
  readonly line: number;
  readonly code: string;
}

/** The ```ts blocks of a Markdown text (indented ones too), with the line each starts on. */
function tsSnippets(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```ts\b/.exec(lines[i]);
    if (!open) { continue; }
    const indent = open[1];
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && lines[j] !== `${indent}\`\`\``; j++) {
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j]);
    }
    snippets.push({ line: i + 1, code: body.join('\n') });
    i = j;
  }
  return snippets;
}

/** The names an import declaration brings in. */
function importedNames(declaration: string): string[] {
  const named = /\{([^}]*)\}/.exec(declaration)?.[1].split(',').map((n) => n.trim().split(/\s+as\s+/).pop()!.trim()).filter((n) => n !== '') ?? [];
  const namespace = /\*\s+as\s+(\w+)/.exec(declaration)?.[1];
  return namespace ? [...named, namespace] : named;
}

/** The snippet inside the fixture, rosetta's way: its imports on top, the rest where `/// here` is. */
function inFixture(fixture: string, snippet: string): string {
  const lines = snippet.split('\n');
  const imports = lines.filter((l) => /^import\s/.test(l));
  const body = lines.filter((l) => !/^import\s/.test(l));
  const taken = new Set(imports.flatMap(importedNames));
  // Drop the fixture's imports of names the snippet imports itself (one multi-line import is joined first).
  const fixtureText = fixture.replace(/import \{([^}]*)\} from '([^']+)';/g, (_all, names: string, from: string) => {
    const kept = names.split(',').map((n) => n.trim()).filter((n) => n !== '' && !taken.has(n));
    return kept.length > 0 ? `import { ${kept.join(', ')} } from '${from}';` : '';
  }).replace(/import \* as (\w+) from '([^']+)';/g, (all, name: string) => (taken.has(name) ? '' : all));
  return [...imports, fixtureText.replace('/// here', body.join('\n'))].join('\n');
}

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
const fixture = fs.readFileSync(path.join(ROOT, 'rosetta', 'default.ts-fixture'), 'utf-8');
const snippets = tsSnippets(readme);

test('the README has TypeScript snippets for every construct', () => {
  const all = snippets.map((s) => s.code).join('\n');
  for (const construct of ['VpcPeering', 'PeeringMesh', 'PeeringAccepterRole', 'RemoteVpc', 'TransitGatewayHub', 'TransitGatewaySpoke',
    'TransitGatewayPeering', 'VpcEndpoints', 'SharedEndpoints', 'NetworkModel', 'NetworkValidationPlugin']) {
    expect(all).toContain(construct);
  }
});

test('every TypeScript snippet of README.md compiles against the library', () => {
  const files = new Map(snippets.map((s) => [path.join(ROOT, `README-L${s.line}.ts`), inFixture(fixture, s.code)]));
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
    lib: ['lib.es2022.d.ts'], strict: true, noEmit: true, skipLibCheck: true, esModuleInterop: true, types: ['node', 'jest'],
    baseUrl: ROOT, paths: { 'cdk-vpc-connect': ['lib/index.ts'], 'cdk-vpc-connect/jest': ['lib/analysis/jest.ts'] },
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (file) => files.get(file) ?? readFile(file);
  host.fileExists = (file) => files.has(file) || ts.sys.fileExists(file);
  host.getSourceFile = (file, languageVersion) => (files.has(file)
    ? ts.createSourceFile(file, files.get(file)!, languageVersion)
    : getSourceFile(file, languageVersion));
  const program = ts.createProgram([...files.keys()], options, host);
  // Only the snippets are checked (the library is type-checked by `npm run typecheck`): asking for
  // their diagnostics alone checks just what they use, several times faster than the whole program.
  const problems = [...files.keys()].map((file) => program.getSourceFile(file)!)
    .flatMap((source) => [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)])
    .map((d) => `${path.basename(d.file!.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  expect(problems).toEqual([]);
});
