import { describe, expect, it, vi } from "vitest";

// A runtime without the one-shot crypto.hash (Node < 20.12): hashing falls back to createHash.
vi.mock("node:crypto", async (importOriginal) => ({
  ...(await importOriginal<typeof import("node:crypto")>()),
  hash: undefined,
}));

const { sha256, sha256Hex, toHex } = await import("../../shared/receipts/hashing");

describe("ledger hashing without crypto.hash", () => {
  it("gives the standard SHA-256 of one part, of several parts and of text", () => {
    const empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    const abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    expect(toHex(sha256())).toBe(empty);
    expect(toHex(sha256(new TextEncoder().encode("abc")))).toBe(abc);
    expect(toHex(sha256(new TextEncoder().encode("a"), new TextEncoder().encode("bc")))).toBe(abc);
    expect(sha256Hex("abc")).toBe(abc);
  });
});
