import { IConstruct } from 'constructs';

const CONNECTIVITY_ERROR = Symbol.for('cdk-vpc-connect.ConnectivityError');
const COST_INPUT_ERROR = Symbol.for('cdk-vpc-connect.CostInputError');

/**
 * The error every check of cdk-vpc-connect throws at synth time.
 *
 * The message starts with the path of the construct that is wrong and says what to do;
 * `constructPath` carries the same path for programs that catch it. Recognize it with
 * `ConnectivityErrors.isConnectivityError(e)` (a brand, so it works across copies of the library).
 */
export class ConnectivityError extends Error {
  /** The path of the construct the error is about. */
  public readonly constructPath: string;

  constructor(scope: IConstruct, message: string) {
    // The app's root has an empty path: name it rather than print `[]`.
    const constructPath = scope.node.path === '' ? '<app>' : scope.node.path;
    super(`[${constructPath}] ${message}`);
    this.name = 'ConnectivityError';
    this.constructPath = constructPath;
    Object.defineProperty(this, CONNECTIVITY_ERROR, { value: true });
    Object.setPrototypeOf(this, ConnectivityError.prototype);
  }
}

/**
 * The error the cost estimates throw on bad input.
 *
 * The estimates are pure, with no construct scope, so the error carries no construct path. The
 * message names the input, its value and what is expected.
 */
export class CostInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CostInputError';
    Object.defineProperty(this, COST_INPUT_ERROR, { value: true });
    Object.setPrototypeOf(this, CostInputError.prototype);
  }
}

/**
 * Recognize the errors cdk-vpc-connect throws.
 *
 * The checks throw at synth time with a message that names the construct path, the values and
 * the fix. These tests work in every language and across two copies of the library in one app.
 */
export class ConnectivityErrors {
  /** Whether `x` is an error thrown by a check of a construct of this library. */
  public static isConnectivityError(x: any): x is ConnectivityError {
    return x !== null && typeof x === 'object' && CONNECTIVITY_ERROR in x;
  }

  /** Whether `x` is an error thrown by a cost estimate on bad input. */
  public static isCostInputError(x: any): x is CostInputError {
    return x !== null && typeof x === 'object' && COST_INPUT_ERROR in x;
  }

  /**
   * The path of the construct a `ConnectivityError` is about.
   *
   * @returns the path, or undefined when `x` is not a `ConnectivityError`
   */
  public static constructPathOf(x: any): string | undefined {
    return ConnectivityErrors.isConnectivityError(x) ? (x as ConnectivityError).constructPath : undefined;
  }

  private constructor() {}
}
