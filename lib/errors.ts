import { IConstruct } from 'constructs';

/**
 * The error every check of cdk-vpc-connect throws at synth time.
 *
 * The message starts with the path of the construct that is wrong and says what to do;
 * `constructPath` carries the same path for programs that catch it.
 */
export class ConnectivityError extends Error {
  /** The path of the construct the error is about. */
  public readonly constructPath: string;

  constructor(scope: IConstruct, message: string) {
    super(`[${scope.node.path}] ${message}`);
    this.name = 'ConnectivityError';
    this.constructPath = scope.node.path;
    Object.setPrototypeOf(this, ConnectivityError.prototype);
  }
}
