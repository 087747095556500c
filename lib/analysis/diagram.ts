/**
 * The Mermaid diagram of a network model (`NetworkModel.toMermaid()`, the CLI's `--diagram`).
 * Internal: the package exports the method, not these functions.
 */
import { VpcEndpointType } from 'aws-cdk-lib/aws-ec2';
import { INetworkModel, ModelEndpoint, ModelVpc } from './types';

/**
 * The limits of the Mermaid renderer GitHub uses, past which it shows an error instead of the
 * diagram (mermaid's defaults `maxEdges` and `maxTextSize`; a page cannot raise them).
 */
export const MERMAID_LIMITS = {
  /** Links per flowchart (mermaid `flowchart.maxEdges`, 500 since mermaid 10.7). */
  edges: 500,
  /** Characters per diagram (mermaid `maxTextSize`). */
  characters: 50_000,
} as const;

/**
 * The network as a Mermaid flowchart (GitHub renders it in a ```` ```mermaid ```` block or a `.mmd` file).
 *
 * - one node per VPC: its name and CIDR blocks; a VPC the model only knows by reference (a
 *   peer or attachment outside the templates, a VPC with a deploy-time CIDR) is dashed;
 * - one link per peering connection, labelled `pcx`;
 * - one hexagon per transit gateway, linked to each VPC attached to it, and to the gateways it
 *   is peered with (`tgw peering`);
 * - one rounded node per VPC with endpoints, listing them (`s3 (Gateway)`, `ssm`...), linked
 *   to its VPC with a dotted line: one link per VPC rather than per endpoint keeps large
 *   networks under the renderer's edge limit (see `MERMAID_LIMITS`).
 *
 * Node ids derive from the names (`vpc_App_Net_VpcA`), so a diagram diffs well when the app changes.
 */
export function toMermaid(model: INetworkModel): string {
  const ids = new IdAllocator();
  const lines: string[] = ['flowchart LR'];
  lines.push(`  %% ${model.vpcs.length} VPCs, ${model.peerings.length} peering connections, ${model.transitGateways.length} transit gateways, ${model.endpoints.length} VPC endpoints`);

  // VPCs of the model first, in its order; then those only referenced by a peering, an attachment or an endpoint.
  const vpcIds = new Map<string, string>();
  const addVpc = (vpc: ModelVpc | string) => {
    const name = typeof vpc === 'string' ? vpc : vpc.name;
    if (vpcIds.has(name)) {
      return vpcIds.get(name)!;
    }
    const id = ids.allocate('vpc', name);
    vpcIds.set(name, id);
    if (typeof vpc === 'string') {
      lines.push(`  ${id}["${label([name, 'not in the templates'])}"]:::uncertain`);
    } else {
      const blocks = vpc.cidrs.length > 0 ? vpc.cidrs : ['CIDR unknown'];
      lines.push(`  ${id}["${label([vpc.name, ...blocks])}"]${vpc.certain ? '' : ':::uncertain'}`);
    }
    return id;
  };
  model.vpcs.forEach(addVpc);

  const links: string[] = [];
  for (const peering of model.peerings) {
    links.push(`  ${addVpc(peering.requester)} ---|pcx| ${addVpc(peering.accepter)}`);
  }
  const tgwIds = new Map<string, string>();
  for (const tgw of model.transitGateways) {
    const id = ids.allocate('tgw', tgw.name);
    tgwIds.set(tgw.name, id);
    lines.push(`  ${id}{{"${label([tgw.name, 'transit gateway'])}"}}`);
    for (const attached of tgw.attachedVpcs) {
      links.push(`  ${id} --- ${addVpc(attached)}`);
    }
  }
  // One link per pair of peered gateways (each lists the other).
  const drawn = new Set<string>();
  for (const tgw of model.transitGateways) {
    for (const peer of tgw.peeredWith ?? []) {
      const pair = [tgw.name, peer].sort().join('\n');
      if (drawn.has(pair) || !tgwIds.has(peer)) { continue; }
      drawn.add(pair);
      links.push(`  ${tgwIds.get(tgw.name)} ---|tgw peering| ${tgwIds.get(peer)}`);
    }
  }
  const endpointsByVpc = new Map<string, ModelEndpoint[]>();
  for (const endpoint of model.endpoints) {
    endpointsByVpc.set(endpoint.vpc, [...endpointsByVpc.get(endpoint.vpc) ?? [], endpoint]);
  }
  for (const [vpcName, endpoints] of endpointsByVpc) {
    const vpcId = addVpc(vpcName);
    const id = ids.allocate('endpoints', vpcName);
    lines.push(`  ${id}(["${label(endpoints.map(describeEndpoint))}"])`);
    links.push(`  ${vpcId} -.- ${id}`);
  }

  lines.push(...links);
  lines.push('  classDef uncertain stroke-dasharray: 5 5');
  return lines.join('\n') + '\n';
}

/**
 * Why GitHub would not render `diagram` (too many links or characters for its Mermaid
 * renderer, see `MERMAID_LIMITS`), or nothing.
 */
export function mermaidLimitWarnings(diagram: string): string[] {
  const warnings: string[] = [];
  const links = diagram.split('\n').filter((line) => /^\s*\w+ (---|-\.-)/.test(line)).length;
  if (links > MERMAID_LIMITS.edges) {
    warnings.push(`The diagram has ${links} links; GitHub's Mermaid renderer draws at most ${MERMAID_LIMITS.edges} and shows an error instead.`);
  }
  if (diagram.length > MERMAID_LIMITS.characters) {
    warnings.push(`The diagram has ${diagram.length} characters; GitHub's Mermaid renderer accepts at most ${MERMAID_LIMITS.characters}.`);
  }
  return warnings;
}

/**
 * Mermaid node ids made from names: letters, digits and `_` only, prefixed by the kind so that
 * no id is a keyword (`end`, `subgraph`) or starts with `o`/`x` (which would turn `---` into a
 * circle or cross link), and numbered when two names sanitize alike.
 */
class IdAllocator {
  private readonly used = new Set<string>();

  allocate(kind: string, name: string): string {
    const base = `${kind}_${name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '')}`;
    let id = base;
    for (let i = 2; this.used.has(id); i++) {
      id = `${base}_${i}`;
    }
    this.used.add(id);
    return id;
  }
}

/** A node label: lines joined by `<br/>`, each escaped for a double-quoted Mermaid string. */
function label(lines: string[]): string {
  return lines.map(escapeLabel).join('<br/>');
}

/**
 * Escape text for a double-quoted Mermaid label with Mermaid's entity codes (`#quot;`): quotes
 * would end the label, `<`, `>` and `&` would be read as HTML, `#` as an entity, a backtick as markdown.
 */
export function escapeLabel(text: string): string {
  const codes: Record<string, string> = { '#': '#35;', '"': '#quot;', '<': '#lt;', '>': '#gt;', '&': '#amp;', '`': '#96;' };
  return text.replace(/[\r\n]+/g, ' ').replace(/[#"<>&`]/g, (c) => codes[c]);
}

/** `s3 (Gateway)` for a gateway endpoint, `ssm` for an interface endpoint of `com.amazonaws.<region>.ssm`. */
function describeEndpoint(endpoint: ModelEndpoint): string {
  const service = /^com\.amazonaws\.[^.]+\.(.+)$/.exec(endpoint.service)?.[1] ?? endpoint.service;
  return endpoint.endpointType === VpcEndpointType.GATEWAY ? `${service} (Gateway)` : service;
}
