/** The state module of each registered kind (../registry.ts), by kind. */
import type { StateModule } from "../framework/types";
import { type ImportKind, importKinds, stateOf } from "../registry";

export const stateModules = Object.fromEntries(importKinds().map((kind) => [kind, stateOf(kind)])) as Record<
  ImportKind,
  StateModule
>;
