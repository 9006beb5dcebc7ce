/** GET /v1/imports: the tenant's imports, newest first, cursor pages, filtered by kind and status. */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createHarness, type Harness } from "../support/harness";
import { commit, commitAndApply, incidentsCsv, mediaTypes, plan } from "./imports-support";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

interface ListItem {
  id: string;
  kind: string;
  status: string;
  source: { sha256: string | null; name: string | null };
  counts: { create: number };
  progress: { chunksDone: number; chunksTotal: number; rowsApplied: number };
  receipts: { committed: string | null };
  links: { self: string };
}
interface Page {
  items: ListItem[];
  nextCursor: string | null;
}

const list = async (query: string, key = h.tenantA.apiKey) => {
  const res = await h.request(`/v1/imports${query}`, { key });
  return { status: res.status, body: (await res.json()) as Page };
};

const runbook = JSON.stringify([
  { id: "rb-list", title: "Page", version: 1, steps: [{ id: "page", title: "Page", kind: "manual" }] },
]);

describe("GET /v1/imports", () => {
  const ids: string[] = [];
  beforeAll(async () => {
    const key = h.tenantA.apiKey;
    for (const start of [0, 10]) {
      const p = await plan(h, key, { kind: "incidents", body: incidentsCsv(2, { start }) });
      ids.push((await commitAndApply(h, key, p.id)).id);
    }
    const rb = await plan(h, key, { kind: "runbooks", contentType: mediaTypes.json, body: runbook });
    // Left applying: its chunk message is held back.
    const held = vi.spyOn(h.platform.queue, "send").mockResolvedValue(undefined);
    try {
      ids.push(((await (await commit(h, key, rb.id)).json()) as { id: string }).id);
    } finally {
      held.mockRestore();
    }
  });

  it("lists newest first with source digest, counts and progress, in cursor pages", async () => {
    const all = await list("");
    expect(all.status).toBe(200);
    expect(all.body.items.map((i) => i.id)).toEqual([...ids].reverse());
    const [newest, , oldest] = all.body.items;
    expect(newest).toMatchObject({
      kind: "runbooks",
      status: "applying",
      links: { self: `/v1/imports/${ids[2]}` },
    });
    expect(oldest).toMatchObject({
      kind: "incidents",
      status: "completed",
      counts: { create: 2 },
      progress: { chunksDone: 1, chunksTotal: 1, rowsApplied: 2 },
    });
    expect(oldest?.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(oldest?.receipts.committed).toMatch(/^rcpt_/);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((i) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it("filters by kind and status", async () => {
    expect((await list("?kind=incidents")).body.items.map((i) => i.id)).toEqual([ids[1], ids[0]]);
    expect((await list("?status=applying")).body.items.map((i) => i.id)).toEqual([ids[2]]);
    expect((await list("?kind=incidents&status=applying")).body.items).toEqual([]);
    expect((await list("?status=done")).status).toBe(400);
    expect((await list("?cursor=not-a-cursor")).status).toBe(400);
  });

  it("any tenant role reads it, a viewer included; another tenant sees none of them", async () => {
    const viewer = await h.tenantA.keyFor("viewer");
    const items = (await list("", viewer)).body.items;
    expect(items).toHaveLength(3);
    const one = await h.request(`/v1/imports/${items[0]?.id}`, { key: viewer });
    expect(one.status).toBe(200);
    expect(((await one.json()) as { id: string }).id).toBe(items[0]?.id);
    const other = await list("", h.tenantB.apiKey);
    expect(other.status).toBe(200);
    expect(other.body.items).toEqual([]);
    expect((await h.request("/v1/imports")).status).toBe(401);
  });
});
