import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { VpcPeering } from '../lib';
import { exampleVpc } from './support/example-vpc';

/** Properties of {@link CrossRegionPeeringStacks}. */
export interface CrossRegionPeeringProps {
  /** The account of both stacks (undefined: the CLI's current account). */
  readonly account?: string;
  /** The requester's region. */
  readonly requesterRegion: string;
  /** The accepter's region. */
  readonly accepterRegion: string;
}

/**
 * Same-account, cross-region peering: a VPC in each of two regions, each in its own stack.
 * `VpcPeering` sets PeerRegion and puts the accepter's routes in a stack of the accepter's
 * region, so `cdk deploy --all` creates everything in order.
 */
export class CrossRegionPeeringStacks {
  public readonly requesterStack: Stack;
  public readonly accepterStack: Stack;
  public readonly peering: VpcPeering;

  constructor(scope: Construct, id: string, props: CrossRegionPeeringProps) {
    const stackProps = (region: string): StackProps => ({ env: { account: props.account, region }, crossRegionReferences: true });
    this.accepterStack = new Stack(scope, `${id}-Accepter`, stackProps(props.accepterRegion));
    const accepterVpc = exampleVpc(this.accepterStack, 'AccepterVpc', '10.20.0.0/16');

    this.requesterStack = new Stack(scope, `${id}-Requester`, stackProps(props.requesterRegion));
    const requesterVpc = exampleVpc(this.requesterStack, 'RequesterVpc', '10.10.0.0/16');

    this.peering = new VpcPeering(this.requesterStack, 'Peering', {
      requester: requesterVpc,
      accepter: accepterVpc,
      peeringName: `${props.requesterRegion}-to-${props.accepterRegion}`,
    });
  }
}
