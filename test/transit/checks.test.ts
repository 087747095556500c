import { Fn } from 'aws-cdk-lib';
import { checkTransitGatewayDescription, nameTag } from '../../lib/transit/checks';

describe('transit gateway hub input checks (pure)', () => {
  test('checkTransitGatewayDescription: at most 255 characters; tokens are not checked', () => {
    expect(checkTransitGatewayDescription('d'.repeat(255))).toBeUndefined();
    expect(checkTransitGatewayDescription('d'.repeat(256))).toBe(`'${'d'.repeat(40)}...' has 256 characters, more than the 255 a transit gateway description takes`);
    expect(checkTransitGatewayDescription(Fn.importValue('Description'))).toBeUndefined();
  });

  test('nameTag keeps a value that fits and shortens a longer one to 256 characters, deterministically', () => {
    expect(nameTag('App/Hub shared')).toBe('App/Hub shared');
    expect(nameTag('x'.repeat(256))).toBe('x'.repeat(256));
    const long = `${'a'.repeat(200)}/${'b'.repeat(200)} shared`;
    const short = nameTag(long);
    expect(short).toHaveLength(256);
    expect(short).toMatch(/^a+\.\.\.~[0-9a-f]{8}~\.\.\.b+ shared$/);
    expect(nameTag(long)).toBe(short);
    // two paths that differ only in the middle keep different names
    expect(nameTag(`${'a'.repeat(200)}/X/${'b'.repeat(200)} shared`)).not.toBe(short);
    // counted in Unicode characters, as AWS counts them
    expect([...nameTag('é'.repeat(300))]).toHaveLength(256);
    const token = Fn.importValue('Name');
    expect(nameTag(token)).toBe(token);
  });
});
