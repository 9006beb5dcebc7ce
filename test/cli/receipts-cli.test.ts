/** The offline verifier on bundles built in memory: no database, no service. */
import { mkdtemp, writeFile } from "node:fs/promises";
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
beforeAll(async () => {
  signer = await createSigner([await generateSigningKey()]);
  dir = await mkdtemp(join(tmpdir(), "sb-cli-"));
});

async function bundleOf(size: number, exported: number[] = [...Array(size).keys()]): Promise<EvidenceBundle> {
  const tenant = "ten_cli";
  let chain = genesisChain;
  const all: ReceiptView[] = Array.from({ length: size }, (_, seq) => {
    const fields = {
      tenant,
      seq,
      id: `rcpt_${seq.toString(16).padStart(64, "0")}`,
      kind: seq === size - 1 ? "evidence.exported" : "import.committed",
      actor: "api_key:key_cli",
      subject: `import:imp_${seq}`,
      inputDigest: "a".repeat(64),
      outputDigest: null,
      decisionId: null,
      links: [],
      details: { rows: seq },
      occurredAt: new Date(Date.UTC(2030, 0, 1, 0, seq)).toISOString(),
    };
    const digest = receiptDigest(fields);
    chain = nextChain(chain, digest);
    return { ...fields, digest, leafHash: receiptLeafHash(digest), chain };
  });
  const tree = new MerkleTree(all.map((r) => fromHex(r.leafHash)));
  const rootHash = toHex(tree.root());
  const issuedAt = "2030-01-02T00:00:00.000Z";
  const jws = await signer.signJson(
    { tenant, treeSize: size, rootHash, chainHead: chain, issuedAt },
    { typ: "checkpoint+jws" },
  );
  return {
    format: evidenceFormat,
    tenant: { id: tenant, slug: "cli", name: "CLI Inc." },
    range: { from: null, to: null },
    exportedAt: issuedAt,
    exportReceiptId: all[size - 1]?.id ?? "",
    checkpoint: { treeSize: size, rootHash, issuedAt, kid: signer.kid, jws },
    keys: signer.jwks(),
    receipts: exported.flatMap((seq) => {
      const r = all[seq];
      return r
        ? [{ ...r, inclusion: { leafIndex: seq, treeSize: size, path: tree.inclusionProof(seq).map(toHex) } }]
        : [];
    }),
  };
}

let files = 0;
async function verify(bundle: unknown, ...extra: string[]) {
  const file = join(dir, `bundle-${++files}.json`);
  await writeFile(file, typeof bundle === "string" ? bundle : JSON.stringify(bundle, null, 2));
  const out: string[] = [];
  const code = await runCli(["verify", file, ...extra], { out: (l) => out.push(l), err: (l) => out.push(l) });
  return { code, out: out.join("\n") };
}

const flip = (hex: string) => (hex[0] === "0" ? "1" : "0") + hex.slice(1);

describe("switchboard verify", () => {
  it("accepts an intact bundle and says how much it checked", async () => {
    const result = await verify(await bundleOf(11));
    expect(result).toEqual({ code: 0, out: "OK: 11 receipts verified against checkpoint size 11" });
  });

  it("accepts a range that is not the whole log: proofs stand alone, the chain is checked where consecutive", async () => {
    expect((await verify(await bundleOf(20, [3, 4, 9, 19]))).out).toBe(
      "OK: 4 receipts verified against checkpoint size 20",
    );
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

  it("refuses a checkpoint whose JWS was changed, or that a pinned key did not sign", async () => {
    const bundle = await bundleOf(4);
    const [head, payload, signature] = bundle.checkpoint.jws.split(".");
    bundle.checkpoint.jws = `${head}.${payload}.${signature?.startsWith("A") ? "B" : "A"}${signature?.slice(1)}`;
    const tampered = await verify(bundle);
    expect(tampered.code).toBe(1);
    expect(tampered.out).toContain("FAIL bundle: checkpoint: the signature does not verify");

    const other = await createSigner([await generateSigningKey()]);
    const keysFile = join(dir, "pinned-jwks.json");
    await writeFile(keysFile, JSON.stringify(other.jwks()));
    const pinned = await verify(await bundleOf(4), "--keys", keysFile);
    expect(pinned.out).toContain("FAIL bundle: checkpoint: no public key with kid");
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
    const result = await verify(await bundleOf(5, [0, 1, 2]));
    expect(result.out).toContain("the export's own evidence.exported receipt is missing");
  });

  it("exits 2 on usage errors and files that are not JSON, 1 on a malformed bundle", async () => {
    expect(await runCli([], { out: () => {}, err: () => {} })).toBe(2);
    expect((await verify("{not json")).code).toBe(2);
    const malformed = await verify({ format: evidenceFormat, receipts: "nope" });
    expect(malformed).toMatchObject({ code: 1 });
    expect(malformed.out).toContain("the bundle is malformed");
  });
});
