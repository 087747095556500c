import { Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Cross-stack values without automatic stack dependencies.
 *
 * A reference from one stack to another makes aws-cdk-lib add a stack dependency, and each
 * new dependency is checked for cycles by a depth-first search that enumerates every path
 * of the dependency graph. A full mesh over one stack per VPC makes every stack depend on
 * every earlier one: the number of paths doubles with each stack, and synthesizing a mesh
 * of 30 VPCs takes minutes, 40 never ends.
 *
 * Within a scope marked by {@link importAcrossStacks}, a value referenced from another stack
 * of the same environment is exported from its stack (`Stack.exportValue`, the very export an
 * automatic reference would create) and imported with `Fn::ImportValue`, which adds no
 * dependency. The marking construct then orders the stacks itself with a chain of explicit
 * dependencies, which the cycle check walks in linear time.
 */
export function importAcrossStacks(scope: IConstruct): void {
  Object.defineProperty(scope, IMPORT_ACROSS_STACKS, { value: true, enumerable: false, configurable: true });
}

/**
 * `value` as the construct `consumer` should use it: an import when `consumer` is inside a
 * scope marked by {@link importAcrossStacks} and `value` is a reference to a resource of
 * another stack of the same account and region; else `value` itself.
 */
export function valueFor(consumer: IConstruct, value: string): string {
  if (!Token.isUnresolved(value) || !isMarked(consumer)) { return value; }
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
    imported = producer.exportValue(value);
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

function isMarked(construct: IConstruct): boolean {
  for (let scope: IConstruct | undefined = construct; scope; scope = scope.node.scope) {
    if ((scope as unknown as { [IMPORT_ACROSS_STACKS]?: boolean })[IMPORT_ACROSS_STACKS] === true) { return true; }
  }
  return false;
}
