// The `cdk-vpc-connect/jest` entry point (TypeScript and JavaScript only, outside the jsii assembly):
// importing it registers the network matchers (`toReach`, `toHaveFinding`) with jest.
module.exports = require('./dist/analysis/jest');
