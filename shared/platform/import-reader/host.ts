/**
 * The Node ImportReader: a large file is read in a worker thread (thread.ts) while this
 * thread plans, so the two halves of a dry run use two cores; this thread also maps the
 * parsed CSV pieces the reader hands it, as they arrive, with time it would otherwise wait.
 * A thread is started for one file and stopped after it, so no memory stays behind;
 * starting one takes ~0.15 s, so `prepare` starts it while the file is still being hashed.
 * Small files, and files that find `threads` threads busy, are read inline. Imported only
 * by the Node platform: Workers read inline.
 */
import { Worker } from "node:worker_threads";
import { AppError, type ErrorCode } from "../../errors/app-error";
import {
  type HelpedItem,
  type ImportReader,
  type Piece,
  pieceReader,
  type ReadItem,
  type ReadRequest,
  readItems,
} from "../../imports/framework/plan/read-items";
import { textChunks } from "../../imports/read/text";
import { type FromReader, piecesAhead, type SerializedError, type ToReader, unpackItems } from "./protocol";
import { threadScript } from "./thread-script";
import { waiters } from "./waiters";

export interface ThreadReaderOptions {
  /** Reader threads at most; 0 reads everything inline. */
  threads: number;
  /** Files smaller than this are read inline. */
  minBytes: number;
  /** How long a thread started ahead of a read (`prepare`) waits for it; 10 s by default. */
  preparedForMs?: number;
}

export interface ThreadReader extends ImportReader {
  prepare(size: number): void;
  /** Threads reading, or started ahead of a read and waiting for it. */
  readonly running: number;
  /**
   * Gets the thread's script ready now (the built one beside a built server; from source,
   * ~0.3 s of CPU bundling it), so the first large dry run does not; settles when it is
   * done (a failure shows on the first threaded read).
   */
  warm(): Promise<void>;
}

function revive(error: SerializedError): Error {
  if (error.app) return new AppError(error.code as ErrorCode, error.message, error.extras);
  const revived = new Error(`import reader thread: ${error.message}`);
  if (error.stack) revived.stack = error.stack;
  return revived;
}

/** One file read on `worker`, which this ends. */
async function* threadRun(
  worker: Worker,
  request: ReadRequest,
  bytes: ReadableStream<Uint8Array> | Uint8Array,
): AsyncGenerator<ReadItem[]> {
  const batches: (ReadItem | HelpedItem)[][] = [];
  /**
   * The items of the pieces handed over, by number: each is mapped as it arrives (this
   * thread would otherwise wait for the reader); its items wait here until their place
   * comes, and only then may the reader hand over one more, so at most `helpAhead` wait.
   */
  const handed = new Map<number, ReadItem[]>();
  let readPiece: ((piece: Piece) => ReadItem[]) | undefined;
  let done = false;
  let failure: Error | undefined;
  let credits = piecesAhead;
  const { wait: waitForThread, wakeAll } = waiters();
  const fail = (error: Error) => {
    failure ??= error;
    wakeAll();
  };
  const post = (message: ToReader) => worker.postMessage(message);
  const help = (seq: number, piece: Piece) => {
    if (failure) return;
    try {
      readPiece ??= pieceReader(request, piece.layout);
      handed.set(seq, readPiece(piece));
    } catch (error) {
      fail(error instanceof Error ? error : new Error(String(error)));
    }
  };

  worker.on("message", (message: FromReader) => {
    if (message.type === "items") batches.push(unpackItems(message.items));
    else if (message.type === "help") help(message.seq, message.piece);
    else if (message.type === "more") credits += 1;
    else if (message.type === "done") done = true;
    else fail(revive(message.error));
    wakeAll();
  });
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`import reader thread exited with code ${code}`)));

  post({ type: "start", request, helped: true });
  const pump = async () => {
    try {
      for await (const piece of textChunks(bytes, request.limits)) {
        while (credits === 0 && !failure) await waitForThread();
        if (failure) return;
        credits -= 1;
        post({ type: "text", piece });
      }
      post({ type: "end" });
    } catch (error) {
      fail(error instanceof Error ? error : new Error(String(error)));
    }
  };
  const pumping = pump();

  /** The batch with each handed-over piece's items in its place. */
  const resolved = (items: (ReadItem | HelpedItem)[]): ReadItem[] => {
    if (!items.some((item) => "helped" in item)) return items as ReadItem[];
    const out: ReadItem[] = [];
    for (const item of items) {
      if (!("helped" in item)) {
        out.push(item);
        continue;
      }
      // The thread posts a piece before the batch that holds its place: it is here.
      const mapped = handed.get(item.helped);
      if (!mapped)
        throw failure ?? new Error(`import reader thread: piece ${item.helped} was never handed over`);
      handed.delete(item.helped);
      post({ type: "helped" });
      for (const one of mapped) out.push(one);
    }
    return out;
  };

  try {
    for (;;) {
      const items = batches.shift();
      if (items) {
        post({ type: "took" });
        yield resolved(items);
      } else if (failure) throw failure;
      else if (done) break;
      else await waitForThread();
    }
    await pumping;
    if (failure) throw failure;
  } finally {
    failure ??= new Error("the reading stopped");
    wakeAll();
    // The pump sees the failure and stops, releasing the source (byteChunks cancels its reader).
    await pumping;
    await worker.terminate();
  }
}

async function startThread(): Promise<Worker> {
  const worker = new Worker(await threadScript(), {
    eval: true,
    // A young generation this size keeps the thread's collector fast and its memory small.
    resourceLimits: { maxYoungGenerationSizeMb: 16 },
  });
  // Until a read listens: a thread that fails to start has exited by then, and is replaced.
  worker.on("error", () => undefined);
  return worker;
}

export function createThreadReader(options: ThreadReaderOptions): ThreadReader {
  /** Threads reading or started ahead of a read. */
  let running = 0;
  const ready: { worker: Promise<Worker>; timer: ReturnType<typeof setTimeout> }[] = [];
  const large = (size: number | undefined) => (size ?? Number.POSITIVE_INFINITY) >= options.minBytes;

  async function* read(
    request: ReadRequest,
    bytes: ReadableStream<Uint8Array> | Uint8Array,
    size?: number,
  ): AsyncGenerator<ReadItem[]> {
    const prepared = large(size) ? ready.shift() : undefined;
    if (prepared) clearTimeout(prepared.timer);
    else if (running >= options.threads || !large(size)) {
      yield* readItems(request, bytes);
      return;
    } else running += 1;
    try {
      let worker = await (prepared?.worker ?? startThread());
      worker.ref();
      // A thread that exited while it waited (threadId -1) is replaced.
      if (worker.threadId < 0) worker = await startThread();
      yield* threadRun(worker, request, bytes);
    } finally {
      running -= 1;
    }
  }

  return {
    read,
    get running() {
      return running;
    },
    prepare(size) {
      if (!large(size) || running >= options.threads) return;
      running += 1;
      // Waiting, it keeps no process alive; a failure to start shows on the read that takes it.
      const worker = startThread().then((started) => {
        started.unref();
        return started;
      });
      worker.catch(() => undefined);
      const entry = {
        worker,
        timer: setTimeout(() => {
          ready.splice(ready.indexOf(entry), 1);
          running -= 1;
          void worker.then((unused) => unused.terminate()).catch(() => undefined);
        }, options.preparedForMs ?? 10_000).unref(),
      };
      ready.push(entry);
    },
    async warm() {
      if (options.threads > 0) await threadScript().catch(() => undefined);
    },
  };
}
