/**
 * What a transition leaves to do: receipts inside its transaction (`actions`), and after the
 * commit, queue messages (`enqueue`: webhook commands to deliver) and run-issued commands
 * to release through their own policy gate (`release`). Queue sends wait for the commit:
 * the consumer must find what the message names.
 */
import type { OpsAction } from "../events/record";

export interface Effects {
  actions: OpsAction[];
  enqueue: string[];
  release: string[];
}

export const noEffects = (): Effects => ({ actions: [], enqueue: [], release: [] });

export function addEffects(into: Effects, more: Effects): Effects {
  into.actions.push(...more.actions);
  into.enqueue.push(...more.enqueue);
  into.release.push(...more.release);
  return into;
}
