import { apiKeysRouter } from "./api-keys";
import { healthRouter } from "./health";
import { selfTestsRouter } from "./self-tests";
import { tenantRouter } from "./tenant";

/** Every router, mounted at the root by `createApi`. Public ones first. */
export const publicRouters = [healthRouter];
export const tenantRouters = [tenantRouter, apiKeysRouter, selfTestsRouter];
