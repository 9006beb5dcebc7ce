/**
 * The compiled policy bundle: policies/ as data, generated into bundle.generated.ts by
 * `npm run policy:bundle`, because a Worker cannot read files at run time.
 */
export interface PolicyBundle {
  /** SHA-256 (hex) of policies/ in canonical form; every decision records it. */
  version: string;
  /** policies/schema.cedarschema. */
  schema: string;
  /** Each policy's text, keyed by its `@id` annotation (Cedar reports these ids). */
  policies: Readonly<Record<string, string>>;
  /** `@remediation` annotations by policy id: what would allow a request that policy forbids. */
  remediations: Readonly<Record<string, string>>;
}
