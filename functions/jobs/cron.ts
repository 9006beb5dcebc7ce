import { runScheduled } from "../../shared/cron/scheduled";
import { contextFor, type Platform } from "../../shared/platform/platform";

/** One cron tick: the Workers `scheduled` handler and the Node timer both call this. */
export async function runCron(platform: Platform, cron: string) {
  const connection = platform.database.connect();
  try {
    const logger = platform.logger.child({ cron });
    return await runScheduled({ ctx: contextFor(platform, connection.db, logger), cron });
  } finally {
    await connection.close();
  }
}
