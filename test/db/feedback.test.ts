/**
 * In-product feedback over HTTP: sent from a denied action with nothing but the 403's ids, it
 * comes back linked to the deny's receipt and decision (determining policy, remediation) and to
 * the operator's timeline around it; any role may send it; other tenants' ids are a 404; lists
 * filter and page; friction is counted per screen, action kind, decision and policy.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../shared/platform/clock";
import { appendReceipt } from "../../shared/receipts/append";
import { createHarness, type Harness } from "../support/harness";
import { type Body, issueKey, opsClient } from "./ops-support";

let h: Harness;
let api: ReturnType<typeof opsClient>;
beforeAll(async () => {
  h = await createHarness();
  api = opsClient(h);
}, 60_000);
afterAll(() => h.close());

type Linked = Body & {
  kind: string;
  receiptId: string | null;
  decisionId: string | null;
  canonicalId: string | null;
  submittedReceiptId: string;
  linked: {
    receipt: { id: string; kind: string } | null;
    decision: {
      id: string;
      decision: string;
      determiningPolicies: string[];
      remediation: string | null;
    } | null;
    timeline: { actor: string; items: { id: string; kind: string; actor: string }[] };
  };
};

const send = (key: string, body: Record<string, unknown>) => api.call(key, "POST", "/v1/feedback", body);
const restart = { name: "service.restart", target: "svc:checkout-api" };

describe("POST /v1/feedback", () => {
  it("from a denied action: the deny's receipt and decision and that operator's timeline around it", async () => {
    const viewer = await issueKey(h, "viewer");
    const actor = `api_key:${viewer.id}`;
    const ctxAs = (at: Date) => ({
      ...h.ctx(),
      clock: fixedClock(at),
      tenant: { id: h.tenantA.id, slug: h.tenantA.slug, name: "acme Inc." },
      actor: { type: "api_key" as const, id: viewer.id, role: "viewer" as const },
    });
    // Long before: outside the 15-minute window.
    const old = await appendReceipt({
      ctx: ctxAs(new Date(Date.now() - 40 * 60_000)),
      input: { kind: "ui.opened", subject: "screen:commands", input: { n: 1 } },
    });
    // Just before: in the segment.
    const before = await send(viewer.key, {
      kind: "idea",
      message: "Dark mode",
      screen: "home",
      actionId: "open",
    });
    expect(before.status).toBe(201);
    // Someone else's receipt between: not in this operator's segment.
    const operator = (await issueKey(h, "operator")).key;
    await api.ok(operator, "POST", "/v1/incidents", { title: "Other", severity: "SEV3", service: "svc:x" });

    const denied = await api.call(viewer.key, "POST", "/v1/commands", restart);
    expect(denied.status).toBe(403);
    const { decisionId, receiptId } = denied.body as unknown as { decisionId: string; receiptId: string };

    const res = await send(viewer.key, {
      kind: "friction",
      message: "I can't restart checkout, who can?",
      screen: "commands/new",
      actionId: "run-command",
      decisionId,
      receiptId,
    });
    expect(res.status).toBe(201);
    const fb = res.body as Linked;
    expect(fb).toMatchObject({
      kind: "friction",
      receiptId,
      decisionId,
      canonicalId: receiptId,
      actionKind: "policy.denied",
    });
    expect(fb.linked.receipt).toMatchObject({ id: receiptId, kind: "policy.denied" });
    expect(fb.linked.decision).toMatchObject({
      id: decisionId,
      decision: "deny",
      remediation: "needs role operator",
    });
    expect(fb.linked.timeline.actor).toBe(actor);
    const segment = fb.linked.timeline.items.map((r) => r.kind);
    expect(segment).toEqual(["feedback.submitted", "policy.denied", "feedback.submitted"]);
    expect(fb.linked.timeline.items[1]?.id).toBe(receiptId);
    expect(fb.linked.timeline.items[2]?.id).toBe(fb.submittedReceiptId);
    expect(fb.linked.timeline.items.map((r) => r.id)).not.toContain(old.receipt.id);
    expect(fb.linked.timeline.items.every((r) => r.actor === actor)).toBe(true);

    // GET returns the same links; the submitted receipt links the deny's receipt and decision.
    const read = await api.ok(h.tenantA.apiKey, "GET", `/v1/feedback/${fb.id}`);
    expect(read).toEqual(fb);
    const submitted = await api.ok(h.tenantA.apiKey, "GET", `/v1/receipts/${fb.submittedReceiptId}`);
    expect(submitted.receipt).toMatchObject({
      kind: "feedback.submitted",
      subject: `feedback:${fb.id}`,
      links: [receiptId, decisionId],
    });
  });

  it("a receipt id alone links its decision; without links the canonical id is the request id", async () => {
    const viewer = (await issueKey(h, "viewer")).key;
    const denied = await api.call(viewer, "POST", "/v1/incidents", {
      title: "x",
      severity: "SEV3",
      service: "svc:x",
    });
    const receiptId = String(denied.body.receiptId);
    const res = await send(viewer, {
      kind: "bug",
      message: "m",
      screen: "incidents/new",
      actionId: "open",
      receiptId,
    });
    expect(res.body).toMatchObject({ receiptId, decisionId: denied.body.decisionId });
    const plain = await h.request("/v1/feedback", {
      method: "POST",
      key: viewer,
      headers: { "content-type": "application/json", "x-request-id": "req-feedback-1" },
      body: JSON.stringify({ kind: "idea", message: "m", screen: "s", actionId: "a" }),
    });
    expect(await plain.json()).toMatchObject({
      canonicalId: "req-feedback-1",
      requestId: "req-feedback-1",
      linked: { receipt: null, decision: null },
    });
  });

  it("any role may send it; a bad body is a 400 naming the field", async () => {
    for (const role of ["viewer", "operator", "approver", "admin"] as const) {
      const key = await h.tenantA.keyFor(role);
      expect(
        (await send(key, { kind: "idea", message: role, screen: "home", actionId: "x" })).status,
        role,
      ).toBe(201);
    }
    const bad = await send(h.tenantA.apiKey, { kind: "rant", message: "", screen: "home", actionId: "x" });
    expect(bad.status).toBe(400);
    expect(
      (bad.body as unknown as { errors: { pointer: string }[] }).errors.map((e) => e.pointer).sort(),
    ).toEqual(["/kind", "/message"]);
  });

  it("another tenant's receipt or decision id answers the 404 of a missing one", async () => {
    const viewer = (await issueKey(h, "viewer")).key;
    const denied = await api.call(viewer, "POST", "/v1/commands", restart);
    const { decisionId, receiptId } = denied.body as unknown as { decisionId: string; receiptId: string };
    const base = { kind: "friction", message: "m", screen: "s", actionId: "a" };
    const shape = (b: Body) => {
      const { requestId: _r, instance: _i, detail: _d, ...rest } = b;
      return rest;
    };
    const asB = h.tenantB.apiKey;
    const [realR, ghostR] = [
      await send(asB, { ...base, receiptId }),
      await send(asB, { ...base, receiptId: `rcpt_${"0".repeat(64)}` }),
    ];
    expect(realR.status).toBe(404);
    expect(shape(realR.body)).toEqual(shape(ghostR.body));
    expect(JSON.stringify(realR.body)).not.toContain(h.tenantA.id);
    const [realD, ghostD] = [
      await send(asB, { ...base, decisionId }),
      await send(asB, { ...base, decisionId: "dec_zzzzzzzzzzzzzzzzzzzz" }),
    ];
    expect(realD.status).toBe(404);
    expect(shape(realD.body)).toEqual(shape(ghostD.body));
    expect((await api.ok(asB, "GET", "/v1/feedback")).items).toEqual([]);
  });
});

describe("GET /v1/feedback and friction counts", () => {
  it("filters, pages with a cursor, and counts friction per screen, action kind, decision and policy", async () => {
    const admin = h.tenantB.apiKey;
    const viewer = await h.tenantB.keyFor("viewer");
    const denials = [];
    for (let i = 0; i < 2; i++) denials.push((await api.call(viewer, "POST", "/v1/commands", restart)).body);
    const sent: string[] = [];
    const post = async (body: Record<string, unknown>) =>
      sent.push((await api.ok(viewer, "POST", "/v1/feedback", body)).id);
    for (const d of denials)
      await post({
        kind: "friction",
        message: "denied",
        screen: "commands/new",
        actionId: "run",
        receiptId: d.receiptId,
        decisionId: d.decisionId,
      });
    await post({
      kind: "friction",
      message: "again",
      screen: "commands/new",
      actionId: "run",
      receiptId: denials[0]?.receiptId,
    });
    await post({ kind: "friction", message: "slow", screen: "imports/plan", actionId: "dry-run" });
    await post({ kind: "bug", message: "broken", screen: "imports/plan", actionId: "dry-run" });

    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await api.ok(
        admin,
        "GET",
        `/v1/feedback?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      )) as unknown as {
        items: { id: string }[];
        nextCursor: string | null;
      };
      expect(page.items.length).toBeLessThanOrEqual(2);
      all.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(all).toEqual([...sent].reverse());

    const filtered = (q: string) =>
      api.ok(admin, "GET", `/v1/feedback?${q}`).then((p) => (p.items as { id: string }[]).map((i) => i.id));
    expect(await filtered("screen=imports/plan")).toEqual([sent[4], sent[3]]);
    expect(await filtered("kind=bug")).toEqual([sent[4]]);
    expect(await filtered(`decisionId=${denials[1]?.decisionId}`)).toEqual([sent[1]]);
    expect(await filtered("actionKind=policy.denied")).toEqual([sent[2], sent[1], sent[0]]);
    expect((await api.call(admin, "GET", "/v1/feedback?cursor=nope")).status).toBe(400);

    const friction = await api.ok(admin, "GET", "/v1/feedback/friction");
    expect(friction).toEqual({
      total: 4,
      byScreen: [
        { screen: "commands/new", count: 3 },
        { screen: "imports/plan", count: 1 },
      ],
      byActionKind: [{ actionKind: "policy.denied", count: 3 }],
      byDecision: expect.arrayContaining([
        expect.objectContaining({
          decisionId: denials[0]?.decisionId,
          action: "runCommand",
          decision: "deny",
          count: 2,
        }),
        expect.objectContaining({ decisionId: denials[1]?.decisionId, count: 1 }),
      ]),
      byPolicy: [],
    });
    expect((friction.byDecision as unknown[]).length).toBe(2);
  });
});
