import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { VpcPeering, VpcPeeringProps } from '../../lib';
import { testVpc } from '../support/vpcs';

/**
 * The configurations of the AWS VPC Peering Guide ("VPC peering configurations":
 * full access, specific subnets, longest prefix match, multiple CIDRs, IPv6), built with
 * VpcPeering; the resulting route tables must equal the documented ones.
 *
 * Route tables are written `{ 'VPC/subnet group': { destination: 'pcx name' } }`, listing only
 * peering routes. IPv6 blocks, only known at deploy time, are written `ipv6(VPC)`.
 */
interface GuideVpc {
  readonly cidr: string;
  /** Subnet groups (one AZ each, /24 in order). @default ['Subnets'] */
  readonly groups?: string[];
  readonly secondary?: string[];
  readonly dualStack?: boolean;
}

interface GuidePeering {
  readonly name: string;
  readonly requester: string;
  readonly accepter: string;
  readonly options?: Pick<VpcPeeringProps, 'requesterRoutes' | 'accepterRoutes'>;
}

interface GuideCase {
  readonly title: string;
  readonly vpcs: Record<string, GuideVpc>;
  readonly peerings: GuidePeering[];
  readonly routeTables: Record<string, Record<string, string>>;
}

const CASES: GuideCase[] = [
  {
    title: 'two VPCs peered together',
    vpcs: { A: { cidr: '172.16.0.0/16' }, B: { cidr: '10.0.0.0/16' } },
    peerings: [{ name: 'pcx-AB', requester: 'A', accepter: 'B' }],
    routeTables: {
      'A/Subnets': { '10.0.0.0/16': 'pcx-AB' },
      'B/Subnets': { '172.16.0.0/16': 'pcx-AB' },
    },
  },
  {
    title: 'one VPC peered with two VPCs',
    vpcs: { A: { cidr: '172.16.0.0/16' }, B: { cidr: '10.0.0.0/16' }, C: { cidr: '192.168.0.0/16' } },
    peerings: [
      { name: 'pcx-AB', requester: 'A', accepter: 'B' },
      { name: 'pcx-AC', requester: 'A', accepter: 'C' },
    ],
    routeTables: {
      'A/Subnets': { '10.0.0.0/16': 'pcx-AB', '192.168.0.0/16': 'pcx-AC' },
      'B/Subnets': { '172.16.0.0/16': 'pcx-AB' },
      'C/Subnets': { '172.16.0.0/16': 'pcx-AC' },
    },
  },
  {
    title: 'three VPCs peered together (full mesh)',
    vpcs: { A: { cidr: '172.16.0.0/16' }, B: { cidr: '10.0.0.0/16' }, C: { cidr: '10.1.0.0/16' } },
    peerings: [
      { name: 'pcx-AB', requester: 'A', accepter: 'B' },
      { name: 'pcx-AC', requester: 'A', accepter: 'C' },
      { name: 'pcx-BC', requester: 'B', accepter: 'C' },
    ],
    routeTables: {
      'A/Subnets': { '10.0.0.0/16': 'pcx-AB', '10.1.0.0/16': 'pcx-AC' },
      'B/Subnets': { '172.16.0.0/16': 'pcx-AB', '10.1.0.0/16': 'pcx-BC' },
      'C/Subnets': { '172.16.0.0/16': 'pcx-AC', '10.0.0.0/16': 'pcx-BC' },
    },
  },
  {
    title: 'VPCs with multiple IPv4 CIDR blocks',
    vpcs: { A: { cidr: '10.0.0.0/16', secondary: ['10.2.0.0/16'] }, B: { cidr: '10.8.0.0/16', secondary: ['10.9.0.0/16'] } },
    peerings: [{ name: 'pcx-AB', requester: 'A', accepter: 'B' }],
    routeTables: {
      'A/Subnets': { '10.8.0.0/16': 'pcx-AB', '10.9.0.0/16': 'pcx-AB' },
      'B/Subnets': { '10.0.0.0/16': 'pcx-AB', '10.2.0.0/16': 'pcx-AB' },
    },
  },
  {
    title: 'two VPCs peered for IPv4 and IPv6',
    vpcs: { A: { cidr: '172.16.0.0/16', dualStack: true }, B: { cidr: '10.0.0.0/16', dualStack: true } },
    peerings: [{ name: 'pcx-AB', requester: 'A', accepter: 'B' }],
    routeTables: {
      'A/Subnets': { '10.0.0.0/16': 'pcx-AB', 'ipv6(B)': 'pcx-AB' },
      'B/Subnets': { '172.16.0.0/16': 'pcx-AB', 'ipv6(A)': 'pcx-AB' },
    },
  },
  {
    title: 'two VPCs with one CIDR peered to specific subnets of one VPC',
    vpcs: { A: { cidr: '172.16.0.0/16', groups: ['X', 'Y'] }, B: { cidr: '10.0.0.0/16' }, C: { cidr: '10.0.0.0/16' } },
    peerings: [
      {
        name: 'pcx-AB', requester: 'A', accepter: 'B',
        options: { requesterRoutes: { subnets: { subnetGroupName: 'X' } }, accepterRoutes: { destinations: ['172.16.0.0/24'] } },
      },
      {
        name: 'pcx-AC', requester: 'A', accepter: 'C',
        options: { requesterRoutes: { subnets: { subnetGroupName: 'Y' } }, accepterRoutes: { destinations: ['172.16.1.0/24'] } },
      },
    ],
    routeTables: {
      'A/X': { '10.0.0.0/16': 'pcx-AB' },
      'A/Y': { '10.0.0.0/16': 'pcx-AC' },
      'B/Subnets': { '172.16.0.0/24': 'pcx-AB' },
      'C/Subnets': { '172.16.1.0/24': 'pcx-AC' },
    },
  },
  {
    title: 'longest prefix match: one VPC reaching an instance in a VPC with the same CIDR as another peer',
    vpcs: { A: { cidr: '172.16.0.0/16' }, B: { cidr: '10.0.0.0/16' }, C: { cidr: '10.0.0.0/16' } },
    peerings: [
      { name: 'pcx-AB', requester: 'A', accepter: 'B' },
      { name: 'pcx-AC', requester: 'A', accepter: 'C', options: { requesterRoutes: { destinations: ['10.0.0.77/32'] } } },
    ],
    routeTables: {
      'A/Subnets': { '10.0.0.0/16': 'pcx-AB', '10.0.0.77/32': 'pcx-AC' },
      'B/Subnets': { '172.16.0.0/16': 'pcx-AB' },
      'C/Subnets': { '172.16.0.0/16': 'pcx-AC' },
    },
  },
];

