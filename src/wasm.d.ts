// @rollup/plugin-wasm turns `import x from '*.wasm'` into a loader; called without imports it compiles
// and resolves to the WebAssembly.Module (we instantiate it ourselves, once per backend or worker).
declare module '*.wasm' {
  const load: () => Promise<WebAssembly.Module>;
  export default load;
}
