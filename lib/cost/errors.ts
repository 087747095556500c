/**
 * The error the cost estimates throw on bad input.
 *
 * The estimates are pure functions with no construct scope, so they do not use the library's
 * `ConnectivityError` (which carries a construct path). The message names the input, its value
 * and what is expected.
 */
export class CostInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CostInputError';
    Object.setPrototypeOf(this, CostInputError.prototype);
  }
}
