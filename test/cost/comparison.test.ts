import { App } from 'aws-cdk-lib';
import {
  CheaperDesign, CostComparison, CostEstimates, CostReport, MeshHubComparisonOptions, MeshQuotaStatus, Pricing, TrafficPerPair,
} from '../../lib/cost';
import { CostInputError } from '../../lib/errors';
import { Quotas } from '../../lib/routing';

const { WITHIN_DEFAULT, NEEDS_INCREASE, IMPOSSIBLE } = MeshQuotaStatus;

const UNIFORM: TrafficPerPair = { gbPerPairPerMonth: 100, crossAzShare: 1 };

describe('CostComparison.trafficForVpcCount', () => {
  test('without a shared-services VPC, every pair exchanges the per-pair traffic', () => {
    // 4 VPCs: 6 pairs × 10 GB
    expect(CostComparison.trafficForVpcCount(4, { gbPerPairPerMonth: 10, crossAzShare: 0.5 })).toEqual({ gbPerMonth: 60, crossAzShare: 0.5 });
  });

  test('with a shared-services VPC, the others exchange with it and with each other', () => {
    // 5 VPCs: 4 workloads × 500 GB + 6 workload pairs × 50 GB
    const traffic = CostComparison.trafficForVpcCount(5, { gbToSharedServicesPerVpcPerMonth: 500, gbPerPairPerMonth: 50, crossAzShare: 0.5, crossRegionShare: 0 });
    expect(traffic).toEqual({ gbPerMonth: 4 * 500 + 6 * 50, crossAzShare: 0.5, crossRegionShare: 0 });
  });

  test('without shares, the traffic has none either (all within one AZ)', () => {
    expect(CostComparison.trafficForVpcCount(3, { gbPerPairPerMonth: 10 })).toEqual({ gbPerMonth: 30 });
  });

  test.each<[string, number, TrafficPerPair, RegExp]>([
    ['one VPC', 1, UNIFORM, /vpcs must be an integer ≥ 2, got 1\./],
    ['negative per-pair traffic', 3, { gbPerPairPerMonth: -1, crossAzShare: 0 }, /traffic.gbPerPairPerMonth must be a finite number ≥ 0, got -1\./],
    ['negative shared-services traffic', 3, { gbPerPairPerMonth: 1, gbToSharedServicesPerVpcPerMonth: -1, crossAzShare: 0 },
      /traffic.gbToSharedServicesPerVpcPerMonth must be a finite number ≥ 0, got -1\./],
  ])('rejects %s', (_name, vpcs, traffic, message) => {
    expect(() => CostComparison.trafficForVpcCount(vpcs, traffic)).toThrow(CostInputError);
    expect(() => CostComparison.trafficForVpcCount(vpcs, traffic)).toThrow(message);
  });
});

