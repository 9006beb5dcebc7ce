/**
 * Content-addressed plan ids. The same file, mapping, options and importer, planned by the
 * same roles under the same policy bundle against the same state watermark, is the same plan:
 * re-planning returns the plan already made. The content key leaves out what depends on
 * time (watermark, bundle, role): it names "this content", so committing the same content
 * again can find the commit that already applied it.
 */
import { contentHash } from "../../state/sql";
import type { ImportFormat, ImportKind } from "../../types";

export interface PlanContent {
  tenant: string;
  sourceDigest: string;
  kind: ImportKind;
  format: ImportFormat;
  mapping: Record<string, string>;
  options: Record<string, unknown>;
  onConflict: "skip" | "overwrite";
  importerVersion: string;
}

export interface PlanIdentity extends PlanContent {
  bundleVersion: string;
  watermark: number;
  /** Every role the planner holds: row decisions see all of them, so two role sets are two plans. */
  roles: readonly string[];
}

export function contentKeyOf(c: PlanContent): string {
  const { tenant, sourceDigest, kind, format, mapping, options, onConflict, importerVersion } = c;
  return contentHash({
    tenant,
    sourceDigest,
    kind,
    format,
    mapping,
    options,
    onConflict,
    importerVersion,
    v: 1,
  });
}

/**
 * `plan_` + 48 hex characters (192 bits) of SHA-256 over the JCS form. A planner with one
 * role is identified by it alone (`role`), as plans always were.
 */
export function planIdOf({ roles, ...identity }: PlanIdentity): string {
  const held = [...new Set(roles)].sort();
  const who = held.length === 1 ? { role: held[0] } : { roles: held };
  return `plan_${contentHash({ ...identity, ...who, v: 1 }).slice(0, 48)}`;
}

export const planIdPattern = /^plan_[0-9a-f]{48}$/;
