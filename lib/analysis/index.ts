// The network analysis: the model of the synthesized network, its findings, and the validation
// plugin. The CLI, the diagram functions and the jest matchers (`cdk-vpc-connect/jest`) stay
// out of the main entry point.
export { FindingRules, FindingSeverity, HopDirection, ReachabilityBlockers, ReachabilityCheck, TargetKind } from './types';
export type {
  Finding, FindingMatchOptions, FindingResource, Hop, INetworkModel, ModelEndpoint, ModelPeering, ModelTransitGateway, ModelVpc,
  Reachability, ReachOptions,
} from './types';
export type { IsolationIntent, NetworkIntent, ReachIntent } from './intents';
export { NetworkModel } from './network-model';
export type { NetworkModelOptions } from './network-model';
export { NetworkValidationPlugin } from './validation-plugin';
export type { NetworkValidationPluginProps } from './validation-plugin';
