import * as fs from 'fs';
import * as path from 'path';
import { Protocol } from 'aws-cdk-lib/aws-ec2';
import { mermaidLimitWarnings, toMermaid } from './diagram';
import { pathKind } from './matchers';
import { NetworkModel } from './network-model';
import { stackNameOfFile, templateFilesOf } from './private/load';
import { parseParameterArgument } from './private/parameters';
import { Finding, FindingSeverity, INetworkModel, Reachability, ReachOptions } from './types';
import { MAXIMUM_QUOTAS } from '../routing/quotas';

/** Where the command writes: injected so that it runs in tests without a process. */
export interface AnalyzeCliIo {
  /** Print to standard output (one line or block; the launcher adds the newline). */
  out(text: string): void;
  /** Print to standard error. */
  err(text: string): void;
  /** Write a file (the diagram). */
  writeFile(file: string, text: string): void;
}

/** The command line parsed. */
interface AnalyzeArgs {
  /** The cloud assembly directory, or the template files and directories of templates. */
  readonly inputs: string[];
  /** Parameter values: stack → parameter → value. */
  readonly parameters: { [stack: string]: { [key: string]: string } };
  readonly diagram?: string;
  readonly failOn: FindingSeverity | 'never';
  readonly routesPerRouteTable?: number;
  /** `--port` and `--protocol`: the matrix checks that traffic (security groups, network ACLs); undefined: routes only. */
  readonly traffic?: ReachOptions;
}

/** The exit codes of the command. */
export const EXIT = {
  /** Analysed; no finding at or above `--fail-on`. */
  OK: 0,
  /** Analysed; findings at or above `--fail-on`. */
  FINDINGS: 1,
  /** Bad usage, or the input is neither a cloud assembly nor templates that can be read (nothing analysed). */
  USAGE: 2,
} as const;

const FAIL_ON_VALUES = [FindingSeverity.ERROR, FindingSeverity.WARNING, FindingSeverity.INFO, 'never'] as const;

/** The protocols `--protocol` takes, as aws-cdk-lib's `ec2.Protocol`. */
const PROTOCOLS: { [name: string]: Protocol } = { tcp: Protocol.TCP, udp: Protocol.UDP, icmp: Protocol.ICMP };

/** The help text of the command. */
export const USAGE = `Usage: cdk-vpc-connect analyze [DIR | TEMPLATE...] [options]

Build the network model of a synthesized CDK app (a cloud assembly) or of CloudFormation
templates, then print which VPC reaches which (a round trip, and the kinds of routes it
takes) and the routing findings.

  DIR                           a cloud assembly directory (it has a manifest.json; default:
                                cdk.out, run npx cdk synth first), or a directory of templates
  TEMPLATE...                   template files or directories of them: *.json, *.yaml, *.yml,
                                *.template (YAML short tags such as !Ref and !If included);
                                each is a stack named after its file without the extension;
                                a nested stack whose TemplateURL is a local file is read too
  --parameters STACK:KEY=VALUE  the value of a template parameter (repeat it for each);
                                without one a parameter takes its Default, else is unknown;
                                STACK:AWS::Region=REGION gives a template's region
  --diagram FILE                also write a Mermaid diagram of the VPCs, peerings, transit
                                gateways and endpoints (GitHub renders it); a FILE ending in
                                .md gets it inside a mermaid code block
  --fail-on SEVERITY            exit with 1 when a finding is at least this severe:
                                error (default), warning, info or never
  --routes-per-route-table N    the route table quota of the route-quota rule (default: 500)
  --port N                      the matrix checks this destination port (for icmp: the ICMP
                                type, 8 for ping) through the security groups and network
                                ACLs too, not only the routes; without it, routes only
  --protocol tcp|udp|icmp       the protocol of --port (default: tcp); alone: any port of it
  -h, --help                    print this help

Exit codes: 0 no finding at or above --fail-on, 1 some, 2 bad usage, or nothing that can be read.`;

/**
 * The `cdk-vpc-connect` command: `analyze [DIR] [--diagram FILE] [--fail-on SEVERITY]`.
 *
 * @returns the exit code (see `EXIT`)
 */
