/**
 * Switchboard staff ("pilot-ops"): API keys with role `pilot-ops` in the staff
 * tenant. They read any tenant named by `x-switchboard-tenant` and never write.
 */
export const STAFF_TENANT_SLUG = "switchboard";

/** Names the tenant a request acts in when neither the Host nor the credential settles it. */
export const TENANT_HEADER = "x-switchboard-tenant";

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/** Roles only Switchboard staff hold, on keys of the staff tenant; never issued through the API. */
export const staffRoles = ["pilot-ops", "flag-admin"] as const;

export const isSafeMethod = (method: string): boolean => safeMethods.has(method.toUpperCase());

export const slugPattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
