import { createRouter } from "../router";
import { getCheckpoints, getConsistency, getLatestCheckpoint, postCheckpoint } from "./checkpoints.handlers";
import {
  checkpointConsistencyRoute,
  issueCheckpointRoute,
  latestCheckpointRoute,
  listCheckpointsRoute,
} from "./checkpoints.routes";

export const checkpointsRouter = createRouter()
  .openapi(listCheckpointsRoute, getCheckpoints)
  .openapi(issueCheckpointRoute, postCheckpoint)
  .openapi(latestCheckpointRoute, getLatestCheckpoint)
  .openapi(checkpointConsistencyRoute, getConsistency);
