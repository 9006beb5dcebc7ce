/**
 * Seeds a tenant's receipt log of any size fast, for `bench:proofs` and the workers
 * tier: well-formed receipts (digest, leaf, chain as an append computes them),
 * streamed by COPY in pieces, the head row with its frontier, and then the tree
 * nodes built by the same paged pass that builds them for a log from before the
 * stored tree (`ensureTreeStored`). Bounded memory whatever the size.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Database } from "../../shared/db/client";
import { fromHex, type Hash, jsonDigest, toHex } from "../../shared/receipts/hashing";
import { leafHash } from "../../shared/receipts/merkle";
import { appendToFrontier, frontierRoot } from "../../shared/receipts/merkle-frontier";
import { genesisChain, nextChain, receiptDigest } from "../../shared/receipts/receipt-digest";
import { receiptId } from "../../shared/receipts/receipt-id";
import { ensureTreeStored } from "../../shared/receipts/tree/tree-backfill";

const columns =
  "tenant_id, seq, id, kind, actor, subject, input_digest, output_digest, decision_id, links, details, occurred_at, digest, leaf_hash, chain";

export interface SeededLog {
  size: number;
  rootHash: string;
  /** Receipt ids by seq are `idAt(seq)`. */
  idAt(seq: number): string;
  /** Seconds spent writing rows, and building the tree. */
  rowsSeconds: number;
  treeSeconds: number;
}

export async function seedReceiptLog(input: {
  url: string;
  db: Database;
  tenantId: string;
  size: number;
  /** Reports progress now and then. */
  onProgress?: (seq: number) => void;
}): Promise<SeededLog> {
  const { tenantId, size } = input;
  const started = Date.now();
  const idAt = (seq: number) =>
    receiptId({
      tenant: tenantId,
      kind: "bench.seeded",
      subject: `item:${seq}`,
      inputDigest: inputDigestOf(seq),
    });
  let chain = genesisChain;
  let frontier: Hash[] = [];
  const at = new Date("2030-01-01T00:00:00.000Z").getTime();
  function* lines(): Generator<string> {
    for (let seq = 0; seq < size; seq++) {
      const occurredAt = new Date(at + seq * 10).toISOString();
      const fields = {
        tenant: tenantId,
        seq,
        id: idAt(seq),
        kind: "bench.seeded",
        actor: "api_key:key_seed",
        subject: `item:${seq}`,
        inputDigest: inputDigestOf(seq),
        outputDigest: null,
        decisionId: null,
        links: [`evt_${seq}`],
        details: { seq, note: "seeded" },
        occurredAt,
      };
      const digest = receiptDigest(fields);
      const leaf = leafHash(fromHex(digest));
      frontier = appendToFrontier(frontier, seq, leaf);
      chain = nextChain(chain, digest);
      yield `${tenantId}\t${seq}\t${fields.id}\t${fields.kind}\t${fields.actor}\t${fields.subject}\t${fields.inputDigest}\t\\N\t\\N\t${JSON.stringify(fields.links)}\t${JSON.stringify(fields.details)}\t${occurredAt}\t${digest}\t${toHex(leaf)}\t${chain}\n`;
      if (seq % 100_000 === 99_999) input.onProgress?.(seq + 1);
    }
  }
  function* pieces(): Generator<string> {
    let piece = "";
    for (const line of lines()) {
      piece += line;
      if (piece.length > 256 * 1024) {
        yield piece;
        piece = "";
      }
    }
    if (piece) yield piece;
  }
  const client = new pg.Client({ connectionString: input.url });
  await client.connect();
  try {
    await client.query("begin");
    await pipeline(Readable.from(pieces()), client.query(copyFrom(`copy receipts (${columns}) from stdin`)));
    const rootHash = toHex(frontierRoot(frontier));
    await client.query(
      `insert into receipt_logs (tenant_id, size, chain, frontier, root_hash, tree_missing_below, updated_at)
       values ($1, $2, $3, $4::jsonb, $5, $2, now())
       on conflict (tenant_id) do update set size = excluded.size, chain = excluded.chain, frontier = excluded.frontier,
         root_hash = excluded.root_hash, tree_missing_below = excluded.tree_missing_below, updated_at = excluded.updated_at`,
      [tenantId, size, chain, JSON.stringify(frontier.map(toHex)), rootHash],
    );
    await client.query("commit");
    await client.query("analyze receipts");
    const rowsSeconds = (Date.now() - started) / 1000;
    const treeStarted = Date.now();
    await ensureTreeStored(input.db, tenantId);
    await client.query("analyze receipt_tree_nodes");
    return { size, rootHash, idAt, rowsSeconds, treeSeconds: (Date.now() - treeStarted) / 1000 };
  } finally {
    await client.end();
  }
}

const inputDigestOf = (seq: number) => jsonDigest({ seq });
