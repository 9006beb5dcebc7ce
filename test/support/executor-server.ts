/**
 * A partner's command executor on 127.0.0.1: a real node:http server that verifies each
 * request body (a compact JWS) against the app's JWKS, as a partner would with
 * /.well-known/jwks.json, then answers as scripted (status, or hang past the timeout).
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from "jose";

export interface ExecutorCall {
  verified: boolean;
  typ?: string;
  payload?: Record<string, unknown>;
  error?: string;
  headers: IncomingMessage["headers"];
}

export type Script = (call: ExecutorCall, n: number) => { status: number; body?: unknown } | "hang";

export async function startExecutor(
  jwks: () => Promise<JSONWebKeySet>,
  script: Script = () => ({ status: 200 }),
) {
  const calls: ExecutorCall[] = [];
  let current = script;
  const hanging = new Set<() => void>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const call: ExecutorCall = { verified: false, headers: req.headers };
    try {
      const { payload, protectedHeader } = await compactVerify(
        Buffer.concat(chunks).toString("utf8"),
        createLocalJWKSet(await jwks()),
      );
      Object.assign(call, {
        verified: true,
        typ: protectedHeader.typ,
        payload: JSON.parse(new TextDecoder().decode(payload)),
      });
    } catch (error) {
      call.error = String(error);
    }
    calls.push(call);
    const answer = call.verified ? current(call, calls.length) : { status: 401, body: { error: call.error } };
    if (answer === "hang") {
      const end = () => res.destroy();
      hanging.add(end);
      res.on("close", () => hanging.delete(end));
      return;
    }
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(JSON.stringify(answer.body ?? { status: answer.status < 300 ? "succeeded" : "error" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/commands`,
    calls,
    script(next: Script) {
      current = next;
    },
    async close() {
      for (const end of hanging) end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
