/** The importers, one folder each (schema, mapping, README comment in its index.ts); ../registry.ts lists the kinds. */
import { graphImporter } from "./graph";
import { identitiesImporter } from "./identities";
import { incidentsImporter } from "./incidents";
import { runbooksImporter } from "./runbooks";

export { graphImporter, identitiesImporter, incidentsImporter, runbooksImporter };
