/**
 * The outbound client against real HTTP servers on 127.0.0.1: names are checked after DNS and
 * the socket connects only to the checked address; redirects are refused; a long answer is cut
 * at the cap while it is read; a slow server is timed out. The Node adapter and the fetch-based
 * (Workers) adapter keep the same contract where both can be tried.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OutboundError } from "../../shared/platform/outbound";
import { createFetchOutbound } from "../../shared/platform/outbound-fetch";
import { createNodeOutbound, type Resolve } from "../../shared/platform/outbound-node";
import type { Outbound } from "../../shared/platform/ports";

let server: Server;
let port: number;
let hits = 0;
const bigBytes = 1024 * 1024;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    if (req.url === "/redirect") {
      res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
    } else if (req.url === "/big") {
      res.writeHead(200, { "content-type": "text/plain" });
      // 1 MB in 16 KB writes: the client must stop reading long before the end.
      const piece = "x".repeat(16 * 1024);
      let sent = 0;
      const write = () => {
        while (sent < bigBytes) {
          sent += piece.length;
          if (!res.write(piece)) return void res.once("drain", write);
        }
        res.end();
      };
      write();
    } else if (req.url === "/slow") {
      res.writeHead(200);
      res.write("first bytes");
      // never ends
    } else if (req.url === "/host") {
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ host: req.headers.host }));
    } else {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const get = (client: Outbound, url: string, options: { timeoutMs?: number; maxBytes?: number } = {}) =>
  client.request({ url, timeoutMs: options.timeoutMs ?? 2_000, maxBytes: options.maxBytes ?? 64 * 1024 });

async function failure(promise: Promise<unknown>): Promise<OutboundError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OutboundError);
  return error as OutboundError;
}

describe("node outbound: addresses after DNS", () => {
  it("a name resolving to 127.0.0.1 (localhost) is refused without OUTBOUND_ALLOW_LOOPBACK; the server sees nothing", async () => {
    const before = hits;
    // The URL check alone refuses `localhost`; a resolver that says "127.0.0.1" for any name
    // shows the check after DNS.
    const toLoopback: Resolve = async () => [{ address: "127.0.0.1", family: 4 }];
    const strict = createNodeOutbound({ allowLoopback: false, resolve: toLoopback });
    const error = await failure(get(strict, `https://executor.partner.example:${port}/`));
    expect(error.failure).toBe("refused");
    expect(error.message).toContain("127.0.0.1 is a loopback address");
    expect(
      (await failure(get(createNodeOutbound({ allowLoopback: false }), `http://localhost:${port}/`))).failure,
    ).toBe("refused");
    expect(hits).toBe(before);
  });

  it("the same loopback server answers when OUTBOUND_ALLOW_LOOPBACK is set (and the system resolver is used)", async () => {
    const dev = createNodeOutbound({ allowLoopback: true });
    const res = await get(dev, `http://localhost:${port}/host`);
    expect(res.status).toBe(200);
    expect(JSON.parse(new TextDecoder().decode(res.body))).toEqual({ host: `localhost:${port}` });
  });

  it("a name resolving to 10.x, 169.254.169.254 or an IPv4-mapped private address is refused, even with loopback allowed", async () => {
    for (const address of ["10.0.0.7", "169.254.169.254", "100.64.0.1", "::ffff:192.168.0.1", "fd00::1"]) {
      const resolve: Resolve = async () => [{ address, family: address.includes(":") ? 6 : 4 }];
      const client = createNodeOutbound({ allowLoopback: true, resolve });
      const error = await failure(get(client, "https://internal.partner.example/"));
      expect(error.failure).toBe("refused");
      expect(error.message).toContain(address === "::ffff:192.168.0.1" ? "private" : address);
    }
  });

  it("every address of a name is checked: one public and one private address is refused", async () => {
    const resolve: Resolve = async () => [
      { address: "93.184.216.34", family: 4 },
      { address: "10.0.0.7", family: 4 },
    ];
    const error = await failure(
      get(createNodeOutbound({ allowLoopback: false, resolve }), "https://mixed.example/"),
    );
    expect(error.message).toContain("10.0.0.7 is a private address");
  });

  it("the socket connects to the address that was checked, resolved once (no second lookup to rebind)", async () => {
    let lookups = 0;
    // A rebinding resolver: public-looking loopback the first time (allowed here), 10.x after.
    const resolve: Resolve = async () =>
      ++lookups === 1 ? [{ address: "127.0.0.1", family: 4 }] : [{ address: "10.0.0.7", family: 4 }];
    const client = createNodeOutbound({ allowLoopback: true, resolve });
    const res = await get(client, `http://rebind.localhost:${port}/host`);
    expect(res.status).toBe(200);
    expect(lookups).toBe(1);
    // The Host header (and SNI for https) is the URL's name, not the address.
    expect(JSON.parse(new TextDecoder().decode(res.body))).toEqual({ host: `rebind.localhost:${port}` });
  });

  it("literal private and metadata addresses are refused before any connection", async () => {
    const client = createNodeOutbound({ allowLoopback: true });
    for (const url of [
      "https://10.1.2.3/",
      "https://169.254.169.254/latest/meta-data/",
      "https://[fc00::1]/",
    ]) {
      expect((await failure(get(client, url))).failure).toBe("refused");
    }
  });
});

const adapters: [string, (allowLoopback?: boolean) => Outbound][] = [
  ["node", (allowLoopback = true) => createNodeOutbound({ allowLoopback })],
  ["fetch (Workers)", (allowLoopback = true) => createFetchOutbound({ allowLoopback })],
];

describe.each(adapters)("%s outbound: redirects, size cap, timeouts", (_name, make) => {
  it("a redirect is an error, never followed", async () => {
    const before = hits;
    const error = await failure(get(make(), `http://127.0.0.1:${port}/redirect`));
    expect(error.failure).toBe("redirect");
    expect(error.message).toContain("302");
    expect(hits).toBe(before + 1);
  });

  it("an oversized answer is cut at the cap while it is read", async () => {
    const res = await get(make(), `http://127.0.0.1:${port}/big`, { maxBytes: 1000 });
    expect(res.status).toBe(200);
    expect(res.truncated).toBe(true);
    expect(res.body.byteLength).toBe(1000);
    const small = await get(make(), `http://127.0.0.1:${port}/`, { maxBytes: 1000 });
    expect([small.truncated, new TextDecoder().decode(small.body)]).toEqual([false, "ok"]);
  });

  it("a server that never finishes its answer is timed out", async () => {
    const started = Date.now();
    const error = await failure(get(make(), `http://127.0.0.1:${port}/slow`, { timeoutMs: 300 }));
    expect(error.failure).toBe("timeout");
    expect(error.message).toBe("timed out after 300 ms");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("loopback is refused by the same adapter without the setting", async () => {
    const before = hits;
    expect((await failure(get(make(false), `http://127.0.0.1:${port}/`))).failure).toBe("refused");
    expect((await failure(get(make(false), `https://[::1]:${port}/`))).failure).toBe("refused");
    expect(hits).toBe(before);
  });
});

describe("node outbound: connect timeout", () => {
  it("a destination that does not accept the connection is timed out at the connect timeout", async () => {
    // 203.0.113.0/24 is documentation space (refused); a public address that drops SYNs is
    // not available offline, so the connect phase is bounded through a resolver that hangs.
    const resolve: Resolve = () => new Promise(() => undefined);
    const client = createNodeOutbound({ allowLoopback: false, resolve });
    const started = Date.now();
    const error = await failure(
      client.request({
        url: "https://blackhole.example/",
        timeoutMs: 5_000,
        connectTimeoutMs: 200,
        maxBytes: 10,
      }),
    );
    expect(error.failure).toBe("connect_timeout");
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
