/** Operators: the people of a tenant. Every query is scoped to the caller's tenant. */
import type { TenantCtx } from "../context/context";
import { isUniqueViolation } from "../db/errors";
import type { Operator, Role } from "../db/schema";
import { AppError } from "../errors/app-error";
import { newId } from "../ids/ids";
import { decodeCursor, pageOf } from "../pagination/cursor";
import { findOperator, insertOperator, listOperators, updateOperatorRow } from "./operators-repo";
import { applySetupChange } from "./setup-change";

export type OperatorRole = Exclude<Role, "pilot-ops" | "flag-admin">;

const taken = () =>
  new AppError("conflict", "An operator with this email or subject already exists in this tenant.");
const missing = (id: string) => new AppError("not_found", `No operator ${id} in this tenant.`);

export async function inviteOperator({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { email: string; displayName: string; role: OperatorRole; subject?: string | null };
}): Promise<Operator> {
  const now = ctx.clock.now();
  const { result } = await applySetupChange<Operator>(ctx, {
    kind: "operator.invited",
    subject: (op) => `operator:${op.id}`,
    facts: (op) => ({ email: op.email, role: op.role, subject: op.subject }),
    apply: async (db) => {
      const created = await insertOperator(db, {
        id: newId("op"),
        tenantId: ctx.tenant.id,
        email: input.email.trim().toLowerCase(),
        subject: input.subject ?? null,
        displayName: input.displayName,
        role: input.role,
        roles: [input.role],
        createdAt: now,
        updatedAt: now,
      });
      if (!created) throw taken();
      return created;
    },
  });
  return result;
}

export async function listTenantOperators({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { limit: number; cursor?: string; status?: Operator["status"] };
}) {
  const rows = await listOperators(ctx.db, ctx.tenant.id, {
    limit: input.limit,
    after: decodeCursor(input.cursor),
    status: input.status,
  });
  return pageOf(rows, input.limit);
}

export async function getOperator({ ctx, id }: { ctx: TenantCtx; id: string }): Promise<Operator> {
  const operator = await findOperator(ctx.db, ctx.tenant.id, id);
  if (!operator) throw missing(id);
  return operator;
}

export async function updateOperator({
  ctx,
  id,
  input,
}: {
  ctx: TenantCtx;
  id: string;
  input: { role?: OperatorRole; displayName?: string; subject?: string | null };
}): Promise<Operator> {
  if (input.role && input.role !== "admin") refuseSelf(ctx, id, "demote yourself");
  try {
    const { result } = await applySetupChange<Operator>(ctx, {
      kind: "operator.updated",
      subject: () => `operator:${id}`,
      facts: () => input,
      apply: async (db) => {
        // Setting the role sets the whole set: the person is then exactly that role.
        const roles = input.role ? { roles: [input.role] } : {};
        const updated = await updateOperatorRow(db, ctx.tenant.id, id, {
          ...input,
          ...roles,
          updatedAt: ctx.clock.now(),
        });
        if (!updated) throw missing(id);
        return updated;
      },
    });
    return result;
  } catch (error) {
    if (isUniqueViolation(error)) throw taken();
    throw error;
  }
}

export async function suspendOperator({ ctx, id }: { ctx: TenantCtx; id: string }): Promise<Operator> {
  refuseSelf(ctx, id, "suspend yourself");
  return setStatus(ctx, id, "suspended");
}

export async function reactivateOperator({ ctx, id }: { ctx: TenantCtx; id: string }): Promise<Operator> {
  return setStatus(ctx, id, "active");
}

async function setStatus(ctx: TenantCtx, id: string, status: Operator["status"]): Promise<Operator> {
  const { result } = await applySetupChange<Operator>(ctx, {
    kind: status === "suspended" ? "operator.suspended" : "operator.reactivated",
    subject: () => `operator:${id}`,
    facts: () => ({ status }),
    apply: async (db) => {
      const updated = await updateOperatorRow(db, ctx.tenant.id, id, { status, updatedAt: ctx.clock.now() });
      if (!updated) throw missing(id);
      return updated;
    },
  });
  return result;
}

/** An admin signed in as an operator cannot lock themselves out. */
function refuseSelf(ctx: TenantCtx, id: string, what: string): void {
  if (ctx.actor.type === "operator" && ctx.actor.id === id) {
    throw new AppError("conflict", `You cannot ${what}; ask another admin.`);
  }
}
