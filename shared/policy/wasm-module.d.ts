// What wrangler's CompiledWasm rule makes of a `.wasm` import: a compiled WebAssembly.Module.
declare module "*.wasm?module" {
  const module: WebAssembly.Module;
  // biome-ignore lint/style/noDefaultExport: a compiled wasm module is a default import.
  export default module;
}
