import { App, Stack } from 'aws-cdk-lib';
import { PeeringMesh, RemoteVpc, VpcPeering } from '../../lib';
import { testVpc } from '../support/vpcs';

const ENV = { account: '111111111111', region: 'us-east-1' };

/**
 * A second copy of the library, as when two packages of one app each bring their own
 * cdk-vpc-connect: the same code, loaded again, with classes and module state of its own.
 */
async function secondCopy(): Promise<SecondCopy> {
  let copy: SecondCopy | undefined;
  await jest.isolateModulesAsync(async () => {
    copy = { lib: await import('../../lib'), vpcNetwork: await import('../../lib/routing/vpc-network') };
  });
  return copy!;
}

interface SecondCopy {
  readonly lib: typeof import('../../lib');
  readonly vpcNetwork: typeof import('../../lib/routing/vpc-network');
}

describe('two copies of the library in one app', () => {
  let other: SecondCopy;
  beforeAll(async () => {
    other = await secondCopy();
  });

  test('the copies are distinct (the test would prove nothing otherwise)', () => {
    expect(other.lib.VpcPeering).not.toBe(VpcPeering);
    expect(other.lib.RemoteVpc).not.toBe(RemoteVpc);
  });

  test('each copy recognizes the other\'s RemoteVpc, VpcPeering and PeeringMesh by their brands', () => {
    // GIVEN constructs of this copy
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const remote = RemoteVpc.fromAttributes(stack, 'Remote', {
      vpcId: 'vpc-0a1a1a1a', cidrs: ['10.8.0.0/16'], account: '222222222222', region: 'us-east-1',
      routeTableIds: ['rtb-0a1a1a1a'], roleArn: 'arn:aws:iam::222222222222:role/accepter',
    });
    const a = testVpc(stack, 'VpcA', '10.1.0.0/16');
    const b = testVpc(stack, 'VpcB', '10.2.0.0/16');
    const mesh = new PeeringMesh(stack, 'Mesh', { vpcs: [a, b] });

    // THEN the other copy's checks see them, and nothing else
    expect(other.lib.RemoteVpc.isRemoteVpc(remote)).toBe(true);
    expect(other.lib.RemoteVpc.isRemoteVpc(a)).toBe(false);
    expect(other.lib.VpcPeering.isVpcPeering(mesh.peerings[0])).toBe(true);
    expect(other.lib.VpcPeering.isVpcPeering(mesh)).toBe(false);
    expect(other.lib.PeeringMesh.isPeeringMesh(mesh)).toBe(true);
    expect(other.lib.PeeringMesh.isPeeringMesh(mesh.peerings[0])).toBe(false);
  });

  test('the other copy describes a RemoteVpc by its attributes (every block, its account and region)', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const remote = RemoteVpc.fromAttributes(stack, 'Remote', {
      vpcId: 'vpc-0a1a1a1a', cidrs: ['10.8.0.0/16', '10.9.0.0/16'], ipv6Cidrs: ['2600:1f18:aaaa::/56'], account: '222222222222', region: 'eu-west-1',
    });
    const network = other.vpcNetwork.describeVpc(remote);
    expect(network.ipv4Blocks.map((block) => block.text)).toEqual(['10.8.0.0/16', '10.9.0.0/16']);
    expect(network.ipv6Blocks.map((block) => block.text)).toEqual(['2600:1f18:aaaa::/56']);
    expect([network.account, network.region, network.definedInApp]).toEqual(['222222222222', 'eu-west-1', false]);
  });
});
