/**
 * The one pricing table of the library: every rate the cost estimates use, with its public
 * source. Pure (no CDK imports).
 *
 * Prices change and differ per region: the defaults are us-east-1 list prices; pass your own with
 * `Pricing.US_EAST_1.withRates({...})` or `Pricing.custom({...})`. A source whose `confirmed` is false
 * was not confirmed on a current AWS page: check it before relying on it.
 *
 * Note: some study notes quote the transit gateway at $0.05 per GB and $0.36 per attachment-hour.
 * Those are not AWS's list prices: the list prices are $0.02 per GB processed and $0.05 per
 * attachment-hour (https://aws.amazon.com/transit-gateway/pricing/).
 */
import { CostInputError } from './errors';
import { requireNonNegative } from './validate';

/** Every rate the estimates use, in US dollars. */
export interface PricingRates {
  /** Hours billed in a month. */
  readonly hoursPerMonth: number;
  /** Transit gateway: per attachment (VPC or peering) per hour, one attachment per VPC whatever its AZs. */
  readonly transitGatewayAttachmentPerHour: number;
  /** Transit gateway: per GB sent from an attachment into the transit gateway (charged once, on the sending side). */
  readonly transitGatewayPerGb: number;
  /** Transit gateway: data transfer per GB for traffic through it that crosses AZs (on top of the processing charge). */
  readonly transitGatewayCrossAzPerGb: number;
  /** Interface endpoint (PrivateLink): per endpoint per AZ per hour. */
  readonly interfaceEndpointPerAzHour: number;
  /** Interface endpoint: per GB processed (first PB per region and month). */
  readonly interfaceEndpointPerGb: number;
  /** Gateway endpoint (S3, DynamoDB): per endpoint per hour. */
  readonly gatewayEndpointPerHour: number;
  /** Gateway endpoint: per GB. */
  readonly gatewayEndpointPerGb: number;
  /** NAT gateway: per gateway per hour. */
  readonly natGatewayPerHour: number;
  /** NAT gateway: per GB processed. */
  readonly natGatewayPerGb: number;
  /** VPC peering connection: per connection per hour. */
  readonly peeringConnectionPerHour: number;
  /** VPC peering: per GB that stays within one AZ (same AZ ID on both sides). */
  readonly peeringSameAzPerGb: number;
  /** Data transfer between AZs of one region, per GB in each direction (the sender pays out, the receiver pays in). */
  readonly crossAzPerGbEachDirection: number;
  /** Data transfer between regions, per GB, at the source region's rate (charged once, out of the source region). */
  readonly interRegionPerGb: number;
  /** Route 53: per hosted zone (public or private) per month. */
  readonly hostedZonePerMonth: number;
}

/** Where a rate comes from. */
export interface PricingSource {
  /** The public page stating the rate. */
  readonly url: string;
  /** What the page says, and how the estimates apply it. */
  readonly note: string;
  /** Whether the figure was confirmed on a current page; when false, check it. */
  readonly confirmed: boolean;
}

/**
 * Rates to replace in a pricing table (`Pricing.withRates`): the same rates as `PricingRates`,
 * each optional.
 */
