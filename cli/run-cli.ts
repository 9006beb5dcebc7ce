/**
 * The `switchboard` command line, separated from process handling so tests run
 * it in-process. Exit codes: 0 verified, 1 verification failed, 2 usage or I/O error.
 */
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { JsonWebKeyWithKid } from "../shared/platform/ports";
import { type BundleKeys, verifyEvidenceBundle } from "../shared/receipts/bundle-verify";
import { isStreamHeader, verifyEvidenceStream } from "../shared/receipts/bundle-verify-stream";

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const usage = `Usage: switchboard verify <bundle.json|bundle.ndjson> (--keys <jwks.json> | --jwks-url <url> | --trust-embedded-keys)

Verifies an evidence bundle offline: the checkpoint signature, every receipt's
digest, every inclusion proof, the hash chain, and that the bundle holds every
receipt of the range its export receipt records. A streamed bundle (.ndjson)
is read line by line, its receipts hashed through the range proof to the
signed root, in memory that does not grow with the range. The signature is checked
against keys you supply: --keys a JWKS file (e.g. saved from the service's
/.well-known/jwks.json) or --jwks-url to fetch it. --trust-embedded-keys uses
the keys inside the bundle, which proves only that it is self-consistent:
anyone can sign a bundle with a key of their own.`;

const noKeys = `error: no keys to verify the checkpoint signature against.
Pass --keys <jwks.json> or --jwks-url <url> (the service's /.well-known/jwks.json).
--trust-embedded-keys checks the bundle against its own keys, which does not show who signed it.`;

const embeddedWarning =
  "warning: trusting the keys inside the bundle (--trust-embedded-keys): this shows the bundle is self-consistent, not that the service signed it; anyone can sign a bundle with a key of their own";

type KeySource = { keysFile: string } | { jwksUrl: string } | { embedded: true };

/** `undefined` on a usage error; `null` when no key source was given. */
function parseOptions(rest: string[]): KeySource | null | undefined {
  const sources: KeySource[] = [];
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    const value = rest[i + 1];
    if (flag === "--trust-embedded-keys") sources.push({ embedded: true });
    else if ((flag === "--keys" || flag === "--jwks-url") && value && !value.startsWith("-")) {
      sources.push(flag === "--keys" ? { keysFile: value } : { jwksUrl: value });
      i++;
    } else return undefined;
  }
  return sources.length > 1 ? undefined : (sources[0] ?? null);
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, file, ...rest] = argv;
  const source = parseOptions(rest);
  if (command !== "verify" || !file || file.startsWith("-") || source === undefined) {
    io.err(usage);
    return 2;
  }
  if (source === null) {
    io.err(noKeys);
    return 2;
  }
  let bundle: Bundle;
  let keys: BundleKeys;
  try {
    bundle = await openBundle(file);
    if ("embedded" in source) keys = { trustEmbeddedKeys: true };
    else if ("keysFile" in source)
      keys = { keys: jwksKeys(await readJson(source.keysFile), source.keysFile) };
    else keys = { keys: jwksKeys(await fetchJson(source.jwksUrl), source.jwksUrl) };
  } catch (error) {
    io.err(`error: ${(error as Error).message}`);
    return 2;
  }
  if ("trustEmbeddedKeys" in keys) io.err(embeddedWarning);
  const report =
    "lines" in bundle
      ? await verifyEvidenceStream(bundle.lines, keys)
      : await verifyEvidenceBundle(bundle.json, keys);
  if (report.ok) {
    const trust = report.keySource === "embedded" ? " (keys from the bundle itself, not authenticated)" : "";
    io.out(`OK: ${report.receipts} receipts verified against checkpoint size ${report.treeSize}${trust}`);
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

type Bundle = { lines: AsyncIterable<string> } | { json: unknown };

/** A streamed bundle (its first line a v2 header) is read line by line; any other file as one JSON document. */
async function openBundle(path: string): Promise<Bundle> {
  await stat(path).catch(() => {
    throw new Error(`cannot read ${path}`);
  });
  const reader = createInterface({
    input: createReadStream(path, "utf8"),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  const lines = reader[Symbol.asyncIterator]();
  const first = await lines.next();
  if (!first.done && isStreamHeader(first.value)) {
    async function* all(head: string): AsyncGenerator<string> {
      yield head;
      for (let next = await lines.next(); !next.done; next = await lines.next()) yield next.value;
    }
    return { lines: all(first.value) };
  }
  reader.close();
  return { json: await readJson(path) };
}

function jwksKeys(value: unknown, from: string): JsonWebKeyWithKid[] {
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new Error(`${from} is not a JWKS (no "keys" array)`);
  return keys as JsonWebKeyWithKid[];
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

async function fetchJson(url: string): Promise<unknown> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${url} is not a URL`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:")
    throw new Error(`${url} is not an http(s) URL`);
  const res = await fetch(parsed, { redirect: "error", signal: AbortSignal.timeout(10_000) }).catch(
    (error: Error) => {
      throw new Error(`cannot fetch ${url}: ${error.message}`);
    },
  );
  if (!res.ok) throw new Error(`cannot fetch ${url}: HTTP ${res.status}`);
  try {
    return await res.json();
  } catch {
    throw new Error(`${url} did not answer JSON`);
  }
}
