// Types of the `cdk-vpc-connect/jest` entry point: importing it declares `toReach` and `toHaveFinding` on jest's `expect`.
export * from './dist/analysis/jest';
