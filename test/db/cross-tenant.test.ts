/**
 * The cross-tenant matrix: every route of the generated OpenAPI document with a
 * path parameter, every method on it. Tenant A makes the resource; tenant B's
 * admin asking for it gets the same 404 as for an id that never existed, learns
 * nothing of A, and changes nothing. A new id route without a factory here fails.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "../../functions/openapi/build-document";
import { authorize } from "../../shared/policy/authorize";
import { exemptableActions } from "../../shared/policy/exceptions";
import { appendReceipt } from "../../shared/receipts/append";
import { createHarness, type Harness } from "../support/harness";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
}, 60_000); // vitest projects do not inherit the root hookTimeout; PGlite start-up is slow under load
afterAll(() => h.close());

const json = (body: unknown) => ({
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});
const asA = async (path: string, body?: unknown, method = "POST") => {
  const res = await h.request(path, {
    method,
    key: h.tenantA.apiKey,
    ...(body === undefined ? {} : json(body)),
  });
  expect(res.status, `${method} ${path} as tenant A`).toBeLessThan(300);
  return (await res.json()) as Record<string, string>;
};
let serial = 0;

interface Factory {
  /** Creates the resource as tenant A and returns the path parameters that name it. */
  create(): Promise<Record<string, string>>;
  /** A valid body per method, so B's answer is about the tenant, not about validation. */
  bodies?: Record<string, unknown>;
}

const operator = async () => {
  const created = await asA("/v1/operators", {
    email: `x${++serial}@acme.test`,
    displayName: "Matrix Person",
    role: "viewer",
  });
  return { id: created.id ?? "" };
};

/** A domain context acting for tenant A's admin, for resources no route creates directly. */
const ctxOfA = () => ({
  ...h.ctx(),
  tenant: { id: h.tenantA.id, slug: h.tenantA.slug, name: "acme Inc." },
  actor: { type: "api_key" as const, id: "key_matrix", role: "admin" as const },
});

/** Ops resources are made by tenant A's operator (Cedar: operators run ops, admins author runbooks). */
let opKey: string | undefined;
const asOperator = async (path: string, body: unknown = {}) => {
  opKey ??= await h.tenantA.keyFor("operator");
  const res = await h.request(path, { method: "POST", key: opKey, ...json(body) });
  expect(res.status, `POST ${path} as tenant A's operator`).toBeLessThan(300);
  return (await res.json()) as Record<string, unknown> & { id: string };
};
const incident = async () => ({
  id: (await asOperator("/v1/incidents", { title: "Matrix", severity: "SEV3", service: "svc:matrix" })).id,
});
const command = async () => ({
  id: (
    await asOperator("/v1/commands", {
      name: "service.restart",
      target: "prod:matrix",
    })
  ).id,
});
const approval = async () => ({
  id: String((await asOperator("/v1/commands", { name: "service.restart", target: "prod:m" })).approvalId),
});
const runbookSource = (key: string) => ({
  id: key,
  title: "Matrix runbook",
  version: 1,
  steps: [{ id: "check", title: "Check", kind: "manual" }],
});
const runbook = async () => ({
  id: (await asA("/v1/runbooks", runbookSource(`matrix-${++serial}`))).id ?? "",
});
const run = async () => {
  const { id } = await runbook();
  return { id: (await asOperator(`/v1/runbooks/${id}/runs`, { inputs: {} })).id, step: "check" };
};

const domain = async () => ({
  host:
    (await asA("/v1/domains", { host: `m${++serial}.first-partner.test`, displayName: "Matrix" })).host ?? "",
});

