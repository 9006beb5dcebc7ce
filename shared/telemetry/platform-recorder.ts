/** One request recorder per platform (process or isolate), writing through its own connection. */
import type { Platform } from "../platform/platform";
import { RequestRecorder } from "./request-recorder";
import { upsertRollups } from "./rollups-repo";

const recorders = new WeakMap<Platform, RequestRecorder>();

export function requestRecorderOf(platform: Platform): RequestRecorder {
  let recorder = recorders.get(platform);
  if (!recorder) {
    recorder = new RequestRecorder(
      async (rows) => {
        const connection = platform.database.connect();
        try {
          await upsertRollups(connection.db, rows);
        } finally {
          await connection.close();
        }
      },
      platform.logger.child({ component: "request-telemetry" }),
    );
    recorders.set(platform, recorder);
  }
  return recorder;
}
