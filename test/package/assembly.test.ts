import * as fs from 'fs';
import * as path from 'path';

// The jsii assembly (`.jsii`, written by `npm run build`) is what Python, Java, .NET and Go users bind
// to, and what Construct Hub documents: the main constructs and their props must be in it.

const ROOT = path.join(__dirname, '..', '..');

interface AssemblyType {
  readonly kind: 'class' | 'interface' | 'enum';
  readonly datatype?: boolean;
  readonly properties?: Array<{ readonly name: string; readonly optional?: boolean }>;
  readonly methods?: Array<{ readonly name: string; readonly static?: boolean }>;
  readonly members?: Array<{ readonly name: string }>;
}

interface Assembly {
  readonly name: string;
  readonly types: { readonly [fqn: string]: AssemblyType };
  readonly targets: { readonly [language: string]: unknown };
}

function loadAssembly(): Assembly {
  const file = path.join(ROOT, '.jsii');
  if (!fs.existsSync(file)) {
    throw new Error('No .jsii assembly at the package root: run `npm run build` (npm test does) before jest.');
  }
  return JSON.parse(fs.readFileSync(file, 'utf-8')) as Assembly;
}

const assembly = loadAssembly();

function type(name: string): AssemblyType {
  const found = assembly.types[`cdk-vpc-connect.${name}`];
  if (!found) { throw new Error(`cdk-vpc-connect.${name} is not in the jsii assembly`); }
  return found;
}

function propertyNames(name: string): string[] {
  return (type(name).properties ?? []).map((p) => p.name);
}

function methodNames(name: string): string[] {
  return (type(name).methods ?? []).map((m) => m.name);
}

describe('jsii assembly', () => {
  test('is named cdk-vpc-connect and generates Python, Java, .NET and Go', () => {
    expect(assembly.name).toBe('cdk-vpc-connect');
    expect(Object.keys(assembly.targets).sort()).toEqual(['dotnet', 'go', 'java', 'js', 'python']);
  });

  test.each([
    ['VpcPeeringProps', ['requester', 'accepter', 'requesterRoutes', 'accepterRoutes', 'peeringName', 'dnsResolution']],
    ['RouteOptions', ['enabled', 'subnets', 'destinations', 'scope']],
    ['PeeringMeshProps', ['vpcs', 'connections', 'routes', 'routesPlacement', 'dnsResolution']],
    ['MeshConnection', ['between']],
    ['TransitGatewayHubProps', ['spokes', 'attachmentSubnets', 'routes']],
    ['VpcEndpointsProps', ['vpc', 'gateways', 'interfaces', 'gatewayRoutes', 'interfaceSubnets']],
    ['ConnectivityQuotas', ['peeringsPerVpc', 'routesPerRouteTable', 'resourcesPerStack']],
    ['CostOptions', ['traffic', 'pricing']],
  ])('struct %s has its props', (name, props) => {
    expect(type(name).datatype).toBe(true);
    expect(propertyNames(name)).toEqual(expect.arrayContaining(props));
  });

  test.each([
    ['VpcPeering', ['allowFromAccepter', 'allowFromRequester', 'fromPeeringConnectionId', 'isVpcPeering']],
    ['PeeringMesh', ['peeringBetween', 'estimateMonthlyCost']],
    ['TransitGatewayHub', ['attachment', 'addSpoke', 'estimateMonthlyCost', 'fromTransitGatewayHubAttributes']],
    ['VpcEndpoints', ['interfaceEndpoint', 'gatewayEndpoint', 'addInterface', 'addGateway', 'addBundle', 'estimateMonthlyCost']],
    ['NetworkModel', ['canReach', 'expectReach', 'expectNoReach', 'expectFinding', 'expectNoFinding', 'fromApp', 'fromAssembly']],
  ])('class %s has its methods', (name, methods) => {
    expect(type(name).kind).toBe('class');
    expect(methodNames(name)).toEqual(expect.arrayContaining(methods));
  });

  test('the endpoint lookups use names every language can bind (no `interface`, no `gateway`)', () => {
    expect(methodNames('VpcEndpoints')).not.toContain('interface');
    expect(methodNames('VpcEndpoints')).not.toContain('gateway');
  });

  test('every optional property of a struct says its default (`@default`)', () => {
    const missing = Object.entries(assembly.types)
      .filter(([, t]) => t.kind === 'interface' && t.datatype)
      .flatMap(([fqn, t]) => (t.properties ?? [])
        .filter((p) => p.optional && !(p as { docs?: { default?: string } }).docs?.default)
        .map((p) => `${fqn}.${p.name}`));
    expect(missing).toEqual([]);
  });

  test('no TypeScript-only plumbing is part of the assembly', () => {
    const names = Object.keys(assembly.types).map((fqn) => fqn.replace(/^cdk-vpc-connect\./, ''));
    for (const internal of ['AnalyzeCliIo', 'NetworkMatcherResult', 'NetworkMatcherContext', 'RouteRegistry', 'EndpointsTrafficOptions']) {
      expect(names).not.toContain(internal);
    }
  });
});

describe('the README\'s Python snippets', () => {
  // jsii turns camelCase into snake_case for Python; every library name a Python snippet uses must
  // exist in the assembly under its camelCase name, so a Python user can copy the snippet.
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
  const python = [...readme.matchAll(/```python\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');
  const camel = (snake: string) => snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const types = Object.values(assembly.types);
  // Names of aws-cdk-lib's own API that the snippets use (ec2.SubnetSelection's fields, ec2.Port.tcp).
  const awsCdkLib = new Set(['subnetGroupName', 'subnetType', 'tcp']);

  test('exist', () => {
    expect(python).toMatch(/from cdk_vpc_connect import/);
  });

  test('import only types of the assembly', () => {
    const imported = [...python.matchAll(/from cdk_vpc_connect import ([^\n]+)/g)].flatMap((m) => m[1].split(',').map((n) => n.trim()));
    expect(imported.filter((name) => !assembly.types[`cdk-vpc-connect.${name}`])).toEqual([]);
  });

  test('use keyword arguments that are props of the library (or of aws-cdk-lib)', () => {
    const keywords = [...new Set([...python.matchAll(/\b([a-z][a-z0-9_]*)=/g)].map((m) => camel(m[1])))];
    const props = new Set(types.flatMap((t) => (t.properties ?? []).map((p) => p.name)));
    expect(keywords.filter((k) => !props.has(k) && !awsCdkLib.has(k))).toEqual([]);
  });

  test('call methods the library has', () => {
    const calls = [...new Set([...python.matchAll(/\.([a-z][a-z0-9_]*)\(/g)].map((m) => camel(m[1])))];
    const methods = new Set(types.flatMap((t) => (t.methods ?? []).map((m) => m.name)));
    expect(calls.filter((c) => !methods.has(c) && !awsCdkLib.has(c))).toEqual([]);
  });
});
