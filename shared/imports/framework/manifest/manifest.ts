/**
 * The error manifest: a plan's rejected rows as an in-toto v1 Statement whose subject is the
 * source file, signed as a compact JWS with the tenant-visible signing key (verify with
 * /.well-known/jwks.json), stored beside the plan rows.
 */
import { createHash } from "node:crypto";
import type { PlanCounts } from "../../../db/schema";
import type { Signer } from "../../../platform/ports";
import type { PlanRow } from "../types";

export const manifestPredicateType = "https://switchboard.dev/attestations/import-rejects/v1";
export const manifestJwsType = "in-toto+jws";
/** Rejects listed in the statement itself; past this the CSV (built from the plan rows) has them all. */
export const maxManifestRejects = 100_000;

export interface ManifestReject {
  row: number;
  key?: string;
  field?: string;
  code: string;
  message: string;
  hint?: string;
  decisionId: string;
}

export const rejectOf = (row: PlanRow): ManifestReject => ({
  row: row.row,
  ...(row.key === undefined ? {} : { key: row.key }),
  ...(row.error?.column === undefined ? {} : { field: row.error.column }),
  code: row.error?.code ?? "rejected",
  message: row.error?.message ?? "Rejected.",
  ...(row.error?.hint === undefined ? {} : { hint: row.error.hint }),
  decisionId: row.decisionId,
});

export interface ManifestInput {
  planId: string;
  kind: string;
  format: string;
  source: { name: string | null; sha256: string };
  counts: PlanCounts;
  rejects: ManifestReject[];
  truncated: boolean;
}

export function manifestStatement(input: ManifestInput) {
  return {
    _type: "https://in-toto.io/Statement/v1",
    subject: [
      { name: input.source.name ?? `sha256:${input.source.sha256}`, digest: { sha256: input.source.sha256 } },
    ],
    predicateType: manifestPredicateType,
    predicate: {
      planId: input.planId,
      kind: input.kind,
      format: input.format,
      counts: input.counts,
      rejects: input.rejects,
      rejectsTruncated: input.truncated,
    },
  };
}

/** Signs and returns the JWS and its SHA-256 (the digest the commit receipt carries). */
export async function signManifest(signer: Signer, input: ManifestInput) {
  const jws = await signer.signJson(manifestStatement(input), { typ: manifestJwsType });
  return { jws, digest: createHash("sha256").update(jws).digest("hex") };
}
