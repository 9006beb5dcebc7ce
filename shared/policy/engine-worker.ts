/**
 * The policy engine on Workers. cedar-wasm's default (bundler) build does not start in
 * workerd, so this takes the `web` build and instantiates it with `initSync` from the .wasm
 * that wrangler bundles as a compiled module (wrangler.toml [[rules]] CompiledWasm).
 * Imported only by functions/platform-worker.ts.
 */
import {
  initSync,
  preparsePolicySet,
  preparseSchema,
  statefulIsAuthorized,
} from "@cedar-policy/cedar-wasm/web";
// The package's exports map does not list the .wasm, so it is imported by path; `?module` is
// wrangler's marker for a compiled module (and keeps TypeScript on the declaration in wasm-module.d.ts).
import cedarWasm from "../../node_modules/@cedar-policy/cedar-wasm/web/cedar_wasm_bg.wasm?module";
import type { PolicyBundle } from "./bundle";
import { policyBundle } from "./bundle.generated";
import { createCedarEngine, type PolicyEngine } from "./engine";

export function createWorkerPolicyEngine(bundle: PolicyBundle = policyBundle): PolicyEngine {
  // Once per isolate: a second call returns the instance the first one made.
  initSync({ module: cedarWasm });
  return createCedarEngine({ preparsePolicySet, preparseSchema, statefulIsAuthorized }, bundle);
}
