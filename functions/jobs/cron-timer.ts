/**
 * The cron on Node: a tick every `intervalMs`, one at a time. A tick that fails because the
 * database or the store is unreachable makes the next one wait longer (doubling, up to ten
 * minutes), and the outage is logged once, not once a tick; the first tick that runs again
 * resets the interval.
 */
import { createBackoff } from "../../shared/platform/backoff";
import type { Platform } from "../../shared/platform/platform";
import { isUnavailable } from "../../shared/platform/unavailable";
import { runCron } from "./cron";

export function startCronTimer(platform: Platform, intervalMs: number): { stop(): void } {
  const backoff = createBackoff({ initialMs: intervalMs * 2, maxMs: Math.max(intervalMs, 600_000) });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  async function tick() {
    let wait = intervalMs;
    try {
      await runCron(platform, "node-timer");
      if (backoff.succeed()) platform.logger.info("cron resumed: dependencies reachable again");
    } catch (error) {
      if (!isUnavailable(error)) platform.logger.error("cron failed", { error: String(error) });
      else {
        wait = backoff.fail();
        if (backoff.failures === 1) {
          platform.logger.warn("cron backing off: a dependency is unavailable", { error: String(error) });
        }
      }
    }
    if (!stopped) timer = setTimeout(tick, wait);
  }

  timer = setTimeout(tick, intervalMs);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
