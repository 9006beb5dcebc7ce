import type { RouteHandler } from "@hono/zod-openapi";
import type { Feedback } from "../../../shared/db/schema";
import {
  frictionCounts,
  getFeedback,
  type LinkedFeedback,
  listTenantFeedback,
} from "../../../shared/feedback/feedback-read";
import { submitFeedback } from "../../../shared/feedback/submit";
import { receiptView } from "../../../shared/receipts/receipt-views";
import type { AppEnv } from "../../app-env";
import { presentDecision } from "../decisions/decisions.handlers";
import type {
  frictionRoute,
  getFeedbackRoute,
  listFeedbackRoute,
  submitFeedbackRoute,
} from "./feedback.routes";

const present = (f: Feedback) => ({
  id: f.id,
  kind: f.kind,
  message: f.message,
  screen: f.screen,
  actionId: f.actionId,
  actionKind: f.actionKind,
  decisionId: f.decisionId,
  receiptId: f.receiptId,
  canonicalId: f.receiptId ?? f.requestId,
  actor: f.actor,
  requestId: f.requestId,
  submittedReceiptId: f.submittedReceiptId,
  createdAt: f.createdAt.toISOString(),
});

const presentLinked = (l: LinkedFeedback) => ({
  ...present(l.feedback),
  linked: {
    receipt: l.receipt ? receiptView(l.receipt) : null,
    decision: l.decision ? presentDecision(l.decision) : null,
    timeline: {
      actor: l.timeline.actor,
      from: l.timeline.from.toISOString(),
      to: l.timeline.to.toISOString(),
      items: l.timeline.items.map(receiptView),
    },
  },
});

const dates = (q: { from?: string; to?: string }) => ({
  from: q.from ? new Date(q.from) : undefined,
  to: q.to ? new Date(q.to) : undefined,
});

export const submit: RouteHandler<typeof submitFeedbackRoute, AppEnv> = async (c) => {
  const input = { ...c.req.valid("json"), requestId: c.get("requestId") };
  const linked = await submitFeedback({ ctx: c.get("tenantCtx"), input });
  c.header("location", `/v1/feedback/${linked.feedback.id}`);
  c.header("x-receipt-id", linked.feedback.submittedReceiptId);
  return c.json(presentLinked(linked), 201);
};

export const list: RouteHandler<typeof listFeedbackRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const page = await listTenantFeedback({ ctx: c.get("tenantCtx"), input: { ...query, ...dates(query) } });
  return c.json({ items: page.items.map(present), nextCursor: page.nextCursor }, 200);
};

export const friction: RouteHandler<typeof frictionRoute, AppEnv> = async (c) =>
  c.json(await frictionCounts({ ctx: c.get("tenantCtx"), input: dates(c.req.valid("query")) }), 200);

export const get: RouteHandler<typeof getFeedbackRoute, AppEnv> = async (c) =>
  c.json(presentLinked(await getFeedback({ ctx: c.get("tenantCtx"), id: c.req.valid("param").id })), 200);
