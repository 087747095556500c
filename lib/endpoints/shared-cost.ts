/**
 * What sharing one set of interface endpoints costs against one set in every consumer VPC, and
 * from how many VPCs sharing pays. Pure (no CDK imports): tested without synthesis. Internal:
 * the public API is `SharedEndpoints.estimateMonthlyCost` and `SharedEndpoints.breakEvenVpcs`.
 *
 * What differs between the two designs:
 * - the endpoints' hourly charge: one set (shared) against one set per consumer;
 * - the private hosted zones of the shared set (one per service, per month);
 * - the transit gateway's data processing, when consumers reach the shared VPC through one: each
 *   GB sent into the gateway (request from the consumer, response from the shared VPC) is charged
 *   once. Over a peering, data within one AZ is free, across AZs charged both ways (not counted:
 *   it depends on AZ placement).
 * What is the same in both (and counted in both, so the totals are the whole bill of the
 * endpoints): the endpoints' data processing per GB. Attachments of the hub are not counted: the
 * VPCs are attached for their other traffic anyway (`TransitGatewayHub.estimateMonthlyCost`).
 */
import { CostEstimate, CostLine, resolvePricing } from '../cost/estimate';
import { Pricing } from '../cost/pricing';
import { CostInputError } from '../errors';

/** The input of {@link estimateSharedEndpointsCost}. */
export interface SharedEndpointsCostInput {
  /** Interface endpoints of the shared set (one per service). */
  readonly services: number;
  /** Endpoint-AZ pairs of the shared set (each endpoint × its AZs). */
  readonly sharedEndpointAzs: number;
  /** The AZs of each consumer: the endpoints it would need of its own would span them. */
  readonly consumerAzs: number[];
  /** Private hosted zones of the shared set. */
  readonly hostedZones: number;
  /** GB per month through the endpoints, all consumers and both directions. */
  readonly gbPerMonth: number;
  /** Whether the consumers' traffic crosses a transit gateway to reach the shared VPC. */
  readonly throughTransitGateway: boolean;
  readonly pricing?: Pricing;
}

/**
 * The shared set's monthly cost, with one set per consumer as `alternative`.
 *
 * @throws CostInputError on a negative or fractional count
 */
export function estimateSharedEndpointsCost(input: SharedEndpointsCostInput): CostEstimate {
  const pricing = resolvePricing(input.pricing);
  const r = pricing.rates;
  requireCount('services', input.services, 1);
  requireCount('sharedEndpointAzs', input.sharedEndpointAzs, input.services);
  requireCount('hostedZones', input.hostedZones, 0);
  input.consumerAzs.forEach((azs, i) => requireCount(`consumerAzs[${i}]`, azs, 1));
  if (!Number.isFinite(input.gbPerMonth) || input.gbPerMonth < 0) {
    throw new CostInputError(`traffic.gbPerMonth must be a finite number ≥ 0, got ${input.gbPerMonth}.`);
  }
  const consumers = input.consumerAzs.length;
  const lines: CostLine[] = [
    line('Interface endpoint AZ-hours (shared set)', input.sharedEndpointAzs * r.hoursPerMonth, 'endpoint-AZ-hour', r.interfaceEndpointPerAzHour,
      `${input.sharedEndpointAzs} endpoint-AZ(s) of ${input.services} endpoint(s) × ${r.hoursPerMonth} h`),
    line('Interface endpoint data processing', input.gbPerMonth, 'GB', r.interfaceEndpointPerGb, 'first-PB tier'),
    line('Private hosted zones', input.hostedZones, 'zone-month', r.hostedZonePerMonth,
      'one per service name; queries of alias records to VPC endpoints are free'),
    line('Transit gateway data processing (consumers to the shared VPC)', input.throughTransitGateway ? input.gbPerMonth : 0, 'GB', r.transitGatewayPerGb,
      input.throughTransitGateway
        ? 'each GB enters the transit gateway once, from the VPC that sends it; the attachments are counted by the hub'
        : 'the consumers do not reach the shared VPC through a transit gateway of the app'),
  ];
  const sharedTitle = `Shared interface endpoints: ${input.services} service(s) for ${consumers} consumer VPC(s)`;
  const shared = estimate(sharedTitle, pricing, lines);
  const consumerEndpointAzs = input.consumerAzs.reduce((sum, azs) => sum + azs * input.services, 0);
  const alternative = estimate(`The same ${input.services} service(s) in each of the ${consumers} consumer VPC(s)`, pricing, [
    line('Interface endpoint AZ-hours (one set per consumer)', consumerEndpointAzs * r.hoursPerMonth, 'endpoint-AZ-hour', r.interfaceEndpointPerAzHour,
      `${input.services} endpoint(s) × the AZs of each consumer (${input.consumerAzs.join(', ') || 'none'}) × ${r.hoursPerMonth} h`),
    line('Interface endpoint data processing', input.gbPerMonth, 'GB', r.interfaceEndpointPerGb, 'first-PB tier'),
  ]);
  return { ...shared, alternative, monthlySavingsUsd: alternative.monthlyUsd - shared.monthlyUsd };
}

/** The input of {@link breakEvenConsumers}. */
export interface BreakEvenInput {
  readonly services: number;
  readonly azs: number;
  readonly gbPerMonth: number;
  readonly throughTransitGateway: boolean;
  readonly pricing?: Pricing;
}

/**
 * The smallest number of consumer VPCs from which the shared set costs less than one set in each
 * consumer (the consumers and the shared VPC spanning `azs` AZs, the traffic fixed in total).
 *
 * Savings with n consumers: (n − 1) × services × azs × hours × rate − zones − transit gateway
 * processing; positive from n = floor(1 + (zones + processing) / (services × azs × hours × rate)) + 1.
 */
export function breakEvenConsumers(input: BreakEvenInput): number {
  const pricing = resolvePricing(input.pricing);
  requireCount('services', input.services, 1);
  requireCount('azs', input.azs, 1);
  if (!Number.isFinite(input.gbPerMonth) || input.gbPerMonth < 0) {
    throw new CostInputError(`gbPerMonth must be a finite number ≥ 0, got ${input.gbPerMonth}.`);
  }
  const r = pricing.rates;
  const setPerVpc = input.services * input.azs * r.hoursPerMonth * r.interfaceEndpointPerAzHour;
  const overhead = input.services * r.hostedZonePerMonth + (input.throughTransitGateway ? input.gbPerMonth * r.transitGatewayPerGb : 0);
  if (setPerVpc === 0) {
    throw new CostInputError('The pricing has interfaceEndpointPerAzHour 0: a set of endpoints per VPC costs nothing, so sharing never pays.');
  }
  // the smallest integer n ≥ 1 with (n − 1) × setPerVpc > overhead
  return Math.floor(overhead / setPerVpc) + 2;
}

function requireCount(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new CostInputError(`${name} must be an integer ≥ ${min}, got ${value}.`);
  }
}

function line(item: string, quantity: number, unit: string, rateUsd: number, note: string): CostLine {
  return { item, quantity, unit, rateUsd, monthlyUsd: quantity * rateUsd, note };
}

function estimate(title: string, pricing: Pricing, lines: CostLine[]): CostEstimate {
  return { title, pricing: pricing.name, monthlyUsd: lines.reduce((sum, l) => sum + l.monthlyUsd, 0), lines };
}