describe('VpcPeering reproduces the VPC Peering Guide configurations', () => {
  test.each(CASES.map((c) => [c.title, c] as const))('%s', (_title, guideCase) => {
    // GIVEN the case's VPCs
    const stack = new Stack(new App(), 'Guide', { env: { account: '111111111111', region: 'us-east-1' } });
    const vpcs = new Map<string, ec2.Vpc>();
    for (const [name, spec] of Object.entries(guideCase.vpcs)) {
      const vpc = testVpc(stack, name, spec.cidr, {
        maxAzs: 1,
        groups: spec.groups ?? ['Subnets'],
        ipProtocol: spec.dualStack ? ec2.IpProtocol.DUAL_STACK : undefined,
      });
      (spec.secondary ?? []).forEach((cidr, i) => new ec2.CfnVPCCidrBlock(stack, `${name}Secondary${i}`, { vpcId: vpc.vpcId, cidrBlock: cidr }));
      vpcs.set(name, vpc);
    }

    // WHEN each documented peering is built with VpcPeering
    const pcxNames = new Map<string, string>();
    for (const p of guideCase.peerings) {
      const peering = new VpcPeering(stack, p.name, { requester: vpcs.get(p.requester)!, accepter: vpcs.get(p.accepter)!, ...p.options });
      pcxNames.set(stack.getLogicalId(peering.node.defaultChild as ec2.CfnVPCPeeringConnection), p.name);
    }

    // THEN the route tables equal the documented ones
    expect(peeringRouteTables(stack, vpcs, pcxNames)).toEqual(guideCase.routeTables);
  });
});

/** The peering routes of every route table, keyed `VPC/subnet group`. */
function peeringRouteTables(stack: Stack, vpcs: Map<string, ec2.Vpc>, pcxNames: Map<string, string>): Record<string, Record<string, string>> {
  const template = Template.fromStack(stack);
  const tableNames = new Map<string, string>();
  const ipv6Names = new Map<string, string>();
  for (const [name, vpc] of vpcs) {
    ipv6Names.set(stack.getLogicalId(vpc.node.defaultChild as ec2.CfnVPC), name);
    for (const subnet of [...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets]) {
      const group = subnet.node.id.replace(/Subnet\d+$/, '');
      tableNames.set(stack.resolve(subnet.routeTable.routeTableId).Ref, `${name}/${group}`);
    }
  }
  const tables: Record<string, Record<string, string>> = {};
  for (const route of Object.values(template.findResources('AWS::EC2::Route'))) {
    const props = route.Properties;
    if (!props.VpcPeeringConnectionId) { continue; }
    const table = tableNames.get(props.RouteTableId.Ref)!;
    const destination = props.DestinationCidrBlock
      ?? `ipv6(${ipv6Names.get(props.DestinationIpv6CidrBlock['Fn::Select'][1]['Fn::GetAtt'][0])})`;
    (tables[table] ??= {})[destination] = pcxNames.get(props.VpcPeeringConnectionId.Ref)!;
  }
  return tables;
}
