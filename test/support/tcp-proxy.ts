/**
 * A TCP proxy on loopback between the app and a server (Postgres, the S3 server) that a test
 * can cut: `sever()` resets every open connection and refuses new ones (each is reset as it
 * arrives, as a server that is restarting does), `restore()` lets connections through again.
 * The server behind it is never touched.
 */
import { once } from "node:events";
import { connect, createServer, type Socket } from "node:net";

export interface TcpProxy {
  /** The loopback port to point the app at. */
  readonly port: number;
  /** Connections accepted and passed through since the start. */
  readonly accepted: number;
  /** Connections open now. */
  readonly open: number;
  /** Connections refused (reset on arrival) while severed. */
  readonly refused: number;
  /** Bytes passed from the app to the server since the start. */
  readonly bytesUp: number;
  /** Resets every open connection (both sides) and refuses new ones until `restore()`. */
  sever(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  let severed = false;
  let accepted = 0;
  let refused = 0;
  let bytesUp = 0;

  const cut = (socket: Socket) => {
    if (!socket.destroyed) socket.resetAndDestroy();
  };

  const server = createServer((client) => {
    client.on("error", () => {});
    if (severed) {
      refused += 1;
      cut(client);
      return;
    }
    accepted += 1;
    const upstream = connect(target.port, target.host);
    upstream.on("error", () => {});
    const pair = { client, upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      if (!client.destroyed) client.destroy();
      if (!upstream.destroyed) upstream.destroy();
    };
    client.on("close", end);
    upstream.on("close", end);
    client.on("data", (data: Buffer) => {
      bytesUp += data.byteLength;
    });
    client.pipe(upstream);
    upstream.pipe(client);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (!address || typeof address !== "object") throw new Error("proxy: no address");

  return {
    port: address.port,
    get accepted() {
      return accepted;
    },
    get open() {
      return pairs.size;
    },
    get refused() {
      return refused;
    },
    get bytesUp() {
      return bytesUp;
    },
    sever() {
      severed = true;
      for (const { client, upstream } of pairs) {
        cut(client);
        upstream.destroy();
      }
      pairs.clear();
    },
    restore() {
      severed = false;
    },
    async close() {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
