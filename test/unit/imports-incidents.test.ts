import { describe, expect, it } from "vitest";
import { incidentsImporter } from "../../shared/imports/importers/incidents";
import { canonicalTimestamp } from "../../shared/imports/importers/incidents/schema";
import { bytes, collect, problemOf, sample, split } from "../fixtures/imports/helpers";

const header =
  "id,incident_number,title,description,status,urgency,priority,service_name,escalation_policy_name,created_on,acknowledged_on,resolved_on,assigned_to,runbook";
const read = async (input: Uint8Array | ReadableStream<Uint8Array>) =>
  split(await collect(incidentsImporter.read({ bytes: input, format: "csv" })));
const csv = (...rows: string[]) => bytes(`${[header, ...rows].join("\n")}\n`);
const row = (overrides: Partial<Record<"created" | "acked" | "resolved" | "status", string>> = {}) =>
  `X1,1,T,D,${overrides.status ?? "resolved"},high,P1,svc,Policy,${overrides.created ?? "2026-10-03T14:02:11Z"},${overrides.acked ?? ""},${overrides.resolved ?? ""},,`;

describe("incidents: partner sample", () => {
  it("reads the PagerDuty-style export: embedded quotes, empty timestamps, runbook references", async () => {
    const { records, errors } = await read(sample("incidents/pagerduty-export.csv"));
    expect(errors).toEqual([]);
    expect(records.map((r) => [r.row, r.key, r.entity])).toEqual([
      [1, "Q1VZ6X9V2B3Z7A", "incident"],
      [2, "Q2AB4C7D8E9F0G", "incident"],
      [3, "Q3HJ5K6L7M8N9P", "incident"],
      [4, "Q4QR2S3T4U5V6W", "incident"],
    ]);
    expect(records[0]?.fields).toEqual({
      id: "Q1VZ6X9V2B3Z7A",
      number: 1042,
      title: "Checkout API 5xx above 2%",
      description: "Error rate spiked after deploy 2026.10.3, rollback started",
      status: "resolved",
      urgency: "high",
      priority: "P1",
      service: "checkout-api",
      escalationPolicy: "Platform Primary",
      createdOn: "2026-10-03T14:02:11Z",
      acknowledgedOn: "2026-10-03T14:04:40Z",
      resolvedOn: "2026-10-03T15:10:02Z",
      assignee: "bo.chen@northwind.example",
      runbook: "restart-checkout-api",
    });
    expect(records[0]?.refs).toEqual([
      { column: "runbook", kind: "runbooks", key: "restart-checkout-api" },
      { column: "assigned_to", kind: "identities", key: "bo.chen@northwind.example" },
    ]);
    expect(records[2]?.fields).toMatchObject({ status: "acknowledged", resolvedOn: null, runbook: null });
    expect(records[3]?.fields).toMatchObject({
      title: "Search latency p95 > 1s",
      description: 'Users report "slow search" on web',
      acknowledgedOn: null,
      resolvedOn: null,
      assignee: null,
      runbook: "page-owner",
    });
  });
});

describe("incidents: rejects", () => {
  it("rejects a bad timestamp with invalid_timestamp and the column as written", async () => {
    const { errors } = await read(
      csv(
        row({ acked: "yesterday" }),
        row({ created: "2026-02-30T10:00:00Z" }),
        row({ resolved: "2026-10-03 14:02:11" }),
        row({ created: "" }),
      ),
    );
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [1, "acknowledged_on", "invalid_timestamp"],
      [2, "created_on", "invalid_timestamp"],
      [3, "resolved_on", "invalid_timestamp"],
      [4, "created_on", "missing_value"],
    ]);
    expect(errors[0]?.hint).toContain("ISO 8601");
  });

  it("rejects acknowledgement or resolution before creation, and an unknown status", async () => {
    const { errors } = await read(csv(row({ resolved: "2026-10-03T14:00:00Z" }), row({ status: "snoozed" })));
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [1, "resolved_on", "timestamp_order"],
      [2, "status", "invalid_value"],
    ]);
  });

  it("canonicalises timestamps with offsets to UTC", () => {
    expect(canonicalTimestamp("2026-10-03T16:02:11+02:00")).toBe("2026-10-03T14:02:11Z");
    expect(canonicalTimestamp("2026-10-03 14:02:11.250z")).toBe("2026-10-03T14:02:11.250Z");
    expect(canonicalTimestamp("2026-10-03T14:02+0000")).toBe("2026-10-03T14:02:00Z");
    expect(canonicalTimestamp("2026-10-03T24:00:00Z")).toBeUndefined();
    expect(canonicalTimestamp("2026-10-03")).toBeUndefined();
  });

  it("needs the id, title, status and created_on columns", async () => {
    const problem = await problemOf(() => read(bytes("id,title,status\nX,T,resolved\n")));
    expect(problem).toMatchObject({ code: "missing_column", row: 0 });
  });

  it("rejects an incident number past what is stored (2147483647), naming its column", async () => {
    const line = (id: string, n: string) =>
      `${id},${n},T,D,resolved,high,P1,svc,Policy,2026-10-03T14:02:11Z,,,,`;
    const { records, errors } = await read(csv(line("X1", "2147483648"), line("X2", "2147483647")));
    expect(records.map((r) => r.key)).toEqual(["X2"]);
    expect(errors).toEqual([
      expect.objectContaining({ row: 1, column: "incident_number", code: "invalid_value" }),
    ]);
  });
});

describe("incidents: a large file", () => {
  const rows = 200_000;
  /** A generated export, produced on demand so the input itself is never in memory. */
  function generated(): ReadableStream<Uint8Array> {
    const encoder = new TextEncoder();
    let next = 0;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        if (next >= rows) {
          controller.close();
          return;
        }
        const lines: string[] = next === 0 ? [header] : [];
        for (const end = Math.min(rows, next + 500); next < end; next++) {
          const minute = String(next % 60).padStart(2, "0");
          lines.push(
            `INC${next},${next},Disk ${next} filling up,"Volume /data, node ""n${next % 97}"" at 9${next % 10}%",resolved,high,P${(next % 5) + 1},svc-${next % 40},Primary,2026-10-03T14:${minute}:00Z,2026-10-03T14:${minute}:30Z,2026-10-03T15:${minute}:00Z,oncall${next % 50}@northwind.example,`,
          );
        }
        controller.enqueue(encoder.encode(`${lines.join("\r\n")}\r\n`));
      },
    });
  }

  it(`streams ${rows.toLocaleString("en")} rows with bounded memory`, async () => {
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let count = 0;
    let rejected = 0;
    let last = "";
    const started = performance.now();
    for await (const result of incidentsImporter.read({ bytes: generated(), format: "csv" })) {
      if (!result.ok) rejected++;
      else last = result.value.key;
      if (++count % 10_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `incidents CSV: ${count} rows in ${seconds.toFixed(2)} s (${Math.round(count / seconds)} rows/s), heap growth ${((peak - before) / 2 ** 20).toFixed(1)} MB`,
    );
    expect(count).toBe(rows);
    expect(rejected).toBe(0);
    expect(last).toBe(`INC${rows - 1}`);
    expect(peak - before).toBeLessThan(100 * 2 ** 20);
  }, 120_000);
});
