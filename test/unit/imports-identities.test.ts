import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { roles as dbRoles } from "../../shared/db/schema/api-keys";
import {
  identitiesImporter,
  type OperatorFields,
  operatorRoles,
} from "../../shared/imports/importers/identities";
import { checkInFile } from "../../shared/imports/read/in-file-check";
import type { ImportFormat, ImportInput } from "../../shared/imports/types";
import { bytes, collect, problemOf, sample, samplesDir, split } from "../fixtures/imports/helpers";

const groupRoleMap = JSON.parse(readFileSync(join(samplesDir, "identities", "group-role-map.json"), "utf8"));

async function read(input: Uint8Array, format: ImportFormat = "csv", extra: Partial<ImportInput> = {}) {
  return split(
    await collect(identitiesImporter.read({ bytes: input, format, options: { groupRoleMap }, ...extra })),
  );
}
const byEmail = (records: { key: string; fields: OperatorFields }[]) =>
  Object.fromEntries(records.map((r) => [r.key, r.fields]));

describe("identities: partner samples", () => {
  it("reads the Okta export: quotes, apostrophes, accents, groups → roles, a SUSPENDED user", async () => {
    const { records, errors } = await read(sample("identities/okta-users.csv"));
    expect(errors).toEqual([]);
    expect(records.map((r) => [r.row, r.key, r.entity])).toEqual([
      [1, "ana.ruiz@northwind.example", "operator"],
      [2, "bo.chen@northwind.example", "operator"],
      [3, "carla.mendes@northwind.example", "operator"],
      [4, "dev.patel@northwind.example", "operator"],
      [5, "o'brien.sean@northwind.example", "operator"],
    ]);
    const people = byEmail(records);
    expect(people["ana.ruiz@northwind.example"]).toMatchObject({
      displayName: "Ana Ruiz",
      status: "active",
      groups: ["On-Call", "Switchboard Admins"],
      roles: ["admin", "operator"],
      manager: null,
    });
    expect(people["dev.patel@northwind.example"]).toMatchObject({ status: "suspended", roles: ["viewer"] });
    expect(people["o'brien.sean@northwind.example"]).toMatchObject({
      givenName: "Seán",
      familyName: "O'Brien",
      displayName: "Seán O'Brien",
      title: "Manager, Security",
      roles: ["approver", "viewer"],
    });
    expect(people["bo.chen@northwind.example"]?.manager).toBe("ana.ruiz@northwind.example");
  });

  it("reads the Entra download: BOM, CRLF, “Last, First” names, accountEnabled False", async () => {
    const { records, errors } = await read(sample("identities/entra-users.csv"));
    expect(errors).toEqual([]);
    expect(records).toHaveLength(3);
    const noor = byEmail(records)["noor.haddad@contoso.example"];
    expect(noor).toEqual({
      email: "noor.haddad@contoso.example",
      username: "noor.haddad@contoso.example",
      displayName: "Haddad, Noor",
      givenName: "Noor",
      familyName: "Haddad",
      title: "Approver",
      department: "Security",
      status: "suspended",
      sourceId: "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c03",
    });
    // No role information in the file: roles are absent, not [] (the diff leaves them alone).
    expect(records.every((r) => !("roles" in r.fields))).toBe(true);
  });

  it("merges roles.csv into one record per person with all their roles", async () => {
    const { records, errors } = await read(sample("identities/roles.csv"));
    expect(errors).toEqual([]);
    expect(records.map((r) => [r.row, r.key, r.fields.roles])).toEqual([
      [1, "ana.ruiz@northwind.example", ["admin"]],
      [2, "bo.chen@northwind.example", ["operator"]],
      [3, "carla.mendes@northwind.example", ["approver", "operator"]],
      [5, "dev.patel@northwind.example", ["viewer"]],
      [6, "o'brien.sean@northwind.example", ["approver"]],
    ]);
    expect(records[2]?.fields).toEqual({
      email: "carla.mendes@northwind.example",
      roles: ["approver", "operator"],
    });
  });

  it("reads the SCIM ListResponse into the same records as the Okta CSV", async () => {
    const { records, errors } = await read(sample("identities/scim-export.json"), "scim");
    expect(errors).toEqual([]);
    expect(records.map((r) => [r.row, r.key])).toEqual([
      [1, "ana.ruiz@northwind.example"],
      [2, "bo.chen@northwind.example"],
    ]);
    const okta = byEmail((await read(sample("identities/okta-users.csv"))).records);
    for (const record of records) {
      const csv = okta[record.key];
      for (const field of [
        "email",
        "displayName",
        "givenName",
        "familyName",
        "status",
        "roles",
        "groups",
      ] as const) {
        expect(record.fields[field], field).toEqual(csv?.[field]);
      }
    }
    expect(records[0]?.fields).toMatchObject({
      title: "SRE Lead",
      department: "Platform",
      sourceId: "2819c223-7f76-453a-919d-413861904646",
    });
  });

  it("keeps the role list in step with the database's", () => {
    expect([...operatorRoles]).toEqual([...dbRoles]);
  });
});

