import { bodyLimit } from "hono/body-limit";
import { AppError } from "../../shared/errors/app-error";

/** Refuses bodies over `maxBytes` (by Content-Length, or while streaming) with a 413 problem. */
export function limitBody(maxBytes: number) {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new AppError("payload_too_large", `The request body is over the limit of ${maxBytes} bytes.`, {
        limit: maxBytes,
      });
    },
  });
}
