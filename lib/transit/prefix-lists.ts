import { fnv1a } from '../routing/route-tables';

/**
 * How a hub writes the routes in its spokes' route tables, and the pure arithmetic of the
 * prefix lists it can use instead of one route per block (no construct is created here).
 *
 * AWS counts a route whose destination is a managed prefix list as the list's *max entries*
 * routes, not its current entries, against the routes-per-route-table quota
 * (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html, "Maximum number of
 * entries per prefix list"; ../shared/FACTS.md).
 */

/**
 * How a transit gateway hub routes, in each spoke's route tables, the blocks of the spokes it
 * reaches.
 */
export enum RouteDestinationStyle {
  /** One route per CIDR block of each spoke reached (or per summary of `routes.destinations`). */
  CIDR_BLOCKS = 'CIDR_BLOCKS',
  /**
   * One route per route table, to a managed prefix list (`AWS::EC2::PrefixList`, one per segment,
   * in the hub's stack) that holds the IPv4 blocks of every spoke the segment reaches. The list
   * is shared through the hub's resource share when `shareWith` is given. IPv6 blocks are still
   * routed one by one. AWS counts the route as the list's max entries against the route quota.
   */
  PREFIX_LIST = 'PREFIX_LIST',
}

/** The most entries a customer-managed prefix list can have is a quota: lib/routing/quotas.ts. */

/**
 * The max entries of a segment's prefix list: its entries plus the headroom, at least 1 (AWS
 * rejects a list of 0 max entries).
 */
export function prefixListMaxEntries(entries: number, headroom: number): number {
  return Math.max(1, entries + headroom);
}

/** The problem with a prefix list headroom, if any. */
export function checkPrefixListHeadroom(headroom: number): string | undefined {
  if (!Number.isInteger(headroom) || headroom < 0) {
    return `prefixListHeadroom must be a whole number of entries, 0 or more, got ${headroom}`;
  }
  return undefined;
}

/**
 * The name of a prefix list: what AWS accepts (at most 255 characters, not starting with
 * `com.amazonaws`; CreateManagedPrefixList, PrefixListName). A longer text keeps its start and
 * end around a hash of the whole, so two long names stay apart and every synth gives the same.
 */
export function prefixListName(text: string): string {
  const chars = [...text.replace(/^com\.amazonaws/i, 'prefix-list-com.amazonaws')];
  if (chars.length <= 255) { return chars.join(''); }
  const marker = `...~${fnv1a(text)}~...`;
  const room = 255 - marker.length;
  const head = Math.floor(room / 2);
  return `${chars.slice(0, head).join('')}${marker}${chars.slice(chars.length - (room - head)).join('')}`;
}
