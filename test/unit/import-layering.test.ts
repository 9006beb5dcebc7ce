/**
 * The schema and the context sit below the import framework: nothing in shared/db/schema or
 * shared/context imports from shared/imports, directly or through another module, so the
 * import types they need stay in shared/platform/import-reader-port.ts and no type-level
 * circle comes back.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(__dirname, "../..");
const imports = join(root, "shared/imports");

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourcesUnder(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

/** The relative specifiers a file imports or re-exports, resolved to files. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/\b(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map(
    (match) => match[1] as string,
  );
  return specifiers
    .filter((specifier) => specifier.startsWith("."))
    .map((specifier) => {
      const base = resolve(dirname(file), specifier);
      for (const path of [`${base}.ts`, join(base, "index.ts"), base]) {
        if (existsSync(path) && statSync(path).isFile()) return path;
      }
      return base;
    });
}

/** Each module reachable from `start` that is under shared/imports, with the chain to it. */
function reachedImports(start: string): string[] {
  const seen = new Set<string>([start]);
  const queue: string[][] = [[start]];
  const found: string[] = [];
  while (queue.length > 0) {
    const chain = queue.shift() as string[];
    const file = chain[chain.length - 1] as string;
    for (const next of importsOf(file)) {
      if (seen.has(next)) continue;
      seen.add(next);
      const path = [...chain, next];
      if (next === imports || next.startsWith(`${imports}/`)) {
        found.push(path.map((p) => relative(root, p)).join(" → "));
      } else if (next.endsWith(".ts")) queue.push(path);
    }
  }
  return found;
}

describe("layering: schema and context below the import framework", () => {
  for (const dir of ["shared/db/schema", "shared/context"]) {
    it(`nothing in ${dir} reaches shared/imports`, () => {
      const files = sourcesUnder(join(root, dir));
      expect(files.length).toBeGreaterThan(0);
      expect(files.flatMap(reachedImports)).toEqual([]);
    });
  }

  it("sees an import of shared/imports when there is one", () => {
    expect(reachedImports(join(root, "shared/imports/framework/plan/read-items.ts")).length).toBeGreaterThan(
      0,
    );
    expect(importsOf(join(root, "shared/imports/limits.ts"))).toContain(
      join(root, "shared/platform/import-reader-port.ts"),
    );
  });
});
