import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../cli/run-cli";
import { appendReceipt } from "../../shared/receipts/append";
import type { EvidenceBundle } from "../../shared/receipts/evidence-bundle";
import { createHarness, type Harness, type SeededTenant } from "../support/harness";

let h: Harness;
let dir: string;
beforeAll(async () => {
  h = await createHarness();
  dir = await mkdtemp(join(tmpdir(), "sb-evidence-"));
}, 60_000);
afterAll(() => h.close());

async function seed(tenant: SeededTenant, n: number, prefix: string) {
  const ctx = {
    ...h.ctx(),
    tenant: { id: tenant.id, slug: tenant.slug, name: `${tenant.slug} Inc.` },
    actor: { type: "api_key" as const, id: "key_evidence", role: "admin" as const },
  };
  for (let i = 0; i < n; i++)
    await appendReceipt({
      ctx,
      input: { kind: "import.committed", subject: `${prefix}:${i}`, details: { i } },
    });
}

async function exportBundle(key: string, query = "") {
  const res = await h.request(`/v1/evidence${query}`, { key });
  expect(res.status).toBe(200);
  return (await res.json()) as EvidenceBundle;
}

let files = 0;
async function cli(bundle: unknown) {
  const file = join(dir, `bundle-${++files}.json`);
  await writeFile(file, JSON.stringify(bundle));
  const out: string[] = [];
  const code = await runCli(["verify", file], { out: (l) => out.push(l), err: (l) => out.push(l) });
  return { code, out: out.join("\n"), file };
}

describe("GET /v1/evidence", () => {
  it("exports a bundle the CLI verifies, covering the export's own receipt", async () => {
    await seed(h.tenantA, 9, "a");
    const bundle = await exportBundle(await h.tenantA.keyFor("viewer"));
    expect(bundle.receipts).toHaveLength(10);
    const own = bundle.receipts.find((r) => r.id === bundle.exportReceiptId);
    expect(own).toMatchObject({ kind: "evidence.exported", seq: 9 });
    expect(bundle.checkpoint.treeSize).toBe(10);
    expect(bundle.keys.keys[0]?.kid).toBe(bundle.checkpoint.kid);

    const file = join(dir, "intact.json");
    await writeFile(file, JSON.stringify(bundle, null, 2));
    // The real command line, as a partner runs it.
    const { stdout } = await promisify(execFile)("npx", ["tsx", "cli/switchboard.ts", "verify", file], {
      cwd: join(import.meta.dirname, "../.."),
    });
    expect(stdout.trim()).toBe("OK: 10 receipts verified against checkpoint size 10");
  }, 60_000);

  it("fails the CLI with the receipt and the reason when one byte of it changes", async () => {
    const bundle = await exportBundle(h.tenantA.apiKey);
    const text = JSON.stringify(bundle);
    const target = bundle.receipts[3];
    const forged = text.replace(
      `"subject":"${target?.subject}"`,
      `"subject":"${target?.subject.replace(/.$/, "X")}"`,
    );
    expect(forged).not.toBe(text);
    const result = await cli(JSON.parse(forged));
    expect(result.code).toBe(1);
    expect(result.out).toContain(`FAIL receipt ${target?.id} (seq ${target?.seq}): digest mismatch`);

    const tamperedJws = structuredClone(bundle);
    // The signature's first character: its last one carries padding bits a decoder may ignore.
    const [header, payload, signature = ""] = bundle.checkpoint.jws.split(".");
    tamperedJws.checkpoint.jws = `${header}.${payload}.${signature.startsWith("A") ? "B" : "A"}${signature.slice(1)}`;
    expect((await cli(tamperedJws)).out).toContain("checkpoint: the signature does not verify");
  });

  it("a time range holds only that range, plus the export receipt; another tenant's bundle holds none of it", async () => {
    const all = await exportBundle(h.tenantA.apiKey);
    const third = all.receipts[2];
    const sixth = all.receipts[5];
    const ranged = await exportBundle(h.tenantA.apiKey, `?from=${third?.occurredAt}&to=${sixth?.occurredAt}`);
    const kinds = ranged.receipts.map((r) => r.kind);
    expect(ranged.receipts[0]?.seq).toBe(third?.seq);
    expect(kinds.at(-1)).toBe("evidence.exported");
    expect((await cli(ranged)).code).toBe(0);

    await seed(h.tenantB, 2, "b");
    const other = await exportBundle(h.tenantB.apiKey);
    expect(other.tenant.id).toBe(h.tenantB.id);
    expect(other.receipts.every((r) => r.tenant === h.tenantB.id)).toBe(true);
    expect((await cli(other)).code).toBe(0);
  });

  it("a retried export with the same Idempotency-Key names the same receipt", async () => {
    const headers = { "idempotency-key": "export-2030-q1" };
    const first = (await (
      await h.request("/v1/evidence", { key: h.tenantB.apiKey, headers })
    ).json()) as EvidenceBundle;
    const again = (await (
      await h.request("/v1/evidence", { key: h.tenantB.apiKey, headers })
    ).json()) as EvidenceBundle;
    expect(again.exportReceiptId).toBe(first.exportReceiptId);
    expect(again.checkpoint.treeSize).toBe(first.checkpoint.treeSize);
  });
});
