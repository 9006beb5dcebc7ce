import { createRouter } from "../router";
import {
  commitImportPlan,
  createImportPlan,
  getImportManifest,
  getImportPlan,
  getImportPlanManifest,
  getImportStatus,
  listImportPlanRows,
  listImportsHandler,
  resumeImportHandler,
  revertImportHandler,
} from "./imports.handlers";
import {
  commitPlanRoute,
  createPlanRoute,
  getImportManifestRoute,
  getImportRoute,
  getPlanManifestRoute,
  getPlanRoute,
  listImportsRoute,
  listPlanRowsRoute,
  PlanReferenceBody,
  resumeImportRoute,
  revertImportRoute,
} from "./imports.routes";
import { createImportUpload, putImportUpload } from "./uploads.handlers";
import { createUploadRoute, receiveUploadRoute } from "./uploads.routes";

export const importsRouter = createRouter()
  .openapi(createUploadRoute, createImportUpload)
  .openapi(receiveUploadRoute, putImportUpload)
  .openapi(createPlanRoute, createImportPlan)
  .openapi(listImportsRoute, listImportsHandler)
  .openapi(getPlanRoute, getImportPlan)
  .openapi(listPlanRowsRoute, listImportPlanRows)
  .openapi(getPlanManifestRoute, getImportPlanManifest)
  .openapi(commitPlanRoute, commitImportPlan)
  .openapi(getImportRoute, getImportStatus)
  .openapi(getImportManifestRoute, getImportManifest)
  .openapi(revertImportRoute, revertImportHandler)
  .openapi(resumeImportRoute, resumeImportHandler);

// Referenced from createPlanRoute's JSON body (a `oneOf` with the raw file, so it is not validated by zod there).
importsRouter.openAPIRegistry.register("ImportPlanReference", PlanReferenceBody);
