import { createRouter } from "../router";
import { listTenants } from "./tenants.handlers";
import { listTenantsRoute } from "./tenants.routes";

export const tenantsRouter = createRouter().openapi(listTenantsRoute, listTenants);
