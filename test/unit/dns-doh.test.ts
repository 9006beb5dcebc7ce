import { describe, expect, it } from "vitest";
import { createDohResolver, txtValue } from "../../shared/platform/dns-doh";
import { DnsUnavailableError } from "../../shared/platform/ports";

const answering = (status: number, body: unknown) =>
  createDohResolver({
    url: "https://doh.example/dns-query",
    fetch: async () => new Response(JSON.stringify(body), { status }),
  });

describe("DNS-over-HTTPS TXT answers", () => {
  it("joins quoted character-strings and undoes their escapes; bare text is kept", () => {
    expect(txtValue('"sbv_abc"')).toBe("sbv_abc");
    expect(txtValue('"part one " "part two"')).toBe("part one part two");
    expect(txtValue('"say \\"hi\\" \\\\ \\065"')).toBe('say "hi" \\ A');
    expect(txtValue("v=spf1 -all")).toBe("v=spf1 -all");
  });

  it("reads TXT records past a CNAME; NXDOMAIN and an empty answer are 'none'; SERVFAIL is unavailable", async () => {
    const chained = answering(200, {
      Status: 0,
      Answer: [
        { type: 5, data: "challenge.elsewhere.example." },
        { type: 16, data: '"sbv_token"' },
      ],
    });
    expect(await chained.txt("_switchboard-challenge.a.example")).toEqual({
      found: true,
      values: ["sbv_token"],
    });
    expect(await answering(200, { Status: 3 }).txt("x.example")).toEqual({
      found: false,
      reason: "nxdomain",
    });
    expect(await answering(200, { Status: 0 }).txt("x.example")).toEqual({ found: false, reason: "no_txt" });
    await expect(answering(200, { Status: 2 }).txt("x.example")).rejects.toBeInstanceOf(DnsUnavailableError);
    await expect(answering(502, {}).txt("x.example")).rejects.toBeInstanceOf(DnsUnavailableError);
  });

  it("refuses an answer over 64 KiB rather than reading it", async () => {
    const huge = answering(200, { Status: 0, Answer: [{ type: 16, data: `"${"x".repeat(70_000)}"` }] });
    await expect(huge.txt("x.example")).rejects.toThrow(/over 65536 bytes/);
  });
});
