import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import { fromHex, toHex } from "../../shared/receipts/hashing";
import { leafHash } from "../../shared/receipts/merkle";
import { appendToFrontier } from "../../shared/receipts/merkle-frontier";
import { genesisChain, nextChain, receiptDigest } from "../../shared/receipts/receipt-digest";

const N = 50000;
const f = (i: number) => ({
  tenant: "ten_0123456789abcdef",
  seq: i,
  id: "rcpt_" + "a".repeat(64),
  kind: "bench.appended",
  actor: "api_key:key_bench",
  subject: `item:${i}`,
  inputDigest: "b".repeat(64),
  outputDigest: null,
  decisionId: null,
  links: [`evt_${i}`],
  details: { i, note: "a typical receipt: a few ids and counts" },
  occurredAt: new Date().toISOString(),
});
const rows = Array.from({ length: N }, (_, i) => f(i));
const time = (label: string, fn: (r: any, i: number) => void) => {
  for (let k = 0; k < 2; k++) {
    const t = performance.now();
    rows.forEach(fn);
    if (k) console.log(label, (((performance.now() - t) * 1000) / N).toFixed(2), "µs");
  }
};
time("canonicalize", (r) => canonicalize(r));
time("JSON.stringify", (r) => JSON.stringify(r));
time("receiptDigest", (r) => receiptDigest(r));
let fr: Uint8Array[] = [];
let chain = genesisChain;
time("seal-ish", (r, i) => {
  const d = receiptDigest(r);
  const leaf = leafHash(fromHex(d));
  fr = appendToFrontier(fr, i, leaf);
  chain = nextChain(chain, d);
  toHex(leaf);
});
time("sha only", (r) => createHash("sha256").update("x".repeat(300)).digest("hex"));
