/**
 * Housekeeping sweeps a source that no plan names and no dry run used for a week. A dry
 * run that reaches for the source at that moment marks it used first; it waits for a
 * sweep already holding the source, and then finds it gone (and stores the file again),
 * so a sweep never deletes the bytes under a dry run that goes on with them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  deleteUnusedSource,
  recordSource,
  touchSource,
} from "../../shared/imports/framework/sources/sources-repo";
import { createHarness, type Harness } from "../support/harness";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
}, 60_000);
afterAll(() => h.close());

const day = 24 * 60 * 60 * 1000;

async function oldSource(sha256: string) {
  const longAgo = new Date(Date.now() - 30 * day);
  await recordSource(h.ctx().db, {
    tenantId: h.tenantA.id,
    sha256,
    objectKey: `imports/${h.tenantA.id}/sources/${sha256}`,
    size: 1,
    contentType: "text/csv",
    name: null,
    createdAt: longAgo,
    lastUsedAt: longAgo,
  });
}

describe("a source swept while a dry run reaches for it", () => {
  it("the dry run's mark waits for the sweep, then finds the source gone", async () => {
    const sha256 = "a".repeat(64);
    await oldSource(sha256);
    const db = h.ctx().db;
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let removing = () => {};
    const removingStarted = new Promise<void>((resolve) => {
      removing = resolve;
    });
    const sweep = deleteUnusedSource(db, { tenantId: h.tenantA.id, sha256, before: new Date() }, async () => {
      removing();
      await held;
    });
    await removingStarted; // the sweep holds the row and is deleting the object
    let touched: boolean | undefined;
    const touch = touchSource(db, h.tenantA.id, sha256, new Date()).then((found) => {
      touched = found;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(touched).toBeUndefined(); // waiting for the sweep
    release();
    expect(await sweep).toBe(true);
    await touch;
    expect(touched).toBe(false);
  });

  it("a source the dry run marked first is not swept", async () => {
    const sha256 = "b".repeat(64);
    await oldSource(sha256);
    const db = h.ctx().db;
    expect(await touchSource(db, h.tenantA.id, sha256, new Date())).toBe(true);
    const removed: string[] = [];
    const swept = await deleteUnusedSource(
      db,
      { tenantId: h.tenantA.id, sha256, before: new Date(Date.now() - day) },
      async (key) => {
        removed.push(key);
      },
    );
    expect([swept, removed]).toEqual([false, []]);
  });
});
