import {
  CostEstimate, CostEstimates, EndpointsCostOptions, HubCostOptions, MeshCostOptions, Pricing, TrafficProfile,
} from '../../lib/cost';
import { CostInputError } from '../../lib/errors';

const HALF_CROSS_AZ: TrafficProfile = { gbPerMonth: 100, crossAzShare: 0.5 };

function lineCost(estimate: CostEstimate, item: string): number {
  const found = estimate.lines.find((l) => l.item === item);
  if (found === undefined) { throw new Error(`no line ${item} in ${estimate.lines.map((l) => l.item).join(', ')}`); }
  return found.monthlyUsd;
}

function expectConsistent(estimate: CostEstimate): void {
  for (const l of estimate.lines) {
    expect(l.monthlyUsd).toBeCloseTo(l.quantity * l.rateUsd, 10);
  }
  expect(estimate.monthlyUsd).toBeCloseTo(estimate.lines.reduce((sum, l) => sum + l.monthlyUsd, 0), 10);
}

describe('CostEstimates.mesh', () => {
  test('2 VPCs, 100 GB, half across AZs: only the cross-AZ half pays, in both directions', () => {
    // WHEN
    const estimate = CostEstimates.mesh({ vpcs: 2, traffic: HALF_CROSS_AZ });
    // THEN 100 GB × 0.5 × ($0.01 out + $0.01 in) = $1.00
    expect(estimate.monthlyUsd).toBeCloseTo(100 * 0.5 * (0.01 + 0.01), 10);
    expect(estimate.monthlyUsd).toBeCloseTo(1.0, 10);
    expect(lineCost(estimate, 'VPC peering connections')).toBe(0);
    expect(lineCost(estimate, 'Data within one AZ')).toBe(0);
    expect(lineCost(estimate, 'Data across AZs, out of the sender')).toBeCloseTo(0.5, 10);
    expect(lineCost(estimate, 'Data across AZs, into the receiver')).toBeCloseTo(0.5, 10);
    expect(estimate.title).toBe('Full mesh of 2 VPCs (1 peering connections)');
    expect(estimate.pricing).toBe('us-east-1 list prices');
    expectConsistent(estimate);
  });

  test('traffic within one AZ is free', () => {
    expect(CostEstimates.mesh({ vpcs: 3, traffic: { gbPerMonth: 10_000, crossAzShare: 0 } }).monthlyUsd).toBe(0);
  });

  test('without crossAzShare, all the traffic stays within one AZ', () => {
    const estimate = CostEstimates.mesh({ vpcs: 3, traffic: { gbPerMonth: 10_000 } });
    expect(estimate.monthlyUsd).toBe(0);
    expect(estimate.lines.find((l) => l.item === 'Data within one AZ')?.quantity).toBe(10_000);
    expect(estimate.lines.find((l) => l.item === 'Data across AZs, out of the sender')?.quantity).toBe(0);
  });

  test('cross-region traffic pays once, out of the source region', () => {
    // GIVEN 1,000 GB: 20% across AZs, 30% across regions, 50% within one AZ
    const traffic: TrafficProfile = { gbPerMonth: 1000, crossAzShare: 0.2, crossRegionShare: 0.3 };
    // WHEN
    const estimate = CostEstimates.mesh({ vpcs: 3, traffic });
    // THEN 1000 × 0.2 × 0.02 + 1000 × 0.3 × 0.02 = 4 + 6
    expect(estimate.monthlyUsd).toBeCloseTo(1000 * 0.2 * 0.02 + 1000 * 0.3 * 0.02, 10);
    expect(lineCost(estimate, 'Data across regions')).toBeCloseTo(6, 10);
    expect(estimate.lines.find((l) => l.item === 'Data within one AZ')?.quantity).toBeCloseTo(500, 10);
    expectConsistent(estimate);
  });

  test('a full mesh has n(n-1)/2 connections; fewer make a partial mesh', () => {
    const full = CostEstimates.mesh({ vpcs: 5, traffic: HALF_CROSS_AZ });
    expect(full.lines[0].quantity).toBe(10 * 730);
    expect(full.title).toBe('Full mesh of 5 VPCs (10 peering connections)');
    const partial = CostEstimates.mesh({ vpcs: 5, connections: 4, traffic: HALF_CROSS_AZ });
    expect(partial.lines[0].quantity).toBe(4 * 730);
    expect(partial.title).toBe('Partial mesh of 5 VPCs (4 peering connections)');
  });

  test('uses the rates it is given', () => {
    // GIVEN a region where crossing AZs costs $0.02 each way
    const pricing = Pricing.US_EAST_1.withRates({ crossAzPerGbEachDirection: 0.02 });
    // THEN 100 × 0.5 × (0.02 + 0.02) = $2.00
    const estimate = CostEstimates.mesh({ vpcs: 2, traffic: HALF_CROSS_AZ, pricing });
    expect(estimate.monthlyUsd).toBeCloseTo(2.0, 10);
    expect(estimate.pricing).toBe('us-east-1 list prices, with crossAzPerGbEachDirection=0.02');
  });

  test.each<[string, Partial<MeshCostOptions>, RegExp]>([
    ['one VPC', { vpcs: 1 }, /vpcs must be an integer ≥ 2, got 1\./],
    ['a fractional VPC count', { vpcs: 2.5 }, /vpcs must be an integer ≥ 2, got 2\.5\./],
    ['no connection', { connections: 0 }, /connections must be an integer ≥ 1, got 0\./],
    ['more connections than pairs', { vpcs: 3, connections: 4 }, /connections is 4, but 3 VPCs have at most 3 peering connections/],
    ['negative traffic', { traffic: { gbPerMonth: -1, crossAzShare: 0 } }, /traffic.gbPerMonth must be a finite number ≥ 0, got -1\./],
    ['infinite traffic', { traffic: { gbPerMonth: Number.POSITIVE_INFINITY, crossAzShare: 0 } }, /traffic.gbPerMonth must be a finite number ≥ 0, got Infinity\./],
    ['a cross-AZ share above 1', { traffic: { gbPerMonth: 1, crossAzShare: 50 } }, /traffic.crossAzShare must be a share from 0 to 1 \(0.5 is half\), got 50\./],
    ['a negative cross-AZ share', { traffic: { gbPerMonth: 1, crossAzShare: -0.1 } }, /traffic.crossAzShare must be a share from 0 to 1/],
    ['a cross-region share above 1', { traffic: { gbPerMonth: 1, crossAzShare: 0, crossRegionShare: 1.2 } }, /traffic.crossRegionShare must be a share from 0 to 1/],
    ['shares adding up above 1', { traffic: { gbPerMonth: 1, crossAzShare: 0.7, crossRegionShare: 0.4 } }, /traffic.crossAzShare \(0.7\) \+ traffic.crossRegionShare \(0.4\) is above 1/],
    ['no traffic', { traffic: undefined }, /traffic is required/],
    ['a pricing that is not a Pricing table', { pricing: { rates: {} } as unknown as Pricing }, /pricing must be a Pricing table/],
  ])('rejects %s', (_name, change, message) => {
    const options = { vpcs: 2, traffic: HALF_CROSS_AZ, ...change } as MeshCostOptions;
    expect(() => CostEstimates.mesh(options)).toThrow(CostInputError);
    expect(() => CostEstimates.mesh(options)).toThrow(message);
  });
});

