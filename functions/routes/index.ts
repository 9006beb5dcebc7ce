import { apiKeysRouter } from "./api-keys";
import { approvalsRouter } from "./approvals";
import { brandingRouter } from "./branding";
import { checkpointsRouter } from "./checkpoints";
import { commandsRouter } from "./commands";
import { decisionsRouter } from "./decisions";
import { domainsRouter } from "./domains";
import { evidenceRouter } from "./evidence";
import { executorsRouter } from "./executors";
import { feedbackRouter } from "./feedback";
import { flagsRouter } from "./flags";
import { healthRouter } from "./health";
import { idpRouter } from "./idp";
import { importsRouter } from "./imports";
import { incidentsRouter } from "./incidents";
import { metricsRouter } from "./metrics";
import { ofrepRouter } from "./ofrep";
import { operatorsRouter } from "./operators";
import { policyExceptionsRouter } from "./policy-exceptions";
import { receiptsRouter } from "./receipts";
import { runbookRunsRouter } from "./runbook-runs";
import { runbooksRouter } from "./runbooks";
import { selfTestsRouter } from "./self-tests";
import { setupRouter } from "./setup";
import { telemetryRouter } from "./telemetry";
import { tenantRouter } from "./tenant";
import { tenantsRouter } from "./tenants";
import { timelineRouter } from "./timeline";

/** Every router, mounted at the root by `createApi`. Public ones first. */
export const publicRouters = [healthRouter, brandingRouter];
export const tenantRouters = [
  tenantRouter,
  apiKeysRouter,
  selfTestsRouter,
  operatorsRouter,
  domainsRouter,
  idpRouter,
  tenantsRouter,
  decisionsRouter,
  policyExceptionsRouter,
  receiptsRouter,
  timelineRouter,
  checkpointsRouter,
  evidenceRouter,
  importsRouter,
  incidentsRouter,
  commandsRouter,
  approvalsRouter,
  runbooksRouter,
  runbookRunsRouter,
  executorsRouter,
  setupRouter,
  feedbackRouter,
  telemetryRouter,
  flagsRouter,
  ofrepRouter,
  metricsRouter,
];
