// Where a consumer's result goes: stdout as one JSON line in Node, Deno and Bun; a POST to the test server
// in a browser (which also records console warnings and errors, the packaging test fails on any).
const inNode = typeof process === 'object' && process !== null && typeof process.versions?.node === 'string';
const problems = [];

if (!inNode) {
  for (const level of ['warn', 'error']) {
    const orig = console[level].bind(console);
    console[level] = (...args) => {
      problems.push(`console.${level}: ${args.map(String).join(' ')}`);
      orig(...args);
    };
  }
  addEventListener('error', (e) => problems.push(`error: ${e.message}`));
  addEventListener('unhandledrejection', (e) => problems.push(`unhandled rejection: ${e.reason}`));
}

const post = (path, body) => fetch(path, { method: 'POST', body: JSON.stringify(body) });

export function report(run) {
  const env = inNode
    ? { runtime: typeof Deno === 'object' ? 'deno' : typeof Bun === 'object' ? 'bun' : 'node' }
    : { runtime: 'browser', userAgent: navigator.userAgent, crossOriginIsolated };
  run().then(
    (result) =>
      inNode
        ? console.log(JSON.stringify({ ok: true, ...env, ...result }))
        : post('/__result', { ok: true, ...env, ...result, problems }),
    (e) => {
      const error = `${e?.name ?? 'Error'}: ${e?.message ?? e}\n${e?.stack ?? ''}`;
      if (inNode) {
        console.log(JSON.stringify({ ok: false, ...env, error }));
        process.exitCode = 1;
      } else post('/__result', { ok: false, ...env, error, problems });
    },
  );
}

/** Browser: tell the server the first part is done (it counts the bytes downloaded so far). */
report.mark = async () => {
  if (!inNode) await post('/__mark', {});
};