describe('CostComparison.meshAndHub', () => {
  test('one row per N, with the mesh\'s peerings and routes, both costs and the cheaper design', () => {
    // WHEN
    const comparison = CostComparison.meshAndHub({ vpcCounts: [2, 5], traffic: UNIFORM });
    // THEN
    expect(comparison.rows.map((r) => r.vpcs)).toEqual([2, 5]);
    const [two, five] = comparison.rows;
    expect(five).toMatchObject({ peeringConnections: 10, peeringsPerVpc: 4, routesPerRouteTable: 4 });
    // 2 VPCs, 100 GB all across AZs: mesh 100 × 0.02 = 2; hub 2 × 730 × 0.05 + 100 × 0.02 = 75
    expect(two.meshMonthlyUsd).toBeCloseTo(2, 10);
    expect(two.hubMonthlyUsd).toBeCloseTo(75, 10);
    expect(two.cheaper).toBe(CheaperDesign.MESH);
    // 5 VPCs, 10 pairs × 100 GB: mesh 1000 × 0.02 = 20; hub 5 × 36.5 + 1000 × 0.02 = 202.5
    expect(five.meshMonthlyUsd).toBeCloseTo(20, 10);
    expect(five.hubMonthlyUsd).toBeCloseTo(202.5, 10);
    expect(five.traffic.gbPerMonth).toBe(1000);
  });

  test('across regions: both pay inter-region transfer once; the hubs also pay a peering attachment on each side and processing', () => {
    // GIVEN 4 VPCs, 6 pairs x 100 GB, 30% of it between two regions, the rest within one AZ
    const comparison = CostComparison.meshAndHub({ vpcCounts: [4], traffic: { gbPerPairPerMonth: 100, crossAzShare: 0, crossRegionShare: 0.3 } });
    const [row] = comparison.rows;

    // THEN 180 GB cross regions at $0.02; mesh: only that; hub: 4 attachments + 2 peering attachments (730 h x $0.05 each)
    // + 600 GB processed at $0.02 + the 180 GB across regions
    expect(row.traffic).toEqual({ gbPerMonth: 600, crossAzShare: 0, crossRegionShare: 0.3 });
    expect(row.meshMonthlyUsd).toBeCloseTo(180 * 0.02, 10);
    expect(row.hubMonthlyUsd).toBeCloseTo(6 * 730 * 0.05 + 600 * 0.02 + 180 * 0.02, 10);
    expect(row.cheaper).toBe(CheaperDesign.MESH);
  });

  test('at list prices the hub is never cheaper: it charges at least what peering does per GB, plus attachments', () => {
    // GIVEN all traffic across AZs, the worst case for the mesh ($0.02 per GB, the same as the hub's processing)
    const comparison = CostComparison.meshAndHub({ vpcCounts: [200], traffic: UNIFORM });
    expect(comparison.hubCheaperFrom).toBeUndefined();
    expect(comparison.rows[0].cheaper).toBe(CheaperDesign.MESH);
  });

  test('finds the N from which the hub is cheaper, scanning every N up to the largest asked', () => {
    // GIVEN a negotiated transit gateway rate of $0.005 per GB, 100 GB per pair, all across AZs:
    //   mesh(n) = C(n,2) × 100 × 0.02 = 2 × C(n,2);  hub(n) = 36.5 n + C(n,2) × 100 × 0.005 = 36.5 n + 0.5 × C(n,2)
    //   hub < mesh  ⇔  1.5 × n(n−1)/2 > 36.5 n  ⇔  n − 1 > 48.67  ⇔  n ≥ 50
    const pricing = Pricing.US_EAST_1.withRates({ transitGatewayPerGb: 0.005 });
    // WHEN
    const comparison = CostComparison.meshAndHub({ vpcCounts: [10, 49, 50, 60], traffic: UNIFORM, pricing });
    // THEN
    expect(comparison.hubCheaperFrom).toBe(50);
    expect(comparison.rows.map((r) => r.cheaper)).toEqual([CheaperDesign.MESH, CheaperDesign.MESH, CheaperDesign.HUB, CheaperDesign.HUB]);
    // n = 50: mesh 2 × 1225 = 2450, hub 36.5 × 50 + 0.5 × 1225 = 2437.5
    expect(comparison.rows[2].meshMonthlyUsd).toBeCloseTo(2450, 10);
    expect(comparison.rows[2].hubMonthlyUsd).toBeCloseTo(2437.5, 10);
    // the scan stops at the largest N asked
    expect(CostComparison.meshAndHub({ vpcCounts: [49], traffic: UNIFORM, pricing }).hubCheaperFrom).toBeUndefined();
  });

  test('equal within a cent is EQUAL', () => {
    // GIVEN free attachments: both designs then cost $0.02 per GB across AZs
    const pricing = Pricing.US_EAST_1.withRates({ transitGatewayAttachmentPerHour: 0 });
    expect(CostComparison.meshAndHub({ vpcCounts: [3], traffic: UNIFORM, pricing }).rows[0].cheaper).toBe(CheaperDesign.EQUAL);
  });

  test('the mesh reaches the default peering quota (50) at 51 VPCs, needs an increase from 52, is impossible from 127', () => {
    // WHEN
    const comparison = CostComparison.meshAndHub({ vpcCounts: [50, 51, 52, 125, 126, 127], traffic: UNIFORM });
    // THEN
    expect(comparison.quotas).toEqual(Quotas.DEFAULTS);
    expect(comparison.quotas).toMatchObject({ peeringsPerVpc: 50, routesPerRouteTable: 500 });
    expect(comparison.otherRoutesPerRouteTable).toBe(0);
    expect(comparison).toMatchObject({
      meshReachesPeeringQuotaAt: 51,
      meshExceedsPeeringQuotaFrom: 52,
      meshReachesMaxPeeringQuotaAt: 126,
      meshImpossibleFrom: 127,
      // 500 routes per route table by default since June 2025 (FACTS.md; 50 before, when this was 52):
      // 501 peer routes, so 502 VPCs, is the first mesh over it, beyond the 126 VPCs a mesh can have
      meshExceedsRouteQuotaFrom: 502,
    });
    expect(comparison.rows.map((r) => [r.vpcs, r.peeringsPerVpc, r.meshQuotaStatus])).toEqual([
      [50, 49, WITHIN_DEFAULT],
      [51, 50, WITHIN_DEFAULT],
      [52, 51, NEEDS_INCREASE],
      [125, 124, NEEDS_INCREASE],
      [126, 125, NEEDS_INCREASE],
      [127, 126, IMPOSSIBLE],
    ]);
    expect(comparison.rows.map((r) => r.meshWithinPeeringQuota)).toEqual([true, true, false, false, false, false]);
    expect(comparison.rows.map((r) => r.meshWithinMaxPeeringQuota)).toEqual([true, true, true, true, true, false]);
    // 500 routes per route table (FACTS.md, since June 2025): 49 to 126 peer routes all fit (with 50, only 50 and 51 VPCs did)
    expect(comparison.rows.map((r) => r.meshWithinRouteQuota)).toEqual([true, true, true, true, true, true]);
  });

  test('with the route quota of 50 (accounts before June 2025), the route tables are over from 52 VPCs', () => {
    const comparison = CostComparison.meshAndHub({ vpcCounts: [50, 51, 52, 127], traffic: UNIFORM, quotas: { routesPerRouteTable: 50 } });
    expect(comparison.meshExceedsRouteQuotaFrom).toBe(52);
    expect(comparison.rows.map((r) => r.meshWithinRouteQuota)).toEqual([true, true, false, false]);
  });

  test('uses the account\'s quotas and counts the other routes of each table', () => {
    // GIVEN a raised peering quota, and a default route to a NAT gateway in every table
    const comparison = CostComparison.meshAndHub({
      vpcCounts: [50, 51],
      traffic: UNIFORM,
      quotas: { peeringsPerVpc: 125, routesPerRouteTable: 50 },
      otherRoutesPerRouteTable: 1,
    });
    // THEN 50 VPCs: 49 peering routes + 1 = 50 routes; 51 VPCs: 51 routes, over
    expect(comparison.meshReachesPeeringQuotaAt).toBe(126);
    expect(comparison.meshExceedsPeeringQuotaFrom).toBe(127);
    expect(comparison.meshExceedsRouteQuotaFrom).toBe(51);
    expect(comparison.quotas).toEqual({ peeringsPerVpc: 125, routesPerRouteTable: 50, resourcesPerStack: 500, interfaceEndpointsPerVpc: 50, vpcsPerPrivateHostedZone: 300, routeTablesPerTransitGateway: 20, routesPerTransitGateway: 10000, attachmentsPerTransitGateway: 5000, peeringAttachmentsPerTransitGateway: 50, entriesPerPrefixList: 1000 });
    expect(comparison.otherRoutesPerRouteTable).toBe(1);
    expect(comparison.rows.map((r) => [r.routesPerRouteTable, r.meshWithinRouteQuota, r.meshQuotaStatus])).toEqual([
      [50, true, WITHIN_DEFAULT],
      [51, false, WITHIN_DEFAULT],
    ]);
  });

  test('takes the quotas in the shape of the context key, as Quotas.of gives them', () => {
    // GIVEN an app whose account has raised quotas
    const app = new App({ context: { [Quotas.CONTEXT_KEY]: { peeringsPerVpc: 125, routesPerRouteTable: 1000 } } });
    // WHEN
    const comparison = CostComparison.meshAndHub({ vpcCounts: [126], traffic: UNIFORM, quotas: Quotas.of(app) });
    // THEN
    expect(comparison.meshReachesPeeringQuotaAt).toBe(126);
    expect(comparison.meshExceedsRouteQuotaFrom).toBe(1002);
    expect(comparison.rows[0].meshQuotaStatus).toBe(WITHIN_DEFAULT);
  });

  test.each<[string, Partial<MeshHubComparisonOptions>, RegExp]>([
    ['no VPC count', { vpcCounts: [] }, /vpcCounts must list at least one number of VPCs/],
    ['a count of one VPC', { vpcCounts: [5, 1] }, /vpcCounts\[1\] must be an integer ≥ 2, got 1\./],
    ['a fractional count', { vpcCounts: [2.5] }, /vpcCounts\[0\] must be an integer ≥ 2, got 2\.5\./],
    ['no traffic', { traffic: undefined }, /traffic is required/],
    ['a share out of range', { traffic: { gbPerPairPerMonth: 1, crossAzShare: 2 } }, /traffic.crossAzShare must be a share from 0 to 1/],
    ['negative per-pair traffic', { traffic: { gbPerPairPerMonth: -3, crossAzShare: 0 } }, /traffic.gbPerPairPerMonth must be a finite number ≥ 0, got -3\./],
    ['no AZ', { azsPerVpc: 0 }, /azsPerVpc must be an integer ≥ 1, got 0\./],
    ['a zero quota', { quotas: { peeringsPerVpc: 0 } }, /quotas.peeringsPerVpc must be an integer ≥ 1, got 0\./],
    ['a fractional quota', { quotas: { routesPerRouteTable: 50.5 } }, /quotas.routesPerRouteTable must be an integer ≥ 1, got 50\.5\./],
    ['a negative other-route count', { otherRoutesPerRouteTable: -1 }, /otherRoutesPerRouteTable must be an integer ≥ 0, got -1\./],
    // the same limit and message as the context key cdk-vpc-connect:quotas (lib/routing/quotas)
    ['a peering quota above its maximum', { quotas: { peeringsPerVpc: 130 } }, /^quotas.peeringsPerVpc is 130, but AWS allows at most 125 peering connections per VPC\.$/],
    ['a route quota above its maximum', { quotas: { routesPerRouteTable: 1001 } }, /^quotas.routesPerRouteTable is 1001, but AWS allows at most 1000 routes per route table\.$/],
    ['quotas that are not an object', { quotas: 50 as unknown as MeshHubComparisonOptions['quotas'] }, /^quotas must be an object such as \{ peeringsPerVpc: 125 \}, got 50\.$/],
    ['an unknown quota', { quotas: { peerings: 60 } as unknown as MeshHubComparisonOptions['quotas'] },
      /^Unknown quota peerings; the quotas are: peeringsPerVpc, routesPerRouteTable, resourcesPerStack, interfaceEndpointsPerVpc, vpcsPerPrivateHostedZone, routeTablesPerTransitGateway, routesPerTransitGateway, attachmentsPerTransitGateway, peeringAttachmentsPerTransitGateway, entriesPerPrefixList\.$/],
    ['the 0.1 quota otherRoutesPerRouteTable', { quotas: { otherRoutesPerRouteTable: 1 } as unknown as MeshHubComparisonOptions['quotas'] },
      /^Unknown quota otherRoutesPerRouteTable \(otherRoutesPerRouteTable is now an option of the comparison, next to quotas\); the quotas are: /],
    ['the 0.1 quota maxPeeringsPerVpc', { quotas: { maxPeeringsPerVpc: 125 } as unknown as MeshHubComparisonOptions['quotas'] },
      /^Unknown quota maxPeeringsPerVpc \(the most peerings per VPC AWS allows \(125\) is fixed\); the quotas are: /],
    ['other routes filling the table', { quotas: { routesPerRouteTable: 5 }, otherRoutesPerRouteTable: 5 },
      /^otherRoutesPerRouteTable \(5\) leaves no room for peering routes under quotas.routesPerRouteTable \(5\)\.$/],
    ['other routes filling the default table', { otherRoutesPerRouteTable: 500 }, /^otherRoutesPerRouteTable \(500\) leaves no room for peering routes under quotas.routesPerRouteTable \(500\)\.$/],
  ])('rejects %s', (_name, change, message) => {
    const options = { vpcCounts: [5], traffic: UNIFORM, ...change } as MeshHubComparisonOptions;
    expect(() => CostComparison.meshAndHub(options)).toThrow(CostInputError);
    expect(() => CostComparison.meshAndHub(options)).toThrow(message);
  });
});

