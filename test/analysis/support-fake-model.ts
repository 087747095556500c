/**
 * A hand-written INetworkModel for the tests of the analysis tools (plugin, matchers, CLI,
 * diagram): they depend only on the interface, so they are tested on exactly the answers they get.
 */
import { IConstruct } from 'constructs';
import {
  Finding, FindingRules, FindingSeverity, Hop, HopDirection, INetworkModel, ModelEndpoint, ModelPeering, ModelTransitGateway, ModelVpc,
  Reachability, TargetKind,
} from '../../lib/analysis/types';

/** What a fake model holds; `answers` overrides the default reachability of a `from|to` pair. */
export interface FakeModelProps {
  readonly vpcs?: ModelVpc[];
  readonly peerings?: ModelPeering[];
  readonly transitGateways?: ModelTransitGateway[];
  readonly endpoints?: ModelEndpoint[];
  readonly findings?: Finding[];
  readonly answers?: Record<string, Reachability>;
}

/**
 * A model whose reachability follows its peerings and transit gateways (one hop, no routes):
 * the same VPC is `local`, peered VPCs are `pcx`, VPCs on one transit gateway are `tgw`,
 * the rest is unreachable; `answers` overrides any pair.
 */
export class FakeModel implements INetworkModel {
  readonly vpcs: ModelVpc[];
  readonly peerings: ModelPeering[];
  readonly transitGateways: ModelTransitGateway[];
  readonly endpoints: ModelEndpoint[];
  readonly findings: Finding[];
  /** Every `canReach` question asked, as `from|to`. */
  readonly questions: string[] = [];
  private readonly answers: Record<string, Reachability>;

  constructor(props: FakeModelProps = {}) {
    this.vpcs = props.vpcs ?? [];
    this.peerings = props.peerings ?? [];
    this.transitGateways = props.transitGateways ?? [];
    this.endpoints = props.endpoints ?? [];
    this.findings = props.findings ?? [];
    this.answers = props.answers ?? {};
  }

  canReach(from: string | IConstruct, to: string | IConstruct): Reachability {
    const a = typeof from === 'string' ? from : from.node.path;
    const b = typeof to === 'string' ? to : to.node.path;
    this.questions.push(`${a}|${b}`);
    const answer = this.answers[`${a}|${b}`];
    if (answer) {
      return answer;
    }
    if (a === b) {
      return roundTrip(a, b, TargetKind.LOCAL, 'local');
    }
    const pcx = this.peerings.find((p) => (p.requester === a && p.accepter === b) || (p.requester === b && p.accepter === a));
    if (pcx) {
      return roundTrip(a, b, TargetKind.PEERING, pcx.name);
    }
    const tgw = this.transitGateways.find((t) => t.attachedVpcs.includes(a) && t.attachedVpcs.includes(b));
    if (tgw) {
      return roundTrip(a, b, TargetKind.TRANSIT_GATEWAY, tgw.name);
    }
    return { reachable: false, certain: true, path: [], reason: `${a} has no route to ${b}` };
  }
}

/** A VPC of the model with one literal block. */
export function vpc(name: string, cidr: string, stack = 'Stack'): ModelVpc {
  return { name, stack, cidrs: [cidr], certain: true };
}

/** A reachable round trip through one target each way. */
export function roundTrip(from: string, to: string, target: TargetKind, via: string): Reachability {
  return { reachable: true, certain: true, path: [hop('there', from, to, target, via), hop('back', to, from, target, via)] };
}

/** A hop of `vpc`'s route table toward `destination` (`there`: HopDirection.THERE, `back`: BACK). */
export function hop(direction: 'there' | 'back', vpcName: string, destination: string, target: TargetKind, via: string): Hop {
  return { direction: direction === HopDirection.THERE ? HopDirection.THERE : HopDirection.BACK, vpc: vpcName, routeTable: `${vpcName}/Rtb`, destination, target, via };
}

/** A finding of `rule` about `constructs`. */
export function finding(ruleId: string, severity: FindingSeverity, constructs: string[], message = `${ruleId} here`): Finding {
  return { ruleId, severity, message, fix: `fix ${ruleId}`, constructs };
}

/** A one-way route from A to B: the error the tools are mostly tested with. */
export function oneWayFinding(constructs = ['App/Net/VpcA', 'App/Net/VpcB']): Finding {
  return finding(FindingRules.ONE_WAY_ROUTE, FindingSeverity.ERROR, constructs, 'App/Net/VpcA routes 10.1.0.0/16 to pcx App/Net/AtoB, but App/Net/VpcB has no route back to 10.0.0.0/16');
}
