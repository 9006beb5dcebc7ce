import { readFileSync, existsSync } from "node:fs";
import { writeIncidentsCsv } from "../bench/incidents-csv";
import { importers } from "../../shared/imports/importers";
import { checkInFile } from "../../shared/imports/read/in-file-check";
import { stateModules } from "../../shared/imports/state";
import { classify } from "../../shared/imports/framework/diff";
import { planWriter } from "../../shared/imports/framework/plan-store";
const file = "/tmp/exp/inc100k.csv";
if (!existsSync(file)) await writeIncidentsCsv(file, 100_000);
const bytes = new Uint8Array(readFileSync(file));
const store = { put: async () => ({}) } as any;
const stage = process.argv[2] ?? "all";
for (let rep = 0; rep < 3; rep++) {
  const t = performance.now(); const cpu = process.cpuUsage();
  const { Readable } = await import("node:stream");
  const { createReadStream } = await import("node:fs");
  const input = process.env.STREAM ? (Readable.toWeb(createReadStream(file)) as any) : bytes;
  const records = importers.incidents.read({ bytes: input, format: "csv", mapping: {}, options: {}, limits: undefined as any });
  let n = 0;
  if (stage === "read") { for await (const r of records) n++; }
  else {
    const checked = checkInFile(records, { kind: "incidents" });
    const writer = planWriter(store, "p", 2000);
    for await (const r of checked) {
      n++;
      if (stage === "check") continue;
      if (!r.ok) continue;
      const fields = stateModules.incidents.project(r.value);
      const c = classify(fields, undefined, { onConflict: "skip", applying: new Set() });
      const p = writer.add({ row: r.value.row, key: r.value.key, entity: r.value.entity, action: c.action, fields, decisionId: "dec_0123456789abcdefghij", decision: "allow" } as any);
      if (p) await p;
    }
  }
  const used = process.cpuUsage(cpu);
  console.log(stage, n, "wall µs/row", ((performance.now() - t) * 1000 / n).toFixed(2), "cpu µs/row", ((used.user + used.system) / n).toFixed(2));
}
