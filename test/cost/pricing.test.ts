import { Pricing, PricingOverrides, PricingRates } from '../../lib/cost';
import { CostInputError } from '../../lib/errors';

const RATE_NAMES = Object.keys(Pricing.US_EAST_1.rates) as Array<keyof PricingRates>;

describe('Pricing', () => {
  test('every rate has a source: an https page and a note', () => {
    expect(Object.keys(Pricing.US_EAST_1.sources).sort()).toEqual([...RATE_NAMES].sort());
    for (const key of RATE_NAMES) {
      const source = Pricing.US_EAST_1.sources[key];
      expect({ key, url: source.url }).toEqual({ key, url: expect.stringMatching(/^https:\/\/(aws\.amazon\.com|docs\.aws\.amazon\.com|calculator\.aws)\//) });
      expect(source.note.length).toBeGreaterThan(20);
    }
  });

  test('a figure not confirmed on a current page says "check", as FACTS.md does', () => {
    const unconfirmed = RATE_NAMES.filter((key) => !Pricing.US_EAST_1.sources[key].confirmed);
    expect(unconfirmed.length).toBeGreaterThan(0);
    for (const key of unconfirmed) {
      expect({ key, note: Pricing.US_EAST_1.sources[key].note }).toEqual({ key, note: expect.stringMatching(/check/i) });
    }
  });

  test('us-east-1 list prices are the documented ones', () => {
    expect(Pricing.US_EAST_1.rates).toEqual({
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
    });
  });

  test('the transit gateway is not priced at the study notes\' $0.36 per attachment-hour and $0.05 per GB', () => {
    expect(Pricing.US_EAST_1.rates.transitGatewayAttachmentPerHour).not.toBe(0.36);
    expect(Pricing.US_EAST_1.rates.transitGatewayPerGb).not.toBe(0.05);
    expect(Pricing.US_EAST_1.sources.transitGatewayAttachmentPerHour.note).toMatch(/not \$0\.36/);
    expect(Pricing.US_EAST_1.sources.transitGatewayPerGb.note).toMatch(/not \$0\.05/);
  });

  test('the list prices cannot be changed in place', () => {
    expect(Object.isFrozen(Pricing.US_EAST_1.rates)).toBe(true);
    expect(Object.isFrozen(Pricing.US_EAST_1.sources)).toBe(true);
  });

  describe('sourceOf', () => {
    test('gives the source of a rate, the same as sources', () => {
      for (const key of RATE_NAMES) {
        expect(Pricing.US_EAST_1.sourceOf(key)).toBe(Pricing.US_EAST_1.sources[key]);
      }
    });

    test('rejects an unknown rate, naming the known ones', () => {
      expect(() => Pricing.US_EAST_1.sourceOf('transitGatewayPerGB')).toThrow(CostInputError);
      expect(() => Pricing.US_EAST_1.sourceOf('transitGatewayPerGB')).toThrow(/^Unknown rate transitGatewayPerGB; the rates are: hoursPerMonth, /);
    });
  });

  describe('isPricing', () => {
    test('recognizes pricing tables by brand, not by class', () => {
      expect(Pricing.isPricing(Pricing.US_EAST_1)).toBe(true);
      expect(Pricing.isPricing(Pricing.US_EAST_1.withRates({ natGatewayPerGb: 0.05 }))).toBe(true);
      // a look-alike object (same fields) is not a pricing table
      expect(Pricing.isPricing({ name: 'x', rates: Pricing.US_EAST_1.rates, sources: Pricing.US_EAST_1.sources })).toBe(false);
      expect(Pricing.isPricing(undefined)).toBe(false);
      expect(Pricing.isPricing(null)).toBe(false);
    });
  });

  describe('withRates', () => {
    test('replaces the given rates, keeps the others, and records the replaced ones as given by the user', () => {
      // WHEN
      const pricing = Pricing.US_EAST_1.withRates({ transitGatewayPerGb: 0.025, natGatewayPerHour: 0.05 });
      // THEN
      expect(pricing.rates.transitGatewayPerGb).toBe(0.025);
      expect(pricing.rates.natGatewayPerHour).toBe(0.05);
      expect(pricing.rates.transitGatewayAttachmentPerHour).toBe(0.05);
      expect(pricing.sources.transitGatewayPerGb).toEqual({ url: '', note: 'Given by the user.', confirmed: false });
      expect(pricing.sources.transitGatewayAttachmentPerHour).toBe(Pricing.US_EAST_1.sources.transitGatewayAttachmentPerHour);
      expect(pricing.name).toBe('us-east-1 list prices, with transitGatewayPerGb=0.025, natGatewayPerHour=0.05');
      // the original is untouched
      expect(Pricing.US_EAST_1.rates.transitGatewayPerGb).toBe(0.02);
    });

    test('takes a name', () => {
      expect(Pricing.US_EAST_1.withRates({ interRegionPerGb: 0.01 }, 'us-east-1 to us-east-2').name).toBe('us-east-1 to us-east-2');
    });

    test('rejects an unknown rate, naming the known ones', () => {
      const typo = { transitGatewayPerGB: 0.02 } as unknown as PricingOverrides;
      expect(() => Pricing.US_EAST_1.withRates(typo)).toThrow(CostInputError);
      expect(() => Pricing.US_EAST_1.withRates(typo)).toThrow(/Unknown rate\(s\) transitGatewayPerGB; the rates are: hoursPerMonth, /);
    });

    test.each([
      [{ transitGatewayPerGb: -0.02 }, /Rate transitGatewayPerGb must be a finite number ≥ 0, got -0.02/],
      [{ natGatewayPerGb: Number.NaN }, /Rate natGatewayPerGb must be a finite number ≥ 0, got NaN/],
      [{ interRegionPerGb: Number.POSITIVE_INFINITY }, /Rate interRegionPerGb must be a finite number ≥ 0, got Infinity/],
      [{ hoursPerMonth: 0 }, /hoursPerMonth must be above 0/],
    ])('rejects %p', (overrides, message) => {
      expect(() => Pricing.US_EAST_1.withRates(overrides)).toThrow(message);
    });
  });

  describe('custom', () => {
    const rates: PricingRates = { ...Pricing.US_EAST_1.rates, natGatewayPerHour: 0.048, natGatewayPerGb: 0.048 };

    test('takes every rate, with optional sources', () => {
      // WHEN
      const pricing = Pricing.custom({
        name: 'eu-west-1 list prices',
        rates,
        sources: { natGatewayPerHour: { url: 'https://aws.amazon.com/vpc/pricing/', note: 'eu-west-1', confirmed: true } },
      });
      // THEN
      expect(pricing.name).toBe('eu-west-1 list prices');
      expect(pricing.rates).toEqual(rates);
      expect(pricing.sources.natGatewayPerHour.note).toBe('eu-west-1');
      expect(pricing.sources.natGatewayPerGb.note).toBe('Given by the user.');
      expect(Pricing.isPricing(pricing)).toBe(true);
    });

    test('without sources, records every rate as given by the user', () => {
      const pricing = Pricing.custom({ name: 'negotiated', rates });
      for (const key of RATE_NAMES) {
        expect({ key, source: pricing.sources[key] }).toEqual({ key, source: { url: '', note: 'Given by the user.', confirmed: false } });
      }
    });

    test('rejects a source for an unknown rate, naming the known ones', () => {
      const options = { name: 'typo', rates, sources: { natGatewayPerHr: { url: '', note: 'typo', confirmed: false } } };
      expect(() => Pricing.custom(options)).toThrow(CostInputError);
      expect(() => Pricing.custom(options)).toThrow(/^Pricing.custom: source\(s\) for unknown rate\(s\) natGatewayPerHr; the rates are: hoursPerMonth, /);
    });

    test('requires its options', () => {
      expect(() => Pricing.custom(undefined as unknown as Parameters<typeof Pricing.custom>[0])).toThrow(/^Pricing.custom needs \{ name, rates, sources\? \}\.$/);
    });

    test('requires every rate, naming the missing ones', () => {
      const partial = { hoursPerMonth: 730, transitGatewayPerGb: 0.02 } as unknown as PricingRates;
      expect(() => Pricing.custom({ name: 'partial', rates: partial })).toThrow(CostInputError);
      expect(() => Pricing.custom({ name: 'partial', rates: partial })).toThrow(/Pricing.custom needs every rate; missing: transitGatewayAttachmentPerHour, transitGatewayCrossAzPerGb, /);
    });

    test('requires a name', () => {
      expect(() => Pricing.custom({ name: ' ', rates })).toThrow(/A pricing table needs a name/);
    });
  });
});
