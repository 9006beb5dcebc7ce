/** Promises to wait on until something changes; each wake resolves all of them, to look again. */
export function waiters() {
  let waiting: (() => void)[] = [];
  return {
    wait: () => new Promise<void>((resolve) => waiting.push(resolve)),
    wakeAll() {
      const resume = waiting;
      waiting = [];
      for (const wake of resume) wake();
    },
  };
}
