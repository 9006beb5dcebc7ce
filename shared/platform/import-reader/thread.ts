/**
 * A reader thread: `readItems` on the text the host sends, piece by piece, with the item
 * batches posted back. Both directions are credit-bounded (protocol.ts), so neither side
 * buffers more than a few pieces or batches whatever the file's size.
 */
import { parentPort } from "node:worker_threads";
import { isAppError } from "../../errors/app-error";
import { type ReadRequest, readItems } from "../../imports/framework/read-items";
import { batchesAhead, type FromReader, packItems, type SerializedError, type ToReader } from "./protocol";
import { waiters } from "./waiters";

const port = parentPort;
if (!port) throw new Error("thread.ts runs as a worker thread");
const send = (message: FromReader) => port.postMessage(message);

const pieces: string[] = [];
let ended = false;
let unacknowledged = 0;
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

async function* decoded(): AsyncGenerator<string> {
  for (;;) {
    const piece = pieces.shift();
    if (piece !== undefined) {
      send({ type: "more" });
      yield piece;
    } else if (ended) return;
    else await waitForHost();
  }
}

async function serve(request: ReadRequest) {
  try {
    for await (const items of readItems(request, { decoded: decoded() })) {
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
  if (message.type === "start") void serve(message.request);
  else if (message.type === "text") pieces.push(message.piece);
  else if (message.type === "end") ended = true;
  else unacknowledged -= 1;
  wakeAll();
});
