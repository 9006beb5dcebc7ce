/** Which failures count as "a dependency is not there right now" (503, backoff), and which do not. */
import { describe, expect, it } from "vitest";
import { DependencyUnavailableError, isUnavailable } from "../../shared/platform/unavailable";

const coded = (code: string, message = "x") => Object.assign(new Error(message), { code });

describe("isUnavailable", () => {
  it("knows refused, reset and timed-out sockets, and Postgres shutting down or refusing connections", () => {
    for (const code of ["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "UND_ERR_SOCKET"]) {
      expect(isUnavailable(coded(code)), code).toBe(true);
    }
    for (const code of ["57P01", "57P02", "57P03", "08006", "08001", "53300"]) {
      expect(isUnavailable(coded(code)), code).toBe(true);
    }
    expect(isUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isUnavailable(new Error("Client has encountered a connection error and is not queryable"))).toBe(
      true,
    );
    expect(isUnavailable(new Error("timeout exceeded when trying to connect"))).toBe(true);
    expect(isUnavailable(new DependencyUnavailableError("objectStore", "S3 GET failed: 503"))).toBe(true);
  });

  it("looks through wrappers (drizzle's query error, fetch's TypeError) by their cause", () => {
    const fetchFailed = new TypeError("fetch failed", { cause: coded("ECONNREFUSED") });
    expect(isUnavailable(fetchFailed)).toBe(true);
    const drizzle = new Error("Failed query: select 1", { cause: coded("57P01") });
    expect(isUnavailable(new Error("outer", { cause: drizzle }))).toBe(true);
  });

  it("leaves real faults alone: constraint violations, syntax errors, plain errors", () => {
    expect(isUnavailable(coded("23505"))).toBe(false);
    expect(isUnavailable(coded("42601"))).toBe(false);
    expect(isUnavailable(coded("ENOENT"))).toBe(false);
    expect(isUnavailable(new Error("S3 GET failed: 403 AccessDenied"))).toBe(false);
    expect(isUnavailable(undefined)).toBe(false);
    expect(isUnavailable("Connection terminated")).toBe(false);
  });
});
