/**
 * What `bench:import` prints: for each size, the median of its runs with the lowest and
 * highest in brackets. A ratio is taken within each run (the candidate and its baseline
 * measured minutes apart on the same machine), then its median across the runs. Peak RSS
 * is the highest of the runs. The verdicts go on the medians, and say how many runs met.
 */
import type { RunFigures } from "./import-run";

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const thousands = (x: number) => Math.round(x).toLocaleString("en-US");
const kilo = (x: number) => `${(x / 1000).toFixed(0)}k`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** The median and, for more than one run, the range: `405,933 [280k–406k]`. */
function spread(values: number[], show: (x: number) => string, range: (x: number) => string = show) {
  const mid = show(median(values));
  return values.length > 1 ? `${mid} [${range(Math.min(...values))}–${range(Math.max(...values))}]` : mid;
}
const rate = (values: number[]) => `${spread(values, thousands, kilo)} rows/s`;
const times = (values: number[]) => `×${spread(values, (x) => x.toFixed(2))}`;

type Phase = "parse" | "dryRun" | "copy" | "copyIncidents" | "commit";
const rates = (runs: RunFigures[], phase: Phase) => runs.map((r) => r[phase].rowsPerSecond);
const ratios = (runs: RunFigures[], phase: Phase, of: Phase) =>
  runs.map((r) => r[phase].rowsPerSecond / r[of].rowsPerSecond);
const peak = (runs: RunFigures[], phase: Phase) =>
  `peak RSS ${mb(Math.max(...runs.map((r) => r[phase].peakRss)))}`;
/** This process's CPU per 1,000 rows: steadier than rows/s on a busy machine. */
const cpu = (runs: RunFigures[], phase: "parse" | "dryRun" | "commit") =>
  `cpu ${median(runs.map((r) => (r[phase].cpuSeconds * 1e6) / r.rows)).toFixed(1)} ms/1k rows`;
/** The import's own peak (dry run and commit): the process peak also holds the baselines' phases. */
const importPeak = (r: RunFigures) => Math.max(r.dryRun.peakRss, r.commit.peakRss);

function printSize(runs: RunFigures[]) {
  const [first] = runs as [RunFigures];
  const count = runs.length === 1 ? "one run" : `${runs.length} runs, medians [lowest–highest]`;
  console.log(`${thousands(first.rows)} rows, ${mb(first.fileBytes)} CSV (${count})`);
  /** A phase's rows/s, its ratio to `of` (a baseline, named), its CPU where measured, its peak. */
  const phase = (label: string, name: Phase, of?: [Phase, string]) => {
    const parts = [rate(rates(runs, name))];
    if (of) parts.push(`${times(ratios(runs, name, of[0]))} of ${of[1]}`);
    if (name === "parse" || name === "dryRun" || name === "commit") parts.push(cpu(runs, name));
    parts.push(peak(runs, name));
    console.log(`  ${label.padEnd(32)} ${parts.join("   ")}`);
  };
  phase("baseline: raw PapaParse parse", "parse");
  phase("dry-run (plan)", "dryRun", ["parse", "raw parse"]);
  phase("baseline: raw COPY", "copy");
  phase("raw COPY into incidents' shape", "copyIncidents", [
    "copy",
    "raw COPY (3 indexes, statement trigger: storing alone)",
  ]);
  phase("commit (chunks via the queue)", "commit", ["copy", "raw COPY"]);
  const applied = new Set(
    runs.map(
      (r) =>
        `rows applied ${thousands(r.commit.applied)}, chunks ${r.commit.chunks}, receipts ${r.commit.receipts}, manifest ${r.commit.manifestDigest ? "signed" : "missing"}`,
    ),
  );
  console.log(`  ${[...applied].join(" | ")}`);
  console.log(
    `  process peak RSS ${runs.map((r) => mb(r.maxRss)).join(", ")} (at rest ${runs.map((r) => mb(r.restingRss)).join(", ")})`,
  );
  const highest = runs.reduce((a, b) => (b.maxRss > a.maxRss ? b : a));
  const marks = Object.entries(highest.highWater).map(([phase, bytes]) => `${phase} ${mb(bytes)}`);
  console.log(`  high-water RSS after each phase, in the run that peaked highest: ${marks.join(", ")}\n`);
}

/** `sizes`: each size's runs, smallest size first; the targets are judged at the largest. */
export function printReport(host: string, sizes: RunFigures[][]) {
  console.log(`\nincidents import benchmark — Postgres ${host}\n`);
  for (const runs of sizes) printSize(runs);

  const last = sizes.at(-1) as RunFigures[];
  const first = sizes[0] as RunFigures[];
  const verdict = (value: number, ok: (x: number) => boolean, perRun: number[]) => {
    const met = perRun.filter(ok).length;
    const runs = perRun.length > 1 ? ` (met in ${met} of ${perRun.length} runs)` : "";
    return `${ok(value) ? "met" : "MISSED"}${runs}`;
  };
  const dry = ratios(last, "dryRun", "parse");
  const commit = ratios(last, "commit", "copy");
  const peaks = last.map((r) => r.maxRss);
  const under = (x: number) => x < 300 * 1024 * 1024;
  const parts = [
    `dry-run ≥ 0.5× raw parse: ×${median(dry).toFixed(2)} ${verdict(median(dry), (x) => x >= 0.5, dry)}`,
    `commit ≥ 0.33× raw COPY: ×${median(commit).toFixed(2)} ${verdict(median(commit), (x) => x >= 0.33, commit)}`,
    `peak RSS < 300 MB: highest ${mb(Math.max(...peaks))} ${verdict(Math.max(...peaks), under, peaks)}`,
  ];
  if (sizes.length > 1) {
    const from = median(first.map(importPeak));
    const to = median(last.map(importPeak));
    const growth = to / from;
    parts.push(
      `import peak RSS ${thousands(first[0]?.rows ?? 0)} → ${thousands(last[0]?.rows ?? 0)} rows (medians): ${mb(from)} → ${mb(to)}, ×${growth.toFixed(2)} ${growth < 1.25 ? "met" : "MISSED"}`,
    );
  }
  console.log(
    `targets at ${thousands(last[0]?.rows ?? 0)} rows, medians of the runs:\n  ${parts.join("\n  ")}`,
  );
}
