// dist/index.mjs: the library with the kernel WASM inlined as base64 (works in Node and browsers);
// dist/index.d.ts: one declaration file.
import typescript from '@rollup/plugin-typescript';
import { wasm } from '@rollup/plugin-wasm';
import { dts } from 'rollup-plugin-dts';

const external = (id) => id.startsWith('node:') || ['fflate'].includes(id) || id.startsWith('fflate/');

export default [
  {
    // internal.mjs exposes backends and kernels to bench/ only; it is not in the exports map.
    input: { index: 'src/index.ts', internal: 'src/internal.ts' },
    output: { dir: 'dist', format: 'es', sourcemap: true, entryFileNames: '[name].mjs', chunkFileNames: 'chunks/[name]-[hash].mjs' },
    external,
    plugins: [
      wasm({ targetEnv: 'auto-inline', maxFileSize: 0x7fffffff }),
      typescript({ tsconfig: './tsconfig.json', include: ['src/**/*.ts'], declaration: false, outDir: 'dist', sourceMap: true }),
    ],
  },
  {
    input: 'src/index.ts',
    output: { file: 'dist/index.d.ts', format: 'es' },
    external,
    plugins: [dts({ tsconfig: './tsconfig.json' })],
  },
];
