// The backends a run compares: 'js' (pure-JS twins), 'wasm' (SIMD) and 'wasm-threads' (SIMD + a worker
// pool over shared memory) when this build and runtime have it. Detected at run time, so the bench works
// against builds with or without the threads backend.
export const ALL_BACKENDS = ['js', 'wasm', 'wasm-threads'];

/** Ways to ask lib.init for the threaded backend, tried in order (the API is new; accept either form). */
function threadInits(threads) {
  return [{ backend: 'wasm-threads', threads }, { backend: 'wasm-threads' }, { backend: 'wasm', threads }];
}

/**
 * Initialise each wanted backend once. Returns { list: [{ name, backend, activate }], unavailable: {name: reason} }.
 * `activate()` makes the backend the active one (what new models and fits use).
 */
export async function loadBackends(lib, wanted = ALL_BACKENDS, threads = 2) {
  const list = [];
  const unavailable = {};
  for (const name of wanted) {
    if (!ALL_BACKENDS.includes(name))
      throw new Error(`bench: unknown backend ${name}; expected ${ALL_BACKENDS.join(', ')}`);
    if (name !== 'wasm-threads') {
      const opts = { backend: name };
      const backend = await lib.init(opts);
      list.push({ name, backend, activate: () => lib.init(opts) });
      continue;
    }
    let found;
    const errors = [];
    for (const opts of threadInits(threads)) {
      try {
        const backend = await lib.init(opts);
        // Only a backend that really runs workers counts (an init that ignored `threads` does not).
        if (backend && backend.name !== 'wasm' && backend.name !== 'js') {
          found = { name, backend, activate: () => lib.init(opts), threads: backend.pool?.threads ?? opts.threads };
          break;
        }
        errors.push(`init(${JSON.stringify(opts)}) gave backend '${backend?.name}'`);
      } catch (e) {
        errors.push(`init(${JSON.stringify(opts)}): ${e.message}`);
      }
    }
    if (found) list.push(found);
    else unavailable[name] = errors[0] ?? 'not available';
  }
  return { list, unavailable };
}

/** Stop the worker threads of 'wasm-threads' (lib.terminate) so the process can exit promptly. */
export async function closeBackends(lib) {
  if (typeof lib.terminate === 'function') await lib.terminate();
}

/**
 * Columns that only the cases asking for them by name run (`case.backends`): another build of lowrank
 * ('before', 'before-threads': `--baseline <dist>`, e.g. a build of main, for before/after in one run) and
 * the implicit anchor ('implicit' on 1 thread, 'implicit-threads' on N; bench/lib/implicit-anchor.mjs).
 * Each entry carries what its cases need: `lib` (the baseline's exports) or `anchor` and `threads`.
 */
export const EXTRA_BACKENDS = ['before', 'before-threads', 'implicit', 'implicit-threads'];

export async function loadBaseline(distDir, threads) {
  const { pathToFileURL } = await import('node:url');
  const { resolve, join } = await import('node:path');
  const lib = await import(pathToFileURL(join(resolve(distDir), 'internal.mjs')).href);
  const one = { backend: 'wasm' };
  const many = { backend: 'wasm-threads', threads };
  await lib.init(one);
  await lib.init(many);
  await lib.init(one);
  return {
    lib,
    list: [
      { name: 'before', lib, threads: 1, extra: true, activate: () => lib.init(one) },
      { name: 'before-threads', lib, threads, extra: true, activate: () => lib.init(many) },
    ],
  };
}

export function anchorBackends(anchor, threads) {
  const none = async () => undefined;
  return [
    { name: 'implicit', anchor, threads: 1, extra: true, activate: none },
    { name: 'implicit-threads', anchor, threads, extra: true, activate: none },
  ];
}
