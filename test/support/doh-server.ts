/**
 * A real DNS-over-HTTPS resolver for tests, on loopback: the JSON API
 * (`GET ?name=…&type=TXT`, `accept: application/dns-json`) as Cloudflare and Google answer it,
 * serving TXT records the test publishes. Unknown names are NXDOMAIN; `failing(true)` makes it
 * answer SERVFAIL, as a resolver that cannot reach the zone does.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type DohServer = Awaited<ReturnType<typeof startDohServer>>;

/** Zone-file form of one TXT record: quoted character-strings of at most 255 bytes. */
function zoneText(value: string): string {
  const parts = value.match(/[\s\S]{1,255}/g) ?? [""];
  return parts.map((p) => `"${p.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(" ");
}

export async function startDohServer() {
  const txt = new Map<string, string[]>();
  const queries: string[] = [];
  let failing = false;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://doh.test");
    const name = (url.searchParams.get("name") ?? "").toLowerCase().replace(/\.$/, "");
    const type = url.searchParams.get("type");
    if (url.pathname !== "/dns-query" || req.method !== "GET" || !name || type !== "TXT") {
      res.writeHead(400, { "content-type": "application/json" }).end('{"error":"bad query"}');
      return;
    }
    if (req.headers.accept !== "application/dns-json") {
      res.writeHead(415).end();
      return;
    }
    queries.push(name);
    const question = [{ name, type: 16 }];
    const records = txt.get(name);
    const body = failing
      ? { Status: 2, Question: question }
      : records
        ? {
            Status: 0,
            Question: question,
            Answer: records.map((value) => ({ name, type: 16, TTL: 60, data: zoneText(value) })),
          }
        : { Status: 3, Question: question };
    res.writeHead(200, { "content-type": "application/dns-json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/dns-query`,
    /** Publishes (replaces) the TXT records at `name`; an empty list leaves the name with no TXT. */
    setTxt(name: string, values: string[]) {
      txt.set(name.toLowerCase(), values);
    },
    removeName(name: string) {
      txt.delete(name.toLowerCase());
    },
    failing(on: boolean) {
      failing = on;
    },
    queries: () => [...queries],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
