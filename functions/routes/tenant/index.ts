import { createRouter } from "../router";
import { getCurrentTenant, updateCurrentTenant } from "./tenant.handlers";
import { getCurrentTenantRoute, updateCurrentTenantRoute } from "./tenant.routes";

export const tenantRouter = createRouter()
  .openapi(getCurrentTenantRoute, getCurrentTenant)
  .openapi(updateCurrentTenantRoute, updateCurrentTenant);
