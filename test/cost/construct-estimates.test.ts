import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CostEstimates, EndpointBundle, GatewayService, PeeringMesh, Pricing, TransitGatewayHub, VpcEndpoints } from '../../lib';
import { CostInputError } from '../../lib/errors';
import { testVpc } from '../support/vpcs';

const ENV = { account: '111111111111', region: 'us-east-1' };
const TRAFFIC = { gbPerMonth: 2300, crossAzShare: 0.5 };

function fiveVpcs(stack: Stack): ec2.Vpc[] {
  return [0, 1, 2, 3, 4].map((i) => testVpc(stack, `Vpc${i}`, `10.${i}.0.0/16`, { groups: ['Isolated'] }));
}

describe('monthly cost of the constructs', () => {
  test('a mesh of five VPCs: peerings are free, 1,150 GB across AZs cost $0.01 each way', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const mesh = new PeeringMesh(stack, 'Mesh', { vpcs: fiveVpcs(stack) });

    // WHEN
    const estimate = mesh.estimateMonthlyCost({ traffic: TRAFFIC });

    // THEN
    expect(estimate.monthlyUsd).toBeCloseTo(1150 * 0.01 * 2, 6);
    expect(estimate.lines.find((l) => l.item === 'VPC peering connections')?.quantity).toBe(10 * 730);
  });

  test('a partial mesh counts its own connections', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const [a, b, c] = fiveVpcs(stack);
    const mesh = new PeeringMesh(stack, 'Mesh', { vpcs: [a, b, c], connections: [{ between: [a, b] }, { between: [b, c] }] });
    expect(mesh.estimateMonthlyCost({ traffic: TRAFFIC }).lines.find((l) => l.item === 'VPC peering connections')?.quantity).toBe(2 * 730);
  });

  test('a hub of five spokes: 5 attachments x 730 h x $0.05 plus 2,300 GB x $0.02', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const hub = new TransitGatewayHub(stack, 'Hub', { spokes: fiveVpcs(stack) });
    expect(hub.estimateMonthlyCost({ traffic: TRAFFIC }).monthlyUsd).toBeCloseTo(5 * 730 * 0.05 + 2300 * 0.02, 6);
  });

  test('other rates apply when given', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const hub = new TransitGatewayHub(stack, 'Hub', { spokes: fiveVpcs(stack) });
    const pricing = Pricing.US_EAST_1.withRates({ transitGatewayPerGb: 0.01 });
    expect(hub.estimateMonthlyCost({ traffic: TRAFFIC, pricing }).monthlyUsd).toBeCloseTo(5 * 730 * 0.05 + 2300 * 0.01, 6);
  });

  test('endpoints: each interface endpoint per AZ-hour, gateway endpoints free, NAT gateways for comparison', () => {
    // GIVEN Session Manager's 3 interface endpoints in 2 AZs and the S3 gateway endpoint
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const vpc = testVpc(stack, 'Vpc', '10.0.0.0/16', { groups: ['Isolated'] });
    const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc, gateways: [GatewayService.S3], interfaces: [EndpointBundle.SSM_SESSION_MANAGER] });

    // WHEN
    const estimate = endpoints.estimateMonthlyCost({ traffic: { gbPerMonth: 100 }, natGatewaysAvoided: 2 });

    // THEN
    expect(estimate.monthlyUsd).toBeCloseTo(3 * 2 * 730 * 0.01 + 100 * 0.01, 6);
    expect(estimate.title).toBe('VPC endpoints: 3 interface in 2 AZ(s), 1 gateway');
    expect(estimate.alternative?.monthlyUsd).toBeCloseTo(2 * 730 * 0.045 + 100 * 0.045, 6);
    expect(estimate.monthlySavingsUsd).toBeCloseTo(2 * 730 * 0.045 + 100 * 0.045 - (3 * 2 * 730 * 0.01 + 100 * 0.01), 6);
  });

  test('endpoints in different numbers of AZs are billed per endpoint-AZ', () => {
    // GIVEN one endpoint in 2 AZs and one pinned to a single subnet
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const vpc = testVpc(stack, 'Vpc', '10.0.0.0/16', { groups: ['Isolated'] });
    const endpoints = new VpcEndpoints(stack, 'Endpoints', { vpc });
    endpoints.addInterface(ec2.InterfaceVpcEndpointAwsService.SSM);
    endpoints.addInterface(ec2.InterfaceVpcEndpointAwsService.KMS, { subnets: { subnets: [vpc.isolatedSubnets[0]] } });

    // WHEN
    const estimate = endpoints.estimateMonthlyCost();

    // THEN
    expect(estimate.monthlyUsd).toBeCloseTo(3 * 730 * 0.01, 6);
    expect(estimate.title).toBe('VPC endpoints: 2 interface in 3 endpoint-AZ(s), 0 gateway');
  });

  test('endpoint-AZs fewer than the endpoints are rejected', () => {
    expect(() => CostEstimates.endpoints({ interfaceEndpoints: 3, azs: 2, interfaceEndpointAzs: 2, gbPerMonth: 0 })).toThrow(CostInputError);
    expect(() => CostEstimates.endpoints({ interfaceEndpoints: 3, azs: 2, interfaceEndpointAzs: 2, gbPerMonth: 0 })).toThrow(/interfaceEndpointAzs must be an integer ≥ 3, got 2\./);
  });
});