/** Imports: a fresh incidents plan of tenant A, and a committed (applied) import of it. */
const importPlan = async () => {
  const res = await h.request("/v1/imports?kind=incidents", {
    method: "POST",
    key: h.tenantA.apiKey,
    headers: { "content-type": "text/csv" },
    body: `id,title,status,created_on\nmatrix-${++serial},Matrix,resolved,2026-01-01T00:00:00Z\n`,
  });
  expect(res.status, "POST /v1/imports as tenant A").toBeLessThan(300);
  return { id: ((await res.json()) as { id: string }).id };
};
const committedImport = async () => {
  const { id } = await importPlan();
  const imp = (await asA(`/v1/imports/plans/${id}/commit`)) as { id: string };
  await h.platform.queue.drain();
  return { id: imp.id };
};

/** One entry per templated path in the OpenAPI document. Add yours with your route. */
const factories: Record<string, Factory> = {
  "/v1/api-keys/{id}": {
    create: async () => ({ id: (await asA("/v1/api-keys", { name: "matrix", role: "viewer" })).id ?? "" }),
  },
  "/v1/self-tests/{id}": { create: async () => ({ id: (await asA("/v1/self-tests")).id ?? "" }) },
  "/v1/operators/{id}": { create: operator, bodies: { patch: { role: "approver" } } },
  "/v1/operators/{id}/suspend": { create: operator },
  "/v1/operators/{id}/reactivate": { create: operator },
  "/v1/decisions/{id}": {
    create: async () => {
      const resource = { type: "Tenant" as const, id: h.tenantA.id, tenantId: h.tenantA.id };
      return { id: (await authorize({ ctx: ctxOfA(), input: { action: "manageKeys", resource } })).id };
    },
  },
  "/v1/receipts/{id}": {
    create: async () => {
      const input = { kind: "matrix.made", subject: "matrix:1", input: { n: ++serial } };
      return { id: (await appendReceipt({ ctx: ctxOfA(), input })).receipt.id };
    },
  },
  "/v1/policy-exceptions/{id}": {
    create: async () => {
      const key = await asA("/v1/api-keys", { name: "exempted", role: "viewer" });
      const created = await asA("/v1/policy-exceptions", {
        principal: `Switchboard::ApiKey::"${key.id}"`,
        action: exemptableActions[0],
        rationale: "Cross-tenant matrix: a resource of tenant A.",
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      });
      return { id: created.id ?? "" };
    },
  },
  "/v1/incidents/{id}": { create: incident },
  "/v1/incidents/{id}/acknowledge": { create: incident },
  "/v1/incidents/{id}/resolve": { create: incident, bodies: { post: { resolution: "matrix" } } },
  "/v1/commands/{id}": { create: command },
  "/v1/commands/{id}/cancel": { create: command },
  "/v1/commands/{id}/outcome": { create: command, bodies: { post: { status: "succeeded" } } },
  "/v1/approvals/{id}": { create: approval },
  "/v1/approvals/{id}/approve": { create: approval },
  "/v1/approvals/{id}/deny": { create: approval, bodies: { post: { reason: "matrix" } } },
  "/v1/runbooks/{id}": { create: runbook },
  "/v1/runbooks/{id}/versions": { create: runbook, bodies: { post: runbookSource("matrix-other") } },
  "/v1/runbooks/{id}/runs": { create: runbook, bodies: { post: { inputs: {} } } },
  "/v1/runbook-runs/{id}": { create: run },
  "/v1/runbook-runs/{id}/steps/{step}/complete": { create: run, bodies: { post: {} } },
  "/v1/runbook-runs/{id}/cancel": { create: run, bodies: { post: { reason: "matrix" } } },
  "/v1/imports/uploads/{id}": {
    create: async () => ({ id: (await asA("/v1/imports/uploads", {})).id ?? "" }),
    bodies: { put: "id,title\n" },
  },
  "/v1/imports/plans/{id}": { create: importPlan },
  "/v1/imports/plans/{id}/rows": { create: importPlan },
  "/v1/imports/plans/{id}/manifest": { create: importPlan },
  "/v1/imports/plans/{id}/commit": { create: importPlan },
  "/v1/imports/{id}": { create: committedImport },
  "/v1/imports/{id}/manifest": { create: committedImport },
  "/v1/imports/{id}/revert": { create: committedImport },
  "/v1/imports/{id}/resume": { create: committedImport },
  "/v1/feedback/{id}": {
    create: async () => ({
      id:
        (await asA("/v1/feedback", { kind: "bug", message: "Matrix", screen: "matrix", actionId: "matrix" }))
          .id ?? "",
    }),
  },
  "/v1/domains/{host}": { create: domain },
  "/v1/domains/{host}/verify": { create: domain },
};

