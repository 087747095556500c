import { Fn } from 'aws-cdk-lib';
import { checkTransitGatewayDescription } from '../../lib/transit/checks';

describe('transit gateway hub input checks (pure)', () => {
  test('checkTransitGatewayDescription: at most 255 characters; tokens are not checked', () => {
    expect(checkTransitGatewayDescription('d'.repeat(255))).toBeUndefined();
    expect(checkTransitGatewayDescription('d'.repeat(256))).toBe(`'${'d'.repeat(40)}...' has 256 characters, more than the 255 a transit gateway description takes`);
    expect(checkTransitGatewayDescription(Fn.importValue('Description'))).toBeUndefined();
  });
});
