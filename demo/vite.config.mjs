// Bundles the demo (page + module worker + the built library dist/index.mjs and its runtime deps) into
// demo/dist, a static site served by server.mjs. Run through build.mjs (npm run demo).
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

// The library reaches node:* modules only through dynamic imports on Node-only paths (files, caches); in
// the browser they become empty modules (what Vite would do anyway, minus a warning per module).
const nodeBuiltinsAsEmpty = {
  name: 'node-builtins-as-empty',
  enforce: 'pre',
  resolveId: (id) => (id.startsWith('node:') ? `\0empty:${id}` : null),
  load: (id) => (id.startsWith('\0empty:') ? 'export default {};' : null),
};

export default {
  root,
  plugins: [nodeBuiltinsAsEmpty],
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
  worker: { format: 'es', plugins: () => [nodeBuiltinsAsEmpty] },
};
