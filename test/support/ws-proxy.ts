/**
 * A WebSocket→TCP proxy for the Neon serverless driver, as Neon documents for
 * local development: the driver opens `ws://<proxy>/v2?address=<host>:<port>`
 * and sends raw Postgres protocol bytes in binary frames; the proxy pipes them
 * to that TCP address and back. No TLS on either side (the driver is configured
 * with useSecureWebSocket=false, pipelineTLS=false, pipelineConnect=false).
 */
import { once } from "node:events";
import { type AddressInfo, connect, type Socket } from "node:net";
import { type RawData, WebSocketServer } from "ws";

export interface WsProxy {
  /** `127.0.0.1:<port>`: the value for NEON_WS_PROXY / neonConfig.wsProxy. */
  host: string;
  close(): Promise<void>;
}

function target(url: string | undefined): { host: string; port: number } | null {
  const address = new URL(url ?? "/", "ws://proxy").searchParams.get("address");
  const match = address ? /^(.+):(\d{1,5})$/.exec(address) : null;
  if (!match?.[1] || !match[2]) return null;
  return { host: match[1].replace(/^\[|\]$/g, ""), port: Number(match[2]) };
}

const toBuffer = (data: RawData): Buffer =>
  Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);

/**
 * Starts on 127.0.0.1, port chosen by the OS. `allowPorts` limits which TCP
 * ports may be reached (default: any), so a test proxy is not an open relay.
 */
export async function startWsProxy(options: { allowPorts?: number[] } = {}): Promise<WsProxy> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false });
  const sockets = new Set<Socket>();
  await once(server, "listening");

  server.on("connection", (ws, request) => {
    const to = target(request.url);
    if (!to || (options.allowPorts && !options.allowPorts.includes(to.port))) {
      ws.close(1008, "expected ?address=<host>:<port> of an allowed server");
      return;
    }
    const tcp = connect({ host: to.host, port: to.port });
    tcp.setNoDelay(true);
    sockets.add(tcp);
    // Writes before the TCP connection is up are buffered by the socket.
    ws.on("message", (data) => tcp.write(toBuffer(data)));
    ws.on("close", () => tcp.end());
    ws.on("error", () => tcp.destroy());
    tcp.on("data", (chunk) => ws.send(chunk, { binary: true }));
    tcp.on("close", () => {
      sockets.delete(tcp);
      ws.close();
    });
    tcp.on("error", () => ws.terminate());
  });

  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    close: async () => {
      for (const client of server.clients) client.terminate();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