export function runAnalyzeCli(argv: string[], io: AnalyzeCliIo): number {
  const parsed = parseArgs(argv);
  if (parsed === 'help') {
    io.out(USAGE);
    return EXIT.OK;
  }
  if (typeof parsed === 'string') {
    io.err(`cdk-vpc-connect: ${parsed}\nRun cdk-vpc-connect --help for the usage.`);
    return EXIT.USAGE;
  }
  const input = inputOf(parsed.inputs);
  if (typeof input === 'string') {
    io.err(`cdk-vpc-connect: ${input}`);
    return EXIT.USAGE;
  }

  let model: INetworkModel;
  const options = { quotas: { routesPerRouteTable: parsed.routesPerRouteTable }, parameters: parsed.parameters };
  try {
    model = input.kind === 'assembly' ? NetworkModel.fromAssembly(input.directory, options) : NetworkModel.fromTemplateFiles(input.files, options);
  } catch (e) {
    io.err(`cdk-vpc-connect: cannot analyse ${input.kind === 'assembly' ? `the cloud assembly ${input.directory}` : `the templates ${parsed.inputs.join(' ')}`}: ${(e as Error).message}`);
    return EXIT.USAGE;
  }

  const what = input.kind === 'assembly' ? `Cloud assembly ${input.directory}`
    : `Templates ${Object.entries(input.files).map(([stack, file]) => (stackNameOfFile(file) === stack ? file : `${file} (${stack})`)).join(', ')}`;
  io.out(`${what}: ${count(model.vpcs.length, 'VPC')}, ${count(model.peerings.length, 'peering connection')}, `
    + `${count(model.transitGateways.length, 'transit gateway')}, ${count(model.endpoints.length, 'VPC endpoint')}.`);
  io.out('');
  io.out(formatReachabilityMatrix(model, 100, parsed.traffic).join('\n'));
  io.out('');
  io.out(formatFindings(model.findings).join('\n'));

  if (parsed.diagram !== undefined) {
    const diagram = toMermaid(model);
    const text = /\.(md|markdown)$/i.test(parsed.diagram) ? `\`\`\`mermaid\n${diagram}\`\`\`\n` : diagram;
    try {
      io.writeFile(parsed.diagram, text);
    } catch (e) {
      io.err(`cdk-vpc-connect: cannot write the diagram to ${parsed.diagram}: ${(e as Error).message}`);
      return EXIT.USAGE;
    }
    io.out('');
    io.out(`Diagram written to ${parsed.diagram}.`);
    for (const warning of mermaidLimitWarnings(diagram)) {
      io.err(`cdk-vpc-connect: ${warning}`);
    }
  }

  const failing = failingFindings(model.findings, parsed.failOn);
  if (failing.length > 0) {
    io.err(`cdk-vpc-connect: ${count(failing.length, 'finding')} at or above ${parsed.failOn}.`);
    return EXIT.FINDINGS;
  }
  return EXIT.OK;
}

/**
 * The reachability matrix: the VPCs numbered, then one row per source VPC and one column per
 * destination, each cell the kinds of routes of the round trip (`local`, `pcx`, `tgw`,
 * `pcx+tgw`...), `—` when there is none, `?` when the model cannot tell (`pcx?`: probably
 * reachable). Columns are split into blocks that fit `width` characters. With `traffic` (a port
 * and protocol), each answer also checks the security groups and network ACLs for it.
 */
