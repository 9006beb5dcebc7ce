import { readFile } from "node:fs/promises";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "../../functions/openapi/build-document";

describe("OpenAPI document", () => {
  const doc = buildOpenApiDocument();

  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const result = await validator.validate(
      structuredClone(doc) as unknown as Parameters<Validator["validate"]>[0],
    );
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("matches the committed openapi/switchboard.v1.json", async () => {
    const committed = JSON.parse(await readFile("openapi/switchboard.v1.json", "utf8"));
    expect(committed).toEqual(JSON.parse(JSON.stringify(doc)));
  });

  it("describes both credentials as security schemes", () => {
    const schemes = doc.components?.securitySchemes ?? {};
    expect(Object.keys(schemes).sort()).toEqual(["apiKey", "oidcBearer"]);
  });

  it("gives every operation an id, a tag and problem responses; every /v1 route declares security", () => {
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const [method, op] of Object.entries(item as Record<string, Record<string, unknown>>)) {
        expect(op.operationId, `${method} ${path}`).toBeTruthy();
        expect(op.tags, `${method} ${path}`).toHaveLength(1);
        expect(Object.keys(op.responses as object), `${method} ${path}`).toContain("500");
        if (path.startsWith("/v1/")) {
          expect(op.security, `${method} ${path}`).toEqual([{ apiKey: [] }, { oidcBearer: [] }]);
        }
      }
    }
  });
});
