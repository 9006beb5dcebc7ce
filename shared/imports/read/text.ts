/**
 * Bytes → text, incrementally: counts bytes against the limit and decodes strict UTF-8
 * (an invalid sequence is a file-level `invalid_encoding`, never U+FFFD silently stored).
 * A leading byte-order mark stays in the text, so that text and bytes keep the same
 * offsets; the readers drop it. Web APIs only (runs in Workers).
 */
import type { ImportLimits } from "../limits";
import { importProblem } from "./problems";

/**
 * At most this many bytes are decoded and parsed at once, whatever size the input comes in:
 * V8 makes a string of a megabyte (a large object) some thirty times slower per byte than
 * one of 64 KiB.
 */
const SLICE = 64 * 1024;

export async function* byteChunks(
  input: ReadableStream<Uint8Array> | Uint8Array,
): AsyncGenerator<Uint8Array> {
  if (input instanceof Uint8Array) {
    for (let offset = 0; offset < input.byteLength; offset += SLICE) {
      yield input.subarray(offset, offset + SLICE);
    }
    return;
  }
  const reader = input.getReader();
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        return;
      }
      // Large pieces are decoded and parsed in slices, as an in-memory input is.
      for (let offset = 0; offset < next.value.byteLength; offset += SLICE) {
        yield next.value.subarray(offset, offset + SLICE);
      }
    }
  } finally {
    // The consumer stopped early (a file-level problem or a break): release the source.
    if (!done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

const encodingHint =
  "Save or export the file as UTF-8 (in Excel: “CSV UTF-8 (Comma delimited)”; in Google Sheets: File → Download → CSV).";

function invalidEncoding(offset: number) {
  return importProblem("invalid_encoding", `The file is not valid UTF-8 (near byte ${offset}).`, {
    hint: encodingHint,
  });
}

function binaryContent(offset: number) {
  return importProblem(
    "invalid_encoding",
    `The file contains a NUL character (near byte ${offset}); it looks binary.`,
    {
      hint: `A spreadsheet (.xlsx) or a compressed file is not accepted. ${encodingHint}`,
    },
  );
}

export function tooLarge(limit: number) {
  return importProblem("file_too_large", `The file is larger than ${limit} bytes.`, {
    status: "payload_too_large",
    limit,
    hint: "Split the file, or upload it through a presigned URL if it is under the upload limit.",
  });
}

/**
 * A file already decoded by `textChunks` elsewhere (the Node reader decodes in the planning
 * thread and hands the reader thread text): its size and encoding were checked there.
 */
export interface DecodedText {
  readonly decoded: AsyncIterable<string>;
}

/** What an importer reads: the file's bytes, whole or streamed, or its text decoded already. */
export type ImportBytes = ReadableStream<Uint8Array> | Uint8Array | DecodedText;

/** Decoded text pieces, in order. Throws file-level problems for size and encoding. */
export async function* textChunks(
  input: ImportBytes,
  limits: Pick<ImportLimits, "maxBytes">,
): AsyncGenerator<string> {
  if ("decoded" in input) {
    yield* input.decoded;
    return;
  }
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let total = 0;
  for await (const chunk of byteChunks(input)) {
    const offset = total;
    total += chunk.byteLength;
    if (total > limits.maxBytes) throw tooLarge(limits.maxBytes);
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw invalidEncoding(offset);
    }
    if (text.includes("\u0000")) throw binaryContent(offset);
    if (text.length > 0) yield text;
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch {
    throw invalidEncoding(total);
  }
  if (rest.length > 0) yield rest;
}

/** The whole input as one string, for formats parsed as one document (JSON, YAML). */
export async function readText(
  input: ImportBytes,
  limits: Pick<ImportLimits, "maxBytes" | "maxDocumentBytes">,
): Promise<string> {
  const parts: string[] = [];
  const maxBytes = Math.min(limits.maxBytes, limits.maxDocumentBytes);
  for await (const text of textChunks(input, { maxBytes })) parts.push(text);
  const text = parts.join("");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
