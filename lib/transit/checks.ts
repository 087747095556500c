import { Token } from 'aws-cdk-lib';

/**
 * Pure checks and helpers of the transit gateway hub's inputs (no construct is created here).
 * Internal: not exported from the package.
 */

/**
 * The most characters of a transit gateway's description. The EC2 API documents no length for
 * `CreateTransitGateway`'s `Description`; 255 is the limit of EC2's other description fields
 * (security groups, network interfaces) and what the console accepts (not confirmed on a
 * current AWS page: check). The hub rejects a longer one at synth rather than at deploy.
 */
export const MAX_TRANSIT_GATEWAY_DESCRIPTION_LENGTH = 255;

/** The problem with a transit gateway description, if any (tokens are not checked). */
export function checkTransitGatewayDescription(value: string): string | undefined {
  if (Token.isUnresolved(value)) { return undefined; }
  const length = [...value].length;
  if (length > MAX_TRANSIT_GATEWAY_DESCRIPTION_LENGTH) {
    return `'${[...value].slice(0, 40).join('')}...' has ${length} characters, more than the ${MAX_TRANSIT_GATEWAY_DESCRIPTION_LENGTH} ` +
      'a transit gateway description takes';
  }
  return undefined;
}

