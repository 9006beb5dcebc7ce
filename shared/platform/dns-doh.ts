/**
 * TXT lookups over DNS-over-HTTPS with the JSON API (`application/dns-json`, as Cloudflare's
 * `https://cloudflare-dns.com/dns-query` and Google's `https://dns.google/resolve` answer it):
 * one GET, the same on Workers and Node, no socket API needed. The URL is a platform setting
 * (DOH_URL), never a tenant's.
 */
import { DnsUnavailableError, type TxtAnswer, type TxtResolver } from "./ports";

/** A TXT answer is small; a name with a megabyte of records is not a challenge we read. */
const maxAnswerBytes = 64 * 1024;
const txtType = 16;

interface DnsJson {
  Status?: number;
  Answer?: { type?: number; data?: unknown }[];
}

export function createDohResolver(options: {
  url: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}): TxtResolver {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 5_000;
  return {
    async txt(name) {
      const url = new URL(options.url);
      url.searchParams.set("name", name);
      url.searchParams.set("type", "TXT");
      let body: DnsJson;
      try {
        const res = await doFetch(url, {
          headers: { accept: "application/dns-json" },
          redirect: "error",
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!res.ok) throw new DnsUnavailableError(`the resolver answered HTTP ${res.status}`);
        body = JSON.parse(await readCapped(res, maxAnswerBytes)) as DnsJson;
      } catch (error) {
        if (error instanceof DnsUnavailableError) throw error;
        throw new DnsUnavailableError(`the resolver could not be read: ${String(error)}`);
      }
      return answerOf(body);
    },
  };
}

function answerOf(body: DnsJson): TxtAnswer {
  if (body.Status === 3) return { found: false, reason: "nxdomain" };
  if (body.Status !== 0) throw new DnsUnavailableError(`the resolver answered DNS status ${body.Status}`);
  // A CNAME chain comes before the TXT records it leads to; only TXT records count.
  const values = (body.Answer ?? [])
    .filter((a) => a.type === txtType && typeof a.data === "string")
    .map((a) => txtValue(a.data as string));
  return values.length > 0 ? { found: true, values } : { found: false, reason: "no_txt" };
}

/**
 * A TXT record's data as one string. Resolvers give it in zone-file form, one or more quoted
 * character-strings (`"part one" "part two"`, with `\"`, `\\` and `\DDD` escapes), which are
 * joined; some (Google) give the bare text.
 */
export function txtValue(data: string): string {
  if (!data.startsWith('"')) return data;
  let out = "";
  let i = 0;
  while (i < data.length) {
    if (data[i] !== '"') {
      i++;
      continue;
    }
    i++;
    while (i < data.length && data[i] !== '"') {
      if (data[i] === "\\" && i + 1 < data.length) {
        const digits = data.slice(i + 1, i + 4);
        if (/^\d{3}$/.test(digits)) {
          out += String.fromCharCode(Number(digits));
          i += 4;
        } else {
          out += data[i + 1];
          i += 2;
        }
      } else {
        out += data[i];
        i++;
      }
    }
    i++;
  }
  return out;
}

async function readCapped(res: Response, limit: number): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new DnsUnavailableError(`the resolver's answer is over ${limit} bytes`);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}