export interface PricingOverrides {
  /**
   * Hours billed in a month.
   *
   * @default - this table's rate
   */
  readonly hoursPerMonth?: number;
  /**
   * Transit gateway: per attachment (VPC or peering) per hour.
   *
   * @default - this table's rate
   */
  readonly transitGatewayAttachmentPerHour?: number;
  /**
   * Transit gateway: per GB sent from an attachment into the transit gateway.
   *
   * @default - this table's rate
   */
  readonly transitGatewayPerGb?: number;
  /**
   * Transit gateway: data transfer per GB for traffic through it that crosses AZs.
   *
   * @default - this table's rate
   */
  readonly transitGatewayCrossAzPerGb?: number;
  /**
   * Interface endpoint (PrivateLink): per endpoint per AZ per hour.
   *
   * @default - this table's rate
   */
  readonly interfaceEndpointPerAzHour?: number;
  /**
   * Interface endpoint: per GB processed.
   *
   * @default - this table's rate
   */
  readonly interfaceEndpointPerGb?: number;
  /**
   * Gateway endpoint (S3, DynamoDB): per endpoint per hour.
   *
   * @default - this table's rate
   */
  readonly gatewayEndpointPerHour?: number;
  /**
   * Gateway endpoint: per GB.
   *
   * @default - this table's rate
   */
  readonly gatewayEndpointPerGb?: number;
  /**
   * NAT gateway: per gateway per hour.
   *
   * @default - this table's rate
   */
  readonly natGatewayPerHour?: number;
  /**
   * NAT gateway: per GB processed.
   *
   * @default - this table's rate
   */
  readonly natGatewayPerGb?: number;
  /**
   * VPC peering connection: per connection per hour.
   *
   * @default - this table's rate
   */
  readonly peeringConnectionPerHour?: number;
  /**
   * VPC peering: per GB that stays within one AZ.
   *
   * @default - this table's rate
   */
  readonly peeringSameAzPerGb?: number;
  /**
   * Data transfer between AZs of one region, per GB in each direction.
   *
   * @default - this table's rate
   */
  readonly crossAzPerGbEachDirection?: number;
  /**
   * Data transfer between regions, per GB, at the source region's rate.
   *
   * @default - this table's rate
   */
  readonly interRegionPerGb?: number;
  /**
   * Route 53: per hosted zone per month.
   *
   * @default - this table's rate
   */
  readonly hostedZonePerMonth?: number;
}

/** Input of `Pricing.custom`. */
export interface CustomPricingOptions {
  /** A label printed with the estimates (for example `eu-west-1 list prices`). */
  readonly name: string;
  /** Every rate. */
  readonly rates: PricingRates;
  /**
   * Where each rate comes from, keyed by the rate's name (`natGatewayPerHour`).
   *
   * @default - every rate recorded as given by you
   */
  readonly sources?: { [rate: string]: PricingSource };
}

/** One source per rate, keyed by the rate's name (internal: the public type is a string map). */
type SourcesByRate = { readonly [K in keyof PricingRates]: PricingSource };

const TGW_PRICING = 'https://aws.amazon.com/transit-gateway/pricing/';
const PRIVATELINK_PRICING = 'https://aws.amazon.com/privatelink/pricing/';
const VPC_PRICING = 'https://aws.amazon.com/vpc/pricing/';
const EC2_DATA_TRANSFER = 'https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer';

const US_EAST_1_RATES: PricingRates = {
  hoursPerMonth: 730,
  transitGatewayAttachmentPerHour: 0.05,
  transitGatewayPerGb: 0.02,
  transitGatewayCrossAzPerGb: 0,
  interfaceEndpointPerAzHour: 0.01,
  interfaceEndpointPerGb: 0.01,
  gatewayEndpointPerHour: 0,
  gatewayEndpointPerGb: 0,
  natGatewayPerHour: 0.045,
  natGatewayPerGb: 0.045,
  peeringConnectionPerHour: 0,
  peeringSameAzPerGb: 0,
  crossAzPerGbEachDirection: 0.01,
  interRegionPerGb: 0.02,
  hostedZonePerMonth: 0.5,
};

