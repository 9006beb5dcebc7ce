/**
 * `npm run policy:bundle [-- --check]`: compiles policies/ into policies/manifest.json and
 * shared/policy/bundle.generated.ts (Workers cannot read files at run time, so the policies
 * ship inside the app). Fails when a policy has no `@id`, an id repeats, a forbid has no
 * `@remediation`, or Cedar's strict validator finds an error against the schema.
 * `--check` writes nothing and exits 1 when either generated file is stale (CI).
 */
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import canonicalize from "canonicalize";
import type { PolicyBundle } from "../shared/policy/bundle";

const root = fileURLToPath(new URL("..", import.meta.url));
export const policiesDir = join(root, "policies");
export const manifestPath = join(policiesDir, "manifest.json");
export const modulePath = join(root, "shared", "policy", "bundle.generated.ts");
const schemaFile = "schema.cedarschema";

export interface SourceFile {
  name: string;
  content: string;
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** The schema and every .cedar file, sorted by name, with LF line endings (a CRLF checkout hashes the same). */
export async function readPolicySources(dir = policiesDir): Promise<SourceFile[]> {
  const names = (await readdir(dir)).filter((n) => n === schemaFile || n.endsWith(".cedar")).sort();
  if (!names.includes(schemaFile)) throw new Error(`${dir} has no ${schemaFile}`);
  return Promise.all(
    names.map(async (name) => ({
      name,
      content: (await readFile(join(dir, name), "utf8")).replace(/\r\n/g, "\n"),
    })),
  );
}

/** SHA-256 of the RFC 8785 JSON of `[[name, content], …]` sorted by name: unambiguous and stable. */
export function bundleVersion(files: SourceFile[]): string {
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return sha256(canonicalize(sorted.map((f) => [f.name, f.content])) ?? "");
}

export interface Compiled {
  bundle: PolicyBundle;
  manifest: Record<string, unknown>;
  errors: string[];
}

/** Splits each file into policies keyed by `@id`, checks the annotations and validates against the schema. */
export function compilePolicies(files: SourceFile[]): Compiled {
  const errors: string[] = [];
  const schema = files.find((f) => f.name === schemaFile)?.content ?? "";
  const policies: Record<string, string> = {};
  const remediations: Record<string, string> = {};
  const listed: { file: string; sha256: string; policies?: string[] }[] = [];
  for (const file of files) {
    if (file.name === schemaFile) {
      listed.push({ file: file.name, sha256: sha256(file.content) });
      continue;
    }
    const parts = cedar.policySetTextToParts(file.content);
    if (parts.type === "failure") {
      errors.push(...parts.errors.map((e) => `${file.name}: ${e.message}`));
      continue;
    }
    if (parts.policy_templates.length > 0) errors.push(`${file.name}: templates are not supported`);
    const ids: string[] = [];
    for (const text of parts.policies) {
      const json = cedar.policyToJson(text);
      if (json.type === "failure") {
        errors.push(...json.errors.map((e) => `${file.name}: ${e.message}`));
        continue;
      }
      const { id, remediation } = json.json.annotations ?? {};
      const where = `${file.name}: policy ${id ?? text.slice(0, 40)}`;
      if (!id || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) errors.push(`${where}: needs @id("kebab-case-id")`);
      else if (policies[id] !== undefined) errors.push(`${where}: @id repeats another policy's`);
      else {
        policies[id] = text;
        ids.push(id);
        // Every forbid says what would allow the request: it becomes the 403's remediation.
        if (json.json.effect === "forbid" && !remediation)
          errors.push(`${where}: a forbid needs @remediation`);
        if (remediation) remediations[id] = remediation;
      }
    }
    listed.push({ file: file.name, sha256: sha256(file.content), policies: ids });
  }
  const validation = cedar.validate({
    schema,
    policies: { staticPolicies: policies },
    validationSettings: { mode: "strict" },
  });
  if (validation.type === "failure") errors.push(...validation.errors.map((e) => `schema: ${e.message}`));
  else errors.push(...validation.validationErrors.map((e) => `policy ${e.policyId}: ${e.error.message}`));

  const version = bundleVersion(files);
  const manifest = {
    version,
    digest: "sha256 over RFC 8785 JSON of [[file, text], ...], sorted by file name, LF line endings",
    schema: schemaFile,
    files: listed,
  };
  return { bundle: { version, schema, policies, remediations }, manifest, errors };
}

const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k));
/** Text as a template literal: real newlines keep the policies readable in a diff. */
const literal = (text: string) => `\`${text.replace(/[\\`]|\$\{/g, (m) => `\\${m}`)}\``;
const record = (r: Readonly<Record<string, string>>, quote: (text: string) => string) =>
  Object.entries(r)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `    ${key(k)}: ${quote(v)},\n`)
    .join("");

/** The generated module, already in the shape `biome format` leaves it. */
export function renderModule(bundle: PolicyBundle): string {
  return `// Generated by \`npm run policy:bundle\` from policies/. Do not edit: CI runs it with --check.
import type { PolicyBundle } from "./bundle";

export const policyBundle: PolicyBundle = {
  version: ${JSON.stringify(bundle.version)},
  schema: ${literal(bundle.schema)},
  policies: {
${record(bundle.policies, literal)}  },
  remediations: {
${record(bundle.remediations, JSON.stringify)}  },
};
`;
}

/** Pretty JSON with short string arrays on one line, as `biome format` leaves it. */
export function renderManifest(manifest: Record<string, unknown>): string {
  const pretty = JSON.stringify(manifest, null, 2).replace(
    /^( *)("[^"\n]*": )\[\n((?: *"[^"\n]*",?\n)+) *\]/gm,
    (whole, indent: string, name: string, items: string) => {
      const line = `${indent}${name}[${items
        .split("\n")
        .map((item) => item.trim())
        .filter(Boolean)
        .join(" ")}]`;
      return line.length <= 110 ? line : whole;
    },
  );
  return `${pretty}\n`;
}

async function readOrEmpty(path: string): Promise<string> {
  return readFile(path, "utf8").catch(() => "");
}

async function main() {
  const check = process.argv.includes("--check");
  const compiled = compilePolicies(await readPolicySources());
  if (compiled.errors.length > 0) {
    for (const error of compiled.errors) console.error(`error: ${error}`);
    process.exit(1);
  }
  const outputs = [
    { path: manifestPath, text: renderManifest(compiled.manifest) },
    { path: modulePath, text: renderModule(compiled.bundle) },
  ];
  const stale = [];
  for (const output of outputs) if ((await readOrEmpty(output.path)) !== output.text) stale.push(output);
  const ids = Object.keys(compiled.bundle.policies).length;
  if (check) {
    for (const { path } of stale)
      console.error(`stale: ${path.slice(root.length)} (run npm run policy:bundle)`);
    if (stale.length > 0) process.exit(1);
    console.log(`policy bundle ${compiled.bundle.version} is up to date (${ids} policies)`);
    return;
  }
  for (const { path, text } of stale) await writeFile(path, text);
  console.log(`policy bundle ${compiled.bundle.version}: ${ids} policies, ${stale.length} file(s) written`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
