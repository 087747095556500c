/**
 * Pure IPv4 / IPv6 CIDR arithmetic. No CDK imports: everything here is testable without synthesis.
 */

/** The IP version of a CIDR block. */
export enum IpVersion {
  IPV4 = 4,
  IPV6 = 6,
}

const IPV4_BITS = 32;
const IPV6_BITS = 128;

/**
 * A parsed CIDR block (`10.0.0.0/16`, `2600:1f18::/56`).
 *
 * Immutable. The network address must not have host bits set: `10.0.0.1/16` is rejected,
 * as AWS rejects it for route destinations and VPC blocks.
 */
export class Cidr {
  /**
   * Parse a CIDR block, throwing a descriptive error when it is malformed.
   */
  public static parse(text: string): Cidr {
    const result = Cidr.tryParse(text);
    if (typeof result === 'string') {
      throw new Error(result);
    }
    return result;
  }

  /**
   * Parse a CIDR block; returns the reason as a string when it is malformed.
   */
  public static tryParse(text: string): Cidr | string {
    if (typeof text !== 'string') {
      return `'${String(text)}' is not a CIDR block`;
    }
    const slash = text.indexOf('/');
    if (slash < 0 || slash !== text.lastIndexOf('/')) {
      return `'${text}' is not a CIDR block: expected <address>/<prefix length>`;
    }
    const addressText = text.slice(0, slash);
    const prefixText = text.slice(slash + 1);
    const version = addressText.includes(':') ? IpVersion.IPV6 : IpVersion.IPV4;
    const bits = version === IpVersion.IPV4 ? IPV4_BITS : IPV6_BITS;
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) {
      return `'${text}' is not a CIDR block: the prefix length must be a number from 0 to ${bits}`;
    }
    const prefix = Number(prefixText);
    const address = version === IpVersion.IPV4 ? parseIpv4(addressText) : parseIpv6(addressText);
    if (address === undefined) {
      return `'${text}' is not a CIDR block: '${addressText}' is not a valid IPv${version} address`;
    }
    const hostMask = (1n << BigInt(bits - prefix)) - 1n;
    if ((address & hostMask) !== 0n) {
      const network = new Cidr(version, address & ~hostMask, prefix);
      return `'${text}' is not a CIDR block: it has host bits set (did you mean ${network}?)`;
    }
    return new Cidr(version, address, prefix);
  }

  /** Whether a string parses as a CIDR block. */
  public static isValid(text: string): boolean {
    return typeof Cidr.tryParse(text) !== 'string';
  }

  /**
   * The network address as an unsigned integer (internal: jsii cannot bind `bigint`; read it
   * with {@link networkOf}).
   *
   * @internal
   */
  public readonly _network: bigint;

  /**
   * The last address, computed once (the network model compares blocks millions of times).
   *
   * @internal
   */
  public readonly _broadcast: bigint;

  private constructor(
    /** IPv4 or IPv6. */
    public readonly version: IpVersion,
    network: bigint,
    /** The prefix length (0 to 32 for IPv4, 0 to 128 for IPv6). */
    public readonly prefixLength: number,
  ) {
    this._network = network;
    const bits = version === IpVersion.IPV4 ? IPV4_BITS : IPV6_BITS;
    this._broadcast = network + ((1n << BigInt(bits - prefixLength)) - 1n);
  }

  /**
   * The network address (the first address of the block) in canonical form: dotted quad for
   * IPv4 (`10.0.0.0`), RFC 5952 compressed form for IPv6 (`2600:1f18::`).
   */
  public get networkAddress(): string {
    return this.version === IpVersion.IPV4 ? formatIpv4(this._network) : formatIpv6(this._network);
  }

  /** Whether `other` lies entirely inside this block (a block contains itself). */
  public contains(other: Cidr): boolean {
    return this.version === other.version
      && this.prefixLength <= other.prefixLength
      && other._network >= this._network
      && other._broadcast <= this._broadcast;
  }

  /** Whether the two blocks share any address. */
  public overlaps(other: Cidr): boolean {
    return this.version === other.version
      && this._network <= other._broadcast
      && other._network <= this._broadcast;
  }

  /** Whether `other` is the same block: same version, network address and prefix length. */
  public isSameBlock(other: Cidr): boolean {
    return this.version === other.version && this._network === other._network && this.prefixLength === other.prefixLength;
  }

  /** Canonical text: dotted quad for IPv4, RFC 5952 compressed form for IPv6. */
  public toString(): string {
    return `${this.networkAddress}/${this.prefixLength}`;
  }
}

/**
 * The network address of `cidr` as an unsigned integer. Internal (not exported from the
 * package): for sorting and arithmetic on blocks inside the library.
 */
export function networkOf(cidr: Cidr): bigint {
  return cidr._network;
}

/**
 * The last address of `cidr` as an unsigned integer. Internal (not exported from the package).
 */
export function broadcastOf(cidr: Cidr): bigint {
  return cidr._broadcast;
}

/**
 * When `text` is an address and a prefix length whose address has host bits set
 * (`10.2.0.1/16`), the block that address lies in (`10.2.0.0/16`); otherwise undefined (a valid
 * block, or text that is not an address and prefix at all). Internal (not exported from the
 * package): the identifier checks word their host-bits message with it.
 */
export function blockWithHostBitsCleared(text: string): string | undefined {
  if (typeof text !== 'string') { return undefined; }
  const slash = text.indexOf('/');
  if (slash < 0 || slash !== text.lastIndexOf('/')) { return undefined; }
  const addressText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const version = addressText.includes(':') ? IpVersion.IPV6 : IpVersion.IPV4;
  const bits = version === IpVersion.IPV4 ? IPV4_BITS : IPV6_BITS;
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) { return undefined; }
  const address = version === IpVersion.IPV4 ? parseIpv4(addressText) : parseIpv6(addressText);
  if (address === undefined) { return undefined; }
  const hostMask = (1n << BigInt(bits - Number(prefixText))) - 1n;
  if ((address & hostMask) === 0n) { return undefined; }
  const network = address & ~hostMask;
  return `${version === IpVersion.IPV4 ? formatIpv4(network) : formatIpv6(network)}/${Number(prefixText)}`;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) { return undefined; }
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255 || (part.length > 1 && part.startsWith('0'))) {
      return undefined;
    }
    value = (value << 8n) | BigInt(Number(part));
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) { return undefined; }
  const head = halves[0] === '' ? [] : halves[0].split(':');
  const tail = halves.length === 2 && halves[1] !== '' ? halves[1].split(':') : [];
  const groups = [...head, ...tail];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) { return undefined; }
  if (halves.length === 1 && groups.length !== 8) { return undefined; }
  if (halves.length === 2 && groups.length > 7) { return undefined; }
  const zeros = 8 - groups.length;
  const all = halves.length === 2 ? [...head, ...Array(zeros).fill('0'), ...tail] : groups;
  return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

function formatIpv6(value: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) {
    groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  }
  // RFC 5952: compress the longest run (length >= 2) of zero groups, the first one on ties.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) { j++; }
    if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) { return hex.join(':'); }
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
