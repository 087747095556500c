/**
 * Plain-text renderings of estimates and comparisons, for scripts and terminals.
 */
import { MeshHubComparison, MeshQuotaStatus } from './comparison';
import { CostEstimate } from './estimate';
import { DEFAULT_QUOTAS } from '../routing/quotas';

/**
 * Plain-text renderings of cost estimates and comparisons, for scripts and terminals.
 *
 * @example
 * console.log(CostReport.formatEstimate(CostEstimates.mesh({ vpcs: 5, traffic: { gbPerMonth: 2300 } })));
 */
export class CostReport {
  /** Dollars with two decimals and thousands separators: `$1,234.50`. */
  public static formatUsd(amount: number): string {
    return formatUsd(amount);
  }

  /** An estimate as a table: one row per line, its note underneath, and the total. */
  public static formatEstimate(estimate: CostEstimate): string {
    const rows = estimate.lines.map((l) => [l.item, `${formatQuantity(l.quantity)} ${l.unit}`, `$${String(l.rateUsd)}`, formatUsd(l.monthlyUsd)]);
    const header = ['Item', 'Quantity per month', 'Rate', 'Monthly'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const render = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
    const out = [`${estimate.title} (${estimate.pricing})`, render(header), render(widths.map((w) => '-'.repeat(w)))];
    estimate.lines.forEach((l, i) => {
      out.push(render(rows[i]));
      if (l.note) { out.push(`    ${l.note}`); }
    });
    out.push(render(['Total', '', '', formatUsd(estimate.monthlyUsd)]));
    return out.join('\n');
  }

  /**
   * A mesh/hub comparison as a table, followed by its turning points. Where a full mesh is
   * impossible (above the most peerings per VPC AWS allows), the `Cheaper` column says
   * `hub (no mesh)` whatever the dollars.
   */
  public static formatComparison(comparison: MeshHubComparison): string {
    const peeringQuota = comparison.quotas.peeringsPerVpc ?? DEFAULT_QUOTAS.peeringsPerVpc;
    const routeQuota = comparison.quotas.routesPerRouteTable ?? DEFAULT_QUOTAS.routesPerRouteTable;
    const maxPeerings = comparison.meshReachesMaxPeeringQuotaAt - 1;
    const header = ['VPCs', 'GB/month', 'Peerings', 'Per VPC', 'Routes/table', 'Mesh/month', 'Hub/month', 'Cheaper', `Mesh vs peering quota (${peeringQuota}, max ${maxPeerings})`];
    const rows = comparison.rows.map((r) => [
      String(r.vpcs),
      formatQuantity(r.traffic.gbPerMonth),
      formatQuantity(r.peeringConnections),
      String(r.peeringsPerVpc),
      `${r.routesPerRouteTable}${r.meshWithinRouteQuota ? '' : ' (over)'}`,
      formatUsd(r.meshMonthlyUsd),
      formatUsd(r.hubMonthlyUsd),
      r.meshQuotaStatus === MeshQuotaStatus.IMPOSSIBLE ? 'hub (no mesh)' : String(r.cheaper),
      STATUS[r.meshQuotaStatus],
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const render = (cells: string[]) => cells.map((c, i) => (i >= 7 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
    const out = [`Full mesh vs transit gateway hub (${comparison.pricing})`, render(header), render(widths.map((w) => '-'.repeat(w))), ...rows.map(render), ''];
    out.push(comparison.hubCheaperFrom === undefined
      ? `The hub is never cheaper up to ${Math.max(...comparison.rows.map((r) => r.vpcs))} VPCs at these rates.`
      : `The hub is cheaper from ${comparison.hubCheaperFrom} VPCs.`);
    out.push(`Each VPC of the mesh reaches the peering quota of ${peeringQuota} at ${comparison.meshReachesPeeringQuotaAt} VPCs; from ${comparison.meshExceedsPeeringQuotaFrom} VPCs the mesh needs a quota increase.`);
    out.push(`Each VPC reaches the most AWS allows (${maxPeerings}) at ${comparison.meshReachesMaxPeeringQuotaAt} VPCs; from ${comparison.meshImpossibleFrom} VPCs a full mesh is impossible and the hub is necessary.`);
    const otherRoutes = comparison.otherRoutesPerRouteTable;
    out.push(comparison.meshExceedsRouteQuotaFrom < comparison.meshImpossibleFrom
      ? `Route tables exceed ${routeQuota} routes from ${comparison.meshExceedsRouteQuotaFrom} VPCs (${otherRoutes} other route(s) per table).`
      : `Route tables stay within ${routeQuota} routes in every possible full mesh (at most ${maxPeerings} peering routes + ${otherRoutes} other route(s) per table).`);
    return out.join('\n');
  }

  private constructor() {}
}

function formatUsd(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  const [whole, cents] = Math.abs(amount).toFixed(2).split('.');
  return `${sign}$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}

/** A number with thousands separators and at most two decimals: `7,300`, `1,250.5`. */
function formatQuantity(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  const [whole, decimals] = String(rounded).split('.');
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (decimals ? `.${decimals}` : '');
}

const STATUS: { [status: string]: string } = {
  [MeshQuotaStatus.WITHIN_DEFAULT]: 'within default',
  [MeshQuotaStatus.NEEDS_INCREASE]: 'needs quota increase',
  [MeshQuotaStatus.IMPOSSIBLE]: 'impossible',
};
