import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EndpointPolicy } from '../../lib';

function statements(policy: EndpointPolicy, stack = new Stack()): unknown[] {
  const config = policy.bind(stack, { service: 's3', endpoint: 'test' });
  return config.statements.map((s) => stack.resolve(s.toStatementJson()));
}

describe('EndpointPolicy', () => {
  test('every factory produces statements with a principal', () => {
    const policies = [
      EndpointPolicy.s3Buckets(['b']), EndpointPolicy.dynamoDbTables(['t']), EndpointPolicy.ecrImageLayers(),
      EndpointPolicy.principalsInAccount(), EndpointPolicy.resourcesInAccount(), EndpointPolicy.principalsInOrganization('o-1'),
      EndpointPolicy.resourcesInOrganization('o-1'),
    ];
    for (const policy of policies) {
      for (const statement of policy.bind(new Stack(), { service: 's3', endpoint: 'test' }).statements) {
        expect(statement.hasPrincipal).toBe(true);
      }
    }
  });

  test('bucket ARNs pass through; names become ARNs with their objects', () => {
    expect(statements(EndpointPolicy.s3Buckets(['arn:aws:s3:::given'], { actions: ['s3:GetObject'], principalAccounts: ['1', '2'] }))).toEqual([{
      Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject',
      Resource: ['arn:aws:s3:::given', 'arn:aws:s3:::given/*'],
      Condition: { StringEquals: { 'aws:PrincipalAccount': ['1', '2'] } },
    }]);
  });

  test('resource policies declare the service they are written for; conditions fit any service', () => {
    const stack = new Stack();
    const bind = (p: EndpointPolicy) => p.bind(stack, { service: 'sns', endpoint: 'test' }).requiresService;
    expect(bind(EndpointPolicy.s3Buckets(['b']))).toBe('s3');
    expect(bind(EndpointPolicy.dynamoDbTables(['t']))).toBe('dynamodb');
    expect(bind(EndpointPolicy.ecrImageLayers())).toBe('s3');
    expect(bind(EndpointPolicy.principalsInOrganization('o-1'))).toBeUndefined();
    expect(bind(EndpointPolicy.fromStatements(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] })))).toBeUndefined();
  });

  test('the ECR layer bucket is the one of the endpoint\'s region', () => {
    const stack = new Stack(undefined, 'S', { env: { region: 'eu-west-1' } });
    expect(statements(EndpointPolicy.ecrImageLayers(), stack)).toEqual([expect.objectContaining({
      Action: 's3:GetObject',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::prod-eu-west-1-starport-layer-bucket/*']] },
    })]);
  });
});