const paths = (buildOpenApiDocument().paths ?? {}) as Record<string, Record<string, unknown>>;
/**
 * The platform's own resources, not a tenant's: feature flags belong to the deployment. Tenant
 * credentials get 403 on their configuration routes (test/db/flags.test.ts) and evaluate every
 * flag for their own tenant through OFREP (test/db/flags-ofrep.test.ts).
 */
const platformOwned = [
  "/v1/flags/{key}",
  "/v1/flags/{key}/versions",
  "/v1/flags/{key}/rollback",
  "/v1/flags/{key}/ramp-plan",
  "/ofrep/v1/evaluate/flags/{key}",
];
const templated = Object.keys(paths).filter((p) => p.includes("{") && !platformOwned.includes(p));
const fill = (template: string, params: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? `missing-${name}`));

describe("cross-tenant matrix", () => {
  it("covers a templated route at all, and every factory names a route that exists", () => {
    expect(templated.length).toBeGreaterThan(0);
    expect(Object.keys(factories).filter((p) => !templated.includes(p))).toEqual([]);
  });

  describe.each(templated)("%s", (template) => {
    const methods = Object.keys(paths[template] ?? {}).filter((m) => m !== "parameters");

    it("has a factory that creates it as tenant A", () => {
      expect(
        factories[template],
        `No factory for ${template} in test/db/cross-tenant.test.ts: add one that creates the resource as tenant A.`,
      ).toBeDefined();
    });

    it.each(methods)(
      "%s with tenant B's credential → the 404 of a missing id, nothing of A, no change",
      async (method) => {
        const factory = factories[template];
        if (!factory) return; // reported by the test above
        const params = await factory.create();
        const real = fill(template, params);
        const ghostParams = Object.fromEntries(
          Object.entries(params).map(([k, v]) => [k, `zz${v.slice(2, -3)}zzz`]),
        );
        const ghost = fill(template, ghostParams);
        // A's view before and after B's unsafe attempt (a GET changes nothing; some resources move on their own).
        const readable = method !== "get" && "get" in (paths[template] ?? {});
        const before = readable ? await (await h.request(real, { key: h.tenantA.apiKey })).text() : "";

        const send = (path: string) => {
          const body = factory.bodies?.[method];
          return h.request(path, {
            method: method.toUpperCase(),
            key: h.tenantB.apiKey,
            ...(body === undefined ? {} : json(body)),
          });
        };
        const [onReal, onGhost] = [await send(real), await send(ghost)];
        expect(onReal.status, `${method.toUpperCase()} ${real}`).toBe(404);
        const [realBody, ghostBody] = [await onReal.text(), await onGhost.text()];
        for (const leak of [h.tenantA.id, h.tenantA.slug, "acme Inc."]) expect(realBody).not.toContain(leak);
        const shape = (text: string, values: Record<string, string>) => {
          const { requestId: _r, instance: _i, ...rest } = JSON.parse(text) as Record<string, unknown>;
          let out = JSON.stringify(rest);
          for (const v of Object.values(values)) out = out.split(v).join("<param>");
          return out;
        };
        expect(shape(realBody, params)).toBe(shape(ghostBody, ghostParams));

        if (readable) {
          const after = await (await h.request(real, { key: h.tenantA.apiKey })).text();
          expect(after, "tenant A's resource changed").toBe(before);
        }
      },
    );
  });
});