const US_EAST_1_SOURCES: SourcesByRate = {
  hoursPerMonth: {
    url: 'https://calculator.aws/',
    note: '24 hours × 365 days / 12 months = 730, the month the AWS pricing pages and calculator use.',
    confirmed: true,
  },
  transitGatewayAttachmentPerHour: {
    url: TGW_PRICING,
    note: '$0.05 per attachment-hour (not $0.36); a VPC attachment is one attachment whatever the number of AZ subnets; partial hours billed as full hours.',
    confirmed: true,
  },
  transitGatewayPerGb: {
    url: TGW_PRICING,
    note: '$0.02 per GB of data processed (not $0.05): charged for each GB sent from a VPC (or VPN, Direct Connect) into the transit gateway, so once per GB, on the sending attachment.',
    confirmed: true,
  },
  transitGatewayCrossAzPerGb: {
    url: 'https://aws.amazon.com/about-aws/whats-new/2022/04/aws-data-transfer-price-reduction-privatelink-transit-gateway-client-vpn-services/',
    note: 'Since 1 April 2022, data transfer between AZs of a region for traffic through AWS PrivateLink, Transit Gateway and Client VPN is free; only the processing charge remains. Check: confirmed by secondary sources, not on the announcement itself.',
    confirmed: false,
  },
  interfaceEndpointPerAzHour: {
    url: PRIVATELINK_PRICING,
    note: '$0.01 per VPC endpoint per AZ-hour, billed while provisioned in each AZ; partial hours billed as full hours.',
    confirmed: true,
  },
  interfaceEndpointPerGb: {
    url: PRIVATELINK_PRICING,
    note: '$0.01 per GB for the first PB processed by all interface endpoints of a region in a month ($0.006 for the next 4 PB, $0.004 above 5 PB: the estimates use the first tier).',
    confirmed: true,
  },
  gatewayEndpointPerHour: {
    url: 'https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html',
    note: 'Gateway endpoints (S3, DynamoDB) have no charge.',
    confirmed: true,
  },
  gatewayEndpointPerGb: {
    url: 'https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html',
    note: 'Gateway endpoints (S3, DynamoDB) have no charge, per hour or per GB.',
    confirmed: true,
  },
  natGatewayPerHour: {
    url: VPC_PRICING,
    note: '$0.045 per NAT gateway-hour in us-east-1. Check: confirmed by secondary sources, not on the pricing page itself.',
    confirmed: false,
  },
  natGatewayPerGb: {
    url: VPC_PRICING,
    note: '$0.045 per GB processed in us-east-1, in either direction, on top of data transfer. Check: confirmed by secondary sources, not on the pricing page itself.',
    confirmed: false,
  },
  peeringConnectionPerHour: {
    url: 'https://aws.amazon.com/blogs/networking-and-content-delivery/demystifying-amazon-vpc-peering-charges/',
    note: 'There is no charge to create or keep a VPC peering connection; only data transfer is charged.',
    confirmed: true,
  },
  peeringSameAzPerGb: {
    url: 'https://docs.aws.amazon.com/whitepapers/latest/building-scalable-secure-multi-vpc-network-infrastructure/vpc-peering.html',
    note: 'All data transfer over a VPC peering connection that stays within an AZ is free, even between accounts (since May 2021). AZ names map to different zones in different accounts: what counts is the AZ ID (use1-az1). Check the AZ ID wording on the announcement.',
    confirmed: true,
  },
  crossAzPerGbEachDirection: {
    url: EC2_DATA_TRANSFER,
    note: 'Data transfer over a peering connection that crosses AZs is charged at the standard in-region rate, $0.01 per GB in each direction (out of the sender, into the receiver): $0.02 per GB moved.',
    confirmed: true,
  },
  interRegionPerGb: {
    url: EC2_DATA_TRANSFER,
    note: 'Inter-region data transfer is charged out of the source region only; from us-east-1 most destinations are $0.02 per GB (us-east-2: $0.01). Check the rate of your source and destination regions.',
    confirmed: false,
  },
  hostedZonePerMonth: {
    url: 'https://aws.amazon.com/route53/pricing/',
    note: '$0.50 per hosted zone per month for the first 25 zones of an account ($0.10 above); private hosted zones cost the same. Queries of alias records to AWS resources (VPC interface endpoints included) are free. Check: not confirmed on the pricing page itself.',
    confirmed: false,
  },
};

const RATE_NAMES = Object.keys(US_EAST_1_RATES) as Array<keyof PricingRates>;

const PRICING_BRAND = Symbol.for('cdk-vpc-connect.Pricing');

/**
 * A set of rates with their sources.
 *
 * @example
 * const pricing = Pricing.US_EAST_1.withRates({ transitGatewayPerGb: 0.025 });
 */
export class Pricing {
  /** us-east-1 (N. Virginia) list prices; each rate's source is in `sources`. */
  public static readonly US_EAST_1: Pricing = new Pricing('us-east-1 list prices', US_EAST_1_RATES, US_EAST_1_SOURCES);

