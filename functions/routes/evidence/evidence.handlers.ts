import type { RouteHandler } from "@hono/zod-openapi";
import { exportEvidence } from "../../../shared/receipts/evidence";
import { exportEvidenceStream } from "../../../shared/receipts/evidence-stream";
import type { AppEnv } from "../../app-env";
import type { exportEvidenceRoute } from "./evidence.routes";

const date = (value: string | undefined) => (value === undefined ? undefined : new Date(value));

export const getEvidence: RouteHandler<typeof exportEvidenceRoute, AppEnv> = async (c) => {
  const { from, to } = c.req.valid("query");
  const idempotencyKey = c.req.valid("header")["idempotency-key"];
  const input = { from: date(from), to: date(to), idempotencyKey, requestId: c.get("requestId") };
  if (c.req.header("accept")?.includes(ndjson)) {
    const { header, lines } = await exportEvidenceStream({ ctx: c.get("tenantCtx"), input });
    const body = streamOf(lines);
    c.set("bodyDone", body.done);
    c.header("content-type", ndjson);
    c.header(
      "content-disposition",
      `attachment; filename="evidence-${header.tenant.slug}-${header.checkpoint.treeSize}.ndjson"`,
    );
    return c.body(body.stream, 200) as never;
  }
  const bundle = await exportEvidence({ ctx: c.get("tenantCtx"), input });
  c.header(
    "content-disposition",
    `attachment; filename="evidence-${bundle.tenant.slug}-${bundle.checkpoint.treeSize}.json"`,
  );
  return c.json(bundle, 200);
};

const ndjson = "application/x-ndjson";

/** The lines as a byte stream, pulled as the client reads; `done` settles when it ends or is cancelled. */
function streamOf(lines: AsyncGenerator<string>) {
  const encoder = new TextEncoder();
  let finish = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await lines.next();
        if (next.done) {
          controller.close();
          finish();
        } else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        controller.error(error);
        finish();
      }
    },
    async cancel() {
      await lines.return(undefined);
      finish();
    },
  });
  return { stream, done };
}
