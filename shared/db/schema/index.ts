export * from "./api-keys";
export * from "./cron-runs";
export * from "./dead-letters";
export * from "./jobs";
export * from "./self-tests";
export * from "./tenants";
