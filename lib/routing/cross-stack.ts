import { CfnElement, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { StackValues } from '../peering/private/peering-custom-resources';

/**
 * Cross-stack values without automatic stack dependencies and without exports.
 *
 * A reference from one stack to another makes aws-cdk-lib add a stack dependency, and each
 * new dependency is checked for cycles by a depth-first search that enumerates every path
 * of the dependency graph. A full mesh over one stack per VPC makes every stack depend on
 * every earlier one: the number of paths doubles with each stack, and synthesizing a mesh
 * of 30 VPCs takes minutes, 40 never ends. A reference also becomes an export, which
 * CloudFormation refuses to remove while a stack imports it: a mesh member whose values later
 * members import could not leave the mesh in one deploy (its stack deploys first and drops them).
 *
 * Within a scope marked by {@link importAcrossStacks}, the physical id (`Ref`) of a resource of
 * another stack of the same environment is read at deploy time by a `StackValues` custom resource
 * of the consumer's stack (cloudformation:ListStackResources), which adds no dependency and holds
 * no export. Other attributes (`Fn::GetAtt`) are exported from their stack (`Stack.exportValue`,
 * the very export an automatic reference would create) and imported with `Fn::ImportValue`. The
 * marking construct orders the stacks itself, with a chain of explicit dependencies (which the
 * cycle check walks in linear time) or, with `dependOnProducers`, a dependency on each stack read.
 *
 * The producer keeps exporting what 1.0.0 imported (the same export), so that stacks deployed with
 * it, which still import, update in one deploy: nothing imports those exports any more.
 */
export function importAcrossStacks(scope: IConstruct, options: { dependOnProducers?: boolean } = {}): void {
  const mark: Mark = { dependOnProducers: options.dependOnProducers === true };
  Object.defineProperty(scope, IMPORT_ACROSS_STACKS, { value: mark, enumerable: false, configurable: true });
}

/**
 * `value` as the construct `consumer` should use it: an import when `consumer` is inside a
 * scope marked by {@link importAcrossStacks} and `value` is a reference to a resource of
 * another stack of the same account and region; else `value` itself.
 */
export function valueFor(consumer: IConstruct, value: string): string {
  if (!Token.isUnresolved(value)) { return value; }
  const mark = markOf(consumer);
  if (!mark) { return value; }
  const tokens = Tokenization.reverseString(value);
  const token = tokens.firstToken;
  if (!(token instanceof Reference) || tokens.length !== 1) { return value; }
  const producer = Stack.of(token.target);
  const consumerStack = Stack.of(consumer);
  if (producer === consumerStack || producer.account !== consumerStack.account || producer.region !== consumerStack.region
    || producer.nested || consumerStack.nested) {
    return value;
  }
  let imports = importsOf(consumerStack);
  if (!imports) {
    imports = { byOriginal: new Map(), byImport: new Map() };
    Object.defineProperty(consumerStack, IMPORTS, { value: imports, enumerable: false, configurable: true });
  }
  let imported = imports.byOriginal.get(value);
  if (imported === undefined) {
    const exported = producer.exportValue(value);
    const target = token.target;
    imported = token.displayName === 'Ref' && CfnElement.isCfnElement(target)
      ? StackValues.of(consumerStack, producer).refOf(target)
      : exported;
    if (mark.dependOnProducers) { consumerStack.addDependency(producer); }
    imports.byOriginal.set(value, imported);
    imports.byImport.set(imported, value);
  }
  return imported;
}

/**
 * The value an import made by {@link valueFor} for `consumer`'s stack stands for (so checks can
 * match it with references to the same resource), else `value`.
 */
export function canonicalValue(consumer: IConstruct, value: string): string {
  return importsOf(Stack.of(consumer))?.byImport.get(value) ?? value;
}

// Global symbols rather than module-level WeakSets and WeakMaps: two copies of the library in one
// app see each other's marks and imports (a mesh of one copy, routes checked by the other).
const IMPORT_ACROSS_STACKS = Symbol.for('cdk-vpc-connect.ImportAcrossStacks');
/** The imports made in each consumer stack, both ways, kept on the stack (they go with it and its app). */
const IMPORTS = Symbol.for('cdk-vpc-connect.CrossStackImports');

interface StackImports {
  readonly byOriginal: Map<string, string>;
  readonly byImport: Map<string, string>;
}

function importsOf(stack: Stack): StackImports | undefined {
  return (stack as unknown as { [IMPORTS]?: StackImports })[IMPORTS];
}

interface Mark {
  readonly dependOnProducers: boolean;
}

function markOf(construct: IConstruct): Mark | undefined {
  for (let scope: IConstruct | undefined = construct; scope; scope = scope.node.scope) {
    const mark = (scope as unknown as { [IMPORT_ACROSS_STACKS]?: Mark })[IMPORT_ACROSS_STACKS];
    if (mark !== undefined) { return mark; }
  }
  return undefined;
}
