/** The streamed evidence bundle (JSON Lines) over HTTP, verified by the CLI reading it line by line. */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../cli/run-cli";
import { fixedClock } from "../../shared/platform/clock";
import { appendReceipt } from "../../shared/receipts/append";
import { createHarness, type Harness } from "../support/harness";

let h: Harness;
let dir: string;
let keysFile: string;
beforeAll(async () => {
  h = await createHarness();
  dir = await mkdtemp(join(tmpdir(), "sb-stream-"));
  keysFile = join(dir, "jwks.json");
  await writeFile(keysFile, await (await h.request("/.well-known/jwks.json")).text());
}, 60_000);
afterAll(() => h.close());

const clock = fixedClock("2031-01-01T00:00:00.000Z");
async function seed(n: number) {
  const ctx = {
    ...h.ctx(),
    clock,
    tenant: { id: h.tenantA.id, slug: h.tenantA.slug, name: "acme" },
    actor: { type: "api_key" as const, id: "key_stream", role: "admin" as const },
  };
  for (let i = 0; i < n; i++) {
    clock.advance(1000);
    await appendReceipt({ ctx, input: { kind: "import.committed", subject: `stream:${i}`, details: { i } } });
  }
}

async function verify(text: string) {
  const file = join(dir, `bundle-${Math.random().toString(36).slice(2)}.ndjson`);
  await writeFile(file, text);
  const out: string[] = [];
  const code = await runCli(["verify", file, "--keys", keysFile], { out: (l) => out.push(l), err: () => {} });
  return { code, out: out.join("\n") };
}

const stream = (query: string) =>
  h.request(`/v1/evidence${query}`, { key: h.tenantA.apiKey, headers: { accept: "application/x-ndjson" } });

describe("GET /v1/evidence, streamed", () => {
  let text = "";

  it("streams a header, one line per receipt of the range and an end line; the CLI verifies it", async () => {
    await seed(70);
    const res = await stream("?from=2031-01-01T00:00:05.000Z&to=2031-01-01T00:01:05.000Z");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/x-ndjson");
    expect(res.headers.get("content-disposition")).toMatch(/\.ndjson"$/);
    text = await res.text();
    const lines = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const [header] = lines;
    expect(header).toMatchObject({ type: "header", format: "switchboard.evidence/v2" });
    expect(header.rangeProof.length).toBeLessThanOrEqual(
      2 * Math.ceil(Math.log2(header.checkpoint.treeSize) + 1),
    );
    const receipts = lines.filter((l) => l.type === "receipt");
    expect(receipts).toHaveLength(60);
    expect(receipts.every((r) => r.inclusion === undefined)).toBe(true);
    expect(receipts.map((r) => r.seq)).toEqual(
      Array.from({ length: 60 }, (_, i) => header.range.firstSeq + i),
    );
    expect(lines.at(-1)).toEqual({ type: "end", receipts: 60 });
    expect(await verify(text)).toEqual({
      code: 0,
      out: `OK: 61 receipts verified against checkpoint size ${header.checkpoint.treeSize}`,
    });
  });

  it("fails the CLI when a receipt is altered, left out, or moved", async () => {
    const lines = text.trim().split("\n");
    const altered = lines.map((l, i) => (i === 5 ? l.replace('"i":', '"i":1') : l));
    const alteredRun = await verify(altered.join("\n"));
    expect(alteredRun.code).toBe(1);
    expect(alteredRun.out).toMatch(/digest mismatch/);
    const dropped = await verify(lines.filter((_, i) => i !== 7).join("\n"));
    expect(dropped.code).toBe(1);
    expect(dropped.out).toMatch(/out of place|range proof/);
    const swapped = [...lines];
    [swapped[3], swapped[4]] = [swapped[4] ?? "", swapped[3] ?? ""];
    expect((await verify(swapped.join("\n"))).code).toBe(1);
    expect((await verify(lines.slice(0, -1).join("\n"))).out).toMatch(/does not end/);
  });

  it("an empty range streams the export receipt alone; the JSON bundle still answers without the header", async () => {
    const res = await stream("?from=2040-01-01T00:00:00.000Z");
    const empty = await res.text();
    expect(empty.trim().split("\n")).toHaveLength(2);
    expect((await verify(empty)).code).toBe(0);
    const json = await h.request("/v1/evidence?from=2031-01-01T00:00:05.000Z", { key: h.tenantA.apiKey });
    expect(json.headers.get("content-type")).toContain("application/json");
  });
});
