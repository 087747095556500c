import { Pricing } from '../../lib/cost';
import { recordTextsOf, serviceDnsNames, zoneNameOf, zoneTextOf } from '../../lib/endpoints/private-dns';
import { breakEvenConsumers, estimateSharedEndpointsCost } from '../../lib/endpoints/shared-cost';

describe('serviceDnsNames: the names a shared endpoint must answer', () => {
  test.each([
    // short name of com.amazonaws.<region>.<x>, zone, records
    ['sns', 'sns.<region>.amazonaws.com', ['sns.<region>.amazonaws.com']],
    ['ssmmessages', 'ssmmessages.<region>.amazonaws.com', ['ssmmessages.<region>.amazonaws.com']],
    ['ecr.api', 'api.ecr.<region>.amazonaws.com', ['api.ecr.<region>.amazonaws.com']],
    ['ecr.dkr', 'dkr.ecr.<region>.amazonaws.com', ['dkr.ecr.<region>.amazonaws.com', '*.dkr.ecr.<region>.amazonaws.com']],
    ['s3', 's3.<region>.amazonaws.com', ['s3.<region>.amazonaws.com', '*.s3.<region>.amazonaws.com']],
    ['execute-api', 'execute-api.<region>.amazonaws.com', ['execute-api.<region>.amazonaws.com', '*.execute-api.<region>.amazonaws.com']],
    ['sagemaker.runtime', 'runtime.sagemaker.<region>.amazonaws.com', ['runtime.sagemaker.<region>.amazonaws.com']],
    ['kinesis-streams', 'kinesis.<region>.amazonaws.com', ['kinesis.<region>.amazonaws.com']],
    ['kinesis-firehose', 'firehose.<region>.amazonaws.com', ['firehose.<region>.amazonaws.com']],
  ])('%s: zone %s', (shortName, zone, records) => {
    const names = serviceDnsNames(shortName)!;
    expect(zoneTextOf(names)).toBe(zone);
    expect(recordTextsOf(names)).toEqual(records);
  });

  test.each(['ecs-agent', 'ecs-telemetry', 'codeartifact.repositories', 'iot.data', 'Sns'])('%s: not known, so not shared', (shortName) => {
    expect(serviceDnsNames(shortName)).toBeUndefined();
  });

  test('a zone name takes the region and the partition suffix', () => {
    expect(zoneNameOf(serviceDnsNames('sts')!, 'cn-north-1', 'amazonaws.com.cn')).toBe('sts.cn-north-1.amazonaws.com.cn');
  });
});

describe('estimateSharedEndpointsCost', () => {
  test('one set shared by 3 consumers of different AZ counts, through a hub', () => {
    const estimate = estimateSharedEndpointsCost({
      services: 2, sharedEndpointAzs: 4, consumerAzs: [2, 3, 1], hostedZones: 2, gbPerMonth: 200, throughTransitGateway: true,
    });
    // 4 × 7.30 + 2 + 1 + 4 = 36.20; alternative: 2 × (2 + 3 + 1) × 7.30 + 2 = 89.60
    expect(estimate.monthlyUsd).toBeCloseTo(36.2, 6);
    expect(estimate.alternative!.monthlyUsd).toBeCloseTo(89.6, 6);
    expect(estimate.monthlySavingsUsd).toBeCloseTo(53.4, 6);
    expect(estimate.pricing).toBe('us-east-1 list prices');
  });

  test('takes another pricing table', () => {
    const pricing = Pricing.US_EAST_1.withRates({ hostedZonePerMonth: 0.1 });
    const estimate = estimateSharedEndpointsCost({ services: 1, sharedEndpointAzs: 2, consumerAzs: [2], hostedZones: 1, gbPerMonth: 0, throughTransitGateway: false, pricing });
    expect(estimate.lines.find((l) => l.item === 'Private hosted zones')!.monthlyUsd).toBeCloseTo(0.1, 9);
  });

  test.each([
    [{ services: 0 }, /services must be an integer ≥ 1, got 0/],
    [{ sharedEndpointAzs: 1 }, /sharedEndpointAzs must be an integer ≥ 2, got 1/],
    [{ consumerAzs: [2, 0] }, /consumerAzs\[1\] must be an integer ≥ 1, got 0/],
    [{ gbPerMonth: -1 }, /traffic.gbPerMonth must be a finite number ≥ 0, got -1/],
  ])('rejects %p', (override, message) => {
    const input = { services: 2, sharedEndpointAzs: 4, consumerAzs: [2], hostedZones: 2, gbPerMonth: 0, throughTransitGateway: false, ...override };
    expect(() => estimateSharedEndpointsCost(input)).toThrow(message);
  });
});

describe('breakEvenConsumers', () => {
  test('sharing pays from the consumer count where the endpoints saved exceed the zones and the transit gateway processing', () => {
    // 6 services × 2 AZs: $87.60 per set; 10 TB through a hub: $200 + 6 zones $3
    expect(breakEvenConsumers({ services: 6, azs: 2, gbPerMonth: 10_000, throughTransitGateway: true })).toBe(4);
    const saving = (n: number) => estimateSharedEndpointsCost({
      services: 6, sharedEndpointAzs: 12, consumerAzs: new Array(n).fill(2), hostedZones: 6, gbPerMonth: 10_000, throughTransitGateway: true,
    }).monthlySavingsUsd!;
    expect(saving(3)).toBeLessThan(0);
    expect(saving(4)).toBeGreaterThan(0);
  });

  test('a pricing where endpoints are free never pays', () => {
    expect(() => breakEvenConsumers({ services: 1, azs: 1, gbPerMonth: 0, throughTransitGateway: false, pricing: Pricing.US_EAST_1.withRates({ interfaceEndpointPerAzHour: 0 }) }))
      .toThrow(/a set of endpoints per VPC costs nothing, so sharing never pays/);
  });
});
