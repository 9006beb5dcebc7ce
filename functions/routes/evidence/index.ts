import { createRouter } from "../router";
import { getEvidence } from "./evidence.handlers";
import { exportEvidenceRoute } from "./evidence.routes";

export const evidenceRouter = createRouter().openapi(exportEvidenceRoute, getEvidence);
