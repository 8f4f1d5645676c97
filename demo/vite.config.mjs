// Bundles the demo (page + module worker + the built library dist/index.mjs and its runtime deps) into
// demo/dist, a static site served by server.mjs. Run through build.mjs (npm run demo). No shims: the
// library's browser `#platform` (package.json "imports") imports no Node built-ins.
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default {
  root,
  base: './',
  logLevel: 'warn',
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The library inlines its WASM (~100 KiB base64); one chunk is fine for a demo.
    chunkSizeWarningLimit: 4096,
    reportCompressedSize: false,
  },
  worker: { format: 'es' },
};