describe('CostEstimates.hub', () => {
  test('2 spokes, 100 GB, half across AZs: attachments plus processing once per GB; crossing AZs adds nothing', () => {
    // WHEN
    const estimate = CostEstimates.hub({ spokes: 2, traffic: HALF_CROSS_AZ });
    // THEN 2 attachments × 730 h × $0.05 + 100 GB × $0.02 = 73 + 2
    expect(estimate.monthlyUsd).toBeCloseTo(2 * 730 * 0.05 + 100 * 0.02, 10);
    expect(estimate.monthlyUsd).toBeCloseTo(75, 10);
    expect(lineCost(estimate, 'Transit gateway VPC attachments')).toBeCloseTo(73, 10);
    expect(lineCost(estimate, 'Transit gateway data processing')).toBeCloseTo(2, 10);
    expect(lineCost(estimate, 'Data across AZs through the transit gateway')).toBe(0);
    expect(estimate.lines.some((l) => l.item === 'Transit gateway peering attachments')).toBe(false);
    expectConsistent(estimate);
  });

  test('an attachment is billed once per VPC, whatever its AZs', () => {
    const twoAzs = CostEstimates.hub({ spokes: 4, azsPerSpoke: 2, traffic: HALF_CROSS_AZ });
    const threeAzs = CostEstimates.hub({ spokes: 4, azsPerSpoke: 3, traffic: HALF_CROSS_AZ });
    expect(threeAzs.monthlyUsd).toBe(twoAzs.monthlyUsd);
    expect(threeAzs.lines[0].quantity).toBe(4 * 730);
  });

  test('cross-region traffic adds a transit gateway peering (an attachment on each side) and inter-region transfer', () => {
    // GIVEN 1,000 GB, half of it to another region
    const traffic: TrafficProfile = { gbPerMonth: 1000, crossAzShare: 0, crossRegionShare: 0.5 };
    // WHEN
    const estimate = CostEstimates.hub({ spokes: 4, traffic });
    // THEN 4 × 730 × 0.05 + 2 × 730 × 0.05 + 1000 × 0.02 + 500 × 0.02 = 146 + 73 + 20 + 10
    expect(estimate.monthlyUsd).toBeCloseTo(146 + 73 + 20 + 10, 10);
    expect(lineCost(estimate, 'Transit gateway peering attachments')).toBeCloseTo(73, 10);
    expectConsistent(estimate);
  });

  test('the study notes\' figures ($0.36 per attachment-hour, $0.05 per GB) would overstate the hub sevenfold', () => {
    // GIVEN the figures some study notes quote
    const studyNotes = Pricing.US_EAST_1.withRates({ transitGatewayAttachmentPerHour: 0.36, transitGatewayPerGb: 0.05 });
    // WHEN
    const wrong = CostEstimates.hub({ spokes: 2, traffic: HALF_CROSS_AZ, pricing: studyNotes });
    // THEN 2 × 730 × 0.36 + 100 × 0.05 = 525.6 + 5, against $75 at list prices
    expect(wrong.monthlyUsd).toBeCloseTo(530.6, 10);
    expect(CostEstimates.hub({ spokes: 2, traffic: HALF_CROSS_AZ }).monthlyUsd).toBeCloseTo(75, 10);
  });

  test('a cross-AZ transit gateway rate, when given, applies to the cross-AZ share', () => {
    const pricing = Pricing.US_EAST_1.withRates({ transitGatewayCrossAzPerGb: 0.02 });
    // 75 + 50 GB × 0.02
    expect(CostEstimates.hub({ spokes: 2, traffic: HALF_CROSS_AZ, pricing }).monthlyUsd).toBeCloseTo(76, 10);
  });

  test.each<[string, Partial<HubCostOptions>, RegExp]>([
    ['no spoke', { spokes: 0 }, /spokes must be an integer ≥ 1, got 0\./],
    ['a fractional spoke count', { spokes: 1.5 }, /spokes must be an integer ≥ 1, got 1\.5\./],
    ['no AZ', { azsPerSpoke: 0 }, /azsPerSpoke must be an integer ≥ 1, got 0\./],
    ['a negative peering count', { transitGatewayPeerings: -1 }, /transitGatewayPeerings must be an integer ≥ 0, got -1\./],
    ['cross-region traffic without a peering', { transitGatewayPeerings: 0, traffic: { gbPerMonth: 10, crossAzShare: 0, crossRegionShare: 0.1 } },
      /cross-region share, but transitGatewayPeerings is 0/],
    ['a share out of range', { traffic: { gbPerMonth: 10, crossAzShare: 1.01 } }, /traffic.crossAzShare must be a share from 0 to 1/],
  ])('rejects %s', (_name, change, message) => {
    const options = { spokes: 2, traffic: HALF_CROSS_AZ, ...change } as HubCostOptions;
    expect(() => CostEstimates.hub(options)).toThrow(CostInputError);
    expect(() => CostEstimates.hub(options)).toThrow(message);
  });
});

