import {
  compareMeshAndHub, CostInputError, DEFAULT_MESH_QUOTAS, formatComparison, formatEstimate, formatUsd,
  MeshHubComparisonOptions, Pricing, TrafficPerPair, trafficForVpcCount, estimateMeshCost,
} from '../../lib/cost';

const UNIFORM: TrafficPerPair = { gbPerPairPerMonth: 100, crossAzShare: 1 };

describe('trafficForVpcCount', () => {
  test('without a shared-services VPC, every pair exchanges the per-pair traffic', () => {
    // 4 VPCs: 6 pairs × 10 GB
    expect(trafficForVpcCount(4, { gbPerPairPerMonth: 10, crossAzShare: 0.5 })).toEqual({ gbPerMonth: 60, crossAzShare: 0.5 });
  });

  test('with a shared-services VPC, the others exchange with it and with each other', () => {
    // 5 VPCs: 4 workloads × 500 GB + 6 workload pairs × 50 GB
    const traffic = trafficForVpcCount(5, { gbToSharedServicesPerVpcPerMonth: 500, gbPerPairPerMonth: 50, crossAzShare: 0.5, crossRegionShare: 0 });
    expect(traffic).toEqual({ gbPerMonth: 4 * 500 + 6 * 50, crossAzShare: 0.5, crossRegionShare: 0 });
  });

  test.each<[string, number, TrafficPerPair, RegExp]>([
    ['one VPC', 1, UNIFORM, /vpcs must be an integer ≥ 2, got 1\./],
    ['negative per-pair traffic', 3, { gbPerPairPerMonth: -1, crossAzShare: 0 }, /traffic.gbPerPairPerMonth must be a finite number ≥ 0, got -1\./],
    ['negative shared-services traffic', 3, { gbPerPairPerMonth: 1, gbToSharedServicesPerVpcPerMonth: -1, crossAzShare: 0 },
      /traffic.gbToSharedServicesPerVpcPerMonth must be a finite number ≥ 0, got -1\./],
  ])('rejects %s', (_name, vpcs, traffic, message) => {
    expect(() => trafficForVpcCount(vpcs, traffic)).toThrow(CostInputError);
    expect(() => trafficForVpcCount(vpcs, traffic)).toThrow(message);
  });
});