export function formatReachabilityMatrix(model: INetworkModel, width = 100, traffic?: ReachOptions): string[] {
  const vpcs = model.vpcs;
  if (vpcs.length === 0) {
    return ['No VPC in the templates.'];
  }
  const numbers = vpcs.map((_, i) => String(i + 1));
  const numberWidth = numbers[numbers.length - 1].length;
  const lines = ['VPCs:'];
  for (const [i, vpc] of vpcs.entries()) {
    const blocks = vpc.cidrs.length > 0 ? vpc.cidrs.join(', ') : 'CIDR unknown';
    lines.push(`  ${numbers[i].padStart(numberWidth)}  ${vpc.name}  ${blocks}${vpc.certain ? '' : ' (not all blocks known)'}`);
  }

  const uncertain: string[] = [];
  const cells = vpcs.map((from, i) => vpcs.map((to, j) => {
    const answer = traffic === undefined ? model.canReach(from.name, to.name) : model.canReach(from.name, to.name, traffic);
    if (!answer.certain) {
      uncertain.push(`  ${numbers[i]} -> ${numbers[j]}: ${answer.reason ?? 'no reason given'}`);
    }
    return cell(answer);
  }));
  const cellWidth = Math.max(numberWidth, ...cells.flat().map((c) => c.length));
  const rowLabel = (s: string) => `  ${s.padStart(numberWidth)}  `;
  const perBlock = Math.max(1, Math.floor((width - rowLabel('').length) / (cellWidth + 2)));

  lines.push('');
  if (traffic === undefined) {
    lines.push('Reachability (row: from, column: to; a round trip and the kinds of routes it takes):');
  } else {
    lines.push(`Reachability of ${describeTraffic(traffic)} (row: from, column: to; a round trip through the routes,`);
    lines.push('security groups and network ACLs, and the kinds of routes it takes):');
  }
  for (let start = 0; start < vpcs.length; start += perBlock) {
    const columns = numbers.slice(start, start + perBlock).map((_, k) => start + k);
    if (vpcs.length > perBlock) {
      lines.push('');
      const [first, last] = [columns[0] + 1, columns[columns.length - 1] + 1];
      lines.push(`  to ${first === last ? first : `${first}-${last}`}:`);
    }
    lines.push((rowLabel('') + columns.map((j) => numbers[j].padEnd(cellWidth)).join('  ')).trimEnd());
    for (const [i] of vpcs.entries()) {
      lines.push((rowLabel(numbers[i]) + columns.map((j) => cells[i][j].padEnd(cellWidth)).join('  ')).trimEnd());
    }
  }
  lines.push('');
  lines.push('local: within the VPC, pcx: VPC peering, tgw: transit gateway (igw, nat, firewall, endpoint, other:');
  lines.push('through those), pcx+tgw: both, —: no round trip, ?: the model cannot tell (pcx?: probably');
  lines.push('reachable).');
  if (uncertain.length > 0) {
    const shown = 10;
    lines.push('');
    lines.push('Why the model cannot tell:');
    lines.push(...uncertain.slice(0, shown));
    if (uncertain.length > shown) {
      lines.push(`  ... and ${uncertain.length - shown} more`);
    }
  }
  return lines;
}

/** The findings grouped by severity, errors first, each with its rule id, message, constructs and fix. */
export function formatFindings(findings: Finding[]): string[] {
  if (findings.length === 0) {
    return ['Findings: none.'];
  }
  const order = [FindingSeverity.ERROR, FindingSeverity.WARNING, FindingSeverity.INFO];
  const bySeverity = order.map((severity) => findings.filter((f) => f.severity === severity));
  const lines = [`Findings: ${order.map((severity, i) => count(bySeverity[i].length, severity)).join(', ')}.`];
  for (const [i, severity] of order.entries()) {
    if (bySeverity[i].length === 0) {
      continue;
    }
    lines.push('');
    lines.push(`${severity.toUpperCase()} (${bySeverity[i].length})`);
    for (const finding of bySeverity[i]) {
      lines.push(`  ${finding.ruleId}${finding.constructs.length > 0 ? `  ${finding.constructs.join(', ')}` : ''}`);
      lines.push(`    ${finding.message}`);
      lines.push(`    Fix: ${finding.fix}`);
    }
  }
  return lines;
}

/** The findings at or above `failOn`. */
export function failingFindings(findings: Finding[], failOn: FindingSeverity | 'never'): Finding[] {
  const rank = (s: FindingSeverity | 'never') => FAIL_ON_VALUES.length - FAIL_ON_VALUES.indexOf(s);
  return failOn === 'never' ? [] : findings.filter((f) => rank(f.severity) >= rank(failOn));
}

/** `tcp port 443`, `icmp type 8`, `any udp port`. */
function describeTraffic(traffic: ReachOptions): string {
  const protocol = traffic.protocol ?? Protocol.TCP;
  if (traffic.port === undefined) { return `any ${protocol} ${protocol === Protocol.ICMP ? 'type' : 'port'}`; }
  return `${protocol} ${protocol === Protocol.ICMP ? 'type' : 'port'} ${traffic.port}`;
}

function cell(answer: Reachability): string {
  if (answer.certain) {
    return answer.reachable ? pathKind(answer) : '—';
  }
  return answer.reachable ? `${pathKind(answer)}?` : '?';
}

