import type { RouteHandler } from "@hono/zod-openapi";
import {
  getCommand,
  listCommands,
  requestCommand,
  settleCommand,
} from "../../../shared/ops/commands/commands";
import type { AppEnv } from "../../app-env";
import type {
  cancelCommandRoute,
  getCommandRoute,
  listCommandsRoute,
  recordOutcomeRoute,
  requestCommandRoute,
} from "./commands.routes";

type Done = Awaited<ReturnType<typeof requestCommand>>;
const acted = ({ command, receiptId, decisionId }: Done) => ({ ...command, receiptId, decisionId });

export const request: RouteHandler<typeof requestCommandRoute, AppEnv> = async (c) => {
  const done = await requestCommand({ ctx: c.get("tenantCtx"), input: c.req.valid("json") });
  c.header("location", `/v1/commands/${done.command.id}`);
  return c.json(acted(done), 201);
};

export const list: RouteHandler<typeof listCommandsRoute, AppEnv> = async (c) =>
  c.json(await listCommands({ ctx: c.get("tenantCtx"), input: c.req.valid("query") }), 200);

export const get: RouteHandler<typeof getCommandRoute, AppEnv> = async (c) =>
  c.json(await getCommand({ ctx: c.get("tenantCtx"), id: c.req.valid("param").id }), 200);

export const cancel: RouteHandler<typeof cancelCommandRoute, AppEnv> = async (c) => {
  const input = { status: "cancelled" as const };
  return c.json(
    acted(await settleCommand({ ctx: c.get("tenantCtx"), id: c.req.valid("param").id, input })),
    200,
  );
};

export const outcome: RouteHandler<typeof recordOutcomeRoute, AppEnv> = async (c) => {
  const input = c.req.valid("json");
  return c.json(
    acted(await settleCommand({ ctx: c.get("tenantCtx"), id: c.req.valid("param").id, input })),
    200,
  );
};
