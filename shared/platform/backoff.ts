/**
 * Exponential backoff for a loop that polls a dependency (the queue's claims, the cron's
 * ticks): while the dependency keeps failing, each wait doubles up to `maxMs`, with a little
 * jitter so several processes do not come back in step; the first success resets it.
 */
export interface Backoff {
  /** Records a failure; the milliseconds to wait before trying again. */
  fail(): number;
  /** Records a success; true when it ends a run of failures. */
  succeed(): boolean;
  readonly failures: number;
}

export function createBackoff(options: { initialMs: number; maxMs: number }): Backoff {
  let failures = 0;
  return {
    fail() {
      failures += 1;
      const wait = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(failures - 1, 30));
      return Math.round(wait * (0.8 + Math.random() * 0.4));
    },
    succeed() {
      const recovered = failures > 0;
      failures = 0;
      return recovered;
    },
    get failures() {
      return failures;
    },
  };
}