describe('formatting', () => {
  test.each([
    [0, '$0.00'],
    [1234.5, '$1,234.50'],
    [1234567.891, '$1,234,567.89'],
    [-3.2, '-$3.20'],
    [0.005, '$0.01'],
  ])('CostReport.formatUsd(%p) is %p', (amount, text) => {
    expect(CostReport.formatUsd(amount)).toBe(text);
  });

  test('an estimate renders every line, its note and the total', () => {
    const estimate = CostEstimates.mesh({ vpcs: 2, traffic: { gbPerMonth: 1000, crossAzShare: 0.5 } });
    const text = CostReport.formatEstimate(estimate);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Full mesh of 2 VPCs (1 peering connections) (us-east-1 list prices)');
    for (const l of estimate.lines) {
      expect(text).toContain(l.item);
    }
    expect(text).toContain('730 connection-hour');
    expect(text).toContain('    free when sender and receiver are in the same AZ ID');
    expect(lines[lines.length - 1]).toMatch(/^Total\s+\$10\.00$/);
  });

  test('a comparison renders one row per N and its turning points', () => {
    const comparison = CostComparison.meshAndHub({ vpcCounts: [5, 52, 127], traffic: UNIFORM });
    const text = CostReport.formatComparison(comparison);
    expect(text).toMatch(/^\s+5\s+1,000\s+10\s+4\s+4\s+\$20\.00\s+\$202\.50\s+mesh\s+within default$/m);
    // 51 routes fit the default of 500 per route table (FACTS.md, since June 2025; with 50 it was "51 (over)")
    expect(text).toMatch(/^\s+52\s+[\d,]+\s+[\d,]+\s+51\s+51\s+\$.*needs quota increase$/m);
    expect(text).not.toContain('(over)');
    expect(text).toMatch(/^\s+127\s.*hub \(no mesh\)\s+impossible$/m);
    expect(text).toContain('Mesh vs peering quota (50, max 125)');
    expect(text).toContain('The hub is never cheaper up to 127 VPCs at these rates.');
    expect(text).toContain('from 52 VPCs the mesh needs a quota increase');
    expect(text).toContain('from 127 VPCs a full mesh is impossible and the hub is necessary');
    expect(text).toContain('Route tables stay within 500 routes in every possible full mesh (at most 125 peering routes + 0 other route(s) per table).');
    const cheaperHub = CostComparison.meshAndHub({ vpcCounts: [60], traffic: UNIFORM, pricing: Pricing.US_EAST_1.withRates({ transitGatewayPerGb: 0.005 }) });
    expect(CostReport.formatComparison(cheaperHub)).toContain('The hub is cheaper from 50 VPCs.');
  });

  test('a comparison under a smaller route quota marks the tables over it and says from when', () => {
    const comparison = CostComparison.meshAndHub({ vpcCounts: [50, 52], traffic: UNIFORM, quotas: { routesPerRouteTable: 50 }, otherRoutesPerRouteTable: 1 });
    const text = CostReport.formatComparison(comparison);
    // 50 VPCs: 49 + 1 = 50 routes, within; 52 VPCs: 51 + 1 = 52 routes, over
    expect(text).toMatch(/^\s+50\s+[\d,]+\s+[\d,]+\s+49\s+50\s+\$/m);
    expect(text).toMatch(/^\s+52\s+[\d,]+\s+[\d,]+\s+51\s+52 \(over\)\s+\$/m);
    expect(text).toContain('Route tables exceed 50 routes from 51 VPCs (1 other route(s) per table).');
  });
});
