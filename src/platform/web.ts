/**
 * `#platform` for browsers, Web Workers and any runtime without Node built-ins (the `browser` and
 * `default` export conditions). It imports nothing from Node: file paths, the dataset cache and Node
 * worker threads are unavailable, and asking for them fails with a `PlatformError` that says what to use.
 * @module
 */
import { PlatformError } from '../errors.js';
import type { Platform } from './types.js';

export const platform: Platform['platform'] = 'web';

export const nodeBuiltin: Platform['nodeBuiltin'] = async (name, what) => {
  throw new PlatformError(
    `${what ?? `node:${name}`} needs Node's node:${name}, which this build of lowrank (for browsers and other runtimes without Node built-ins) does not have; ` +
      'pass bytes, a Blob/File or a stream instead of a path, or run in Node, Deno or Bun',
  );
};
