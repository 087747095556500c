import { spawnSync } from 'child_process';
import * as path from 'path';
import { costComparison, COMPARISON_POINTS, EXAMPLE_TRAFFIC, renderCostComparison } from '../../examples/cost-comparison';
import { MeshQuotaStatus, Pricing } from '../../lib/cost';

describe('examples/cost-comparison', () => {
  test('the five VPCs: mesh $23.00, hub $228.50 a month', () => {
    // GIVEN 4 workload VPCs × 500 GB to shared services + 6 workload pairs × 50 GB = 2,300 GB, half across AZs
    const { mesh, hub } = costComparison();
    // THEN mesh: 2,300 × 0.5 × ($0.01 + $0.01); hub: 5 × 730 × $0.05 + 2,300 × $0.02
    expect(mesh.monthlyUsd).toBeCloseTo(2300 * 0.5 * 0.02, 10);
    expect(mesh.monthlyUsd).toBeCloseTo(23, 10);
    expect(hub.monthlyUsd).toBeCloseTo(5 * 730 * 0.05 + 2300 * 0.02, 10);
    expect(hub.monthlyUsd).toBeCloseTo(228.5, 10);
  });

  test('the comparison: the hub never cheaper at list prices; the mesh at 50 peerings per VPC at 51 VPCs, at 125 at 126', () => {
    const { comparison } = costComparison();
    expect(comparison.rows.map((r) => r.vpcs)).toEqual(COMPARISON_POINTS);
    expect(COMPARISON_POINTS).toEqual(expect.arrayContaining([5, 10, 20, 40, 50, 51, 100, 125, 126]));
    expect(comparison.hubCheaperFrom).toBeUndefined();
    expect(comparison.meshReachesPeeringQuotaAt).toBe(51);
    expect(comparison.meshImpossibleFrom).toBe(127);
    const at = (n: number) => comparison.rows.find((r) => r.vpcs === n);
    expect(at(51)?.peeringsPerVpc).toBe(50);
    expect(at(126)?.peeringsPerVpc).toBe(125);
    expect(at(127)?.meshQuotaStatus).toBe(MeshQuotaStatus.IMPOSSIBLE);
    // 500 routes per route table by default since June 2025 (FACTS.md): every table of every row fits,
    // 129 routes at 130 VPCs (with the former 50, every row from 52 VPCs was over)
    expect(comparison.rows.every((r) => r.meshWithinRouteQuota)).toBe(true);
    expect(comparison.meshExceedsRouteQuotaFrom).toBe(502);
    // 100 VPCs: 99 workloads × 500 GB + C(99,2) = 4,851 pairs × 50 GB = 49,500 + 242,550 GB
    expect(at(100)?.traffic.gbPerMonth).toBe(99 * 500 + 4851 * 50);
    expect(at(100)?.hubMonthlyUsd).toBeCloseTo(100 * 730 * 0.05 + 292_050 * 0.02, 10);
  });

  test('the endpoints of the shared-services VPC cost less than the two NAT gateways they replace', () => {
    const { endpoints } = costComparison();
    // 3 × 2 × 730 × $0.01 + 20 × $0.01 = 44.00; NAT 2 × 730 × $0.045 + 220 × $0.045 = 75.60
    expect(endpoints.monthlyUsd).toBeCloseTo(44, 10);
    expect(endpoints.alternative?.monthlyUsd).toBeCloseTo(75.6, 10);
    expect(endpoints.monthlySavingsUsd).toBeCloseTo(31.6, 10);
  });

  test('the computation takes other rates', () => {
    const pricing = Pricing.US_EAST_1.withRates({ transitGatewayAttachmentPerHour: 0.07 });
    expect(costComparison(pricing).hub.monthlyUsd).toBeCloseTo(5 * 730 * 0.07 + 2300 * 0.02, 10);
  });

  test('the output states the profile, both estimates, the table and the turning points', () => {
    const text = renderCostComparison();
    expect(text).toContain(`${EXAMPLE_TRAFFIC.gbToSharedServicesPerVpcPerMonth} GB/month between each workload VPC and shared services`);
    expect(text).toContain('For these five VPCs the mesh costs $23.00 and the hub $228.50 a month ($205.50 more for the hub).');
    expect(text).toContain('The hub is never cheaper up to 130 VPCs at these rates.');
    expect(text).toContain('Each VPC of the mesh reaches the peering quota of 50 at 51 VPCs');
    expect(text).toContain('Each VPC reaches the most AWS allows (125) at 126 VPCs');
    expect(text).toContain('Route tables stay within 500 routes in every possible full mesh (at most 125 peering routes + 0 other route(s) per table).');
    expect(text).toContain('2 NAT gateway(s) carrying the same traffic (us-east-1 list prices)');
    expect(text).toContain('The endpoints save $31.60 a month against the NAT gateways.');
  });

  test('importing the example prints nothing; running it prints the comparison', () => {
    // GIVEN
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      // WHEN imported
      // a fresh copy of the module, so that its top level runs again: only require() can do it synchronously
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      jest.isolateModules(() => { require('../../examples/cost-comparison'); });
      // THEN
      expect(log).not.toHaveBeenCalled();
    } finally {
      log.mockRestore();
    }
    // WHEN run as a script
    const root = path.join(__dirname, '..', '..');
    const run = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', 'examples/cost-comparison.ts'], { cwd: root, encoding: 'utf8' });
    // THEN
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(renderCostComparison());
  });
});
