import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import { describe, expect, it } from "vitest";
import {
  bundleVersion,
  compilePolicies,
  manifestPath,
  modulePath,
  readPolicySources,
  renderManifest,
  renderModule,
} from "../../scripts/build-policy-bundle";
import { policyBundle } from "../../shared/policy/bundle.generated";
import { policyActions, principalTypes, resourceTypes } from "../../shared/policy/model";

describe("policy bundle", () => {
  it("the generated module and manifest match policies/ (run npm run policy:bundle when this fails)", async () => {
    const compiled = compilePolicies(await readPolicySources());
    expect(compiled.errors).toEqual([]);
    expect(policyBundle).toEqual(compiled.bundle);
    expect(await readFile(modulePath, "utf8")).toBe(renderModule(compiled.bundle));
    expect(await readFile(manifestPath, "utf8")).toBe(renderManifest(compiled.manifest));
    const manifest = JSON.parse(await readFile(manifestPath, "utf8")) as { version: string };
    expect(manifest.version).toBe(policyBundle.version);
  });

  it("the version is the hash of the contents: stable, order- and line-ending-independent, content-sensitive", async () => {
    const files = await readPolicySources();
    expect(bundleVersion(files)).toBe(policyBundle.version);
    expect(bundleVersion([...files].reverse())).toBe(policyBundle.version);
    // A Windows checkout (CRLF) reads back to the same version.
    const dir = await mkdtemp(join(tmpdir(), "sb-policies-"));
    for (const f of files) await writeFile(join(dir, f.name), f.content.replace(/\n/g, "\r\n"));
    expect(bundleVersion(await readPolicySources(dir))).toBe(policyBundle.version);
    await rm(dir, { recursive: true });
    const edited = files.map((f, i) => (i === 0 ? { ...f, content: `${f.content} ` } : f));
    expect(bundleVersion(edited)).not.toBe(policyBundle.version);
    const renamed = files.map((f, i) => (i === 0 ? { ...f, name: `x-${f.name}` } : f));
    expect(bundleVersion(renamed)).not.toBe(policyBundle.version);
  });

  it("every policy has an id and every forbid a remediation", () => {
    for (const [id, text] of Object.entries(policyBundle.policies)) {
      expect(text).toContain(`@id("${id}")`);
      if (/^\s*(@[^\n]*\n)*\s*forbid/.test(text)) expect(policyBundle.remediations[id], id).toBeTruthy();
    }
  });

  it("refuses a policy that does not validate against the schema, and one without an id", async () => {
    const files = await readPolicySources();
    const bad = {
      name: "zz-bad.cedar",
      content:
        '@id("bad")\npermit (principal, action == Switchboard::Action::"read", resource) when { principal.nope };',
    };
    expect(compilePolicies([...files, bad]).errors.join("\n")).toMatch(/policy bad: .*nope/);
    const anonymous = { name: "zz-anon.cedar", content: "permit (principal, action, resource);" };
    expect(compilePolicies([...files, anonymous]).errors.join("\n")).toMatch(/needs @id/);
  });

  it("the TypeScript vocabulary matches the schema's actions and entity types", () => {
    const json = cedar.schemaToJson(policyBundle.schema);
    if (json.type !== "success") throw new Error("schema does not parse");
    const ns = json.json.Switchboard;
    expect(Object.keys(ns?.actions ?? {}).sort()).toEqual([...policyActions].sort());
    const types = Object.keys(ns?.entityTypes ?? {});
    for (const type of [...resourceTypes, ...principalTypes]) expect(types).toContain(type);
  });
});
