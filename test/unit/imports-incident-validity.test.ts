/** The incidents mapper's fast validity check gives zod's answer on every kind of value. */
import { describe, expect, it } from "vitest";
import { incidentFields, isValidIncident } from "../../shared/imports/importers/incidents/schema";

const valid = {
  id: "Q1VZ6X9V2B3Z7A",
  number: 1042,
  title: "Checkout API 5xx above 2%",
  description: "Error rate spiked",
  status: "resolved",
  urgency: "high",
  priority: "P1",
  service: "checkout-api",
  escalationPolicy: "Platform Primary",
  createdOn: "2026-10-03T14:02:11Z",
  acknowledgedOn: "2026-10-03T14:04:40Z",
  resolvedOn: null,
  assignee: "bo.chen@northwind.example",
  runbook: "restart-checkout-api",
};

const variants: Record<string, unknown[]> = {
  id: [null, "", "x".repeat(200), "x".repeat(201), 7],
  number: [null, 0, -1, 1.5, "12a", Number.NaN, 2 ** 31 - 1, 2 ** 31, 2 ** 60],
  title: [null, "", "t"],
  description: [null, "", "d"],
  status: ["triggered", "acknowledged", "Resolved", "closed", undefined, null],
  urgency: [null, "low", "medium", ""],
  priority: [null, "", "P2"],
  service: [null, "", "edge"],
  escalationPolicy: [null, "", "Security"],
  createdOn: [undefined, null, "2026-10-03T14:02:11Z"],
  acknowledgedOn: [null, "2026-10-03T14:04:40Z", undefined],
  resolvedOn: [null, "2026-10-03T15:00:00Z", 5],
  assignee: [
    null,
    "ana@example.com",
    "ana.ruiz+oncall@northwind.example",
    "not-an-email",
    "a@b",
    "x@y.co",
    "",
  ],
  runbook: [null, "page-owner", "Page-Owner", "-x", "a".repeat(128), "a".repeat(129), ""],
};

describe("isValidIncident", () => {
  it("accepts exactly what incidentFields accepts, field by field", () => {
    expect(isValidIncident({ ...valid })).toBe(true);
    for (const [field, values] of Object.entries(variants)) {
      for (const value of values) {
        const fields = { ...valid, [field]: value };
        const label = `${field} = ${JSON.stringify(value)}`;
        expect(isValidIncident(fields as never), label).toBe(incidentFields.safeParse(fields).success);
      }
    }
  });
});
