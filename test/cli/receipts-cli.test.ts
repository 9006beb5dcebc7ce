/** The offline verifier on bundles built in memory: no database, no service. */
import { mkdtemp, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../cli/run-cli";
import type { Signer } from "../../shared/platform/ports";
import { createSigner, generateSigningKey } from "../../shared/platform/signer";
import { type EvidenceBundle, evidenceFormat } from "../../shared/receipts/evidence-bundle";
import { fromHex, toHex } from "../../shared/receipts/hashing";
import { MerkleTree } from "../../shared/receipts/merkle";
import {
  genesisChain,
  nextChain,
  type ReceiptView,
  receiptDigest,
  receiptLeafHash,
} from "../../shared/receipts/receipt-digest";

let signer: Signer;
let dir: string;
let keysFile: string;
beforeAll(async () => {
  signer = await createSigner([await generateSigningKey()]);
  dir = await mkdtemp(join(tmpdir(), "sb-cli-"));
  keysFile = join(dir, "jwks.json");
  await writeFile(keysFile, JSON.stringify(signer.jwks()));
});

interface BundleOptions {
  /** The exported span (default: every receipt before the export's). */
  span?: { first: number; last: number };
  /** What the export receipt records, over the span's own figures. */
  details?: Record<string, unknown>;
  /** Who signs the checkpoint (default: the service's signer). */
  by?: Signer;
}

/** A log of `size` receipts whose last is the export of `span`, signed, as the service builds it. */
async function bundleOf(size: number, options: BundleOptions = {}): Promise<EvidenceBundle> {
  const tenant = "ten_cli";
  const span = options.span ?? { first: 0, last: size - 2 };
  const range = { from: null, to: null, firstSeq: span.first, lastSeq: span.last };
  let chain = genesisChain;
  const all: ReceiptView[] = Array.from({ length: size }, (_, seq) => {
    const exported = seq === size - 1;
    const fields = {
      tenant,
      seq,
      id: `rcpt_${seq.toString(16).padStart(64, "0")}`,
      kind: exported ? "evidence.exported" : "import.committed",
      actor: "api_key:key_cli",
      subject: exported ? `tenant:${tenant}` : `import:imp_${seq}`,
      inputDigest: "a".repeat(64),
      outputDigest: null,
      decisionId: null,
      links: [],
      details: exported
        ? { ...range, receipts: span.last - span.first + 1, requestId: "req_cli", ...options.details }
        : { rows: seq },
      occurredAt: new Date(Date.UTC(2030, 0, 1, 0, seq)).toISOString(),
    };
    const digest = receiptDigest(fields);
    chain = nextChain(chain, digest);
    return { ...fields, digest, leafHash: receiptLeafHash(digest), chain };
  });
  const tree = new MerkleTree(all.map((r) => fromHex(r.leafHash)));
  const rootHash = toHex(tree.root());
  const issuedAt = "2030-01-02T00:00:00.000Z";
  const by = options.by ?? signer;
  const jws = await by.signJson(
    { tenant, treeSize: size, rootHash, chainHead: chain, issuedAt },
    { typ: "checkpoint+jws" },
  );
  const seqs = [...Array(span.last - span.first + 1).keys()].map((i) => span.first + i).concat(size - 1);
  return {
    format: evidenceFormat,
    tenant: { id: tenant, slug: "cli", name: "CLI Inc." },
    range,
    exportedAt: issuedAt,
    exportReceiptId: all[size - 1]?.id ?? "",
    checkpoint: { treeSize: size, rootHash, issuedAt, kid: by.kid, jws },
    keys: by.jwks(),
    receipts: seqs.flatMap((seq) => {
      const r = all[seq];
      return r
        ? [{ ...r, inclusion: { leafIndex: seq, treeSize: size, path: tree.inclusionProof(seq).map(toHex) } }]
        : [];
    }),
  };
}

let files = 0;
/** Runs `switchboard verify`, with the service's keys unless other options are given. */
async function verify(bundle: unknown, ...options: string[]) {
  const file = join(dir, `bundle-${++files}.json`);
  await writeFile(file, typeof bundle === "string" ? bundle : JSON.stringify(bundle, null, 2));
  const out: string[] = [];
  const err: string[] = [];
  const args = options.length > 0 ? options : ["--keys", keysFile];
  const code = await runCli(["verify", file, ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const flip = (hex: string) => (hex[0] === "0" ? "1" : "0") + hex.slice(1);

describe("switchboard verify", () => {
  it("accepts an intact bundle against the service's keys and says how much it checked", async () => {
    const result = await verify(await bundleOf(11));
    expect(result).toEqual({ code: 0, out: "OK: 11 receipts verified against checkpoint size 11", err: "" });
  });

  it("accepts a range that is not the whole log: proofs stand alone, the chain is checked where consecutive", async () => {
    expect((await verify(await bundleOf(20, { span: { first: 3, last: 9 } }))).out).toBe(
      "OK: 8 receipts verified against checkpoint size 20",
    );
  });

  it("refuses to verify without keys the user supplies, and warns when told to trust the bundle's own", async () => {
    const bundle = await bundleOf(5);
    const none = await verify(bundle, "--nothing");
    expect(none.code).toBe(2);
    const file = join(dir, "no-keys.json");
    await writeFile(file, JSON.stringify(bundle));
    const err: string[] = [];
    expect(await runCli(["verify", file], { out: () => {}, err: (l) => err.push(l) })).toBe(2);
    expect(err.join("\n")).toContain("error: no keys to verify the checkpoint signature against");
    expect(err.join("\n")).toContain("--keys <jwks.json> or --jwks-url <url>");

    const embedded = await verify(bundle, "--trust-embedded-keys");
    expect(embedded.code).toBe(0);
    expect(embedded.err).toContain("warning: trusting the keys inside the bundle");
    expect(embedded.out).toContain("(keys from the bundle itself, not authenticated)");
    expect((await verify(bundle, "--keys", keysFile, "--trust-embedded-keys")).code).toBe(2);
  });

  it("fails a bundle signed by another key, however consistent it is, unless told to trust its embedded key", async () => {
    const forger = await createSigner([await generateSigningKey()]);
    const forged = await bundleOf(6, { by: forger });
    const result = await verify(forged);
    expect(result.code).toBe(1);
    expect(result.out).toContain(`FAIL bundle: checkpoint: no public key with kid ${forger.kid}`);
    // The same forgery under the service's kid: the key with that kid does not verify it.
    const [, payload = ""] = forged.checkpoint.jws.split(".");
    const header = Buffer.from(
      JSON.stringify({ alg: "EdDSA", typ: "checkpoint+jws", kid: signer.kid }),
    ).toString("base64url");
    const [, , signature = ""] = forged.checkpoint.jws.split(".");
    const underOurKid = {
      ...forged,
      checkpoint: { ...forged.checkpoint, jws: `${header}.${payload}.${signature}` },
    };
    expect((await verify(underOurKid)).out).toContain(
      "FAIL bundle: checkpoint: the signature does not verify",
    );
    // What --trust-embedded-keys cannot tell: the forger's own key "verifies" it.
    expect((await verify(forged, "--trust-embedded-keys")).code).toBe(0);
  });

  it("fetches the keys with --jwks-url, and fails cleanly when it cannot", async () => {
    const server = createServer((req, res) => {
      if (req.url !== "/.well-known/jwks.json") return res.writeHead(404).end();
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(signer.jwks()));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const bundle = await bundleOf(7);
      const ok = await verify(bundle, "--jwks-url", `http://127.0.0.1:${port}/.well-known/jwks.json`);
      expect(ok).toMatchObject({ code: 0, out: "OK: 7 receipts verified against checkpoint size 7" });
      const missing = await verify(bundle, "--jwks-url", `http://127.0.0.1:${port}/nope`);
      expect(missing.code).toBe(2);
      expect(missing.err).toContain("HTTP 404");
    } finally {
      server.close();
    }
  });

  it("fails a bundle with a receipt removed, naming the missing seq", async () => {
    const bundle = await bundleOf(10);
    bundle.receipts = bundle.receipts.filter((r) => r.seq !== 4);
    const result = await verify(bundle);
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      `FAIL receipt ${bundle.exportReceiptId} (seq 9): receipts missing: the bundle holds 8 of the 9 receipts of seq 0–8; absent: seq 4`,
    );
    // The end of the range too: the last receipts before the export.
    const tail = await bundleOf(10);
    tail.receipts = tail.receipts.filter((r) => r.seq !== 7 && r.seq !== 8);
    expect((await verify(tail)).out).toContain("absent: seq 7, 8");
  });

  it("fails a bundle whose range was edited to hide receipts", async () => {
    const bundle = await bundleOf(10);
    bundle.range.firstSeq = 3;
    bundle.receipts = bundle.receipts.filter((r) => r.seq >= 3);
    const result = await verify(bundle);
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      "range edited: the bundle's range differs from the one its export receipt records: firstSeq 3 (receipt: 0)",
    );
    const from = await bundleOf(6);
    from.range.from = "2030-01-01T00:03:00.000Z";
    expect((await verify(from)).out).toContain(
      'range edited: the bundle\'s range differs from the one its export receipt records: from "2030-01-01T00:03:00.000Z" (receipt: null)',
    );
  });

  it("fails a bundle whose export receipt's count disagrees with its range", async () => {
    const result = await verify(await bundleOf(10, { details: { receipts: 12 } }));
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      "count mismatch: the export receipt counts 12 receipts but its range (seq 0–8) holds 9",
    );
  });

  it("fails a receipt from outside the range", async () => {
    const whole = await bundleOf(10, { span: { first: 2, last: 8 } });
    const extra = (await bundleOf(10, { span: { first: 0, last: 8 } })).receipts[0];
    if (extra) whole.receipts.unshift(extra);
    const result = await verify(whole);
    expect(result.out).toContain(`FAIL receipt ${extra?.id} (seq 0): outside the exported range (seq 2–8)`);
  });

  it("names the receipt whose subject was changed", async () => {
    const bundle = await bundleOf(8);
    const r = bundle.receipts[5];
    if (r) r.subject = "import:imp_forged";
    const result = await verify(bundle);
    expect(result.code).toBe(1);
    expect(result.out).toContain(`FAIL receipt ${r?.id} (seq 5): digest mismatch`);
    expect(result.out).toContain("FAILED: 1 problem(s)");
  });

  it("names the receipt whose proof was changed by one hash", async () => {
    const bundle = await bundleOf(8);
    const r = bundle.receipts[2];
    if (r) r.inclusion.path[1] = flip(r.inclusion.path[1] ?? "");
    const result = await verify(bundle);
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      `FAIL receipt ${r?.id} (seq 2): inclusion proof: the proof does not lead to the root`,
    );
  });

  it("refuses a checkpoint whose JWS was changed", async () => {
    const bundle = await bundleOf(4);
    const [head, payload, signature] = bundle.checkpoint.jws.split(".");
    bundle.checkpoint.jws = `${head}.${payload}.${signature?.startsWith("A") ? "B" : "A"}${signature?.slice(1)}`;
    const tampered = await verify(bundle);
    expect(tampered.code).toBe(1);
    expect(tampered.out).toContain("FAIL bundle: checkpoint: the signature does not verify");
  });

  it("refuses a root that differs from the signed one and a broken chain", async () => {
    const bundle = await bundleOf(6);
    bundle.checkpoint.rootHash = flip(bundle.checkpoint.rootHash);
    const r = bundle.receipts[3];
    if (r) r.chain = flip(r.chain);
    const result = await verify(bundle);
    expect(result.out).toContain("differ from what the JWS signs");
    expect(result.out).toContain(`FAIL receipt ${r?.id} (seq 3): chain break: does not follow from seq 2`);
  });

  it("notices the export's own receipt is missing", async () => {
    const bundle = await bundleOf(5);
    bundle.receipts.pop();
    const result = await verify(bundle);
    expect(result.out).toContain("the export's own evidence.exported receipt is missing");
  });

  it("exits 2 on usage errors and files that are not JSON, 1 on a malformed bundle", async () => {
    expect(await runCli([], { out: () => {}, err: () => {} })).toBe(2);
    expect((await verify("{not json")).code).toBe(2);
    const notJwks = join(dir, "not-jwks.json");
    await writeFile(notJwks, JSON.stringify({ kid: "x" }));
    const bad = await verify(await bundleOf(3), "--keys", notJwks);
    expect(bad).toMatchObject({ code: 2, err: `error: ${notJwks} is not a JWKS (no "keys" array)` });
    const malformed = await verify({ format: evidenceFormat, receipts: "nope" });
    expect(malformed).toMatchObject({ code: 1 });
    expect(malformed.out).toContain("the bundle is malformed");
  });
});