describe("identities: rejects", () => {
  const csv = (lines: string[]) => bytes(`${lines.join("\n")}\n`);

  it("validates and lowercases email, naming the column", async () => {
    const { records, errors } = await read(
      csv(["Primary email,Status", "Ana@Example.COM,ACTIVE", "not-an-email,ACTIVE"]),
    );
    expect(records[0]?.key).toBe("ana@example.com");
    expect(errors).toEqual([
      expect.objectContaining({ row: 2, column: "Primary email", code: "invalid_email" }),
    ]);
  });

  it("rejects an unknown status, an unknown accountEnabled and an unknown role", async () => {
    const { errors } = await read(
      csv([
        "email,status,accountEnabled,roles",
        "a@x.example,ON_HOLIDAY,,",
        "b@x.example,,maybe,",
        "c@x.example,,,root",
      ]),
    );
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [1, "status", "invalid_value"],
      [2, "accountEnabled", "invalid_value"],
      [3, "roles", "unknown_role"],
    ]);
  });

  it("lists unknown columns at file level unless mapped; a mapping wins over aliases", async () => {
    const file = csv(["Mail Address,Nickname,Team", "a@x.example,Al,Ops"]);
    const problem = await problemOf(() => read(file));
    expect(problem).toMatchObject({ status: 422, code: "unknown_column", row: 0 });
    expect(problem.message).toContain('"Mail Address", "Nickname", "Team"');
    const mapping = { "Mail Address": "email", Nickname: "displayName", Team: "" };
    const { records } = await read(file, "csv", { mapping });
    expect(records[0]?.fields).toEqual({ email: "a@x.example", displayName: "Al" });
    expect((await problemOf(() => read(file, "csv", { mapping: { Team: "squad" } }))).code).toBe(
      "invalid_mapping",
    );
  });

  it("refuses two columns that give the same field, and a file with no email column", async () => {
    expect((await problemOf(() => read(csv(["email,mail", "a@x.example,b@x.example"])))).code).toBe(
      "duplicate_column",
    );
    expect((await problemOf(() => read(csv(["First name", "Ana"])))).code).toBe("missing_column");
  });

  it("refuses a __proto__ column and a bad groupRoleMap option", async () => {
    expect((await problemOf(() => read(csv(["email,__proto__", "a@x.example,x"])))).code).toBe(
      "forbidden_key",
    );
    const bad = identitiesImporter.read({
      bytes: csv(["email", "a@x.example"]),
      format: "csv",
      options: { groupRoleMap: { Ops: "root" } },
    });
    expect((await problemOf(() => collect(bad))).code).toBe("invalid_option");
  });

  it("refuses a format it does not read with 415", async () => {
    expect(await problemOf(() => read(csv(["email", "a@x.example"]), "yaml"))).toMatchObject({
      status: 415,
      code: "unsupported_format",
    });
  });

  it("marks the later of two rows for one email duplicate_key, naming the first row", async () => {
    const results = identitiesImporter.read({
      bytes: csv(["email,First name", "a@x.example,A", "b@x.example,B", "A@X.example,Again"]),
      format: "csv",
    });
    const { records, errors } = split(await collect(checkInFile(results, { kind: "identities" })));
    expect(records.map((r) => r.key)).toEqual(["a@x.example", "b@x.example"]);
    expect(errors).toEqual([expect.objectContaining({ row: 3, code: "duplicate_key" })]);
    expect(errors[0]?.message).toContain("row 1");
  });

  it("rejects SCIM resources that are not Users or Groups, Users without userName or a valid email", async () => {
    const user = "urn:ietf:params:scim:schemas:core:2.0:User";
    const doc = {
      Resources: [
        { schemas: ["urn:x:Device"], id: "d1" },
        { schemas: [user], id: "u1" },
        { schemas: [user], id: "u2", userName: "u2", emails: [{ value: "not-an-email" }] },
        { schemas: [user], id: "u3", userName: "Zoe.Martin@Example.org", active: false },
      ],
    };
    const { records, errors } = await read(bytes(JSON.stringify(doc)), "scim");
    expect(errors.map((e) => [e.row, e.code, e.column])).toEqual([
      [1, "unsupported_resource", "/schemas"],
      [2, "missing_value", "/userName"],
      [3, "invalid_email", "/emails"],
    ]);
    expect(records.map((r) => [r.row, r.key, r.fields.status, r.fields.roles])).toEqual([
      [4, "zoe.martin@example.org", "suspended", []],
    ]);
  });
});
