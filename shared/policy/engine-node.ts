/**
 * The policy engine on Node: cedar-wasm's `nodejs` build, which loads its .wasm from disk.
 * Imported only by functions/platform-node.ts (and tests), never by the worker bundle.
 */
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import type { PolicyBundle } from "./bundle";
import { policyBundle } from "./bundle.generated";
import { createCedarEngine, type PolicyEngine } from "./engine";

export function createNodePolicyEngine(bundle: PolicyBundle = policyBundle): PolicyEngine {
  return createCedarEngine(cedar, bundle);
}
