import type { Ctx, TenantCtx } from "../shared/context/context";
import type { Logger } from "../shared/logging/logger";
import type { Platform } from "../shared/platform/platform";

/** The one Hono environment: per-request values set by middleware, read by handlers. */
export type AppEnv = {
  Variables: {
    requestId: string;
    traceparent: string;
    logger: Logger;
    platform: Platform;
    ctx: Ctx;
    /** Set by `authenticate` on /v1 routes. */
    tenantCtx: TenantCtx;
    /** Set by a handler whose body streams from the database: settles when the body is done. */
    bodyDone?: Promise<void>;
  };
};
