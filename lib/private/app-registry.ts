import { IConstruct } from 'constructs';

/**
 * Base of the library's per-app registries: what its constructs created across one app,
 * for checks that look across constructs. One instance per construct tree root, and one
 * app-wide validation, carried by the first construct that registers anything, which runs
 * once at synth after every construct (and every hand-written L1) exists.
 */
export abstract class AppRegistry {
  /**
   * The registry of the app that `scope` belongs to, from `store`, made by `create` the
   * first time.
   */
  protected static forApp<T extends AppRegistry>(scope: IConstruct, store: WeakMap<IConstruct, T>, create: (root: IConstruct) => T): T {
    const root = scope.node.root;
    let registry = store.get(root);
    if (!registry) {
      registry = create(root);
      store.set(root, registry);
    }
    return registry;
  }

  private anchored = false;

  protected constructor(protected readonly root: IConstruct) {}

  /** The app-wide check: one error message per problem. */
  protected abstract validateApp(): string[];

  /** Make `owner` carry the app-wide check, unless a construct already does. */
  protected anchor(owner: IConstruct): void {
    if (!this.anchored) {
      this.anchored = true;
      owner.node.addValidation({ validate: () => this.validateApp() });
    }
  }
}
