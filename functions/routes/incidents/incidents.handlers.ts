import type { RouteHandler } from "@hono/zod-openapi";
import {
  getIncident,
  listIncidents,
  openIncident,
  transitionIncident,
} from "../../../shared/ops/incidents/incidents";
import type { AppEnv } from "../../app-env";
import type {
  acknowledgeIncidentRoute,
  getIncidentRoute,
  listIncidentsRoute,
  openIncidentRoute,
  resolveIncidentRoute,
} from "./incidents.routes";

type Done = Awaited<ReturnType<typeof openIncident>>;
const acted = ({ incident, receiptId, decisionId }: Done) => ({ ...incident, receiptId, decisionId });

export const open: RouteHandler<typeof openIncidentRoute, AppEnv> = async (c) => {
  const done = await openIncident({ ctx: c.get("tenantCtx"), input: c.req.valid("json") });
  c.header("location", `/v1/incidents/${done.incident.id}`);
  return c.json(acted(done), 201);
};

export const list: RouteHandler<typeof listIncidentsRoute, AppEnv> = async (c) =>
  c.json(await listIncidents({ ctx: c.get("tenantCtx"), input: c.req.valid("query") }), 200);

export const get: RouteHandler<typeof getIncidentRoute, AppEnv> = async (c) =>
  c.json(await getIncident({ ctx: c.get("tenantCtx"), id: c.req.valid("param").id }), 200);

export const acknowledge: RouteHandler<typeof acknowledgeIncidentRoute, AppEnv> = async (c) => {
  const input = { to: "acknowledged" as const };
  const done = await transitionIncident({ ctx: c.get("tenantCtx"), id: c.req.valid("param").id, input });
  return c.json(acted(done), 200);
};

export const resolve: RouteHandler<typeof resolveIncidentRoute, AppEnv> = async (c) => {
  const input = { to: "resolved" as const, ...c.req.valid("json") };
  const done = await transitionIncident({ ctx: c.get("tenantCtx"), id: c.req.valid("param").id, input });
  return c.json(acted(done), 200);
};
