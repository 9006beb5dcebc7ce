/** Opening an approval, inside the transaction of the action that needs one. */
import type { TenantCtx } from "../../context/context";
import type { Approval } from "../../db/schema";
import { newId } from "../../ids/ids";
import type { OpsAction } from "../events/record";
import { insertApproval } from "./approvals-repo";

/** How long an approval waits unless the request says otherwise: one day. */
export const defaultApprovalTtlSeconds = 24 * 3600;

export async function openApproval(
  tx: Pick<TenantCtx, "db" | "clock" | "tenant">,
  input: {
    subjectType: Approval["subjectType"];
    subjectId: string;
    summary: string;
    requester: { type: string; id: string };
    ttlSeconds?: number;
  },
): Promise<{ approval: Approval; action: OpsAction }> {
  const now = tx.clock.now();
  const ttl = input.ttlSeconds ?? defaultApprovalTtlSeconds;
  const approval = await insertApproval(tx.db, {
    id: newId("apr"),
    tenantId: tx.tenant.id,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    summary: input.summary,
    requestedByType: input.requester.type,
    requestedById: input.requester.id,
    expiresAt: new Date(now.getTime() + ttl * 1000),
    createdAt: now,
  });
  const action: OpsAction = {
    kind: "approval.requested",
    subject: `approval:${approval.id}`,
    facts: { id: approval.id, subject: `${input.subjectType}:${input.subjectId}`, ttl },
    details: {
      subject: `${input.subjectType}:${input.subjectId}`,
      expiresAt: approval.expiresAt.toISOString(),
    },
  };
  return { approval, action };
}
