/**
 * The Node ImportReader: a large file is read in a worker thread (thread.ts) while this
 * thread plans, so the two halves of a dry run use two cores. A thread reads one file and
 * is stopped (its heap goes with it); a warmed reader keeps one thread started ahead, so a
 * dry run does not wait ~0.3 s for one. Small files, and files that find `threads` threads
 * busy, are read inline. Imported only by the Node platform: Workers read inline.
 */
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { build } from "esbuild";
import { AppError, type ErrorCode } from "../../errors/app-error";
import {
  type ImportReader,
  type ReadItem,
  type ReadRequest,
  readItems,
} from "../../imports/framework/read-items";
import { type FromReader, piecesAhead, type SerializedError, type ToReader, unpackItems } from "./protocol";

export interface ThreadReaderOptions {
  /** Reader threads at most; 0 reads everything inline. */
  threads: number;
  /** Files smaller than this are read inline. */
  minBytes: number;
}

export interface ThreadReader {
  read: ImportReader;
  /** Keeps one thread started ahead from now on. */
  warm(): void;
  /** Stops the thread kept ahead; threads reading stop when their file is done. */
  close(): Promise<void>;
}

const threadFile = fileURLToPath(new URL("./thread.ts", import.meta.url));
let threadScript: Promise<string> | undefined;

/**
 * thread.ts and all it imports as one CommonJS script, bundled once per process: a thread
 * started from it needs no TypeScript loader, which would cost it a loader thread of its
 * own (~40 MB).
 */
function bundledThread(): Promise<string> {
  threadScript ??= build({
    entryPoints: [threadFile],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    write: false,
    logLevel: "error",
  }).then((result) => {
    const [output] = result.outputFiles;
    if (!output) throw new Error("bundling the import reader thread produced no output");
    return output.text;
  });
  return threadScript;
}

function revive(error: SerializedError): Error {
  if (error.app) return new AppError(error.code as ErrorCode, error.message, error.extras);
  const revived = new Error(`import reader thread: ${error.message}`);
  if (error.stack) revived.stack = error.stack;
  return revived;
}

/** A piece the thread may own: its own ArrayBuffer (a pooled Buffer is copied out first). */
const ownPiece = (piece: Uint8Array) =>
  piece.byteOffset === 0 && piece.byteLength === piece.buffer.byteLength ? piece : piece.slice();

/** One file read on `worker`, which this ends. */
async function* threadRun(
  worker: Worker,
  request: ReadRequest,
  bytes: ReadableStream<Uint8Array> | Uint8Array,
): AsyncGenerator<ReadItem[]> {
  const batches: ReadItem[][] = [];
  let done = false;
  let failure: Error | undefined;
  let credits = piecesAhead;
  let waiting: (() => void)[] = [];
  const wakeAll = () => {
    const resume = waiting;
    waiting = [];
    for (const wake of resume) wake();
  };
  const waitForThread = () => new Promise<void>((resolve) => waiting.push(resolve));
  const fail = (error: Error) => {
    failure ??= error;
    wakeAll();
  };
  const post = (message: ToReader, transfer: ArrayBuffer[] = []) => worker.postMessage(message, transfer);

  worker.on("message", (message: FromReader) => {
    if (message.type === "items") batches.push(unpackItems(message.items));
    else if (message.type === "more") credits += 1;
    else if (message.type === "done") done = true;
    else fail(revive(message.error));
    wakeAll();
  });
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`import reader thread exited with code ${code}`)));
  // Kept in the event loop while it works, so a process waiting on a dry run waits for it.
  worker.ref();

  const reader = bytes instanceof Uint8Array ? undefined : bytes.getReader();
  post({ type: "start", request, bytes: reader ? null : (bytes as Uint8Array) });
  const pump = async () => {
    if (!reader) return;
    try {
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        while (credits === 0 && !failure) await waitForThread();
        if (failure) return;
        credits -= 1;
        const piece = ownPiece(read.value);
        post({ type: "bytes", piece }, [piece.buffer as ArrayBuffer]);
      }
      post({ type: "end" });
    } catch (error) {
      fail(error instanceof Error ? error : new Error(String(error)));
    }
  };
  const pumping = pump();

  try {
    for (;;) {
      const items = batches.shift();
      if (items) {
        post({ type: "took" });
        yield items;
      } else if (failure) throw failure;
      else if (done) break;
      else await waitForThread();
    }
    await pumping;
    if (failure) throw failure;
  } finally {
    failure ??= new Error("the reading stopped");
    wakeAll();
    // Ends the pump too: a cancelled reader answers its pending read with done.
    await reader?.cancel().catch(() => undefined);
    await worker.terminate();
  }
}

export function createThreadReader(options: ThreadReaderOptions): ThreadReader {
  let running = 0;
  let ahead: Promise<Worker> | undefined;
  let warmed = false;
  let closed = false;

  /** Threads that stopped while waiting ahead (an error at start-up): never handed out. */
  const gone = new WeakSet<Worker>();
  const spawn = async () => {
    const worker = new Worker(await bundledThread(), { eval: true });
    worker.unref();
    worker.on("error", () => undefined); // reported to the run that uses it
    worker.once("exit", () => gone.add(worker));
    return worker;
  };
  const startAhead = () => {
    if (!warmed || closed || ahead) return;
    ahead = spawn();
    ahead.catch(() => {
      ahead = undefined;
    });
  };
  const take = async () => {
    const spare = await ahead?.catch(() => undefined);
    ahead = undefined;
    return spare && !gone.has(spare) ? spare : spawn();
  };

  async function* read(
    request: ReadRequest,
    bytes: ReadableStream<Uint8Array> | Uint8Array,
    size?: number,
  ): AsyncGenerator<ReadItem[]> {
    if (running >= options.threads || (size ?? Number.POSITIVE_INFINITY) < options.minBytes) {
      yield* readItems(request, bytes);
      return;
    }
    running += 1;
    try {
      yield* threadRun(await take(), request, bytes);
    } finally {
      running -= 1;
      startAhead();
    }
  }

  return {
    read,
    warm() {
      warmed = options.threads > 0;
      startAhead();
    },
    async close() {
      closed = true;
      const spare = ahead;
      ahead = undefined;
      await spare?.then((worker) => worker.terminate()).catch(() => undefined);
    },
  };
}
