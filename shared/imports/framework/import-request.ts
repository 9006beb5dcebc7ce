/** The Cedar request every import verb is gated by: `import` on the plan or import it acts on. */
import type { TenantCtx } from "../../context/context";
import type { AuthorizeInput } from "../../policy/model";

export const importRequest = (
  ctx: Pick<TenantCtx, "tenant">,
  id: string,
  context: { dryRun: boolean; grantsAdmin: boolean },
): AuthorizeInput<"import"> => ({
  action: "import",
  resource: { type: "Import", id, tenantId: ctx.tenant.id },
  context,
});