/** The parsed arguments, `'help'`, or what is wrong with them. */
function parseArgs(argv: string[]): AnalyzeArgs | 'help' | string {
  if (argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') {
    return 'help';
  }
  if (argv.length === 0) {
    return 'no command; the command is analyze.';
  }
  const [command, ...rest] = argv;
  if (command !== 'analyze') {
    return `unknown command '${command}'; the command is analyze.`;
  }
  const positional: string[] = [];
  const parameters: { [stack: string]: { [key: string]: string } } = {};
  let diagram: string | undefined;
  let failOn: FindingSeverity | 'never' = FindingSeverity.ERROR;
  let routesPerRouteTable: number | undefined;
  let port: number | undefined;
  let protocol: Protocol | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (!['--diagram', '--fail-on', '--routes-per-route-table', '--parameters', '--port', '--protocol'].includes(flag)) {
      return `unknown option '${flag}'.`;
    }
    let value: string | undefined;
    if (eq > 0) {
      value = arg.slice(eq + 1);
    } else if (i + 1 < rest.length && !rest[i + 1].startsWith('--')) {
      value = rest[++i];
    }
    if (value === undefined || value === '') {
      return `${flag} needs a value.`;
    }
    if (flag === '--diagram') {
      diagram = value;
    } else if (flag === '--parameters') {
      const problem = parseParameterArgument(value, parameters);
      if (problem) { return problem; }
    } else if (flag === '--port') {
      port = Number(value);
      if (!/^\d+$/.test(value) || port > 65535) {
        return `--port is '${value}'; it must be a whole number from 0 to 65535 (for --protocol icmp, the ICMP type: 0 to 255).`;
      }
    } else if (flag === '--protocol') {
      protocol = PROTOCOLS[value.toLowerCase()];
      if (protocol === undefined) {
        return `--protocol is '${value}'; use one of ${Object.keys(PROTOCOLS).join(', ')}.`;
      }
    } else if (flag === '--fail-on') {
      if (!(FAIL_ON_VALUES as readonly string[]).includes(value)) {
        return `--fail-on is '${value}'; use one of ${FAIL_ON_VALUES.join(', ')}.`;
      }
      failOn = value as FindingSeverity | 'never';
    } else {
      routesPerRouteTable = Number(value);
      if (!/^\d+$/.test(value) || routesPerRouteTable <= 0) {
        return `--routes-per-route-table is '${value}'; it must be a positive whole number.`;
      }
      if (routesPerRouteTable > MAXIMUM_QUOTAS.routesPerRouteTable) {
        return `--routes-per-route-table is ${value}; AWS allows at most ${MAXIMUM_QUOTAS.routesPerRouteTable} routes per route table.`;
      }
    }
  }
  if (protocol === Protocol.ICMP && port !== undefined && port > 255) {
    return `--port is ${port} with --protocol icmp; for ICMP it is the ICMP type, 0 to 255 (8: echo request).`;
  }
  const traffic = port === undefined && protocol === undefined ? undefined
    : { ...(port === undefined ? {} : { port }), ...(protocol === undefined ? {} : { protocol }) };
  return { inputs: positional.length > 0 ? positional : ['cdk.out'], parameters, diagram, failOn, routesPerRouteTable, traffic };
}

/** What to read: one cloud assembly, or template files (stack → file); or why the inputs cannot be read. */
function inputOf(inputs: string[]): { kind: 'assembly'; directory: string } | { kind: 'templates'; files: { [stack: string]: string } } | string {
  for (const input of inputs) {
    if (!fs.existsSync(input)) {
      return `${input} does not exist. Synthesize the app first (npx cdk synth), or name its cloud assembly directory: cdk-vpc-connect analyze DIR` +
        ' (or name template files: cdk-vpc-connect analyze vpc.yaml peering.yaml).';
    }
    if (!fs.statSync(input).isDirectory() && path.basename(input) === 'manifest.json') {
      return `${input} is a cloud assembly's manifest, not a template; name the cloud assembly directory that holds it (cdk.out).`;
    }
  }
  const assemblies = inputs.filter((i) => fs.statSync(i).isDirectory() && fs.existsSync(path.join(i, 'manifest.json')));
  if (assemblies.length > 0) {
    if (inputs.length > 1) {
      return `${assemblies[0]} is a cloud assembly (it has a manifest.json): analyse it alone, not with ${inputs.filter((i) => i !== assemblies[0]).join(' ')}.`;
    }
    return { kind: 'assembly', directory: inputs[0] };
  }
  try {
    return { kind: 'templates', files: templateFilesOf(inputs) };
  } catch (e) {
    return (e as Error).message;
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 || noun === FindingSeverity.INFO ? '' : 's'}`;
}
