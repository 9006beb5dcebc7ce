import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
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
/** The service's published keys, saved as a partner would: what `verify --keys` trusts. */
let keysFile: string;
beforeAll(async () => {
  h = await createHarness();
  dir = await mkdtemp(join(tmpdir(), "sb-evidence-"));
  keysFile = join(dir, "jwks.json");
  await writeFile(keysFile, await (await h.request("/.well-known/jwks.json")).text());
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
  const code = await runCli(["verify", file, "--keys", keysFile], {
    out: (l) => out.push(l),
    err: (l) => out.push(l),
  });
  return { code, out: out.join("\n"), file };
}

describe("GET /v1/evidence", () => {
  it("exports a bundle the CLI verifies against the service's keys, from a file or its URL", async () => {
    await seed(h.tenantA, 9, "a");
    const bundle = await exportBundle(await h.tenantA.keyFor("auditor"));
    expect(bundle.receipts).toHaveLength(10);
    const own = bundle.receipts.find((r) => r.id === bundle.exportReceiptId);
    expect(own).toMatchObject({ kind: "evidence.exported", seq: 9 });
    expect(own?.details).toMatchObject({ from: null, to: null, firstSeq: 0, lastSeq: 8, receipts: 9 });
    expect(bundle.range).toEqual({ from: null, to: null, firstSeq: 0, lastSeq: 8 });
    expect(bundle.checkpoint.treeSize).toBe(10);
    expect(bundle.keys.keys[0]?.kid).toBe(bundle.checkpoint.kid);

    const file = join(dir, "intact.json");
    await writeFile(file, JSON.stringify(bundle, null, 2));
    // The real command line, as a partner runs it, with the JWKS saved to a file and served over HTTP.
    const run = (...args: string[]) =>
      promisify(execFile)("npx", ["tsx", "cli/switchboard.ts", "verify", file, ...args], {
        cwd: join(import.meta.dirname, "../.."),
      });
    expect((await run("--keys", keysFile)).stdout.trim()).toBe(
      "OK: 10 receipts verified against checkpoint size 10",
    );
    const jwks = await readFile(keysFile, "utf8");
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end(jwks);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const fetched = await run("--jwks-url", `http://127.0.0.1:${port}/.well-known/jwks.json`);
      expect(fetched.stdout.trim()).toBe("OK: 10 receipts verified against checkpoint size 10");
    } finally {
      server.close();
    }
    // Without keys the command refuses, rather than trusting the bundle's own.
    await expect(run()).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("no keys to verify the checkpoint signature against"),
    });
  }, 60_000);

  it("fails an exported bundle with a receipt removed or its range edited, saying why", async () => {
    const bundle = await exportBundle(h.tenantA.apiKey);
    const removed = structuredClone(bundle);
    removed.receipts.splice(4, 1);
    const gap = await cli(removed);
    expect(gap.code).toBe(1);
    expect(gap.out).toContain(`absent: seq ${bundle.receipts[4]?.seq}`);

    const edited = structuredClone(bundle);
    edited.range.firstSeq = 2;
    edited.receipts = edited.receipts.filter((r) => r.seq >= 2);
    const range = await cli(edited);
    expect(range.code).toBe(1);
    expect(range.out).toContain(
      "range edited: the bundle's range differs from the one its export receipt records",
    );
  });

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
    expect(ranged.range).toMatchObject({ firstSeq: third?.seq, lastSeq: (sixth?.seq ?? 0) - 1 });
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
    expect(again.range).toEqual(first.range);
    expect((await cli(again)).code).toBe(0);
  });
});

describe("GET /v1/evidence is governed", () => {
  it("refuses a viewer with 403 naming the decision and its receipt", async () => {
    const res = await h.request("/v1/evidence", { key: await h.tenantB.keyFor("viewer") });
    expect(res.status).toBe(403);
    const problem = (await res.json()) as { decisionId: string; receiptId: string; remediation: string };
    expect(problem.remediation).toBe("needs role auditor");
    const decision = await h.request(`/v1/decisions/${problem.decisionId}`, { key: h.tenantB.apiKey });
    expect(await decision.json()).toMatchObject({ action: "exportEvidence", decision: "deny" });
    const receipt = await h.request(`/v1/receipts/${problem.receiptId}`, { key: h.tenantB.apiKey });
    expect(await receipt.json()).toMatchObject({
      receipt: { kind: "policy.denied", decisionId: problem.decisionId },
    });
  });

  it("lets auditors and admins export; each export leaves its own receipt, linked to its decision", async () => {
    const auditor = await h.tenantB.keyFor("auditor");
    const to = new Date(Date.now() + 60_000).toISOString();
    const first = await exportBundle(auditor, `?to=${encodeURIComponent(to)}`);
    const second = await exportBundle(h.tenantB.apiKey, `?to=${encodeURIComponent(to)}`);
    expect(second.exportReceiptId).not.toBe(first.exportReceiptId);
    for (const bundle of [first, second]) {
      const res = await h.request(`/v1/receipts/${bundle.exportReceiptId}`, { key: h.tenantB.apiKey });
      const { receipt } = (await res.json()) as { receipt: { kind: string; decisionId: string } };
      expect(receipt.kind).toBe("evidence.exported");
      const decision = await h.request(`/v1/decisions/${receipt.decisionId}`, { key: h.tenantB.apiKey });
      expect(await decision.json()).toMatchObject({ action: "exportEvidence", decision: "allow" });
    }
    // The second export holds the first one's receipt: both are in the log.
    expect(second.receipts.map((r) => r.id)).toContain(first.exportReceiptId);
    expect((await cli(second)).code).toBe(0);
  });
});
