import { CostInputError, Pricing, PricingRates } from '../../lib/cost';

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

  describe('with', () => {
    test('replaces the given rates, keeps the others, and records the replaced ones as given by the user', () => {
      // WHEN
      const pricing = Pricing.US_EAST_1.with({ transitGatewayPerGb: 0.025, natGatewayPerHour: 0.05 });
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
      expect(Pricing.US_EAST_1.with({ interRegionPerGb: 0.01 }, 'us-east-1 to us-east-2').name).toBe('us-east-1 to us-east-2');
    });

    test('rejects an unknown rate, naming the known ones', () => {
      const typo = { transitGatewayPerGB: 0.02 } as unknown as Partial<PricingRates>;
      expect(() => Pricing.US_EAST_1.with(typo)).toThrow(CostInputError);
      expect(() => Pricing.US_EAST_1.with(typo)).toThrow(/Unknown rate\(s\) transitGatewayPerGB; the rates are: hoursPerMonth, /);
    });

    test.each([
      [{ transitGatewayPerGb: -0.02 }, /Rate transitGatewayPerGb must be a finite number ≥ 0, got -0.02/],
      [{ natGatewayPerGb: Number.NaN }, /Rate natGatewayPerGb must be a finite number ≥ 0, got NaN/],
      [{ interRegionPerGb: Number.POSITIVE_INFINITY }, /Rate interRegionPerGb must be a finite number ≥ 0, got Infinity/],
      [{ hoursPerMonth: 0 }, /hoursPerMonth must be above 0/],
    ])('rejects %p', (overrides, message) => {
      expect(() => Pricing.US_EAST_1.with(overrides)).toThrow(message);
    });
  });

  describe('custom', () => {
    const rates: PricingRates = { ...Pricing.US_EAST_1.rates, natGatewayPerHour: 0.048, natGatewayPerGb: 0.048 };

    test('takes every rate, with optional sources', () => {
      // WHEN
      const pricing = Pricing.custom('eu-west-1 list prices', rates, {
        natGatewayPerHour: { url: 'https://aws.amazon.com/vpc/pricing/', note: 'eu-west-1', confirmed: true },
      });
      // THEN
      expect(pricing.name).toBe('eu-west-1 list prices');
      expect(pricing.rates).toEqual(rates);
      expect(pricing.sources.natGatewayPerHour.note).toBe('eu-west-1');
      expect(pricing.sources.natGatewayPerGb.note).toBe('Given by the user.');
    });

    test('requires every rate, naming the missing ones', () => {
      const partial = { hoursPerMonth: 730, transitGatewayPerGb: 0.02 } as unknown as PricingRates;
      expect(() => Pricing.custom('partial', partial)).toThrow(/Pricing.custom needs every rate; missing: transitGatewayAttachmentPerHour, transitGatewayCrossAzPerGb, /);
    });

    test('requires a name', () => {
      expect(() => Pricing.custom(' ', rates)).toThrow(/A pricing table needs a name/);
    });
  });
});
