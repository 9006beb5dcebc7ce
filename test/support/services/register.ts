/**
 * The recipe's registry line, for the test tier only: registers `services`. Import it first,
 * as a bare `import "…/register"`, before anything that builds the app (the request schemas
 * list the kinds when they are built).
 */
import { registerImportKind } from "../../../shared/imports/registry";
import { servicesKind } from ".";

registerImportKind("services", servicesKind);
