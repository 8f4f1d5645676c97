/**
 * What the rest of lowrank needs from the runtime it runs on, chosen at install time rather than at run
 * time: package.json maps the `#platform` import to node.ts under the `node` export condition and to web.ts
 * under `browser` and `default`. A browser bundle therefore never contains (or even resolves) a Node
 * built-in, and bundlers have nothing to warn about; Node, Deno and Bun get the real modules.
 * @module
 */

/** The Node built-ins lowrank uses, by name (without the `node:` prefix). */
export interface NodeBuiltins {
  fs: typeof import('node:fs');
  'fs/promises': typeof import('node:fs/promises');
  path: typeof import('node:path');
  os: typeof import('node:os');
  url: typeof import('node:url');
  crypto: typeof import('node:crypto');
  zlib: typeof import('node:zlib');
  worker_threads: typeof import('node:worker_threads');
  v8: typeof import('node:v8');
}

/** The `#platform` module: node.ts and web.ts both export exactly this. */
export interface Platform {
  /** `'node'` where Node built-ins are available (Node, Deno, Bun), `'web'` elsewhere. */
  readonly platform: 'node' | 'web';
  /**
   * A Node built-in module. On the web build it rejects with a `PlatformError` naming `what` (the feature
   * that needed it), so callers fail with a message instead of a bundler error.
   */
  nodeBuiltin<K extends keyof NodeBuiltins>(name: K, what?: string): Promise<NodeBuiltins[K]>;
}
