/** Header aliases for the identity exports partners send (Okta, Entra ID, a roles sheet). */
import { defineColumns } from "../../read/columns";

export const identityColumns = defineColumns(
  {
    email: ["mail", "email address", "primary email", "work email", "e-mail"],
    username: ["login", "userPrincipalName", "upn", "user name"],
    displayName: ["display name", "full name", "name"],
    givenName: ["first name", "firstName", "given name"],
    familyName: ["last name", "lastName", "surname"],
    title: ["job title", "jobTitle"],
    department: ["dept"],
    manager: ["manager email", "managerEmail"],
    status: ["account status", "state"],
    enabled: ["accountEnabled", "account enabled", "active"],
    groups: ["group", "member of", "memberOf"],
    role: [],
    roles: [],
    sourceId: ["objectId", "object id", "externalId", "user id"],
  },
  [["email", "username"]],
);

export type IdentityColumn = (typeof identityColumns.fields)[number];
