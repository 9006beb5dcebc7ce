import { describe, expect, it } from "vitest";
import { methodNotAllowed } from "../../functions/middleware/method-not-allowed";
import { parseTraceparent } from "../../functions/middleware/request-context";
import { decodeCursor, encodeCursor } from "../../shared/pagination/cursor";

describe("traceparent", () => {
  it("accepts the W3C example and refuses malformed or all-zero ids", () => {
    expect(parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).toEqual({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      parentId: "00f067aa0ba902b7",
    });
    expect(parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")).toBeNull();
    expect(parseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7")).toBeNull();
    expect(parseTraceparent("garbage")).toBeNull();
    expect(parseTraceparent(undefined)).toBeNull();
  });
});

describe("405 detection", () => {
  const routes = [
    { method: "GET", path: "/v1/api-keys" },
    { method: "POST", path: "/v1/api-keys" },
    { method: "DELETE", path: "/v1/api-keys/:id" },
    { method: "ALL", path: "/v1/*" },
  ];
  it("lists the methods a path accepts", () => {
    expect(methodNotAllowed(routes, "PUT", "/v1/api-keys")).toEqual(["GET", "HEAD", "POST"]);
    expect(methodNotAllowed(routes, "GET", "/v1/api-keys/key_1")).toEqual(["DELETE"]);
    expect(methodNotAllowed(routes, "GET", "/v1/unknown")).toEqual([]);
  });
});

describe("cursor", () => {
  it("round-trips and refuses forgeries", () => {
    const at = new Date("2026-03-01T10:00:00.123Z");
    expect(decodeCursor(encodeCursor({ at, id: "key_1" }))).toEqual({ at, id: "key_1" });
    expect(() => decodeCursor("bm90IGpzb24")).toThrow(/cursor/);
  });
});