describe('CostEstimates.endpoints', () => {
  const SESSION_MANAGER: EndpointsCostOptions = {
    interfaceEndpoints: 3, azs: 2, gbPerMonth: 20, gatewayEndpoints: 1, gatewayEndpointGbPerMonth: 200,
  };

  test('interface endpoints pay per AZ-hour and per GB; gateway endpoints are free', () => {
    // WHEN
    const estimate = CostEstimates.endpoints(SESSION_MANAGER);
    // THEN 3 endpoints × 2 AZs × 730 h × $0.01 + 20 GB × $0.01 = 43.80 + 0.20
    expect(estimate.monthlyUsd).toBeCloseTo(3 * 2 * 730 * 0.01 + 20 * 0.01, 10);
    expect(estimate.monthlyUsd).toBeCloseTo(44, 10);
    expect(lineCost(estimate, 'Gateway endpoint hours')).toBe(0);
    expect(lineCost(estimate, 'Gateway endpoint data')).toBe(0);
    expect(estimate.alternative).toBeUndefined();
    expect(estimate.monthlySavingsUsd).toBeUndefined();
    expectConsistent(estimate);
  });

  test('compares with the NAT gateways the endpoints replace', () => {
    // WHEN
    const estimate = CostEstimates.endpoints({ ...SESSION_MANAGER, natGatewaysAvoided: 2 });
    // THEN NAT: 2 × 730 × $0.045 + (20 + 200) GB × $0.045 = 65.70 + 9.90
    expect(estimate.alternative?.monthlyUsd).toBeCloseTo(2 * 730 * 0.045 + 220 * 0.045, 10);
    expect(estimate.alternative?.monthlyUsd).toBeCloseTo(75.6, 10);
    expect(estimate.monthlySavingsUsd).toBeCloseTo(75.6 - 44, 10);
    expectConsistent(estimate.alternative as CostEstimate);
  });

  test('savings are negative when the endpoints cost more than the NAT gateway', () => {
    // GIVEN 20 interface endpoints in 3 AZs against one NAT gateway: 20 × 3 × 7.30 = 438 > 32.85
    const estimate = CostEstimates.endpoints({ interfaceEndpoints: 20, azs: 3, gbPerMonth: 0, natGatewaysAvoided: 1 });
    expect(estimate.monthlySavingsUsd).toBeCloseTo(32.85 - 438, 10);
  });

  test.each<[string, Partial<EndpointsCostOptions>, RegExp]>([
    ['a negative endpoint count', { interfaceEndpoints: -1 }, /interfaceEndpoints must be an integer ≥ 0, got -1\./],
    ['no AZ', { azs: 0 }, /azs must be an integer ≥ 1, got 0\./],
    ['negative traffic', { gbPerMonth: -5 }, /gbPerMonth must be a finite number ≥ 0, got -5\./],
    ['a fractional gateway endpoint count', { gatewayEndpoints: 1.5 }, /gatewayEndpoints must be an integer ≥ 0, got 1\.5\./],
    ['negative gateway traffic', { gatewayEndpointGbPerMonth: -1 }, /gatewayEndpointGbPerMonth must be a finite number ≥ 0, got -1\./],
    ['a negative NAT gateway count', { natGatewaysAvoided: -1 }, /natGatewaysAvoided must be an integer ≥ 0, got -1\./],
    ['traffic without interface endpoints', { interfaceEndpoints: 0, gbPerMonth: 10 }, /gbPerMonth is 10, but there are no interface endpoints to carry it/],
    ['gateway traffic without gateway endpoints', { gatewayEndpoints: 0, gatewayEndpointGbPerMonth: 10 }, /gatewayEndpointGbPerMonth is 10, but gatewayEndpoints is 0/],
  ])('rejects %s', (_name, change, message) => {
    const options = { ...SESSION_MANAGER, ...change };
    expect(() => CostEstimates.endpoints(options)).toThrow(CostInputError);
    expect(() => CostEstimates.endpoints(options)).toThrow(message);
  });
});

test('CostInputError is an Error with its own name', () => {
  const error = new CostInputError('x');
  expect(error).toBeInstanceOf(Error);
  expect(error).toBeInstanceOf(CostInputError);
  expect(error.name).toBe('CostInputError');
});
