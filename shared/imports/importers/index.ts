/**
 * The importer registry. Each importer is one folder (schema, mapping, README comment in its
 * index.ts); adding one means adding its kind to ImportKind and a line here.
 */
import type { Importer, ImportKind } from "../types";
import { graphImporter } from "./graph";
import { identitiesImporter } from "./identities";
import { incidentsImporter } from "./incidents";
import { runbooksImporter } from "./runbooks";

export { graphImporter, identitiesImporter, incidentsImporter, runbooksImporter };

export const importers: Record<ImportKind, Importer<unknown>> = {
  identities: identitiesImporter,
  runbooks: runbooksImporter,
  incidents: incidentsImporter,
  graph: graphImporter,
};
