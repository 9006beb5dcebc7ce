/**
 * The `switchboard` command line, separated from process handling so tests run
 * it in-process. Exit codes: 0 verified, 1 verification failed, 2 usage or I/O error.
 */
import { readFile } from "node:fs/promises";
import type { JsonWebKeyWithKid } from "../shared/platform/ports";
import { verifyEvidenceBundle } from "../shared/receipts/bundle-verify";

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const usage = `Usage: switchboard verify <bundle.json> [--keys <jwks.json>]

Verifies an evidence bundle offline: the checkpoint signature, every receipt's
digest, every inclusion proof and the hash chain. --keys pins the public keys
(a JWKS, e.g. saved from /.well-known/jwks.json) instead of trusting the bundle's own.`;

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, file, ...rest] = argv;
  if (command !== "verify" || !file || file.startsWith("-")) {
    io.err(usage);
    return 2;
  }
  const keysAt = rest.indexOf("--keys");
  const keysFile = keysAt >= 0 ? rest[keysAt + 1] : undefined;
  if ((keysAt >= 0 && !keysFile) || rest.length !== (keysAt >= 0 ? 2 : 0)) {
    io.err(usage);
    return 2;
  }
  let bundle: unknown;
  let keys: JsonWebKeyWithKid[] | undefined;
  try {
    bundle = await readJson(file);
    if (keysFile) keys = ((await readJson(keysFile)) as { keys?: JsonWebKeyWithKid[] }).keys ?? [];
  } catch (error) {
    io.err(`error: ${(error as Error).message}`);
    return 2;
  }
  const report = await verifyEvidenceBundle(bundle, { keys });
  if (report.ok) {
    io.out(`OK: ${report.receipts} receipts verified against checkpoint size ${report.treeSize}`);
    return 0;
  }
  for (const f of report.failures) {
    const what = f.receiptId
      ? `receipt ${f.receiptId}${f.seq !== undefined ? ` (seq ${f.seq})` : ""}`
      : "bundle";
    io.out(`FAIL ${what}: ${f.reason}`);
  }
  io.out(`FAILED: ${report.failures.length} problem(s) in ${file}`);
  return 1;
}

async function readJson(path: string): Promise<unknown> {
  const text = await readFile(path, "utf8").catch(() => {
    throw new Error(`cannot read ${path}`);
  });
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${path} is not JSON`);
  }
}
