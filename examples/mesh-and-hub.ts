import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { PeeringMesh, TransitGatewayHub } from '../lib';
import { exampleVpc } from './support/example-vpc';

/**
 * The five VPCs of the mesh and hub examples: a shared-services VPC and four workload VPCs,
 * two AZs of isolated subnets each. (`npm run cost` prints what each way of connecting them
 * costs for an example traffic profile: examples/cost-comparison.ts.)
 */
export const FIVE_VPCS: ReadonlyArray<{ readonly id: string; readonly cidr: string }> = [
  { id: 'SharedServices', cidr: '10.0.0.0/16' },
  { id: 'Workload1', cidr: '10.1.0.0/16' },
  { id: 'Workload2', cidr: '10.2.0.0/16' },
  { id: 'Workload3', cidr: '10.3.0.0/16' },
  { id: 'Workload4', cidr: '10.4.0.0/16' },
];

function fiveVpcs(scope: Construct): ec2.Vpc[] {
  return FIVE_VPCS.map(({ id, cidr }) => exampleVpc(scope, id, cidr));
}

/**
 * The five VPCs as a full peering mesh: 10 peering connections, and in each of the VPCs' route
 * tables one route to each of the four other VPCs. Everything reaches everything; no hourly fee.
 */
export class MeshNetworkStack extends Stack {
  public readonly vpcs: ec2.Vpc[];
  public readonly mesh: PeeringMesh;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    this.vpcs = fiveVpcs(this);
    this.mesh = new PeeringMesh(this, 'Mesh', { vpcs: this.vpcs });
  }
}

/**
 * The same five VPCs through a transit gateway: one attachment per VPC, transit gateway route
 * tables with associations and propagations (the gateway's default table is off), and in each
 * VPC's route tables a route to each other VPC via the gateway. The four workload VPCs are in
 * the shared segment with the shared-services VPC here, so everything reaches everything as in
 * the mesh; list some in `isolatedSpokes` (or add them with `hub.addSpoke(vpc, { isolated: true })`)
 * and they reach the shared segment but not each other.
 */
export class HubNetworkStack extends Stack {
  public readonly vpcs: ec2.Vpc[];
  public readonly hub: TransitGatewayHub;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    this.vpcs = fiveVpcs(this);
    this.hub = new TransitGatewayHub(this, 'Hub', {
      spokes: this.vpcs,
      description: 'Hub of the cdk-vpc-connect example: a shared-services VPC and four workload VPCs',
    });
  }
}

/** Add the mesh and hub example stacks (environment-agnostic: no lookup, no credentials). */
export function addMeshAndHubExamples(app: App): void {
  new MeshNetworkStack(app, 'MeshNetwork');
  new HubNetworkStack(app, 'HubNetwork');
}
