/**
 * graph → graph_entities (key "entity:<key>") and graph_edges (key "edge:<from>|<type>|<to>").
 * `known` answers checkInFile from the tenant's entities, so an edge may point at an entity
 * imported earlier; one pointing at neither the file nor the tenant is `unknown_entity`.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { graphEdges, graphEntities } from "../../db/schema";
import type { CurrentRow, Fields, StateModule, StateWrite } from "../framework/types";
import { type RowOf, recordsetOf } from "./recordset";
import { rowsOf, textArray, timestamp, withIds } from "./sql";

const entityPrefix = "entity:";
const edgePrefix = "edge:";

function split(keys: readonly string[]) {
  const entities: string[] = [];
  const edges: [string, string, string][] = [];
  for (const key of keys) {
    if (key.startsWith(entityPrefix)) entities.push(key.slice(entityPrefix.length));
    else if (key.startsWith(edgePrefix)) {
      const [from = "", type = "", to = ""] = key.slice(edgePrefix.length).split("|");
      edges.push([from, type, to]);
    }
  }
  return { entities, edges };
}

const edgeKey = (from: string, type: string, to: string) => `${edgePrefix}${from}|${type}|${to}`;

interface EdgeRow {
  from_key: string;
  type: string;
  to_key: string;
  attributes: Fields;
  version: number;
  last_import_id: string | null;
}

async function loadEdges(db: Database, tenantId: string, edges: [string, string, string][], lock: boolean) {
  const column = (i: number) => textArray(edges.map((edge) => edge[i] ?? ""));
  const result =
    await db.execute(sql`select e.from_key, e.type, e.to_key, e.attributes, e.version, e.last_import_id
    from graph_edges e
    join unnest(${column(0)}, ${column(1)}, ${column(2)}) as k(f, t, o)
      on e.from_key = k.f and e.type = k.t and e.to_key = k.o
    where e.tenant_id = ${tenantId} ${lock ? sql`for update of e` : sql``}`);
  return rowsOf<EdgeRow>(result);
}

const writtenEntities = recordsetOf(graphEntities, ["key", "type", "name", "attributes"]);
const writtenEdges = recordsetOf(graphEdges, ["fromKey", "type", "toKey", "attributes"]);
const text = (value: unknown) => (typeof value === "string" ? value : "");
const attributesOf = (w: StateWrite) => (w.fields.attributes ?? {}) as Record<string, unknown>;

const entityRow = (w: StateWrite): RowOf<typeof writtenEntities> => ({
  key: w.key.slice(entityPrefix.length),
  type: text(w.fields.type),
  name: text(w.fields.name),
  attributes: attributesOf(w),
});
const edgeRow = (w: StateWrite): RowOf<typeof writtenEdges> => ({
  fromKey: text(w.fields.from),
  type: text(w.fields.type),
  toKey: text(w.fields.to),
  attributes: attributesOf(w),
});

export const graphState: StateModule = {
  kind: "graph",
  tracksImports: true,

  project: (record) => record.fields as Fields,

  async load(db, tenantId, keys, lock = false) {
    const out = new Map<string, CurrentRow>();
    const { entities, edges } = split(keys);
    if (entities.length > 0) {
      const query = db
        .select()
        .from(graphEntities)
        .where(
          and(eq(graphEntities.tenantId, tenantId), sql`${graphEntities.key} = any(${textArray(entities)})`),
        );
      for (const r of lock ? await query.for("update") : await query) {
        const fields = { key: r.key, type: r.type, name: r.name, attributes: r.attributes as Fields };
        out.set(`${entityPrefix}${r.key}`, { fields, lastImportId: r.lastImportId, version: r.version });
      }
    }
    if (edges.length > 0) {
      for (const r of await loadEdges(db, tenantId, edges, lock)) {
        const fields = { from: r.from_key, to: r.to_key, type: r.type, attributes: r.attributes };
        out.set(edgeKey(r.from_key, r.type, r.to_key), {
          fields,
          lastImportId: r.last_import_id,
          version: r.version,
        });
      }
    }
    return out;
  },

  async known(db, tenantId, kind, keys) {
    if (kind !== "graph") return [];
    const { entities } = split(keys);
    if (entities.length === 0) return [];
    const rows = await db
      .select({ key: graphEntities.key })
      .from(graphEntities)
      .where(
        and(eq(graphEntities.tenantId, tenantId), sql`${graphEntities.key} = any(${textArray(entities)})`),
      );
    return rows.map((r) => `${entityPrefix}${r.key}`);
  },

  async write(db, { tenantId, importId, now: date, creates, updates }) {
    const now = timestamp(date);
    const isEntity = (w: StateWrite) => w.entity === "entity";
    const newEntities = withIds("ge", creates.filter(isEntity), entityRow);
    const newEdges = withIds(
      "gx",
      creates.filter((w) => !isEntity(w)),
      edgeRow,
    );
    const changedEntities = updates.filter(isEntity).map(entityRow);
    const changedEdges = updates.filter((w) => !isEntity(w)).map(edgeRow);
    const created = { tenantId, version: 1, lastImportId: importId, createdAt: now, updatedAt: now };
    const changed = { lastImportId: importId, updatedAt: now };
    if (newEntities.length > 0) await db.execute(writtenEntities.insert(newEntities, created));
    if (changedEntities.length > 0) {
      await db.execute(
        writtenEntities.update(changedEntities, { tenantId, match: ["key"], constants: changed }),
      );
    }
    if (newEdges.length > 0) await db.execute(writtenEdges.insert(newEdges, created));
    if (changedEdges.length > 0) {
      const match = ["fromKey", "type", "toKey"] as const;
      await db.execute(writtenEdges.update(changedEdges, { tenantId, match, constants: changed }));
    }
  },

  async remove(db, tenantId, keys) {
    const { entities, edges } = split(keys);
    if (edges.length > 0) {
      const column = (i: number) => textArray(edges.map((edge) => edge[i] ?? ""));
      await db.execute(sql`delete from graph_edges e using unnest(${column(0)}, ${column(1)}, ${column(2)}) as k(f, t, o)
        where e.tenant_id = ${tenantId} and e.from_key = k.f and e.type = k.t and e.to_key = k.o`);
    }
    if (entities.length > 0) {
      await db
        .delete(graphEntities)
        .where(
          and(eq(graphEntities.tenantId, tenantId), sql`${graphEntities.key} = any(${textArray(entities)})`),
        );
    }
  },
};
