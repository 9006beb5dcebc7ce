/**
 * A reader thread: `readItems` on the text the host sends, piece by piece, with the item
 * batches posted back. With `helped`, it hands the host some parsed CSV pieces to map
 * (the host's thread has time to spare while it plans), at most `helpAhead` at a time. Every
 * direction is credit-bounded (protocol.ts), so no side buffers more than a few pieces or
 * batches whatever the file's size.
 */
import { parentPort } from "node:worker_threads";
import { isAppError } from "../../errors/app-error";
import { type ReadHelper, type ReadRequest, readPieces } from "../../imports/framework/plan/read-items";
import {
  batchesAhead,
  type FromReader,
  helpAhead,
  packItems,
  type SerializedError,
  type ToReader,
} from "./protocol";
import { waiters } from "./waiters";

const port = parentPort;
if (!port) throw new Error("thread.ts runs as a worker thread");
const send = (message: FromReader) => port.postMessage(message);

const pieces: string[] = [];
let ended = false;
let unacknowledged = 0;
let handedOver = 0;
/** Whoever waits for the host (the text pieces, the batch loop) looks again after each message. */
const { wait: waitForHost, wakeAll } = waiters();

function serialize(error: unknown): SerializedError {
  if (isAppError(error)) {
    return { app: true, code: error.code, message: error.message, extras: { ...error.extras } };
  }
  const plain = error instanceof Error ? error : new Error(String(error));
  return plain.stack === undefined
    ? { app: false, message: plain.message }
    : { app: false, message: plain.message, stack: plain.stack };
}

/** One turn of the event loop: the host's messages (a piece mapped, a batch taken) are seen. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function* decoded(): AsyncGenerator<string> {
  for (;;) {
    // Before each piece: without it, a busy thread learns late that the host could take one.
    await turn();
    const piece = pieces.shift();
    if (piece !== undefined) {
      send({ type: "more" });
      yield piece;
    } else if (ended) return;
    else await waitForHost();
  }
}

/** Hands the host a parsed piece to map while it has fewer than `helpAhead` of them. */
function hostHelper(): ReadHelper {
  let seq = 0;
  return {
    offer(piece) {
      if (handedOver >= helpAhead) return undefined;
      handedOver += 1;
      send({ type: "help", seq, piece });
      return seq++;
    },
  };
}

async function serve(request: ReadRequest, helped: boolean) {
  try {
    const helper = helped ? hostHelper() : undefined;
    for await (const items of readPieces(request, { decoded: decoded() }, helper)) {
      while (unacknowledged >= batchesAhead) await waitForHost();
      unacknowledged += 1;
      send({ type: "items", items: packItems(items) });
    }
    send({ type: "done" });
  } catch (error) {
    send({ type: "error", error: serialize(error) });
  }
}

port.on("message", (message: ToReader) => {
  if (message.type === "start") void serve(message.request, message.helped === true);
  else if (message.type === "text") pieces.push(message.piece);
  else if (message.type === "end") ended = true;
  else if (message.type === "took") unacknowledged -= 1;
  else handedOver -= 1;
  wakeAll();
});
