import { describe, expect, it } from "vitest";
import { runbooksImporter } from "../../shared/imports/importers/runbooks";
import { checkInFile } from "../../shared/imports/read/in-file-check";
import type { ImportFormat } from "../../shared/imports/types";
import { bytes, collect, problemOf, sample, split } from "../fixtures/imports/helpers";

const read = async (input: Uint8Array, format: ImportFormat) =>
  split(await collect(runbooksImporter.read({ bytes: input, format })));
const json = (value: unknown) => bytes(JSON.stringify(value));

const base = {
  id: "rb",
  title: "A runbook",
  version: 1,
  inputs: [{ name: "zone", required: true }],
  steps: [
    { id: "s1", title: "Drain", kind: "command", command: "traffic.drain", params: { zone: "{{ zone }}" } },
  ],
};
const withStep = (step: Record<string, unknown>) => ({ ...base, steps: [step] });

describe("runbooks: partner samples", () => {
  it("reads the YAML runbook (comment, approvals, templated input, timeout)", async () => {
    const { records, errors } = await read(sample("runbooks/restart-checkout.yaml"), "yaml");
    expect(errors).toEqual([]);
    expect(records).toHaveLength(1);
    const [runbook] = records;
    expect(runbook).toMatchObject({ row: 1, key: "restart-checkout-api", entity: "runbook" });
    expect(runbook?.fields).toMatchObject({
      version: 3,
      owner: "platform@northwind.example",
      service: "checkout-api",
      severity: ["sev1", "sev2"],
      inputs: [{ name: "zone", required: true, description: "Availability zone to drain", default: null }],
    });
    expect(runbook?.fields.steps.map((s) => [s.id, s.kind, s.requiresApproval, s.timeoutSeconds])).toEqual([
      ["check-dashboards", "manual", false, null],
      ["drain", "command", true, null],
      ["restart", "command", false, 600],
      ["verify", "manual", false, null],
    ]);
    expect(runbook?.fields.steps[1]?.params).toEqual({ zone: "{{ zone }}" });
  });

  it("reads the JSON array of runbooks", async () => {
    const { records, errors } = await read(sample("runbooks/runbooks.json"), "json");
    expect(errors).toEqual([]);
    expect(records.map((r) => [r.row, r.key, r.fields.version, r.fields.steps.length])).toEqual([
      [1, "rotate-db-credentials", 1, 3],
      [2, "page-owner", 2, 1],
    ]);
    expect(records[1]?.fields).toMatchObject({ owner: null, service: null, tags: [] });
  });

  it("gives the same fields for the same runbook in YAML and JSON (stable for hashing)", async () => {
    const yaml = (await read(sample("runbooks/restart-checkout.yaml"), "yaml")).records[0];
    const source = {
      id: "restart-checkout-api",
      title: "Restart the checkout API safely",
      version: 3,
      owner: "Platform@northwind.example",
      service: "checkout-api",
      severity: ["sev1", "sev2"],
      tags: ["payments", "restart"],
      inputs: [{ name: "zone", description: "Availability zone to drain", required: true }],
      steps: [
        { id: "check-dashboards", title: "Confirm error rate on the checkout dashboard", kind: "manual" },
        {
          id: "drain",
          title: "Drain traffic from the unhealthy zone",
          kind: "command",
          command: "traffic.drain",
          params: { zone: "{{ zone }}" },
          requires_approval: true,
        },
        {
          id: "restart",
          title: "Rolling restart of checkout-api",
          kind: "command",
          command: "service.restart",
          params: { service: "checkout-api", strategy: "rolling" },
          timeout: "600s",
        },
        { id: "verify", title: "Verify p95 latency under 300 ms for 5 minutes", kind: "manual" },
      ],
    };
    const fromJson = (await read(json(source), "json")).records[0];
    expect(JSON.stringify(fromJson?.fields)).toBe(JSON.stringify(yaml?.fields));
  });

  it("reads several YAML documents and a {runbooks: [...]} wrapper", async () => {
    const two = `id: a\ntitle: A\nversion: 1\nsteps: [{id: s, title: S, kind: manual}]\n---\nid: b\ntitle: B\nversion: 1\nsteps: [{id: s, title: S, kind: manual}]\n`;
    expect((await read(bytes(two), "yaml")).records.map((r) => r.key)).toEqual(["a", "b"]);
    expect((await read(json({ runbooks: [base] }), "json")).records.map((r) => r.key)).toEqual(["rb"]);
  });
});

describe("runbooks: rejects", () => {
  it("rejects a templated param naming an undeclared input with unknown_input and its place", async () => {
    const { errors } = await read(json([{ ...base, inputs: [] }]), "json");
    expect(errors).toEqual([
      expect.objectContaining({ row: 1, code: "unknown_input", column: "/steps/0/params/zone" }),
    ]);
  });

  it("rejects a misspelt member (unknown_field) instead of dropping an approval gate", async () => {
    const step = { ...base.steps[0], requires_aproval: true };
    const { errors } = await read(json([withStep(step)]), "json");
    expect(errors).toEqual([
      expect.objectContaining({ code: "unknown_field", column: "/steps/0/requires_aproval" }),
    ]);
  });

  it("rejects bad kinds, command steps without a command, bad timeouts, repeated step ids", async () => {
    const docs = [
      withStep({ id: "s", title: "S", kind: "script" }),
      withStep({ id: "s", title: "S", kind: "command" }),
      withStep({ id: "s", title: "S", kind: "manual", timeout: "soon" }),
      {
        ...base,
        steps: [
          { id: "s", title: "S", kind: "manual" },
          { id: "s", title: "T", kind: "manual" },
        ],
      },
      { ...base, version: "three" },
      { ...base, id: "Has Spaces" },
      { ...base, owner: "not an email" },
    ];
    const { errors, records } = await read(json(docs), "json");
    expect(records).toEqual([]);
    expect(errors.map((e) => [e.row, e.code, e.column])).toEqual([
      [1, "invalid_value", "/steps/0/kind"],
      [2, "missing_value", "/steps/0/command"],
      [3, "invalid_duration", "/steps/0/timeout"],
      [4, "duplicate_step", "/steps/1/id"],
      [5, "invalid_value", "/version"],
      [6, "invalid_value", "/id"],
      [7, "invalid_email", "/owner"],
    ]);
  });

  it("marks a runbook id given twice duplicate_key", async () => {
    const results = runbooksImporter.read({
      bytes: json([base, { ...base, title: "Again" }]),
      format: "json",
    });
    const { records, errors } = split(await collect(checkInFile(results, { kind: "runbooks" })));
    expect(records).toHaveLength(1);
    expect(errors).toEqual([expect.objectContaining({ row: 2, code: "duplicate_key" })]);
  });

  it("refuses a document that is not an object or a list, and CSV", async () => {
    expect((await problemOf(() => read(bytes("42"), "json"))).code).toBe("invalid_document");
    expect((await problemOf(() => read(bytes("[]"), "json"))).code).toBe("empty_file");
    expect((await problemOf(() => read(bytes("a,b\n"), "csv"))).code).toBe("unsupported_format");
  });
});
