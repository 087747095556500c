import { Environment, Stack, Stage } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { RouteRegistry } from './route-registry';
import { fnv1a } from './route-tables';
import { skipWhenScanningForCidrBlocks } from './vpc-network';

/**
 * Where a construct of the library puts resources outside its own stack: a container named after
 * it in another stack, or a stack of its own beside the app's stacks. Both are marked so the
 * CIDR-block scans skip them and the resources-per-stack check counts their stack.
 */

/**
 * A new construct under `stack` named after `owner` (its id, plus a hash of its path when a
 * child of that id exists already, for example a second mesh with the same id).
 */
export function containerInStack(stack: Stack, owner: IConstruct): Construct {
  const id = stack.node.tryFindChild(owner.node.id) ? `${owner.node.id}${fnv1a(owner.node.path)}` : owner.node.id;
  const container = new Construct(stack, id);
  skipWhenScanningForCidrBlocks(container);
  RouteRegistry.of(owner).registerStackUsed(container);
  return container;
}

/**
 * A new stack beside the stacks of `owner`'s stage, with id `name` (letters, digits and dashes
 * kept; a hash of `owner`'s path added when the id is taken), in `env`, able to read values of
 * other regions.
 */
export function companionStack(owner: IConstruct, name: string, env: Environment, description: string): Stack {
  const stage: IConstruct = Stage.of(owner) ?? owner.node.root;
  let id = name.replace(/[^A-Za-z0-9-]/g, '');
  if (stage.node.tryFindChild(id)) { id = `${id}-${fnv1a(owner.node.path)}`; }
  return new Stack(stage, id, { env, crossRegionReferences: true, description });
}