describe('compareMeshAndHub', () => {
  test('one row per N, with the mesh\'s peerings and routes, both costs and the cheaper design', () => {
    // WHEN
    const comparison = compareMeshAndHub({ vpcCounts: [2, 5], traffic: UNIFORM });
    // THEN
    expect(comparison.rows.map((r) => r.vpcs)).toEqual([2, 5]);
    const [two, five] = comparison.rows;
    expect(five).toMatchObject({ peeringConnections: 10, peeringsPerVpc: 4, routesPerRouteTable: 4 });
    // 2 VPCs, 100 GB all across AZs: mesh 100 × 0.02 = 2; hub 2 × 730 × 0.05 + 100 × 0.02 = 75
    expect(two.meshMonthlyUsd).toBeCloseTo(2, 10);
    expect(two.hubMonthlyUsd).toBeCloseTo(75, 10);
    expect(two.cheaper).toBe('mesh');
    // 5 VPCs, 10 pairs × 100 GB: mesh 1000 × 0.02 = 20; hub 5 × 36.5 + 1000 × 0.02 = 202.5
    expect(five.meshMonthlyUsd).toBeCloseTo(20, 10);
    expect(five.hubMonthlyUsd).toBeCloseTo(202.5, 10);
    expect(five.traffic.gbPerMonth).toBe(1000);
  });

  test('at list prices the hub is never cheaper: it charges at least what peering does per GB, plus attachments', () => {
    // GIVEN all traffic across AZs, the worst case for the mesh ($0.02 per GB, the same as the hub's processing)
    const comparison = compareMeshAndHub({ vpcCounts: [200], traffic: UNIFORM });
    expect(comparison.hubCheaperFrom).toBeUndefined();
    expect(comparison.rows[0].cheaper).toBe('mesh');
  });

  test('finds the N from which the hub is cheaper, scanning every N up to the largest asked', () => {
    // GIVEN a negotiated transit gateway rate of $0.005 per GB, 100 GB per pair, all across AZs:
    //   mesh(n) = C(n,2) × 100 × 0.02 = 2 × C(n,2);  hub(n) = 36.5 n + C(n,2) × 100 × 0.005 = 36.5 n + 0.5 × C(n,2)
    //   hub < mesh  ⇔  1.5 × n(n−1)/2 > 36.5 n  ⇔  n − 1 > 48.67  ⇔  n ≥ 50
    const pricing = Pricing.US_EAST_1.with({ transitGatewayPerGb: 0.005 });
    // WHEN
    const comparison = compareMeshAndHub({ vpcCounts: [10, 49, 50, 60], traffic: UNIFORM, pricing });
    // THEN
    expect(comparison.hubCheaperFrom).toBe(50);
    expect(comparison.rows.map((r) => r.cheaper)).toEqual(['mesh', 'mesh', 'hub', 'hub']);
    // n = 50: mesh 2 × 1225 = 2450, hub 36.5 × 50 + 0.5 × 1225 = 2437.5
    expect(comparison.rows[2].meshMonthlyUsd).toBeCloseTo(2450, 10);
    expect(comparison.rows[2].hubMonthlyUsd).toBeCloseTo(2437.5, 10);
    // the scan stops at the largest N asked
    expect(compareMeshAndHub({ vpcCounts: [49], traffic: UNIFORM, pricing }).hubCheaperFrom).toBeUndefined();
  });

  test('equal within a cent is "equal"', () => {
    // GIVEN free attachments: both designs then cost $0.02 per GB across AZs
    const pricing = Pricing.US_EAST_1.with({ transitGatewayAttachmentPerHour: 0 });
    expect(compareMeshAndHub({ vpcCounts: [3], traffic: UNIFORM, pricing }).rows[0].cheaper).toBe('equal');
  });

  test('the mesh reaches the default peering quota (50) at 51 VPCs, needs an increase from 52, is impossible from 127', () => {
    // WHEN
    const comparison = compareMeshAndHub({ vpcCounts: [50, 51, 52, 125, 126, 127], traffic: UNIFORM });
    // THEN
    expect(comparison.quotas).toEqual(DEFAULT_MESH_QUOTAS);
    expect(comparison).toMatchObject({
      meshReachesPeeringQuotaAt: 51,
      meshExceedsPeeringQuotaFrom: 52,
      meshReachesMaxPeeringQuotaAt: 126,
      meshImpossibleFrom: 127,
      meshExceedsRouteQuotaFrom: 52,
    });
    expect(comparison.rows.map((r) => [r.vpcs, r.peeringsPerVpc, r.meshQuotaStatus])).toEqual([
      [50, 49, 'within-default'],
      [51, 50, 'within-default'],
      [52, 51, 'needs-increase'],
      [125, 124, 'needs-increase'],
      [126, 125, 'needs-increase'],
      [127, 126, 'impossible'],
    ]);
    expect(comparison.rows.map((r) => r.meshWithinPeeringQuota)).toEqual([true, true, false, false, false, false]);
    expect(comparison.rows.map((r) => r.meshWithinMaxPeeringQuota)).toEqual([true, true, true, true, true, false]);
    expect(comparison.rows.map((r) => r.meshWithinRouteQuota)).toEqual([true, true, false, false, false, false]);
  });

  test('uses the account\'s quotas and counts the other routes of each table', () => {
    // GIVEN a raised peering quota, and a default route to a NAT gateway in every table
    const comparison = compareMeshAndHub({
      vpcCounts: [50, 51],
      traffic: UNIFORM,
      quotas: { peeringsPerVpc: 125, routesPerRouteTable: 50, otherRoutesPerRouteTable: 1 },
    });
    // THEN 50 VPCs: 49 peering routes + 1 = 50 routes; 51 VPCs: 51 routes, over
    expect(comparison.meshReachesPeeringQuotaAt).toBe(126);
    expect(comparison.meshExceedsPeeringQuotaFrom).toBe(127);
    expect(comparison.meshExceedsRouteQuotaFrom).toBe(51);
    expect(comparison.rows.map((r) => [r.routesPerRouteTable, r.meshWithinRouteQuota, r.meshQuotaStatus])).toEqual([
      [50, true, 'within-default'],
      [51, false, 'within-default'],
    ]);
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
    ['a negative other-route count', { quotas: { otherRoutesPerRouteTable: -1 } }, /quotas.otherRoutesPerRouteTable must be an integer ≥ 0, got -1\./],
    ['a quota above its maximum', { quotas: { peeringsPerVpc: 130 } }, /quotas.peeringsPerVpc \(130\) is above quotas.maxPeeringsPerVpc \(125\)/],
    ['an unknown quota', { quotas: { peerings: 60 } as unknown as MeshHubComparisonOptions['quotas'] }, /Unknown quota peerings; the quotas are: peeringsPerVpc, /],
    ['other routes filling the table', { quotas: { routesPerRouteTable: 5, otherRoutesPerRouteTable: 5 } }, /leaves no room for peering routes/],
  ])('rejects %s', (_name, change, message) => {
    const options = { vpcCounts: [5], traffic: UNIFORM, ...change } as MeshHubComparisonOptions;
    expect(() => compareMeshAndHub(options)).toThrow(CostInputError);
    expect(() => compareMeshAndHub(options)).toThrow(message);
  });
});

describe('formatting', () => {
  test.each([
    [0, '$0.00'],
    [1234.5, '$1,234.50'],
    [1234567.891, '$1,234,567.89'],
    [-3.2, '-$3.20'],
    [0.005, '$0.01'],
  ])('formatUsd(%p) is %p', (amount, text) => {
    expect(formatUsd(amount)).toBe(text);
  });

  test('an estimate renders every line, its note and the total', () => {
    const estimate = estimateMeshCost({ vpcs: 2, traffic: { gbPerMonth: 1000, crossAzShare: 0.5 } });
    const text = formatEstimate(estimate);
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
    const comparison = compareMeshAndHub({ vpcCounts: [5, 52, 127], traffic: UNIFORM });
    const text = formatComparison(comparison);
    expect(text).toMatch(/^\s+5\s+1,000\s+10\s+4\s+4\s+\$20\.00\s+\$202\.50\s+mesh\s+within default$/m);
    expect(text).toMatch(/^\s+52\s.*51 \(over\).*needs quota increase$/m);
    expect(text).toMatch(/^\s+127\s.*hub \(no mesh\)\s+impossible$/m);
    expect(text).toContain('The hub is never cheaper up to 127 VPCs at these rates.');
    expect(text).toContain('from 52 VPCs the mesh needs a quota increase');
    expect(text).toContain('from 127 VPCs a full mesh is impossible and the hub is necessary');
    const cheaperHub = compareMeshAndHub({ vpcCounts: [60], traffic: UNIFORM, pricing: Pricing.US_EAST_1.with({ transitGatewayPerGb: 0.005 }) });
    expect(formatComparison(cheaperHub)).toContain('The hub is cheaper from 50 VPCs.');
  });
});
