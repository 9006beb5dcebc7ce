/**
 * The faults tier: the built Node server (its own copy under dist/faults, so it never races
 * the node-server tier's build) and one migrated template database per run.
 */
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { buildNode, distDir } from "../../scripts/build-node";
import { setup as setupPostgres } from "./global-setup-postgres";

declare module "vitest" {
  export interface ProvidedContext {
    faultsServer: string;
  }
}

export async function setup(project: TestProject) {
  const outdir = join(distDir, "faults");
  await buildNode({ server: "functions/node.ts" }, outdir);
  project.provide("faultsServer", join(outdir, "server.mjs"));
  return setupPostgres(project);
}
