/**
 * Tenant state per import kind. A fifth importer = its folder in ../importers, its kind in
 * ImportKind, and one state module here.
 */
import type { StateModule } from "../framework/types";
import type { ImportKind } from "../types";
import { graphState } from "./graph";
import { identitiesState } from "./identities";
import { incidentsState } from "./incidents";
import { runbooksState } from "./runbooks";

export const stateModules: Record<ImportKind, StateModule> = {
  identities: identitiesState,
  runbooks: runbooksState,
  incidents: incidentsState,
  graph: graphState,
};
