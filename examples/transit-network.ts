import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { SegmentOptions, TransitGatewayHub, TransitGatewayPeering, TransitGatewaySpoke } from '../lib';
import { exampleVpc } from './support/example-vpc';

/** Properties of {@link TransitNetworkStacks}. */
export interface TransitNetworkProps {
  /** The network account: both hubs and the shared-services VPCs. */
  readonly networkAccount: string;
  /** The account of the production workloads. */
  readonly prodAccount: string;
  /** The account of the development workloads. */
  readonly devAccount: string;
  /** The main region. */
  readonly region: string;
  /** The second region, whose hub is peered with the first. */
  readonly peerRegion: string;
}

/**
 * The routing domains of both hubs: prod and dev reach shared services, never each other.
 */
export const TRANSIT_SEGMENTS: SegmentOptions[] = [
  { name: 'shared' },
  { name: 'prod', reaches: ['shared'] },
  { name: 'dev', reaches: ['shared'] },
];

/**
 * Every VPC routes this one summary toward its hub (the spokes of both regions lie in it): the
 * transit gateway route tables, not the VPC route tables, decide who reaches whom.
 */
const SUMMARY = ['10.0.0.0/8'];

/**
 * A transit network over three accounts and two regions, deployed with one `cdk deploy --all`:
 * - the network account's hub in `region`, with the segments shared, prod and dev, shared through
 *   AWS RAM with the prod and dev accounts, and the shared-services VPC;
 * - the prod and dev accounts, each attaching its VPC with `TransitGatewaySpoke` (the share's
 *   invitation, the attachment's acceptance, association and propagations are handled through a
 *   role of the network account that the hub creates);
 * - the network account's second hub in `peerRegion`, with its own shared-services VPC, peered
 *   with the first (`TransitGatewayPeering`): shared, prod and dev reach across.
 */
export class TransitNetworkStacks {
  public readonly networkStack: Stack;
  public readonly prodStack: Stack;
  public readonly devStack: Stack;
  public readonly peerStack: Stack;
  public readonly hub: TransitGatewayHub;
  public readonly peerHub: TransitGatewayHub;
  public readonly sharedServices: ec2.Vpc;
  public readonly peerSharedServices: ec2.Vpc;
  public readonly prodVpc: ec2.Vpc;
  public readonly devVpc: ec2.Vpc;
  public readonly peering: TransitGatewayPeering;

  constructor(scope: Construct, id: string, props: TransitNetworkProps) {
    const stack = (name: string, account: string, region: string, description: string) =>
      new Stack(scope, `${id}-${name}`, { env: { account, region }, description: `cdk-vpc-connect example: ${description}` });

    this.peerStack = stack('NetworkPeer', props.networkAccount, props.peerRegion, 'the network account\'s hub of the second region.');
    this.peerHub = new TransitGatewayHub(this.peerStack, 'Hub', { segments: TRANSIT_SEGMENTS, description: 'cdk-vpc-connect example: second region' });
    this.peerSharedServices = exampleVpc(this.peerStack, 'SharedServices', '10.100.0.0/16');
    this.peerHub.addSpoke(this.peerSharedServices, { segment: 'shared', routes: { destinations: SUMMARY } });

    this.networkStack = stack('Network', props.networkAccount, props.region, 'the network account\'s hub, shared with the prod and dev accounts.');
    this.hub = new TransitGatewayHub(this.networkStack, 'Hub', {
      segments: TRANSIT_SEGMENTS,
      shareWith: { accounts: [props.prodAccount, props.devAccount] },
      description: 'cdk-vpc-connect example: shared services, prod and dev',
    });
    this.sharedServices = exampleVpc(this.networkStack, 'SharedServices', '10.0.0.0/16');
    this.hub.addSpoke(this.sharedServices, { segment: 'shared', routes: { destinations: SUMMARY } });

    this.prodStack = stack('Prod', props.prodAccount, props.region, 'the production account\'s VPC, a spoke of the network account\'s hub.');
    this.prodVpc = exampleVpc(this.prodStack, 'Vpc', '10.1.0.0/16');
    new TransitGatewaySpoke(this.prodStack, 'Spoke', { hub: this.hub, vpc: this.prodVpc, segment: 'prod', routes: { destinations: SUMMARY } });

    this.devStack = stack('Dev', props.devAccount, props.region, 'the development account\'s VPC, a spoke of the network account\'s hub.');
    this.devVpc = exampleVpc(this.devStack, 'Vpc', '10.2.0.0/16');
    new TransitGatewaySpoke(this.devStack, 'Spoke', { hub: this.hub, vpc: this.devVpc, segment: 'dev', routes: { destinations: SUMMARY } });

    this.peering = new TransitGatewayPeering(this.networkStack, 'Peering', { hubs: [this.hub, this.peerHub] });
  }
}

/**
 * Add the transit network example. Context (placeholders keep `cdk synth` working offline):
 * `-c networkAccount=... -c prodAccount=... -c devAccount=...`, `-c transitRegion=...` and
 * `-c transitPeerRegion=...`.
 */
export function addTransitNetworkExample(app: Construct): TransitNetworkStacks {
  const context = (key: string, fallback: string): string => app.node.tryGetContext(key) ?? fallback;
  return new TransitNetworkStacks(app, 'TransitNetwork', {
    networkAccount: context('networkAccount', '111111111111'),
    prodAccount: context('prodAccount', '222222222222'),
    devAccount: context('devAccount', '333333333333'),
    region: context('transitRegion', 'us-east-1'),
    peerRegion: context('transitPeerRegion', 'eu-west-1'),
  });
}
