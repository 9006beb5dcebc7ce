import { createRouter } from "../router";
import { getCurrentTenant } from "./tenant.handlers";
import { getCurrentTenantRoute } from "./tenant.routes";

export const tenantRouter = createRouter().openapi(getCurrentTenantRoute, getCurrentTenant);
