import { Token } from 'aws-cdk-lib';
import { MAX_TAG_VALUE_LENGTH } from '../private/identifiers';
import { fnv1a } from '../routing/route-tables';

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

/**
 * A `Name` tag value that fits AWS's limit of 256 characters: `text` itself when it fits, else
 * its start and its end around a hash of the whole text (`App/Very/Long...~1a2b3c4d~...Hub shared`),
 * so that the result is the same at every synth and two long paths that differ only in the
 * middle still get different names.
 */
export function nameTag(text: string): string {
  if (Token.isUnresolved(text)) { return text; }
  const chars = [...text];
  if (chars.length <= MAX_TAG_VALUE_LENGTH) { return text; }
  const marker = `...~${fnv1a(text)}~...`;
  const room = MAX_TAG_VALUE_LENGTH - marker.length;
  const head = Math.floor(room / 2);
  const tail = room - head;
  return `${chars.slice(0, head).join('')}${marker}${chars.slice(chars.length - tail).join('')}`;
}
