/**
 * On node-postgres, incident create chunks go to Postgres as COPY (the INSERT that parses
 * the plan's NDJSON is the path of the other drivers, and the fallback). COPY must store
 * exactly what that INSERT stores, whatever the values hold, and hand over to it when a
 * planned key exists by now.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CopyBinaryWriter } from "../../shared/db/copy-binary";
import { incidents } from "../../shared/db/schema";
import type { CopyIn } from "../../shared/platform/ports";
import { commitAndApply, plan, storedIncidents } from "../db/imports-support";
import { createHarness, type Harness } from "../support/harness";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
}, 60_000);
afterAll(() => h.close());

const port = () => h.platform.database as { copyIn?: CopyIn };

/** Values COPY must carry untouched: escapes, nulls, multi-byte text, offsets, milliseconds, before 2000. */
const csv = [
  "id,incident_number,title,description,status,urgency,priority,service_name,created_on,acknowledged_on,assigned_to",
  'P1,1,"Tab\there","back\\slash \\N and \\t literally",resolved,high,P1,edge,2026-01-01T00:00:00Z,2026-01-01T00:05:00-02:00,a@example.com',
  'P2,,"Line\nbreak","carriage\r\nreturn, ""quoted"", ünïcödé ✓ 🚀",triggered,,,,2026-01-02T00:00:00Z,,',
  "P3,3,Plain,,acknowledged,low,P3,search,2026-01-03T10:00:00.250Z,2026-01-03T10:01:00Z,",
  "P4,2147483647,Old,,resolved,low,P4,edge,1901-06-30T23:59:59.999+01:00,,",
].join("\n");

async function importCsv(key: string, body: string) {
  const p = await plan(h, key, { kind: "incidents", body: new TextEncoder().encode(body) });
  return commitAndApply(h, key, p.id);
}

describe("incident create chunks on node-postgres", () => {
  it("go as COPY and store what the INSERT path stores, escapes and nulls included", async () => {
    const copyIn = vi.spyOn(port() as Required<ReturnType<typeof port>>, "copyIn");
    try {
      expect((await importCsv(h.tenantA.apiKey, csv)).status).toBe("completed");
      expect(copyIn).toHaveBeenCalledTimes(1);
    } finally {
      copyIn.mockRestore();
    }
    const saved = port().copyIn;
    delete port().copyIn;
    try {
      expect((await importCsv(h.tenantB.apiKey, csv)).status).toBe("completed");
    } finally {
      port().copyIn = saved;
    }
    const [viaCopy, viaInsert] = [
      await storedIncidents(h, h.tenantA.id),
      await storedIncidents(h, h.tenantB.id),
    ];
    expect(viaCopy).toHaveLength(4);
    expect(viaCopy).toEqual(viaInsert);
    expect(viaCopy[0]).toMatchObject({
      title: "Tab\there",
      description: "back\\slash \\N and \\t literally",
      acknowledgedAt: new Date("2026-01-01T00:05:00-02:00"),
    });
    expect(viaCopy[1]).toMatchObject({ title: "Line\nbreak", number: null, urgency: null, assignee: null });
    expect(viaCopy[1]?.description).toContain("carriage\r\nreturn");
    expect(viaCopy[2]?.openedAt).toEqual(new Date("2026-01-03T10:00:00.250Z"));
    expect(viaCopy[3]).toMatchObject({ number: 2147483647, openedAt: new Date("1901-06-30T22:59:59.999Z") });
  });

  it("hand over to the INSERT path when a planned key exists by now: that row is skipped", async () => {
    const body = csv.replaceAll("P1,", "Q1,").replaceAll("P2,", "Q2,").replaceAll("P3,", "Q3,");
    const real = port().copyIn as CopyIn;
    let attempts = 0;
    port().copyIn = async (tx, statement, pieces) => {
      attempts += 1;
      // Another writer, committed before the COPY reaches Q2.
      await h.database.connect().db.insert(incidents).values({
        id: "inc_meanwhile_q2",
        tenantId: h.tenantA.id,
        key: "Q2",
        title: "Opened by hand",
        status: "triggered",
        openedAt: new Date(),
        source: "api",
      });
      return real(tx, statement, pieces);
    };
    try {
      const done = await importCsv(h.tenantA.apiKey, body);
      expect(attempts).toBe(1);
      expect(done).toMatchObject({ status: "completed", skippedKeys: ["Q2"], progress: { rowsApplied: 2 } });
    } finally {
      port().copyIn = real;
    }
    const rows = (await storedIncidents(h, h.tenantA.id)).filter((r) => r.key.startsWith("Q"));
    expect(rows.map((r) => [r.key, r.title])).toEqual([
      ["Q1", "Tab\there"],
      ["Q2", "Opened by hand"],
      ["Q3", "Plain"],
    ]);
  });

  it("check the tenant as the INSERT does: COPY for a tenant that does not exist fails", async () => {
    const copyIn = port().copyIn as CopyIn;
    const at = "2026-01-01T00:00:00Z";
    const data = new CopyBinaryWriter()
      .row(7)
      .text("inc_x")
      .text("ten_nosuchtenant000000")
      .text("K1")
      .text("T")
      .text("triggered")
      .timestamptz(at)
      .text("import")
      .end()
      .take();
    const statement = `copy incidents (id, tenant_id, key, title, status, opened_at, source)
      from stdin with (format binary)`;
    const copying = h.database.connect().db.transaction((tx) => copyIn(tx, statement, [data]));
    await expect(copying).rejects.toMatchObject({ code: "23503" });
    expect(await h.database.connect().db.select().from(incidents).where(eq(incidents.key, "K1"))).toEqual([]);
  });
});