  /**
   * Rates of your own, every one given (for another region, or negotiated prices).
   *
   * @throws CostInputError when a rate is missing or invalid, or a source names an unknown rate
   */
  public static custom(options: CustomPricingOptions): Pricing {
    if (options === undefined || options === null || typeof options !== 'object') {
      throw new CostInputError('Pricing.custom needs { name, rates, sources? }.');
    }
    const rates = options.rates ?? ({} as PricingRates);
    const missing = RATE_NAMES.filter((key) => rates[key] === undefined);
    if (missing.length > 0) {
      throw new CostInputError(`Pricing.custom needs every rate; missing: ${missing.join(', ')}. Use Pricing.US_EAST_1.withRates({...}) to change only some.`);
    }
    const sources = options.sources ?? {};
    const unknown = Object.keys(sources).filter((key) => !isRateName(key));
    if (unknown.length > 0) {
      throw new CostInputError(`Pricing.custom: source(s) for unknown rate(s) ${unknown.join(', ')}; the rates are: ${RATE_NAMES.join(', ')}.`);
    }
    return new Pricing(options.name, pick(rates), completeSources(sources, userSource()));
  }

  /**
   * Whether `x` is a pricing table of this library (a brand check: it works across copies of the
   * library and in every language).
   */
  public static isPricing(x: any): x is Pricing {
    return x !== null && typeof x === 'object' && PRICING_BRAND in x;
  }

  /** A label printed with the estimates. */
  public readonly name: string;
  /** The rates. */
  public readonly rates: PricingRates;
  /** The source of each rate, keyed by the rate's name (`transitGatewayPerGb`). */
  public readonly sources: { [rate: string]: PricingSource };

  private constructor(name: string, rates: PricingRates, sources: SourcesByRate) {
    if (typeof name !== 'string' || name.trim() === '') {
      throw new CostInputError('A pricing table needs a name (for example "eu-west-1 list prices").');
    }
    for (const key of RATE_NAMES) {
      requireNonNegative(`Rate ${key}`, rates[key]);
    }
    if (rates.hoursPerMonth === 0) {
      throw new CostInputError('Rate hoursPerMonth must be above 0, got 0.');
    }
    this.name = name;
    this.rates = Object.freeze({ ...rates });
    this.sources = Object.freeze({ ...sources });
    Object.defineProperty(this, PRICING_BRAND, { value: true });
  }

  /**
   * The source of one rate.
   *
   * @param rate the rate's name, as in `PricingRates` (`transitGatewayPerGb`)
   * @throws CostInputError when there is no such rate
   */
  public sourceOf(rate: string): PricingSource {
    if (!isRateName(rate)) {
      throw new CostInputError(`Unknown rate ${rate}; the rates are: ${RATE_NAMES.join(', ')}.`);
    }
    return this.sources[rate];
  }

  /**
   * These rates with some replaced; the replaced rates' sources say they were given by you.
   *
   * @param overrides the rates to replace
   * @param name the new table's name
   * @default name - this table's name followed by the replaced rates
   */
  public withRates(overrides: PricingOverrides, name?: string): Pricing {
    const unknown = Object.keys(overrides).filter((key) => !isRateName(key));
    if (unknown.length > 0) {
      throw new CostInputError(`Unknown rate(s) ${unknown.join(', ')}; the rates are: ${RATE_NAMES.join(', ')}.`);
    }
    // in the order the overrides were written, for the label
    const given = (Object.keys(overrides) as Array<keyof PricingRates>).filter((key) => overrides[key] !== undefined);
    const rates: { [rate: string]: number } = { ...this.rates };
    const sources: { [rate: string]: PricingSource } = { ...this.sources };
    for (const key of given) {
      rates[key] = overrides[key] as number;
      sources[key] = userSource();
    }
    const label = name ?? (given.length === 0 ? this.name : `${this.name}, with ${given.map((key) => `${key}=${overrides[key]}`).join(', ')}`);
    return new Pricing(label, rates as unknown as PricingRates, sources as unknown as SourcesByRate);
  }
}

function isRateName(key: string): key is keyof PricingRates {
  return (RATE_NAMES as string[]).includes(key);
}

function pick(rates: PricingRates): PricingRates {
  const result: { [rate: string]: number } = {};
  for (const key of RATE_NAMES) { result[key] = rates[key]; }
  return result as unknown as PricingRates;
}

function userSource(): PricingSource {
  return { url: '', note: 'Given by the user.', confirmed: false };
}

function completeSources(given: { [rate: string]: PricingSource }, fallback: PricingSource): SourcesByRate {
  const result: { [rate: string]: PricingSource } = {};
  for (const key of RATE_NAMES) { result[key] = given[key] ?? fallback; }
  return result as unknown as SourcesByRate;
}
